/*
 * Unit test for common/utf8.c's scans: sl_ascii_prefix stops at the first byte
 * of 0x80 or above and at the first NUL, wherever it lies against the 64- and
 * 8-byte steps, and sl_utf8_invalid_at reports a NUL as it reports a byte
 * that is not UTF-8 (a TEXT value cannot hold either).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "common/utf8.h"

#define LEN 200

static void test_prefix_stops_at_high_and_nul(void **state)
{
    (void)state;
    char buf[LEN];
    static const unsigned char stops[] = {0x00, 0x80, 0xC3, 0xFF};
    for (size_t s = 0; s < sizeof stops; s++) {
        for (size_t at = 0; at < LEN; at++) {
            memset(buf, 'a', LEN);
            buf[at] = (char)stops[s];
            assert_int_equal(sl_ascii_prefix(buf, LEN), at);
            /* A lone byte of 0x80 or above, or a NUL, is never well-formed here. */
            assert_int_equal(sl_utf8_invalid_at(buf, LEN), at);
        }
    }
    memset(buf, 0x7F, LEN);
    assert_int_equal(sl_ascii_prefix(buf, LEN), LEN);
    assert_int_equal(sl_ascii_prefix(buf, 0), 0);
}

static void test_utf8_then_nul(void **state)
{
    (void)state;
    const char text[] = "caf\xc3\xa9 \xe2\x82\xac and then\0 more";
    size_t len = sizeof text - 1;
    assert_int_equal(sl_ascii_prefix(text, len), 3);
    assert_int_equal(sl_utf8_invalid_at(text, len), (size_t)(strchr(text, '\0') - text));
    assert_int_equal(sl_utf8_invalid_at(text, strlen(text)), strlen(text));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prefix_stops_at_high_and_nul),
        cmocka_unit_test(test_utf8_then_nul),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
