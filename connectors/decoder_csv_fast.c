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

/* What one pass over a line finds: whether it holds a quote, a CR, a byte of 0x80 or above, and
 * how many delimiters, the first `cap` of them at delims[] (offsets into the line). */
struct csv_line_bytes {
    bool quote, cr, high;
    uint32_t ndelims;
};

/* One pass instead of a memchr for each, a memchr for each field and a UTF-8 check of every
 * TEXT field: with SSE2, 16 bytes a step. */
static struct csv_line_bytes csv_line_bytes(const char *p, size_t len, unsigned char delim,
                                            uint32_t *delims, uint32_t cap)
{
    unsigned quote = 0, cr = 0, high = 0;
    uint32_t nd = 0;
    size_t i = 0;
#ifdef __SSE2__
    const __m128i qs = _mm_set1_epi8('"'), crs = _mm_set1_epi8('\r');
    const __m128i ds = _mm_set1_epi8((char)delim);
    /* Whole blocks, then the last 16 bytes again with the ones already seen masked off. */
    for (size_t at = 0; len >= 16 && i < len; at = i + 16 <= len ? i : len - 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + at));
        unsigned fresh = 0xffffu << (i - at) & 0xffffu;
        quote |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, qs)) & fresh;
        cr |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, crs)) & fresh;
        high |= (unsigned)_mm_movemask_epi8(v) & fresh;
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, ds)) & fresh;
        for (; m; m &= m - 1) {
            if (nd < cap)
                delims[nd] = (uint32_t)at + (uint32_t)__builtin_ctz(m);
            nd++;
        }
        i = at + 16;
    }
#endif
    for (; i < len; i++) {
        quote |= p[i] == '"';
        cr |= p[i] == '\r';
        high |= (unsigned char)p[i] >= 0x80;
        if ((unsigned char)p[i] == delim) {
            if (nd < cap)
                delims[nd] = (uint32_t)i;
            nd++;
        }
    }
    return (struct csv_line_bytes){quote != 0, cr != 0, high != 0, nd};
}

/* field[a..b) of a line with quotes, trimmed, as libcsv reads it; false when libcsv must read it. */
static bool csv_fast_field(const char *a, const char *b, struct csv_span *out)
{
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

/* A line with quotes: split at each delimiter, each field checked for where its quotes are. */
static bool csv_quoted_fields(struct decoder_csv *c, const char *p, const char *end, uint32_t *n)
{
    for (*n = 0;; ++*n) {
        const char *stop = memchr(p, c->delim, (size_t)(end - p));
        const char *a = p, *b = stop ? stop : end;
        while (a < b && csv_is_trim((unsigned char)*a, c->delim))
            a++;
        while (b > a && csv_is_trim((unsigned char)b[-1], c->delim))
            b--;
        struct csv_span span;
        if (!csv_fast_field(a, b, &span))
            return false;
        if (*n < c->ncols)
            c->spans[*n] = span;
        if (!stop)
            break;
        p = stop + 1;
    }
    ++*n;
    return true;
}

bool csv_fast_line(struct decoder_csv *c, const char *line, size_t len)
{
    const unsigned char delim = c->delim;
    const char *p = line, *end = line + len;
    struct csv_line_bytes bytes = csv_line_bytes(line, len, delim, c->delims, c->ncols);
    if (bytes.cr)
        return false; /* a CR ends a record for libcsv: the line holds more than one */
    while (p < end && csv_is_trim((unsigned char)*p, delim))
        p++;
    if (p == end)
        return true; /* a blank line: libcsv makes no record of it */
    uint32_t n = bytes.ndelims + 1;
    if (bytes.quote) {
        if (!csv_quoted_fields(c, p, end, &n))
            return false;
    } else {
        /* No quote: the fields are what lies between the delimiters the pass found. */
        for (uint32_t k = 0; k < n && k < c->ncols; k++) {
            const char *a = k ? line + c->delims[k - 1] + 1 : p;
            const char *b = k < bytes.ndelims ? line + c->delims[k] : end;
            while (a < b && csv_is_trim((unsigned char)*a, delim))
                a++;
            while (b > a && csv_is_trim((unsigned char)b[-1], delim))
                b--;
            c->spans[k] = (struct csv_span){a, (size_t)(b - a), a == b};
        }
    }
    c->line = line;
    c->line_len = len;
    c->line_ascii = !bytes.high;
    csv_record(c, c->spans, n, true);
    c->line = NULL;
    return true;
}
