/*
 * op_unnest.c — FROM s, UNNEST(array) AS x: one output row per element of
 * each active row's array, carrying the row's input columns (strings are
 * views: the sl_str is copied, never the bytes). Output chunks fill up to
 * SL_CHUNK_CAP rows and are pushed downstream as soon as they are full, so
 * one input chunk may produce many. Rows are first planned as (input row,
 * element) pairs, then each column is copied in one typed loop.
 */
#include "common/alloc.h"
#include "engine/ops/op_gather.h"
#include "engine/ops/ops.h"
#include "engine/rowsel.h"
#include "engine/sqlval.h"

struct unnest_op {
    struct sl_op base;
    const struct sl_expr *array_expr;
    enum sl_type elem_type;
    uint32_t nin;
    uint32_t src[SL_CHUNK_CAP];                /* input row of each output row */
    const struct sl_value *elem[SL_CHUNK_CAP]; /* element of each output row */
};

/* Builds and pushes the output chunk of the first n planned rows. */
static sl_status emit(struct unnest_op *u, const struct sl_chunk *in, uint32_t n,
                      struct sl_error *err)
{
    struct sl_op *op = &u->base;
    struct sl_chunk *c;
    if (chunk_create(op->batch, op->nout, op->out_types, &c) != SL_OK)
        return sl_error_set(err, SL_NOMEM, "out of memory in unnest");
    c->count = n;
    for (uint32_t col = 0; col < u->nin; col++)
        op_gather(&c->cols[col], &in->cols[col], u->src, n);
    struct sl_vector *ev = &c->cols[u->nin];
    for (uint32_t k = 0; k < n; k++) {
        const struct sl_value *v = u->elem[k];
        if (ev->type == SL_TEXT && (v->type == SL_TEXT || v->type == SL_NULL)) {
            ev->nulls[k] = v->type == SL_NULL;
            ev->data.s[k] = v->u.s;
        } else if (!sqlval_store(ev, k, *v, op->batch)) {
            return sl_error_set(err, SL_NOMEM, "out of memory in unnest");
        }
    }
    if (in->row_kinds) {
        c->row_kinds = arena_alloc(op->batch, n);
        if (!c->row_kinds)
            return sl_error_set(err, SL_NOMEM, "out of memory in unnest");
        for (uint32_t k = 0; k < n; k++)
            c->row_kinds[k] = in->row_kinds[u->src[k]];
    }
    return op_push(op->next, c, err);
}

static sl_status unnest_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    struct unnest_op *u = (struct unnest_op *)op;
    struct sl_chunk view = *chunk;
    view.arena = op->batch;
    struct sl_vector arr;
    if (vector_init(op->batch, u->array_expr->type, &arr) != SL_OK)
        return sl_error_set(err, SL_NOMEM, "out of memory in unnest");
    sl_status st = expr_eval(u->array_expr, &view, &arr, err);
    if (st != SL_OK)
        return st;
    const uint32_t *rows = rowsel_of(chunk);
    uint32_t n = chunk_active(chunk), m = 0;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = rows[k];
        struct sl_value v = vector_get(&arr, i);
        if (v.type != SL_ARRAY)
            continue;
        const struct sl_array *a = v.u.a;
        for (uint32_t j = 0; j < a->count; j++) {
            u->src[m] = i;
            u->elem[m] = &a->items[j];
            if (++m == SL_CHUNK_CAP) {
                if ((st = emit(u, chunk, m, err)) != SL_OK)
                    return st;
                m = 0;
            }
        }
    }
    return m ? emit(u, chunk, m, err) : SL_OK;
}

static sl_status unnest_flush(struct sl_op *op, struct sl_error *err)
{
    (void)op, (void)err;
    return SL_OK;
}

static void unnest_explain(const struct sl_op *op, struct sl_buf *out)
{
    const struct unnest_op *u = (const struct unnest_op *)op;
    buf_puts(out, "unnest ");
    expr_render(u->array_expr, (const char *const *)op->out_names, out);
    buf_printf(out, " AS %s", op->out_names[u->nin]);
}

static void unnest_destroy(struct sl_op *op)
{
    op_fini(op);
    sl_free(op);
}

static const struct sl_op_vtable unnest_vtable = {
    .name = "unnest",
    .push = unnest_push,
    .flush = unnest_flush,
    .explain = unnest_explain,
    .destroy = unnest_destroy,
};

sl_status op_unnest_create(struct sl_arena *batch, const struct sl_expr *array_expr,
                           enum sl_type elem_type, const char *elem_name, uint32_t nin,
                           const enum sl_type *in_types, const char *const *in_names,
                           struct sl_op **out, struct sl_error *err)
{
    struct unnest_op *u = sl_calloc(1, sizeof *u);
    enum sl_type *types = sl_calloc(nin + 1, sizeof *types);
    const char **names = sl_calloc(nin + 1, sizeof *names);
    sl_status st = SL_NOMEM;
    if (u && types && names) {
        for (uint32_t i = 0; i < nin; i++) {
            types[i] = in_types[i];
            names[i] = in_names ? in_names[i] : NULL;
        }
        types[nin] = elem_type;
        names[nin] = elem_name;
        u->array_expr = array_expr;
        u->elem_type = elem_type;
        u->nin = nin;
        st = op_init(&u->base, &unnest_vtable, batch, nin + 1, types, names);
    }
    sl_free(types);
    sl_free(names);
    if (st != SL_OK) {
        sl_free(u);
        return sl_error_set(err, SL_NOMEM, "out of memory creating an unnest");
    }
    *out = &u->base;
    return SL_OK;
}
