/*
 * Unit test for sl_ts_parse's fixed-form fast path ("YYYY-MM-DD HH:MM:SS.ffffff"
 * read at fixed places, the last second's time kept): every such text, valid or
 * not, parses as the general parse reads it (reached by a leading space, which
 * the fast path never takes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "common/time.h"

static void check_same(const char *s)
{
    char padded[40] = " ";
    memcpy(padded + 1, s, 26);
    int64_t fast = 0, general = 0;
    bool fast_ok = sl_ts_parse(s, 26, &fast), general_ok = sl_ts_parse(padded, 27, &general);
    if (fast_ok != general_ok || (fast_ok && fast != general))
        fail_msg("'%.26s': got %d %lld, want %d %lld", s, fast_ok, (long long)fast, general_ok,
                 (long long)general);
}

static void test_edges(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "2026-01-01 00:00:00.000000", "0000-01-01 00:00:00.000000", "9999-12-31 23:59:59.999999",
        "2024-02-29 12:00:00.000001", "2023-02-29 12:00:00.000001", "2026-13-01 00:00:00.000000",
        "2026-00-01 00:00:00.000000", "2026-04-31 00:00:00.000000", "2026-01-00 00:00:00.000000",
        "2026-01-01 24:00:00.000000", "2026-01-01 23:60:00.000000", "2026-01-01 23:59:60.000000",
        "2026-01-01T00:00:00.000000", "2026-01-01 00:00:00.00000a", "2026-01-01 00:00:00,000000",
        "2026-01-01 00:00:00.0000Z0", "2026/01/01 00:00:00.000000",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_same(cases[i]);
    int64_t us;
    assert_true(sl_ts_parse("1970-01-01 00:00:01.000002", 26, &us));
    assert_int_equal(us, SL_US_PER_SEC + 2);
    /* The same second again (its kept time), with other and bad fractions. */
    assert_true(sl_ts_parse("1970-01-01 00:00:01.999999", 26, &us));
    assert_int_equal(us, 2 * SL_US_PER_SEC - 1);
    assert_false(sl_ts_parse("1970-01-01 00:00:01.99999x", 26, &us));
    assert_false(sl_ts_parse("1970-01-01 00:00:01 99999x", 26, &us));
    assert_true(sl_ts_parse("1970-01-01 00:00:01.5", 21, &us));
    assert_int_equal(us, SL_US_PER_SEC + 500000);
    assert_false(sl_ts_parse("1970-02-30 00:00:01.000000", 26, &us));
    assert_true(sl_ts_parse("1970-01-01 00:00:01.000000", 26, &us));
    assert_int_equal(us, SL_US_PER_SEC);
}

static void test_random_texts(void **state)
{
    (void)state;
    static const char shape[] = "dddd-dd-dd dd:dd:dd.dddddd";
    static const char odd[] = "0123456789 T:-.Z+/a";
    char s[27];
    srand(5);
    for (int n = 0; n < 300000; n++) {
        for (int i = 0; i < 26; i++) {
            /* Digits mostly small enough to be a date, sometimes any byte that matters. */
            if (rand() % 40 == 0)
                s[i] = odd[rand() % (int)(sizeof odd - 1)];
            else if (shape[i] != 'd')
                s[i] = shape[i];
            else
                s[i] = (char)('0' + rand() % (i == 5 || i == 8 || i == 11 || i == 14 ? 4 : 10));
        }
        check_same(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_random_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
