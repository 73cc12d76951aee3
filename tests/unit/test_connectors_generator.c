/* test_connectors_generator.c — the GENERATOR source handing out rows (source_read_rows):
 * the same values as its CSV records decoded, at the same offsets, in reads of any size and
 * after a seek to a checkpoint's offset; rows only for (n BIGINT, ts TIMESTAMP) as plain CSV. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <string.h>

#include "common/alloc.h"
#include "common/arena.h"
#include "common/chunk.h"
#include "common/time.h"
#include "connectors/decoder.h"
#include "connectors/registry.h"
#include "connectors/source.h"

#define ROWS 20000
#define RECORD 47 /* a GENERATOR record's bytes */

static const struct sl_column columns[] = {{"n", SL_INT}, {"ts", SL_TIMESTAMP}};
static const enum sl_type types[] = {SL_INT, SL_TIMESTAMP};
static const struct sl_schema schema = {.ncols = 2, .cols = columns};
static const struct sl_format_spec csv = {.kind = SL_FORMAT_CSV, .delimiter = ','};

static struct sl_source *open_generator(void)
{
    struct sl_source_spec spec = {.connector = connector_find("GENERATOR", false)};
    assert_non_null(spec.connector);
    spec.options[connector_option_index(spec.connector, "rows")] =
        (struct sl_option_value){.set = true, .num = ROWS};
    spec.options[connector_option_index(spec.connector, "start")] =
        (struct sl_option_value){.set = true, .num = INT64_C(1767225600) * SL_US_PER_SEC};
    struct sl_source *s;
    struct sl_error err;
    assert_int_equal(source_open(&spec, &s, &err), SL_OK);
    return s;
}

static void test_rows_equal_decoded_records(void **state)
{
    (void)state;
    struct sl_source *text = open_generator(), *rows = open_generator();
    assert_true(source_rows_fit(rows, &schema, &csv));
    struct sl_decoder *dec;
    struct sl_error err;
    assert_int_equal(decoder_create(&csv, &schema, NULL, NULL, &dec, &err), SL_OK);
    struct sl_arena *arena = arena_create(1 << 20);
    char *buf = sl_malloc(SL_CHUNK_CAP * RECORD);
    size_t cap = 1, got, total = 0;
    sl_status st;
    while (1) {
        struct sl_chunk *decoded, *direct;
        assert_int_equal(chunk_create(arena, 2, types, &decoded), SL_OK);
        assert_int_equal(chunk_create(arena, 2, types, &direct), SL_OK);
        cap = cap * 7 % 3000 + 1;
        if ((st = source_read_rows(rows, direct, cap * RECORD + 3, &got, 0, &err)) == SL_EOF)
            break;
        assert_int_equal(st, SL_OK);
        assert_int_equal(got, direct->count * RECORD);
        assert_int_equal(source_read(text, buf, got, &got, 0, &err), SL_OK);
        size_t used;
        assert_int_equal(decoder_decode(dec, buf, got, &used, decoded, &err), SL_OK);
        assert_int_equal(used, got);
        assert_int_equal(decoded->count, direct->count);
        for (uint32_t c = 0; c < 2; c++)
            assert_memory_equal(decoded->cols[c].data.i, direct->cols[c].data.i,
                                direct->count * sizeof(int64_t));
        assert_int_equal(direct->cols[0].data.i[0], (int64_t)total);
        assert_int_equal(source_offset(text), source_offset(rows));
        total += direct->count;
        arena_reset(arena);
    }
    assert_int_equal(total, ROWS);
    /* From a checkpoint's offset, the rows go on from there. */
    struct sl_buf id = {0};
    assert_int_equal(source_identity(rows, 0, &id, &err), SL_OK);
    struct sl_source *again = open_generator();
    assert_int_equal(source_seek(again, 1234 * RECORD, id.data, &err), SL_OK);
    struct sl_chunk *rest;
    assert_int_equal(chunk_create(arena, 2, types, &rest), SL_OK);
    assert_int_equal(source_read_rows(again, rest, 10 * RECORD, &got, 0, &err), SL_OK);
    assert_int_equal(rest->count, 10);
    assert_int_equal(rest->cols[0].data.i[0], 1234);
    buf_free(&id);
    source_close(again);
    sl_free(buf);
    arena_destroy(arena);
    decoder_destroy(dec);
    source_close(text);
    source_close(rows);
}

static void test_rows_fit_only_n_and_ts(void **state)
{
    (void)state;
    struct sl_source *s = open_generator();
    struct sl_column other[] = {{"n", SL_TEXT}, {"ts", SL_TIMESTAMP}};
    struct sl_schema text_n = {.ncols = 2, .cols = other};
    assert_false(source_rows_fit(s, &text_n, &csv));
    struct sl_format_spec header = csv;
    header.header = true;
    assert_false(source_rows_fit(s, &schema, &header));
    source_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_equal_decoded_records),
        cmocka_unit_test(test_rows_fit_only_n_and_ts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
