/* test_connectors_csv_fast.c — FORMAT CSV's fast path (connectors/decoder_csv_fast.c) gives
 * exactly what libcsv gives: rows, NULLs, dead letters with their offsets, bytes and reasons,
 * on the edges of the CSV grammar, fed whole and a byte at a time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "decode_render.h"

static const struct sl_column three_text[] = {{"a", SL_TEXT}, {"b", SL_TEXT}, {"c", SL_TEXT}};
static const struct sl_schema three_text_schema = {3, three_text};
static const struct sl_column typed[] = {
    {"id", SL_INT}, {"price", SL_REAL}, {"name", SL_TEXT}, {"ok", SL_BOOL}, {"ts", SL_TIMESTAMP}};
static const struct sl_schema typed_schema = {5, typed};

/* Decodes in with both paths, whole and byte by byte; all four must agree. Returns the
 * fast path's rendering (whole input) for the caller to check; free it with sl_free. */
static char *both_paths(struct sl_format_spec spec, const struct sl_schema *schema, const char *in)
{
    size_t len = strlen(in);
    spec.csv_libcsv_only = false;
    char *fast = decode_render(&spec, schema, in, len, 0);
    char *fast_bytes = decode_render(&spec, schema, in, len, 1);
    spec.csv_libcsv_only = true;
    char *slow = decode_render(&spec, schema, in, len, 0);
    char *slow_bytes = decode_render(&spec, schema, in, len, 1);
    assert_non_null(fast);
    assert_string_equal(fast, slow);
    assert_string_equal(fast_bytes, slow_bytes);
    sl_free(fast_bytes);
    sl_free(slow);
    sl_free(slow_bytes);
    return fast;
}

static void expect_both(struct sl_format_spec spec, const struct sl_schema *schema, const char *in,
                        const char *want)
{
    char *got = both_paths(spec, schema, in);
    assert_string_equal(got, want);
    sl_free(got);
}

static const struct sl_format_spec plain = {.kind = SL_FORMAT_CSV};

static void test_fast_empty_fields_and_trailing_delimiter(void **state)
{
    (void)state;
    expect_both(plain, &three_text_schema, "a,,b\n,,\na,b,\n,b,c\n",
                "<a>|NULL|<b>\nNULL|NULL|NULL\n<a>|<b>|NULL\nNULL|<b>|<c>\n");
    expect_both(plain, &three_text_schema, "a,b,c,\na,b\n\n",
                "! 0 6 [a,b,c,] expected 3 fields, got 4\n"
                "! 7 3 [a,b] expected 3 fields, got 2\n");
}

static void test_fast_crlf_and_lone_cr(void **state)
{
    (void)state;
    expect_both(plain, &three_text_schema, "a,b,c\r\nd,e,f\r\n\r\ng,h,i",
                "<a>|<b>|<c>\n<d>|<e>|<f>\n<g>|<h>|<i>\n");
    expect_both(plain, &three_text_schema, "a,b\rc,d,e\n1,2,3\r",
                "! 0 3 [a,b] expected 3 fields, got 2\n<c>|<d>|<e>\n<1>|<2>|<3>\n");
}

static void test_fast_whitespace(void **state)
{
    (void)state;
    expect_both(plain, &three_text_schema, "  a , b b ,\tc\t\n   \n \t \n , ,x\n",
                "<a>|<b b>|<c>\nNULL|NULL|<x>\n");
    const struct sl_format_spec tabs = {.kind = SL_FORMAT_CSV, .delimiter = '\t'};
    expect_both(tabs, &three_text_schema, " a \t\tc \n\t\t\n",
                "<a>|NULL|<c>\nNULL|NULL|NULL\n");
    const struct sl_format_spec spaces = {.kind = SL_FORMAT_CSV, .delimiter = ' '};
    expect_both(spaces, &three_text_schema, "a b\tc\t\t\n\t1 2  3\n",
                "! 0 7 [a b\tc\t\t] expected 3 fields, got 2\n"
                "! 8 7 [\t1 2  3] expected 3 fields, got 4\n");
}

static void test_fast_header(void **state)
{
    (void)state;
    const struct sl_format_spec header = {.kind = SL_FORMAT_CSV, .header = true};
    expect_both(header, &three_text_schema, "a,b,c,d\n1,2,3\n", "<1>|<2>|<3>\n");
    expect_both(header, &three_text_schema, "\n \n\"a\",b\n1,2,3\n", "<1>|<2>|<3>\n");
}

static void test_fast_quotes(void **state)
{
    (void)state;
    /* Quotes around a whole field stay on the fast path; any other goes to libcsv. */
    expect_both(plain, &three_text_schema,
                "\"\",\" a \" ,  \"x\"\n"
                "\"a,b\",c,d\n"
                "a\"b,c,d\n"
                "\"a\"\"b\",c,d\n"
                "\",\",x,y\n"
                "\"multi\nline\",x,y\n",
                "<>|< a >|<x>\n<a,b>|<c>|<d>\n<a\"b>|<c>|<d>\n<a\"b>|<c>|<d>\n<,>|<x>|<y>\n"
                "<multi\nline>|<x>|<y>\n");
    /* libcsv reads on after a closing quote followed by more: still quoted, so the
     * next delimiters and line breaks belong to the field, up to the end of input. */
    expect_both(plain, &three_text_schema, "1,2,3\n\"a\"b,c\nd,e\n",
                "<1>|<2>|<3>\n"
                "! 6 11 [\"a\"b,c\nd,e\n] unterminated quote: the input ended inside a "
                "quoted field (field 1)\n");
}

static void test_fast_null_marker_and_types(void **state)
{
    (void)state;
    const struct sl_format_spec na = {.kind = SL_FORMAT_CSV, .null_marker = "NA"};
    expect_both(na, &typed_schema,
                "1, 2.5 ,NA,true,2024-01-02 03:04:05\n"
                "NA,\"NA\",\"\",NA,NA\n"
                "x,1,a,true,2024-01-01\n"
                "1,1,a,maybe,2024-01-01\n"
                "1,1,a,true,soon\n",
                "! 53 21 [x,1,a,true,2024-01-01] column \"id\": 'x' is not a valid INTEGER\n"
                "! 75 22 [1,1,a,maybe,2024-01-01] column \"ok\": 'maybe' is not a valid BOOLEAN\n"
                "! 98 15 [1,1,a,true,soon] column \"ts\": 'soon' is not a valid TIMESTAMP\n"
                "1|2.5|NULL|true|2024-01-02 03:04:05.000000\n"
                "NULL|NULL|<>|NULL|NULL\n");
}

static void test_fast_invalid_utf8(void **state)
{
    (void)state;
    expect_both(plain, &three_text_schema,
                "caf\xc3\xa9,ok,\xe2\x82\xac\n"
                "a, caf\xe9 ,c\n"
                "a,\"q\xc3\",c\n"
                "a,\"multi\nline \xff\",c\n"
                "\xed\xa0\x80,b,c\n",
                "! 13 10 [a, caf\xe9 ,c] column \"b\": invalid UTF-8 at byte 6\n"
                "! 24 8 [a,\"q\xc3\",c] column \"b\": invalid UTF-8 at byte 4\n"
                "! 33 18 [a,\"multi\nline \xff\",c] column \"b\": invalid UTF-8 at byte 14\n"
                "! 52 7 [\xed\xa0\x80,b,c] column \"a\": invalid UTF-8 at byte 0\n"
                "<caf\xc3\xa9>|<ok>|<\xe2\x82\xac>\n");
}

static void test_fast_max_record_bytes(void **state)
{
    (void)state;
    const struct sl_format_spec small = {.kind = SL_FORMAT_CSV, .max_record_bytes = 8};
    expect_both(small, &three_text_schema,
                "a,b,c\n"
                "aaaa,bbbb,cccc\r\n"
                "a,\"b\nb\nb\nb\",c\n"
                "12345678\n"
                "1,2,3",
                "! 6 14 [aaaa,bbbb,cccc] a record of 14 bytes is longer than max_record_bytes (8)\n"
                "! 22 13 [a,\"b\nb\nb\nb\",c] a record of 13 bytes is longer than max_record_bytes "
                "(8)\n"
                "! 36 8 [12345678] expected 3 fields, got 1\n"
                "<a>|<b>|<c>\n"
                "<1>|<2>|<3>\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fast_empty_fields_and_trailing_delimiter),
        cmocka_unit_test(test_fast_crlf_and_lone_cr),
        cmocka_unit_test(test_fast_whitespace),
        cmocka_unit_test(test_fast_header),
        cmocka_unit_test(test_fast_quotes),
        cmocka_unit_test(test_fast_null_marker_and_types),
        cmocka_unit_test(test_fast_invalid_utf8),
        cmocka_unit_test(test_fast_max_record_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
