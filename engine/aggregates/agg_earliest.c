/*
 * agg_earliest.c — earliest(x) and latest(x): the value of x at the
 * group's smallest / largest event time (the stream's WATERMARK column),
 * x's type. On processing time (and over a derived table) the first / last
 * value in arrival order. NULL values of x, and rows without an event time,
 * are skipped; between rows of the same time, earliest keeps the first to
 * arrive and latest the last.
 *
 * On processing time every row's time is taken as 0, so the same
 * comparisons give arrival order, combine relying on src being the later
 * rows. latest replaces its value on nearly every row: a TEXT value is
 * copied into a buffer the state reuses while the text fits, so what the
 * keep arena holds stays within twice the longest value.
 *
 * Encoding: the value (agg_codec.h), and when it is not NULL its event time
 * (8 bytes).
 */
#include <string.h>

#include "engine/aggregates/agg_builtin.h"
#include "engine/aggregates/agg_codec.h"

struct agg_at_state {
    struct sl_value v; /* SL_NULL: no value yet */
    int64_t ts;        /* v's event time */
    uint32_t cap;      /* bytes of the buffer v's text is in, 0 if none */
};

static bool at_infer_as(const char *name, enum sl_type arg, enum sl_type *result, char *why,
                        size_t why_len)
{
    if (arg == SL_ARRAY) {
        agg_type_error(why, why_len, name, "a scalar", arg);
        return false;
    }
    *result = arg;
    return true;
}

static bool earliest_infer(enum sl_type arg, enum sl_type *result, char *why, size_t why_len)
{
    return at_infer_as("earliest", arg, result, why, why_len);
}

static bool latest_infer(enum sl_type arg, enum sl_type *result, char *why, size_t why_len)
{
    return at_infer_as("latest", arg, result, why, why_len);
}

static size_t at_state_size(enum sl_type arg)
{
    (void)arg;
    return sizeof(struct agg_at_state);
}

static void at_init(void *state, enum sl_type arg, double param)
{
    (void)arg, (void)param;
    *(struct agg_at_state *)state = (struct agg_at_state){.v = {.type = SL_NULL}};
}

/* Stores v at ts; text goes into the state's buffer, grown into keep when too small. On out
 * of memory the previous value stays, and SL_NOMEM says so. */
static sl_status at_take(struct agg_at_state *s, struct sl_value v, int64_t ts,
                         struct sl_arena *keep)
{
    if (v.type == SL_TEXT) {
        char *buf = s->v.type == SL_TEXT ? (char *)s->v.u.s.ptr : NULL;
        if (!buf || v.u.s.len > s->cap) {
            uint32_t cap = v.u.s.len > 2 * s->cap ? v.u.s.len : 2 * s->cap;
            if (!(buf = arena_alloc(keep, cap ? cap : 1)))
                return SL_NOMEM;
            s->cap = cap;
        }
        memcpy(buf, v.u.s.ptr, v.u.s.len);
        v.u.s.ptr = buf;
    } else if (s->v.type == SL_TEXT) {
        /* The buffer is remembered by v; a non-text value gives it up. */
        s->cap = 0;
    }
    s->v = v;
    s->ts = ts;
    return SL_OK;
}

/* later = false keeps the earliest value: a row wins when its time is smaller; later = true the
 * latest: when its time is not smaller (ties go to the row that arrived last). */
static sl_status at_step(void **states, const struct sl_vector *arg, const struct sl_vector *time,
                         const uint32_t *rows, uint32_t n, struct sl_arena *keep, bool later)
{
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = rows[k];
        struct agg_at_state *s = states[k];
        if (arg->nulls[i] || (time && time->nulls[i]))
            continue;
        int64_t ts = time ? time->data.i[i] : 0;
        if ((s->v.type == SL_NULL || (later ? ts >= s->ts : ts < s->ts)) &&
            at_take(s, vector_get(arg, i), ts, keep) != SL_OK)
            return SL_NOMEM;
    }
    return SL_OK;
}

static sl_status earliest_step(void **states, const struct sl_vector *arg,
                               const struct sl_vector *time, const uint32_t *rows, uint32_t n,
                               struct sl_arena *keep)
{
    return at_step(states, arg, time, rows, n, keep, false);
}

static sl_status latest_step(void **states, const struct sl_vector *arg,
                             const struct sl_vector *time, const uint32_t *rows, uint32_t n,
                             struct sl_arena *keep)
{
    return at_step(states, arg, time, rows, n, keep, true);
}

static sl_status at_combine(void *dst, const void *src, struct sl_arena *keep, bool later)
{
    struct agg_at_state *d = dst;
    const struct agg_at_state *s = src;
    if (s->v.type != SL_NULL &&
        (d->v.type == SL_NULL || (later ? s->ts >= d->ts : s->ts < d->ts)))
        return at_take(d, s->v, s->ts, keep);
    return SL_OK;
}

static sl_status earliest_combine(void *dst, const void *src, enum sl_type arg,
                                  struct sl_arena *keep)
{
    (void)arg;
    return at_combine(dst, src, keep, false);
}

static sl_status latest_combine(void *dst, const void *src, enum sl_type arg,
                                struct sl_arena *keep)
{
    (void)arg;
    return at_combine(dst, src, keep, true);
}

static sl_status at_final(const void *state, enum sl_type arg, struct sl_arena *out,
                          struct sl_value *result)
{
    (void)arg, (void)out;
    *result = ((const struct agg_at_state *)state)->v;
    return SL_OK;
}

static void at_serialize(const void *state, enum sl_type arg, struct sl_buf *out)
{
    (void)arg;
    const struct agg_at_state *s = state;
    codec_put_value(out, s->v);
    if (s->v.type != SL_NULL)
        codec_put_i64(out, s->ts);
}

static bool at_deserialize(void *state, enum sl_type arg, double param, const unsigned char *p,
                           size_t len, struct sl_arena *keep)
{
    struct agg_at_state *s = state;
    at_init(s, arg, param);
    struct codec_reader r;
    codec_reader_init(&r, p, len);
    struct sl_value v = codec_get_value(&r, arg);
    int64_t ts = v.type != SL_NULL ? codec_get_i64(&r) : 0;
    if (!codec_done(&r))
        return false;
    return v.type == SL_NULL || at_take(s, v, ts, keep) == SL_OK;
}

const struct sl_agg_fn agg_earliest = {
    .name = "earliest",
    .by_time = true,
    .infer = earliest_infer,
    .state_size = at_state_size,
    .init = at_init,
    .step = earliest_step,
    .combine = earliest_combine,
    .final = at_final,
    .serialize = at_serialize,
    .deserialize = at_deserialize,
};
const struct sl_agg_fn agg_latest = {
    .name = "latest",
    .by_time = true,
    .infer = latest_infer,
    .state_size = at_state_size,
    .init = at_init,
    .step = latest_step,
    .combine = latest_combine,
    .final = at_final,
    .serialize = at_serialize,
    .deserialize = at_deserialize,
};
