/* test_connectors_json.c — FORMAT JSON: columns by key and by PATH, types and json_cast,
 * dead letters and their offsets, input cut anywhere, max_record_bytes, resuming; and
 * the JSON path parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/arena.h"
#include "common/chunk.h"
#include "common/time.h"
#include "connectors/decoder.h"
#include "connectors/json_path.h"

/* What decoding gave: rows rendered one per line, dead letters as "offset [raw] reason". */
struct decoded {
    char rows[8192];
    char letters[8192];
};

static void on_dead_letter(void *ctx, const char *record, size_t len, uint64_t offset,
                           const char *reason)
{
    struct decoded *d = ctx;
    size_t used = strlen(d->letters);
    snprintf(d->letters + used, sizeof d->letters - used, "%llu [%.*s] %s\n",
             (unsigned long long)offset, (int)len, record, reason);
}

static void render_value(struct sl_value v, char *cell, size_t cap)
{
    switch (v.type) {
    case SL_NULL: snprintf(cell, cap, "NULL"); break;
    case SL_TEXT: snprintf(cell, cap, "<%.*s>", (int)v.u.s.len, v.u.s.ptr); break;
    case SL_INT: snprintf(cell, cap, "%lld", (long long)v.u.i); break;
    case SL_REAL: snprintf(cell, cap, "%g", v.u.r); break;
    case SL_BOOL: snprintf(cell, cap, "%s", v.u.b ? "true" : "false"); break;
    case SL_TIMESTAMP: sl_ts_format(v.u.i, cell); break;
    default: snprintf(cell, cap, "?"); break;
    }
}

static void take_rows(struct decoded *d, struct sl_chunk *c)
{
    for (uint32_t r = 0; r < c->count; r++) {
        for (uint32_t k = 0; k < c->ncols; k++) {
            char cell[128];
            render_value(vector_get(&c->cols[k], r), cell, sizeof cell);
            size_t used = strlen(d->rows);
            snprintf(d->rows + used, sizeof d->rows - used, "%s%s", k ? "," : "", cell);
        }
        size_t used = strlen(d->rows);
        snprintf(d->rows + used, sizeof d->rows - used, "\n");
    }
    chunk_reset(c);
}

/* Decodes in[0..len) in pieces of `piece` bytes (0: whole), each a separate heap copy,
 * then finishes; the decoder starts at byte `resume_at`. */
static void decode_pieces(const struct sl_format_spec *spec, const struct sl_schema *schema,
                          const char *in, size_t len, size_t piece, uint64_t resume_at,
                          struct decoded *d)
{
    struct sl_error err;
    enum sl_type types[8];
    for (uint32_t i = 0; i < schema->ncols; i++)
        types[i] = schema->cols[i].type;
    memset(d, 0, sizeof *d);
    struct sl_arena *arena = arena_create(0);
    struct sl_chunk *chunk;
    struct sl_decoder *dec;
    assert_int_equal(chunk_create(arena, schema->ncols, types, &chunk), SL_OK);
    assert_int_equal(decoder_create(spec, schema, on_dead_letter, d, &dec, &err), SL_OK);
    if (resume_at)
        decoder_resume(dec, resume_at);
    for (size_t off = 0; off < len;) {
        size_t n = piece && piece < len - off ? piece : len - off;
        char *copy = malloc(n);
        assert_non_null(copy);
        memcpy(copy, in + off, n);
        for (size_t used = 0; used < n;) {
            size_t consumed = 0;
            assert_int_equal(decoder_decode(dec, copy + used, n - used, &consumed, chunk, &err),
                             SL_OK);
            assert_true(consumed > 0 || chunk->count == SL_CHUNK_CAP);
            used += consumed;
            take_rows(d, chunk);
        }
        free(copy);
        off += n;
    }
    assert_int_equal(decoder_finish(dec, chunk, &err), SL_OK);
    assert_int_equal(decoder_pending(dec), 0);
    take_rows(d, chunk);
    decoder_destroy(dec);
    arena_destroy(arena);
}

static void decode(const struct sl_format_spec *spec, const struct sl_schema *schema,
                   const char *in, struct decoded *d)
{
    decode_pieces(spec, schema, in, strlen(in), 0, 0, d);
}

static const struct sl_column typed_cols[] = {
    {"id", SL_INT}, {"price", SL_REAL}, {"name", SL_TEXT}, {"ok", SL_BOOL}, {"ts", SL_TIMESTAMP},
};
static const struct sl_schema typed = {5, typed_cols};
static const struct sl_format_spec json_plain = {.kind = SL_FORMAT_JSON};
static const struct sl_format_spec json_cast = {.kind = SL_FORMAT_JSON, .json_cast = true};

static void test_json_types_and_nulls(void **state)
{
    (void)state;
    struct decoded d;
    decode(&json_plain, &typed,
           "{\"id\": 1, \"price\": 2.5, \"name\": \"a\\u00e9\\n\", \"ok\": true, "
           "\"ts\": \"2026-01-02T03:04:05.5Z\"}\n"
           "{\"name\": null, \"extra\": {\"deep\": [1, {}]}, \"price\": 7}\r\n"
           "\n   \r\n"
           "{\"ID\": 9, \"id\": -9223372036854775808, \"ok\": false}\n"
           "{}",
           &d);
    assert_string_equal(d.rows, "1,2.5,<a\xc3\xa9\n>,true,2026-01-02 03:04:05.500000\n"
                                "NULL,7,NULL,NULL,NULL\n"
                                "-9223372036854775808,NULL,NULL,false,NULL\n"
                                "NULL,NULL,NULL,NULL,NULL\n");
    assert_string_equal(d.letters, "");
}

static void test_json_paths(void **state)
{
    (void)state;
    static const struct sl_column cols[] = {
        {"uid", SL_INT}, {"first", SL_TEXT}, {"user", SL_TEXT}, {"tags", SL_TEXT}, {"deep", SL_INT},
    };
    static const struct sl_schema schema = {5, cols};
    char *paths[] = {"$.user.id", "$.items[1].sku", NULL, "$.tags", "$.a.b[0][2].c"};
    const struct sl_format_spec spec = {.kind = SL_FORMAT_JSON, .json_paths = paths,
                                        .njson_paths = 5};
    struct decoded d;
    decode(&spec, &schema,
           "{\"user\": {\"id\": 7, \"n\": \"x\"}, \"items\": [{\"sku\": \"a\"}, {\"sku\": \"b\"}], "
           "\"tags\": [\"t\", 1, null, true], \"a\": {\"b\": [[0, 1, {\"c\": 42}]]}}\n"
           "{\"user\": \"3\", \"items\": [{\"sku\": \"a\"}], \"tags\": {}, \"a\": {\"b\": []}}\n"
           "{\"user\": {\"id\": null}, \"items\": {\"1\": {\"sku\": \"no\"}}}\n",
           &d);
    assert_string_equal(d.rows, "7,<b>,<{\"id\":7,\"n\":\"x\"}>,<[\"t\",1,null,true]>,42\n"
                                "NULL,NULL,<3>,<{}>,NULL\n"
                                "NULL,NULL,<{\"id\":null}>,NULL,NULL\n");
    assert_string_equal(d.letters, "");
}

static void test_json_wrong_types_are_dead_letters(void **state)
{
    (void)state;
    struct decoded d;
    decode(&json_plain, &typed,
           "{\"id\": \"12\"}\n"
           "{\"id\": 2.5}\n"
           "{\"price\": \"abc\"}\n"
           "{\"name\": 5}\n"
           "{\"ok\": 1}\n"
           "{\"ts\": \"yesterday\"}\n"
           "{\"ts\": 1700000000}\n"
           "{\"id\": [1]}\n"
           "{\"id\": 3}\n",
           &d);
    assert_string_equal(d.rows, "3,NULL,NULL,NULL,NULL\n");
    assert_string_equal(
        d.letters,
        "0 [{\"id\": \"12\"}] column \"id\": \"12\" is not a valid INTEGER (FORMAT JSON "
        "(json_cast = true) reads it)\n"
        "13 [{\"id\": 2.5}] column \"id\": 2.5 is not a valid INTEGER (FORMAT JSON (json_cast = "
        "true) reads it)\n"
        "25 [{\"price\": \"abc\"}] column \"price\": \"abc\" is not a valid REAL\n"
        "42 [{\"name\": 5}] column \"name\": 5 is not a valid TEXT (FORMAT JSON (json_cast = "
        "true) reads it)\n"
        "54 [{\"ok\": 1}] column \"ok\": 1 is not a valid BOOLEAN (FORMAT JSON (json_cast = "
        "true) reads it)\n"
        "64 [{\"ts\": \"yesterday\"}] column \"ts\": \"yesterday\" is not a valid TIMESTAMP\n"
        "84 [{\"ts\": 1700000000}] column \"ts\": 1700000000 is not a valid TIMESTAMP (FORMAT JSON "
        "(json_cast = true) reads it)\n"
        "103 [{\"id\": [1]}] column \"id\": an array is not a valid INTEGER\n");
}

static void test_json_cast(void **state)
{
    (void)state;
    struct decoded d;
    decode(&json_cast, &typed,
           "{\"id\": \"12\", \"price\": \"2.5\", \"name\": 5, \"ok\": \"t\", \"ts\": 1700000000}\n"
           "{\"id\": -2.9, \"price\": true, \"name\": 0.5, \"ok\": 0, \"ts\": 1.25}\n"
           "{\"id\": true, \"name\": false, \"ok\": 2.5, \"ts\": \"2026-01-01\"}\n"
           "{\"id\": \"x\"}\n"
           "{\"id\": 1e300}\n"
           "{\"ts\": 1e300}\n"
           "{\"name\": {\"a\": [1.5]}}\n",
           &d);
    assert_string_equal(d.rows, "12,2.5,<5>,true,2023-11-14 22:13:20.000000\n"
                                "-2,1,<0.5>,false,1970-01-01 00:00:01.250000\n"
                                "1,NULL,<false>,true,2026-01-01 00:00:00.000000\n"
                                "NULL,NULL,<{\"a\":[1.5]}>,NULL,NULL\n");
    assert_string_equal(d.letters,
                        "190 [{\"id\": \"x\"}] column \"id\": \"x\" is not a valid INTEGER\n"
                        "202 [{\"id\": 1e300}] column \"id\": 1e+300 is not a valid INTEGER\n"
                        "216 [{\"ts\": 1e300}] column \"ts\": 1e+300 is not a valid TIMESTAMP\n");
}

static void test_json_bad_lines(void **state)
{
    (void)state;
    static const struct sl_column cols[] = {{"a", SL_INT}};
    static const struct sl_schema schema = {1, cols};
    struct decoded d;
    decode(&json_plain, &schema,
           "{\"a\": 1\n"
           "[1, 2]\n"
           "42\n"
           "\"text\"\n"
           "{\"a\": 99999999999999999999}\n"
           "{\"a\": 2} {\"a\": 3}\n"
           "{\"b\": \"\xff\"}\n"
           "{\"b\": \"\\u0000\"}\n"
           "{\"a\": 4}\n",
           &d);
    assert_string_equal(d.rows, "4\n");
    assert_string_equal(
        d.letters,
        "0 [{\"a\": 1] bad JSON at byte 7: expected ',' or '}'\n"
        "8 [[1, 2]] an array, not a JSON object: a record is one object\n"
        "15 [42] a number, not a JSON object: a record is one object\n"
        "18 [\"text\"] a string, not a JSON object: a record is one object\n"
        "25 [{\"a\": 99999999999999999999}] number out of range at byte 6: "
        "99999999999999999999\n"
        "53 [{\"a\": 2} {\"a\": 3}] bad JSON at byte 9: text after the object\n"
        "71 [{\"b\": \"\xff\"}] bad JSON at byte 7: invalid UTF-8 in a string\n"
        "82 [{\"b\": \"\\u0000\"}] bad JSON at byte 7: \\u0000 in a string\n");
}

/* What the scanner backend does on purpose: several paths through one object
 * (each level scanned once for all of them), "$" as the whole record, escaped
 * keys and strings, an object's text compacted with its strings and numbers as
 * written, an integer beyond 64 bits accepted where no column reads it, and a
 * number a column reads refused when it does not fit. */
static void test_json_scanner_choices(void **state)
{
    (void)state;
    static const struct sl_column cols[] = {
        {"a", SL_INT}, {"b", SL_TEXT}, {"c", SL_REAL}, {"all", SL_TEXT}, {"first", SL_REAL},
    };
    static const struct sl_schema schema = {5, cols};
    char *paths[] = {"$.o.a", "$.o.b", "$.o.c", "$", "$.o.l[0]"};
    const struct sl_format_spec spec = {.kind = SL_FORMAT_JSON, .json_paths = paths,
                                        .njson_paths = 5};
    struct decoded d;
    decode(&spec, &schema,
           "{\"o\": {\"\\u0061\": 1, \"b\": \"x\\ty \\u00e9\", \"c\": 2.50e1, \"l\": [3]}, "
           "\"big\": 99999999999999999999}\n"
           "{ \"o\" : { \"b\" : \"a b\" , \"l\" : [ 1.50 , \"\\\" }\" ] } }\n"
           "{\"o\": {\"c\": 1e999}}\n",
           &d);
    assert_string_equal(d.rows, "1,<x\ty \xc3\xa9>,25,<{\"o\":{\"\\u0061\":1,\"b\":\"x\\ty "
                                "\\u00e9\",\"c\":2.50e1,\"l\":[3]},\"big\":99999999999999999999}>,3\n"
                                "NULL,<a b>,NULL,<{\"o\":{\"b\":\"a b\",\"l\":[1.50,\"\\\" }\"]}}>,1.5\n");
    assert_string_equal(d.letters,
                        "145 [{\"o\": {\"c\": 1e999}}] number out of range at byte 12: 1e999\n");
}

/* The same input cut into pieces of every size from 1 to 9 bytes gives the same rows,
 * dead letters and offsets as in one piece. */
static void test_json_split_anywhere(void **state)
{
    (void)state;
    const char *in = "{\"id\": 1, \"name\": \"x\"}\r\n"
                     "\n"
                     "{\"id\": \"bad\"}\n"
                     "{\"id\": 2, \"name\": \"a longer name\", \"ts\": \"2026-01-01 00:00:00\"}\n"
                     "{\"id\": 3}";
    struct decoded whole, cut;
    decode(&json_plain, &typed, in, &whole);
    assert_string_equal(whole.rows, "1,NULL,<x>,NULL,NULL\n"
                                    "2,NULL,<a longer name>,NULL,2026-01-01 00:00:00.000000\n"
                                    "3,NULL,NULL,NULL,NULL\n");
    assert_string_equal(whole.letters, "25 [{\"id\": \"bad\"}] column \"id\": \"bad\" is not a "
                                       "valid INTEGER\n");
    for (size_t piece = 1; piece < 10; piece++) {
        decode_pieces(&json_plain, &typed, in, strlen(in), piece, 0, &cut);
        assert_string_equal(cut.rows, whole.rows);
        assert_string_equal(cut.letters, whole.letters);
    }
}

/* A line longer than max_record_bytes is a dead letter holding its first bytes, whether
 * it arrives whole or in pieces; the lines around it are read. */
static void test_json_max_record_bytes(void **state)
{
    (void)state;
    static const struct sl_column cols[] = {{"a", SL_INT}};
    static const struct sl_schema schema = {1, cols};
    const struct sl_format_spec spec = {.kind = SL_FORMAT_JSON, .max_record_bytes = 10};
    const char *in = "{\"a\": 1}\n{\"a\": 22222}\n{\"a\":333}\n{\"a\": 4444444}";
    const char *letters = "9 [{\"a\": 22222}] a record of 12 bytes is longer than "
                          "max_record_bytes (10)\n"
                          "32 [{\"a\": 4444444}] a record of 14 bytes is longer than "
                          "max_record_bytes (10)\n";
    struct decoded d;
    for (size_t piece = 0; piece < 6; piece++) {
        decode_pieces(&spec, &schema, in, strlen(in), piece, 0, &d);
        assert_string_equal(d.rows, "1\n333\n");
        assert_string_equal(d.letters, letters);
    }
}

/* An over-long line keeps only its first 4 KiB, for its dead letter. */
static void test_json_long_line_kept_short(void **state)
{
    (void)state;
    static const struct sl_column cols[] = {{"a", SL_TEXT}};
    static const struct sl_schema schema = {1, cols};
    const struct sl_format_spec spec = {.kind = SL_FORMAT_JSON, .max_record_bytes = 100};
    size_t n = 20000;
    char *in = malloc(n + 1);
    assert_non_null(in);
    memset(in, 'x', n);
    memcpy(in, "{\"a\": \"", 7);
    memcpy(in + n - 3, "\"}\n", 3);
    in[n] = '\0';
    struct decoded d;
    decode_pieces(&spec, &schema, in, n, 1000, 0, &d);
    assert_string_equal(d.rows, "");
    char want[128];
    snprintf(want, sizeof want, "a record of %zu bytes is longer than max_record_bytes (100)\n",
             n - 1);
    assert_non_null(strstr(d.letters, want));
    assert_int_equal(strchr(d.letters, ']') - strchr(d.letters, '[') - 1, 4096);
    free(in);
}

/* Resumed at an offset, dead letters count from there; a full chunk stops decoding
 * at a record boundary and says how much it took. */
static void test_json_resume_and_full_chunk(void **state)
{
    (void)state;
    static const struct sl_column cols[] = {{"a", SL_INT}};
    static const struct sl_schema schema = {1, cols};
    struct decoded d;
    const char *in = "{\"a\": 1}\n{\"a\": true}\n";
    decode_pieces(&json_plain, &schema, in, strlen(in), 0, 1000, &d);
    assert_string_equal(d.letters, "1009 [{\"a\": true}] column \"a\": true is not a valid "
                                   "INTEGER (FORMAT JSON (json_cast = true) reads it)\n");

    size_t rows = SL_CHUNK_CAP + 10, line = strlen("{\"a\": 1}\n");
    char *many = malloc(rows * line + 1);
    assert_non_null(many);
    for (size_t i = 0; i < rows; i++)
        memcpy(many + i * line, "{\"a\": 1}\n", line);
    struct sl_arena *arena = arena_create(0);
    struct sl_chunk *chunk;
    struct sl_decoder *dec;
    struct sl_error err;
    enum sl_type t = SL_INT;
    assert_int_equal(chunk_create(arena, 1, &t, &chunk), SL_OK);
    assert_int_equal(decoder_create(&json_plain, &schema, NULL, NULL, &dec, &err), SL_OK);
    size_t consumed = 0;
    assert_int_equal(decoder_decode(dec, many, rows * line, &consumed, chunk, &err), SL_OK);
    assert_int_equal(chunk->count, SL_CHUNK_CAP);
    assert_int_equal(consumed, SL_CHUNK_CAP * line);
    assert_int_equal(decoder_pending(dec), 0);
    chunk_reset(chunk);
    assert_int_equal(decoder_decode(dec, many + consumed, 5, &consumed, chunk, &err), SL_OK);
    assert_int_equal(consumed, 5);
    assert_int_equal(decoder_pending(dec), 5);
    decoder_destroy(dec);
    arena_destroy(arena);
    free(many);
}

static void test_json_create_errors(void **state)
{
    (void)state;
    struct sl_decoder *dec = NULL;
    struct sl_error err;
    char *paths[] = {"$.a[x]"};
    const struct sl_format_spec spec = {.kind = SL_FORMAT_JSON, .json_paths = paths,
                                        .njson_paths = 1};
    static const struct sl_column cols[] = {{"a", SL_INT}};
    static const struct sl_schema schema = {1, cols};
    assert_int_equal(decoder_create(&spec, &schema, NULL, NULL, &dec, &err), SL_ERROR);
    assert_string_equal(err.msg, "column \"a\": JSON path '$.a[x]': expected an array index "
                                 "and ']'");
    static const struct sl_column any[] = {{"a", SL_ANY}};
    static const struct sl_schema any_schema = {1, any};
    assert_int_equal(decoder_create(&json_plain, &any_schema, NULL, NULL, &dec, &err), SL_ERROR);
}

static void expect_path(const char *text, const char *bad, size_t at, uint32_t nsteps)
{
    struct json_path p;
    size_t where;
    const char *hint;
    const char *msg = json_path_parse(text, &p, &where, &hint);
    if (!bad) {
        assert_null(msg);
        assert_int_equal(p.nsteps, nsteps);
        json_path_free(&p);
        return;
    }
    assert_non_null(msg);
    assert_string_equal(msg, bad);
    assert_int_equal(where, at);
    assert_non_null(hint);
}

static void test_json_path_parse(void **state)
{
    (void)state;
    expect_path("$", NULL, 0, 0);
    expect_path("$.user.id", NULL, 0, 2);
    expect_path("$.items[12].sku", NULL, 0, 3);
    expect_path("$[0][999999999]", NULL, 0, 2);
    expect_path("$.@timestamp.user-name", NULL, 0, 2);
    expect_path("user.id", "a JSON path starts with '$'", 0, 0);
    expect_path("", "a JSON path starts with '$'", 0, 0);
    expect_path("$user", "expected '.' or '['", 1, 0);
    expect_path("$.a..b", "a key is missing after '.'", 4, 0);
    expect_path("$.a.", "a key is missing after '.'", 4, 0);
    expect_path("$.*", "wildcards are not supported", 2, 0);
    expect_path("$.\"a b\"", "a key is missing after '.'", 2, 0);
    expect_path("$.a[-1]", "expected an array index and ']'", 4, 0);
    expect_path("$.a[1000000000]", "expected an array index and ']'", 13, 0);
    expect_path("$.a[#]", "expected an array index and ']'", 4, 0);
    expect_path("$.a[1", "expected an array index and ']'", 5, 0);
    expect_path("$.a]", "expected '.' or '['", 3, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_types_and_nulls),
        cmocka_unit_test(test_json_paths),
        cmocka_unit_test(test_json_scanner_choices),
        cmocka_unit_test(test_json_wrong_types_are_dead_letters),
        cmocka_unit_test(test_json_cast),
        cmocka_unit_test(test_json_bad_lines),
        cmocka_unit_test(test_json_split_anywhere),
        cmocka_unit_test(test_json_max_record_bytes),
        cmocka_unit_test(test_json_long_line_kept_short),
        cmocka_unit_test(test_json_resume_and_full_chunk),
        cmocka_unit_test(test_json_create_errors),
        cmocka_unit_test(test_json_path_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
