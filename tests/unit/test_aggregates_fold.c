/* test_aggregates_fold.c — the aggregates beyond COUNT/SUM/MIN/MAX/AVG: combine of two
 * partial states equals stepping all the rows (what hopping windows and session merges rely
 * on), and the sketches' error bounds (approx_count_distinct within 2%, approx_percentile
 * within 1% of rank). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/aggregates/aggregate.h"
#include "agg_call.h"

/* The DISTINCT form when the name starts with "distinct ". */
static const struct sl_agg_fn *lookup(const char *name)
{
    if (strncmp(name, "distinct ", 9) == 0)
        return aggregate_lookup_distinct(aggregate_lookup(name + 9));
    return aggregate_lookup(name);
}

/* Steps rows [from, to) of v (event times t, or NULL) into state. */
static void step_range(const struct sl_agg_fn *fn, void *state, const struct sl_vector *v,
                       const struct sl_vector *t, uint32_t from, uint32_t to,
                       struct sl_arena *keep)
{
    void *states[SL_CHUNK_CAP];
    uint32_t rows[SL_CHUNK_CAP];
    for (uint32_t i = from; i < to; i++) {
        states[i - from] = state;
        rows[i - from] = i;
    }
    fn->step(states, v, t, rows, to - from, keep);
}

static void assert_value_equal(struct sl_value x, struct sl_value y, double tolerance)
{
    assert_int_equal(x.type, y.type);
    if (x.type == SL_TEXT) {
        assert_int_equal(x.u.s.len, y.u.s.len);
        assert_memory_equal(x.u.s.ptr, y.u.s.ptr, x.u.s.len);
    } else if (x.type == SL_REAL) {
        assert_true(fabs(x.u.r - y.u.r) <= tolerance * (1 + fabs(x.u.r)));
    } else if (x.type != SL_NULL) {
        assert_int_equal(x.u.i, y.u.i);
    }
}

/* For every split point: combine(step(rows before), step(rows after)) == step(all rows), within
 * tolerance for REAL results. Each part's arena is destroyed before final, as a dropped slice's
 * is: combine must have copied what it keeps. */
static void check_combine(const char *name, double param, enum sl_type type,
                          const struct sl_value *vals, const int64_t *times, uint32_t n,
                          double tolerance)
{
    const struct sl_agg_fn *fn = lookup(name);
    assert_non_null(fn);
    struct sl_arena *a = arena_create(0);
    struct sl_vector v, t;
    assert_int_equal(vector_init(a, type, &v), SL_OK);
    assert_int_equal(vector_init(a, SL_TIMESTAMP, &t), SL_OK);
    for (uint32_t i = 0; i < n; i++) {
        vector_set(&v, i, vals[i]);
        vector_set(&t, i, (struct sl_value){.type = SL_TIMESTAMP, .u.i = times ? times[i] : 0});
    }
    const struct sl_vector *tv = times ? &t : NULL;
    size_t size = fn->state_size(type);
    void *all = arena_alloc(a, size), *left = arena_alloc(a, size);
    fn->init(all, type, param);
    step_range(fn, all, &v, tv, 0, n, a);
    struct sl_value want = agg_value(fn, all, type, a);
    for (uint32_t cut = 0; cut <= n; cut++) {
        struct sl_arena *parts = arena_create(0), *kept = arena_create(0);
        void *l = arena_alloc(parts, size), *r = arena_alloc(parts, size);
        fn->init(l, type, param);
        fn->init(r, type, param);
        step_range(fn, l, &v, tv, 0, cut, parts);
        step_range(fn, r, &v, tv, cut, n, parts);
        fn->init(left, type, param);
        fn->combine(left, l, type, kept);
        fn->combine(left, r, type, kept);
        arena_destroy(parts);
        assert_value_equal(want, agg_value(fn, left, type, a), tolerance);
        arena_destroy(kept);
    }
    arena_destroy(a);
}

#define I(x) {.type = SL_INT, .u.i = (x)}
#define R(x) {.type = SL_REAL, .u.r = (x)}
#define T(x) {.type = SL_TEXT, .u.s = {(x), sizeof(x) - 1}}
#define NUL {.type = SL_NULL}

static void test_combine_exact(void **state)
{
    (void)state;
    struct sl_value ints[] = {I(5), NUL, I(-2), I(5), I(40), I(1), NUL, I(-2), I(7)};
    struct sl_value any[] = {I(1), R(1.0), T("1"), T("one"), NUL, R(2.5), T("one"), I(3)};
    struct sl_value texts[] = {T("pear"), T("apple"), NUL, T("a much longer piece of text"),
                               T("zoo"), T("pear"), T("")};
    int64_t times[] = {50, 10, 30, 10, 70, 5, 90, 5, 60};
    const char *exact[] = {"distinct count", "distinct sum", "distinct avg", "distinct min",
                           "collect_list", "approx_count_distinct", "earliest", "latest"};
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++) {
        check_combine(exact[i], 0, SL_INT, ints, NULL, 9, 0);
        check_combine(exact[i], 0, SL_INT, ints, times, 9, 0);
        if (strcmp(exact[i], "distinct sum") && strcmp(exact[i], "distinct avg"))
            check_combine(exact[i], 0, SL_TEXT, texts, times, 7, 0);
        check_combine(exact[i], 0, SL_ANY, any, times, 8, 1e-15);
    }
}

static void test_combine_variance(void **state)
{
    (void)state;
    struct sl_value vals[] = {R(1e9 + 4), R(1e9 + 7), NUL, R(1e9 + 13), R(1e9 + 16), I(1000000010)};
    const char *names[] = {"var_pop", "var_samp", "variance", "stddev_pop", "stddev_samp",
                           "stddev"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        check_combine(names[i], 0, SL_ANY, vals, NULL, 6, 1e-9);
        check_combine(names[i], 0, SL_ANY, vals, NULL, 1, 0);
    }
}

static struct sl_value eval(const char *name, double param, enum sl_type type,
                            const struct sl_value *vals, uint32_t n, struct sl_arena *a)
{
    const struct sl_agg_fn *fn = lookup(name);
    struct sl_vector v;
    assert_int_equal(vector_init(a, type, &v), SL_OK);
    for (uint32_t i = 0; i < n; i++)
        vector_set(&v, i, vals[i]);
    void *st = arena_alloc(a, fn->state_size(type));
    fn->init(st, type, param);
    step_range(fn, st, &v, NULL, 0, n, a);
    return agg_value(fn, st, type, a);
}

/* Values against what PostgreSQL returns: the variance of shifted values is not lost. */
static void test_variance_values(void **state)
{
    (void)state;
    struct sl_arena *a = arena_create(0);
    struct sl_value shifted[] = {R(1e9 + 4), R(1e9 + 7), R(1e9 + 13), R(1e9 + 16)};
    assert_true(eval("var_samp", 0, SL_REAL, shifted, 4, a).u.r == 30.0);
    assert_true(eval("var_pop", 0, SL_REAL, shifted, 4, a).u.r == 22.5);
    struct sl_value one[] = {I(3)};
    assert_int_equal(eval("var_samp", 0, SL_INT, one, 1, a).type, SL_NULL);
    assert_int_equal(eval("stddev_samp", 0, SL_INT, one, 1, a).type, SL_NULL);
    assert_true(eval("var_pop", 0, SL_INT, one, 1, a).u.r == 0.0);
    assert_int_equal(eval("stddev_pop", 0, SL_INT, one, 0, a).type, SL_NULL);
    arena_destroy(a);
}

/* 1 and 1.0 are one value; 1 and '1' two; NULL none. */
static void test_distinct_values(void **state)
{
    (void)state;
    struct sl_arena *a = arena_create(0);
    struct sl_value any[] = {I(1), R(1.0), T("1"), NUL, R(2.5), I(1)};
    assert_int_equal(eval("distinct count", 0, SL_ANY, any, 6, a).u.i, 3);
    struct sl_value ints[] = {I(2), I(2), I(3), NUL};
    assert_int_equal(eval("distinct sum", 0, SL_INT, ints, 4, a).u.i, 5);
    assert_true(eval("distinct avg", 0, SL_INT, ints, 4, a).u.r == 2.5);
    assert_null(aggregate_lookup_distinct(aggregate_lookup("collect_list")));
    arena_destroy(a);
}

static void test_collect_list_json(void **state)
{
    (void)state;
    struct sl_arena *a = arena_create(0);
    struct sl_value any[] = {I(1), R(1.5), T("a \"q\""), NUL, {.type = SL_BOOL, .u.b = true}};
    struct sl_value r = eval("collect_list", 0, SL_ANY, any, 5, a);
    assert_int_equal(r.type, SL_TEXT);
    assert_int_equal(r.u.s.len, strlen("[1,1.5,\"a \\\"q\\\"\",null,true]"));
    assert_memory_equal(r.u.s.ptr, "[1,1.5,\"a \\\"q\\\"\",null,true]", r.u.s.len);
    arena_destroy(a);
}

/* A 64-bit generator (splitmix64), so the sketches see the same input every run. */
static uint64_t next_random(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Steps the integers vals[0..n) into state in chunks. */
static void step_ints(const struct sl_agg_fn *fn, void *state, const int64_t *vals, size_t n,
                      struct sl_vector *v, struct sl_arena *keep)
{
    for (size_t from = 0; from < n; from += SL_CHUNK_CAP) {
        uint32_t m = n - from < SL_CHUNK_CAP ? (uint32_t)(n - from) : SL_CHUNK_CAP;
        for (uint32_t i = 0; i < m; i++) {
            v->data.i[i] = vals[from + i];
            v->nulls[i] = 0;
        }
        step_range(fn, state, v, NULL, 0, m, keep);
    }
}

/* approx_count_distinct within 2% for 1e3..1e6 distinct values (each seen twice), folded in
 * one state and through ten partial states combined. */
static void test_hll_error(void **state)
{
    (void)state;
    const struct sl_agg_fn *fn = aggregate_lookup("approx_count_distinct");
    size_t sizes[] = {100, 1000, 10000, 50000, 100000, 300000, 1000000};
    uint64_t seed = 42;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        int64_t *vals = malloc(2 * n * sizeof *vals);
        assert_non_null(vals);
        for (size_t i = 0; i < n; i++)
            vals[i] = vals[n + i] = (int64_t)next_random(&seed);
        struct sl_arena *a = arena_create(0);
        struct sl_vector v;
        assert_int_equal(vector_init(a, SL_INT, &v), SL_OK);
        void *one = arena_alloc(a, fn->state_size(SL_INT));
        void *merged = arena_alloc(a, fn->state_size(SL_INT));
        void *part = arena_alloc(a, fn->state_size(SL_INT));
        fn->init(one, SL_INT, 0);
        fn->init(merged, SL_INT, 0);
        step_ints(fn, one, vals, 2 * n, &v, a);
        for (size_t p = 0; p < 10; p++) {
            fn->init(part, SL_INT, 0);
            step_ints(fn, part, vals + p * (2 * n / 10), 2 * n / 10, &v, a);
            fn->combine(merged, part, SL_INT, a);
        }
        int64_t est = agg_value(fn, one, SL_INT, a).u.i;
        int64_t est2 = agg_value(fn, merged, SL_INT, a).u.i;
        double err = fabs((double)est - (double)n) / (double)n;
        printf("approx_count_distinct: %zu distinct -> %lld (error %.3f%%)\n", n, (long long)est,
               100 * err);
        assert_true(err <= 0.02);
        assert_int_equal(est, est2);
        arena_destroy(a);
        free(vals);
    }
}

static int cmp_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The largest |rank(estimate) / n - p| over the ps, with data sorted into `sorted`. */
static double rank_error(const int64_t *sorted, size_t n, double p, double estimate)
{
    /* Rank of the estimate: values below it, plus half the ties (a value at a tie is right at
     * any rank among them). */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((double)sorted[mid] < estimate)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t below = lo, upto = lo;
    while (upto < n && (double)sorted[upto] <= estimate)
        upto++;
    double r0 = (double)below / (double)n, r1 = (double)upto / (double)n;
    return p < r0 ? r0 - p : p > r1 ? p - r1 : 0;
}

/* approx_percentile within 1% of rank on 1e6 values in random, ascending and descending order,
 * with repeats, in one state and through 100 partial states combined (hopping slices). */
static void test_percentile_error(void **state)
{
    (void)state;
    const struct sl_agg_fn *fn = aggregate_lookup("approx_percentile");
    const size_t n = 1000000;
    const double ps[] = {0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1};
    int64_t *vals = malloc(n * sizeof *vals), *sorted = malloc(n * sizeof *sorted);
    assert_non_null(vals);
    assert_non_null(sorted);
    uint64_t seed = 7;
    double worst = 0;
    for (int order = 0; order < 4; order++) {
        for (size_t i = 0; i < n; i++)
            vals[i] = order == 3 ? (int64_t)(next_random(&seed) % 1000)
                                 : (int64_t)(next_random(&seed) >> 20);
        memcpy(sorted, vals, n * sizeof *vals);
        qsort(sorted, n, sizeof *sorted, cmp_int64);
        if (order == 1)
            memcpy(vals, sorted, n * sizeof *vals);
        for (size_t i = 0; order == 2 && i < n; i++)
            vals[i] = sorted[n - 1 - i];
        struct sl_arena *a = arena_create(0);
        struct sl_vector v;
        assert_int_equal(vector_init(a, SL_INT, &v), SL_OK);
        size_t size = fn->state_size(SL_INT);
        void *one = arena_alloc(a, size), *merged = arena_alloc(a, size);
        void *part = arena_alloc(a, size), *at = arena_alloc(a, size);
        fn->init(one, SL_INT, 0);
        fn->init(merged, SL_INT, 0);
        step_ints(fn, one, vals, n, &v, a);
        for (size_t p = 0; p < 100; p++) {
            fn->init(part, SL_INT, 0);
            step_ints(fn, part, vals + p * (n / 100), n / 100, &v, a);
            fn->combine(merged, part, SL_INT, a);
        }
        /* p is a state's: each p reads a copy made by combining into a state of that p. */
        for (size_t k = 0; k < sizeof ps / sizeof ps[0]; k++) {
            const void *digests[] = {one, merged};
            for (int d = 0; d < 2; d++) {
                fn->init(at, SL_INT, ps[k]);
                fn->combine(at, digests[d], SL_INT, a);
                double e = rank_error(sorted, n, ps[k], agg_value(fn, at, SL_INT, a).u.r);
                worst = fmax(worst, e);
                assert_true(e <= 0.01);
            }
        }
        arena_destroy(a);
    }
    printf("approx_percentile: largest rank error %.4f%% over 1e6 values\n", 100 * worst);
    free(vals);
    free(sorted);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_combine_exact),
        cmocka_unit_test(test_combine_variance),
        cmocka_unit_test(test_variance_values),
        cmocka_unit_test(test_distinct_values),
        cmocka_unit_test(test_collect_list_json),
        cmocka_unit_test(test_hll_error),
        cmocka_unit_test(test_percentile_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
