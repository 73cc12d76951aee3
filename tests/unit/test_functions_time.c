/* test_functions_time.c — the date and time functions on single values: SQLite's
 * date(), time(), datetime(), julianday(), unixepoch() and strftime() with their modifiers
 * (every expected value is what sqlite3 3.40 answers for the same call), TIMESTAMP arguments,
 * and the streaming to_timestamp(), date_trunc() and now(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "common/time.h"
#include "engine/functions/function.h"
#include "fn_call.h"

static struct sl_value TS(int64_t us)
{
    return (struct sl_value){.type = SL_TIMESTAMP, .u.i = us};
}

static void is_ts(struct sl_value v, int64_t us)
{
    assert_int_equal(v.type, SL_TIMESTAMP);
    assert_true(v.u.i == us);
}

static void test_sqlite_dates(void **state)
{
    (void)state;
    is_text(call("date", 2, T("2024-01-31"), T("+1 month")), "2024-03-02"); /* day overflows */
    is_text(call("datetime", 2, T("2024-02-29 13:45:30.5"), T("+1 year")), "2025-03-01 13:45:30");
    is_text(call("time", 1, T("23:59:59.9999")), "23:59:59");
    is_real(call("julianday", 1, T("2000-01-01 12:00")), 2451545.0);
    is_int(call("unixepoch", 1, T("1970-01-02")), 86400);
    is_text(call("strftime", 2, T("%Y|%m|%d|%H|%M|%S|%f|%j|%W|%w|%s|%J|%%"),
                 T("2024-12-31 23:59:58.25")),
            "2024|12|31|23|59|58|58.250|366|53|2|1735689598|2460676.499979746|%");
    is_text(call("datetime", 4, I(1700000000), T("unixepoch"), T("start of month"),
                 T("weekday 1")),
            "2023-11-06 00:00:00");
    is_text(call("date", 1, R(2460000.5)), "2023-02-25");
    is_text(call("datetime", 2, R(2460000.5), T("julianday")), "2023-02-25 00:00:00");
    is_text(call("datetime", 2, I(1700000000), T("auto")), "2023-11-14 22:13:20");
    is_text(call("datetime", 2, R(2460000.5), T("auto")), "2023-02-25 00:00:00");
    is_text(call("date", 2, T("2023-03-15 10:00-05:30"), T("-12:00")), "2023-03-15");
    is_text(call("date", 1, T("-0044-03-15")), "-0044-03-15");
    is_text(call("strftime", 2, T("%Y"), T("-0044-03-15")), "-044"); /* SQLite's %04d */
    is_text(call("datetime", 2, T("2024-01-01"), T("+1.5 months")), "2024-02-16 00:00:00");
    is_text(call("date", 2, T("2024-03-31"), T("-1 month")), "2024-03-02");
}

static void test_sqlite_date_nulls(void **state)
{
    (void)state;
    is_null(call("strftime", 2, T("%Q"), T("2024-01-01"))); /* unknown conversion */
    is_null(call("unixepoch", 1, N));
    is_null(call("date", 2, T("2024-01-01"), N));
    is_null(call("date", 2, T("2024-01-01"), T("+1 fortnight")));
    is_null(call("date", 1, T("2023-13-01")));
    is_null(call("date", 3, I(0), T("+1 day"), T("unixepoch"))); /* unixepoch must come first */
    is_null(call("datetime", 1, T("abc")));
}

static void test_timestamp_arguments(void **state)
{
    (void)state;
    /* A TIMESTAMP reads as its ISO text, microseconds included. */
    is_text(call("strftime", 2, T("%Y-%m-%d %H:%M:%f"), TS(INT64_C(1700000000123456))),
            "2023-11-14 22:13:20.123");
    is_int(call("unixepoch", 1, TS(INT64_C(-1500000))), -2);
    is_text(call("date", 2, TS(0), T("-1 day")), "1969-12-31");
}

static void test_now(void **state)
{
    (void)state;
    int64_t before = sl_clock_now_us();
    struct sl_value v = call("now", 0);
    assert_int_equal(v.type, SL_TIMESTAMP);
    assert_true(v.u.i >= before && v.u.i <= sl_clock_now_us());
    /* 'now' in SQLite's functions is the same processing time. */
    struct sl_value d = call("unixepoch", 1, T("now"));
    assert_int_equal(d.type, SL_INT);
    assert_true(d.u.i >= before / 1000000 && d.u.i <= sl_clock_now_us() / 1000000);
    assert_int_equal(call("julianday", 0).type, SL_REAL);
}

static void test_to_timestamp(void **state)
{
    (void)state;
    is_ts(call("to_timestamp", 1, I(1700000000)), INT64_C(1700000000000000));
    is_ts(call("to_timestamp", 1, R(-1.5)), INT64_C(-1500000));
    is_ts(call("to_timestamp", 1, R(0.0000015)), 2); /* to the nearest microsecond */
    is_ts(call("to_timestamp", 1, T("2024-03-10T12:34:56.5+01:00")), INT64_C(1710070496500000));
    is_null(call("to_timestamp", 1, T("yesterday")));
    is_null(call("to_timestamp", 1, R(1e20)));
    is_null(call("to_timestamp", 1, I(INT64_MAX)));
    is_null(call("to_timestamp", 1, N));
}

static void test_date_trunc(void **state)
{
    (void)state;
    const int64_t s = INT64_C(1000000);
    int64_t t = INT64_C(1710074096789000); /* 2024-03-10 12:34:56.789, a Sunday */
    is_ts(call("date_trunc", 2, T("second"), TS(t)), 1710074096 * s);
    is_ts(call("date_trunc", 2, T("minute"), TS(t)), 1710074040 * s);
    is_ts(call("date_trunc", 2, T("Hour"), TS(t)), 1710072000 * s);
    is_ts(call("date_trunc", 2, T("day"), TS(t)), 1710028800 * s);
    is_ts(call("date_trunc", 2, T("week"), TS(t)), 1709510400 * s); /* Monday 2024-03-04 */
    is_ts(call("date_trunc", 2, T("month"), TS(t)), 1709251200 * s);
    is_ts(call("date_trunc", 2, T("year"), TS(t)), 1704067200 * s);
    /* Before 1970 truncation still goes down. */
    is_ts(call("date_trunc", 2, T("second"), TS(-1)), -s);
    is_ts(call("date_trunc", 2, T("week"), TS(0)), -3 * 86400 * s); /* Monday 1969-12-29 */
    is_ts(call("date_trunc", 2, T("year"), TS(-1)), -365 * 86400 * s);
    is_ts(call("date_trunc", 2, T("month"), T("2000-02-29 23:59:59")), 949363200 * s);
    is_null(call("date_trunc", 2, T("fortnight"), TS(t)));
    is_null(call("date_trunc", 2, N, TS(t)));
    is_null(call("date_trunc", 2, T("day"), T("not a time")));
}

/* strftime over a chunk of times, most in one second (whose text a chunk makes once): each row
 * as strftime of that row alone, whatever the format, around the fraction where SQLite's
 * milliseconds round up into the next second, and before 1970. */
static void test_strftime_chunk(void **state)
{
    (void)state;
    static const char *const formats[] = {"%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%s", "%w %j %W",
                                          "%H:%M:%f", "%s %J"};
    static const int64_t fractions[] = {0, 1, 500000, 998999, 999000, 999499, 999500, 999999};
    const struct sl_scalar_fn *fn = function_lookup("strftime");
    assert_non_null(fn);
    for (size_t f = 0; f < sizeof formats / sizeof *formats; f++)
        for (int64_t base = -2 * SL_US_PER_SEC; base <= INT64_C(1700000000) * SL_US_PER_SEC;
             base += INT64_C(1700000002) * SL_US_PER_SEC) {
            struct sl_vector args[2], out;
            assert_int_equal(vector_init(A, SL_TEXT, &args[0]), SL_OK);
            assert_int_equal(vector_init(A, SL_TIMESTAMP, &args[1]), SL_OK);
            assert_int_equal(vector_init(A, SL_TEXT, &out), SL_OK);
            uint32_t n = 0;
            for (int64_t second = 0; second < 3; second++)
                for (size_t k = 0; k < sizeof fractions / sizeof *fractions; k++, n++) {
                    vector_set(&args[0], n, T(formats[f]));
                    vector_set(&args[1], n, TS(base + second * SL_US_PER_SEC + fractions[k]));
                }
            struct sl_chunk rows = {.count = n, .arena = A};
            struct sl_error err = {0};
            assert_int_equal(fn->eval(args, 2, &rows, &out, &err), SL_OK);
            for (uint32_t i = 0; i < n; i++) {
                struct sl_value alone = call("strftime", 2, T(formats[f]), TS(args[1].data.i[i]));
                assert_int_equal(out.nulls[i], 0);
                assert_int_equal(out.data.s[i].len, alone.u.s.len);
                assert_memory_equal(out.data.s[i].ptr, alone.u.s.ptr, alone.u.s.len);
            }
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlite_dates),        cmocka_unit_test(test_sqlite_date_nulls),
        cmocka_unit_test(test_timestamp_arguments), cmocka_unit_test(test_now),
        cmocka_unit_test(test_to_timestamp),        cmocka_unit_test(test_date_trunc),
        cmocka_unit_test(test_strftime_chunk),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
