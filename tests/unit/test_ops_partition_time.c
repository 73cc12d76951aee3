/*
 * Unit tests for event time over partitions: the watermark follows the
 * slowest partition that is active, an idle one stops holding it, one that
 * has said nothing holds it until it idles, and it never goes back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "common/alloc.h"
#include "common/arena.h"
#include "engine/ops/ops.h"

#define SEC 1000000

static void test_floor_of_active_partitions(void **state)
{
    (void)state;
    struct sl_time_state t = {.watermark = INT64_MIN, .now = 100 * SEC};
    const int32_t ids[] = {0, 1, 3};
    assert_int_equal(time_set_partitions(&t, ids, 3, 10 * SEC), SL_OK);
    int64_t floor;
    assert_true(time_partitions_floor(&t, &floor));
    assert_int_equal(floor, INT64_MIN); /* none has spoken yet */
    time_partition_find(&t, 0)->max_time = 50 * SEC;
    time_partition_find(&t, 1)->max_time = 40 * SEC;
    assert_null(time_partition_find(&t, 2));
    assert_true(time_partitions_floor(&t, &floor));
    assert_int_equal(floor, INT64_MIN); /* partition 3 still holds it */
    t.now = 111 * SEC;                  /* 3 idles; 0 and 1 spoke at 105 */
    time_partition_find(&t, 0)->last_seen_us = 105 * SEC;
    time_partition_find(&t, 1)->last_seen_us = 105 * SEC;
    assert_true(time_partitions_floor(&t, &floor));
    assert_int_equal(floor, 40 * SEC);
    t.now = 200 * SEC; /* all idle */
    assert_false(time_partitions_floor(&t, &floor));
    /* Registering again keeps what is known. */
    const int32_t more[] = {0, 1, 2, 3};
    assert_int_equal(time_set_partitions(&t, more, 4, 10 * SEC), SL_OK);
    assert_int_equal(time_partition_find(&t, 0)->max_time, 50 * SEC);
    assert_int_equal(time_partition_find(&t, 2)->max_time, INT64_MIN);
    assert_int_equal(time_partition_find(&t, 2)->last_seen_us, 200 * SEC);
    sl_free(t.parts);
}

static void push_row(struct sl_op *wm, struct sl_arena *arena, int64_t ts, int64_t partition)
{
    const enum sl_type types[] = {SL_TIMESTAMP, SL_INT};
    struct sl_chunk *c;
    assert_int_equal(chunk_create(arena, 2, types, &c), SL_OK);
    c->cols[0].data.i[0] = ts;
    c->cols[0].nulls[0] = 0;
    c->cols[1].data.i[0] = partition;
    c->cols[1].nulls[0] = 0;
    c->count = 1;
    struct sl_error err;
    assert_int_equal(op_push(wm, c, &err), SL_OK);
}

static void test_watermark_op_over_partitions(void **state)
{
    (void)state;
    struct sl_arena *arena = arena_create(1 << 16);
    struct sl_time_state t = {.watermark = INT64_MIN, .now = 0};
    const int32_t ids[] = {0, 1};
    assert_int_equal(time_set_partitions(&t, ids, 2, 5 * SEC), SL_OK);
    const enum sl_type types[] = {SL_TIMESTAMP, SL_INT};
    const char *const names[] = {"ts", "kafka_partition"};
    struct sl_op *wm;
    struct sl_error err;
    assert_int_equal(op_watermark_create(arena, 0, 1, 2 * SEC, &t, 2, types, names, &wm, &err),
                     SL_OK);
    /* No operator after it: its output is not looked at here. */

    push_row(wm, arena, 100 * SEC, 0);
    assert_int_equal(t.watermark, INT64_MIN); /* partition 1 has said nothing */
    push_row(wm, arena, 90 * SEC, 1);
    assert_int_equal(t.watermark, 88 * SEC); /* the slower partition's time - 2 s */
    push_row(wm, arena, 120 * SEC, 0);
    assert_int_equal(t.watermark, 88 * SEC);
    /* Partition 1 idles: the flush at the batch's end lets the faster one lead. */
    t.now = 6 * SEC;
    time_partition_find(&t, 0)->last_seen_us = 6 * SEC;
    assert_int_equal(op_flush(wm, &err), SL_OK);
    assert_int_equal(t.watermark, 118 * SEC);
    /* It speaks again, behind: it holds the watermark from now on, which does not go back. */
    push_row(wm, arena, 95 * SEC, 1);
    assert_int_equal(t.watermark, 118 * SEC);
    push_row(wm, arena, 130 * SEC, 0);
    assert_int_equal(t.watermark, 118 * SEC);
    push_row(wm, arena, 125 * SEC, 1);
    assert_int_equal(t.watermark, 123 * SEC);

    op_destroy_chain(wm);
    sl_free(t.parts);
    arena_destroy(arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_floor_of_active_partitions),
        cmocka_unit_test(test_watermark_op_over_partitions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
