/*
 * test_storage_db.c — the database itself: WAL and system tables on open,
 * idempotent reopen, catalog, progress (and its upgrade from an older
 * table), dead letters, transactions, a write the disk refused, a
 * second connection reading during a write, and db_query_text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "storage/db_internal.h"
#include "test_storage_util.h"

static void test_open_creates_wal_and_system_tables(void **state)
{
    struct tmp_db *t = *state;
    struct rows_text r;
    assert_string_equal(rows_of(t->db, "SELECT * FROM pragma_journal_mode", &r),
                        "journal_mode\nwal\n");
    assert_string_equal(rows_of(t->db, "SELECT * FROM pragma_synchronous", &r),
                        "synchronous\n1\n");
    assert_true(db_table_exists(t->db, "_sluice_streams"));
    assert_true(db_table_exists(t->db, "_SLUICE_QUERIES"));
    assert_true(db_table_exists(t->db, "_sluice_progress"));
    assert_true(db_table_exists(t->db, "_sluice_dead_letters"));
    assert_false(db_table_exists(t->db, "word_counts"));
}

static void test_reopen_is_idempotent(void **state)
{
    struct tmp_db *t = *state;
    struct sl_error err = {0};
    assert_int_equal(db_catalog_put(t->db, DB_CATALOG_STREAM, "lines", "CREATE STREAM lines", &err),
                     SL_OK);
    db_close(t->db);
    t->db = NULL;
    assert_int_equal(db_open(t->path, NULL, &t->db, &err), SL_OK);
    struct rows_text r;
    assert_string_equal(rows_of(t->db, "SELECT name, sql FROM _sluice_streams", &r),
                        "name|sql\nlines|CREATE STREAM lines\n");
}

static void test_open_failure_names_file(void **state)
{
    (void)state;
    struct sl_db *db = (struct sl_db *)1;
    struct sl_error err = {0};
    assert_int_equal(db_open("/nonexistent-dir/x.db", NULL, &db, &err), SL_ERROR);
    assert_null(db);
    assert_string_equal(err.msg, "cannot open database '/nonexistent-dir/x.db': "
                                 "cannot create it in /nonexistent-dir (No such file or directory)");
}

static void test_open_not_a_database(void **state)
{
    struct tmp_db *t = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/junk.db", t->dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 200; i++)
        fputs("this is not a database file at all ", f);
    fclose(f);
    struct sl_db *db = NULL;
    struct sl_error err = {0};
    assert_int_equal(db_open(path, NULL, &db, &err), SL_ERROR);
    assert_null(db);
    assert_non_null(strstr(err.msg, "cannot open database '"));
    assert_non_null(strstr(err.msg, "file is not a database"));
    unlink(path);
}

struct names {
    char text[512];
    size_t len;
    struct sl_db *db;
};

static void names_collect(void *ctx, const char *name, const char *sql)
{
    struct names *n = ctx;
    n->len += (size_t)snprintf(n->text + n->len, sizeof n->text - n->len, "%s=%s;", name, sql);
}

static const char *catalog_of(struct sl_db *db, enum db_catalog_kind kind, struct names *n)
{
    struct sl_error err = {0};
    n->len = 0;
    n->text[0] = '\0';
    assert_int_equal(db_catalog_list(db, kind, names_collect, n, &err), SL_OK);
    return n->text;
}

static void test_catalog_order_replace_delete(void **state)
{
    struct tmp_db *t = *state;
    struct sl_error err = {0};
    struct names n;
    assert_string_equal(catalog_of(t->db, DB_CATALOG_STREAM, &n), "");
    assert_int_equal(db_catalog_put(t->db, DB_CATALOG_STREAM, "zeta", "S1", &err), SL_OK);
    assert_int_equal(db_catalog_put(t->db, DB_CATALOG_STREAM, "alpha", "S2", &err), SL_OK);
    assert_int_equal(db_catalog_put(t->db, DB_CATALOG_STREAM, "mid", "S3", &err), SL_OK);
    assert_int_equal(db_catalog_put(t->db, DB_CATALOG_QUERY, "q", "Q1", &err), SL_OK);
    assert_string_equal(catalog_of(t->db, DB_CATALOG_STREAM, &n), "zeta=S1;alpha=S2;mid=S3;");
    assert_string_equal(catalog_of(t->db, DB_CATALOG_QUERY, &n), "q=Q1;");

    /* Names are case-insensitive: putting ALPHA replaces alpha. */
    assert_int_equal(db_catalog_put(t->db, DB_CATALOG_STREAM, "ALPHA", "S2b", &err), SL_OK);
    assert_string_equal(catalog_of(t->db, DB_CATALOG_STREAM, &n), "zeta=S1;mid=S3;ALPHA=S2b;");

    assert_int_equal(db_catalog_delete(t->db, DB_CATALOG_STREAM, "Zeta", &err), SL_OK);
    assert_int_equal(db_catalog_delete(t->db, DB_CATALOG_STREAM, "missing", &err), SL_OK);
    assert_string_equal(catalog_of(t->db, DB_CATALOG_STREAM, &n), "mid=S3;ALPHA=S2b;");
    assert_string_equal(catalog_of(t->db, DB_CATALOG_QUERY, &n), "q=Q1;");

    struct rows_text r;
    assert_string_equal(
        rows_of(t->db, "SELECT length(created), created LIKE '____-__-__ __:__:__.______'"
                       " FROM _sluice_queries", &r),
        "length(created)|created LIKE '____-__-__ __:__:__.______'\n26|1\n");
}

/* Re-saving each definition while listing (what a restore does) must not loop. */
static void resave(void *ctx, const char *name, const char *sql)
{
    struct names *n = ctx;
    struct sl_error err = {0};
    assert_int_equal(db_catalog_put(n->db, DB_CATALOG_QUERY, name, sql, &err), SL_OK);
    names_collect(ctx, name, sql);
}

static void test_catalog_list_while_writing(void **state)
{
    struct tmp_db *t = *state;
    struct sl_error err = {0};
    assert_int_equal(db_catalog_put(t->db, DB_CATALOG_QUERY, "a", "A", &err), SL_OK);
    assert_int_equal(db_catalog_put(t->db, DB_CATALOG_QUERY, "b", "B", &err), SL_OK);
    struct names n = {.db = t->db};
    assert_int_equal(db_catalog_list(t->db, DB_CATALOG_QUERY, resave, &n, &err), SL_OK);
    assert_string_equal(n.text, "a=A;b=B;");
}

static void test_progress(void **state)
{
    struct tmp_db *t = *state;
    struct sl_error err = {0};
    assert_int_equal(db_progress_last_batch(t->db, "q1"), 0);
    for (int64_t b = 1; b <= 3; b++) {
        struct db_progress p = {.query = "q1", .batch_id = b, .rows_in = 10 * b,
                                .rows_out = b, .started_us = INT64_C(1700000000123456),
                                .duration_us = 2500};
        assert_int_equal(db_progress_record(t->db, &p, &err), SL_OK);
    }
    assert_int_equal(db_progress_last_batch(t->db, "q1"), 3);
    assert_int_equal(db_progress_last_batch(t->db, "q2"), 0);
    struct rows_text r;
    assert_string_equal(
        rows_of(t->db, "SELECT batch_id, rows_in, rows_out, started, duration_ms"
                       " FROM _sluice_progress WHERE batch_id = 2", &r),
        "batch_id|rows_in|rows_out|started|duration_ms\n"
        "2|20|2|2023-11-14 22:13:20.123456|2.5\n");
}

/* A progress table from before late_rows, watermark and state sizes gets them on open. */
static void test_progress_upgrade(void **state)
{
    char path[128];
    struct sl_db *db = tmp_db_open_old(
        *state,
        "CREATE TABLE _sluice_progress(query TEXT NOT NULL, batch_id INTEGER NOT NULL, rows_in "
        "INTEGER, rows_out INTEGER, started TEXT, duration_ms REAL, PRIMARY KEY(query, "
        "batch_id));"
        "INSERT INTO _sluice_progress VALUES ('q', 1, 5, 1, 'x', 1.5);",
        path);
    assert_non_null(db);
    struct sl_error err = {0};
    struct db_progress p = {.query = "q", .batch_id = 2, .rows_in = 7, .late_rows = 3,
                            .has_watermark = true, .watermark_us = 0, .state_groups = 4,
                            .state_bytes = 100};
    assert_int_equal(db_progress_record(db, &p, &err), SL_OK);
    struct rows_text r;
    assert_string_equal(rows_of(db, "SELECT batch_id, rows_in, late_rows, watermark, state_groups,"
                                    " state_bytes FROM _sluice_progress ORDER BY batch_id", &r),
                        "batch_id|rows_in|late_rows|watermark|state_groups|state_bytes\n"
                        "1|5|NULL|NULL|NULL|NULL\n"
                        "2|7|3|1970-01-01 00:00:00.000000|4|100\n");
    db_close(db);
    unlink(path);
}

/* A batch's offset, dead letters and state time; its commit time set by the
 * next batch; SHOW QUERIES' summary of them. */
static void test_progress_commit_time_and_summary(void **state)
{
    struct tmp_db *t = *state;
    struct sl_error err = {0};
    int64_t dead = -1;
    char committed[32];
    assert_int_equal(db_progress_summary(t->db, "q", &dead, committed, &err), SL_OK);
    assert_int_equal(dead, 0);
    assert_string_equal(committed, "");
    for (int64_t b = 1; b <= 2; b++) {
        struct db_progress p = {.query = "q", .batch_id = b, .offset = 100 * b,
                                .dead_letters = b, .state_us = 1500};
        assert_int_equal(db_progress_record(t->db, &p, &err), SL_OK);
    }
    assert_int_equal(db_progress_set_commit_time(t->db, "q", 1, 250, &err), SL_OK);
    struct db_checkpoint c = {.batch_id = 2, .offset = 200};
    assert_int_equal(db_checkpoint_put(t->db, "q", &c, &err), SL_OK);
    struct rows_text r;
    assert_string_equal(rows_of(t->db, "SELECT batch_id, \"offset\", dead_letters, state_ms, "
                                       "commit_ms FROM _sluice_progress ORDER BY batch_id", &r),
                        "batch_id|offset|dead_letters|state_ms|commit_ms\n"
                        "1|100|1|1.5|0.25\n"
                        "2|200|2|1.5|NULL\n");
    assert_int_equal(db_progress_summary(t->db, "q", &dead, committed, &err), SL_OK);
    assert_int_equal(dead, 3);
    assert_int_equal(strlen(committed), 26);
}

/* synchronous is NORMAL until SET; the WAL file is kept under 64 MiB when it restarts. */
static void test_synchronous(void **state)
{
    struct tmp_db *t = *state;
    struct sl_error err = {0};
    struct rows_text r;
    assert_string_equal(rows_of(t->db, "PRAGMA synchronous", &r), "synchronous\n1\n");
    assert_string_equal(rows_of(t->db, "PRAGMA journal_size_limit", &r),
                        "journal_size_limit\n67108864\n");
    assert_int_equal(db_set_synchronous(t->db, true, &err), SL_OK);
    assert_string_equal(rows_of(t->db, "PRAGMA synchronous", &r), "synchronous\n2\n");
    assert_int_equal(db_set_synchronous(t->db, false, &err), SL_OK);
    assert_string_equal(rows_of(t->db, "PRAGMA synchronous", &r), "synchronous\n1\n");
}

static void test_dead_letters(void **state)
{
    struct tmp_db *t = *state;
    struct sl_error err = {0};
    const char rec[] = "a,b,c,garbage";
    struct db_dead_letter dl = {.stream = "bids", .query = "q", .source = "data/bids.csv",
                                .offset = 42, .record = rec, .len = 5,
                                .reason = "expected 4 fields, got 3"};
    assert_int_equal(db_dead_letter_record(t->db, &dl, &err), SL_OK);
    dl.offset = 43;
    dl.len = 0;
    dl.reason = "empty";
    assert_int_equal(db_dead_letter_record(t->db, &dl, &err), SL_OK);
    struct rows_text r;
    assert_string_equal(
        rows_of(t->db, "SELECT id, stream, source, \"offset\", record, error, length(at)"
                       " FROM _sluice_dead_letters ORDER BY id", &r),
        "id|stream|source|offset|record|error|length(at)\n"
        "1|bids|data/bids.csv|42|a,b,c|expected 4 fields, got 3|26\n"
        "2|bids|data/bids.csv|43||empty|26\n");
}

static void test_transactions(void **state)
{
    struct tmp_db *t = *state;
    struct sl_error err = {0};
    struct names n;
    db_rollback(t->db); /* nothing open: harmless */
    assert_int_equal(db_begin(t->db, &err), SL_OK);
    assert_int_equal(db_catalog_put(t->db, DB_CATALOG_QUERY, "gone", "X", &err), SL_OK);
    db_rollback(t->db);
    assert_string_equal(catalog_of(t->db, DB_CATALOG_QUERY, &n), "");
    assert_int_equal(db_begin(t->db, &err), SL_OK);
    assert_int_equal(db_catalog_put(t->db, DB_CATALOG_QUERY, "kept", "Y", &err), SL_OK);
    assert_int_equal(db_commit(t->db, &err), SL_OK);
    assert_string_equal(catalog_of(t->db, DB_CATALOG_QUERY, &n), "kept=Y;");
    assert_int_equal(db_commit(t->db, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "cannot commit: "));
}

/* A write the disk refused is remembered from the failure until db_forget_failure, not read
 * off the connection, whose error code a call that succeeds leaves undefined. */
static void test_write_refused(void **state)
{
    struct tmp_db *t = *state;
    struct sl_error err = {0};
    assert_false(db_write_refused(t->db));
    assert_int_equal(db_exec(t->db, "CREATE TABLE big (b BLOB)", "create", &err), SL_OK);
    /* No page past those the file has: SQLite answers as for a full disk. */
    assert_int_equal(db_exec(t->db, "PRAGMA max_page_count = 1", "limit", &err), SL_OK);
    assert_int_equal(db_exec(t->db, "INSERT INTO big VALUES (zeroblob(100000))", "fill", &err),
                     SL_ERROR);
    assert_string_equal(err.msg, "fill: database or disk is full");
    assert_true(db_write_refused(t->db));
    assert_int_equal(sqlite3_errcode(t->db->conn), SQLITE_FULL);
    db_forget_failure(t->db);
    assert_false(db_write_refused(t->db));
    /* A failure of another kind is not a refused write. */
    assert_int_equal(db_exec(t->db, "INSERT INTO nowhere VALUES (1)", "insert", &err), SL_ERROR);
    assert_false(db_write_refused(t->db));
}

static int64_t count_queries(sqlite3 *reader)
{
    sqlite3_stmt *stmt = NULL;
    assert_int_equal(sqlite3_prepare_v2(reader, "SELECT count(*) FROM _sluice_queries", -1,
                                        &stmt, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return n;
}

/* WAL: another connection reads the last committed state while a batch is being written. */
static void test_reader_during_write(void **state)
{
    struct tmp_db *t = *state;
    struct sl_error err = {0};
    sqlite3 *reader = NULL;
    assert_int_equal(sqlite3_open_v2(t->path, &reader, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(db_begin(t->db, &err), SL_OK);
    assert_int_equal(db_catalog_put(t->db, DB_CATALOG_QUERY, "q", "Q", &err), SL_OK);
    assert_int_equal(count_queries(reader), 0);
    assert_int_equal(db_commit(t->db, &err), SL_OK);
    assert_int_equal(count_queries(reader), 1);
    sqlite3_close(reader);
}

static void test_query_text(void **state)
{
    struct tmp_db *t = *state;
    struct rows_text r;
    assert_string_equal(rows_of(t->db, "SELECT 1 AS a, NULL AS b, 'x' AS c UNION ALL "
                                       "SELECT 2, 3.5, NULL;  ", &r),
                        "a|b|c\n1|NULL|x\n2|3.5|NULL\n");
    assert_string_equal(rows_of(t->db, "SELECT name FROM _sluice_queries", &r), "name\n");
}

static void test_query_text_errors(void **state)
{
    struct tmp_db *t = *state;
    struct rows_text r;
    assert_string_equal(rows_of(t->db, "SELECT * FROM nope", &r),
                        "ERROR: no such table: nope");
    assert_string_equal(rows_of(t->db, "SELEC 1", &r),
                        "ERROR: near \"SELEC\": syntax error");
    const char *readonly_msg =
        "ERROR: only read-only statements that return rows (SELECT) can run on "
        "the database; result tables are written by their queries";
    assert_string_equal(rows_of(t->db, "DELETE FROM _sluice_queries", &r), readonly_msg);
    assert_string_equal(rows_of(t->db, "CREATE TABLE t(x)", &r), readonly_msg);
    assert_string_equal(rows_of(t->db, "BEGIN", &r), readonly_msg);
    assert_string_equal(rows_of(t->db, "SELECT 1; DELETE FROM _sluice_queries", &r),
                        "ERROR: only one statement can run at a time");
    assert_string_equal(rows_of(t->db, "  ", &r), "ERROR: empty statement");
    assert_false(db_table_exists(t->db, "t"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_creates_wal_and_system_tables, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_reopen_is_idempotent, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test(test_open_failure_names_file),
        cmocka_unit_test_setup_teardown(test_open_not_a_database, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_catalog_order_replace_delete, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_catalog_list_while_writing, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_progress, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_progress_upgrade, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_progress_commit_time_and_summary, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_synchronous, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_dead_letters, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_transactions, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_write_refused, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_reader_during_write, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_query_text, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_query_text_errors, tmp_db_setup, tmp_db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
