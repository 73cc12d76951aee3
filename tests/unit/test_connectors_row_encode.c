/* test_connectors_row_encode.c — sinks' rows as JSON, CSV, text and keys (connectors/row_encode.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "connectors/row_encode.h"

static const char *const names[] = {"id", "name", "score", "ok", "at"};
static const enum sl_type types[] = {SL_INT, SL_TEXT, SL_REAL, SL_BOOL, SL_TIMESTAMP};

static struct sl_sink_spec spec(void)
{
    struct sl_sink_spec s = {.name = "t", .ncols = 5, .names = names, .types = types,
                             .nkey = 2, .key = {0, 1}};
    return s;
}

static struct sl_value text(const char *s)
{
    struct sl_value v = {.type = SL_TEXT};
    v.u.s.ptr = s;
    v.u.s.len = (uint32_t)strlen(s);
    return v;
}

static struct sl_value num(int64_t i)
{
    struct sl_value v = {.type = SL_INT};
    v.u.i = i;
    return v;
}

static struct sl_value real(double r)
{
    struct sl_value v = {.type = SL_REAL};
    v.u.r = r;
    return v;
}

static struct sl_value boolean(bool b)
{
    struct sl_value v = {.type = SL_BOOL};
    v.u.b = b;
    return v;
}

static struct sl_value ts(int64_t us)
{
    struct sl_value v = {.type = SL_TIMESTAMP};
    v.u.i = us;
    return v;
}

static void test_json_escapes_and_types(void **state)
{
    (void)state;
    struct sl_sink_spec s = spec();
    struct sl_value row[] = {num(-7), text("a\"b\\c\nd\x01"), real(0.1), boolean(true),
                             ts(1767225600123456)};
    uint8_t kinds[] = {SL_ROW_UPDATE};
    struct sl_sink_batch b = {.nrows = 1, .values = row, .kinds = kinds};
    struct sl_buf out;
    buf_init(&out);
    row_encode_json(&out, &s, &b, 0, true);
    assert_string_equal(buf_str(&out),
                        "{\"id\":-7,\"name\":\"a\\\"b\\\\c\\nd\\u0001\",\"score\":0.1,\"ok\":true,"
                        "\"at\":\"2026-01-01 00:00:00.123456\",\"op\":\"update\"}");
    buf_free(&out);
}

static void test_reals_read_back(void **state)
{
    (void)state;
    const double values[] = {1.0, 0.1, 1.0 / 3, 1e300, -2.5e-308, 123456789012345678.0};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        struct sl_buf out;
        buf_init(&out);
        struct sl_value v = real(values[i]);
        value_encode_text(&out, &v);
        assert_true(strtod(buf_str(&out), NULL) == values[i]);
        buf_free(&out);
    }
    struct sl_buf out;
    buf_init(&out);
    struct sl_value whole = real(2.0), inf = real(1.0 / 0.0);
    value_encode_text(&out, &whole);
    buf_putc(&out, ' ');
    value_encode_json(&out, &inf);
    assert_string_equal(buf_str(&out), "2.0 null");
    buf_free(&out);
}

static void test_csv_quotes_what_needs_it(void **state)
{
    (void)state;
    struct sl_sink_spec s = spec();
    struct sl_value row[] = {num(1), text("x, \"y\"\nz"), {.type = SL_NULL}, boolean(false),
                             text(" pad")};
    struct sl_sink_batch b = {.nrows = 1, .values = row};
    struct sl_buf out;
    buf_init(&out);
    row_encode_csv_header(&out, &s);
    row_encode_csv(&out, &s, &b, 0);
    assert_string_equal(buf_str(&out), "id,name,score,ok,at\n1,\"x, \"\"y\"\"\nz\",,0,\" pad\"\n");
    buf_free(&out);
}

static void test_keys_keep_values_apart(void **state)
{
    (void)state;
    struct sl_sink_spec s = spec();
    /* ("a|b", "c") and ("a", "b|c") must not make one id; nor NULL and '' */
    struct sl_value rows[] = {text("a|b"), text("c"),    real(0), boolean(0), ts(0),
                              text("a"),   text("b|c"),  real(0), boolean(0), ts(0),
                              {.type = SL_NULL}, text(""), real(0), boolean(0), ts(0),
                              text(""),    text(""),     real(0), boolean(0), ts(0)};
    struct sl_sink_batch b = {.nrows = 4, .values = rows};
    char keys[4][32];
    for (uint32_t r = 0; r < 4; r++) {
        struct sl_buf out;
        buf_init(&out);
        row_encode_key(&out, &s, &b, r);
        snprintf(keys[r], sizeof keys[r], "%s", buf_str(&out));
        buf_free(&out);
    }
    assert_string_equal(keys[0], "a\\|b|c");
    assert_string_equal(keys[1], "a|b\\|c");
    assert_string_equal(keys[2], "\\N|");
    assert_string_equal(keys[3], "|");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_escapes_and_types),
        cmocka_unit_test(test_reals_read_back),
        cmocka_unit_test(test_csv_quotes_what_needs_it),
        cmocka_unit_test(test_keys_keep_values_apart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
