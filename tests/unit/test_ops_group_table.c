/* test_ops_group_table.c — the group hash table: keys outlive the chunks they came from,
 * lookups across tables, groups added from key values (as a checkpoint restores them) found
 * again by rows, and many groups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "common/arena.h"
#include "engine/ops/group_table.h"
#include "engine/values/rowsel.h"

/* A one-column chunk of the given type holding the texts, in a fresh arena. */
static struct sl_chunk *text_chunk(struct sl_arena *a, enum sl_type type, const char *const *texts,
                                   uint32_t n)
{
    struct sl_chunk *c;
    assert_int_equal(chunk_create(a, 1, &type, &c), SL_OK);
    for (uint32_t i = 0; i < n; i++) {
        char *copy = arena_strndup(a, texts[i], strlen(texts[i]));
        struct sl_value v = {.type = SL_TEXT};
        v.u.s.ptr = copy;
        v.u.s.len = (uint32_t)strlen(copy);
        vector_set(&c->cols[0], i, v);
    }
    c->count = n;
    return c;
}

/* Keys whose chunk is gone (its arena reset and overwritten) are still the keys:
 * for a TEXT column and for a column of varying type (a CASE mixing text and numbers). */
static void test_keys_outlive_chunks(void **state)
{
    (void)state;
    const enum sl_type types[] = {SL_TEXT, SL_ANY};
    const char *first[] = {"a key longer than twelve bytes", "short", "another long key, 28 bytes"};
    const char *again[] = {"another long key, 28 bytes", "a key longer than twelve bytes", "new"};
    const uint32_t rows[] = {0, 1, 2};
    for (size_t t = 0; t < 2; t++) {
        struct sl_group_scratch *scratch = group_scratch_create(1, &types[t]);
        struct sl_group_table *g = group_table_create(1, &types[t], 8, 4096, scratch);
        struct sl_arena *a = arena_create(0);
        uint32_t gids[3];
        struct sl_error err;
        assert_int_equal(group_table_find(g, text_chunk(a, types[t], first, 3), rows, 3, gids, &err),
                         SL_OK);
        arena_reset(a);
        const char *junk[] = {"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "yyyyyyyyyyyyyyyyyyyyy",
                              "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"};
        text_chunk(a, types[t], junk, 3);
        arena_reset(a);
        assert_int_equal(group_table_find(g, text_chunk(a, types[t], again, 3), rows, 3, gids, &err),
                         SL_OK);
        assert_int_equal(gids[0], 2);
        assert_int_equal(gids[1], 0);
        assert_int_equal(gids[2], 3);
        assert_int_equal(group_table_count(g), 4);
        arena_destroy(a);
        for (uint32_t gid = 0; gid < 3; gid++) {
            struct sl_value v = group_table_key(g, gid, 0);
            assert_int_equal(v.type, SL_TEXT);
            assert_int_equal(v.u.s.len, strlen(first[gid]));
            assert_memory_equal(v.u.s.ptr, first[gid], v.u.s.len);
        }
        /* Another table finds the same groups by their keys, and copies them. */
        struct sl_group_table *h = group_table_create(1, &types[t], 8, 4096, scratch);
        assert_int_equal(group_table_lookup(h, g, 0), GROUP_NONE);
        uint32_t copied = group_table_insert_from(h, g, 2);
        assert_int_equal(copied, 0);
        assert_int_equal(group_table_lookup(h, g, 2), 0);
        group_table_destroy(g);
        struct sl_value v = group_table_key(h, 0, 0);
        assert_memory_equal(v.u.s.ptr, first[2], v.u.s.len);
        group_table_destroy(h);
        group_scratch_destroy(scratch);
    }
}

/* A hundred thousand integer groups through many rehashes, each found again. */
static void test_many_groups(void **state)
{
    (void)state;
    enum sl_type type = SL_INT;
    struct sl_group_scratch *scratch = group_scratch_create(1, &type);
    struct sl_group_table *g = group_table_create(1, &type, 8, 4096, scratch);
    struct sl_arena *a = arena_create(0);
    uint32_t gids[SL_CHUNK_CAP];
    struct sl_error err;
    for (int pass = 0; pass < 2; pass++) {
        for (int64_t base = 0; base < 100000; base += SL_CHUNK_CAP) {
            struct sl_chunk *c;
            assert_int_equal(chunk_create(a, 1, &type, &c), SL_OK);
            uint32_t n = 0;
            for (int64_t v = base; v < base + SL_CHUNK_CAP && v < 100000; v++)
                vector_set(&c->cols[0], n++, (struct sl_value){.type = SL_INT, .u.i = v * 7919});
            c->count = n;
            assert_int_equal(group_table_find(g, c, rowsel_iota, n, gids, &err), SL_OK);
            for (uint32_t k = 0; k < n; k++)
                assert_int_equal(gids[k], (uint32_t)(base + k));
            arena_reset(a);
        }
    }
    assert_int_equal(group_table_count(g), 100000);
    arena_destroy(a);
    group_table_destroy(g);
    group_scratch_destroy(scratch);
}

/* Groups added from values (NULL, short and long text, numbers of a varying-type key) are the
 * groups later rows with those keys find, and are found by value; a REAL 2.0 is the INT 2. */
static void test_insert_values(void **state)
{
    (void)state;
    const enum sl_type types[] = {SL_TEXT, SL_ANY};
    struct sl_group_scratch *scratch = group_scratch_create(2, types);
    struct sl_group_table *g = group_table_create(2, types, 8, 4096, scratch);
    struct sl_value keys[3][2] = {
        {sl_null(), {.type = SL_INT, .u.i = 2}},
        {{.type = SL_TEXT, .u.s = {"short", 5}}, sl_null()},
        {{.type = SL_TEXT, .u.s = {"a key longer than twelve bytes", 30}},
         {.type = SL_TEXT, .u.s = {"x", 1}}},
    };
    for (uint32_t i = 0; i < 3; i++) {
        assert_int_equal(group_table_lookup_values(g, keys[i]), GROUP_NONE);
        assert_int_equal(group_table_insert_values(g, keys[i]), i);
        assert_int_equal(group_table_lookup_values(g, keys[i]), i);
    }
    struct sl_value real_two[2] = {sl_null(), {.type = SL_REAL, .u.r = 2.0}};
    assert_int_equal(group_table_lookup_values(g, real_two), 0);
    struct sl_arena *a = arena_create(0);
    struct sl_chunk *c;
    assert_int_equal(chunk_create(a, 2, types, &c), SL_OK);
    for (uint32_t i = 0; i < 3; i++)
        for (uint32_t col = 0; col < 2; col++)
            vector_set(&c->cols[col], 2 - i, keys[i][col]);
    vector_set(&c->cols[0], 3, (struct sl_value){.type = SL_TEXT, .u.s = {"new", 3}});
    vector_set(&c->cols[1], 3, sl_null());
    c->count = 4;
    uint32_t gids[4];
    struct sl_error err;
    assert_int_equal(group_table_find(g, c, rowsel_iota, 4, gids, &err), SL_OK);
    assert_int_equal(gids[0], 2);
    assert_int_equal(gids[1], 1);
    assert_int_equal(gids[2], 0);
    assert_int_equal(gids[3], 3);
    arena_destroy(a);
    group_table_destroy(g);
    group_scratch_destroy(scratch);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_outlive_chunks),
        cmocka_unit_test(test_insert_values),
        cmocka_unit_test(test_many_groups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
