/* test_runtime_log_frame.c — records framed in a log row and read back (engine/runtime/log_frame.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "engine/runtime/log_frame.h"

static void test_round_trip(void **state)
{
    (void)state;
    struct sl_buf b;
    buf_init(&b);
    struct sl_record in[3] = {
        {.value = "{\"t\":1}", .len = 7, .key = "sensors/a", .key_len = 9},
        {.value = "", .len = 0},
        {.value = "line\n", .len = 5, .key = "", .key_len = 0},
    };
    for (int i = 0; i < 3; i++)
        log_frame_append(&b, &in[i]);
    assert_false(b.failed);
    size_t at = 0;
    struct sl_record out;
    for (int i = 0; i < 3; i++) {
        assert_true(log_frame_next(b.data, b.len, &at, &out));
        assert_int_equal(out.len, in[i].len);
        assert_memory_equal(out.value, in[i].value, in[i].len);
        /* No key and an empty key differ: a NULL column against ''. */
        assert_int_equal(out.key == NULL, in[i].key == NULL);
        if (in[i].key)
            assert_memory_equal(out.key, in[i].key, in[i].key_len);
        assert_int_equal(out.timestamp_us, INT64_MIN);
    }
    assert_false(log_frame_next(b.data, b.len, &at, &out));
    buf_free(&b);
}

static void test_cut_frames_are_refused(void **state)
{
    (void)state;
    struct sl_buf b;
    buf_init(&b);
    struct sl_record r = {.value = "payload", .len = 7, .key = "k", .key_len = 1};
    log_frame_append(&b, &r);
    struct sl_record out;
    for (size_t len = 0; len < b.len; len++) {
        size_t at = 0;
        assert_false(log_frame_next(b.data, len, &at, &out));
        assert_int_equal(at, 0);
    }
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_cut_frames_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
