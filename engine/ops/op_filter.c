/*
 * op_filter.c — WHERE: keeps the rows whose predicate is TRUE by narrowing
 * the chunk's selection vector (the new one lives in the batch arena) and
 * pushes the same chunk on; no row is copied. The predicate is evaluated
 * in a scratch arena reset at every push, since only its truth is kept.
 */
#include "common/alloc.h"
#include "engine/expr/expr_kernels.h"
#include "engine/ops/ops.h"
#include "engine/values/rowsel.h"

struct filter_op {
    struct sl_op base;
    const struct sl_expr *pred;
    struct sl_arena *scratch;
};

static sl_status filter_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    struct filter_op *f = (struct filter_op *)op;
    arena_reset(f->scratch);
    struct sl_chunk view = *chunk;
    view.arena = f->scratch;
    struct sl_vector v;
    if (vector_init(f->scratch, f->pred->type, &v) != SL_OK)
        return sl_error_set(err, SL_NOMEM, "out of memory in filter");
    sl_status st = expr_eval(f->pred, &view, &v, err);
    if (st != SL_OK)
        return st;
    const uint32_t *rows = rowsel_of(chunk);
    uint32_t n = chunk_active(chunk), m = 0;
    uint32_t *sel = arena_alloc(op->batch, sizeof *sel * (n ? n : 1));
    if (!sel)
        return sl_error_set(err, SL_NOMEM, "out of memory in filter");
    if (v.type == SL_BOOL) {
        for (uint32_t k = 0; k < n; k++) {
            uint32_t i = rows[k];
            sel[m] = i;
            m += !v.nulls[i] & (v.data.b[i] != 0);
        }
    } else {
        uint8_t *tri = arena_alloc(f->scratch, SL_CHUNK_CAP);
        if (!tri)
            return sl_error_set(err, SL_NOMEM, "out of memory in filter");
        struct expr_ctx cx = {f->scratch, rows, n};
        expr_truth(&v, &cx, tri);
        for (uint32_t k = 0; k < n; k++) {
            sel[m] = rows[k];
            m += tri[rows[k]] == 1;
        }
    }
    chunk->sel = sel;
    chunk->nsel = m;
    return op_push(op->next, chunk, err);
}

static sl_status filter_flush(struct sl_op *op, struct sl_error *err)
{
    (void)op, (void)err;
    return SL_OK;
}

static void filter_explain(const struct sl_op *op, struct sl_buf *out)
{
    const struct filter_op *f = (const struct filter_op *)op;
    buf_puts(out, "filter ");
    expr_render(f->pred, (const char *const *)op->out_names, out);
}

static void filter_destroy(struct sl_op *op)
{
    struct filter_op *f = (struct filter_op *)op;
    arena_destroy(f->scratch);
    op_fini(op);
    sl_free(f);
}

static const struct sl_op_vtable filter_vtable = {
    .name = "filter",
    .push = filter_push,
    .flush = filter_flush,
    .explain = filter_explain,
    .destroy = filter_destroy,
};

sl_status op_filter_create(struct sl_arena *batch, const struct sl_expr *pred, uint32_t nin,
                           const enum sl_type *in_types, const char *const *in_names,
                           struct sl_op **out, struct sl_error *err)
{
    struct filter_op *f = sl_calloc(1, sizeof *f);
    if (!f)
        return sl_error_set(err, SL_NOMEM, "out of memory creating a filter");
    f->pred = pred;
    f->scratch = arena_create(0);
    if (!f->scratch || op_init(&f->base, &filter_vtable, batch, nin, in_types, in_names) != SL_OK) {
        arena_destroy(f->scratch);
        sl_free(f);
        return sl_error_set(err, SL_NOMEM, "out of memory creating a filter");
    }
    *out = &f->base;
    return SL_OK;
}
