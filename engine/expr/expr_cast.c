/*
 * expr_cast.c — CAST(x AS type) with SQLite's conversions: to INTEGER a REAL
 * is truncated (clamped to int64) and TEXT gives its longest integer prefix
 * ('12abc' -> 12, '1e3' -> 1, 'x' -> 0); to REAL TEXT gives its longest
 * numeric prefix; to TEXT numbers take SQLite's text form. TIMESTAMP is a
 * Sluice extension: TEXT parsed as ISO-8601, anything else NULL. BOOLEAN and
 * TIMESTAMP values count as integers, as everywhere in sqlval.
 */
#include "engine/expr/expr_kernels.h"

#include "common/time.h"
#include "engine/values/sqlval.h"

static struct sl_value cast_value(enum sl_type to, struct sl_value v, struct sl_arena *arena,
                                  bool *nomem)
{
    struct sl_value r = sl_null();
    if (v.type == SL_NULL)
        return r;
    switch (to) {
    case SL_INT:
        r.type = SL_INT;
        if (v.type == SL_TEXT)
            r.u.i = sqlval_text_to_int(v.u.s);
        else if (v.type == SL_REAL)
            r.u.i = sqlval_real_to_int(v.u.r);
        else
            r.u.i = v.type == SL_BOOL ? v.u.b : v.u.i;
        return r;
    case SL_REAL: {
        struct sl_value n = sqlval_numeric(v);
        r.type = SL_REAL;
        r.u.r = n.type == SL_REAL ? n.u.r : (double)n.u.i;
        return r;
    }
    case SL_TEXT:
        r.type = SL_TEXT;
        if (sqlval_text(v, arena, &r.u.s) != SL_OK) {
            *nomem = true;
            return sl_null();
        }
        return r;
    case SL_TIMESTAMP:
        if (v.type == SL_TIMESTAMP)
            return v;
        if (v.type == SL_TEXT && sl_ts_parse(v.u.s.ptr, v.u.s.len, &r.u.i))
            r.type = SL_TIMESTAMP;
        return r;
    case SL_NULL:
    case SL_BOOL:
    case SL_ARRAY:
    case SL_ANY: break;
    }
    return r;
}

sl_status expr_cast(enum sl_type to, const struct sl_vector *v, const struct expr_ctx *cx,
                    struct sl_vector *out)
{
    if (v->type == to && out->type == to) {
        *out = *v;
        return SL_OK;
    }
    if (v->type == SL_INT && to == SL_REAL && out->type == SL_REAL) {
        for (uint32_t k = 0; k < cx->n; k++) {
            uint32_t i = cx->rows[k];
            out->nulls[i] = v->nulls[i];
            out->data.r[i] = (double)v->data.i[i];
        }
        return SL_OK;
    }
    if (v->type == SL_REAL && to == SL_INT && out->type == SL_INT) {
        for (uint32_t k = 0; k < cx->n; k++) {
            uint32_t i = cx->rows[k];
            out->nulls[i] = v->nulls[i];
            out->data.i[i] = v->nulls[i] ? 0 : sqlval_real_to_int(v->data.r[i]);
        }
        return SL_OK;
    }
    bool nomem = false;
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        struct sl_value r = cast_value(to, vector_get(v, i), cx->arena, &nomem);
        if (nomem || sqlval_store(out, i, r, cx->arena) != SL_OK)
            return SL_NOMEM;
    }
    return SL_OK;
}
