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
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

/* libcsv's is_space: space and tab, unless one of them is the delimiter. */
static bool csv_is_trim(unsigned char ch, unsigned char delim)
{
    return (ch == ' ' || ch == '\t') && ch != delim;
}

/* What one pass over a line finds: whether it holds a quote, a CR, a byte a TEXT field must
 * check (0x80 or above, or NUL: sl_ascii_prefix), and how many delimiters, the first `cap` of
 * them at delims[] (offsets into the line). */
struct csv_line_bytes {
    bool quote, cr, unplain;
    uint32_t ndelims;
};

/* The delimiters among a block's bytes (bit i: byte at + i), the first `cap` recorded. */
static inline void csv_note_delims(uint64_t m, size_t at, uint32_t *delims, uint32_t cap,
                                   uint32_t *nd)
{
    for (; m; m &= m - 1) {
        if (*nd < cap)
            delims[*nd] = (uint32_t)at + (uint32_t)__builtin_ctzll(m);
        ++*nd;
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
/* csv_line_bytes 32 bytes a step, on a CPU with AVX2 (scanning the lines is most of a CSV
 * decode's time); flags[] collects quote, CR and unplain bits, *done says how far it went. */
__attribute__((target("avx2"))) static void
csv_line_bytes_avx2(const char *p, size_t len, unsigned char delim, uint32_t *delims, uint32_t cap,
                    unsigned *flags, uint32_t *nd, size_t *done)
{
    const __m256i qs = _mm256_set1_epi8('"'), crs = _mm256_set1_epi8('\r');
    const __m256i ds = _mm256_set1_epi8((char)delim), zero = _mm256_setzero_si256();
    unsigned quote = 0, cr = 0, unplain = 0;
    size_t i = 0;
    for (size_t at = 0; len >= 32 && i < len; at = i + 32 <= len ? i : len - 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + at));
        uint32_t fresh = (uint32_t)(UINT64_C(0xffffffff) << (i - at));
        quote |= (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, qs)) & fresh;
        cr |= (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, crs)) & fresh;
        unplain |= (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(v, _mm256_cmpeq_epi8(v, zero))) &
                   fresh;
        csv_note_delims((uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, ds)) & fresh, at,
                        delims, cap, nd);
        i = at + 32;
    }
    flags[0] |= quote, flags[1] |= cr, flags[2] |= unplain;
    *done = i;
}
#endif

/* One pass instead of a memchr for each, a memchr for each field and a UTF-8 check of every
 * TEXT field: with AVX2 32 bytes a step, else with SSE2 16. */
static struct csv_line_bytes csv_line_bytes(const char *p, size_t len, unsigned char delim,
                                            uint32_t *delims, uint32_t cap)
{
    unsigned quote = 0, cr = 0, unplain = 0;
    uint32_t nd = 0;
    size_t i = 0;
#if defined(__x86_64__) && defined(__GNUC__)
    if (len >= 32 && __builtin_cpu_supports("avx2")) {
        unsigned flags[3] = {0, 0, 0};
        csv_line_bytes_avx2(p, len, delim, delims, cap, flags, &nd, &i);
        quote = flags[0], cr = flags[1], unplain = flags[2];
    }
#endif
#ifdef __SSE2__
    const __m128i qs = _mm_set1_epi8('"'), crs = _mm_set1_epi8('\r');
    const __m128i ds = _mm_set1_epi8((char)delim), zero = _mm_setzero_si128();
    /* Whole blocks, then the last 16 bytes again with the ones already seen masked off. */
    for (size_t at = 0; len >= 16 && i < len; at = i + 16 <= len ? i : len - 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + at));
        unsigned fresh = 0xffffu << (i - at) & 0xffffu;
        quote |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, qs)) & fresh;
        cr |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, crs)) & fresh;
        unplain |= (unsigned)_mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v, zero))) & fresh;
        csv_note_delims((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, ds)) & fresh, at, delims,
                        cap, &nd);
        i = at + 16;
    }
#endif
    for (; i < len; i++) {
        quote |= p[i] == '"';
        cr |= p[i] == '\r';
        unplain |= (unsigned char)(p[i] - 1) >= 0x7F;
        if ((unsigned char)p[i] == delim) {
            if (nd < cap)
                delims[nd] = (uint32_t)i;
            nd++;
        }
    }
    return (struct csv_line_bytes){quote != 0, cr != 0, unplain != 0, nd};
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
    c->line_ascii = !bytes.unplain;
    csv_record(c, c->spans, n, true);
    c->line = NULL;
    return true;
}
