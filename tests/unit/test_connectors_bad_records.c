/* test_connectors_bad_records.c — every format's bad records: a record over max_record_bytes
 * is a dead letter whatever arrives (50 MiB without a line break leaves memory flat), and a
 * TEXT value that is not UTF-8 is a dead letter naming the column and the record's byte; a
 * byte order mark opening the stream is no record's, while one further on is bad UTF-8 for
 * nobody: it stays in its value. */
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "decode_render.h"

static const struct sl_column line_col[] = {{"line", SL_TEXT}};
static const struct sl_schema line_schema = {1, line_col};
static const struct sl_column pair[] = {{"id", SL_INT}, {"name", SL_TEXT}};
static const struct sl_schema pair_schema = {2, pair};

/* Bytes the heap holds in use, mmapped blocks included. */
static size_t heap_in_use(void)
{
    struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

struct last_letter {
    uint64_t count, offset;
    size_t len;
    char reason[160];
};

static void keep_last(void *ctx, const char *record, size_t len, uint64_t offset,
                      const char *reason)
{
    struct last_letter *l = ctx;
    (void)record;
    l->count++;
    l->offset = offset;
    l->len = len;
    snprintf(l->reason, sizeof l->reason, "%s", reason);
}

/* Each format with its defaults (CSV twice: with its fast path, and through libcsv alone). */
static const struct sl_format_spec text = {.kind = SL_FORMAT_TEXT};
static const struct sl_format_spec csv = {.kind = SL_FORMAT_CSV};
static const struct sl_format_spec libcsv = {.kind = SL_FORMAT_CSV, .csv_libcsv_only = true};
static const struct sl_format_spec json = {.kind = SL_FORMAT_JSON};

#define ENDLESS ((size_t)50 << 20)
#define PIECE ((size_t)64 << 10)

/* Feeds `head`, then ENDLESS bytes of `fill` in PIECE-sized reads, then `tail`: the heap
 * may not grow by more than 4 MiB on the way, and the long record is one dead letter of
 * its first 4 KiB; `tail`'s record must then be one row. */
static void endless_record(const struct sl_format_spec *spec, const struct sl_schema *schema,
                           const char *head, char fill, const char *tail)
{
    enum sl_type types[2] = {schema->cols[0].type, schema->ncols > 1 ? schema->cols[1].type : 0};
    struct sl_arena *arena = arena_create(0);
    struct sl_chunk *chunk;
    struct sl_decoder *dec;
    struct sl_error err;
    struct last_letter letter = {0};
    assert_int_equal(chunk_create(arena, schema->ncols, types, &chunk), SL_OK);
    assert_int_equal(decoder_create(spec, schema, keep_last, &letter, &dec, &err), SL_OK);
    char *piece = sl_malloc(PIECE);
    memset(piece, fill, PIECE);
    size_t consumed, before = heap_in_use(), most = 0;
    assert_int_equal(decoder_decode(dec, head, strlen(head), &consumed, chunk, &err), SL_OK);
    assert_int_equal(consumed, strlen(head));
    for (size_t sent = 0; sent < ENDLESS; sent += PIECE) {
        assert_int_equal(decoder_decode(dec, piece, PIECE, &consumed, chunk, &err), SL_OK);
        assert_int_equal(consumed, PIECE);
        size_t now = heap_in_use();
        most = now > most ? now : most;
    }
    assert_true(most < before + ((size_t)4 << 20));
    assert_int_equal(chunk->count, 0);
    assert_int_equal(letter.count, 0);
    assert_int_equal(decoder_decode(dec, tail, strlen(tail), &consumed, chunk, &err), SL_OK);
    assert_int_equal(decoder_finish(dec, chunk, &err), SL_OK);
    char want[160];
    snprintf(want, sizeof want,
             "a record of %zu bytes is longer than max_record_bytes (1048576)",
             strlen(head) + ENDLESS + (size_t)(strchr(tail, '\n') - tail));
    assert_int_equal(letter.count, 1);
    assert_int_equal(letter.offset, 0);
    assert_int_equal(letter.len, 4096);
    assert_string_equal(letter.reason, want);
    assert_int_equal(chunk->count, 1);
    sl_free(piece);
    decoder_destroy(dec);
    arena_destroy(arena);
}

static void test_endless_text_line(void **state)
{
    (void)state;
    endless_record(&text, &line_schema, "", 'x', "x\nnext\n");
}

static void test_endless_json_line(void **state)
{
    (void)state;
    endless_record(&json, &pair_schema, "{\"name\": \"", 'x', "\"}\n{\"id\": 1}\n");
}

static void test_endless_csv_record(void **state)
{
    (void)state;
    endless_record(&csv, &pair_schema, "", 'x', "\n1,a\n");
    endless_record(&libcsv, &pair_schema, "", 'x', "\n1,a\n");
    /* Inside quotes, line breaks and delimiters are the field's: the record ends after. */
    endless_record(&csv, &pair_schema, "1,\"", '\n', "\"\n2,b\n");
    endless_record(&libcsv, &pair_schema, "1,\"a", ',', "a\"\"\"\n2,b\n");
}

static void test_text_bad_lines(void **state)
{
    (void)state;
    const struct sl_format_spec short_text = {.kind = SL_FORMAT_TEXT, .max_record_bytes = 6};
    const char *in = "ok\r\ncaf\xc3\xa9\nbad \xe9!\n1234567\n\xc0\xaf\r\nlast";
    char *got = decode_render(&short_text, &line_schema, in, strlen(in), 0);
    assert_string_equal(got, "! 10 6 [bad \xe9!] column \"line\": invalid UTF-8 at byte 4\n"
                             "! 17 7 [1234567] a record of 7 bytes is longer than "
                             "max_record_bytes (6)\n"
                             "! 25 2 [\xc0\xaf] column \"line\": invalid UTF-8 at byte 0\n"
                             "<ok>\n<caf\xc3\xa9>\n<last>\n");
    sl_free(got);
    /* A byte at a time, every line is kept across reads, and each comes out in turn. */
    got = decode_render(&short_text, &line_schema, in, strlen(in), 1);
    assert_string_equal(got, "<ok>\n<caf\xc3\xa9>\n"
                             "! 10 6 [bad \xe9!] column \"line\": invalid UTF-8 at byte 4\n"
                             "! 17 7 [1234567] a record of 7 bytes is longer than "
                             "max_record_bytes (6)\n"
                             "! 25 2 [\xc0\xaf] column \"line\": invalid UTF-8 at byte 0\n"
                             "<last>\n");
    sl_free(got);
}

/* The same bad value in each format: the reason names the record's byte in all three. */
static void test_invalid_utf8_everywhere(void **state)
{
    (void)state;
    const char *as_text = "1,caf\xe9\n";
    const char *as_json = "{\"id\": 1, \"name\": \"caf\xe9\"}\n";
    char *got = decode_render(&text, &line_schema, as_text, strlen(as_text), 0);
    assert_string_equal(got, "! 0 6 [1,caf\xe9] column \"line\": invalid UTF-8 at byte 5\n");
    sl_free(got);
    got = decode_render(&csv, &pair_schema, as_text, strlen(as_text), 0);
    assert_string_equal(got, "! 0 6 [1,caf\xe9] column \"name\": invalid UTF-8 at byte 5\n");
    sl_free(got);
    got = decode_render(&json, &pair_schema, as_json, strlen(as_json), 0);
    assert_string_equal(got, "! 0 25 [{\"id\": 1, \"name\": \"caf\xe9\"}] bad JSON at byte 22: "
                             "invalid UTF-8 in a string\n");
    sl_free(got);
}

/* Excel's "CSV UTF-8" starts with EF BB BF: every format skips it at the stream's start (its
 * offsets still count it) when the first read holds it whole, as a file's first read does.
 * Further on it is part of its record: a bad INTEGER in CSV, a character of TEXT. */
static void test_byte_order_mark(void **state)
{
    (void)state;
    const char *as_text = "\xef\xbb\xbf" "1,caf\xc3\xa9\n\xef\xbb\xbf" "2,x\n3,\xe9\n";
    char *got = decode_render(&text, &line_schema, as_text, strlen(as_text), 0);
    assert_string_equal(got, "! 18 3 [3,\xe9] column \"line\": invalid UTF-8 at byte 2\n"
                             "<1,caf\xc3\xa9>\n<\xef\xbb\xbf" "2,x>\n");
    sl_free(got);
    for (int k = 0; k < 2; k++) {
        got = decode_render(k ? &libcsv : &csv, &pair_schema, as_text, strlen(as_text), 0);
        assert_string_equal(got, "! 11 6 [\xef\xbb\xbf" "2,x] column \"id\": '\xef\xbb\xbf" "2' is not "
                                 "a valid INTEGER\n"
                                 "! 18 3 [3,\xe9] column \"name\": invalid UTF-8 at byte 2\n"
                                 "1|<caf\xc3\xa9>\n");
        sl_free(got);
    }
    const char *as_json = "\xef\xbb\xbf{\"id\": 1, \"name\": \"a\"}\n";
    got = decode_render(&json, &pair_schema, as_json, strlen(as_json), 0);
    assert_string_equal(got, "1|<a>\n");
    sl_free(got);
}

/* A mark that arrives in pieces is skipped as one that arrives whole; the first bytes of
 * a mark not followed by the rest are data. */
static void test_byte_order_mark_in_pieces(void **state)
{
    (void)state;
    const char *lines = "\xef\xbb\xbf" "1,caf\xc3\xa9\n2,x\n";
    const char *as_json = "\xef\xbb\xbf{\"id\": 1, \"name\": \"a\"}\n";
    for (size_t step = 1; step <= 4; step++) {
        char *got = decode_render(&text, &line_schema, lines, strlen(lines), step);
        assert_string_equal(got, "<1,caf\xc3\xa9>\n<2,x>\n");
        sl_free(got);
        for (int k = 0; k < 2; k++) {
            got = decode_render(k ? &libcsv : &csv, &pair_schema, lines, strlen(lines), step);
            assert_string_equal(got, "1|<caf\xc3\xa9>\n2|<x>\n");
            sl_free(got);
        }
        got = decode_render(&json, &pair_schema, as_json, strlen(as_json), step);
        assert_string_equal(got, "1|<a>\n");
        sl_free(got);
    }
    static const char *const not_marks[] = {"\xef", "\xef\xbb", "\xef\xbbx\n", "\xefx\n"};
    for (size_t i = 0; i < sizeof not_marks / sizeof not_marks[0]; i++) {
        const char *in = not_marks[i];
        size_t len = strcspn(in, "\n");
        char want[64];
        snprintf(want, sizeof want, "! 0 %zu [%.*s] column \"line\": invalid UTF-8 at byte 0\n",
                 len, (int)len, in);
        for (size_t step = 0; step <= 2; step++) {
            char *got = decode_render(&text, &line_schema, in, strlen(in), step);
            assert_string_equal(got, want);
            sl_free(got);
        }
    }
    char *got = decode_render(&text, &line_schema, "\xef\xbb\xbf", 3, 1);
    assert_string_equal(got, "");
    sl_free(got);
}

/* Each record of a record source (a Kafka message, an HTTP body) is a document: a mark
 * that opens it is skipped, one inside it is data, and offsets count both. */
static void test_byte_order_mark_each_document(void **state)
{
    (void)state;
    static const char *const documents[] = {"\xef\xbb\xbf" "a", "\xef\xbb\xbf" "b\nc",
                                            "d\xef\xbb\xbf", "\xef\xbb\xbf" "\xe9"};
    const struct sl_format_spec *specs[] = {&text, &csv, &libcsv};
    for (size_t f = 0; f < sizeof specs / sizeof specs[0]; f++) {
        struct render r = {0};
        render_add(&r, "", 0);
        enum sl_type type = SL_TEXT;
        struct sl_arena *arena = arena_create(0);
        struct sl_chunk *chunk = NULL;
        struct sl_decoder *dec = NULL;
        struct sl_error err;
        assert_int_equal(chunk_create(arena, 1, &type, &chunk), SL_OK);
        assert_int_equal(decoder_create(specs[f], &line_schema, render_letter, &r, &dec, &err), SL_OK);
        for (size_t i = 0; i < sizeof documents / sizeof documents[0]; i++) {
            decoder_begin_document(dec);
            /* The second document a byte at a time: its mark comes in three reads. */
            size_t len = strlen(documents[i]), step = i == 1 ? 1 : len;
            for (size_t off = 0; off < len;) {
                size_t consumed = 0;
                size_t n = len - off < step ? len - off : step;
                assert_int_equal(decoder_decode(dec, documents[i] + off, n, &consumed, chunk, &err),
                                 SL_OK);
                off += consumed;
            }
            assert_int_equal(decoder_finish(dec, chunk, &err), SL_OK);
            render_rows(&r, chunk);
        }
        assert_int_equal(decoder_pending(dec), 0);
        assert_string_equal(r.text, "<a>\n<b>\n<c>\n<d\xef\xbb\xbf>\n"
                                    "! 17 1 [\xe9] column \"line\": invalid UTF-8 at byte 0\n");
        decoder_destroy(dec);
        arena_destroy(arena);
        sl_free(r.text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_endless_text_line),
        cmocka_unit_test(test_endless_json_line),
        cmocka_unit_test(test_endless_csv_record),
        cmocka_unit_test(test_text_bad_lines),
        cmocka_unit_test(test_invalid_utf8_everywhere),
        cmocka_unit_test(test_byte_order_mark),
        cmocka_unit_test(test_byte_order_mark_in_pieces),
        cmocka_unit_test(test_byte_order_mark_each_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
