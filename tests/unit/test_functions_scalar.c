/* test_functions_scalar.c — the SQLite core scalar functions on single values: NULLs, UTF-8,
 * substr's negative and zero starts, trim sets, round's half cases, printf, int64 edges. Every
 * expected value here is what sqlite3 3.40 answers for the same call. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "engine/functions/function.h"
#include "fn_call.h"

static void test_null_functions(void **state)
{
    (void)state;
    is_int(call("coalesce", 3, N, I(4), T("a")), 4);
    is_text(call("coalesce", 2, N, T("a")), "a");
    is_null(call("coalesce", 2, N, N));
    is_text(call("ifnull", 2, N, T("x")), "x");
    is_null(call("nullif", 2, I(1), R(1.0)));
    is_int(call("nullif", 2, I(1), T("1")), 1);
    is_text(call("iif", 3, T("0.5"), T("y"), T("n")), "y");
    is_text(call("iif", 3, N, T("y"), T("n")), "n");
    is_real(call("min", 2, I(1), R(1.0)), 1.0); /* ties: min keeps the last, max the first */
    is_int(call("max", 2, I(1), R(1.0)), 1);
    is_text(call("max", 3, I(2), T("a"), R(9.5)), "a");
    is_null(call("min", 3, I(2), N, I(1)));
}

static void test_substr(void **state)
{
    (void)state;
    is_text(call("substr", 2, T("hello"), I(0)), "hello");
    is_text(call("substr", 3, T("hello"), I(0), I(2)), "h");
    is_text(call("substr", 2, T("hello"), I(-2)), "lo");
    is_text(call("substr", 3, T("hello"), I(-2), I(-1)), "l");
    is_text(call("substr", 3, T("hello"), I(3), I(-2)), "he");
    is_text(call("substr", 3, T("héllo"), I(2), I(2)), "él");
    is_text(call("substr", 3, I(12345), I(2), I(2)), "23");
    is_text(call("substring", 2, T("hello"), R(2.7)), "ello");
    is_text(call("substr", 3, T("hello"), I(1), T("x")), "");
    /* SQLite reads start and length as 32-bit ints: INT64_MIN is 0, INT64_MAX is -1. */
    is_text(call("substr", 3, T("hi"), I(INT64_MIN), I(INT64_MAX)), "");
    is_text(call("substr", 2, T("hello"), I(INT64_C(4294967298))), "ello");
    is_text(call("substr", 2, T(""), I(3)), "");
    is_null(call("substr", 2, N, I(1)));
}

static void test_text_functions(void **state)
{
    (void)state;
    is_int(call("instr", 2, T("aéb"), T("b")), 3);
    is_int(call("instr", 2, T("abc"), T("")), 1);
    is_int(call("instr", 2, I(123), I(2)), 2);
    is_null(call("instr", 2, N, T("a")));
    is_text(call("trim", 1, T("  x  ")), "x");
    is_text(call("ltrim", 2, T("xxaxx"), T("x")), "axx");
    is_text(call("rtrim", 2, T("éaé"), T("é")), "éa");
    is_text(call("trim", 2, I(12), T("1")), "2");
    is_text(call("trim", 2, T("abc"), T("")), "abc");
    is_null(call("trim", 2, T("a"), N));
    is_text(call("replace", 3, T("abcb"), T("b"), T("XY")), "aXYcXY");
    is_int(call("replace", 3, I(5), T(""), T("a")), 5);
    is_text(call("replace", 3, T("abc"), T(""), N), "abc");
    is_null(call("replace", 3, T("abc"), T("b"), N));
    is_text(call("split_part", 3, T("a,b,c"), T(","), I(2)), "b");
    is_text(call("split_part", 3, T("a,b,c"), T(","), I(4)), "");
    is_text(call("split_part", 3, T("a,b,c"), T(","), I(-1)), "c");
    is_text(call("split_part", 3, T("a,,c"), T(","), I(2)), "");
    is_text(call("split_part", 3, T("abc"), T(""), I(1)), "abc");
    is_null(call("split_part", 3, T("abc"), T(","), I(0)));
}

static void test_math(void **state)
{
    (void)state;
    is_int(call("abs", 1, I(-3)), 3);
    is_real(call("abs", 1, T("-3")), 3.0);
    is_real(call("abs", 1, T("x")), 0.0);
    is_null(call("abs", 1, I(INT64_MIN))); /* an error in SQLite */
    is_real(call("round", 2, R(2.675), I(2)), 2.68);
    is_real(call("round", 2, R(1.005), I(2)), 1.01);
    is_real(call("round", 1, R(-2.5)), -3.0);
    is_real(call("round", 1, R(0.5)), 1.0);
    is_real(call("round", 2, I(5), I(-1)), 5.0);
    is_real(call("round", 1, T("2.5")), 3.0);
    is_real(call("round", 2, R(534339519121000.0), I(6)), 534339519120999.875);
    is_null(call("round", 2, R(1.5), N));
    is_int(call("sign", 1, R(-2.5)), -1);
    is_int(call("sign", 1, T(" 3 ")), 1);
    is_int(call("sign", 1, T(".5")), 1);
    is_null(call("sign", 1, T("3x")));
    is_int(call("sign", 1, I(0)), 0);
    assert_int_equal(call("random", 0).type, SL_INT);
}

static void test_representations(void **state)
{
    (void)state;
    is_text(call("typeof", 1, I(1)), "integer");
    is_text(call("typeof", 1, (struct sl_value){.type = SL_BOOL, .u.b = true}), "integer");
    is_text(call("typeof", 1, R(1)), "real");
    is_text(call("typeof", 1, N), "null");
    is_text(call("hex", 1, I(12)), "3132");
    is_text(call("hex", 1, R(1.5)), "312E35");
    is_text(call("hex", 1, T("é")), "C3A9");
    is_text(call("hex", 1, N), "");
    is_text(call("quote", 1, T("it's")), "'it''s'");
    is_text(call("quote", 1, N), "NULL");
    is_text(call("quote", 1, R(0.1)), "0.1");
    is_text(call("quote", 1, R(1e300)), "1.0e+300");
    is_text(call("quote", 1, R(0.1 + 0.2)), "3.00000000000000044408e-01");
    is_text(call("quote", 1, I(INT64_MIN)), "-9223372036854775808");
    struct sl_value c = call("char", 3, I(65), N, I(233)); /* NULL reads as 0: a NUL character */
    assert_int_equal(c.u.s.len, 4);
    assert_memory_equal(c.u.s.ptr, "A\0\xc3\xa9", 4);
    is_text(call("char", 2, I(0x1F600), I(-1)), "\xF0\x9F\x98\x80\xEF\xBF\xBD");
    is_text(call("char", 0), "");
    is_int(call("unicode", 1, T("é")), 233);
    is_int(call("unicode", 1, T("\xC0")), 0xFFFD);
    is_int(call("unicode", 1, I(-1)), '-');
    is_null(call("unicode", 1, T("")));
}

static void test_printf(void **state)
{
    (void)state;
    is_text(call("printf", 4, T("%5.2f|%-5d|%05d"), R(3.14159), I(42), I(42)), " 3.14|42   |00042");
    is_text(call("printf", 3, T("%x|%o"), I(255), I(8)), "ff|10");
    is_text(call("printf", 2, T("%x"), I(-1)), "ffffffffffffffff");
    is_text(call("printf", 3, T("%#x %#o"), I(0), I(0)), "0 0");
    is_text(call("printf", 2, T("%,d"), I(-1234567)), "-1,234,567");
    is_text(call("printf", 3, T("%q|%Q"), T("it's"), N), "it''s|NULL");
    is_text(call("printf", 2, T("%.3c"), T("é")), "ééé");
    is_text(call("printf", 2, T("%5s|"), T("é")), "   é|");
    is_text(call("printf", 2, T("%!5s|"), T("é")), "    é|");
    is_text(call("printf", 3, T("%e|%g"), R(12345.678), R(0.0001)), "1.234568e+04|0.0001");
    is_text(call("printf", 2, T("%.20f"), R(0.1)), "0.10000000000000000000");
    is_text(call("printf", 2, T("%.0f"), R(2.5)), "3");
    is_text(call("printf", 2, T("%08.2f"), R(-3.14159)), "-0003.14");
    is_text(call("printf", 2, T("%d"), R(1e30)), "9223372036854775807");
    is_text(call("printf", 2, T("%s %d"), T("a")), "a 0");
    is_text(call("printf", 1, T("a%yb")), "a");
    is_text(call("format", 2, T("100%%|%s"), R(1.5)), "100%|1.5");
    is_text(call("printf", 3, T("%*d|"), I(-4), I(7)), "7   |");
    is_null(call("printf", 2, N, I(1)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_functions), cmocka_unit_test(test_substr),
        cmocka_unit_test(test_text_functions), cmocka_unit_test(test_math),
        cmocka_unit_test(test_representations), cmocka_unit_test(test_printf),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
