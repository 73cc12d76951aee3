/* buf.c — growable byte strings; an allocation failure is sticky, never fatal. */
#include "common/buf.h"

#include "common/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void buf_init(struct sl_buf *b)
{
    memset(b, 0, sizeof *b);
}

void buf_free(struct sl_buf *b)
{
    sl_free(b->data);
    buf_init(b);
}

void buf_clear(struct sl_buf *b)
{
    b->len = 0;
    b->failed = false;
    if (b->data)
        b->data[0] = '\0';
}

static bool buf_reserve(struct sl_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = sl_realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void buf_append(struct sl_buf *b, const char *s, size_t n)
{
    if (!buf_reserve(b, n))
        return;
    if (n) /* s may be NULL with nothing in it (an empty buffer's data): memcpy's is UB */
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_puts(struct sl_buf *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

void buf_putc(struct sl_buf *b, char c)
{
    buf_append(b, &c, 1);
}

void buf_printf(struct sl_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *buf_str(const struct sl_buf *b)
{
    return b->data ? b->data : "";
}
