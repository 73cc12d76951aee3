/*
 * exec_nexmark.c — sluice_nexmark_write: the NEXMARK connector's records
 * (connectors/nexmark_gen.h) written to a FILE, as they are (CSV) or as one
 * JSON object a line, so a FILE stream can read the same events the
 * connector generates. No field holds a comma, a quote or a backslash, so a
 * record splits on commas and its text needs no escaping.
 */
#include "engine/exec/engine.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "common/alloc.h"
#include "connectors/nexmark_gen.h"

/* Records per fwrite. */
#define NEXMARK_CHUNK 256

/* Appends n bytes of s at p; returns the new end. */
static char *put(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

/* Record rec (width bytes) as one JSON line at out; returns its end. Built with memcpy, not
 * fprintf: the JSON file is the decoders' benchmark input and can hold 10^8 events. */
static char *put_json(char *out, enum nx_kind kind, const char *rec, size_t width)
{
    const char *const *names;
    const unsigned char *numeric;
    size_t nfields = nx_fields(kind, &names, &numeric);
    const char *p = rec, *end = rec + width - 1; /* without the '\n' */
    *out++ = '{';
    for (size_t i = 0; i < nfields; i++) {
        const char *comma = i + 1 < nfields ? memchr(p, ',', (size_t)(end - p)) : end;
        out = put(out, i ? ",\"" : "\"", i ? 2 : 1);
        out = put(out, names[i], strlen(names[i]));
        out = put(out, numeric[i] ? "\":" : "\":\"", numeric[i] ? 2 : 3);
        out = put(out, p, (size_t)(comma - p));
        if (!numeric[i])
            *out++ = '"';
        p = comma + 1;
    }
    return put(out, "}\n", 2);
}

sl_status engine_nexmark_write(FILE *out, const char *kind, const char *format, int64_t events,
                               int64_t rate, uint64_t seed, struct sl_error *err)
{
    enum nx_kind k;
    if (!nx_kind_parse(kind, &k))
        return sl_error_set(err, SL_ERROR, "the kind is person, auction or bid, not %s", kind);
    bool json = strcasecmp(format, "json") == 0;
    if (!json && strcasecmp(format, "csv") != 0)
        return sl_error_set(err, SL_ERROR, "the format is csv or json, not %s", format);
    if (events < 0 || events > NX_MAX_EVENTS || rate < 1)
        return sl_error_set(err, SL_ERROR, "events is 0 to 10^12 and rate at least 1");
    struct nx_config c = {.kind = k, .seed = seed, .rate = rate,
                          .base_us = NX_BASE_DEFAULT, .events = events, .group = 1};
    struct nx_gen *g = sl_malloc(sizeof *g);
    size_t width = nx_width(c.kind);
    char *chunk = sl_malloc(width * NEXMARK_CHUNK);
    /* A JSON line is its record plus each field's name and quotes: twice the width is room. */
    char *line = json ? sl_malloc(2 * width) : NULL;
    if (!g || !chunk || (json && !line)) {
        sl_free(g);
        sl_free(chunk);
        sl_free(line);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    nx_init(g, &c);
    for (int64_t row = 0; row < g->rows && !ferror(out);) {
        size_t n = 0;
        for (; n < NEXMARK_CHUNK && row < g->rows; n++, row++)
            nx_record(g, row, chunk + n * width);
        if (!json)
            fwrite(chunk, width, n, out);
        for (size_t i = 0; json && i < n; i++) {
            char *end = put_json(line, c.kind, chunk + i * width, width);
            fwrite(line, 1, (size_t)(end - line), out);
        }
    }
    sl_free(line);
    sl_free(chunk);
    sl_free(g);
    if (fflush(out) != 0 || ferror(out))
        return sl_error_set(err, SL_ERROR, "could not write the events: %s", strerror(errno));
    return SL_OK;
}
