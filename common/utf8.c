/* utf8.c — writing and checking UTF-8 (see utf8.h). */
#include "common/utf8.h"

#include <stdbool.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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
#define LOWS UINT64_C(0x0101010101010101)

/* Whether any of the 64 bytes at p is 0x80 or above, or NUL. With SSE2 (every
 * x86-64) four vector loads and four signed compares with 0 (bytes 1 to 0x7F
 * are the ones above it), and one movemask; the scalar way is twice as slow,
 * and the TEXT decoder runs this over every byte it reads. */
static bool any_unplain64(const char *p)
{
#ifdef __SSE2__
    const __m128i zero = _mm_setzero_si128();
    __m128i a = _mm_cmpgt_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), zero);
    __m128i b = _mm_cmpgt_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16)), zero);
    __m128i c = _mm_cmpgt_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 32)), zero);
    __m128i d = _mm_cmpgt_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 48)), zero);
    return _mm_movemask_epi8(_mm_and_si128(_mm_and_si128(a, b), _mm_and_si128(c, d))) != 0xFFFF;
#else
    uint64_t w[8], any = 0;
    memcpy(w, p, sizeof w);
    for (int k = 0; k < 8; k++)
        any |= w[k] | ((w[k] - LOWS) & ~w[k]);
    return (any & HIGHS) != 0;
#endif
}

size_t sl_ascii_prefix(const char *p, size_t n)
{
    size_t i = 0;
    /* 64 bytes a step, then 8 (a NUL byte found as in "Bit Twiddling Hacks"' haszero); the
     * byte loop finds the exact end. */
    uint64_t w;
    while (n - i >= 64 && !any_unplain64(p + i))
        i += 64;
    while (n - i >= 8 && (memcpy(&w, p + i, 8), !((w | ((w - LOWS) & ~w)) & HIGHS)))
        i += 8;
    while (i < n && (unsigned char)(p[i] - 1) < 0x7F)
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
