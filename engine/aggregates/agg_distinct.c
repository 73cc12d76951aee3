/*
 * agg_distinct.c — COUNT(DISTINCT x), SUM(DISTINCT x), AVG(DISTINCT x):
 * the state is the exact set of the group's distinct non-NULL values, and
 * final counts or adds them up. Values are equal as SQLite's DISTINCT sees
 * them (1 and 1.0 are one value, 1 and '1' two), through sqlval_compare and
 * the hash consistent with it.
 *
 * The set is an open-addressing table in the keep arena, text copied there;
 * growing it leaves the old table in the arena, so a set holds at most
 * twice its live size until the group table (a window's slice) is dropped.
 *
 * Encoding: the count (4 bytes), then each value (agg_codec.h) in slot
 * order; decoding adds them again, so a NULL or a repeated value (1 and 1.0
 * included) is malformed.
 */
#include <string.h>

#include "engine/aggregates/agg_builtin.h"
#include "engine/aggregates/agg_codec.h"
#include "engine/values/sqlval.h"

struct dset_slot {
    uint64_t hash;
    struct sl_value v; /* SL_NULL: empty */
};

struct agg_distinct_state {
    uint32_t count, cap; /* cap: 0 or a power of two */
    struct dset_slot *slots;
};

static size_t distinct_state_size(enum sl_type arg)
{
    (void)arg;
    return sizeof(struct agg_distinct_state);
}

static void distinct_init(void *state, enum sl_type arg, double param)
{
    (void)arg, (void)param;
    *(struct agg_distinct_state *)state = (struct agg_distinct_state){0};
}

/* The slot holding v, or the empty slot where it goes. */
static struct dset_slot *dset_find(const struct agg_distinct_state *s, struct sl_value v,
                                   uint64_t hash)
{
    uint32_t mask = s->cap - 1;
    for (uint32_t i = (uint32_t)hash & mask;; i = (i + 1) & mask) {
        struct dset_slot *slot = &s->slots[i];
        if (slot->v.type == SL_NULL ||
            (slot->hash == hash && sqlval_compare(slot->v, v) == 0))
            return slot;
    }
}

/* Doubles the table (kept under 3/4 full, so dset_find always ends); false when out of memory. */
static bool dset_grow(struct agg_distinct_state *s, struct sl_arena *keep)
{
    uint32_t cap = s->cap ? s->cap * 2 : 8;
    struct dset_slot *slots = arena_calloc(keep, (size_t)cap * sizeof *slots);
    if (!slots)
        return false;
    struct agg_distinct_state grown = {s->count, cap, slots};
    for (uint32_t i = 0; i < s->cap; i++) {
        if (s->slots[i].v.type != SL_NULL)
            *dset_find(&grown, s->slots[i].v, s->slots[i].hash) = s->slots[i];
    }
    *s = grown;
    return true;
}

/* Adds non-NULL v (its text copied into keep) unless present; SL_NOMEM, the set unchanged,
 * when out of memory. */
static sl_status dset_add(struct agg_distinct_state *s, struct sl_value v, uint64_t hash,
                          struct sl_arena *keep)
{
    if ((uint64_t)(s->count + 1) * 4 > (uint64_t)s->cap * 3 && !dset_grow(s, keep))
        return SL_NOMEM;
    struct dset_slot *slot = dset_find(s, v, hash);
    if (slot->v.type != SL_NULL)
        return SL_OK;
    if (v.type == SL_TEXT) {
        char *copy = arena_memdup(keep, v.u.s.ptr, v.u.s.len ? v.u.s.len : 1);
        if (!copy)
            return SL_NOMEM;
        v.u.s.ptr = copy;
    }
    slot->hash = hash;
    slot->v = v;
    s->count++;
    return SL_OK;
}

static sl_status distinct_step(void **states, const struct sl_vector *arg,
                               const struct sl_vector *time, const uint32_t *rows, uint32_t n,
                               struct sl_arena *keep)
{
    (void)time;
    for (uint32_t k = 0; k < n; k++) {
        struct sl_value v = vector_get(arg, rows[k]);
        if (v.type != SL_NULL && dset_add(states[k], v, sqlval_hash(v), keep) != SL_OK)
            return SL_NOMEM;
    }
    return SL_OK;
}

static sl_status distinct_combine(void *dst, const void *src, enum sl_type arg,
                                  struct sl_arena *keep)
{
    (void)arg;
    const struct agg_distinct_state *s = src;
    for (uint32_t i = 0; i < s->cap; i++) {
        if (s->slots[i].v.type != SL_NULL &&
            dset_add(dst, s->slots[i].v, s->slots[i].hash, keep) != SL_OK)
            return SL_NOMEM;
    }
    return SL_OK;
}

static void distinct_serialize(const void *state, enum sl_type arg, struct sl_buf *out)
{
    (void)arg;
    const struct agg_distinct_state *s = state;
    codec_put_u32(out, s->count);
    for (uint32_t i = 0; i < s->cap; i++) {
        if (s->slots[i].v.type != SL_NULL)
            codec_put_value(out, s->slots[i].v);
    }
}

static bool distinct_deserialize(void *state, enum sl_type arg, double param,
                                 const unsigned char *p, size_t len, struct sl_arena *keep)
{
    struct agg_distinct_state *s = state;
    distinct_init(s, arg, param);
    struct codec_reader r;
    codec_reader_init(&r, p, len);
    uint32_t count = codec_get_u32(&r);
    /* Each value takes at least 2 bytes: checked before anything is allocated for them. */
    if (count > codec_left(&r) / 2)
        return false;
    for (uint32_t i = 0; i < count && r.ok; i++) {
        struct sl_value v = codec_get_value(&r, arg);
        uint32_t before = s->count;
        /* NULL, a repeat, or out of memory: the value was not added. */
        if (v.type == SL_NULL || dset_add(s, v, sqlval_hash(v), keep) != SL_OK ||
            s->count != before + 1)
            codec_fail(&r);
    }
    if (!codec_done(&r)) {
        distinct_init(s, arg, param);
        return false;
    }
    return true;
}

static bool count_distinct_infer(enum sl_type arg, enum sl_type *result, char *why,
                                 size_t why_len)
{
    if (arg == SL_ARRAY) {
        agg_type_error(why, why_len, "count", "a scalar", arg);
        return false;
    }
    *result = SL_INT;
    return true;
}

static bool sum_distinct_infer(enum sl_type arg, enum sl_type *result, char *why, size_t why_len)
{
    return agg_sum.infer(arg, result, why, why_len);
}

static bool avg_distinct_infer(enum sl_type arg, enum sl_type *result, char *why, size_t why_len)
{
    return agg_avg.infer(arg, result, why, why_len);
}

static sl_status count_distinct_final(const void *state, enum sl_type arg, struct sl_arena *out,
                                      struct sl_value *result)
{
    (void)arg, (void)out;
    *result = (struct sl_value){.type = SL_INT,
                                .u.i = ((const struct agg_distinct_state *)state)->count};
    return SL_OK;
}

/* SUM or AVG (fn) over the set's values, with their own final. */
static sl_status summed(const void *state, enum sl_type arg, struct sl_arena *out,
                        struct sl_value *result, const struct sl_agg_fn *fn)
{
    const struct agg_distinct_state *s = state;
    struct agg_sum_state sum;
    fn->init(&sum, arg, 0);
    for (uint32_t i = 0; i < s->cap; i++) {
        if (s->slots[i].v.type != SL_NULL)
            agg_sum_fold(&sum, s->slots[i].v);
    }
    return fn->final(&sum, arg, out, result);
}

static sl_status sum_distinct_final(const void *state, enum sl_type arg, struct sl_arena *out,
                                    struct sl_value *result)
{
    return summed(state, arg, out, result, &agg_sum);
}

static sl_status avg_distinct_final(const void *state, enum sl_type arg, struct sl_arena *out,
                                    struct sl_value *result)
{
    return summed(state, arg, out, result, &agg_avg);
}

const struct sl_agg_fn agg_count_distinct = {
    .name = "count",
    .distinct = true,
    .infer = count_distinct_infer,
    .state_size = distinct_state_size,
    .init = distinct_init,
    .step = distinct_step,
    .combine = distinct_combine,
    .final = count_distinct_final,
    .serialize = distinct_serialize,
    .deserialize = distinct_deserialize,
};
const struct sl_agg_fn agg_sum_distinct = {
    .name = "sum",
    .distinct = true,
    .infer = sum_distinct_infer,
    .state_size = distinct_state_size,
    .init = distinct_init,
    .step = distinct_step,
    .combine = distinct_combine,
    .final = sum_distinct_final,
    .serialize = distinct_serialize,
    .deserialize = distinct_deserialize,
};
const struct sl_agg_fn agg_avg_distinct = {
    .name = "avg",
    .distinct = true,
    .infer = avg_distinct_infer,
    .state_size = distinct_state_size,
    .init = distinct_init,
    .step = distinct_step,
    .combine = distinct_combine,
    .final = avg_distinct_final,
    .serialize = distinct_serialize,
    .deserialize = distinct_deserialize,
};
