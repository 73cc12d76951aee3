/* expr_null.c — the null-aware comparisons: IS [NOT] NULL and IS [NOT] (null-safe equality,
 * also spelt IS [NOT] DISTINCT FROM). Both always give TRUE or FALSE, never NULL. */
#include "engine/expr/expr_kernels.h"

#include "engine/values/sqlval.h"

sl_status expr_isnull(bool notnull, const struct sl_vector *v, const struct expr_ctx *cx,
                      struct sl_vector *out)
{
    uint8_t *tri = arena_alloc(cx->arena, SL_CHUNK_CAP);
    if (!tri)
        return SL_NOMEM;
    if (v->type == SL_NULL) {
        for (uint32_t k = 0; k < cx->n; k++)
            tri[cx->rows[k]] = !notnull;
    } else if (v->type != SL_ANY) {
        for (uint32_t k = 0; k < cx->n; k++) {
            uint32_t i = cx->rows[k];
            tri[i] = (v->nulls[i] != 0) != notnull;
        }
    } else {
        /* An SL_ANY vector may also mark NULL in the value itself. */
        for (uint32_t k = 0; k < cx->n; k++) {
            uint32_t i = cx->rows[k];
            tri[i] = (vector_get(v, i).type == SL_NULL) != notnull;
        }
    }
    return expr_store_tri(tri, cx, out);
}

sl_status expr_is(bool negate, const struct sl_vector *l, const struct sl_vector *r,
                  const struct expr_ctx *cx, struct sl_vector *out)
{
    uint8_t *tri = arena_alloc(cx->arena, SL_CHUNK_CAP);
    if (!tri)
        return SL_NOMEM;
    if (expr_class_of(l->type) == EXPR_CLASS_INT && expr_class_of(r->type) == EXPR_CLASS_INT &&
        l->type != SL_BOOL && r->type != SL_BOOL) {
        const int64_t *a = l->data.i, *b = r->data.i;
        for (uint32_t k = 0; k < cx->n; k++) {
            uint32_t i = cx->rows[k];
            bool same = l->nulls[i] || r->nulls[i] ? l->nulls[i] == r->nulls[i] : a[i] == b[i];
            tri[i] = same != negate;
        }
        return expr_store_tri(tri, cx, out);
    }
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        struct sl_value a = vector_get(l, i), b = vector_get(r, i);
        bool same = a.type == SL_NULL || b.type == SL_NULL ? a.type == b.type
                                                            : sqlval_compare(a, b) == 0;
        tri[i] = same != negate;
    }
    return expr_store_tri(tri, cx, out);
}
