/*
 * pg_sink_check.c — the POSTGRES sink (connectors/sink_postgres.c) against a
 * real server: tables created with mapped types, upserts and deletes over
 * batches, a batch sent twice (and after a reopen, as after a crash) changes
 * nothing, a progress row of another database, an append-only table, the
 * server away and back, a statement timeout, a role without rights, a table
 * whose columns do not fit, a row the table refuses, text that needs
 * escaping, REAL's infinities, and a 100,000-row batch's speed.
 * pg_sink_check.bash starts the server and passes it in SLUICE_TEST_PG (a
 * conninfo), with the commands that stop and start it in
 * SLUICE_TEST_PG_STOP and SLUICE_TEST_PG_START.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <math.h>

#include "common/alloc.h"
#include "common/buf.h"
#include "connectors/sink_impl.h"

static PGconn *check_conn; /* the test's own connection, to look at the tables */

/* The answer to sql as 'a|b' lines, each ending in '\n' (NULL as "NULL"). */
static char *query(const char *sql)
{
    PGresult *res = PQexec(check_conn, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(check_conn));
    struct sl_buf out;
    buf_init(&out);
    for (int r = 0; r < PQntuples(res); r++) {
        for (int c = 0; c < PQnfields(res); c++)
            buf_printf(&out, "%s%s", c ? "|" : "",
                       PQgetisnull(res, r, c) ? "NULL" : PQgetvalue(res, r, c));
        buf_putc(&out, '\n');
    }
    PQclear(res);
    char *text = strdup(buf_str(&out));
    buf_free(&out);
    return text;
}

static void expect(const char *sql, const char *want)
{
    char *got = query(sql);
    assert_string_equal(got, want);
    free(got);
}

/* A sink's columns: word TEXT (the key, unless append-only), n INT, mean REAL, seen TIMESTAMP,
 * ok BOOL, parts ARRAY. */
static const char *const col_names[] = {"word", "n", "mean", "seen", "ok", "parts"};
static const enum sl_type col_types[] = {SL_TEXT, SL_INT, SL_REAL, SL_TIMESTAMP, SL_BOOL, SL_ARRAY};
#define NCOLS 6

static struct sl_sink_spec make_spec(const char *name, const char *table, bool keyed)
{
    struct sl_sink_spec spec = {
        .connector = &sink_postgres, .name = name, .address = getenv("SLUICE_TEST_PG"),
        .target = table, .ncols = NCOLS, .names = col_names, .types = col_types,
        .nkey = keyed ? 1 : 0, .key = {0}, .changelog = keyed,
    };
    return spec;
}

/* A batch under construction: up to MAX_ROWS rows. */
#define MAX_ROWS 16
struct test_batch {
    struct sl_sink_batch b;
    struct sl_value values[MAX_ROWS * NCOLS];
    uint8_t kinds[MAX_ROWS];
    struct sl_array parts[MAX_ROWS];
    struct sl_value items[MAX_ROWS][2];
};

static void start_batch(struct test_batch *t, int64_t id)
{
    memset(t, 0, sizeof *t);
    t->b.batch_id = id;
    t->b.values = t->values;
    t->b.kinds = t->kinds;
}

static struct sl_value text(const char *s)
{
    struct sl_value v = {.type = SL_TEXT, .u.s = {s, (uint32_t)strlen(s)}};
    return v;
}

/* A row: word (NULL when word is NULL), n, n / 4.0, a time n seconds after 2026-01-01, n odd,
 * and [word, "x"]. */
static void add_row(struct test_batch *t, uint8_t kind, const char *word, int64_t n)
{
    uint32_t r = t->b.nrows++;
    struct sl_value *row = &t->values[r * NCOLS];
    row[0] = word ? text(word) : sl_null();
    row[1] = (struct sl_value){.type = SL_INT, .u.i = n};
    row[2] = (struct sl_value){.type = SL_REAL, .u.r = (double)n / 4.0};
    row[3] = (struct sl_value){.type = SL_TIMESTAMP, .u.i = INT64_C(1767225600000000) + n * 1000000};
    row[4] = (struct sl_value){.type = SL_BOOL, .u.b = n % 2 != 0};
    t->items[r][0] = word ? text(word) : sl_null();
    t->items[r][1] = text("x");
    t->parts[r] = (struct sl_array){.count = 2, .items = t->items[r]};
    row[5] = (struct sl_value){.type = SL_ARRAY, .u.a = &t->parts[r]};
    t->kinds[r] = kind;
}

static struct sl_sink *open_sink(const struct sl_sink_spec *spec)
{
    struct sl_sink *s = NULL;
    struct sl_error err = {0};
    assert_int_equal(spec->connector->open(spec, NULL, 0, &s, &err), SL_OK);
    return s;
}

struct rejects {
    uint32_t count;
    uint32_t rows[MAX_ROWS];
    char reason[512];
};

static void note_reject(void *ctx, uint32_t row, const char *reason)
{
    struct rejects *r = ctx;
    r->rows[r->count++] = row;
    snprintf(r->reason, sizeof r->reason, "%s", reason);
}

static sl_status deliver(struct sl_sink *s, struct test_batch *t, struct rejects *rejects,
                         struct sl_error *err)
{
    struct sl_sink_ack ack = {.reject = note_reject, .ctx = rejects};
    sl_status st = sink_deliver(s, &t->b, &ack, err);
    buf_free(&ack.state);
    return st;
}

static void deliver_ok(struct sl_sink *s, struct test_batch *t)
{
    struct rejects rejects = {0};
    struct sl_error err = {0};
    sl_status st = deliver(s, t, &rejects, &err);
    if (st != SL_OK)
        fail_msg("batch %lld: %s", (long long)t->b.batch_id, err.msg);
    assert_int_equal(rejects.count, 0);
}

#define ROWS_SQL "SELECT word, n, mean, seen, ok, parts FROM %s ORDER BY word NULLS FIRST"

static void test_keyed_upserts_and_deletes(void **state)
{
    (void)state;
    struct sl_sink_spec spec = make_spec("keyed", "per_word", true);
    struct sl_sink *s = open_sink(&spec);
    struct test_batch t;
    start_batch(&t, 1);
    add_row(&t, SL_ROW_INSERT, "a", 1);
    add_row(&t, SL_ROW_INSERT, "b", 2);
    add_row(&t, SL_ROW_INSERT, "c", 3);
    deliver_ok(s, &t);
    expect("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = "
           "'per_word' ORDER BY ordinal_position",
           "word|text\nn|bigint\nmean|double precision\nseen|timestamp without time zone\n"
           "ok|boolean\nparts|jsonb\n");
    expect("SELECT word, n, mean, seen, ok, parts FROM per_word WHERE word = 'a'",
           "a|1|0.25|2026-01-01 00:00:01|t|[\"a\", \"x\"]\n");
    /* An update, a delete, a new key, a NULL key, and a key changed twice in one batch. */
    start_batch(&t, 2);
    add_row(&t, SL_ROW_UPDATE, "a", 10);
    add_row(&t, SL_ROW_DELETE, "b", 2);
    add_row(&t, SL_ROW_INSERT, "d", 4);
    add_row(&t, SL_ROW_INSERT, NULL, 5);
    add_row(&t, SL_ROW_UPDATE, "c", 30);
    add_row(&t, SL_ROW_UPDATE, "c", 31);
    deliver_ok(s, &t);
    const char *after2 = "NULL|5\na|10\nc|31\nd|4\n";
    expect("SELECT word, n FROM per_word ORDER BY word NULLS FIRST", after2);
    /* The NULL key's row is updated, then deleted, as one key. */
    start_batch(&t, 3);
    add_row(&t, SL_ROW_UPDATE, NULL, 6);
    deliver_ok(s, &t);
    expect("SELECT word, n FROM per_word WHERE word IS NULL", "NULL|6\n");
    start_batch(&t, 4);
    add_row(&t, SL_ROW_DELETE, NULL, 6);
    add_row(&t, SL_ROW_DELETE, "d", 4);
    deliver_ok(s, &t);
    expect("SELECT word, n FROM per_word ORDER BY word", "a|10\nc|31\n");
    expect("SELECT sink, batch_id FROM sluice_sink_progress WHERE sink = 'keyed'", "keyed|4\n");
    sink_close(s);
}

static void test_batch_twice_is_a_no_op(void **state)
{
    (void)state;
    struct sl_sink_spec spec = make_spec("twice", "twice", true);
    struct sl_sink *s = open_sink(&spec);
    struct test_batch one, two;
    start_batch(&one, 7);
    add_row(&one, SL_ROW_INSERT, "a", 1);
    add_row(&one, SL_ROW_INSERT, "b", 2);
    start_batch(&two, 8);
    add_row(&two, SL_ROW_UPDATE, "a", 100);
    add_row(&two, SL_ROW_DELETE, "b", 2);
    deliver_ok(s, &one);
    deliver_ok(s, &two);
    deliver_ok(s, &two);
    deliver_ok(s, &one); /* an older batch after a newer one: also already there */
    expect("SELECT word, n FROM twice ORDER BY word", "a|100\n");
    /* As after a crash: a new sink on a new connection gets the last batch again. */
    sink_close(s);
    s = open_sink(&spec);
    deliver_ok(s, &two);
    expect("SELECT word, n FROM twice ORDER BY word", "a|100\n");
    expect("SELECT batch_id FROM sluice_sink_progress WHERE sink = 'twice'", "8\n");
    sink_close(s);
}

/* A sink that never delivered (nothing saved) meets a progress row past its batch: another
 * database uses the name, or this one is new. Its rows would be skipped: it stops and says so. */
static void test_progress_of_another_database(void **state)
{
    (void)state;
    struct sl_sink_spec spec = make_spec("other", "other", true);
    struct sl_sink *s = open_sink(&spec);
    struct test_batch t;
    start_batch(&t, 5);
    add_row(&t, SL_ROW_INSERT, "a", 1);
    deliver_ok(s, &t);
    sink_close(s);
    s = open_sink(&spec);
    start_batch(&t, 1);
    add_row(&t, SL_ROW_INSERT, "b", 2);
    struct rejects rejects = {0};
    struct sl_error err = {0};
    assert_int_equal(deliver(s, &t, &rejects, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "delivered batch 5"));
    assert_non_null(strstr(err.msg, "DELETE FROM sluice_sink_progress WHERE sink = 'other'"));
    sink_close(s);
    /* Reopened with what the engine saved after a delivery: batch 1 is old news. */
    struct sl_sink_ack ack = {0};
    assert_int_equal(spec.connector->open(&spec, "delivered", 9, &s, &err), SL_OK);
    assert_int_equal(sink_deliver(s, &t.b, &ack, &err), SL_OK);
    assert_string_equal(buf_str(&ack.state), "delivered");
    buf_free(&ack.state);
    expect("SELECT word, n FROM other", "a|1\n");
    sink_close(s);
}

/* Batch 1 of a database made anew is not batch 1 of the one before: a batch is known by its
 * id and its commit time. The same batch again (a crash before Sluice's commit) is skipped. */
static void test_same_id_of_another_database(void **state)
{
    (void)state;
    struct sl_sink_spec spec = make_spec("anew", "anew", true);
    struct sl_sink *s = open_sink(&spec);
    struct test_batch t;
    start_batch(&t, 1);
    t.b.committed_us = INT64_C(1767225600000001);
    add_row(&t, SL_ROW_INSERT, "a", 1);
    deliver_ok(s, &t);
    sink_close(s);
    s = open_sink(&spec); /* nothing saved: Sluice was killed before its commit */
    deliver_ok(s, &t);
    sink_close(s);
    s = open_sink(&spec);
    t.b.committed_us += 1000000;
    struct rejects rejects = {0};
    struct sl_error err = {0};
    assert_int_equal(deliver(s, &t, &rejects, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "delivered batch 1, which this database's sink did not"));
    sink_close(s);
    expect("SELECT batch_id, batch_committed FROM sluice_sink_progress WHERE sink = 'anew'",
           "1|2026-01-01 00:00:00.000001\n");
}

static void test_append_only(void **state)
{
    (void)state;
    struct sl_sink_spec spec = make_spec("appends", "public.appended", false);
    spec.options[2] = (struct sl_option_value){.set = true, .text = "public.my_progress"};
    struct sl_sink *s = open_sink(&spec);
    struct test_batch t;
    start_batch(&t, 1);
    add_row(&t, SL_ROW_INSERT, "a", 1);
    add_row(&t, SL_ROW_INSERT, "a", 1);
    add_row(&t, SL_ROW_INSERT, NULL, 2);
    deliver_ok(s, &t);
    deliver_ok(s, &t);
    start_batch(&t, 2);
    add_row(&t, SL_ROW_INSERT, "b", 3);
    deliver_ok(s, &t);
    expect("SELECT word, n FROM appended ORDER BY n", "a|1\na|1\nNULL|2\nb|3\n");
    expect("SELECT sink, batch_id FROM my_progress", "appends|2\n");
    sink_close(s);
}

static void test_text_round_trips(void **state)
{
    (void)state;
    static const char *const words[] = {"tab\there", "line\nbreak\r\n", "back\\slash \\N",
                                        "quote\" 'single'", "\xc3\xa9t\xc3\xa9 \xe2\x82\xac", ""};
    struct sl_sink_spec spec = make_spec("texts", "texts", true);
    struct sl_sink *s = open_sink(&spec);
    struct test_batch t;
    start_batch(&t, 1);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        add_row(&t, SL_ROW_INSERT, words[i], (int64_t)i);
    deliver_ok(s, &t);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT word, parts->>0 FROM texts WHERE n = %zu", i);
        PGresult *res = PQexec(check_conn, sql);
        assert_int_equal(PQntuples(res), 1);
        assert_string_equal(PQgetvalue(res, 0, 0), words[i]);
        assert_string_equal(PQgetvalue(res, 0, 1), words[i]);
        PQclear(res);
    }
    sink_close(s);
}

static void test_reals_that_are_not_numbers(void **state)
{
    (void)state;
    struct sl_sink_spec spec = make_spec("reals", "reals", true);
    struct sl_sink *s = open_sink(&spec);
    struct test_batch t;
    start_batch(&t, 1);
    add_row(&t, SL_ROW_INSERT, "inf", 1);
    add_row(&t, SL_ROW_INSERT, "minus_inf", 2);
    add_row(&t, SL_ROW_INSERT, "nan", 3);
    t.values[0 * NCOLS + 2].u.r = INFINITY;
    t.values[1 * NCOLS + 2].u.r = -INFINITY;
    t.values[2 * NCOLS + 2].u.r = -NAN;
    deliver_ok(s, &t);
    expect("SELECT word, mean FROM reals ORDER BY n", "inf|Infinity\nminus_inf|-Infinity\nnan|NaN\n");
    sink_close(s);
}

static void test_server_away_and_back(void **state)
{
    (void)state;
    struct sl_sink_spec spec = make_spec("away", "away", true);
    struct sl_sink *s = open_sink(&spec);
    struct test_batch t;
    start_batch(&t, 1);
    add_row(&t, SL_ROW_INSERT, "a", 1);
    deliver_ok(s, &t);
    PQfinish(check_conn);
    check_conn = NULL;
    assert_int_equal(system(getenv("SLUICE_TEST_PG_STOP")), 0);
    start_batch(&t, 2);
    add_row(&t, SL_ROW_UPDATE, "a", 2);
    struct rejects rejects = {0};
    struct sl_error err = {0};
    assert_int_equal(deliver(s, &t, &rejects, &err), SL_AGAIN);
    assert_non_null(strstr(err.msg, "away"));
    sl_error_clear(&err);
    assert_int_equal(deliver(s, &t, &rejects, &err), SL_AGAIN); /* still away: no connection */
    assert_int_equal(system(getenv("SLUICE_TEST_PG_START")), 0);
    check_conn = PQconnectdb(getenv("SLUICE_TEST_PG"));
    deliver_ok(s, &t);
    expect("SELECT word, n FROM away", "a|2\n");
    sink_close(s);
}

static void test_columns_that_do_not_fit(void **state)
{
    (void)state;
    free(query("CREATE TABLE wrong_type (word text PRIMARY KEY, n boolean, mean float8, "
               "seen timestamptz, ok boolean, parts jsonb)"));
    free(query("CREATE TABLE missing (word text PRIMARY KEY, n int, seen text)"));
    struct test_batch t;
    start_batch(&t, 1);
    add_row(&t, SL_ROW_INSERT, "a", 1);
    struct rejects rejects = {0};
    struct sl_error err = {0};
    struct sl_sink_spec spec = make_spec("wrong", "wrong_type", true);
    struct sl_sink *s = open_sink(&spec);
    assert_int_equal(deliver(s, &t, &rejects, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "wrong_type"));
    assert_non_null(strstr(err.msg, "column n is boolean"));
    sink_close(s);
    spec = make_spec("missing", "missing", true);
    s = open_sink(&spec);
    assert_int_equal(deliver(s, &t, &rejects, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "has no column mean, ok, parts"));
    /* The user adds them: the next attempt works. */
    free(query("ALTER TABLE missing ADD mean real, ADD ok int, ADD parts json"));
    deliver_ok(s, &t);
    expect("SELECT word, n, mean, seen, ok FROM missing", "a|1|0.25|2026-01-01 00:00:01.000000|1\n");
    sink_close(s);
}

/* A statement past statement_timeout (the table locked by someone else) is tried again later;
 * a table the sink's role may not write is the user's to fix. */
static void test_timeout_passes_permission_stops(void **state)
{
    (void)state;
    free(query("CREATE TABLE locked (word text PRIMARY KEY, n bigint, mean float8, seen "
               "timestamp, ok boolean, parts jsonb)"));
    free(query("CREATE ROLE limited LOGIN"));
    free(query("GRANT ALL ON sluice_sink_progress TO limited"));
    struct sl_sink_spec spec = make_spec("locked", "locked", true);
    spec.options[1] = (struct sl_option_value){.set = true, .num = 500 * INT64_C(1000)};
    struct sl_sink *s = open_sink(&spec);
    struct test_batch t;
    start_batch(&t, 1);
    add_row(&t, SL_ROW_INSERT, "a", 1);
    free(query("BEGIN"));
    free(query("LOCK TABLE locked"));
    struct rejects rejects = {0};
    struct sl_error err = {0};
    assert_int_equal(deliver(s, &t, &rejects, &err), SL_AGAIN);
    assert_non_null(strstr(err.msg, "statement timeout"));
    assert_non_null(strstr(err.msg, "locked"));
    free(query("COMMIT"));
    deliver_ok(s, &t);
    sink_close(s);
    char conninfo[512];
    snprintf(conninfo, sizeof conninfo, "%s user=limited", getenv("SLUICE_TEST_PG"));
    spec = make_spec("limited", "locked", true);
    spec.address = conninfo;
    s = open_sink(&spec);
    start_batch(&t, 1);
    add_row(&t, SL_ROW_UPDATE, "a", 2);
    assert_int_equal(deliver(s, &t, &rejects, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "permission denied"));
    assert_non_null(strstr(err.msg, "locked"));
    sink_close(s);
    expect("SELECT word, n FROM locked", "a|1\n");
}

static void test_refused_rows_are_rejected(void **state)
{
    (void)state;
    free(query("CREATE TABLE checked (word text PRIMARY KEY CHECK (word <> 'bad'), n int "
               "CHECK (n >= 0), mean float8, seen timestamp, ok boolean, parts jsonb)"));
    struct sl_sink_spec spec = make_spec("checked", "checked", true);
    struct sl_sink *s = open_sink(&spec);
    struct test_batch t;
    start_batch(&t, 1);
    add_row(&t, SL_ROW_INSERT, "a", 1);
    add_row(&t, SL_ROW_INSERT, "bad", 2);
    add_row(&t, SL_ROW_INSERT, "c", 3);
    add_row(&t, SL_ROW_INSERT, "big", INT64_C(1) << 40); /* out of int's range */
    add_row(&t, SL_ROW_UPDATE, "a", 4);
    struct rejects rejects = {0};
    struct sl_error err = {0};
    assert_int_equal(deliver(s, &t, &rejects, &err), SL_OK);
    assert_int_equal(rejects.count, 2);
    assert_int_equal(rejects.rows[0], 1);
    assert_int_equal(rejects.rows[1], 3);
    assert_non_null(strstr(rejects.reason, "checked"));
    assert_non_null(strstr(rejects.reason, "out of range"));
    expect("SELECT word, n FROM checked ORDER BY word", "a|4\nc|3\n");
    /* Without a reject callback a refused row stops the sink. */
    start_batch(&t, 2);
    add_row(&t, SL_ROW_INSERT, "bad", 2);
    struct sl_sink_ack ack = {0};
    assert_int_equal(sink_deliver(s, &t.b, &ack, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "check constraint"));
    buf_free(&ack.state);
    sink_close(s);
}

/* 100,000 rows a batch, as a big EMIT CHANGES batch has: inserts, then all of them updated;
 * then the same rows into an append-only table (COPY straight into it). */
static void test_large_batches(void **state)
{
    (void)state;
    enum { ROWS = 100000 };
    struct sl_sink_spec spec = make_spec("large", "large", true);
    struct sl_sink_spec append_spec = make_spec("large_log", "large_log", false);
    struct sl_sink *keyed = open_sink(&spec), *appends = open_sink(&append_spec);
    struct sl_value *values = calloc((size_t)ROWS * NCOLS, sizeof *values);
    char(*words)[16] = calloc(ROWS, sizeof *words);
    uint8_t *kinds = calloc(ROWS, 1);
    for (uint32_t r = 0; r < ROWS; r++) {
        snprintf(words[r], sizeof words[r], "w%06u", r);
        values[r * NCOLS] = text(words[r]);
        values[r * NCOLS + 1] = (struct sl_value){.type = SL_INT, .u.i = r};
        values[r * NCOLS + 2] = (struct sl_value){.type = SL_REAL, .u.r = r / 3.0};
        values[r * NCOLS + 3] = (struct sl_value){.type = SL_TIMESTAMP, .u.i = r * INT64_C(1000)};
    }
    struct sl_sink_batch b = {.nrows = ROWS, .values = values, .kinds = kinds};
    struct sl_sink_ack ack = {0};
    struct sl_error err = {0};
    static const char *const what[] = {"", "keyed insert", "keyed upsert", "append-only insert"};
    for (int round = 1; round <= 3; round++) {
        b.batch_id = round;
        for (uint32_t r = 0; r < ROWS; r++) {
            values[r * NCOLS + 1].u.i = r * (round == 3 ? 1 : round);
            kinds[r] = round == 2 ? SL_ROW_UPDATE : SL_ROW_INSERT;
        }
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (sink_deliver(round == 3 ? appends : keyed, &b, &ack, &err) != SL_OK)
            fail_msg("%s", err.msg);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
        printf("# %s of %d rows: %.2f s, %.0f rows/s\n", what[round], ROWS, secs, ROWS / secs);
    }
    expect("SELECT count(*), sum(n) FROM large", "100000|9999900000\n");
    expect("SELECT count(*), sum(n) FROM large_log", "100000|4999950000\n");
    buf_free(&ack.state);
    sink_close(keyed);
    sink_close(appends);
    free(values);
    free(words);
    free(kinds);
}

int main(void)
{
    const char *conninfo = getenv("SLUICE_TEST_PG");
    if (!conninfo) {
        printf("# skipped: no server (run through pg_sink_check.bash)\n");
        return 0;
    }
    check_conn = PQconnectdb(conninfo);
    if (PQstatus(check_conn) != CONNECTION_OK) {
        fprintf(stderr, "cannot connect: %s", PQerrorMessage(check_conn));
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keyed_upserts_and_deletes),
        cmocka_unit_test(test_batch_twice_is_a_no_op),
        cmocka_unit_test(test_progress_of_another_database),
        cmocka_unit_test(test_same_id_of_another_database),
        cmocka_unit_test(test_append_only),
        cmocka_unit_test(test_text_round_trips),
        cmocka_unit_test(test_reals_that_are_not_numbers),
        cmocka_unit_test(test_columns_that_do_not_fit),
        cmocka_unit_test(test_timeout_passes_permission_stops),
        cmocka_unit_test(test_refused_rows_are_rejected),
        cmocka_unit_test(test_large_batches),
        cmocka_unit_test(test_server_away_and_back),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    PQfinish(check_conn);
    return failed;
}
