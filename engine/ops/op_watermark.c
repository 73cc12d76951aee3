/*
 * op_watermark.c — the stream's event-time watermark, advanced row by row
 * in arrival order and never backwards. It runs first in the pipeline, so
 * rows a WHERE discards advance it too: the watermark is the stream's, and
 * results do not depend on how the input was cut into batches or chunks.
 * Each row is stamped with the watermark at its arrival (including its own
 * time), for the window aggregate to decide lateness. A stream read from
 * partitions follows the floor of its partitions' times instead (ops.h).
 */
#include "common/alloc.h"
#include "common/time.h"
#include "engine/ops/ops.h"
#include "engine/values/rowsel.h"

struct watermark_op {
    struct sl_op base;
    uint32_t time_col;
    int partition_col; /* -1: the stream has no partitions */
    int64_t delay_us;
    struct sl_time_state *time;
};

/* The watermark a floor of the partitions' times allows, or INT64_MIN. Timestamps
 * and the delay are bounded (see watermark_push): the subtraction cannot overflow. */
static int64_t floor_mark(const struct watermark_op *w, bool any, int64_t floor)
{
    return any && floor != INT64_MIN ? floor - w->delay_us : INT64_MIN;
}

/* The watermark the partitions allow now, or INT64_MIN. */
static int64_t partitions_mark(const struct watermark_op *w)
{
    int64_t floor;
    bool any = time_partitions_floor(w->time, &floor);
    return floor_mark(w, any, floor);
}

/* As watermark_push's loop, with each row's time counted in its partition's. */
static int64_t push_partitioned(struct watermark_op *w, const struct sl_chunk *chunk,
                                int64_t *marks)
{
    struct sl_time_state *time = w->time;
    const struct sl_vector *ts = &chunk->cols[w->time_col];
    const struct sl_vector *part = &chunk->cols[w->partition_col];
    const uint32_t *rows = rowsel_of(chunk);
    uint32_t n = chunk_active(chunk);
    int64_t floor, mark = time->watermark;
    bool any = time_partitions_floor(time, &floor);
    int64_t allowed = floor_mark(w, any, floor);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = rows[k];
        struct sl_partition_time *p =
            part->nulls[i] ? NULL : time_partition_find(time, (int32_t)part->data.i[i]);
        if (p) {
            bool was_idle = time->now - p->last_seen_us > time->idle_us;
            p->last_seen_us = time->now;
            int64_t before = p->max_time;
            if (!ts->nulls[i] && ts->data.i[i] > before)
                p->max_time = ts->data.i[i];
            /* The floor is the lowest active time: only a partition joining the active
             * ones, or one at the floor rising, moves it (a scan over the partitions). */
            if (was_idle || (p->max_time != before && before <= floor)) {
                any = time_partitions_floor(time, &floor);
                allowed = floor_mark(w, any, floor);
            }
        }
        if (allowed > mark)
            mark = allowed;
        marks[i] = mark;
    }
    return mark;
}

static sl_status watermark_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    struct watermark_op *w = (struct watermark_op *)op;
    int64_t *marks = arena_alloc(op->batch, (chunk->count ? chunk->count : 1) * sizeof *marks);
    if (!marks)
        return sl_error_set(err, SL_NOMEM, "out of memory in watermark");
    if (w->partition_col >= 0 && w->time->nparts) {
        w->time->watermark = push_partitioned(w, chunk, marks);
        chunk->watermarks = marks;
        return op_push(op->next, chunk, err);
    }
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

/* The batch's end: partitions that went idle since hold the watermark no more. */
static sl_status watermark_flush(struct sl_op *op, struct sl_error *err)
{
    (void)err;
    struct watermark_op *w = (struct watermark_op *)op;
    if (w->partition_col >= 0 && w->time->nparts) {
        int64_t allowed = partitions_mark(w);
        if (allowed > w->time->watermark)
            w->time->watermark = allowed;
    }
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

sl_status op_watermark_create(struct sl_arena *batch, uint32_t time_col, int partition_col,
                              int64_t delay_us,
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
    w->partition_col = partition_col;
    w->delay_us = delay_us;
    w->time = time;
    *out = &w->base;
    return SL_OK;
}
