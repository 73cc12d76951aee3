/* query_sinks.c — a query's rows into its sinks' outboxes (query_sinks.h). */
#include "engine/runtime/query_sinks.h"

#include "common/alloc.h"
#include "engine/runtime/sink_runner.h"
#include "engine/values/row_codec.h"
#include "storage/outbox.h"

sl_status query_sinks_attach(struct query_sinks *qs, struct sl_sink_runner *r)
{
    for (uint32_t i = 0; i < qs->n; i++)
        if (qs->items[i] == r)
            return SL_OK;
    if (qs->n == qs->cap) {
        uint32_t cap = qs->cap ? qs->cap * 2 : 4;
        struct sl_sink_runner **items = sl_realloc(qs->items, cap * sizeof *items);
        if (!items)
            return SL_NOMEM;
        qs->items = items;
        qs->cap = cap;
    }
    qs->items[qs->n++] = r;
    return SL_OK;
}

void query_sinks_detach(struct query_sinks *qs, struct sl_sink_runner *r)
{
    for (uint32_t i = 0; i < qs->n; i++)
        if (qs->items[i] == r) {
            qs->items[i] = qs->items[--qs->n];
            break;
        }
    if (qs->waiting_for == r)
        qs->waiting_for = NULL;
}

sl_status query_sinks_tap(void *ctx, const struct sl_chunk *rows, struct sl_error *err)
{
    struct query_sinks *qs = ctx;
    uint32_t n = chunk_active(rows);
    if (!qs->n || !n)
        return SL_OK;
    if (qs->nparts == qs->cap_parts) {
        uint32_t cap = qs->cap_parts ? qs->cap_parts * 2 : 16;
        struct query_sinks_part *parts = sl_realloc(qs->parts, cap * sizeof *parts);
        if (!parts)
            return sl_error_set(err, SL_NOMEM, "out of memory keeping rows for the sinks");
        qs->parts = parts;
        qs->cap_parts = cap;
    }
    size_t offset = qs->rows.len;
    row_codec_append(&qs->rows, rows);
    if (qs->rows.failed)
        return sl_error_set(err, SL_NOMEM, "out of memory keeping rows for the sinks");
    qs->parts[qs->nparts++] = (struct query_sinks_part){offset, qs->rows.len - offset, n};
    qs->nrows += n;
    return SL_OK;
}

sl_status query_sinks_write(struct query_sinks *qs, struct sl_db *db, int64_t committed_us,
                            struct sl_error *err)
{
    sl_status st = SL_OK;
    for (uint32_t i = 0; i < qs->n && qs->nrows && st == SL_OK; i++) {
        const struct sl_sink_def *def = sink_runner_def(qs->items[i]);
        int64_t batch = sink_runner_next_batch(qs->items[i]);
        for (uint32_t p = 0; p < qs->nparts && st == SL_OK; p++)
            st = db_outbox_append(db, def->name, batch, p, qs->parts[p].rows, committed_us,
                                  qs->rows.data + qs->parts[p].offset, qs->parts[p].len, err);
    }
    return st;
}

void query_sinks_committed(struct query_sinks *qs)
{
    for (uint32_t i = 0; i < qs->n && qs->nrows; i++)
        sink_runner_committed(qs->items[i], sink_runner_next_batch(qs->items[i]), qs->nrows);
    query_sinks_reset(qs);
}

void query_sinks_reset(struct query_sinks *qs)
{
    buf_clear(&qs->rows);
    qs->nparts = 0;
    qs->nrows = 0;
}

struct sl_sink_runner *query_sinks_full(struct query_sinks *qs)
{
    for (uint32_t i = 0; i < qs->n; i++)
        if (sink_runner_full(qs->items[i]))
            return qs->items[i];
    return NULL;
}

void query_sinks_free(struct query_sinks *qs)
{
    sl_free(qs->items);
    sl_free(qs->parts);
    buf_free(&qs->rows);
}
