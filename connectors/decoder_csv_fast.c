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

/* libcsv's is_space: space and tab, unless one of them is the delimiter. */
static bool csv_is_trim(unsigned char ch, unsigned char delim)
{
    return (ch == ' ' || ch == '\t') && ch != delim;
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
    while (p < end && csv_is_trim((unsigned char)*p, delim))
        p++;
    if (p == end)
        return true; /* a blank line: libcsv makes no record of it */
    bool quotes = memchr(p, '"', (size_t)(end - p)) != NULL;
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
    csv_record(c, c->spans, n, true);
    c->line = NULL;
    return true;
}
