/*
 * agg_minmax.c — MIN and MAX: NULLs are ignored, no value gives NULL,
 * values of different storage classes order as SQLite orders them. A TEXT
 * extreme is copied into the aggregate's long-lived arena each time it is
 * replaced (superseded copies stay there until the state is dropped).
 * Encoding: the extreme as a value (agg_codec.h), NULL before any.
 */
#include <string.h>

#include "engine/aggregates/agg_builtin.h"
#include "engine/aggregates/agg_codec.h"
#include "engine/values/sqlval.h"

struct agg_ext_state {
    struct sl_value v; /* SL_NULL until a value was seen */
};

static bool ext_infer(enum sl_type arg, enum sl_type *result, char *why, size_t why_len,
                      const char *name)
{
    if (arg == SL_ARRAY) {
        agg_type_error(why, why_len, name, "a scalar", arg);
        return false;
    }
    *result = arg;
    return true;
}

static bool min_infer(enum sl_type arg, enum sl_type *result, char *why, size_t why_len)
{
    return ext_infer(arg, result, why, why_len, "min");
}

static bool max_infer(enum sl_type arg, enum sl_type *result, char *why, size_t why_len)
{
    return ext_infer(arg, result, why, why_len, "max");
}

static size_t ext_state_size(enum sl_type arg)
{
    (void)arg;
    return sizeof(struct agg_ext_state);
}

static void ext_init(void *state, enum sl_type arg, double param)
{
    (void)arg, (void)param;
    ((struct agg_ext_state *)state)->v = sl_null();
}

/* Stores v (already known to win); text is copied into keep. Out of memory keeps the previous
 * extreme rather than a dangling view, and says so. */
static sl_status ext_take(struct agg_ext_state *s, struct sl_value v, struct sl_arena *keep)
{
    if (v.type == SL_TEXT) {
        char *copy = arena_memdup(keep, v.u.s.ptr, v.u.s.len ? v.u.s.len : 1);
        if (!copy)
            return SL_NOMEM;
        v.u.s.ptr = copy;
    }
    s->v = v;
    return SL_OK;
}

/* sign = -1 keeps the minimum, +1 the maximum: a candidate wins when cmp * sign > 0. */
static sl_status ext_step(void **states, const struct sl_vector *arg, const uint32_t *rows,
                          uint32_t n, struct sl_arena *keep, int sign)
{
    const uint8_t *nulls = arg->nulls;
    switch (arg->type) {
    case SL_INT:
    case SL_TIMESTAMP:
        for (uint32_t k = 0; k < n; k++) {
            uint32_t i = rows[k];
            struct agg_ext_state *s = states[k];
            int64_t x = arg->data.i[i];
            if (!nulls[i] && (s->v.type == SL_NULL || ((x > s->v.u.i) - (x < s->v.u.i)) == sign)) {
                s->v.type = arg->type;
                s->v.u.i = x;
            }
        }
        return SL_OK;
    case SL_REAL:
        for (uint32_t k = 0; k < n; k++) {
            uint32_t i = rows[k];
            struct agg_ext_state *s = states[k];
            double x = arg->data.r[i];
            if (!nulls[i] && (s->v.type == SL_NULL || ((x > s->v.u.r) - (x < s->v.u.r)) == sign)) {
                s->v.type = SL_REAL;
                s->v.u.r = x;
            }
        }
        return SL_OK;
    case SL_TEXT:
        for (uint32_t k = 0; k < n; k++) {
            uint32_t i = rows[k];
            struct agg_ext_state *s = states[k];
            if (nulls[i])
                continue;
            if (s->v.type == SL_NULL || sqlval_cmp_text(arg->data.s[i], s->v.u.s) == sign) {
                struct sl_value v = {.type = SL_TEXT, .u.s = arg->data.s[i]};
                if (ext_take(s, v, keep) != SL_OK)
                    return SL_NOMEM;
            }
        }
        return SL_OK;
    default:
        for (uint32_t k = 0; k < n; k++) {
            struct agg_ext_state *s = states[k];
            struct sl_value v = vector_get(arg, rows[k]);
            if (v.type != SL_NULL && (s->v.type == SL_NULL || sqlval_compare(v, s->v) == sign) &&
                ext_take(s, v, keep) != SL_OK)
                return SL_NOMEM;
        }
        return SL_OK;
    }
}

static sl_status min_step(void **states, const struct sl_vector *arg,
                          const struct sl_vector *time, const uint32_t *rows, uint32_t n,
                          struct sl_arena *keep)
{
    (void)time;
    return ext_step(states, arg, rows, n, keep, -1);
}

static sl_status max_step(void **states, const struct sl_vector *arg,
                          const struct sl_vector *time, const uint32_t *rows, uint32_t n,
                          struct sl_arena *keep)
{
    (void)time;
    return ext_step(states, arg, rows, n, keep, 1);
}

static sl_status ext_combine(void *dst, const void *src, struct sl_arena *keep, int sign)
{
    struct agg_ext_state *d = dst;
    const struct agg_ext_state *s = src;
    if (s->v.type != SL_NULL && (d->v.type == SL_NULL || sqlval_compare(s->v, d->v) == sign))
        return ext_take(d, s->v, keep);
    return SL_OK;
}

static sl_status min_combine(void *dst, const void *src, enum sl_type arg, struct sl_arena *keep)
{
    (void)arg;
    return ext_combine(dst, src, keep, -1);
}

static sl_status max_combine(void *dst, const void *src, enum sl_type arg, struct sl_arena *keep)
{
    (void)arg;
    return ext_combine(dst, src, keep, 1);
}

static sl_status ext_final(const void *state, enum sl_type arg, struct sl_arena *out,
                           struct sl_value *result)
{
    (void)arg, (void)out;
    *result = ((const struct agg_ext_state *)state)->v;
    return SL_OK;
}

static void ext_serialize(const void *state, enum sl_type arg, struct sl_buf *out)
{
    (void)arg;
    codec_put_value(out, ((const struct agg_ext_state *)state)->v);
}

static bool ext_deserialize(void *state, enum sl_type arg, double param, const unsigned char *p,
                            size_t len, struct sl_arena *keep)
{
    struct agg_ext_state *s = state;
    ext_init(s, arg, param);
    struct codec_reader r;
    codec_reader_init(&r, p, len);
    struct sl_value v = codec_get_value(&r, arg);
    if (!codec_done(&r))
        return false;
    return v.type == SL_NULL || ext_take(s, v, keep) == SL_OK;
}

const struct sl_agg_fn agg_min = {
    .name = "min",
    .infer = min_infer,
    .state_size = ext_state_size,
    .init = ext_init,
    .step = min_step,
    .combine = min_combine,
    .final = ext_final,
    .serialize = ext_serialize,
    .deserialize = ext_deserialize,
};
const struct sl_agg_fn agg_max = {
    .name = "max",
    .infer = max_infer,
    .state_size = ext_state_size,
    .init = ext_init,
    .step = max_step,
    .combine = max_combine,
    .final = ext_final,
    .serialize = ext_serialize,
    .deserialize = ext_deserialize,
};
