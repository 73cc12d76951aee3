/*
 * decoder_csv_fast.c — FORMAT CSV's fast path: most CSV lines hold no quote,
 * or quotes only around a whole field ("" for an empty string), and such a
 * line is split in place at the delimiter with memchr, without libcsv's
 * byte-at-a-time state machine and the copy of every field out of its
 * buffer. It gives exactly what libcsv gives (tests/unit compare the two):
 * space and tab around a field are dropped, an empty unquoted field is NULL,
 * a line of nothing but spaces is no record; a quoted field keeps its inner
 * spaces and is never NULL. Any other quote goes to libcsv.
 */
#include "connectors/decoder_csv.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* libcsv's is_space: space and tab, unless one of them is the delimiter. */
static bool csv_is_trim(unsigned char ch, unsigned char delim)
{
    return (ch == ' ' || ch == '\t') && ch != delim;
}

/* What one pass over a line finds: whether it holds a quote, a CR, a byte of 0x80 or above. */
struct csv_line_bytes {
    bool quote, cr, high;
};

/* One pass instead of a memchr for each, then a UTF-8 check of every TEXT field: with
 * SSE2, 16 bytes a step. */
static struct csv_line_bytes csv_line_bytes(const char *p, size_t len)
{
    unsigned quote = 0, cr = 0, high = 0;
    size_t i = 0;
#ifdef __SSE2__
    __m128i q = _mm_setzero_si128(), r = _mm_setzero_si128(), h = _mm_setzero_si128();
    const __m128i qs = _mm_set1_epi8('"'), crs = _mm_set1_epi8('\r');
    for (; len - i >= 16; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        q = _mm_or_si128(q, _mm_cmpeq_epi8(v, qs));
        r = _mm_or_si128(r, _mm_cmpeq_epi8(v, crs));
        h = _mm_or_si128(h, v);
    }
    quote = (unsigned)_mm_movemask_epi8(q);
    cr = (unsigned)_mm_movemask_epi8(r);
    high = (unsigned)_mm_movemask_epi8(h);
#endif
    for (; i < len; i++) {
        quote |= p[i] == '"';
        cr |= p[i] == '\r';
        high |= (unsigned char)p[i] >= 0x80;
    }
    return (struct csv_line_bytes){quote != 0, cr != 0, high != 0};
}

/* field[a..b), trimmed, as libcsv reads it; false when libcsv must read it. */
static bool csv_fast_field(const char *a, const char *b, bool quotes, struct csv_span *out)
{
    if (!quotes) {
        *out = (struct csv_span){a, (size_t)(b - a), a == b};
        return true;
    }
    if (a < b && *a == '"') {
        if (b - a < 2 || b[-1] != '"' || memchr(a + 1, '"', (size_t)(b - a) - 2))
            return false;
        *out = (struct csv_span){a + 1, (size_t)(b - a) - 2, false};
        return true;
    }
    if (memchr(a, '"', (size_t)(b - a)))
        return false;
    *out = (struct csv_span){a, (size_t)(b - a), a == b};
    return true;
}

bool csv_fast_line(struct decoder_csv *c, const char *line, size_t len)
{
    const unsigned char delim = c->delim;
    const char *p = line, *end = line + len;
    struct csv_line_bytes bytes = csv_line_bytes(line, len);
    if (bytes.cr)
        return false; /* a CR ends a record for libcsv: the line holds more than one */
    while (p < end && csv_is_trim((unsigned char)*p, delim))
        p++;
    if (p == end)
        return true; /* a blank line: libcsv makes no record of it */
    bool quotes = bytes.quote;
    uint32_t n = 0;
    for (;;) {
        const char *stop = memchr(p, delim, (size_t)(end - p));
        const char *a = p, *b = stop ? stop : end;
        while (a < b && csv_is_trim((unsigned char)*a, delim))
            a++;
        while (b > a && csv_is_trim((unsigned char)b[-1], delim))
            b--;
        struct csv_span span;
        if (!csv_fast_field(a, b, quotes, &span))
            return false;
        if (n < c->ncols)
            c->spans[n] = span;
        n++;
        if (!stop)
            break;
        p = stop + 1;
    }
    c->line = line;
    c->line_len = len;
    c->line_ascii = !bytes.high;
    csv_record(c, c->spans, n, true);
    c->line = NULL;
    return true;
}
