/* catalog.c — the in-memory list of stream definitions, with "did you mean" lookup. */
#include "engine/plan/catalog.h"

#include "common/alloc.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

void catalog_init(struct sl_catalog *c)
{
    memset(c, 0, sizeof *c);
}

void stream_def_free(struct sl_stream_def *def)
{
    if (!def)
        return;
    for (uint32_t i = 0; i < def->ncols; i++)
        sl_free((char *)def->cols[i].name);
    sl_free(def->cols);
    sl_free(def->name);
    sl_free(def->sql);
    sl_free((char *)def->source.address);
    sl_free((char *)def->source.address_written);
    for (size_t i = 0; i < SL_CONNECTOR_MAX_OPTIONS; i++) {
        sl_free(def->source.options[i].text);
        sl_free(def->source.options[i].written);
    }
    format_spec_clear(&def->format);
    sl_free(def);
}

void catalog_free(struct sl_catalog *c)
{
    for (uint32_t i = 0; i < c->nstreams; i++)
        stream_def_free(c->streams[i]);
    sl_free(c->streams);
    catalog_init(c);
}

struct sl_stream_def *catalog_find_stream(const struct sl_catalog *c, const char *name)
{
    for (uint32_t i = 0; i < c->nstreams; i++)
        if (strcasecmp(c->streams[i]->name, name) == 0)
            return c->streams[i];
    return NULL;
}

sl_status catalog_add_stream(struct sl_catalog *c, struct sl_stream_def *def)
{
    if (c->nstreams == c->cap) {
        uint32_t cap = c->cap ? c->cap * 2 : 8;
        struct sl_stream_def **s = sl_realloc(c->streams, cap * sizeof *s);
        if (!s)
            return SL_NOMEM;
        c->streams = s;
        c->cap = cap;
    }
    c->streams[c->nstreams++] = def;
    return SL_OK;
}

bool catalog_drop_stream(struct sl_catalog *c, const char *name)
{
    for (uint32_t i = 0; i < c->nstreams; i++) {
        if (strcasecmp(c->streams[i]->name, name) == 0) {
            stream_def_free(c->streams[i]);
            memmove(&c->streams[i], &c->streams[i + 1], (c->nstreams - i - 1) * sizeof *c->streams);
            c->nstreams--;
            return true;
        }
    }
    return false;
}

unsigned name_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 16;
    unsigned row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        unsigned diag = row[0];
        row[0] = (unsigned)i;
        for (size_t j = 1; j <= lb; j++) {
            unsigned up = row[j];
            unsigned cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            unsigned best = diag + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb] < 16 ? row[lb] : 16;
}

const char *name_nearest(const char *name, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    unsigned best_d = 3; /* more than two edits away is no longer a typo */
    for (size_t i = 0; i < n; i++) {
        unsigned d = name_distance(name, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    return best;
}

const char *catalog_suggest_stream(const struct sl_catalog *c, const char *name)
{
    const char *best = NULL;
    unsigned best_d = 3; /* more than two edits away is no longer a typo */
    for (uint32_t i = 0; i < c->nstreams; i++) {
        unsigned d = name_distance(name, c->streams[i]->name);
        if (d < best_d) {
            best_d = d;
            best = c->streams[i]->name;
        }
    }
    return best;
}

struct sl_schema stream_def_format_schema(const struct sl_stream_def *def)
{
    struct sl_schema s = {.ncols = def->ndeclared, .cols = def->cols};
    return s;
}

bool stream_logs_by_default(const struct sl_connector *c)
{
    return !c->replayable && !c->reads_stdin;
}
