/* agg_codec.c — the byte encoding of aggregate states (see agg_codec.h). */
#include "engine/aggregates/agg_codec.h"

#include <math.h>
#include <string.h>

/* Value tags, fixed here rather than taken from enum sl_type, so reordering the enum does not
 * change what stored checkpoints mean. */
enum { TAG_NULL, TAG_BOOL, TAG_INT, TAG_REAL, TAG_TEXT, TAG_TIMESTAMP };

static void put_le(struct sl_buf *out, uint64_t x, unsigned bytes)
{
    char b[8];
    for (unsigned i = 0; i < bytes; i++)
        b[i] = (char)(unsigned char)(x >> (8 * i));
    buf_append(out, b, bytes);
}

void codec_put_u8(struct sl_buf *out, uint8_t x)
{
    put_le(out, x, 1);
}

void codec_put_u32(struct sl_buf *out, uint32_t x)
{
    put_le(out, x, 4);
}

void codec_put_i64(struct sl_buf *out, int64_t x)
{
    put_le(out, (uint64_t)x, 8);
}

void codec_put_f64(struct sl_buf *out, double x)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    put_le(out, bits, 8);
}

void codec_put_value(struct sl_buf *out, struct sl_value v)
{
    switch (v.type) {
    case SL_BOOL:
        codec_put_u8(out, TAG_BOOL);
        codec_put_u8(out, v.u.b ? 1 : 0);
        return;
    case SL_INT:
    case SL_TIMESTAMP:
        codec_put_u8(out, v.type == SL_INT ? TAG_INT : TAG_TIMESTAMP);
        codec_put_i64(out, v.u.i);
        return;
    case SL_REAL:
        codec_put_u8(out, TAG_REAL);
        codec_put_f64(out, v.u.r);
        return;
    case SL_TEXT:
        codec_put_u8(out, TAG_TEXT);
        codec_put_u32(out, v.u.s.len);
        buf_append(out, v.u.s.ptr, v.u.s.len);
        return;
    default:
        codec_put_u8(out, TAG_NULL);
        return;
    }
}

void codec_reader_init(struct codec_reader *r, const unsigned char *p, size_t len)
{
    r->p = p;
    r->end = p ? p + len : p;
    r->ok = true;
}

bool codec_fail(struct codec_reader *r)
{
    r->ok = false;
    r->p = r->end;
    return false;
}

bool codec_done(const struct codec_reader *r)
{
    return r->ok && r->p == r->end;
}

size_t codec_left(const struct codec_reader *r)
{
    return r->ok ? (size_t)(r->end - r->p) : 0;
}

const unsigned char *codec_get_bytes(struct codec_reader *r, size_t n)
{
    if (!r->ok || (size_t)(r->end - r->p) < n) {
        codec_fail(r);
        return NULL;
    }
    const unsigned char *at = r->p;
    r->p += n;
    return at;
}

static uint64_t get_le(struct codec_reader *r, unsigned bytes)
{
    const unsigned char *b = codec_get_bytes(r, bytes);
    uint64_t x = 0;
    for (unsigned i = 0; b && i < bytes; i++)
        x |= (uint64_t)b[i] << (8 * i);
    return x;
}

uint8_t codec_get_u8(struct codec_reader *r)
{
    return (uint8_t)get_le(r, 1);
}

uint32_t codec_get_u32(struct codec_reader *r)
{
    return (uint32_t)get_le(r, 4);
}

int64_t codec_get_i64(struct codec_reader *r)
{
    return (int64_t)get_le(r, 8);
}

double codec_get_f64(struct codec_reader *r)
{
    uint64_t bits = get_le(r, 8);
    double x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

struct sl_value codec_get_value(struct codec_reader *r, enum sl_type arg)
{
    struct sl_value v = sl_null();
    uint8_t tag = codec_get_u8(r);
    switch (tag) {
    case TAG_NULL: return v;
    case TAG_BOOL: {
        uint8_t b = codec_get_u8(r);
        if (b > 1)
            codec_fail(r);
        v = (struct sl_value){.type = SL_BOOL, .u.b = b == 1};
        break;
    }
    case TAG_INT:
    case TAG_TIMESTAMP:
        v.type = tag == TAG_INT ? SL_INT : SL_TIMESTAMP;
        v.u.i = codec_get_i64(r);
        break;
    case TAG_REAL:
        v.type = SL_REAL;
        if (isnan(v.u.r = codec_get_f64(r)))
            codec_fail(r);
        break;
    case TAG_TEXT: {
        uint32_t len = codec_get_u32(r);
        const unsigned char *bytes = codec_get_bytes(r, len);
        v.type = SL_TEXT;
        v.u.s.ptr = len && bytes ? (const char *)bytes : "";
        v.u.s.len = bytes ? len : 0;
        break;
    }
    default: codec_fail(r); break;
    }
    if (arg != SL_ANY && v.type != arg)
        codec_fail(r);
    return r->ok ? v : sl_null();
}
