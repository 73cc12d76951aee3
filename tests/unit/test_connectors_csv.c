/* test_connectors_csv.c — FORMAT CSV: quoting, header, NULL rules, types, dead letters, split
 * input, resuming at an offset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/alloc.h"
#include "common/arena.h"
#include "common/chunk.h"
#include "common/time.h"
#include "connectors/decoder.h"

struct fixture {
    struct sl_arena *arena;
    struct sl_chunk *chunk;
    struct sl_decoder *dec;
    char rows[4096];    /* rendered rows, one per line */
    char letters[2048]; /* dead letters as "offset [raw] reason", one per line */
};

static void on_dead_letter(void *ctx, const char *record, size_t len, uint64_t offset,
                           const char *reason)
{
    struct fixture *f = ctx;
    size_t used = strlen(f->letters);
    snprintf(f->letters + used, sizeof f->letters - used, "%llu [%.*s] %s\n",
             (unsigned long long)offset, (int)len, record, reason);
}

static void fixture_open(struct fixture *f, const struct sl_format_spec *spec,
                         const struct sl_schema *schema)
{
    struct sl_error err;
    enum sl_type types[8];
    for (uint32_t i = 0; i < schema->ncols; i++)
        types[i] = schema->cols[i].type;
    f->rows[0] = f->letters[0] = '\0';
    f->arena = arena_create(0);
    assert_int_equal(chunk_create(f->arena, schema->ncols, types, &f->chunk), SL_OK);
    assert_int_equal(decoder_create(spec, schema, on_dead_letter, f, &f->dec, &err), SL_OK);
}

static void fixture_close(struct fixture *f)
{
    decoder_destroy(f->dec);
    arena_destroy(f->arena);
}

/* Renders the chunk's rows into f->rows ("a,<text>,NULL\n") and empties the chunk. */
static void drain_rows(struct fixture *f)
{
    struct sl_chunk *c = f->chunk;
    for (uint32_t r = 0; r < c->count; r++) {
        for (uint32_t k = 0; k < c->ncols; k++) {
            char cell[128];
            struct sl_value v = vector_get(&c->cols[k], r);
            switch (v.type) {
            case SL_NULL: snprintf(cell, sizeof cell, "NULL"); break;
            case SL_TEXT: snprintf(cell, sizeof cell, "<%.*s>", (int)v.u.s.len, v.u.s.ptr); break;
            case SL_INT: snprintf(cell, sizeof cell, "%lld", (long long)v.u.i); break;
            case SL_REAL: snprintf(cell, sizeof cell, "%g", v.u.r); break;
            case SL_BOOL: snprintf(cell, sizeof cell, "%s", v.u.b ? "true" : "false"); break;
            case SL_TIMESTAMP: sl_ts_format(v.u.i, cell); break;
            default: snprintf(cell, sizeof cell, "?"); break;
            }
            size_t used = strlen(f->rows);
            snprintf(f->rows + used, sizeof f->rows - used, "%s%s", k ? "," : "", cell);
        }
        size_t used = strlen(f->rows);
        snprintf(f->rows + used, sizeof f->rows - used, "\n");
    }
    chunk_reset(c);
}

static void feed(struct fixture *f, const char *data, size_t len)
{
    struct sl_error err;
    size_t off = 0;
    while (off < len) {
        size_t consumed = 0;
        assert_int_equal(decoder_decode(f->dec, data + off, len - off, &consumed, f->chunk, &err),
                         SL_OK);
        off += consumed;
        drain_rows(f);
    }
}

static void finish(struct fixture *f)
{
    struct sl_error err;
    assert_int_equal(decoder_finish(f->dec, f->chunk, &err), SL_OK);
    assert_int_equal(decoder_pending(f->dec), 0);
    drain_rows(f);
}

static const struct sl_column two_text[] = {{"a", SL_TEXT}, {"b", SL_TEXT}};
static const struct sl_schema two_text_schema = {2, two_text};
static const struct sl_format_spec csv_plain = {.kind = SL_FORMAT_CSV};

static void test_csv_quoting(void **state)
{
    (void)state;
    struct fixture f;
    fixture_open(&f, &csv_plain, &two_text_schema);
    const char *in = "plain,\"with, comma\"\n"
                     "\"multi\nline\",\"say \"\"hi\"\"\"\r\n"
                     "\"\",\n"
                     "x,\"\"\n";
    feed(&f, in, strlen(in));
    finish(&f);
    assert_string_equal(f.rows, "<plain>,<with, comma>\n"
                                "<multi\nline>,<say \"hi\">\n"
                                "<>,NULL\n"
                                "<x>,<>\n");
    assert_string_equal(f.letters, "");
    fixture_close(&f);
}

static void test_csv_header_and_last_record(void **state)
{
    (void)state;
    const struct sl_format_spec spec = {.kind = SL_FORMAT_CSV, .header = true};
    struct fixture f;
    fixture_open(&f, &spec, &two_text_schema);
    const char *in = "a,b,c\r\n1,2\r\n3,4";
    feed(&f, in, strlen(in));
    assert_string_equal(f.rows, "<1>,<2>\n");
    assert_int_equal(decoder_pending(f.dec), 3);
    finish(&f);
    assert_string_equal(f.rows, "<1>,<2>\n<3>,<4>\n");
    assert_string_equal(f.letters, "");
    fixture_close(&f);
}

/* A decoder resumed at a record's offset reads no header there, and numbers
 * dead letters from the file's start. */
static void test_csv_resume(void **state)
{
    (void)state;
    const struct sl_format_spec spec = {.kind = SL_FORMAT_CSV, .header = true};
    const char *in = "a,b\n1,2\nbad\n3,4\n";
    size_t at = strlen("a,b\n1,2\n");
    struct fixture f;
    fixture_open(&f, &spec, &two_text_schema);
    decoder_resume(f.dec, at);
    feed(&f, in + at, strlen(in + at));
    finish(&f);
    assert_string_equal(f.rows, "<3>,<4>\n");
    assert_string_equal(f.letters, "8 [bad] expected 2 fields, got 1\n");
    fixture_close(&f);

    /* Resumed at 0 (nothing was read), the header is still skipped. */
    fixture_open(&f, &spec, &two_text_schema);
    decoder_resume(f.dec, 0);
    feed(&f, in, strlen(in));
    finish(&f);
    assert_string_equal(f.rows, "<1>,<2>\n<3>,<4>\n");
    fixture_close(&f);
}

static void test_csv_delimiter_and_null_marker(void **state)
{
    (void)state;
    const struct sl_format_spec spec = {.kind = SL_FORMAT_CSV, .delimiter = ';',
                                        .null_marker = "\\N"};
    struct fixture f;
    fixture_open(&f, &spec, &two_text_schema);
    const char *in = "a,b;\\N\n;\"\"\nNA;x\n";
    feed(&f, in, strlen(in));
    finish(&f);
    assert_string_equal(f.rows, "<a,b>,NULL\nNULL,<>\n<NA>,<x>\n");
    fixture_close(&f);

    const struct sl_format_spec tabs = {.kind = SL_FORMAT_CSV, .delimiter = '\t',
                                        .null_marker = "NA"};
    fixture_open(&f, &tabs, &two_text_schema);
    in = "a\tNA\n\tb c\n";
    feed(&f, in, strlen(in));
    finish(&f);
    assert_string_equal(f.rows, "<a>,NULL\nNULL,<b c>\n");
    fixture_close(&f);
}

static const struct sl_column typed[] = {{"id", SL_INT},
                                         {"price", SL_REAL},
                                         {"ok", SL_BOOL},
                                         {"ts", SL_TIMESTAMP},
                                         {"name", SL_TEXT}};
static const struct sl_schema typed_schema = {5, typed};

static void test_csv_types(void **state)
{
    (void)state;
    struct fixture f;
    fixture_open(&f, &csv_plain, &typed_schema);
    const char *in = "1,2.5,true,2024-01-02 03:04:05,widget\n"
                     "-7, 1e3 ,0,2024-01-02T03:04:05.5Z,\"a \"\"b\"\"\"\n"
                     ",,,,\n";
    feed(&f, in, strlen(in));
    finish(&f);
    assert_string_equal(f.rows, "1,2.5,true,2024-01-02 03:04:05.000000,<widget>\n"
                                "-7,1000,false,2024-01-02 03:04:05.500000,<a \"b\">\n"
                                "NULL,NULL,NULL,NULL,NULL\n");
    assert_string_equal(f.letters, "");
    fixture_close(&f);
}

static const char dead_in[] = "1,2.5,t,2024-01-01,a\n"
                              "abc,2.5,t,2024-01-01,b\n"
                              "2,2.5,t\r\n"
                              "3,x,t,2024-01-01,c\n"
                              "\"4\",1,maybe,2024-01-01,\"d\ne\"\n"
                              "5,1,f,yesterday,e\n"
                              "6,1,f,2024-01-01,\"f\ng\"\n"
                              "7,1,f,2024-01-01,last";

static void test_csv_dead_letters(void **state)
{
    (void)state;
    struct fixture f;
    fixture_open(&f, &csv_plain, &typed_schema);
    feed(&f, dead_in, strlen(dead_in));
    finish(&f);
    assert_string_equal(f.rows, "1,2.5,true,2024-01-01 00:00:00.000000,<a>\n"
                                "6,1,false,2024-01-01 00:00:00.000000,<f\ng>\n"
                                "7,1,false,2024-01-01 00:00:00.000000,<last>\n");
    assert_string_equal(f.letters,
                        "21 [abc,2.5,t,2024-01-01,b] column \"id\": 'abc' is not a valid INTEGER\n"
                        "44 [2,2.5,t] expected 5 fields, got 3\n"
                        "53 [3,x,t,2024-01-01,c] column \"price\": 'x' is not a valid REAL\n"
                        "72 [\"4\",1,maybe,2024-01-01,\"d\ne\"] column \"ok\": 'maybe' is not a valid "
                        "BOOLEAN\n"
                        "101 [5,1,f,yesterday,e] column \"ts\": 'yesterday' is not a valid TIMESTAMP\n");
    fixture_close(&f);
}

/* Decoding in three calls cut at every pair of positions gives the same rows and dead letters. */
static void test_csv_split_everywhere(void **state)
{
    (void)state;
    struct fixture whole;
    fixture_open(&whole, &csv_plain, &typed_schema);
    size_t len = strlen(dead_in);
    feed(&whole, dead_in, len);
    finish(&whole);
    for (size_t cut = 0; cut <= len; cut++) {
        for (size_t cut2 = cut; cut2 <= len; cut2 += 3) {
            struct fixture f;
            fixture_open(&f, &csv_plain, &typed_schema);
            char a[256], b[256], c[256];
            memcpy(a, dead_in, cut);
            memcpy(b, dead_in + cut, cut2 - cut);
            memcpy(c, dead_in + cut2, len - cut2);
            feed(&f, a, cut);
            assert_true(decoder_pending(f.dec) <= cut);
            memset(a, '#', sizeof a);
            feed(&f, b, cut2 - cut);
            memset(b, '#', sizeof b);
            feed(&f, c, len - cut2);
            finish(&f);
            assert_string_equal(f.rows, whole.rows);
            assert_string_equal(f.letters, whole.letters);
            fixture_close(&f);
        }
    }
    fixture_close(&whole);
}

static void test_csv_chunk_full(void **state)
{
    (void)state;
    struct fixture f;
    fixture_open(&f, &csv_plain, &two_text_schema);
    size_t n = SL_CHUNK_CAP + 10, len = 0;
    char *in = sl_malloc(n * 32);
    for (size_t i = 0; i < n; i++) {
        len += (size_t)sprintf(in + len, i % 2 ? "%zu,\"q\nx\"\r\n" : "%zu,bad,extra\n", i);
    }
    len += (size_t)sprintf(in + len, "tail,\"open");
    size_t good = 0, off = 0;
    struct sl_error err;
    while (off < len) {
        size_t consumed = 0;
        assert_int_equal(decoder_decode(f.dec, in + off, len - off, &consumed, f.chunk, &err),
                         SL_OK);
        assert_true(f.chunk->count == SL_CHUNK_CAP || off + consumed == len);
        off += consumed;
        if (f.chunk->count == SL_CHUNK_CAP) {
            /* Stopped right after the record that filled the chunk: nothing pending. */
            assert_int_equal(decoder_pending(f.dec), 0);
            assert_memory_equal(in + off - 3, "\"\r\n", 3);
        }
        good += f.chunk->count;
        chunk_reset(f.chunk);
    }
    assert_int_equal(good, n / 2);
    assert_int_equal(decoder_pending(f.dec), strlen("tail,\"open"));
    assert_int_equal(decoder_finish(f.dec, f.chunk, &err), SL_OK);
    /* Its quote is never closed: a dead letter, not a row (PostgreSQL's COPY refuses it too). */
    assert_int_equal(f.chunk->count, 0);
    sl_free(in);
    fixture_close(&f);
}

/* Every allocation failing in turn: a clean SL_NOMEM (or success), no crash, no leak. */
static void test_csv_out_of_memory(void **state)
{
    (void)state;
    for (long k = 1; k < 200; k++) {
        struct sl_arena *arena = arena_create(0);
        enum sl_type types[5] = {SL_INT, SL_REAL, SL_BOOL, SL_TIMESTAMP, SL_TEXT};
        struct sl_chunk *chunk;
        assert_int_equal(chunk_create(arena, 5, types, &chunk), SL_OK);
        struct sl_decoder *d = NULL;
        struct sl_error err;
        const struct sl_format_spec spec = {.kind = SL_FORMAT_CSV, .null_marker = "NA"};
        sl_alloc_fail_after(k);
        sl_status st = decoder_create(&spec, &typed_schema, NULL, NULL, &d, &err);
        size_t consumed = 0, half = sizeof dead_in / 2;
        if (st == SL_OK)
            st = decoder_decode(d, dead_in, half, &consumed, chunk, &err);
        if (st == SL_OK)
            st = decoder_decode(d, dead_in + half, sizeof dead_in - 1 - half, &consumed, chunk, &err);
        if (st == SL_OK)
            st = decoder_finish(d, chunk, &err);
        sl_alloc_fail_after(0);
        assert_true(st == SL_OK || st == SL_NOMEM);
        decoder_destroy(d);
        arena_destroy(arena);
    }
}

static void test_csv_bad_schema(void **state)
{
    (void)state;
    const struct sl_column arr[] = {{"xs", SL_ARRAY}};
    const struct sl_schema arr_schema = {1, arr};
    struct sl_decoder *d = NULL;
    struct sl_error err;
    assert_int_equal(decoder_create(&csv_plain, &arr_schema, NULL, NULL, &d, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "\"xs\""));
    const struct sl_format_spec quote = {.kind = SL_FORMAT_CSV, .delimiter = '"'};
    assert_int_equal(decoder_create(&quote, &two_text_schema, NULL, NULL, &d, &err), SL_ERROR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_quoting),
        cmocka_unit_test(test_csv_header_and_last_record),
        cmocka_unit_test(test_csv_resume),
        cmocka_unit_test(test_csv_delimiter_and_null_marker),
        cmocka_unit_test(test_csv_types),
        cmocka_unit_test(test_csv_dead_letters),
        cmocka_unit_test(test_csv_split_everywhere),
        cmocka_unit_test(test_csv_chunk_full),
        cmocka_unit_test(test_csv_out_of_memory),
        cmocka_unit_test(test_csv_bad_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
