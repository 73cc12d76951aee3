/*
 * agg_sum.c — SUM and AVG over numbers, as SQLite computes them: the sum
 * of INTEGERs is an exact INTEGER, any REAL makes it REAL, no non-NULL
 * value gives NULL; AVG is the REAL sum / count. Where SQLite stops with
 * "integer overflow", SUM goes on in REAL and returns a REAL (a typed
 * INTEGER result column cannot hold it and stores NULL).
 *
 * Encoding: isum (8 bytes), rsum (a double, NaN allowed: inf + -inf is
 * one), count (8 bytes, 0 to CODEC_COUNT_MAX), flags (bit 0 real, bit 1 overflow).
 */
#include "engine/aggregates/agg_builtin.h"
#include "engine/aggregates/agg_codec.h"
#include "engine/values/sqlval.h"

bool agg_numeric_arg(enum sl_type arg)
{
    return arg == SL_INT || arg == SL_BOOL || arg == SL_REAL || arg == SL_ANY || arg == SL_NULL;
}

static bool sum_infer(enum sl_type arg, enum sl_type *result, char *why, size_t why_len)
{
    if (!agg_numeric_arg(arg)) {
        agg_type_error(why, why_len, "sum", "a number", arg);
        return false;
    }
    *result = arg == SL_REAL ? SL_REAL : arg == SL_ANY ? SL_ANY : SL_INT;
    return true;
}

static bool avg_infer(enum sl_type arg, enum sl_type *result, char *why, size_t why_len)
{
    if (!agg_numeric_arg(arg)) {
        agg_type_error(why, why_len, "avg", "a number", arg);
        return false;
    }
    *result = SL_REAL;
    return true;
}

static size_t sum_state_size(enum sl_type arg)
{
    (void)arg;
    return sizeof(struct agg_sum_state);
}

static void sum_init(void *state, enum sl_type arg, double param)
{
    (void)arg, (void)param;
    *(struct agg_sum_state *)state = (struct agg_sum_state){0};
}

static inline void add_int(struct agg_sum_state *s, int64_t v)
{
    int64_t t;
    s->count++;
    if (s->overflow) {
        s->rsum += (double)v;
    } else if (__builtin_add_overflow(s->isum, v, &t)) {
        s->overflow = 1;
        s->rsum += (double)s->isum + (double)v;
        s->isum = 0;
    } else {
        s->isum = t;
    }
}

static inline void add_real(struct agg_sum_state *s, double v)
{
    s->count++;
    s->real = 1;
    s->rsum += v;
}

static sl_status sum_step(void **states, const struct sl_vector *arg,
                          const struct sl_vector *time, const uint32_t *rows, uint32_t n,
                          struct sl_arena *keep)
{
    (void)time, (void)keep;
    const uint8_t *nulls = arg->nulls;
    switch (arg->type) {
    case SL_INT:
    case SL_TIMESTAMP:
        for (uint32_t k = 0; k < n; k++) {
            if (!nulls[rows[k]])
                add_int(states[k], arg->data.i[rows[k]]);
        }
        return SL_OK;
    case SL_BOOL:
        for (uint32_t k = 0; k < n; k++) {
            if (!nulls[rows[k]])
                add_int(states[k], arg->data.b[rows[k]]);
        }
        return SL_OK;
    case SL_REAL:
        for (uint32_t k = 0; k < n; k++) {
            if (!nulls[rows[k]])
                add_real(states[k], arg->data.r[rows[k]]);
        }
        return SL_OK;
    default:
        for (uint32_t k = 0; k < n; k++)
            agg_sum_fold(states[k], vector_get(arg, rows[k]));
        return SL_OK;
    }
}

void agg_sum_fold(struct agg_sum_state *s, struct sl_value v)
{
    v = sqlval_numeric(v);
    if (v.type == SL_INT)
        add_int(s, v.u.i);
    else if (v.type == SL_REAL)
        add_real(s, v.u.r);
}

static sl_status sum_combine(void *dst, const void *src, enum sl_type arg, struct sl_arena *keep)
{
    (void)arg, (void)keep;
    struct agg_sum_state *d = dst;
    const struct agg_sum_state *s = src;
    int64_t count = d->count + s->count;
    d->rsum += s->rsum;
    d->real |= s->real;
    d->overflow |= s->overflow;
    add_int(d, s->isum);
    d->count = count;
    return SL_OK;
}

static sl_status sum_final(const void *state, enum sl_type arg, struct sl_arena *out,
                           struct sl_value *result)
{
    (void)arg, (void)out;
    const struct agg_sum_state *s = state;
    *result = sl_null();
    if (s->count == 0)
        return SL_OK;
    if (s->real || s->overflow) {
        result->type = SL_REAL;
        result->u.r = (double)s->isum + s->rsum;
    } else {
        result->type = SL_INT;
        result->u.i = s->isum;
    }
    return SL_OK;
}

static sl_status avg_final(const void *state, enum sl_type arg, struct sl_arena *out,
                           struct sl_value *result)
{
    (void)arg, (void)out;
    const struct agg_sum_state *s = state;
    *result = sl_null();
    if (s->count == 0)
        return SL_OK;
    result->type = SL_REAL;
    result->u.r = ((double)s->isum + s->rsum) / (double)s->count;
    return SL_OK;
}

static void sum_serialize(const void *state, enum sl_type arg, struct sl_buf *out)
{
    (void)arg;
    const struct agg_sum_state *s = state;
    codec_put_i64(out, s->isum);
    codec_put_f64(out, s->rsum);
    codec_put_i64(out, s->count);
    codec_put_u8(out, (uint8_t)((s->real ? 1 : 0) | (s->overflow ? 2 : 0)));
}

static bool sum_deserialize(void *state, enum sl_type arg, double param, const unsigned char *p,
                            size_t len, struct sl_arena *keep)
{
    (void)keep;
    sum_init(state, arg, param);
    struct codec_reader r;
    codec_reader_init(&r, p, len);
    struct agg_sum_state s = {.isum = codec_get_i64(&r)};
    s.rsum = codec_get_f64(&r);
    s.count = codec_get_i64(&r);
    uint8_t flags = codec_get_u8(&r);
    if (!codec_done(&r) || s.count < 0 || s.count > CODEC_COUNT_MAX || flags > 3)
        return false;
    s.real = flags & 1;
    s.overflow = (flags >> 1) & 1;
    *(struct agg_sum_state *)state = s;
    return true;
}

const struct sl_agg_fn agg_sum = {
    .name = "sum",
    .infer = sum_infer,
    .state_size = sum_state_size,
    .init = sum_init,
    .step = sum_step,
    .combine = sum_combine,
    .final = sum_final,
    .serialize = sum_serialize,
    .deserialize = sum_deserialize,
};
const struct sl_agg_fn agg_avg = {
    .name = "avg",
    .infer = avg_infer,
    .state_size = sum_state_size,
    .init = sum_init,
    .step = sum_step,
    .combine = sum_combine,
    .final = avg_final,
    .serialize = sum_serialize,
    .deserialize = sum_deserialize,
};
