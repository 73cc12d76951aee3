/*
 * expr_cmp.c — comparisons and three-valued logic. A comparison first
 * computes c in {-1, 0, 1}, then reads the result from a 3-bit mask per
 * operator, so one loop serves all six operators without a branch.
 */
#include "engine/expr/expr_kernels.h"

#include <string.h>

#include "engine/values/sqlval.h"

/* Bit c+1 of the mask is the result for comparison outcome c. */
static uint8_t cmp_mask(enum ast_op op)
{
    switch (op) {
    case AST_OP_EQ: return 2;
    case AST_OP_NE: return 5;
    case AST_OP_LT: return 1;
    case AST_OP_LE: return 3;
    case AST_OP_GT: return 4;
    case AST_OP_GE: return 6;
    default: return 0;
    }
}

static inline int cmp_text(struct sl_str a, struct sl_str b)
{
    uint32_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c)
        return c < 0 ? -1 : 1;
    return (a.len > b.len) - (a.len < b.len);
}

static sl_status compare_typed(uint8_t mask, const struct sl_vector *l, const struct sl_vector *r,
                               const struct expr_ctx *cx, struct sl_vector *out)
{
    enum expr_class lc = expr_class_of(l->type), rc = expr_class_of(r->type);
    const uint8_t *an = l->nulls, *bn = r->nulls;
    uint8_t *o = out->data.b, *on = out->nulls;
    const uint32_t *rows = cx->rows;
    uint32_t n = cx->n;
    if (lc == EXPR_CLASS_INT && rc == EXPR_CLASS_INT) {
        const int64_t *a = expr_ints(l, cx), *b = expr_ints(r, cx);
        if (!a || !b)
            return SL_NOMEM;
        for (uint32_t k = 0; k < n; k++) {
            uint32_t i = rows[k];
            int c = (a[i] > b[i]) - (a[i] < b[i]);
            on[i] = an[i] | bn[i];
            o[i] = (mask >> (c + 1)) & 1;
        }
    } else if (lc == EXPR_CLASS_REAL && rc == EXPR_CLASS_REAL) {
        const double *a = l->data.r, *b = r->data.r;
        for (uint32_t k = 0; k < n; k++) {
            uint32_t i = rows[k];
            int c = (a[i] > b[i]) - (a[i] < b[i]);
            on[i] = an[i] | bn[i];
            o[i] = (mask >> (c + 1)) & 1;
        }
    } else if (lc == EXPR_CLASS_INT || rc == EXPR_CLASS_INT) {
        /* INT against REAL, compared exactly (no rounding of big integers). */
        bool int_left = lc == EXPR_CLASS_INT;
        const int64_t *a = expr_ints(int_left ? l : r, cx);
        const double *b = int_left ? r->data.r : l->data.r;
        if (!a)
            return SL_NOMEM;
        for (uint32_t k = 0; k < n; k++) {
            uint32_t i = rows[k];
            int c = sqlval_cmp_int_real(a[i], b[i]);
            on[i] = an[i] | bn[i];
            o[i] = (mask >> ((int_left ? c : -c) + 1)) & 1;
        }
    } else {
        const struct sl_str *a = l->data.s, *b = r->data.s;
        for (uint32_t k = 0; k < n; k++) {
            uint32_t i = rows[k];
            on[i] = an[i] | bn[i];
            /* NULL rows hold garbage pointers: never read them. */
            if (!on[i])
                o[i] = (mask >> (cmp_text(a[i], b[i]) + 1)) & 1;
        }
    }
    return SL_OK;
}

sl_status expr_compare(enum ast_op op, const struct sl_vector *l, const struct sl_vector *r,
                       const struct expr_ctx *cx, struct sl_vector *out)
{
    uint8_t mask = cmp_mask(op);
    enum expr_class lc = expr_class_of(l->type), rc = expr_class_of(r->type);
    bool lnum = lc == EXPR_CLASS_INT || lc == EXPR_CLASS_REAL;
    bool rnum = rc == EXPR_CLASS_INT || rc == EXPR_CLASS_REAL;
    bool typed = (lnum && rnum) || (lc == EXPR_CLASS_TEXT && rc == EXPR_CLASS_TEXT);
    if (typed && out->type == SL_BOOL)
        return compare_typed(mask, l, r, cx, out);
    struct sl_vector li, ri;
    bool lint = lc == EXPR_CLASS_INT || l->type == SL_ANY;
    bool rint = rc == EXPR_CLASS_INT || r->type == SL_ANY;
    /* An SL_ANY operand (INT arithmetic's result) whose rows are all integers. */
    if ((l->type == SL_ANY || r->type == SL_ANY) && out->type == SL_BOOL && lint && rint &&
        expr_int_view(l, cx, &li) && expr_int_view(r, cx, &ri))
        return compare_typed(mask, &li, &ri, cx, out);
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        struct sl_value a = vector_get(l, i), b = vector_get(r, i), v = sl_null();
        if (a.type != SL_NULL && b.type != SL_NULL) {
            v.type = SL_BOOL;
            v.u.b = (mask >> (sqlval_compare(a, b) + 1)) & 1;
        }
        if (sqlval_store(out, i, v, cx->arena) != SL_OK)
            return SL_NOMEM;
    }
    return SL_OK;
}

/* Three-valued results indexed by 3 * left + right (0 false, 1 true, 2 NULL). */
static const uint8_t and_table[9] = {0, 0, 0, 0, 1, 2, 0, 2, 2};
static const uint8_t or_table[9] = {0, 1, 2, 1, 1, 1, 2, 1, 2};

sl_status expr_store_tri(const uint8_t *tri, const struct expr_ctx *cx, struct sl_vector *out)
{
    if (out->type == SL_BOOL) {
        for (uint32_t k = 0; k < cx->n; k++) {
            uint32_t i = cx->rows[k];
            out->data.b[i] = tri[i] == 1;
            out->nulls[i] = tri[i] == 2;
        }
        return SL_OK;
    }
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        struct sl_value v = {.type = tri[i] == 2 ? SL_NULL : SL_BOOL, .u.b = tri[i] == 1};
        if (sqlval_store(out, i, v, cx->arena) != SL_OK)
            return SL_NOMEM;
    }
    return SL_OK;
}

sl_status expr_logic(enum ast_op op, const struct sl_vector *l, const struct sl_vector *r,
                     const struct expr_ctx *cx, struct sl_vector *out)
{
    uint8_t *a = arena_alloc(cx->arena, 2 * SL_CHUNK_CAP);
    if (!a)
        return SL_NOMEM;
    uint8_t *b = a + SL_CHUNK_CAP;
    expr_truth(l, cx, a);
    expr_truth(r, cx, b);
    const uint8_t *table = op == AST_OP_AND ? and_table : or_table;
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        a[i] = table[3 * a[i] + b[i]];
    }
    return expr_store_tri(a, cx, out);
}

sl_status expr_not(const struct sl_vector *v, const struct expr_ctx *cx, struct sl_vector *out)
{
    uint8_t *t = arena_alloc(cx->arena, SL_CHUNK_CAP);
    if (!t)
        return SL_NOMEM;
    expr_truth(v, cx, t);
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        t[i] = t[i] == 2 ? 2 : !t[i];
    }
    return expr_store_tri(t, cx, out);
}
