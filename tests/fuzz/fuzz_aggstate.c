/*
 * fuzz_aggstate.c — libFuzzer target for restoring aggregate states from
 * checkpoint bytes (each aggregate's deserialize, agg_set_deserialize): byte
 * 0 picks an aggregate and argument type from `cases` (or, past them, a
 * payload of several aggregates read as one agg_set blob); the rest is the
 * encoding. A rejected encoding must leave the state as init leaves it; an
 * accepted one must give a value, combine, and encode to bytes that decode
 * again to an encoding as long (the same bytes but for a DISTINCT set, whose
 * slot order may change).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/aggregates/aggregate.h"
#include "engine/ops/agg_set.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_case {
    const char *name; /* "distinct x": x's DISTINCT form */
    enum sl_type type;
};

static const struct fuzz_case cases[] = {
    {"count", SL_INT},          {"sum", SL_ANY},
    {"avg", SL_REAL},           {"min", SL_TEXT},
    {"max", SL_ANY},            {"min", SL_BOOL},
    {"max", SL_TIMESTAMP},      {"var_pop", SL_REAL},
    {"earliest", SL_TEXT},      {"latest", SL_ANY},
    {"collect_list", SL_ANY},   {"approx_count_distinct", SL_INT},
    {"approx_percentile", SL_REAL}, {"distinct count", SL_ANY},
    {"distinct sum", SL_INT},   {"distinct avg", SL_REAL},
};
#define NCASES (sizeof cases / sizeof cases[0])

static _Noreturn void fail(const char *what, size_t which)
{
    fprintf(stderr, "fuzz: case %zu: %s\n", which, what);
    abort();
}

static const struct sl_agg_fn *lookup(const char *name)
{
    if (strncmp(name, "distinct ", 9) == 0)
        return aggregate_lookup_distinct(aggregate_lookup(name + 9));
    return aggregate_lookup(name);
}

/* Whether two encodings are the same bytes (or, when only lengths count, as long). */
static bool same(const struct sl_buf *a, const struct sl_buf *b, bool bytes)
{
    return a->len == b->len && (!bytes || a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static void one_aggregate(size_t which, const uint8_t *p, size_t len, struct sl_arena *a)
{
    const struct sl_agg_fn *fn = lookup(cases[which].name);
    enum sl_type type = cases[which].type;
    const double param = 0.5;
    size_t size = fn->state_size(type);
    void *s = arena_alloc(a, size), *fresh = arena_alloc(a, size), *copy = arena_alloc(a, size);
    if (!s || !fresh || !copy)
        fail("out of memory", which);
    fn->init(fresh, type, param);
    struct sl_buf got, want;
    buf_init(&got);
    buf_init(&want);
    bool ok = fn->deserialize(s, type, param, p, len, a);
    fn->serialize(s, type, &got);
    if (!ok) {
        fn->serialize(fresh, type, &want);
        if (!same(&got, &want, true))
            fail("a rejected encoding left a state init would not", which);
    } else {
        struct sl_value v;
        if (fn->final(s, type, a, &v) != SL_OK)
            fail("out of memory", which);
        if (!fn->deserialize(copy, type, param, (const unsigned char *)got.data, got.len, a))
            fail("an accepted state's encoding does not decode", which);
        fn->serialize(copy, type, &want);
        if (!same(&got, &want, !fn->distinct))
            fail("an accepted state encodes differently once decoded again", which);
        if (fn->combine(fresh, s, type, a) != SL_OK || fn->combine(fresh, copy, type, a) != SL_OK ||
            fn->final(fresh, type, a, &v) != SL_OK)
            fail("out of memory", which);
    }
    buf_free(&got);
    buf_free(&want);
}

/* A payload of several aggregates, as an operator restores one. */
static void aggregate_set(const uint8_t *p, size_t len, struct sl_arena *a)
{
    static const size_t picks[] = {0, 3, 10, 12, 13};
    struct sl_agg_spec specs[sizeof picks / sizeof picks[0]];
    for (size_t k = 0; k < sizeof picks / sizeof picks[0]; k++)
        specs[k] = (struct sl_agg_spec){.fn = lookup(cases[picks[k]].name),
                                        .arg_type = cases[picks[k]].type, .param = 0.5};
    struct sl_agg_set set;
    if (!agg_set_init(&set, sizeof picks / sizeof picks[0], specs, 8))
        fail("out of memory", NCASES);
    void *payload = arena_calloc(a, set.size), *fresh = arena_calloc(a, set.size);
    if (!payload || !fresh)
        fail("out of memory", NCASES);
    agg_set_init_states(&set, fresh);
    struct sl_buf got, want;
    buf_init(&got);
    buf_init(&want);
    bool ok = agg_set_deserialize(&set, payload, p, len, a);
    agg_set_serialize(&set, payload, &got);
    agg_set_serialize(&set, fresh, &want);
    if (!ok && !same(&got, &want, true))
        fail("a rejected blob left states init would not", NCASES);
    if (ok && !agg_set_deserialize(&set, fresh, (const unsigned char *)got.data, got.len, a))
        fail("an accepted blob's encoding does not decode", NCASES);
    buf_free(&got);
    buf_free(&want);
    agg_set_free(&set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    struct sl_arena *a = arena_create(0);
    if (!a)
        fail("out of memory", 0);
    size_t which = data[0] % (NCASES + 1);
    if (which < NCASES)
        one_aggregate(which, data + 1, size - 1, a);
    else
        aggregate_set(data + 1, size - 1, a);
    arena_destroy(a);
    return 0;
}
