/* test_common_chunk.c — chunks and vectors: creation, typed round trips, selection, reset, arena
 * reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "common/arena.h"
#include "common/chunk.h"

static void test_create_and_round_trip(void **state)
{
    (void)state;
    struct sl_arena *a = arena_create(0);
    enum sl_type types[] = {SL_BOOL, SL_INT, SL_REAL, SL_TEXT, SL_TIMESTAMP, SL_ARRAY, SL_ANY};
    struct sl_chunk *c;
    assert_int_equal(chunk_create(a, 7, types, &c), SL_OK);
    assert_int_equal(c->ncols, 7);
    assert_int_equal(c->count, 0);
    assert_null(c->sel);
    struct sl_value item = {.type = SL_TEXT, .u.s = {"x", 1}};
    struct sl_array arr = {1, &item};
    struct sl_value vals[7] = {
        {.type = SL_BOOL, .u.b = true},
        {.type = SL_INT, .u.i = -42},
        {.type = SL_REAL, .u.r = 2.5},
        {.type = SL_TEXT, .u.s = {"hello", 5}},
        {.type = SL_TIMESTAMP, .u.i = 1700000000000000},
        {.type = SL_ARRAY, .u.a = &arr},
        {.type = SL_REAL, .u.r = 0.25},
    };
    for (uint32_t col = 0; col < 7; col++) {
        vector_set(&c->cols[col], 3, vals[col]);
        vector_set(&c->cols[col], 4, sl_null());
        struct sl_value got = vector_get(&c->cols[col], 3);
        assert_int_equal(got.type, vals[col].type);
        assert_int_equal(vector_get(&c->cols[col], 4).type, SL_NULL);
    }
    assert_true(vector_get(&c->cols[0], 3).u.b);
    assert_int_equal(vector_get(&c->cols[1], 3).u.i, -42);
    assert_true(vector_get(&c->cols[2], 3).u.r == 2.5);
    struct sl_value s = vector_get(&c->cols[3], 3);
    assert_int_equal(s.u.s.len, 5);
    assert_memory_equal(s.u.s.ptr, "hello", 5);
    assert_int_equal(vector_get(&c->cols[4], 3).u.i, 1700000000000000);
    assert_ptr_equal(vector_get(&c->cols[5], 3).u.a, &arr);
    assert_true(vector_get(&c->cols[6], 3).u.r == 0.25);
    arena_destroy(a);
}

static void test_selection_and_reset(void **state)
{
    (void)state;
    struct sl_arena *a = arena_create(0);
    enum sl_type t = SL_INT;
    struct sl_chunk *c;
    assert_int_equal(chunk_create(a, 1, &t, &c), SL_OK);
    for (uint32_t i = 0; i < 10; i++)
        vector_set(&c->cols[0], i, (struct sl_value){.type = SL_INT, .u.i = i * 10});
    vector_set(&c->cols[0], 5, sl_null());
    c->count = 10;
    assert_int_equal(chunk_active(c), 10);
    assert_int_equal(chunk_row(c, 7), 7);
    uint32_t sel[] = {1, 5, 9};
    c->sel = sel;
    c->nsel = 3;
    assert_int_equal(chunk_active(c), 3);
    assert_int_equal(chunk_row(c, 2), 9);
    assert_true(chunk_selection_valid(c));
    sel[1] = 1; /* a row twice */
    assert_false(chunk_selection_valid(c));
    sel[1] = 10; /* past the chunk's rows */
    assert_false(chunk_selection_valid(c));
    sel[1] = 5;
    assert_int_equal(vector_get(&c->cols[0], chunk_row(c, 0)).u.i, 10);
    assert_int_equal(vector_get(&c->cols[0], chunk_row(c, 1)).type, SL_NULL);
    chunk_reset(c);
    assert_int_equal(c->count, 0);
    assert_null(c->sel);
    assert_int_equal(c->cols[0].nulls[5], 0);
    assert_int_equal(c->cols[0].type, SL_INT);
    arena_destroy(a);
}

static void test_arena_reset(void **state)
{
    (void)state;
    struct sl_arena *a = arena_create(4096);
    for (int i = 0; i < 100; i++)
        assert_non_null(arena_alloc(a, 1000));
    void *big = arena_alloc(a, 100000);
    assert_non_null(big);
    assert_true(arena_reserved(a) >= 100000 + 100 * 1000);
    size_t standard = arena_reserved(a) - 100000;
    arena_reset(a);
    /* The oversized block is freed; standard blocks are kept for reuse... */
    assert_int_equal(arena_reserved(a), standard);
    /* ...so the same work again takes no more memory. */
    for (int i = 0; i < 100; i++)
        assert_non_null(arena_alloc(a, 1000));
    assert_int_equal(arena_reserved(a), standard);
    arena_reset(a);
    char *p = arena_strndup(a, "abc", 3);
    assert_string_equal(p, "abc");
    assert_int_equal((uintptr_t)arena_alloc(a, 3) % 16, 0);
    arena_destroy(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_and_round_trip),
        cmocka_unit_test(test_selection_and_reset),
        cmocka_unit_test(test_arena_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
