/*
 * expr.c — evaluation of bound expression trees over a chunk: constants
 * are broadcast, columns are aliased (no copy), operators evaluate their
 * operands into temporary vectors in the chunk's arena and run one kernel
 * (expr_kernels.h) over the active rows. The operators' static typing rules
 * are in expr_type.c, the EXPLAIN rendering in expr_render.c.
 */
#include "engine/expr/expr.h"

#include <string.h>

#include "engine/expr/expr_kernels.h"
#include "engine/functions/function.h"
#include "engine/values/rowsel.h"
#include "engine/values/sqlval.h"

static sl_status nomem(struct sl_error *err)
{
    return sl_error_set(err, SL_NOMEM, "out of memory evaluating an expression");
}

static sl_status eval_const(const struct sl_expr *e, const struct expr_ctx *cx,
                            struct sl_vector *out)
{
    struct sl_value v = e->value;
    if (v.type == SL_TEXT && out->type == SL_TEXT) {
        for (uint32_t k = 0; k < cx->n; k++) {
            out->data.s[cx->rows[k]] = v.u.s;
            out->nulls[cx->rows[k]] = 0;
        }
        return SL_OK;
    }
    /* A number of the vector's own type (x * 908): a plain fill, no vector_set per row. */
    if (v.type == out->type && (v.type == SL_INT || v.type == SL_TIMESTAMP)) {
        for (uint32_t k = 0; k < cx->n; k++) {
            out->data.i[cx->rows[k]] = v.u.i;
            out->nulls[cx->rows[k]] = 0;
        }
        return SL_OK;
    }
    if (v.type == SL_REAL && out->type == SL_REAL) {
        for (uint32_t k = 0; k < cx->n; k++) {
            out->data.r[cx->rows[k]] = v.u.r;
            out->nulls[cx->rows[k]] = 0;
        }
        return SL_OK;
    }
    if (v.type == SL_NULL || v.type == out->type || out->type == SL_ANY) {
        for (uint32_t k = 0; k < cx->n; k++)
            vector_set(out, cx->rows[k], v);
        return SL_OK;
    }
    for (uint32_t k = 0; k < cx->n; k++) {
        if (sqlval_store(out, cx->rows[k], v, cx->arena) != SL_OK)
            return SL_NOMEM;
    }
    return SL_OK;
}

static sl_status eval_column(const struct sl_expr *e, struct sl_chunk *in,
                             const struct expr_ctx *cx, struct sl_vector *out)
{
    const struct sl_vector *col = &in->cols[e->column];
    if (col->type == out->type) {
        *out = *col;
        return SL_OK;
    }
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        if (sqlval_store(out, i, vector_get(col, i), cx->arena) != SL_OK)
            return SL_NOMEM;
    }
    return SL_OK;
}

/* An operand's values: the input column itself, or a temporary vector. */
static sl_status eval_operand(const struct sl_expr *e, struct sl_chunk *in, struct sl_vector *tmp,
                              const struct sl_vector **v, struct sl_error *err)
{
    if (e->kind == EXPR_COLUMN) {
        *v = &in->cols[e->column];
        return SL_OK;
    }
    if (vector_init(in->arena, e->type, tmp) != SL_OK)
        return nomem(err);
    *v = tmp;
    return expr_eval(e, in, tmp, err);
}

static sl_status eval_unary(const struct sl_expr *e, struct sl_chunk *in, const struct expr_ctx *cx,
                            struct sl_vector *out, struct sl_error *err)
{
    if (e->op == AST_OP_PLUS)
        return expr_eval(e->args[0], in, out, err);
    struct sl_vector tmp;
    const struct sl_vector *v = NULL;
    sl_status st = eval_operand(e->args[0], in, &tmp, &v, err);
    if (st != SL_OK)
        return st;
    switch (e->op) {
    case AST_OP_NOT: st = expr_not(v, cx, out); break;
    case AST_OP_BITNOT: st = expr_bitnot(v, cx, out); break;
    case AST_OP_ISNULL:
    case AST_OP_NOTNULL: st = expr_isnull(e->op == AST_OP_NOTNULL, v, cx, out); break;
    default: st = expr_negate(v, cx, out); break;
    }
    return st == SL_OK ? SL_OK : nomem(err);
}

static sl_status eval_binary(const struct sl_expr *e, struct sl_chunk *in,
                             const struct expr_ctx *cx, struct sl_vector *out, struct sl_error *err)
{
    struct sl_vector lt, rt;
    const struct sl_vector *l = NULL, *r = NULL;
    sl_status st = eval_operand(e->args[0], in, &lt, &l, err);
    if (st == SL_OK)
        st = eval_operand(e->args[1], in, &rt, &r, err);
    if (st != SL_OK)
        return st;
    if (e->cmp_aff) {
        struct sl_vector lc, rc;
        if (expr_apply_affinity(e->cmp_aff[0], l, cx, &lc, &l) != SL_OK ||
            expr_apply_affinity(e->cmp_aff[0], r, cx, &rc, &r) != SL_OK)
            return nomem(err);
        st = is_compare(e->op) ? expr_compare(e->op, l, r, cx, out)
                               : expr_is(e->op == AST_OP_ISNOT, l, r, cx, out);
        return st == SL_OK ? SL_OK : nomem(err);
    }
    if (e->op == AST_OP_AND || e->op == AST_OP_OR)
        st = expr_logic(e->op, l, r, cx, out);
    else if (is_compare(e->op))
        st = expr_compare(e->op, l, r, cx, out);
    else if (e->op == AST_OP_CONCAT)
        st = expr_concat(l, r, cx, out);
    else if (e->op == AST_OP_IS || e->op == AST_OP_ISNOT)
        st = expr_is(e->op == AST_OP_ISNOT, l, r, cx, out);
    else if (is_bits(e->op))
        st = expr_bits(e->op, l, r, cx, out);
    else
        st = expr_arith(e->op, l, r, cx, out);
    return st == SL_OK ? SL_OK : nomem(err);
}

/* The operands of a call, IN, BETWEEN, LIKE and CAST, evaluated over the active rows. */
static sl_status eval_args(const struct sl_expr *e, struct sl_chunk *in, struct sl_vector **vals,
                           struct sl_error *err)
{
    struct sl_vector *args = arena_alloc(in->arena, sizeof *args * (e->nargs ? e->nargs : 1));
    if (!args)
        return nomem(err);
    for (uint32_t a = 0; a < e->nargs; a++) {
        const struct sl_vector *v = NULL;
        sl_status st = eval_operand(e->args[a], in, &args[a], &v, err);
        if (st != SL_OK)
            return st;
        args[a] = *v;
    }
    *vals = args;
    return SL_OK;
}

static sl_status eval_call(const struct sl_expr *e, struct sl_chunk *in, struct sl_vector *out,
                           struct sl_error *err)
{
    struct sl_vector *args;
    sl_status st = eval_args(e, in, &args, err);
    return st == SL_OK ? e->fn->eval(args, (int)e->nargs, in, out, err) : st;
}

/* x BETWEEN lo AND hi over evaluated v = {x, lo, hi}: x is compared with
 * each bound under that comparison's own affinity. */
static sl_status eval_between(const struct sl_expr *e, const struct sl_vector *v,
                              const struct expr_ctx *cx, struct sl_vector *out)
{
    const struct sl_vector *xlo = &v[0], *lo = &v[1], *xhi = &v[0], *hi = &v[2];
    struct sl_vector t[4];
    if (e->cmp_aff &&
        (expr_apply_affinity(e->cmp_aff[0], &v[0], cx, &t[0], &xlo) != SL_OK ||
         expr_apply_affinity(e->cmp_aff[0], &v[1], cx, &t[1], &lo) != SL_OK ||
         expr_apply_affinity(e->cmp_aff[1], &v[0], cx, &t[2], &xhi) != SL_OK ||
         expr_apply_affinity(e->cmp_aff[1], &v[2], cx, &t[3], &hi) != SL_OK))
        return SL_NOMEM;
    return expr_between(xlo, lo, xhi, hi, e->negated, cx, out);
}

static sl_status eval_special(const struct sl_expr *e, struct sl_chunk *in,
                              const struct expr_ctx *cx, struct sl_vector *out,
                              struct sl_error *err)
{
    struct sl_vector *v = NULL;
    sl_status st = eval_args(e, in, &v, err);
    if (st != SL_OK)
        return st;
    if (e->cmp_aff && e->kind == EXPR_IN) {
        /* The left operand's affinity applies to it and to every item. */
        for (uint32_t a = 0; a < e->nargs; a++) {
            const struct sl_vector *c = NULL;
            struct sl_vector tmp;
            if (expr_apply_affinity(e->cmp_aff[0], &v[a], cx, &tmp, &c) != SL_OK)
                return nomem(err);
            v[a] = *c;
        }
    }
    switch (e->kind) {
    case EXPR_IN: st = expr_in(&v[0], v + 1, e->nargs - 1, e->negated, cx, out); break;
    case EXPR_BETWEEN: st = eval_between(e, v, cx, out); break;
    case EXPR_LIKE:
        st = expr_like(e->op, &v[0], &v[1], e->nargs > 2 ? &v[2] : NULL, e->negated, cx, out);
        break;
    default: st = expr_cast(e->cast_to, &v[0], cx, out); break;
    }
    return st == SL_OK ? SL_OK : nomem(err);
}

sl_status expr_eval(const struct sl_expr *e, struct sl_chunk *in, struct sl_vector *out,
                    struct sl_error *err)
{
    struct expr_ctx cx = {in->arena, rowsel_of(in), chunk_active(in)};
    sl_status st = SL_OK;
    switch (e->kind) {
    case EXPR_CONST: st = eval_const(e, &cx, out); break;
    case EXPR_COLUMN: st = eval_column(e, in, &cx, out); break;
    case EXPR_UNARY: return eval_unary(e, in, &cx, out, err);
    case EXPR_BINARY: return eval_binary(e, in, &cx, out, err);
    case EXPR_CALL: return eval_call(e, in, out, err);
    case EXPR_IN:
    case EXPR_BETWEEN:
    case EXPR_LIKE:
    case EXPR_CAST: return eval_special(e, in, &cx, out, err);
    case EXPR_CASE: return expr_eval_case(e, in, out, err);
    }
    return st == SL_OK ? SL_OK : nomem(err);
}
