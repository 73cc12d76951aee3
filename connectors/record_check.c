/* record_check.c — counting what a record decodes to (see record_check.h). */
#include "connectors/record_check.h"

#include <stdio.h>

#include "common/alloc.h"
#include "common/arena.h"
#include "common/chunk.h"

/* Wider rows than this are not a stream anyone declares; their check fails at create. */
#define CHECK_MAX_COLUMNS 256

struct sl_record_check {
    const struct sl_format_spec *spec;
    struct sl_schema schema;
    enum sl_type types[CHECK_MAX_COLUMNS];
};

static void on_dead_letter(void *ctx, const char *record, size_t len, uint64_t offset,
                           const char *reason)
{
    (void)record;
    (void)len;
    (void)offset;
    struct sl_record_verdict *v = ctx;
    if (!v->dead_letters++)
        snprintf(v->reason, sizeof v->reason, "%s", reason);
}

sl_status record_check_create(const struct sl_format_spec *spec, const struct sl_schema *schema,
                              struct sl_record_check **out, struct sl_error *err)
{
    *out = NULL;
    if (schema->ncols > CHECK_MAX_COLUMNS)
        return sl_error_set(err, SL_ERROR, "a stream of %u columns is too wide to check",
                            schema->ncols);
    struct sl_decoder *d = NULL;
    sl_status st = decoder_create(spec, schema, NULL, NULL, &d, err);
    decoder_destroy(d);
    if (st != SL_OK)
        return st;
    struct sl_record_check *c = sl_calloc(1, sizeof *c);
    if (!c)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    c->spec = spec;
    c->schema = *schema;
    for (uint32_t i = 0; i < schema->ncols; i++)
        c->types[i] = schema->cols[i].type;
    *out = c;
    return SL_OK;
}

void record_check_destroy(struct sl_record_check *c)
{
    sl_free(c);
}

/* Decodes the record to its end, counting rows; a full chunk's rows are counted and dropped. */
static sl_status count_rows(const struct sl_record_check *c, struct sl_decoder *d,
                            struct sl_arena *arena, const char *data, size_t len,
                            struct sl_record_verdict *out, struct sl_error *err)
{
    struct sl_chunk *chunk = NULL;
    size_t off = 0;
    for (bool finished = false; !finished;) {
        if (!chunk || chunk->count == SL_CHUNK_CAP) {
            out->rows += chunk ? chunk->count : 0;
            arena_reset(arena);
            if (chunk_create(arena, c->schema.ncols, c->types, &chunk) != SL_OK)
                return sl_error_set(err, SL_NOMEM, "out of memory");
        }
        size_t consumed = 0;
        sl_status st;
        if (off < len) {
            st = decoder_decode(d, data + off, len - off, &consumed, chunk, err);
            off += consumed;
        } else {
            st = decoder_finish(d, chunk, err);
            finished = true;
        }
        if (st != SL_OK)
            return st;
        if (!finished && consumed == 0 && chunk->count < SL_CHUNK_CAP)
            return sl_error_set(err, SL_ERROR, "decoder made no progress");
    }
    out->rows += chunk->count;
    return SL_OK;
}

void record_check_run(void *ctx, const char *data, size_t len, struct sl_record_verdict *out)
{
    const struct sl_record_check *c = ctx;
    *out = (struct sl_record_verdict){0};
    struct sl_error err;
    sl_error_clear(&err);
    struct sl_arena *arena = arena_create(0);
    struct sl_decoder *d = NULL;
    sl_status st = arena ? decoder_create(c->spec, &c->schema, on_dead_letter, out, &d, &err)
                         : sl_error_set(&err, SL_NOMEM, "out of memory");
    if (st == SL_OK)
        st = count_rows(c, d, arena, data, len, out, &err);
    if (st != SL_OK) {
        out->rows = 0;
        snprintf(out->reason, sizeof out->reason, "%.*s", (int)sizeof out->reason - 1, err.msg);
    }
    decoder_destroy(d);
    arena_destroy(arena);
}
