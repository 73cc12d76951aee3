/*
 * op_project.c — SELECT list: one output column per expression over the
 * active rows, as a new dense chunk in the batch arena (output row k is
 * the k-th active input row). Over a dense input a column reference shares
 * the input vector instead of copying it; row kinds are carried over.
 */
#include "common/alloc.h"
#include "engine/ops/op_gather.h"
#include "engine/ops/ops.h"
#include "engine/values/rowsel.h"

struct project_op {
    struct sl_op base;
    struct sl_expr **exprs; /* owned array; the expressions belong to the plan */
};

/* Output column c of a chunk with a selection: evaluate over the input, then compact. */
static sl_status project_sparse(const struct sl_expr *e, struct sl_chunk *in, struct sl_vector *dst,
                                struct sl_error *err)
{
    const struct sl_vector *src = e->kind == EXPR_COLUMN ? &in->cols[e->column] : NULL;
    struct sl_vector tmp;
    if (!src || src->type != e->type) {
        if (vector_init(in->arena, e->type, &tmp) != SL_OK)
            return SL_NOMEM;
        sl_status st = expr_eval(e, in, &tmp, err);
        if (st != SL_OK)
            return st;
        src = &tmp;
    }
    if (vector_init(in->arena, src->type, dst) != SL_OK)
        return SL_NOMEM;
    op_gather(dst, src, in->sel, in->nsel);
    return SL_OK;
}

static sl_status project_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    struct project_op *p = (struct project_op *)op;
    struct sl_chunk view = *chunk;
    view.arena = op->batch;
    struct sl_chunk *c = arena_calloc(op->batch, sizeof *c);
    struct sl_vector *cols = arena_calloc(op->batch, sizeof *cols * (op->nout ? op->nout : 1));
    if (!c || !cols)
        return sl_error_set(err, SL_NOMEM, "out of memory in project");
    c->ncols = op->nout;
    c->cols = cols;
    c->arena = op->batch;
    c->count = chunk_active(chunk);
    for (uint32_t i = 0; i < op->nout; i++) {
        const struct sl_expr *e = p->exprs[i];
        sl_status st;
        if (chunk->sel) {
            st = project_sparse(e, &view, &cols[i], err);
        } else if (e->kind == EXPR_COLUMN && chunk->cols[e->column].type == e->type) {
            cols[i] = chunk->cols[e->column];
            st = SL_OK;
        } else {
            st = vector_init(op->batch, e->type, &cols[i]);
            if (st == SL_OK)
                st = expr_eval(e, &view, &cols[i], err);
        }
        if (st != SL_OK)
            return st == SL_NOMEM ? sl_error_set(err, SL_NOMEM, "out of memory in project") : st;
    }
    if (chunk->row_kinds && chunk->sel) {
        c->row_kinds = arena_alloc(op->batch, c->count ? c->count : 1);
        if (!c->row_kinds)
            return sl_error_set(err, SL_NOMEM, "out of memory in project");
        for (uint32_t k = 0; k < c->count; k++)
            c->row_kinds[k] = chunk->row_kinds[chunk->sel[k]];
    } else {
        c->row_kinds = chunk->row_kinds;
    }
    if (chunk->watermarks && chunk->sel) {
        c->watermarks = arena_alloc(op->batch, (c->count ? c->count : 1) * sizeof *c->watermarks);
        if (!c->watermarks)
            return sl_error_set(err, SL_NOMEM, "out of memory in project");
        for (uint32_t k = 0; k < c->count; k++)
            c->watermarks[k] = chunk->watermarks[chunk->sel[k]];
    } else {
        c->watermarks = chunk->watermarks;
    }
    return op_push(op->next, c, err);
}

static sl_status project_flush(struct sl_op *op, struct sl_error *err)
{
    (void)op, (void)err;
    return SL_OK;
}

static void project_explain(const struct sl_op *op, struct sl_buf *out)
{
    const struct project_op *p = (const struct project_op *)op;
    buf_puts(out, "project ");
    for (uint32_t i = 0; i < op->nout; i++) {
        if (i)
            buf_puts(out, ", ");
        expr_render(p->exprs[i], NULL, out);
        buf_printf(out, " AS %s", op->out_names[i]);
    }
}

static void project_destroy(struct sl_op *op)
{
    struct project_op *p = (struct project_op *)op;
    sl_free(p->exprs);
    op_fini(op);
    sl_free(p);
}

static const struct sl_op_vtable project_vtable = {
    .name = "project",
    .push = project_push,
    .flush = project_flush,
    .explain = project_explain,
    .destroy = project_destroy,
};

sl_status op_project_create(struct sl_arena *batch, struct sl_expr *const *exprs, uint32_t n,
                            const char *const *names, struct sl_op **out, struct sl_error *err)
{
    struct project_op *p = sl_calloc(1, sizeof *p);
    enum sl_type *types = sl_calloc(n ? n : 1, sizeof *types);
    if (p)
        p->exprs = sl_calloc(n ? n : 1, sizeof *p->exprs);
    if (!p || !types || !p->exprs) {
        if (p)
            sl_free(p->exprs);
        sl_free(p);
        sl_free(types);
        return sl_error_set(err, SL_NOMEM, "out of memory creating a projection");
    }
    for (uint32_t i = 0; i < n; i++) {
        p->exprs[i] = exprs[i];
        types[i] = exprs[i]->type;
    }
    sl_status st = op_init(&p->base, &project_vtable, batch, n, types, names);
    sl_free(types);
    if (st != SL_OK) {
        sl_free(p->exprs);
        sl_free(p);
        return sl_error_set(err, SL_NOMEM, "out of memory creating a projection");
    }
    *out = &p->base;
    return SL_OK;
}
