/* op_sink.c — the last operator: writes each chunk's rows (a changelog) to the query's result table. */
#include "engine/ops/op_sink.h"

#include "common/alloc.h"

struct sink_op {
    struct sl_op base;
    struct sl_result_table *table; /* not owned */
    uint64_t rows_written;
};

static sl_status sink_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    struct sink_op *s = (struct sink_op *)op;
    if (!s->table)
        return sl_error_set(err, SL_ERROR, "rows pushed into a sink connected to no table");
    uint64_t written = 0;
    sl_status st = result_table_write(s->table, chunk, &written, err);
    s->rows_written += written;
    return st;
}

static sl_status sink_flush(struct sl_op *op, struct sl_error *err)
{
    (void)op;
    (void)err;
    return SL_OK;
}

static void sink_explain(const struct sl_op *op, struct sl_buf *out)
{
    const struct sink_op *s = (const struct sink_op *)op;
    buf_puts(out, s->table ? "sink result table" : "sink (not connected)");
}

static void sink_destroy(struct sl_op *op)
{
    op_fini(op);
    sl_free(op);
}

static const struct sl_op_vtable sink_vtable = {
    .name = "sink",
    .push = sink_push,
    .flush = sink_flush,
    .explain = sink_explain,
    .destroy = sink_destroy,
};

sl_status op_sink_create(struct sl_arena *work, struct sl_result_table *table, uint32_t ncols,
                         const enum sl_type *types, const char *const *names, struct sl_op **out)
{
    struct sink_op *s = sl_calloc(1, sizeof *s);
    if (!s)
        return SL_NOMEM;
    if (op_init(&s->base, &sink_vtable, work, ncols, types, names) != SL_OK) {
        sl_free(s);
        return SL_NOMEM;
    }
    s->table = table;
    *out = &s->base;
    return SL_OK;
}

uint64_t op_sink_take_written(struct sl_op *op)
{
    struct sink_op *s = (struct sink_op *)op;
    uint64_t n = s->rows_written;
    s->rows_written = 0;
    return n;
}
