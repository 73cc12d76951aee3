/* expr_vec.c — typed views of operand vectors that let kernels run one tight loop per type. */
#include "engine/expr/expr_kernels.h"

#include "engine/values/sqlval.h"

const int64_t *expr_ints(const struct sl_vector *v, const struct expr_ctx *cx)
{
    if (v->type != SL_BOOL)
        return v->data.i;
    int64_t *out = arena_alloc(cx->arena, sizeof *out * SL_CHUNK_CAP);
    if (!out)
        return NULL;
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        out[i] = v->data.b[i];
    }
    return out;
}

const double *expr_reals(const struct sl_vector *v, const struct expr_ctx *cx)
{
    if (v->type == SL_REAL)
        return v->data.r;
    double *out = arena_alloc(cx->arena, sizeof *out * SL_CHUNK_CAP);
    if (!out)
        return NULL;
    if (v->type == SL_BOOL) {
        for (uint32_t k = 0; k < cx->n; k++) {
            uint32_t i = cx->rows[k];
            out[i] = v->data.b[i];
        }
    } else {
        for (uint32_t k = 0; k < cx->n; k++) {
            uint32_t i = cx->rows[k];
            out[i] = (double)v->data.i[i];
        }
    }
    return out;
}

bool expr_int_view(const struct sl_vector *v, const struct expr_ctx *cx, struct sl_vector *view)
{
    if (expr_class_of(v->type) == EXPR_CLASS_INT) {
        const int64_t *i = expr_ints(v, cx);
        if (!i)
            return false;
        *view = *v;
        view->type = SL_INT;
        view->data.i = (int64_t *)i;
        return true;
    }
    if (v->type != SL_ANY)
        return false;
    int64_t *vals = arena_alloc(cx->arena, sizeof *vals * SL_CHUNK_CAP);
    uint8_t *nulls = arena_alloc(cx->arena, SL_CHUNK_CAP);
    if (!vals || !nulls)
        return false;
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        struct sl_value x = vector_get(v, i);
        if (x.type == SL_INT)
            vals[i] = x.u.i;
        else if (x.type != SL_NULL)
            return false;
        nulls[i] = x.type == SL_NULL;
    }
    view->type = SL_INT;
    view->data.i = vals;
    view->nulls = nulls;
    return true;
}

void expr_truth(const struct sl_vector *v, const struct expr_ctx *cx, uint8_t *tri)
{
    const uint8_t *nulls = v->nulls;
    switch (v->type) {
    case SL_BOOL:
        for (uint32_t k = 0; k < cx->n; k++) {
            uint32_t i = cx->rows[k];
            tri[i] = nulls[i] ? 2 : v->data.b[i] != 0;
        }
        return;
    case SL_INT:
    case SL_TIMESTAMP:
        for (uint32_t k = 0; k < cx->n; k++) {
            uint32_t i = cx->rows[k];
            tri[i] = nulls[i] ? 2 : v->data.i[i] != 0;
        }
        return;
    case SL_REAL:
        for (uint32_t k = 0; k < cx->n; k++) {
            uint32_t i = cx->rows[k];
            tri[i] = nulls[i] ? 2 : v->data.r[i] != 0.0;
        }
        return;
    default:
        for (uint32_t k = 0; k < cx->n; k++) {
            uint32_t i = cx->rows[k];
            int t = sqlval_truth(vector_get(v, i));
            tri[i] = t < 0 ? 2 : (uint8_t)t;
        }
        return;
    }
}
