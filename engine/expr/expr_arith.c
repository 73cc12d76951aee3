/*
 * expr_arith.c — + - * / % and unary minus. INT + - * / INT is typed SL_ANY
 * (expr_binary_type): the INT kernel computes it with an overflow check per
 * row and tags each row INT, or REAL (SQLite's result) where it overflowed;
 * only a division by zero or an overflow takes sqlval_arith's per-row path.
 */
#include "engine/expr/expr_kernels.h"

#include <math.h>

#include "engine/values/sqlval.h"

static sl_status arith_int(enum ast_op op, const struct sl_vector *l, const struct sl_vector *r,
                           const struct expr_ctx *cx, struct sl_vector *out)
{
    const int64_t *a = expr_ints(l, cx), *b = expr_ints(r, cx);
    if (!a || !b)
        return SL_NOMEM;
    const uint8_t *an = l->nulls, *bn = r->nulls;
    int64_t *o = out->data.i;
    uint8_t *on = out->nulls;
    const uint32_t *rows = cx->rows;
    uint32_t n = cx->n;
    switch (op) {
    case AST_OP_ADD:
        for (uint32_t k = 0; k < n; k++) {
            uint32_t i = rows[k];
            on[i] = an[i] | bn[i] | __builtin_add_overflow(a[i], b[i], &o[i]);
        }
        break;
    case AST_OP_SUB:
        for (uint32_t k = 0; k < n; k++) {
            uint32_t i = rows[k];
            on[i] = an[i] | bn[i] | __builtin_sub_overflow(a[i], b[i], &o[i]);
        }
        break;
    case AST_OP_MUL:
        for (uint32_t k = 0; k < n; k++) {
            uint32_t i = rows[k];
            on[i] = an[i] | bn[i] | __builtin_mul_overflow(a[i], b[i], &o[i]);
        }
        break;
    case AST_OP_DIV:
        for (uint32_t k = 0; k < n; k++) {
            uint32_t i = rows[k];
            /* NULL rows hold garbage: divide them by 1 rather than trap. */
            bool bad = an[i] | bn[i] | (b[i] == 0) | (a[i] == INT64_MIN && b[i] == -1);
            on[i] = bad;
            o[i] = (bad ? 0 : a[i]) / (bad ? 1 : b[i]);
        }
        break;
    case AST_OP_MOD:
        for (uint32_t k = 0; k < n; k++) {
            uint32_t i = rows[k];
            bool bad = an[i] | bn[i] | (b[i] == 0);
            on[i] = bad;
            /* x % -1 is 0, and computing it would trap on INT64_MIN. */
            o[i] = (bad ? 0 : a[i]) % (bad || b[i] == -1 ? 1 : b[i]);
        }
        break;
    default: break;
    }
    return SL_OK;
}

/* INT + - * / INT into an SL_ANY vector: the integer result, or SQLite's
 * REAL where the integer one leaves int64. */
static sl_status arith_int_any(enum ast_op op, const struct sl_vector *l,
                               const struct sl_vector *r, const struct expr_ctx *cx,
                               struct sl_vector *out)
{
    const int64_t *a = expr_ints(l, cx), *b = expr_ints(r, cx);
    if (!a || !b)
        return SL_NOMEM;
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        struct sl_value v = {.type = SL_INT};
        bool wide;
        out->nulls[i] = l->nulls[i] | r->nulls[i];
        if (out->nulls[i]) {
            out->data.v[i] = sl_null();
            continue;
        }
        switch (op) {
        case AST_OP_ADD: wide = __builtin_add_overflow(a[i], b[i], &v.u.i); break;
        case AST_OP_SUB: wide = __builtin_sub_overflow(a[i], b[i], &v.u.i); break;
        case AST_OP_MUL: wide = __builtin_mul_overflow(a[i], b[i], &v.u.i); break;
        /* By zero (NULL) and INT64_MIN / -1 (REAL) go to sqlval_arith below. */
        case AST_OP_DIV:
            wide = b[i] == 0 || (a[i] == INT64_MIN && b[i] == -1);
            v.u.i = wide ? 0 : a[i] / b[i];
            break;
        case AST_OP_MOD:
            wide = b[i] == 0;
            v.u.i = wide || b[i] == -1 ? 0 : a[i] % b[i];
            break;
        default: wide = true; break;
        }
        if (wide) {
            struct sl_value x = {.type = SL_INT, .u.i = a[i]}, y = {.type = SL_INT, .u.i = b[i]};
            v = sqlval_arith(op, x, y);
            out->nulls[i] = v.type == SL_NULL;
        }
        out->data.v[i] = v;
    }
    return SL_OK;
}

static sl_status arith_real(enum ast_op op, const struct sl_vector *l, const struct sl_vector *r,
                            const struct expr_ctx *cx, struct sl_vector *out)
{
    const double *a = expr_reals(l, cx), *b = expr_reals(r, cx);
    if (!a || !b)
        return SL_NOMEM;
    const uint8_t *an = l->nulls, *bn = r->nulls;
    double *o = out->data.r;
    uint8_t *on = out->nulls;
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        double x = a[i], y = b[i], z;
        bool bad = an[i] | bn[i];
        switch (op) {
        case AST_OP_ADD: z = x + y; break;
        case AST_OP_SUB: z = x - y; break;
        case AST_OP_MUL: z = x * y; break;
        default: /* AST_OP_DIV: % takes the per-row path (expr_arith) */
            bad |= y == 0.0;
            z = bad ? 0.0 : x / y;
            break;
        }
        on[i] = bad | isnan(z);
        o[i] = z;
    }
    return SL_OK;
}

static sl_status arith_generic(enum ast_op op, const struct sl_vector *l, const struct sl_vector *r,
                               const struct expr_ctx *cx, struct sl_vector *out)
{
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        struct sl_value v = sqlval_arith(op, vector_get(l, i), vector_get(r, i));
        if (sqlval_store(out, i, v, cx->arena) != SL_OK)
            return SL_NOMEM;
    }
    return SL_OK;
}

sl_status expr_arith(enum ast_op op, const struct sl_vector *l, const struct sl_vector *r,
                     const struct expr_ctx *cx, struct sl_vector *out)
{
    enum expr_class lc = expr_class_of(l->type), rc = expr_class_of(r->type);
    bool lnum = lc == EXPR_CLASS_INT || lc == EXPR_CLASS_REAL;
    bool rnum = rc == EXPR_CLASS_INT || rc == EXPR_CLASS_REAL;
    if (lc == EXPR_CLASS_INT && rc == EXPR_CLASS_INT &&
        (out->type == SL_INT || out->type == SL_TIMESTAMP))
        return arith_int(op, l, r, cx, out);
    struct sl_vector li, ri;
    if (out->type == SL_ANY && (lc == EXPR_CLASS_INT || l->type == SL_ANY) &&
        (rc == EXPR_CLASS_INT || r->type == SL_ANY) && expr_int_view(l, cx, &li) &&
        expr_int_view(r, cx, &ri))
        return arith_int_any(op, &li, &ri, cx, out);
    /* % reads an INT operand exactly, not through a double: the per-row path. */
    if (lnum && rnum && (lc == EXPR_CLASS_REAL || rc == EXPR_CLASS_REAL) && out->type == SL_REAL &&
        op != AST_OP_MOD)
        return arith_real(op, l, r, cx, out);
    return arith_generic(op, l, r, cx, out);
}

sl_status expr_negate(const struct sl_vector *v, const struct expr_ctx *cx, struct sl_vector *out)
{
    enum expr_class c = expr_class_of(v->type);
    if (c == EXPR_CLASS_INT && out->type == SL_INT) {
        const int64_t *a = expr_ints(v, cx);
        if (!a)
            return SL_NOMEM;
        for (uint32_t k = 0; k < cx->n; k++) {
            uint32_t i = cx->rows[k];
            out->nulls[i] = v->nulls[i] | __builtin_sub_overflow((int64_t)0, a[i], &out->data.i[i]);
        }
        return SL_OK;
    }
    if (c == EXPR_CLASS_REAL && out->type == SL_REAL) {
        for (uint32_t k = 0; k < cx->n; k++) {
            uint32_t i = cx->rows[k];
            out->nulls[i] = v->nulls[i];
            out->data.r[i] = -v->data.r[i];
        }
        return SL_OK;
    }
    struct sl_value zero = {.type = SL_INT, .u.i = 0};
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        struct sl_value x = sqlval_numeric(vector_get(v, i));
        struct sl_value y = x;
        if (x.type == SL_REAL)
            y.u.r = -x.u.r;
        else if (x.type == SL_INT)
            y = sqlval_arith(AST_OP_SUB, zero, x);
        if (sqlval_store(out, i, y, cx->arena) != SL_OK)
            return SL_NOMEM;
    }
    return SL_OK;
}
