/*
 * op_unnest.c — FROM s, UNNEST(array) AS x: one output row per element of
 * each active row's array, carrying the row's input columns (strings are
 * views: the sl_str is copied, never the bytes). Output chunks fill up to
 * SL_CHUNK_CAP rows and are pushed downstream as soon as they are full, so
 * one input chunk may produce many. Elements are written straight into the
 * output chunk while the input row of each output row is noted; the carried
 * columns are then copied in one typed loop each.
 *
 * Input columns nobody downstream reads are not carried: they stay in the
 * output schema (column indexes do not move) but are all NULL, so the
 * common "FROM lines, UNNEST(split(line, ' '))" does not copy the whole
 * line once per word.
 *
 * UNNEST(split(text, 'c')) with a one-byte constant separator is cut
 * straight into the output vector: building split()'s array of 24-byte
 * values per word, only to copy each one out again, costs more than the cut.
 */
#include <string.h>

#include "common/alloc.h"
#include "engine/functions/fn_builtin.h"
#include "engine/ops/op_gather.h"
#include "engine/ops/ops.h"
#include "engine/values/rowsel.h"
#include "engine/values/split_scan.h"
#include "engine/values/sqlval.h"

struct unnest_op {
    struct sl_op base;
    const struct sl_expr *array_expr;
    const struct sl_expr *split_text; /* split(split_text, split_sep) is array_expr; or NULL */
    char split_sep;
    uint32_t nin;
    bool *carry;                /* per input column: copied (else left all NULL) */
    struct sl_chunk *out;       /* the output chunk being filled */
    uint32_t src[SL_CHUNK_CAP]; /* input row of each output row */
};

/* Starts a new output chunk in u->out. */
static sl_status begin(struct unnest_op *u, struct sl_error *err)
{
    struct sl_op *op = &u->base;
    if (chunk_create(op->batch, op->nout, op->out_types, &u->out) != SL_OK)
        return sl_error_set(err, SL_NOMEM, "out of memory in unnest");
    return SL_OK;
}

/* Completes the first n rows of u->out from input `in` and pushes it. */
static sl_status emit(struct unnest_op *u, const struct sl_chunk *in, uint32_t n,
                      struct sl_error *err)
{
    struct sl_op *op = &u->base;
    struct sl_chunk *c = u->out;
    c->count = n;
    for (uint32_t col = 0; col < u->nin; col++) {
        if (u->carry[col])
            op_gather(&c->cols[col], &in->cols[col], u->src, n);
        else
            memset(c->cols[col].nulls, 1, n);
    }
    if (in->row_kinds) {
        c->row_kinds = arena_alloc(op->batch, n);
        if (!c->row_kinds)
            return sl_error_set(err, SL_NOMEM, "out of memory in unnest");
        for (uint32_t k = 0; k < n; k++)
            c->row_kinds[k] = in->row_kinds[u->src[k]];
    }
    c->watermarks = NULL;
    if (in->watermarks) {
        c->watermarks = arena_alloc(op->batch, n * sizeof *c->watermarks);
        if (!c->watermarks)
            return sl_error_set(err, SL_NOMEM, "out of memory in unnest");
        for (uint32_t k = 0; k < n; k++)
            c->watermarks[k] = in->watermarks[u->src[k]];
    }
    return op_push(op->next, c, err);
}

/* Row m of u->out was written: on a full chunk, pushes it and starts the next one. */
static sl_status advance(struct unnest_op *u, const struct sl_chunk *in, uint32_t *m,
                         struct sl_error *err)
{
    if (++*m < SL_CHUNK_CAP)
        return SL_OK;
    sl_status st = emit(u, in, *m, err);
    *m = 0;
    return st == SL_OK ? begin(u, err) : st;
}

/* The elements of each active row's array value, copied one by one. */
static sl_status unnest_arrays(struct unnest_op *u, struct sl_chunk *chunk, struct sl_chunk *view,
                               uint32_t *m, struct sl_error *err)
{
    struct sl_op *op = &u->base;
    struct sl_vector arr;
    if (vector_init(op->batch, u->array_expr->type, &arr) != SL_OK)
        return sl_error_set(err, SL_NOMEM, "out of memory in unnest");
    sl_status st = expr_eval(u->array_expr, view, &arr, err);
    if (st != SL_OK)
        return st;
    const uint32_t *rows = rowsel_of(chunk);
    uint32_t n = chunk_active(chunk);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = rows[k];
        struct sl_value v = vector_get(&arr, i);
        if (v.type != SL_ARRAY)
            continue;
        const struct sl_array *a = v.u.a;
        for (uint32_t j = 0; j < a->count; j++) {
            struct sl_vector *ev = &u->out->cols[u->nin];
            const struct sl_value *item = &a->items[j];
            if (ev->type == SL_TEXT && (item->type == SL_TEXT || item->type == SL_NULL)) {
                ev->nulls[*m] = item->type == SL_NULL;
                ev->data.s[*m] = item->u.s;
            } else if (sqlval_store(ev, *m, *item, op->batch) != SL_OK) {
                return sl_error_set(err, SL_NOMEM, "out of memory in unnest");
            }
            u->src[*m] = i;
            if ((st = advance(u, chunk, m, err)) != SL_OK)
                return st;
        }
    }
    return SL_OK;
}

/* Writes piece of input row i as output row *m. */
static inline sl_status put_piece(struct unnest_op *u, const struct sl_chunk *in, uint32_t i,
                                  struct sl_str piece, uint32_t *m, struct sl_error *err)
{
    struct sl_vector *ev = &u->out->cols[u->nin];
    ev->data.s[*m] = piece;
    ev->nulls[*m] = 0;
    u->src[*m] = i;
    return advance(u, in, m, err);
}

/* Cuts input row i's text s at every byte sep, by split()'s rule. */
static sl_status cut_row(struct unnest_op *u, const struct sl_chunk *in, uint32_t i,
                         struct sl_str s, uint32_t *m, struct sl_error *err)
{
    struct split_scan scan;
    struct sl_str piece;
    split_scan_init(&scan, s, u->split_sep);
    while (split_scan_next(&scan, &piece)) {
        sl_status st = put_piece(u, in, i, piece, m, err);
        if (st != SL_OK)
            return st;
    }
    return SL_OK;
}

/* split(text, sep) of each active row cut straight into the element column,
 * with split()'s rules: every separator cuts, a NULL text gives no rows. */
static sl_status unnest_split(struct unnest_op *u, struct sl_chunk *chunk, struct sl_chunk *view,
                              uint32_t *m, struct sl_error *err)
{
    struct sl_vector texts; /* a column reference aliases the input column */
    if (vector_init(u->base.batch, SL_TEXT, &texts) != SL_OK)
        return sl_error_set(err, SL_NOMEM, "out of memory in unnest");
    sl_status st = expr_eval(u->split_text, view, &texts, err);
    if (st != SL_OK)
        return st;
    const uint32_t *rows = rowsel_of(chunk);
    uint32_t n = chunk_active(chunk);
    for (uint32_t k = 0; k < n && st == SL_OK; k++) {
        if (!texts.nulls[rows[k]])
            st = cut_row(u, chunk, rows[k], texts.data.s[rows[k]], m, err);
    }
    return st;
}

static sl_status unnest_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    struct unnest_op *u = (struct unnest_op *)op;
    struct sl_chunk view = *chunk;
    view.arena = op->batch;
    sl_status st = begin(u, err);
    if (st != SL_OK)
        return st;
    uint32_t m = 0;
    st = u->split_text ? unnest_split(u, chunk, &view, &m, err)
                                 : unnest_arrays(u, chunk, &view, &m, err);
    /* The partly filled chunk lives in the batch arena, which may be reset
     * once this push returns: it is pushed now, not kept for the next one. */
    if (st == SL_OK && m)
        st = emit(u, chunk, m, err);
    u->out = NULL;
    return st;
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
    struct unnest_op *u = (struct unnest_op *)op;
    sl_free(u->carry);
    op_fini(op);
    sl_free(u);
}

static const struct sl_op_vtable unnest_vtable = {
    .name = "unnest",
    .push = unnest_push,
    .flush = unnest_flush,
    .explain = unnest_explain,
    .destroy = unnest_destroy,
};

/* The text argument of array_expr when it is split(text, 'c'), else NULL. */
static const struct sl_expr *split_by_byte(const struct sl_expr *e, char *sep)
{
    if (e->kind != EXPR_CALL || e->fn != &fn_split || e->nargs != 2 ||
        e->args[0]->type != SL_TEXT)
        return NULL;
    const struct sl_expr *s = e->args[1];
    if (s->kind != EXPR_CONST || s->value.type != SL_TEXT || s->value.u.s.len != 1)
        return NULL;
    *sep = s->value.u.s.ptr[0];
    return e->args[0];
}

sl_status op_unnest_create(struct sl_arena *batch, const struct sl_expr *array_expr,
                           enum sl_type elem_type, const char *elem_name, uint32_t nin,
                           const enum sl_type *in_types, const char *const *in_names,
                           const bool *carry, struct sl_op **out, struct sl_error *err)
{
    struct unnest_op *u = sl_calloc(1, sizeof *u);
    enum sl_type *types = sl_calloc(nin + 1, sizeof *types);
    const char **names = sl_calloc(nin + 1, sizeof *names);
    bool *carried = sl_calloc(nin ? nin : 1, sizeof *carried);
    sl_status st = SL_NOMEM;
    if (u && types && names && carried) {
        for (uint32_t i = 0; i < nin; i++) {
            types[i] = in_types[i];
            names[i] = in_names ? in_names[i] : NULL;
            carried[i] = carry ? carry[i] : true;
        }
        types[nin] = elem_type;
        names[nin] = elem_name;
        u->array_expr = array_expr;
        if (elem_type == SL_TEXT)
            u->split_text = split_by_byte(array_expr, &u->split_sep);
        u->nin = nin;
        u->carry = carried;
        st = op_init(&u->base, &unnest_vtable, batch, nin + 1, types, names);
    }
    sl_free(types);
    sl_free(names);
    if (st != SL_OK) {
        sl_free(carried);
        sl_free(u);
        return sl_error_set(err, SL_NOMEM, "out of memory creating an unnest");
    }
    *out = &u->base;
    return SL_OK;
}
