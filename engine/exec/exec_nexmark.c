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

static void write_json(FILE *out, enum nx_kind kind, const char *rec, size_t width)
{
    const char *const *names;
    const unsigned char *numeric;
    size_t nfields = nx_fields(kind, &names, &numeric);
    const char *p = rec, *end = rec + width - 1; /* without the '\n' */
    fputc('{', out);
    for (size_t i = 0; i < nfields; i++) {
        const char *comma = i + 1 < nfields ? memchr(p, ',', (size_t)(end - p)) : end;
        const char *quote = numeric[i] ? "" : "\"";
        fprintf(out, "%s\"%s\":%s%.*s%s", i ? "," : "", names[i], quote, (int)(comma - p), p,
                quote);
        p = comma + 1;
    }
    fputs("}\n", out);
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
    if (!g || !chunk) {
        sl_free(g);
        sl_free(chunk);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    nx_init(g, &c);
    for (int64_t row = 0; row < g->rows && !ferror(out);) {
        size_t n = 0;
        for (; n < NEXMARK_CHUNK && row < g->rows; n++, row++)
            nx_record(g, row, chunk + n * width);
        if (!json)
            fwrite(chunk, width, n, out);
        for (size_t i = 0; json && i < n; i++)
            write_json(out, c.kind, chunk + i * width, width);
    }
    sl_free(chunk);
    sl_free(g);
    if (fflush(out) != 0 || ferror(out))
        return sl_error_set(err, SL_ERROR, "could not write the events: %s", strerror(errno));
    return SL_OK;
}
