/*
 * agg_collect.c — collect_list(x): the group's values as a JSON array text,
 * in arrival order, NULLs kept as null (SQLite's json_group_array(x), which
 * the tests compare it with). Numbers stay numbers, text becomes strings,
 * booleans true/false, timestamps their text form.
 *
 * It holds every value of the group: the list lives in the keep arena and
 * doubles when full (the old copy stays there, so at most twice the list),
 * until the group table — a window's slice — is dropped. On a GROUP BY
 * without a window, a group's list grows as long as the stream runs.
 *
 * Encoding: the count (4 bytes), then each value (agg_codec.h) in order.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "common/time.h"
#include "engine/aggregates/agg_builtin.h"
#include "engine/aggregates/agg_codec.h"

struct agg_list_state {
    uint32_t n, cap;
    struct sl_value *items;
};

static bool list_infer(enum sl_type arg, enum sl_type *result, char *why, size_t why_len)
{
    if (arg == SL_ARRAY) {
        agg_type_error(why, why_len, "collect_list", "a scalar", arg);
        return false;
    }
    *result = SL_TEXT;
    return true;
}

static size_t list_state_size(enum sl_type arg)
{
    (void)arg;
    return sizeof(struct agg_list_state);
}

static void list_init(void *state, enum sl_type arg, double param)
{
    (void)arg, (void)param;
    *(struct agg_list_state *)state = (struct agg_list_state){0};
}

/* Appends v (text copied into keep); SL_NOMEM, the list unchanged, when out of memory. */
static sl_status list_add(struct agg_list_state *s, struct sl_value v, struct sl_arena *keep)
{
    if (s->n == s->cap) {
        uint32_t cap = s->cap ? 2 * s->cap : 4;
        struct sl_value *items = arena_alloc(keep, (size_t)cap * sizeof *items);
        if (!items)
            return SL_NOMEM;
        if (s->n)
            memcpy(items, s->items, (size_t)s->n * sizeof *items);
        s->items = items;
        s->cap = cap;
    }
    if (v.type == SL_TEXT) {
        char *copy = arena_memdup(keep, v.u.s.ptr, v.u.s.len ? v.u.s.len : 1);
        if (!copy)
            return SL_NOMEM;
        v.u.s.ptr = copy;
    }
    s->items[s->n++] = v;
    return SL_OK;
}

static sl_status list_step(void **states, const struct sl_vector *arg,
                           const struct sl_vector *time, const uint32_t *rows, uint32_t n,
                           struct sl_arena *keep)
{
    (void)time;
    for (uint32_t k = 0; k < n; k++) {
        if (list_add(states[k], vector_get(arg, rows[k]), keep) != SL_OK)
            return SL_NOMEM;
    }
    return SL_OK;
}

static sl_status list_combine(void *dst, const void *src, enum sl_type arg,
                              struct sl_arena *keep)
{
    (void)arg;
    const struct agg_list_state *s = src;
    for (uint32_t i = 0; i < s->n; i++) {
        if (list_add(dst, s->items[i], keep) != SL_OK)
            return SL_NOMEM;
    }
    return SL_OK;
}

static json_t *to_json(struct sl_value v)
{
    char ts[32];
    switch (v.type) {
    case SL_BOOL: return json_boolean(v.u.b);
    case SL_INT: return json_integer(v.u.i);
    case SL_REAL: return json_real(v.u.r);
    case SL_TEXT: return json_stringn(v.u.s.ptr, v.u.s.len);
    case SL_TIMESTAMP: sl_ts_format(v.u.i, ts); return json_string(ts);
    default: return json_null();
    }
}

/* The JSON text, copied into out: [] when FILTER kept no row, as json_group_array() and Spark's
 * collect_list() give. NULL when jansson refuses the list: a text that is not UTF-8 (JSON cannot
 * hold it), or jansson's own memory running out, which it does not tell apart. SL_NOMEM when
 * the copy into out cannot be made. */
static sl_status list_final(const void *state, enum sl_type arg, struct sl_arena *out,
                            struct sl_value *result)
{
    (void)arg;
    const struct agg_list_state *s = state;
    json_t *array = json_array();
    for (uint32_t i = 0; array && i < s->n; i++) {
        if (json_array_append_new(array, to_json(s->items[i])) != 0) {
            json_decref(array);
            array = NULL;
        }
    }
    /* SQLite renders reals with 15 significant digits; so does this, to compare equal. */
    char *text = array ? json_dumps(array, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(array);
    *result = sl_null();
    if (!text)
        return SL_OK;
    size_t len = strlen(text);
    char *copy = arena_memdup(out, text, len + 1);
    free(text);
    if (!copy)
        return SL_NOMEM;
    *result = (struct sl_value){.type = SL_TEXT, .u.s = {copy, (uint32_t)len}};
    return SL_OK;
}

static void list_serialize(const void *state, enum sl_type arg, struct sl_buf *out)
{
    (void)arg;
    const struct agg_list_state *s = state;
    codec_put_u32(out, s->n);
    for (uint32_t i = 0; i < s->n; i++)
        codec_put_value(out, s->items[i]);
}

static bool list_deserialize(void *state, enum sl_type arg, double param, const unsigned char *p,
                             size_t len, struct sl_arena *keep)
{
    struct agg_list_state *s = state;
    list_init(s, arg, param);
    struct codec_reader r;
    codec_reader_init(&r, p, len);
    uint32_t n = codec_get_u32(&r);
    /* Each value takes at least a byte: checked before anything is allocated for them. */
    if (n > codec_left(&r))
        return false;
    for (uint32_t i = 0; i < n && r.ok; i++) {
        struct sl_value v = codec_get_value(&r, arg);
        if (r.ok && list_add(s, v, keep) != SL_OK)
            codec_fail(&r);
    }
    if (!codec_done(&r)) {
        list_init(s, arg, param);
        return false;
    }
    return true;
}

const struct sl_agg_fn agg_collect_list = {
    .name = "collect_list",
    .infer = list_infer,
    .state_size = list_state_size,
    .init = list_init,
    .step = list_step,
    .combine = list_combine,
    .final = list_final,
    .serialize = list_serialize,
    .deserialize = list_deserialize,
};
