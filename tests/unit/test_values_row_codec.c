/* test_values_row_codec.c — rows as bytes for the outbox (engine/values/row_codec.c): a round
 * trip of every type and change kind, and bytes that are not rows refused, never misread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine/values/row_codec.h"

static void test_round_trip(void **state)
{
    (void)state;
    struct sl_arena *arena = arena_create(0);
    enum sl_type types[] = {SL_INT, SL_TEXT, SL_REAL, SL_BOOL, SL_TIMESTAMP, SL_ARRAY};
    struct sl_chunk *c;
    assert_int_equal(chunk_create(arena, 6, types, &c), SL_OK);
    struct sl_value items[2] = {{.type = SL_TEXT, .u.s = {"x", 1}}, {.type = SL_NULL}};
    struct sl_array arr = {2, items};
    for (uint32_t r = 0; r < 3; r++) {
        vector_set(&c->cols[0], r, (struct sl_value){.type = SL_INT, .u.i = -(int64_t)r});
        vector_set(&c->cols[1], r, r == 1 ? (struct sl_value){.type = SL_NULL}
                                          : (struct sl_value){.type = SL_TEXT, .u.s = {"héllo", 6}});
        vector_set(&c->cols[2], r, (struct sl_value){.type = SL_REAL, .u.r = 0.5 * r});
        vector_set(&c->cols[3], r, (struct sl_value){.type = SL_BOOL, .u.b = r & 1});
        vector_set(&c->cols[4], r, (struct sl_value){.type = SL_TIMESTAMP, .u.i = 42 + r});
        vector_set(&c->cols[5], r, (struct sl_value){.type = SL_ARRAY, .u.a = &arr});
    }
    c->count = 3;
    c->row_kinds = arena_alloc(arena, 3);
    c->row_kinds[0] = SL_ROW_INSERT;
    c->row_kinds[1] = SL_ROW_UPDATE;
    c->row_kinds[2] = SL_ROW_DELETE;
    struct sl_buf bytes;
    buf_init(&bytes);
    row_codec_append(&bytes, c);
    struct sl_value values[18];
    uint8_t kinds[3];
    assert_true(row_codec_decode(bytes.data, bytes.len, 3, 6, values, kinds, arena));
    for (uint32_t r = 0; r < 3; r++) {
        assert_int_equal(kinds[r], c->row_kinds[r]);
        assert_int_equal(values[r * 6].u.i, -(int64_t)r);
        assert_int_equal(values[r * 6 + 1].type, r == 1 ? SL_NULL : SL_TEXT);
        assert_true(values[r * 6 + 2].u.r == 0.5 * r);
        assert_int_equal(values[r * 6 + 3].u.b, r & 1);
        assert_int_equal(values[r * 6 + 4].u.i, 42 + r);
        assert_int_equal(values[r * 6 + 5].u.a->count, 2);
        assert_memory_equal(values[r * 6 + 5].u.a->items[0].u.s.ptr, "x", 1);
    }
    assert_memory_equal(values[0 * 6 + 1].u.s.ptr, "héllo", 6);
    /* Every cut short, and one byte too many, is refused. */
    for (size_t n = 0; n < bytes.len; n++)
        assert_false(row_codec_decode(bytes.data, n, 3, 6, values, kinds, arena));
    buf_putc(&bytes, 0);
    assert_false(row_codec_decode(bytes.data, bytes.len, 3, 6, values, kinds, arena));
    buf_free(&bytes);
    arena_destroy(arena);
}

static void test_garbage_refused(void **state)
{
    (void)state;
    struct sl_arena *arena = arena_create(0);
    struct sl_value values[4];
    uint8_t kinds[2];
    /* a kind past DELETE; a type byte past the types; an array count past the bytes */
    const char bad_kind[] = {9, 0};
    const char bad_type[] = {0, 77};
    const char big_array[] = {0, SL_ARRAY, (char)0xff, (char)0xff, (char)0xff, 0x7f};
    assert_false(row_codec_decode(bad_kind, sizeof bad_kind, 1, 1, values, kinds, arena));
    assert_false(row_codec_decode(bad_type, sizeof bad_type, 1, 1, values, kinds, arena));
    assert_false(row_codec_decode(big_array, sizeof big_array, 1, 1, values, kinds, arena));
    arena_destroy(arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_garbage_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
