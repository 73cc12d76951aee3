/*
 * expr_affinity.c — SQLite's comparison affinity (datatype3.html §4.2):
 * which affinity a comparison applies, and applying it to an operand vector
 * before the comparison kernels run, so the kernels themselves compare
 * values as they are. See enum sl_affinity in expr.h.
 */
#include "engine/expr/expr.h"
#include "engine/expr/expr_kernels.h"

#include "common/time.h"
#include "engine/values/sqlval.h"

enum sl_affinity expr_type_affinity(enum sl_type t)
{
    switch (t) {
    case SL_BOOL:
    case SL_INT:
    case SL_REAL: return SL_AFF_NUMERIC;
    case SL_TEXT: return SL_AFF_TEXT;
    case SL_TIMESTAMP: return SL_AFF_TIMESTAMP;
    case SL_NULL:
    case SL_ARRAY:
    case SL_ANY: break;
    }
    return SL_AFF_NONE;
}

enum sl_affinity expr_compare_affinity(enum sl_affinity l, enum sl_affinity r)
{
    /* A timestamp against a number compares numbers; against text it reads the text. */
    if (l == SL_AFF_NUMERIC || r == SL_AFF_NUMERIC)
        return SL_AFF_NUMERIC;
    if (l == SL_AFF_TIMESTAMP || r == SL_AFF_TIMESTAMP)
        return SL_AFF_TIMESTAMP;
    if (l == SL_AFF_TEXT || r == SL_AFF_TEXT)
        return SL_AFF_TEXT;
    return SL_AFF_NONE;
}

bool expr_affinity_converts(enum sl_affinity aff, enum sl_type t)
{
    switch (aff) {
    case SL_AFF_NUMERIC:
    case SL_AFF_TIMESTAMP: return t == SL_TEXT || t == SL_ANY;
    case SL_AFF_TEXT: return t != SL_TEXT && t != SL_NULL && t != SL_ARRAY;
    case SL_AFF_NONE: break;
    }
    return false;
}

sl_status expr_apply_affinity(enum sl_affinity aff, const struct sl_vector *v,
                              const struct expr_ctx *cx, struct sl_vector *tmp,
                              const struct sl_vector **out)
{
    *out = v;
    if (!expr_affinity_converts(aff, v->type))
        return SL_OK;
    if (vector_init(cx->arena, aff == SL_AFF_TEXT ? SL_TEXT : SL_ANY, tmp) != SL_OK)
        return SL_NOMEM;
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        struct sl_value x = vector_get(v, i), y = x;
        if (x.type == SL_TEXT && aff == SL_AFF_NUMERIC) {
            if (sqlval_text_number(x.u.s, cx->arena, &y) < 0)
                return SL_NOMEM;
        } else if (x.type == SL_TEXT && aff == SL_AFF_TIMESTAMP) {
            int64_t us;
            if (sl_ts_parse(x.u.s.ptr, x.u.s.len, &us)) {
                y.type = SL_TIMESTAMP;
                y.u.i = us;
            }
        } else if (x.type != SL_NULL && x.type != SL_TEXT && aff == SL_AFF_TEXT) {
            y.type = SL_TEXT;
            if (sqlval_text(x, cx->arena, &y.u.s) != SL_OK)
                return SL_NOMEM;
        }
        vector_set(tmp, i, y);
    }
    *out = tmp;
    return SL_OK;
}
