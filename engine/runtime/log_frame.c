/* log_frame.c — records framed in a log row (see log_frame.h). */
#include "engine/runtime/log_frame.h"

#include <stdint.h>
#include <string.h>

#define NO_KEY UINT32_MAX

static void put_u32(struct sl_buf *out, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    buf_append(out, (const char *)b, 4);
}

static uint32_t get_u32(const char *p)
{
    const unsigned char *b = (const unsigned char *)p;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

void log_frame_append(struct sl_buf *out, const struct sl_record *r)
{
    put_u32(out, (uint32_t)r->len);
    put_u32(out, r->key ? (uint32_t)r->key_len : NO_KEY);
    buf_append(out, r->value, r->len);
    if (r->key)
        buf_append(out, r->key, r->key_len);
}

bool log_frame_next(const char *data, size_t len, size_t *at, struct sl_record *r)
{
    if (len - *at < 8)
        return false;
    uint32_t vlen = get_u32(data + *at), klen = get_u32(data + *at + 4);
    size_t need = 8 + (size_t)vlen + (klen == NO_KEY ? 0 : klen);
    if (len - *at < need)
        return false;
    memset(r, 0, sizeof *r);
    r->value = data + *at + 8;
    r->len = vlen;
    r->key = klen == NO_KEY ? NULL : r->value + vlen;
    r->key_len = klen == NO_KEY ? 0 : klen;
    r->timestamp_us = INT64_MIN;
    *at += need;
    return true;
}
