/* test_connectors_text.c — FORMAT TEXT: line splitting, zero copy, split input, full chunks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/alloc.h"
#include "common/arena.h"
#include "common/chunk.h"
#include "connectors/decoder.h"

static const struct sl_column text_col[] = {{"line", SL_TEXT}};
static const struct sl_schema text_schema = {1, text_col};
static const struct sl_format_spec text_spec = {.kind = SL_FORMAT_TEXT};

struct fixture {
    struct sl_arena *arena;
    struct sl_chunk *chunk;
    struct sl_decoder *dec;
};

static void fixture_open(struct fixture *f)
{
    struct sl_error err;
    enum sl_type t = SL_TEXT;
    f->arena = arena_create(0);
    assert_non_null(f->arena);
    assert_int_equal(chunk_create(f->arena, 1, &t, &f->chunk), SL_OK);
    assert_int_equal(decoder_create(&text_spec, &text_schema, NULL, NULL, &f->dec, &err), SL_OK);
}

static void fixture_close(struct fixture *f)
{
    decoder_destroy(f->dec);
    arena_destroy(f->arena);
}

/* Appends the chunk's rows to out as "row|row|..." and empties the chunk. */
static void drain_rows(struct sl_chunk *c, char *out, size_t cap)
{
    for (uint32_t r = 0; r < c->count; r++) {
        struct sl_str s = c->cols[0].data.s[r];
        assert_int_equal(c->cols[0].nulls[r], 0);
        size_t used = strlen(out);
        snprintf(out + used, cap - used, "%.*s|", (int)s.len, s.ptr);
    }
    chunk_reset(c);
}

/* Feeds data in one call, looping while the chunk fills. */
static void feed(struct fixture *f, const char *data, size_t len, char *out, size_t cap)
{
    struct sl_error err;
    size_t off = 0;
    while (off < len) {
        size_t consumed = 0;
        assert_int_equal(decoder_decode(f->dec, data + off, len - off, &consumed, f->chunk, &err),
                         SL_OK);
        off += consumed;
        drain_rows(f->chunk, out, cap);
    }
}

static void test_text_lines(void **state)
{
    (void)state;
    struct fixture f;
    fixture_open(&f);
    const char *in = "hello world\nsecond\r\n\nlast";
    char rows[256] = "";
    size_t consumed = 0;
    struct sl_error err;
    assert_int_equal(decoder_decode(f.dec, in, strlen(in), &consumed, f.chunk, &err), SL_OK);
    assert_int_equal(consumed, strlen(in));
    assert_int_equal(f.chunk->count, 3);
    /* Lines inside the data are not copied. */
    assert_ptr_equal(f.chunk->cols[0].data.s[0].ptr, in);
    assert_ptr_equal(f.chunk->cols[0].data.s[1].ptr, in + 12);
    assert_int_equal(f.chunk->cols[0].data.s[2].len, 0);
    assert_int_equal(decoder_pending(f.dec), 4);
    assert_int_equal(decoder_finish(f.dec, f.chunk, &err), SL_OK);
    assert_int_equal(decoder_pending(f.dec), 0);
    drain_rows(f.chunk, rows, sizeof rows);
    assert_string_equal(rows, "hello world|second||last|");
    /* Nothing buffered: finish emits nothing. */
    assert_int_equal(decoder_finish(f.dec, f.chunk, &err), SL_OK);
    assert_int_equal(f.chunk->count, 0);
    fixture_close(&f);
}

static void test_text_split_everywhere(void **state)
{
    (void)state;
    const char *in = "alpha\nbeta\r\n\ngamma delta\r\n\r\nx\nlast\r";
    const char *want = "alpha|beta||gamma delta||x|last|";
    size_t len = strlen(in);
    for (size_t cut = 0; cut <= len; cut++) {
        for (size_t cut2 = cut; cut2 <= len; cut2++) {
            struct fixture f;
            fixture_open(&f);
            char rows[256] = "";
            /* Copies, so strings that survive a call must be in the arena. */
            char a[64], b[64], c[64];
            memcpy(a, in, cut);
            memcpy(b, in + cut, cut2 - cut);
            memcpy(c, in + cut2, len - cut2);
            feed(&f, a, cut, rows, sizeof rows);
            feed(&f, b, cut2 - cut, rows, sizeof rows);
            memset(a, '#', sizeof a);
            feed(&f, c, len - cut2, rows, sizeof rows);
            struct sl_error err;
            assert_int_equal(decoder_finish(f.dec, f.chunk, &err), SL_OK);
            drain_rows(f.chunk, rows, sizeof rows);
            assert_string_equal(rows, want);
            fixture_close(&f);
        }
    }
}

static void test_text_chunk_full(void **state)
{
    (void)state;
    struct fixture f;
    fixture_open(&f);
    size_t n = SL_CHUNK_CAP + 500, len = 0;
    char *in = sl_malloc(n * 8);
    size_t first_cap_bytes = 0;
    for (size_t i = 0; i < n; i++) {
        len += (size_t)sprintf(in + len, "w%zu\n", i);
        if (i + 1 == SL_CHUNK_CAP)
            first_cap_bytes = len;
    }
    struct sl_error err;
    size_t consumed = 0;
    assert_int_equal(decoder_decode(f.dec, in, len, &consumed, f.chunk, &err), SL_OK);
    assert_int_equal(f.chunk->count, SL_CHUNK_CAP);
    assert_int_equal(consumed, first_cap_bytes);
    assert_int_equal(decoder_pending(f.dec), 0);
    /* A full chunk takes nothing. */
    size_t again = 99;
    assert_int_equal(decoder_decode(f.dec, in + consumed, len - consumed, &again, f.chunk, &err),
                     SL_OK);
    assert_int_equal(again, 0);
    struct sl_str last = f.chunk->cols[0].data.s[SL_CHUNK_CAP - 1];
    assert_memory_equal(last.ptr, "w2047", 5);
    chunk_reset(f.chunk);
    assert_int_equal(decoder_decode(f.dec, in + consumed, len - consumed, &again, f.chunk, &err),
                     SL_OK);
    assert_int_equal(again, len - consumed);
    assert_int_equal(f.chunk->count, 500);
    assert_memory_equal(f.chunk->cols[0].data.s[0].ptr, "w2048", 5);
    sl_free(in);
    fixture_close(&f);
}

static void test_text_full_chunk_with_partial(void **state)
{
    (void)state;
    struct fixture f;
    fixture_open(&f);
    struct sl_error err;
    size_t consumed;
    assert_int_equal(decoder_decode(f.dec, "par", 3, &consumed, f.chunk, &err), SL_OK);
    f.chunk->count = SL_CHUNK_CAP;
    assert_int_equal(decoder_decode(f.dec, "tial\nnext\n", 10, &consumed, f.chunk, &err), SL_OK);
    assert_int_equal(consumed, 0);
    assert_int_equal(decoder_pending(f.dec), 3);
    chunk_reset(f.chunk);
    char rows[64] = "";
    feed(&f, "tial\nnext\n", 10, rows, sizeof rows);
    assert_string_equal(rows, "partial|next|");
    fixture_close(&f);
}

static void test_text_schema_checked(void **state)
{
    (void)state;
    struct sl_decoder *d = NULL;
    struct sl_error err;
    const struct sl_column two[] = {{"a", SL_TEXT}, {"b", SL_TEXT}};
    const struct sl_schema two_schema = {2, two};
    assert_int_equal(decoder_create(&text_spec, &two_schema, NULL, NULL, &d, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "exactly one TEXT column"));
    const struct sl_column num[] = {{"n", SL_INT}};
    const struct sl_schema num_schema = {1, num};
    assert_int_equal(decoder_create(&text_spec, &num_schema, NULL, NULL, &d, &err), SL_ERROR);
    assert_null(d);
}

static void test_text_out_of_memory(void **state)
{
    (void)state;
    struct fixture f;
    fixture_open(&f);
    struct sl_error err;
    size_t consumed;
    sl_alloc_fail_after(1);
    assert_int_equal(decoder_decode(f.dec, "no newline", 10, &consumed, f.chunk, &err), SL_NOMEM);
    sl_alloc_fail_after(0);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_lines),
        cmocka_unit_test(test_text_split_everywhere),
        cmocka_unit_test(test_text_chunk_full),
        cmocka_unit_test(test_text_full_chunk_with_partial),
        cmocka_unit_test(test_text_schema_checked),
        cmocka_unit_test(test_text_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
