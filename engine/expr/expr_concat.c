/* expr_concat.c — `||`: the text forms of both operands, joined into one arena allocation per
 * chunk. */
#include "engine/expr/expr_kernels.h"

#include <string.h>

#include "engine/values/sqlval.h"

/* Text of every active non-NULL row: the vector itself for TEXT, else rendered. */
static const struct sl_str *texts_of(const struct sl_vector *v, const struct expr_ctx *cx)
{
    if (v->type == SL_TEXT)
        return v->data.s;
    struct sl_str *out = arena_alloc(cx->arena, sizeof *out * SL_CHUNK_CAP);
    if (!out)
        return NULL;
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        struct sl_value x = vector_get(v, i);
        if (x.type != SL_NULL && sqlval_text(x, cx->arena, &out[i]) != SL_OK)
            return NULL;
    }
    return out;
}

/* NULL rows of v (an SL_ANY vector marks them in its values too). */
static inline bool is_null(const struct sl_vector *v, uint32_t i)
{
    return v->nulls[i] || (v->type == SL_ANY && v->data.v[i].type == SL_NULL) || v->type == SL_NULL;
}

sl_status expr_concat(const struct sl_vector *l, const struct sl_vector *r,
                      const struct expr_ctx *cx, struct sl_vector *out)
{
    const struct sl_str *a = texts_of(l, cx), *b = texts_of(r, cx);
    if (!a || !b)
        return SL_NOMEM;
    size_t total = 0;
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        if (!is_null(l, i) && !is_null(r, i))
            total += (size_t)a[i].len + b[i].len;
    }
    char *p = arena_alloc(cx->arena, total ? total : 1);
    if (!p)
        return SL_NOMEM;
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        struct sl_value v = sl_null();
        if (!is_null(l, i) && !is_null(r, i)) {
            if (a[i].len)
                memcpy(p, a[i].ptr, a[i].len);
            if (b[i].len)
                memcpy(p + a[i].len, b[i].ptr, b[i].len);
            v.type = SL_TEXT;
            v.u.s.ptr = p;
            v.u.s.len = a[i].len + b[i].len;
            p += v.u.s.len;
        }
        if (out->type == SL_TEXT) {
            out->nulls[i] = v.type == SL_NULL;
            out->data.s[i] = v.u.s;
        } else if (sqlval_store(out, i, v, cx->arena) != SL_OK) {
            return SL_NOMEM;
        }
    }
    return SL_OK;
}
