/*
 * fuzz_jscan.c — libFuzzer target for the JSON object scanner
 * (connectors/json_scan.c), differential against jansson. The input is
 * one line of text, scanned from a heap copy of exactly its size (so ASan
 * sees any read past it) with the keys "a", "b", "" and "\u00e9". Checks:
 * - what jansson parses as an object, the scanner accepts, unless it nests
 *   deeper than JSCAN_MAX_DEPTH or the scanner stopped at a NUL byte
 *   (jansson 2.14 skips a NUL right after a number or literal: '{"a":1\0}');
 * - what the scanner accepts, jansson parses too, unless a number is past
 *   int64 or double (jansson refuses those; RFC 8259 allows them);
 * - when both accept, each key's value has the same kind, a string the
 *   same bytes once unescaped, an integer the same value; in an array, so
 *   do its first ARRAY_CHECKED elements found by jscan_array_element (and
 *   arrays in them), and past a shorter array's end it finds nothing.
 * A broken rule aborts with a message, which libFuzzer reports as a crash.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/json_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const keys_wanted[] = {"a", "b", "", "\xc3\xa9"};
#define NKEYS (sizeof keys_wanted / sizeof keys_wanted[0])

_Noreturn static void fuzz_fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz: %s (%s)\n", what, detail);
    abort();
}

static const char *const kind_names[] = {"absent", "null",   "false",  "true",
                                         "number", "string", "object", "array"};

static bool same_kind(enum jscan_kind kind, const json_t *v)
{
    switch (kind) {
    case JSCAN_ABSENT: return v == NULL;
    case JSCAN_NULL: return json_is_null(v);
    case JSCAN_FALSE: return json_is_false(v);
    case JSCAN_TRUE: return json_is_true(v);
    case JSCAN_NUMBER: return json_is_number(v);
    case JSCAN_STRING: return json_is_string(v);
    case JSCAN_OBJECT: return json_is_object(v);
    case JSCAN_ARRAY: return json_is_array(v);
    }
    return false;
}

/* How many elements of an array are compared: each is found by walking from the start. */
#define ARRAY_CHECKED 8

static void compare_value(const struct jscan_value *sv, const json_t *jv);

static void compare_elements(const struct jscan_value *array, const json_t *jv)
{
    size_t n = json_array_size(jv);
    struct jscan_value element;
    for (size_t i = 0; i < n && i < ARRAY_CHECKED; i++) {
        if (!jscan_array_element(array, i, &element))
            fuzz_fail("an array element jansson has is missing", "");
        compare_value(&element, json_array_get(jv, i));
    }
    if (n < ARRAY_CHECKED && jscan_array_element(array, n, &element))
        fuzz_fail("an array element past jansson's end", kind_names[element.kind]);
}

static void compare_value(const struct jscan_value *sv, const json_t *jv)
{
    if (!same_kind(sv->kind, jv))
        fuzz_fail("a value's kind differs from jansson's", kind_names[sv->kind]);
    if (sv->kind == JSCAN_STRING) {
        char *out = malloc(sv->len ? sv->len : 1);
        if (!out)
            abort();
        size_t n = jscan_unescape(sv, out);
        if (n != json_string_length(jv) || memcmp(out, json_string_value(jv), n) != 0)
            fuzz_fail("a string differs from jansson's", json_string_value(jv));
        free(out);
    }
    int64_t i;
    if (sv->kind == JSCAN_NUMBER && jscan_number_int(sv, &i) &&
        (!json_is_integer(jv) || json_integer_value(jv) != i))
        fuzz_fail("an integer differs from jansson's", "");
    if (sv->kind == JSCAN_ARRAY)
        compare_elements(sv, jv);
}

/* Whether jansson's refusal is one RFC 8259 does not make: a number out of its range. */
static bool number_out_of_range(const json_error_t *e)
{
    return strstr(e->text, "too big") || strstr(e->text, "overflow");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct jscan_keys *keys;
    if (!keys && jscan_keys_create(keys_wanted, NKEYS, &keys) != SL_OK)
        abort();
    char *text = malloc(size ? size : 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    struct jscan_value values[NKEYS];
    struct jscan_error err = {0};
    bool ok = jscan_object(keys, text, size, values, &err);
    if (!ok && (!err.reason || err.offset > size))
        fuzz_fail("a rejection without a reason or with an offset past the end", "");

    json_error_t jerr;
    json_t *root = json_loadb(text, size, 0, &jerr);
    bool jansson_ok = root && json_is_object(root);
    bool at_nul = !ok && err.offset < size && text[err.offset] == '\0';
    if (jansson_ok && !ok && !at_nul && strcmp(err.reason, "nested too deeply") != 0)
        fuzz_fail("jansson parses an object the scanner rejects", err.reason);
    if (ok && !root && !number_out_of_range(&jerr))
        fuzz_fail("the scanner accepts what jansson rejects", jerr.text);
    if (ok && root) {
        if (!jansson_ok)
            fuzz_fail("the scanner accepts a non-object", "");
        for (size_t i = 0; i < NKEYS; i++)
            compare_value(&values[i], json_object_get(root, keys_wanted[i]));
    }
    json_decref(root);
    free(text);
    return 0;
}
