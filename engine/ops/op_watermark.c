/*
 * op_watermark.c — the stream's event-time watermark, advanced row by row
 * in arrival order and never backwards. It runs first in the pipeline, so
 * rows a WHERE discards advance it too: the watermark is the stream's, and
 * results do not depend on how the input was cut into batches or chunks.
 * Each row is stamped with the watermark at its arrival (including its own
 * time), for the window aggregate to decide lateness.
 */
#include "common/alloc.h"
#include "common/time.h"
#include "engine/ops/ops.h"
#include "engine/values/rowsel.h"

struct watermark_op {
    struct sl_op base;
    uint32_t time_col;
    int64_t delay_us;
    struct sl_time_state *time;
};

static sl_status watermark_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    struct watermark_op *w = (struct watermark_op *)op;
    int64_t *marks = arena_alloc(op->batch, (chunk->count ? chunk->count : 1) * sizeof *marks);
    if (!marks)
        return sl_error_set(err, SL_NOMEM, "out of memory in watermark");
    const struct sl_vector *ts = &chunk->cols[w->time_col];
    const uint32_t *rows = rowsel_of(chunk);
    uint32_t n = chunk_active(chunk);
    int64_t mark = w->time->watermark;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = rows[k];
        /* Timestamps are within years 0000-9999 and the delay at most a century
         * (AST_DURATION_MAX_US): the subtraction cannot overflow. */
        if (!ts->nulls[i] && ts->data.i[i] - w->delay_us > mark)
            mark = ts->data.i[i] - w->delay_us;
        marks[i] = mark;
    }
    w->time->watermark = mark;
    chunk->watermarks = marks;
    return op_push(op->next, chunk, err);
}

static sl_status watermark_flush(struct sl_op *op, struct sl_error *err)
{
    (void)op, (void)err;
    return SL_OK;
}

static void watermark_explain(const struct sl_op *op, struct sl_buf *out)
{
    const struct watermark_op *w = (const struct watermark_op *)op;
    char delay[48];
    sl_duration_format(w->delay_us, delay);
    buf_printf(out, "watermark on %s - %s", op->out_names[w->time_col], delay);
}

static void watermark_destroy(struct sl_op *op)
{
    op_fini(op);
    sl_free(op);
}

static const struct sl_op_vtable watermark_vtable = {
    .name = "watermark",
    .push = watermark_push,
    .flush = watermark_flush,
    .explain = watermark_explain,
    .destroy = watermark_destroy,
};

sl_status op_watermark_create(struct sl_arena *batch, uint32_t time_col, int64_t delay_us,
                              struct sl_time_state *time, uint32_t nin,
                              const enum sl_type *in_types, const char *const *in_names,
                              struct sl_op **out, struct sl_error *err)
{
    struct watermark_op *w = sl_calloc(1, sizeof *w);
    if (!w || op_init(&w->base, &watermark_vtable, batch, nin, in_types, in_names) != SL_OK) {
        sl_free(w);
        return sl_error_set(err, SL_NOMEM, "out of memory creating a watermark");
    }
    w->time_col = time_col;
    w->delay_us = delay_us;
    w->time = time;
    *out = &w->base;
    return SL_OK;
}
