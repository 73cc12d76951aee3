/* agg_count.c — COUNT(*) / COUNT(x) (the non-NULL values, as INTEGER).
 * COUNT's state is encoded as its count (8 bytes, 0 to CODEC_COUNT_MAX). */
#include "engine/aggregates/agg_builtin.h"
#include "engine/aggregates/agg_codec.h"

static bool count_infer(enum sl_type arg, enum sl_type *result, char *why, size_t why_len)
{
    (void)arg, (void)why, (void)why_len;
    *result = SL_INT;
    return true;
}

static size_t count_state_size(enum sl_type arg)
{
    (void)arg;
    return sizeof(int64_t);
}

static void count_init(void *state, enum sl_type arg, double param)
{
    (void)arg, (void)param;
    *(int64_t *)state = 0;
}

static sl_status count_step(void **states, const struct sl_vector *arg,
                            const struct sl_vector *time, const uint32_t *rows, uint32_t n,
                            struct sl_arena *keep)
{
    (void)time, (void)keep;
    if (!arg) {
        for (uint32_t k = 0; k < n; k++)
            ++*(int64_t *)states[k];
        return SL_OK;
    }
    const uint8_t *nulls = arg->nulls;
    for (uint32_t k = 0; k < n; k++)
        *(int64_t *)states[k] += !nulls[rows[k]];
    return SL_OK;
}

static sl_status count_combine(void *dst, const void *src, enum sl_type arg,
                               struct sl_arena *keep)
{
    (void)arg, (void)keep;
    *(int64_t *)dst += *(const int64_t *)src;
    return SL_OK;
}

static sl_status count_final(const void *state, enum sl_type arg, struct sl_arena *out,
                             struct sl_value *result)
{
    (void)arg, (void)out;
    *result = (struct sl_value){.type = SL_INT, .u.i = *(const int64_t *)state};
    return SL_OK;
}

static void count_serialize(const void *state, enum sl_type arg, struct sl_buf *out)
{
    (void)arg;
    codec_put_i64(out, *(const int64_t *)state);
}

static bool count_deserialize(void *state, enum sl_type arg, double param, const unsigned char *p,
                              size_t len, struct sl_arena *keep)
{
    (void)keep;
    count_init(state, arg, param);
    struct codec_reader r;
    codec_reader_init(&r, p, len);
    int64_t n = codec_get_i64(&r);
    if (!codec_done(&r) || n < 0 || n > CODEC_COUNT_MAX)
        return false;
    *(int64_t *)state = n;
    return true;
}

const struct sl_agg_fn agg_count = {
    .name = "count",
    .star_ok = true,
    .infer = count_infer,
    .state_size = count_state_size,
    .init = count_init,
    .step = count_step,
    .combine = count_combine,
    .final = count_final,
    .serialize = count_serialize,
    .deserialize = count_deserialize,
};
