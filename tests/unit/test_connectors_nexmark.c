/* test_connectors_nexmark.c — the Nexmark generator (connectors/nexmark_gen.c) and the NEXMARK
 * source: determinism across batch cuts, the event mix, ids, hot keys, prices, event times,
 * out-of-order groups, replay from a checkpoint's offset, and rows handed out as columns equal
 * to the records decoded as CSV. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/arena.h"
#include "common/chunk.h"
#include "common/time.h"
#include "connectors/nexmark_gen.h"
#include "connectors/decoder.h"
#include "connectors/registry.h"
#include "connectors/source.h"

#define BASE (INT64_C(1767225600) * SL_US_PER_SEC)

static struct nx_gen *gen(enum nx_kind kind, int64_t events, int64_t group)
{
    struct nx_config c = {.kind = kind, .seed = 7, .rate = 10000, .base_us = BASE,
                          .events = events, .group = group};
    struct nx_gen *g = sl_malloc(sizeof *g);
    assert_non_null(g);
    nx_init(g, &c);
    return g;
}

/* Field i (0-based) of a record as a number. */
static long long field_num(const char *rec, int i)
{
    while (i-- > 0)
        rec = strchr(rec, ',') + 1;
    return atoll(rec);
}

static void test_event_mix(void **state)
{
    (void)state;
    int64_t counts[3] = {0};
    for (int64_t e = 0; e < 100000; e++)
        counts[nx_kind_of(e)]++;
    assert_int_equal(counts[NX_PERSON], 2000);
    assert_int_equal(counts[NX_AUCTION], 6000);
    assert_int_equal(counts[NX_BID], 92000);
    /* A stream's rows are its kind's events among `events`, even for a partial epoch. */
    for (int k = 0; k < 3; k++) {
        struct nx_gen *g = gen((enum nx_kind)k, 100007, 1);
        int64_t want = 0;
        for (int64_t e = 0; e < 100007; e++)
            want += nx_kind_of(e) == (enum nx_kind)k;
        assert_int_equal(g->rows, want);
        for (int64_t r = 0; r < g->rows; r++)
            assert_int_equal(nx_kind_of(nx_event_of_row(g, r)), k);
        sl_free(g);
    }
}

/* Person and auction ids count up from 1000 with no gap, one a row. */
static void test_ids_dense_and_rising(void **state)
{
    (void)state;
    char rec[512];
    for (int k = NX_PERSON; k <= NX_AUCTION; k++) {
        struct nx_gen *g = gen((enum nx_kind)k, 50000, 1);
        for (int64_t r = 0; r < g->rows; r++) {
            nx_record(g, r, rec);
            assert_int_equal(field_num(rec, 0), 1000 + r);
        }
        sl_free(g);
    }
}

/* Every record has its kind's width, ends in '\n', and a record is the same alone or in a run. */
static void test_records_deterministic(void **state)
{
    (void)state;
    char a[512], b[512];
    for (int k = 0; k < 3; k++) {
        struct nx_gen *g = gen((enum nx_kind)k, 20000, 1), *h = gen((enum nx_kind)k, 20000, 1);
        size_t w = nx_width((enum nx_kind)k);
        for (int64_t r = 0; r < g->rows; r++) {
            nx_record(g, r, a);
            assert_int_equal(a[w - 1], '\n');
            assert_null(memchr(a, '\n', w - 1));
            assert_null(memchr(a, '"', w));
        }
        for (int64_t r = g->rows - 1; r >= 0; r -= 7) {
            nx_record(g, r, a);
            nx_record(h, r, b);
            assert_memory_equal(a, b, w);
        }
        sl_free(g);
        sl_free(h);
    }
}

/* Bids: half on the hot auction, three quarters from the hot bidder; prices in range. */
static void test_bids_hot_keys_and_prices(void **state)
{
    (void)state;
    struct nx_gen *g = gen(NX_BID, 100000, 1);
    char rec[512];
    int64_t hot_auction = 0, hot_bidder = 0;
    for (int64_t r = 0; r < g->rows; r++) {
        int64_t e = nx_event_of_row(g, r);
        nx_record(g, r, rec);
        long long auction = field_num(rec, 0), bidder = field_num(rec, 1), price = field_num(rec, 2);
        hot_auction += auction == nx_last_auction(e) / 100 * 100 + 1000;
        hot_bidder += bidder == nx_last_person(e) / 100 * 100 + 1 + 1000;
        assert_true(auction >= 1000 && auction <= nx_last_auction(e) + 1010);
        assert_true(bidder >= 1000 && bidder <= nx_last_person(e) + 1010);
        assert_true(price >= 100 && price <= 100000000);
    }
    double a = (double)hot_auction / (double)g->rows, b = (double)hot_bidder / (double)g->rows;
    assert_true(a > 0.48 && a < 0.56);
    assert_true(b > 0.73 && b < 0.80);
    sl_free(g);
}

/* Event e's time is base + e / rate seconds, whatever the kind. */
static void test_timestamps_from_rate(void **state)
{
    (void)state;
    struct nx_gen *g = gen(NX_BID, 1000, 1);
    assert_int_equal(nx_timestamp(g, 0), BASE);
    assert_int_equal(nx_timestamp(g, 10000), BASE + SL_US_PER_SEC);
    assert_int_equal(nx_timestamp(g, 3), BASE + 300);
    char rec[512], want[32];
    nx_record(g, 0, rec); /* row 0 is event 4 */
    sl_ts_format(BASE + 400, want);
    assert_non_null(strstr(rec, want));
    sl_free(g);
}

/* With groups of 50, each whole group's rows are a permutation of the in-order rows. */
static void test_out_of_order_groups(void **state)
{
    (void)state;
    struct nx_gen *in = gen(NX_BID, 10000, 1), *ooo = gen(NX_BID, 10000, 50);
    assert_int_equal(in->rows, ooo->rows);
    int64_t moved = 0;
    for (int64_t start = 0; start < ooo->rows; start += 50) {
        int64_t end = start + 50 < ooo->rows ? start + 50 : ooo->rows;
        unsigned char seen[50] = {0};
        for (int64_t r = start; r < end; r++) {
            int64_t e = nx_event_of_row(ooo, r);
            int64_t i = 0;
            while (i < end - start && nx_event_of_row(in, start + i) != e)
                i++;
            assert_true(i < end - start);
            assert_false(seen[i]);
            seen[i] = 1;
            moved += i != r - start;
        }
    }
    assert_true(moved > ooo->rows / 2);
    sl_free(in);
    sl_free(ooo);
}

static struct sl_source *open_source_ooo(const char *kind, int64_t events, int64_t group)
{
    struct sl_source_spec spec = {.connector = connector_find("NEXMARK", false)};
    assert_non_null(spec.connector);
    spec.options[connector_option_index(spec.connector, "kind")] =
        (struct sl_option_value){.set = true, .text = (char *)kind};
    spec.options[connector_option_index(spec.connector, "events")] =
        (struct sl_option_value){.set = true, .num = events};
    spec.options[connector_option_index(spec.connector, "out_of_order")] =
        (struct sl_option_value){.set = true, .num = group};
    struct sl_source *s;
    struct sl_error err;
    assert_int_equal(source_open(&spec, &s, &err), SL_OK);
    return s;
}

static struct sl_source *open_source(const char *kind, int64_t events)
{
    return open_source_ooo(kind, events, 1);
}

/* Reads everything from byte `from` on, in reads of cap bytes. */
static char *read_all(struct sl_source *s, size_t from, size_t cap, size_t *total)
{
    uint64_t size;
    assert_true(source_size(s, &size));
    size -= from;
    char *out = sl_malloc(size + 1);
    size_t len = 0, n;
    struct sl_error err;
    sl_status st;
    while ((st = source_read(s, out + len, cap < size + 1 - len ? cap : size + 1 - len, &n, 0,
                             &err)) == SL_OK)
        len += n;
    assert_int_equal(st, SL_EOF);
    assert_int_equal(len, size);
    *total = len;
    return out;
}

/* Any read size gives the same bytes; a source seeked to a checkpoint's offset goes on with
 * the same bytes, and refuses a checkpoint written with other options. */
static void test_source_cuts_and_replay(void **state)
{
    (void)state;
    struct sl_source *a = open_source("bid", 5000), *b = open_source("bid", 5000);
    size_t na, nb;
    char *whole = read_all(a, 0, 1 << 20, &na), *cut = read_all(b, 0, 97, &nb);
    assert_int_equal(na, 4600 * 160);
    assert_memory_equal(whole, cut, na);
    struct sl_buf id = {0};
    struct sl_error err;
    assert_int_equal(source_identity(a, 12345, &id, &err), SL_OK);
    struct sl_source *c = open_source("bid", 5000);
    assert_int_equal(source_seek(c, 12345, id.data, &err), SL_OK);
    size_t nc;
    char *rest = read_all(c, 12345, 1000, &nc);
    assert_int_equal(nc, na - 12345);
    assert_memory_equal(rest, whole + 12345, nc);
    struct sl_source *d = open_source("auction", 5000);
    assert_int_equal(source_seek(d, 0, id.data, &err), SL_ERROR);
    buf_free(&id);
    sl_free(whole);
    sl_free(cut);
    sl_free(rest);
    source_close(a);
    source_close(b);
    source_close(c);
    source_close(d);
}

/* A's rows [0, count) equal b's [from, from + count). */
static void assert_rows_equal(const struct sl_chunk *a, const struct sl_chunk *b, uint32_t from)
{
    assert_int_equal(a->ncols, b->ncols);
    for (uint32_t c = 0; c < a->ncols; c++)
        for (uint32_t r = 0; r < a->count; r++) {
            const struct sl_vector *va = &a->cols[c], *vb = &b->cols[c];
            assert_int_equal(va->nulls[r], vb->nulls[from + r]);
            if (va->type != SL_TEXT) {
                assert_int_equal(va->data.i[r], vb->data.i[from + r]);
                continue;
            }
            assert_int_equal(va->data.s[r].len, vb->data.s[from + r].len);
            assert_memory_equal(va->data.s[r].ptr, vb->data.s[from + r].ptr, va->data.s[r].len);
        }
}

/* Every kind, in order and out of order: the rows source_read_rows hands out are the records
 * source_read writes, decoded by the CSV decoder; the offsets are the same; reads of any size
 * cut at rows; a source seeked to a checkpoint's offset goes on with the same rows. */
static void test_rows_equal_decoded_records(void **state)
{
    (void)state;
    static const char *const kinds[] = {"person", "auction", "bid"};
    struct sl_column cols[NX_MAX_FIELDS];
    enum sl_type types[NX_MAX_FIELDS];
    struct sl_format_spec csv = {.kind = SL_FORMAT_CSV, .delimiter = ','};
    struct sl_error err;
    for (int k = 0; k < 3; k++)
        for (int64_t group = 1; group <= 50; group += 49) {
            const char *const *names;
            const unsigned char *numeric;
            uint32_t n = (uint32_t)nx_fields((enum nx_kind)k, &names, &numeric);
            for (uint32_t i = 0; i < n; i++) {
                types[i] = nx_field_types((enum nx_kind)k)[i];
                cols[i] = (struct sl_column){names[i], types[i]};
            }
            struct sl_schema schema = {.ncols = n, .cols = cols};
            struct sl_source *text = open_source_ooo(kinds[k], 30000, group);
            struct sl_source *rows = open_source_ooo(kinds[k], 30000, group);
            assert_true(source_rows_fit(rows, &schema, &csv));
            struct sl_decoder *dec;
            assert_int_equal(decoder_create(&csv, &schema, NULL, NULL, &dec, &err), SL_OK);
            struct sl_arena *arena = arena_create(1 << 20);
            char *buf = sl_malloc(1 << 20);
            size_t width = nx_width((enum nx_kind)k), cap = 1, got;
            sl_status st;
            uint32_t total = 0;
            for (;;) {
                struct sl_chunk *decoded, *direct;
                assert_int_equal(chunk_create(arena, n, types, &decoded), SL_OK);
                assert_int_equal(chunk_create(arena, n, types, &direct), SL_OK);
                /* Reads of 1, 7, 49 ... records' bytes, and one not a multiple of the width. */
                cap = cap * 7 % 3000 + 1;
                st = source_read_rows(rows, direct, cap * width + 5, &got, 0, &err);
                if (st == SL_EOF)
                    break;
                assert_int_equal(st, SL_OK);
                assert_int_equal(got, direct->count * width);
                assert_int_equal(source_read(text, buf, got, &got, 0, &err), SL_OK);
                size_t used = 0, consumed;
                while (used < got) {
                    assert_int_equal(decoder_decode(dec, buf + used, got - used, &consumed,
                                                    decoded, &err), SL_OK);
                    assert_rows_equal(decoded, direct, 0);
                    used += consumed;
                }
                assert_int_equal(decoded->count, direct->count);
                assert_int_equal(source_offset(text), source_offset(rows));
                total += direct->count;
                arena_reset(arena);
            }
            assert_int_equal(source_read(text, buf, 1, &got, 0, &err), SL_EOF);
            assert_true(total > 0);
            /* Resumed at a checkpoint: the rows go on from there. */
            struct sl_buf id = {0};
            assert_int_equal(source_identity(rows, 0, &id, &err), SL_OK);
            struct sl_source *again = open_source_ooo(kinds[k], 30000, group);
            struct sl_chunk *whole, *rest;
            assert_int_equal(source_seek(again, 0, id.data, &err), SL_OK);
            assert_int_equal(chunk_create(arena, n, types, &whole), SL_OK);
            assert_int_equal(chunk_create(arena, n, types, &rest), SL_OK);
            assert_int_equal(source_read_rows(again, whole, 100 * width, &got, 0, &err), SL_OK);
            assert_int_equal(source_seek(again, 37 * width, id.data, &err), SL_OK);
            assert_int_equal(source_read_rows(again, rest, 63 * width, &got, 0, &err), SL_OK);
            assert_int_equal(rest->count, 63);
            assert_rows_equal(rest, whole, 37);
            /* A byte offset inside a record is no row's start. */
            assert_int_equal(source_seek(again, 37 * width + 1, id.data, &err), SL_OK);
            assert_int_equal(source_read_rows(again, rest, width, &got, 0, &err), SL_ERROR);
            buf_free(&id);
            source_close(again);
            sl_free(buf);
            arena_destroy(arena);
            decoder_destroy(dec);
            source_close(text);
            source_close(rows);
        }
}

/* Rows are handed out only for the connector's own format and its fields' own types. */
static void test_rows_fit_only_plain_csv(void **state)
{
    (void)state;
    const char *const *names;
    const unsigned char *numeric;
    uint32_t n = (uint32_t)nx_fields(NX_BID, &names, &numeric);
    struct sl_column cols[NX_MAX_FIELDS];
    for (uint32_t i = 0; i < n; i++)
        cols[i] = (struct sl_column){names[i], nx_field_types(NX_BID)[i]};
    struct sl_schema schema = {.ncols = n, .cols = cols};
    struct sl_source *s = open_source("bid", 1000);
    struct sl_format_spec csv = {.kind = SL_FORMAT_CSV, .delimiter = ','};
    assert_true(source_rows_fit(s, &schema, &csv));
    struct sl_format_spec other = csv;
    other.header = true;
    assert_false(source_rows_fit(s, &schema, &other));
    other = csv;
    other.null_marker = "\\N";
    assert_false(source_rows_fit(s, &schema, &other));
    other = csv;
    other.max_record_bytes = 100;
    assert_false(source_rows_fit(s, &schema, &other));
    cols[2].type = SL_REAL; /* price as REAL: the decoder converts it */
    assert_false(source_rows_fit(s, &schema, &csv));
    cols[2].type = SL_INT;
    schema.ncols--;
    assert_false(source_rows_fit(s, &schema, &csv));
    source_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_mix),
        cmocka_unit_test(test_ids_dense_and_rising),
        cmocka_unit_test(test_records_deterministic),
        cmocka_unit_test(test_bids_hot_keys_and_prices),
        cmocka_unit_test(test_timestamps_from_rate),
        cmocka_unit_test(test_out_of_order_groups),
        cmocka_unit_test(test_source_cuts_and_replay),
        cmocka_unit_test(test_rows_equal_decoded_records),
        cmocka_unit_test(test_rows_fit_only_plain_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
