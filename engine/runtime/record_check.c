/* record_check.c — counting the rows and dead letters a record decodes to (see record_check.h). */
#include "engine/runtime/record_check.h"

#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/arena.h"
#include "common/chunk.h"
#include "engine/plan/catalog.h"

static void count_dead_letter(void *ctx, const char *record, size_t len, uint64_t offset,
                              const char *reason)
{
    (void)record;
    (void)len;
    (void)offset;
    struct sl_record_verdict *v = ctx;
    if (!v->dead_letters++)
        snprintf(v->reason, sizeof v->reason, "%s", reason);
}

/* Decodes data into chunks that are counted and dropped, then the last record. */
static sl_status count_rows(const struct sl_schema *schema, struct sl_decoder *dec,
                            struct sl_arena *arena, const char *data, size_t len,
                            struct sl_record_verdict *v, struct sl_error *err)
{
    enum sl_type *types = sl_malloc((schema->ncols + 1) * sizeof *types);
    if (!types)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    for (uint32_t i = 0; i < schema->ncols; i++)
        types[i] = schema->cols[i].type;
    sl_status st = SL_OK;
    size_t off = 0;
    for (;;) {
        arena_reset(arena);
        struct sl_chunk *chunk;
        if (chunk_create(arena, schema->ncols, types, &chunk) != SL_OK) {
            st = sl_error_set(err, SL_NOMEM, "out of memory");
            break;
        }
        size_t consumed = 0;
        bool last = off >= len;
        st = last ? decoder_finish(dec, chunk, err)
                  : decoder_decode(dec, data + off, len - off, &consumed, chunk, err);
        if (st != SL_OK)
            break;
        v->rows += chunk->count;
        if (last)
            break;
        if (consumed == 0 && chunk->count == 0) {
            st = sl_error_set(err, SL_ERROR, "decoder made no progress");
            break;
        }
        off += consumed;
    }
    sl_free(types);
    return st;
}

void record_check(void *ctx, const char *data, size_t len, struct sl_record_verdict *out)
{
    const struct sl_stream_def *def = ctx;
    memset(out, 0, sizeof *out);
    struct sl_schema schema = stream_def_format_schema(def);
    struct sl_decoder *dec = NULL;
    struct sl_arena *arena = arena_create(256 * 1024);
    struct sl_error err;
    sl_error_clear(&err);
    sl_status st = arena ? decoder_create(&def->format, &schema, count_dead_letter, out, &dec, &err)
                         : sl_error_set(&err, SL_NOMEM, "out of memory");
    if (st == SL_OK)
        st = count_rows(&schema, dec, arena, data, len, out, &err);
    if (st != SL_OK) {
        /* The record could not be checked: it counts as refused, with the reason. */
        out->rows = 0;
        out->dead_letters = 1;
        snprintf(out->reason, sizeof out->reason, "%.200s", err.msg);
    }
    decoder_destroy(dec);
    arena_destroy(arena);
}
