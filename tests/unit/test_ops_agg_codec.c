/* test_ops_agg_codec.c — aggregate states to bytes and back (serialize / deserialize,
 * engine/aggregates/agg_codec.h, agg_set_serialize): for every aggregate and argument type, a restored
 * state, its original's arena destroyed, has the original's value and combines as it would;
 * every truncation, an appended byte, hand-made bad encodings and random mutations are
 * rejected with an initialised state, or decode to a state that works. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/aggregates/agg_codec.h"
#include "engine/aggregates/aggregate.h"
#include "engine/ops/agg_set.h"
#include "agg_call.h"

#define I(x) {.type = SL_INT, .u.i = (x)}
#define R(x) {.type = SL_REAL, .u.r = (x)}
#define B(x) {.type = SL_BOOL, .u.b = (x)}
#define TS(x) {.type = SL_TIMESTAMP, .u.i = (x)}
#define T(x) {.type = SL_TEXT, .u.s = {(x), sizeof(x) - 1}}
#define NUL {.type = SL_NULL}

/* The DISTINCT form when the name starts with "distinct ". */
static const struct sl_agg_fn *lookup(const char *name)
{
    if (strncmp(name, "distinct ", 9) == 0)
        return aggregate_lookup_distinct(aggregate_lookup(name + 9));
    return aggregate_lookup(name);
}

/* A 64-bit generator (splitmix64): the same inputs and mutations every run. */
static uint64_t next_random(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Equal values; REALs bit for bit but NaN equal to NaN (a restored state is the same state). */
static void assert_same(struct sl_value x, struct sl_value y)
{
    assert_int_equal(x.type, y.type);
    if (x.type == SL_TEXT) {
        assert_int_equal(x.u.s.len, y.u.s.len);
        assert_memory_equal(x.u.s.ptr, y.u.s.ptr, x.u.s.len);
    } else if (x.type == SL_REAL) {
        assert_true(x.u.r == y.u.r || (isnan(x.u.r) && isnan(y.u.r)));
    } else if (x.type == SL_BOOL) {
        assert_int_equal(x.u.b, y.u.b);
    } else if (x.type != SL_NULL) {
        assert_int_equal(x.u.i, y.u.i);
    }
}

/* One aggregate over one argument type: fn(arg) with its param, NULL arg vector for (*). */
struct agg_case {
    const struct sl_agg_fn *fn;
    enum sl_type type;
    double param;
    bool star;
};

/* Steps vals[0..n) (event times times[i], or none) into state, a chunk at a time. */
static void step_values(const struct agg_case *c, void *state, const struct sl_value *vals,
                        const int64_t *times, size_t n, struct sl_arena *keep)
{
    struct sl_arena *scratch = arena_create(0);
    struct sl_vector v, t;
    assert_int_equal(vector_init(scratch, c->type, &v), SL_OK);
    assert_int_equal(vector_init(scratch, SL_TIMESTAMP, &t), SL_OK);
    void *states[SL_CHUNK_CAP];
    uint32_t rows[SL_CHUNK_CAP];
    for (size_t from = 0; from < n; from += SL_CHUNK_CAP) {
        uint32_t m = n - from < SL_CHUNK_CAP ? (uint32_t)(n - from) : SL_CHUNK_CAP;
        for (uint32_t i = 0; i < m; i++) {
            vector_set(&v, i, vals[from + i]);
            vector_set(&t, i, (struct sl_value){.type = SL_TIMESTAMP,
                                                .u.i = times ? times[from + i] : 0});
            states[i] = state;
            rows[i] = i;
        }
        c->fn->step(states, c->star ? NULL : &v, times ? &t : NULL, rows, m, keep);
    }
    arena_destroy(scratch);
}

/* A fresh state of c in a. */
static void *new_state(const struct agg_case *c, struct sl_arena *a)
{
    void *s = arena_alloc(a, c->fn->state_size(c->type));
    assert_non_null(s);
    c->fn->init(s, c->type, c->param);
    return s;
}

static struct sl_buf encode(const struct agg_case *c, const void *state)
{
    struct sl_buf b;
    buf_init(&b);
    c->fn->serialize(state, c->type, &b);
    assert_false(b.failed);
    return b;
}

static bool decode(const struct agg_case *c, void *state, const void *p, size_t len,
                   struct sl_arena *keep)
{
    return c->fn->deserialize(state, c->type, c->param, p, len, keep);
}

/* After a rejected decode: state is what init leaves (same value, same encoding). */
static void assert_initialised(const struct agg_case *c, const void *state, struct sl_arena *a)
{
    struct sl_buf got = encode(c, state), want = encode(c, new_state(c, a));
    assert_int_equal(got.len, want.len);
    assert_memory_equal(buf_str(&got), buf_str(&want), got.len);
    assert_same(agg_value(c->fn, state, c->type, a),
                agg_value(c->fn, new_state(c, a), c->type, a));
    buf_free(&got);
    buf_free(&want);
}

/* A state that decoded works: a value, an encoding that decodes again, a combine. */
static void exercise(const struct agg_case *c, const void *state, struct sl_arena *a)
{
    struct sl_value v = agg_value(c->fn, state, c->type, a);
    if (v.type == SL_TEXT)
        assert_true(v.u.s.len == 0 || v.u.s.ptr != NULL);
    struct sl_buf again = encode(c, state);
    void *copy = new_state(c, a);
    assert_true(decode(c, copy, again.data, again.len, a));
    buf_free(&again);
    void *sum = new_state(c, a);
    c->fn->combine(sum, state, c->type, a);
    c->fn->combine(sum, copy, c->type, a);
    agg_value(c->fn, sum, c->type, a);
}

/* The encoding e of a state of c: every strict prefix and e plus a byte are rejected; random
 * mutations are rejected or decode to a working state. */
static void check_malformed(const struct agg_case *c, const unsigned char *e, size_t len,
                            uint64_t *seed)
{
    struct sl_arena *a = arena_create(0);
    /* Each prefix in a buffer of its own size, so ASan sees a read past it. */
    size_t step = len > 4096 ? len / 512 : 1;
    for (size_t n = 0; n < len; n += step) {
        unsigned char *cut = malloc(n ? n : 1);
        memcpy(cut, e, n);
        void *s = new_state(c, a);
        assert_false(decode(c, s, cut, n, a));
        assert_initialised(c, s, a);
        free(cut);
    }
    unsigned char *longer = malloc(len + 1);
    memcpy(longer, e, len);
    longer[len] = 0;
    void *s = new_state(c, a);
    assert_false(decode(c, s, longer, len + 1, a));
    assert_initialised(c, s, a);
    free(longer);

    unsigned char *m = malloc(len ? len : 1);
    for (int round = 0; round < 300 && len; round++) {
        memcpy(m, e, len);
        int flips = 1 + (int)(next_random(seed) % 3);
        for (int f = 0; f < flips; f++) {
            size_t at = next_random(seed) % len;
            uint64_t r = next_random(seed);
            m[at] = r & 1 ? (unsigned char)(r >> 8) : m[at] ^ (unsigned char)(1u << (r >> 8) % 8);
        }
        struct sl_arena *keep = arena_create(0);
        s = new_state(c, keep);
        if (decode(c, s, m, len, keep))
            exercise(c, s, keep);
        else
            assert_initialised(c, s, keep);
        arena_destroy(keep);
    }
    free(m);
    arena_destroy(a);
}

/*
 * Steps vals into a state in its own arena, encodes it, decodes into a state in another arena
 * and destroys the first: the value is the original's, the encoding decodes to the same bytes
 * (but for a DISTINCT set, whose slot order may change), and combining more rows into either
 * gives the same value. Then the malformed-input checks on the encoding.
 */
static void check_case(const struct agg_case *c, const struct sl_value *vals,
                       const int64_t *times, size_t n, uint64_t *seed)
{
    struct sl_arena *orig = arena_create(0), *restored = arena_create(0), *out = arena_create(0);
    void *s = new_state(c, orig);
    step_values(c, s, vals, times, n, orig);
    struct sl_value want = agg_value(c->fn, s, c->type, out);
    if (want.type == SL_TEXT)
        want.u.s.ptr = arena_memdup(out, want.u.s.ptr, want.u.s.len + 1);
    /* The value after combining the rows' first half once more, into the original. */
    void *more = new_state(c, out), *grown = new_state(c, out);
    step_values(c, more, vals, times, n / 2, out);
    c->fn->combine(grown, s, c->type, out);
    c->fn->combine(grown, more, c->type, out);
    struct sl_value want_grown = agg_value(c->fn, grown, c->type, out);
    struct sl_buf e = encode(c, s);
    arena_destroy(orig);

    void *r = new_state(c, restored);
    assert_true(decode(c, r, e.data, e.len, restored));
    assert_same(want, agg_value(c->fn, r, c->type, out));
    struct sl_buf again = encode(c, r);
    assert_int_equal(again.len, e.len);
    if (!c->fn->distinct)
        assert_memory_equal(again.data, e.data, e.len);
    buf_free(&again);
    void *rgrown = new_state(c, out);
    c->fn->combine(rgrown, r, c->type, out);
    c->fn->combine(rgrown, more, c->type, out);
    arena_destroy(restored);
    assert_same(want_grown, agg_value(c->fn, rgrown, c->type, out));
    arena_destroy(out);

    check_malformed(c, (const unsigned char *)e.data, e.len, seed);
    buf_free(&e);
}

static const char *const names[] = {
    "count",          "sum",         "avg",          "min",
    "max",            "var_pop",     "var_samp",     "stddev_samp",
    "earliest",       "latest",      "collect_list", "approx_count_distinct",
    "approx_percentile", "distinct count", "distinct sum", "distinct avg",
};

/* Runs check_case for every aggregate over every argument type it takes. */
static void check_all(enum sl_type type, const struct sl_value *vals, const int64_t *times,
                      size_t n, uint64_t *seed)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct agg_case c = {.fn = lookup(names[i]), .type = type, .param = 0.5};
        enum sl_type result;
        char why[128];
        assert_non_null(c.fn);
        if (!c.fn->infer(type, &result, why, sizeof why))
            continue;
        check_case(&c, vals, times, n, seed);
        if (c.fn->by_time)
            check_case(&c, vals, NULL, n, seed);
    }
}

static void test_roundtrip_types(void **state)
{
    (void)state;
    uint64_t seed = 1;
    struct sl_value ints[] = {I(5), NUL, I(INT64_MIN), I(INT64_MAX), I(-2), I(5), I(0)};
    struct sl_value reals[] = {R(1.5), NUL, R(INFINITY), R(-0.0), R(1e308), R(4.9e-324),
                               R(-1e308), R(1.5)};
    struct sl_value texts[] = {T("pear"), NUL, T(""), T("a much longer piece of text"),
                               T("zero\0byte"), T("\xc3\xa9t\xc3\xa9"), T("apple"), T("pear")};
    struct sl_value bools[] = {B(true), NUL, B(false), B(true)};
    struct sl_value stamps[] = {TS(0), TS(-1), NUL, TS(INT64_MAX), TS(1700000000000000)};
    struct sl_value any[] = {I(1), R(1.0), T("1"), B(true), TS(5), NUL, R(-2.5), T(""),
                             I(INT64_MIN), R(-INFINITY)};
    struct sl_value nulls[] = {NUL, NUL};
    int64_t times[] = {50, 10, 30, 10, 70, 5, 90, 5, 60, 20};
    check_all(SL_INT, ints, times, 7, &seed);
    check_all(SL_REAL, reals, times, 8, &seed);
    check_all(SL_TEXT, texts, times, 8, &seed);
    check_all(SL_BOOL, bools, times, 4, &seed);
    check_all(SL_TIMESTAMP, stamps, times, 5, &seed);
    check_all(SL_ANY, any, times, 10, &seed);
    check_all(SL_NULL, nulls, times, 2, &seed);
    check_all(SL_INT, ints, times, 0, &seed);
    struct agg_case star = {.fn = lookup("count"), .type = SL_NULL, .star = true};
    check_case(&star, nulls, NULL, 2, &seed);
}

/* Many values: the sketches' other forms (HyperLogLog sparse and dense, a merged t-digest), a
 * DISTINCT set and a list that grew, the sum past int64. */
static void test_roundtrip_large(void **state)
{
    (void)state;
    uint64_t seed = 2;
    size_t sizes[] = {100, 3000, 40000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        struct sl_value *vals = malloc(n * sizeof *vals);
        for (size_t i = 0; i < n; i++)
            vals[i] = (struct sl_value){.type = SL_INT, .u.i = (int64_t)next_random(&seed)};
        const char *big[] = {"sum", "avg", "approx_count_distinct", "approx_percentile",
                             "distinct count", "collect_list"};
        for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
            /* The malformed-input checks are the slow part: the smaller sizes cover them. */
            if (n > 3000 && strcmp(big[i], "approx_count_distinct") != 0)
                continue;
            struct agg_case c = {.fn = lookup(big[i]), .type = SL_INT, .param = 0.9};
            check_case(&c, vals, NULL, n, &seed);
        }
        free(vals);
    }
    /* Infinities in a t-digest that was merged: each its own centroid, never a NaN one. */
    struct sl_value *reals = malloc(3000 * sizeof *reals);
    for (size_t i = 0; i < 3000; i++) {
        uint64_t r = next_random(&seed);
        reals[i] = (struct sl_value){.type = SL_REAL, .u.r = (double)(int64_t)r / 1e6};
        if (r % 11 == 0)
            reals[i].u.r = r % 2 ? INFINITY : -INFINITY;
    }
    struct agg_case pct = {.fn = lookup("approx_percentile"), .type = SL_REAL, .param = 0.5};
    check_case(&pct, reals, NULL, 3000, &seed);
    free(reals);
}

/* Decodes hand-made bytes for c: must be rejected, leaving an initialised state. */
static void reject(const char *name, enum sl_type type, const void *p, size_t len)
{
    struct agg_case c = {.fn = lookup(name), .type = type, .param = 0.5};
    struct sl_arena *a = arena_create(0);
    void *s = new_state(&c, a);
    assert_false(decode(&c, s, p, len, a));
    assert_initialised(&c, s, a);
    arena_destroy(a);
}

/* Encodings that are well formed bytewise but mean an impossible state. */
static void test_rejects(void **state)
{
    (void)state;
    struct sl_buf b;
    buf_init(&b);
#define BYTES(...) \
    (const unsigned char[]){__VA_ARGS__}, sizeof((const unsigned char[]){__VA_ARGS__})
    reject("count", SL_INT, BYTES(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)); /* -1 */
    reject("count", SL_INT, BYTES(1, 0, 0, 0, 0, 0, 0x20, 0)); /* CODEC_COUNT_MAX + 1 */
    reject("sum", SL_INT, BYTES(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
                                0, 0, 0, 4)); /* flag bit 2 */
    reject("var_pop", SL_REAL, BYTES(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0,
                                     0, 0, 0, 0, 0, 0, 0)); /* n 0, mean 1 */
    reject("min", SL_INT, BYTES(9)); /* unknown tag */
    reject("min", SL_BOOL, BYTES(1, 2)); /* a boolean byte 2 */
    reject("min", SL_INT, BYTES(4, 0, 0, 0, 0)); /* TEXT for an INTEGER argument */
    reject("min", SL_NULL, BYTES(2, 0, 0, 0, 0, 0, 0, 0, 0)); /* a value for NULL */
    reject("max", SL_TEXT, BYTES(4, 0xff, 0xff, 0xff, 0xff, 'a')); /* length past the end */
    reject("earliest", SL_INT, BYTES(0, 0, 0, 0, 0, 0, 0, 0, 0)); /* NULL with a time */
    codec_put_u8(&b, 3);
    codec_put_f64(&b, NAN);
    reject("max", SL_REAL, b.data, b.len);
    buf_clear(&b);
    codec_put_u32(&b, 2);
    codec_put_value(&b, (struct sl_value)I(1));
    codec_put_value(&b, (struct sl_value)R(1.0)); /* 1 and 1.0 are one value */
    reject("distinct count", SL_ANY, b.data, b.len);
    buf_clear(&b);
    codec_put_u32(&b, 1);
    codec_put_value(&b, sl_null());
    reject("distinct count", SL_ANY, b.data, b.len);
    buf_clear(&b);
    codec_put_u32(&b, 0xffffffffu); /* a count the bytes cannot hold */
    reject("collect_list", SL_ANY, b.data, b.len);
    reject("distinct sum", SL_INT, b.data, b.len);
    buf_clear(&b);
    codec_put_u8(&b, 0); /* exact, a hash twice */
    codec_put_u32(&b, 2);
    codec_put_i64(&b, 7);
    codec_put_i64(&b, 7);
    reject("approx_count_distinct", SL_INT, b.data, b.len);
    buf_clear(&b);
    codec_put_u8(&b, 1); /* sparse, indexes not increasing */
    codec_put_u32(&b, 2);
    buf_append(&b, "\x05\x00\x01\x05\x00\x01", 6);
    reject("approx_count_distinct", SL_INT, b.data, b.len);
    buf_clear(&b);
    codec_put_u8(&b, 1); /* sparse, a register past HLL_Q + 1 */
    codec_put_u32(&b, 1);
    buf_append(&b, "\x05\x00\x34", 3);
    reject("approx_count_distinct", SL_INT, b.data, b.len);
    buf_clear(&b);
    /* t-digests: NaN mean, zero weight, unsorted merged prefix, min > max, too many entries. */
    const double bad[][4] = {{NAN, 1, 2, 1}, {1, 0, 2, 1}, {2, 1, 1, 1}, {1, 1, 2, 1}};
    const uint32_t merged[] = {0, 0, 2, 0};
    const double lo[] = {0, 0, 0, 3}, hi[] = {3, 3, 3, 0};
    for (int k = 0; k < 4; k++) {
        codec_put_u32(&b, 2);
        codec_put_u32(&b, merged[k]);
        codec_put_f64(&b, lo[k]);
        codec_put_f64(&b, hi[k]);
        for (int j = 0; j < 4; j++)
            codec_put_f64(&b, bad[k][j]);
        reject("approx_percentile", SL_INT, b.data, b.len);
        buf_clear(&b);
    }
    codec_put_u32(&b, 513);
    reject("approx_percentile", SL_INT, b.data, b.len);
    buf_free(&b);
}

/* All of a payload's states in one blob: the values come back; another format byte, another
 * aggregate count, a truncated blob or a bad state inside are rejected with every state
 * initialised. */
static void test_agg_set_blob(void **state)
{
    (void)state;
    const char *fns[] = {"count", "min", "collect_list", "approx_percentile", "distinct sum"};
    const enum sl_type types[] = {SL_NULL, SL_TEXT, SL_ANY, SL_REAL, SL_INT};
    struct sl_value texts[] = {T("b"), T("a"), NUL}, any[] = {I(1), T("x"), NUL},
                    reals[] = {R(2.5), R(-1), NUL}, ints[] = {I(3), I(3), I(4)};
    const struct sl_value *vals[] = {texts, texts, any, reals, ints};
    struct sl_agg_spec specs[5];
    for (int a = 0; a < 5; a++)
        specs[a] = (struct sl_agg_spec){.fn = lookup(fns[a]), .arg_type = types[a],
                                        .param = 0.25, .arg_column = a == 0 ? -1 : a};
    struct sl_agg_set set;
    assert_true(agg_set_init(&set, 5, specs, 8));
    struct sl_arena *orig = arena_create(0), *keep = arena_create(0), *out = arena_create(0);
    void *payload = arena_calloc(orig, set.size), *back = arena_calloc(keep, set.size);
    agg_set_init_states(&set, payload);
    for (int a = 0; a < 5; a++) {
        struct agg_case c = {.fn = specs[a].fn, .type = types[a], .param = 0.25, .star = a == 0};
        step_values(&c, (unsigned char *)payload + set.off[a], vals[a], NULL, 3, orig);
    }
    struct sl_value want[5];
    for (int a = 0; a < 5; a++) {
        want[a] = agg_value(specs[a].fn, (unsigned char *)payload + set.off[a], types[a], out);
        if (want[a].type == SL_TEXT)
            want[a].u.s.ptr = arena_memdup(out, want[a].u.s.ptr, want[a].u.s.len + 1);
    }
    struct sl_buf blob;
    buf_init(&blob);
    agg_set_serialize(&set, payload, &blob);
    assert_false(blob.failed);
    assert_int_equal((unsigned char)blob.data[0], AGG_SET_FORMAT);
    arena_destroy(orig);
    assert_true(agg_set_deserialize(&set, back, (unsigned char *)blob.data, blob.len, keep));
    for (int a = 0; a < 5; a++)
        assert_same(want[a],
                    agg_value(specs[a].fn, (unsigned char *)back + set.off[a], types[a], out));

    /* Rejected: every state as init leaves it. */
    void *fresh = arena_calloc(out, set.size);
    agg_set_init_states(&set, fresh);
    struct sl_buf init_blob;
    buf_init(&init_blob);
    agg_set_serialize(&set, fresh, &init_blob);
    unsigned char *bad = malloc(blob.len + 1);
    for (size_t variant = 0; variant <= blob.len + 2; variant++) {
        size_t len = blob.len;
        memcpy(bad, blob.data, blob.len);
        if (variant == blob.len + 2)
            bad[0] = AGG_SET_FORMAT + 1;
        else if (variant == blob.len + 1)
            bad[1] = 4; /* naggs */
        else if (variant == blob.len)
            bad[len++] = 0;
        else
            len = variant;
        assert_false(agg_set_deserialize(&set, back, bad, len, keep));
        struct sl_buf got;
        buf_init(&got);
        agg_set_serialize(&set, back, &got);
        assert_int_equal(got.len, init_blob.len);
        assert_memory_equal(got.data, init_blob.data, got.len);
        buf_free(&got);
    }
    free(bad);
    buf_free(&init_blob);
    buf_free(&blob);
    arena_destroy(keep);
    arena_destroy(out);
    agg_set_free(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_types),
        cmocka_unit_test(test_roundtrip_large),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_agg_set_blob),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
