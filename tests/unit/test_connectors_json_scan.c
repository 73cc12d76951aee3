/*
 * test_connectors_json_scan.c — the single-pass JSON object scanner: keys to
 * columns, escapes into UTF-8, nested values skipped, arrays walked to an
 * element, duplicates, whitespace, integers at their limits, and malformed
 * text rejected. Every input is scanned from a heap copy of exactly its
 * length, so the sanitizer build catches a read past the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "connectors/json_scan.h"

static const char *const names[] = {"auction", "price", "channel", "extra"};
enum { AUCTION, PRICE, CHANNEL, EXTRA, NKEYS };

struct scanned {
    bool ok;
    struct jscan_error err;
    struct jscan_value v[NKEYS];
    char *copy; /* the text the values point into */
};

static struct scanned scan_n(const char *text, size_t len)
{
    struct jscan_keys *keys;
    assert_int_equal(jscan_keys_create(names, NKEYS, &keys), SL_OK);
    struct scanned r = {.copy = malloc(len ? len : 1)};
    assert_non_null(r.copy);
    memcpy(r.copy, text, len);
    r.ok = jscan_object(keys, r.copy, len, r.v, &r.err);
    jscan_keys_destroy(keys);
    return r;
}

static struct scanned scan(const char *text)
{
    return scan_n(text, strlen(text));
}

static void assert_span(const struct jscan_value *v, enum jscan_kind kind, const char *text)
{
    assert_int_equal(v->kind, kind);
    assert_int_equal(v->len, strlen(text));
    assert_memory_equal(v->text, text, v->len);
}

/* The string value of column col, unescaped. */
static void assert_string(const struct scanned *r, int col, const char *expected)
{
    assert_true(r->ok);
    assert_int_equal(r->v[col].kind, JSCAN_STRING);
    char out[256];
    assert_true(r->v[col].len <= sizeof out);
    size_t n = jscan_unescape(&r->v[col], out);
    assert_int_equal(n, strlen(expected));
    assert_memory_equal(out, expected, n);
}

static void assert_rejected(const char *text, size_t len)
{
    struct scanned r = scan_n(text, len);
    assert_false(r.ok);
    assert_non_null(r.err.reason);
    assert_true(r.err.offset <= len);
    free(r.copy);
}

static void test_keys_to_columns(void **state)
{
    (void)state;
    struct scanned r = scan("{\"price\":-12.5e3,\"other\":true,\"auction\":1007,\"extra\":null}");
    assert_true(r.ok);
    assert_span(&r.v[AUCTION], JSCAN_NUMBER, "1007");
    assert_false(r.v[AUCTION].flag);
    assert_span(&r.v[PRICE], JSCAN_NUMBER, "-12.5e3");
    assert_true(r.v[PRICE].flag);
    assert_int_equal(r.v[CHANNEL].kind, JSCAN_ABSENT);
    assert_span(&r.v[EXTRA], JSCAN_NULL, "null");
    free(r.copy);

    r = scan("{\"auction\":false,\"price\":true,\"channel\":\"Google\",\"extra\":\"\"}");
    assert_true(r.ok);
    assert_int_equal(r.v[AUCTION].kind, JSCAN_FALSE);
    assert_int_equal(r.v[PRICE].kind, JSCAN_TRUE);
    assert_span(&r.v[CHANNEL], JSCAN_STRING, "Google");
    assert_false(r.v[CHANNEL].flag);
    assert_span(&r.v[EXTRA], JSCAN_STRING, "");
    free(r.copy);

    r = scan("{}");
    assert_true(r.ok);
    for (int i = 0; i < NKEYS; i++)
        assert_int_equal(r.v[i].kind, JSCAN_ABSENT);
    free(r.copy);
}

static void test_escapes(void **state)
{
    (void)state;
    struct scanned r = scan("{\"channel\":\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t.\"}");
    assert_true(r.v[CHANNEL].flag);
    assert_string(&r, CHANNEL, "q\" b\\ s/ \b\f\n\r\t.");
    free(r.copy);
    /* Two- and three-byte characters, then U+1F600 from a surrogate pair. */
    r = scan("{\"channel\":\"\\u00e9\\u20AC\\uD83D\\uDE00!\"}");
    assert_string(&r, CHANNEL, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80!");
    free(r.copy);
    /* Raw UTF-8 passes through as it stands. */
    r = scan("{\"channel\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}");
    assert_false(r.v[CHANNEL].flag);
    assert_string(&r, CHANNEL, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    free(r.copy);
    /* A key is matched by what it decodes to. */
    r = scan("{\"pr\\u0069ce\":5,\"\\u0063hannel\":\"x\",\"extra\\u00e9\":1}");
    assert_true(r.ok);
    assert_span(&r.v[PRICE], JSCAN_NUMBER, "5");
    assert_string(&r, CHANNEL, "x");
    assert_int_equal(r.v[EXTRA].kind, JSCAN_ABSENT);
    free(r.copy);
}

/* {"x":[[...]]} with depth arrays, balanced (malloc'd). */
static char *nested_arrays(size_t depth)
{
    char *text = malloc(2 * depth + 16);
    assert_non_null(text);
    size_t n = (size_t)sprintf(text, "{\"x\":");
    memset(text + n, '[', depth);
    memset(text + n + depth, ']', depth);
    strcpy(text + n + 2 * depth, "}");
    return text;
}

static void test_nested_values_skipped(void **state)
{
    (void)state;
    const char *nested = "{\"b\":[1,{\"c\":\"}]\"},[],{}],\"d\":{\"e\":{\"price\":9}}}";
    char text[256];
    snprintf(text, sizeof text, "{\"auction\":%s,\"x\":[[\"]\"]],\"price\":3,\"extra\":[ ]}",
             nested);
    struct scanned r = scan(text);
    assert_true(r.ok);
    assert_span(&r.v[AUCTION], JSCAN_OBJECT, nested);
    assert_span(&r.v[PRICE], JSCAN_NUMBER, "3");
    assert_span(&r.v[EXTRA], JSCAN_ARRAY, "[ ]");
    free(r.copy);

    /* Deep nesting: up to the limit inside a member, refused past it. */
    char *deep = nested_arrays(JSCAN_MAX_DEPTH);
    r = scan(deep);
    assert_true(r.ok);
    free(r.copy);
    free(deep);
    deep = nested_arrays(JSCAN_MAX_DEPTH + 1);
    r = scan(deep);
    assert_false(r.ok);
    assert_string_equal(r.err.reason, "nested too deeply");
    free(r.copy);
    free(deep);
}

/* An array's span walked to its n-th element: nested values passed over whole,
 * whitespace anywhere, and nothing past the last element or in an empty array. */
static void test_array_element(void **state)
{
    (void)state;
    struct scanned r = scan("{\"extra\": [ {\"a\": [1, \"],\"]} ,[[]] , \"x\",-2.5e3 ]}");
    assert_true(r.ok);
    assert_int_equal(r.v[EXTRA].kind, JSCAN_ARRAY);
    struct jscan_value e;
    assert_true(jscan_array_element(&r.v[EXTRA], 0, &e));
    assert_span(&e, JSCAN_OBJECT, "{\"a\": [1, \"],\"]}");
    assert_true(jscan_array_element(&r.v[EXTRA], 1, &e));
    assert_span(&e, JSCAN_ARRAY, "[[]]");
    struct jscan_value inner;
    assert_true(jscan_array_element(&e, 0, &inner));
    assert_span(&inner, JSCAN_ARRAY, "[]");
    assert_false(jscan_array_element(&inner, 0, &e));
    assert_true(jscan_array_element(&r.v[EXTRA], 2, &e));
    assert_int_equal(e.kind, JSCAN_STRING);
    assert_memory_equal(e.text, "x", 1);
    assert_true(jscan_array_element(&r.v[EXTRA], 3, &e));
    assert_span(&e, JSCAN_NUMBER, "-2.5e3");
    assert_true(e.flag);
    assert_false(jscan_array_element(&r.v[EXTRA], 4, &e));
    assert_false(jscan_array_element(&r.v[EXTRA], 1000000, &e));
    free(r.copy);
}

static void test_duplicates_and_whitespace(void **state)
{
    (void)state;
    struct scanned r = scan(" \t\r\n{ \"price\" :\n1 , \"price\"\t:\r2,\"channel\":\"a\","
                            "\"channel\":[1] }\r\n ");
    assert_true(r.ok);
    assert_span(&r.v[PRICE], JSCAN_NUMBER, "2");
    assert_span(&r.v[CHANNEL], JSCAN_ARRAY, "[1]");
    free(r.copy);
}

static void test_integers(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool ok;
        int64_t value;
    } cases[] = {
        {"{\"price\":0}", true, 0},
        {"{\"price\":-0}", true, 0},
        {"{\"price\":9223372036854775807}", true, INT64_MAX},
        {"{\"price\":-9223372036854775808}", true, INT64_MIN},
        {"{\"price\":9223372036854775808}", false, 0},
        {"{\"price\":-9223372036854775809}", false, 0},
        {"{\"price\":99999999999999999999}", false, 0},
        {"{\"price\":1.0}", false, 0},
        {"{\"price\":1e2}", false, 0},
        {"{\"price\":\"1\"}", false, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct scanned r = scan(cases[i].text);
        assert_true(r.ok);
        int64_t v = -1;
        assert_int_equal(jscan_number_int(&r.v[PRICE], &v), cases[i].ok);
        if (cases[i].ok)
            assert_int_equal(v, cases[i].value);
        free(r.copy);
    }
}

static void test_malformed_rejected(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", " ", "[1]", "1", "\"a\"", "null", "{", "}", "{\"a\"", "{\"a\":", "{\"a\":}",
        "{\"a\":1,}", "{,}", "{\"a\":1 \"b\":2}", "{\"a\" 1}", "{a:1}", "{'a':1}", "{\"a\":1}}",
        "{} x", "{}{}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":-}", "{\"a\":1e}",
        "{\"a\":1e+}", "{\"a\":+1}", "{\"a\":0x1}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":True}",
        "{\"a\":NaN}", "{\"a\":\"x}", "{\"a\":\"\t\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}",
        "{\"a\":\"\\u12G4\"}", "{\"a\":\"\\u0000\"}", "{\"a\":\"\\uD83D\"}", "{\"a\":\"\\uD83Dx\"}",
        "{\"a\":\"\\uD83D\\u0041\"}", "{\"a\":\"\\uDE00\"}", "{\"a\":\"\\", "{\"a\":\"\xff\"}",
        "{\"a\":\"\xc3\"}", "{\"a\":\"\xc3\"", "{\"a\":\"\xc0\xaf\"}", "{\"a\":\"\xed\xa0\x80\"}",
        "{\"a\":\"\xf4\x90\x80\x80\"}", "{\"a\":\"\xe2\x82\"}", "{\"a\":[1,2}", "{\"a\":[1,]}",
        "{\"a\":[,1]}", "{\"a\":{\"b\"}}", "{\"a\":{\"b\":1,}}", "{\"a\":{1:2}}", "{\"a\":[}",
        "{\"a\":{]}", "{\"\xff\":1}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_rejected(bad[i], strlen(bad[i]));
    /* A NUL byte is a control character, inside a string or out of one. */
    assert_rejected("{\"a\":\"\0\"}", 9);
    assert_rejected("{\"a\":1}\0", 8);
}

static void test_every_truncation_rejected(void **state)
{
    (void)state;
    const char *line = "{\"auction\":1007,\"price\":-1.5e-3,\"channel\":\"G\\u00e9\\uD83D\\uDE00\","
                       "\"x\":[true,false,null,{\"y\":\"\xc3\xa9\"}],\"extra\":\"\"}";
    size_t len = strlen(line);
    struct scanned r = scan(line);
    assert_true(r.ok);
    free(r.copy);
    for (size_t n = 0; n < len; n++)
        assert_rejected(line, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_to_columns),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_nested_values_skipped),
        cmocka_unit_test(test_array_element),
        cmocka_unit_test(test_duplicates_and_whitespace),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_malformed_rejected),
        cmocka_unit_test(test_every_truncation_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
