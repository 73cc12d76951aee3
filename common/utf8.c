/* utf8.c — writing and checking UTF-8 (see utf8.h). */
#include "common/utf8.h"

#include <string.h>

size_t sl_utf8_put(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

#define HIGHS UINT64_C(0x8080808080808080)

size_t sl_ascii_prefix(const char *p, size_t n)
{
    size_t i = 0;
    uint64_t a, b;
    while (n - i >= 16 && (memcpy(&a, p + i, 8), memcpy(&b, p + i + 8, 8), !((a | b) & HIGHS)))
        i += 16;
    while (i < n && (unsigned char)p[i] < 0x80)
        i++;
    return i;
}

size_t sl_utf8_invalid_at(const char *p, size_t n)
{
    size_t i = 0;
    while ((i += sl_ascii_prefix(p + i, n - i)) < n) {
        size_t len = sl_utf8_sequence_length(p + i, p + n);
        if (!len)
            return i;
        i += len;
    }
    return n;
}
