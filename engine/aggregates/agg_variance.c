/*
 * agg_variance.c — var_pop, var_samp (variance), stddev_pop, stddev_samp
 * (stddev), as PostgreSQL defines them: REAL; NULL over no value, and the
 * sample forms NULL over one value too. NULLs are ignored; other values are
 * read as numbers as SUM reads them.
 *
 * Welford's update keeps (count, mean, sum of squared deviations), which
 * does not lose the variance to cancellation the way sum(x*x) - sum(x)^2/n
 * does; combine is Chan et al.'s parallel form of the same update.
 *
 * Encoding: n (8 bytes, 0 to CODEC_COUNT_MAX), mean and m2 (doubles; NaN allowed,
 * as infinities make it; both 0 when n is).
 */
#include <math.h>

#include "engine/aggregates/agg_builtin.h"
#include "engine/aggregates/agg_codec.h"
#include "engine/values/sqlval.h"

struct agg_var_state {
    int64_t n;
    double mean;
    double m2; /* sum of (x - mean)^2 */
};

static bool var_infer_as(const char *name, enum sl_type arg, enum sl_type *result, char *why,
                         size_t why_len)
{
    if (!agg_numeric_arg(arg)) {
        agg_type_error(why, why_len, name, "a number", arg);
        return false;
    }
    *result = SL_REAL;
    return true;
}

#define VAR_INFER(fn)                                                                          \
    static bool fn##_infer(enum sl_type arg, enum sl_type *result, char *why, size_t why_len) \
    {                                                                                          \
        return var_infer_as(#fn, arg, result, why, why_len);                                   \
    }
VAR_INFER(var_pop)
VAR_INFER(var_samp)
VAR_INFER(variance)
VAR_INFER(stddev_pop)
VAR_INFER(stddev_samp)
VAR_INFER(stddev)

static size_t var_state_size(enum sl_type arg)
{
    (void)arg;
    return sizeof(struct agg_var_state);
}

static void var_init(void *state, enum sl_type arg, double param)
{
    (void)arg, (void)param;
    *(struct agg_var_state *)state = (struct agg_var_state){0};
}

static inline void var_add(struct agg_var_state *s, double x)
{
    s->n++;
    double d = x - s->mean;
    s->mean += d / (double)s->n;
    s->m2 += d * (x - s->mean);
}

static sl_status var_step(void **states, const struct sl_vector *arg,
                          const struct sl_vector *time, const uint32_t *rows, uint32_t n,
                          struct sl_arena *keep)
{
    (void)time, (void)keep;
    const uint8_t *nulls = arg->nulls;
    switch (arg->type) {
    case SL_INT:
        for (uint32_t k = 0; k < n; k++) {
            if (!nulls[rows[k]])
                var_add(states[k], (double)arg->data.i[rows[k]]);
        }
        return SL_OK;
    case SL_REAL:
        for (uint32_t k = 0; k < n; k++) {
            if (!nulls[rows[k]])
                var_add(states[k], arg->data.r[rows[k]]);
        }
        return SL_OK;
    default:
        for (uint32_t k = 0; k < n; k++) {
            struct sl_value v = sqlval_numeric(vector_get(arg, rows[k]));
            if (v.type == SL_INT)
                var_add(states[k], (double)v.u.i);
            else if (v.type == SL_REAL)
                var_add(states[k], v.u.r);
        }
        return SL_OK;
    }
}

static sl_status var_combine(void *dst, const void *src, enum sl_type arg, struct sl_arena *keep)
{
    (void)arg, (void)keep;
    struct agg_var_state *d = dst;
    const struct agg_var_state *s = src;
    if (s->n == 0)
        return SL_OK;
    if (d->n == 0) {
        *d = *s;
        return SL_OK;
    }
    double na = (double)d->n, nb = (double)s->n, n = na + nb, delta = s->mean - d->mean;
    d->mean += delta * nb / n;
    d->m2 += s->m2 + delta * delta * na * nb / n;
    d->n += s->n;
    return SL_OK;
}

/* m2 / (n - ddof), its square root when root; NULL when n <= ddof (and n = 0). */
static struct sl_value var_result(const void *state, int ddof, bool root)
{
    const struct agg_var_state *s = state;
    if (s->n == 0 || s->n <= ddof)
        return sl_null();
    double v = s->m2 / (double)(s->n - ddof);
    return (struct sl_value){.type = SL_REAL, .u.r = root ? sqrt(v) : v};
}

static sl_status var_pop_final(const void *state, enum sl_type arg, struct sl_arena *out,
                               struct sl_value *result)
{
    (void)arg, (void)out;
    *result = var_result(state, 0, false);
    return SL_OK;
}

static sl_status var_samp_final(const void *state, enum sl_type arg, struct sl_arena *out,
                                struct sl_value *result)
{
    (void)arg, (void)out;
    *result = var_result(state, 1, false);
    return SL_OK;
}

static sl_status stddev_pop_final(const void *state, enum sl_type arg, struct sl_arena *out,
                                  struct sl_value *result)
{
    (void)arg, (void)out;
    *result = var_result(state, 0, true);
    return SL_OK;
}

static sl_status stddev_samp_final(const void *state, enum sl_type arg, struct sl_arena *out,
                                   struct sl_value *result)
{
    (void)arg, (void)out;
    *result = var_result(state, 1, true);
    return SL_OK;
}

static void var_serialize(const void *state, enum sl_type arg, struct sl_buf *out)
{
    (void)arg;
    const struct agg_var_state *s = state;
    codec_put_i64(out, s->n);
    codec_put_f64(out, s->mean);
    codec_put_f64(out, s->m2);
}

static bool var_deserialize(void *state, enum sl_type arg, double param, const unsigned char *p,
                            size_t len, struct sl_arena *keep)
{
    (void)keep;
    var_init(state, arg, param);
    struct codec_reader r;
    codec_reader_init(&r, p, len);
    struct agg_var_state s = {.n = codec_get_i64(&r)};
    s.mean = codec_get_f64(&r);
    s.m2 = codec_get_f64(&r);
    if (!codec_done(&r) || s.n < 0 || s.n > CODEC_COUNT_MAX ||
        (s.n == 0 && (s.mean != 0 || s.m2 != 0)))
        return false;
    *(struct agg_var_state *)state = s;
    return true;
}

#define VAR_FN(var, fname, final_fn)                                                           \
    const struct sl_agg_fn var = {                                                             \
        .name = #fname,                                                                        \
        .infer = fname##_infer,                                                                \
        .state_size = var_state_size,                                                          \
        .init = var_init,                                                                      \
        .step = var_step,                                                                      \
        .combine = var_combine,                                                                \
        .final = final_fn,                                                                     \
        .serialize = var_serialize,                                                            \
        .deserialize = var_deserialize,                                                        \
    };
VAR_FN(agg_var_pop, var_pop, var_pop_final)
VAR_FN(agg_var_samp, var_samp, var_samp_final)
VAR_FN(agg_variance, variance, var_samp_final)
VAR_FN(agg_stddev_pop, stddev_pop, stddev_pop_final)
VAR_FN(agg_stddev_samp, stddev_samp, stddev_samp_final)
VAR_FN(agg_stddev, stddev, stddev_samp_final)
