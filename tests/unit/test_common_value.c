/*
 * Unit test for sl_parse_int: it reads integers as strtoll did over the text
 * trimmed of spaces and tabs (the reference below, the old implementation),
 * on hand-picked edges and on random strings of the characters that matter.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/value.h"

static bool reference_parse_int(const char *s, size_t len, int64_t *out)
{
    char buf[32], *end;
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    long long v = strtoll(buf, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static void check_same(const char *s, size_t len)
{
    int64_t got = 0, want = 0;
    bool ok = sl_parse_int(s, len, &got), want_ok = reference_parse_int(s, len, &want);
    if (ok != want_ok || (ok && got != want))
        fail_msg("'%.*s': got %d %lld, want %d %lld", (int)len, s, ok, (long long)got, want_ok,
                 (long long)want);
}

static void test_edges(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "0", "-0", "+0", "7", "-7", "+7", "  42  ", "\t42\t", "\n42", "\r\n42", "42\n", "4 2",
        "", " ", "-", "+", "--1", "+-1", "- 1", "1-", "0x10", "1e3", "1.0", "١٢",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "-9223372036854775809", "00000000000000000000000000000001",
        "0000000000000000000000000000001", "99999999999999999999", "\v\f 12",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_same(cases[i], strlen(cases[i]));
    int64_t v;
    assert_true(sl_parse_int("-9223372036854775808", 20, &v));
    assert_true(v == INT64_MIN);
    assert_true(sl_parse_int("12345", 3, &v)); /* only the length given */
    assert_int_equal(v, 123);
}

/* REAL as SQLite reads a numeric literal: no inf, nan or hex; 1e999 is Inf. */
static void test_real_like_sqlite(void **state)
{
    (void)state;
    double v;
    assert_true(sl_parse_real(" 1.5e3 ", 7, &v));
    assert_true(v == 1500.0);
    assert_true(sl_parse_real("1e999", 5, &v));
    assert_true(isinf(v) && v > 0);
    assert_true(sl_parse_real("-1e999", 6, &v));
    assert_true(isinf(v) && v < 0);
    assert_true(sl_parse_real("1e-999", 6, &v));
    assert_true(v == 0.0);
    assert_false(sl_parse_real("inf", 3, &v));
    assert_false(sl_parse_real("-Infinity", 9, &v));
    assert_false(sl_parse_real("nan", 3, &v));
    assert_false(sl_parse_real("0x1p3", 5, &v));
    assert_false(sl_parse_real("1e", 2, &v));
    assert_false(sl_parse_real(".", 1, &v));
}

static void test_random_strings(void **state)
{
    (void)state;
    static const char alphabet[] = "0123456789-+ \t\n\rx.9";
    char s[40];
    srand(11);
    for (int n = 0; n < 200000; n++) {
        size_t len = (size_t)(rand() % 36);
        for (size_t i = 0; i < len; i++)
            s[i] = alphabet[rand() % (int)(sizeof alphabet - 1)];
        check_same(s, len);
        /* A sign and 17 to 21 digits: around the overflow on either side. */
        len = (size_t)(17 + rand() % 5);
        s[0] = "-+9"[rand() % 3];
        for (size_t i = 1; i <= len; i++)
            s[i] = (char)('0' + rand() % 10);
        check_same(s, len + 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_random_strings),
        cmocka_unit_test(test_real_like_sqlite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
