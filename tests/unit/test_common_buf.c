/*
 * Unit test for buf_append with nothing to append: the data of a buffer never
 * appended to is NULL, and appending it (source_socket_take_dropped appends
 * its dropped bytes, usually none) must not hand NULL to memcpy (UBSan).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "common/buf.h"

static void test_append_empty_buffer(void **state)
{
    (void)state;
    struct sl_buf empty, out;
    buf_init(&empty);
    buf_init(&out);
    buf_append(&out, empty.data, empty.len);
    assert_int_equal(out.len, 0);
    assert_string_equal(buf_str(&out), "");
    buf_append(&out, "ab", 2);
    buf_append(&out, empty.data, 0);
    assert_string_equal(buf_str(&out), "ab");
    buf_free(&out);
    buf_free(&empty);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_append_empty_buffer)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
