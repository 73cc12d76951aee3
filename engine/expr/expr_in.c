/* expr_in.c — x [NOT] IN (list) and x [NOT] BETWEEN lo AND hi, with SQLite's NULL rules:
 * 1 IN (2, NULL) is NULL (the NULL item might have been 1), 1 IN (1, NULL) is TRUE. */
#include "engine/expr/expr_kernels.h"

#include "engine/values/sqlval.h"

/* Three-valued IN of row i; the typed path covers the usual INT-column-in-INT-list case. */
static uint8_t in_row(const struct sl_vector *x, const struct sl_vector *list, uint32_t n, uint32_t i)
{
    bool saw_null = false;
    if (x->type == SL_INT && !x->nulls[i]) {
        int64_t xi = x->data.i[i];
        for (uint32_t j = 0; j < n; j++) {
            const struct sl_vector *l = &list[j];
            if (l->type == SL_INT && !l->nulls[i]) {
                if (l->data.i[i] == xi)
                    return 1;
                continue;
            }
            struct sl_value v = vector_get(l, i);
            if (v.type == SL_NULL)
                saw_null = true;
            else if (sqlval_compare(vector_get(x, i), v) == 0)
                return 1;
        }
        return saw_null ? 2 : 0;
    }
    struct sl_value xv = vector_get(x, i);
    if (xv.type == SL_NULL)
        return 2;
    for (uint32_t j = 0; j < n; j++) {
        struct sl_value v = vector_get(&list[j], i);
        if (v.type == SL_NULL)
            saw_null = true;
        else if (sqlval_compare(xv, v) == 0)
            return 1;
    }
    return saw_null ? 2 : 0;
}

sl_status expr_in(const struct sl_vector *x, const struct sl_vector *list, uint32_t n, bool negated,
                  const struct expr_ctx *cx, struct sl_vector *out)
{
    uint8_t *tri = arena_alloc(cx->arena, SL_CHUNK_CAP);
    if (!tri)
        return SL_NOMEM;
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        /* x IN () is FALSE even for a NULL x: nothing could match. */
        uint8_t t = n ? in_row(x, list, n, i) : 0;
        tri[i] = negated && t != 2 ? !t : t;
    }
    return expr_store_tri(tri, cx, out);
}

sl_status expr_between(const struct sl_vector *xlo, const struct sl_vector *lo,
                       const struct sl_vector *xhi, const struct sl_vector *hi, bool negated,
                       const struct expr_ctx *cx, struct sl_vector *out)
{
    struct sl_vector a, b;
    if (vector_init(cx->arena, SL_BOOL, &a) != SL_OK || vector_init(cx->arena, SL_BOOL, &b) != SL_OK)
        return SL_NOMEM;
    /* NOT BETWEEN is the De Morgan form, so NULLs come out as SQLite's do. */
    sl_status st = expr_compare(negated ? AST_OP_LT : AST_OP_GE, xlo, lo, cx, &a);
    if (st == SL_OK)
        st = expr_compare(negated ? AST_OP_GT : AST_OP_LE, xhi, hi, cx, &b);
    if (st == SL_OK)
        st = expr_logic(negated ? AST_OP_OR : AST_OP_AND, &a, &b, cx, out);
    return st;
}
