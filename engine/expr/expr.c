/*
 * expr.c — evaluation of bound expression trees over a chunk: constants
 * are broadcast, columns are aliased (no copy), operators evaluate their
 * operands into temporary vectors in the chunk's arena and run one kernel
 * (expr_kernels.h) over the active rows. Also the operators' static typing
 * rules for the binder and the EXPLAIN rendering.
 */
#include "engine/expr/expr.h"

#include <ctype.h>
#include <string.h>

#include "common/buf.h"
#include "common/time.h"
#include "engine/expr/expr_kernels.h"
#include "engine/functions/function.h"
#include "engine/values/rowsel.h"
#include "engine/values/sqlval.h"

static bool is_arith(enum ast_op op)
{
    return op == AST_OP_ADD || op == AST_OP_SUB || op == AST_OP_MUL || op == AST_OP_DIV ||
           op == AST_OP_MOD;
}

static bool is_compare(enum ast_op op)
{
    return op >= AST_OP_EQ && op <= AST_OP_GE;
}

static bool is_bits(enum ast_op op)
{
    return op == AST_OP_BITAND || op == AST_OP_BITOR || op == AST_OP_LSHIFT || op == AST_OP_RSHIFT;
}

static bool int_like(enum sl_type t)
{
    return t == SL_INT || t == SL_BOOL;
}

/* TIMESTAMP + - an integer. An SL_ANY operand counts as one, since INT
 * arithmetic (ts + 60 * i) is SL_ANY; a row where it is not an integral
 * number gives NULL. */
static bool timestamp_arith(enum ast_op op, enum sl_type l, enum sl_type r, enum sl_type *out)
{
    if (l == SL_ANY)
        l = SL_INT;
    if (r == SL_ANY)
        r = SL_INT;
    if (op == AST_OP_ADD &&
        ((l == SL_TIMESTAMP && int_like(r)) || (int_like(l) && r == SL_TIMESTAMP)))
        *out = SL_TIMESTAMP;
    else if (op == AST_OP_SUB && l == SL_TIMESTAMP && int_like(r))
        *out = SL_TIMESTAMP;
    else if (op == AST_OP_SUB && l == SL_TIMESTAMP && r == SL_TIMESTAMP)
        *out = SL_INT;
    else
        return false;
    return true;
}

bool expr_binary_type(enum ast_op op, enum sl_type l, enum sl_type r, enum sl_type *out)
{
    if (l == SL_ARRAY || r == SL_ARRAY)
        return false;
    if (op == AST_OP_AND || op == AST_OP_OR || is_compare(op) || op == AST_OP_IS ||
        op == AST_OP_ISNOT) {
        *out = SL_BOOL;
        return true;
    }
    if (op == AST_OP_CONCAT) {
        *out = l == SL_NULL || r == SL_NULL ? SL_NULL : SL_TEXT;
        return true;
    }
    if (is_bits(op)) {
        /* Sluice gives a TIMESTAMP no integer meaning outside + and -. */
        if (l == SL_TIMESTAMP || r == SL_TIMESTAMP)
            return false;
        *out = l == SL_NULL || r == SL_NULL ? SL_NULL : SL_INT;
        return true;
    }
    if (!is_arith(op))
        return false;
    if (l == SL_NULL || r == SL_NULL)
        *out = SL_NULL;
    else if (l == SL_TIMESTAMP || r == SL_TIMESTAMP)
        return timestamp_arith(op, l, r, out);
    else if (l == SL_TEXT || r == SL_TEXT || l == SL_ANY || r == SL_ANY)
        *out = SL_ANY;
    else if (int_like(l) && int_like(r))
        /* An INT operand can take + - * / out of int64, where SQLite gives
         * a REAL for that row (expr.h explains the choice). */
        *out = op == AST_OP_MOD || (l == SL_BOOL && r == SL_BOOL) ? SL_INT : SL_ANY;
    else
        *out = SL_REAL;
    return true;
}

bool expr_unary_type(enum ast_op op, enum sl_type t, enum sl_type *out)
{
    if (t == SL_ARRAY)
        return false;
    switch (op) {
    case AST_OP_NOT:
    case AST_OP_ISNULL:
    case AST_OP_NOTNULL: *out = SL_BOOL; return true;
    case AST_OP_PLUS: *out = t; return true;
    case AST_OP_BITNOT:
        if (t == SL_TIMESTAMP)
            return false;
        *out = t == SL_NULL ? SL_NULL : SL_INT;
        return true;
    case AST_OP_NEG:
        if (t == SL_TIMESTAMP)
            return false;
        /* -INT64_MIN is a REAL in SQLite, so -INT varies per row. */
        *out = t == SL_BOOL ? SL_INT : t == SL_TEXT || t == SL_INT ? SL_ANY : t;
        return true;
    default: return false;
    }
}

bool expr_cast_target(const char *name, enum sl_type *out)
{
    enum sl_type t;
    if (!sl_type_from_name(name, strlen(name), &t))
        return false;
    *out = t == SL_BOOL ? SL_INT : t;
    return true;
}

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

static sl_status eval_call(const struct sl_expr *e, struct sl_chunk *in, struct sl_vector *out,
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
    return e->fn->eval(args, (int)e->nargs, in, out, err);
}

/* The operands of IN, BETWEEN, LIKE and CAST, evaluated over the active rows. */
static sl_status eval_args(const struct sl_expr *e, struct sl_chunk *in, struct sl_vector **vals,
                           struct sl_error *err)
{
    struct sl_vector *args = arena_alloc(in->arena, sizeof *args * e->nargs);
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

static void render_const(struct sl_value v, struct sl_buf *out)
{
    char num[SQLVAL_NUM_TEXT_MAX];
    switch (v.type) {
    case SL_NULL: buf_puts(out, "NULL"); return;
    case SL_BOOL: buf_puts(out, v.u.b ? "TRUE" : "FALSE"); return;
    case SL_INT: buf_append(out, num, sqlval_format_int(v.u.i, num)); return;
    case SL_REAL: buf_append(out, num, sqlval_format_real(v.u.r, num)); return;
    case SL_TIMESTAMP: {
        char ts[32];
        sl_ts_format(v.u.i, ts);
        buf_printf(out, "TIMESTAMP '%s'", ts);
        return;
    }
    case SL_TEXT:
        buf_putc(out, '\'');
        for (uint32_t i = 0; i < v.u.s.len; i++) {
            if (v.u.s.ptr[i] == '\'')
                buf_putc(out, '\'');
            buf_putc(out, v.u.s.ptr[i]);
        }
        buf_putc(out, '\'');
        return;
    case SL_ARRAY:
    case SL_ANY: buf_puts(out, "?"); return;
    }
}

static void render_special(const struct sl_expr *e, const char *const *names, struct sl_buf *out)
{
    const char *no = e->negated ? "NOT " : "";
    switch (e->kind) {
    case EXPR_IN:
        buf_putc(out, '(');
        expr_render(e->args[0], names, out);
        buf_printf(out, " %sIN (", no);
        for (uint32_t a = 1; a < e->nargs; a++) {
            if (a > 1)
                buf_puts(out, ", ");
            expr_render(e->args[a], names, out);
        }
        buf_puts(out, "))");
        return;
    case EXPR_BETWEEN:
        buf_putc(out, '(');
        expr_render(e->args[0], names, out);
        buf_printf(out, " %sBETWEEN ", no);
        expr_render(e->args[1], names, out);
        buf_puts(out, " AND ");
        expr_render(e->args[2], names, out);
        buf_putc(out, ')');
        return;
    case EXPR_LIKE:
        buf_putc(out, '(');
        expr_render(e->args[0], names, out);
        buf_printf(out, " %s%s ", no, ast_op_text(e->op));
        expr_render(e->args[1], names, out);
        if (e->nargs > 2) {
            buf_puts(out, " ESCAPE ");
            expr_render(e->args[2], names, out);
        }
        buf_putc(out, ')');
        return;
    case EXPR_CASE: {
        uint32_t a = 0, last = e->nargs - (e->has_else ? 1 : 0);
        buf_puts(out, "CASE");
        if (e->has_base) {
            buf_putc(out, ' ');
            expr_render(e->args[a++], names, out);
        }
        for (; a + 1 < last; a += 2) {
            buf_puts(out, " WHEN ");
            expr_render(e->args[a], names, out);
            buf_puts(out, " THEN ");
            expr_render(e->args[a + 1], names, out);
        }
        if (e->has_else) {
            buf_puts(out, " ELSE ");
            expr_render(e->args[e->nargs - 1], names, out);
        }
        buf_puts(out, " END");
        return;
    }
    default:
        buf_puts(out, "CAST(");
        expr_render(e->args[0], names, out);
        buf_printf(out, " AS %s)", sl_type_name(e->cast_to));
        return;
    }
}

void expr_render(const struct sl_expr *e, const char *const *column_names, struct sl_buf *out)
{
    switch (e->kind) {
    case EXPR_CONST: render_const(e->value, out); return;
    case EXPR_COLUMN:
        if (column_names)
            buf_puts(out, column_names[e->column]);
        else
            buf_printf(out, "#%u", e->column);
        return;
    case EXPR_UNARY:
        if (e->op == AST_OP_ISNULL || e->op == AST_OP_NOTNULL) {
            buf_putc(out, '(');
            expr_render(e->args[0], column_names, out);
            buf_printf(out, " %s)", ast_op_text(e->op));
            return;
        }
        buf_puts(out, ast_op_text(e->op));
        if (e->op == AST_OP_NOT)
            buf_putc(out, ' ');
        expr_render(e->args[0], column_names, out);
        return;
    case EXPR_BINARY:
        buf_putc(out, '(');
        expr_render(e->args[0], column_names, out);
        buf_printf(out, " %s ", ast_op_text(e->op));
        expr_render(e->args[1], column_names, out);
        buf_putc(out, ')');
        return;
    case EXPR_CALL:
        /* An operator's function ("->") reads as the operator it is. */
        if (!isalpha((unsigned char)e->fn->name[0]) && e->nargs == 2) {
            buf_putc(out, '(');
            expr_render(e->args[0], column_names, out);
            buf_printf(out, " %s ", e->fn->name);
            expr_render(e->args[1], column_names, out);
            buf_putc(out, ')');
            return;
        }
        buf_puts(out, e->fn->name);
        buf_putc(out, '(');
        for (uint32_t a = 0; a < e->nargs; a++) {
            if (a)
                buf_puts(out, ", ");
            expr_render(e->args[a], column_names, out);
        }
        buf_putc(out, ')');
        return;
    case EXPR_IN:
    case EXPR_BETWEEN:
    case EXPR_LIKE:
    case EXPR_CASE:
    case EXPR_CAST: render_special(e, column_names, out); return;
    }
}
