/*
 * test_storage_wal.c — WAL checkpoints off the COMMIT path (storage/db_wal.c):
 * a COMMIT that takes the WAL past its threshold leaves the copy into the
 * database file to the helper thread; past the bound the writer does it
 * before the COMMIT returns; a reader's snapshot stays readable throughout;
 * closing the connection finishes the round it asked for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>

#include "storage/db_internal.h"
#include "test_storage_util.h"

/* Rows of about 1 KiB: 400 of them fill some hundred pages. */
#define ROWS_PER_BATCH 400

static off_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_size : -1;
}

/* One transaction of ROWS_PER_BATCH rows into table t. */
static void write_batch(struct sl_db *db)
{
    struct sl_error err = {0};
    assert_int_equal(db_begin(db, &err), SL_OK);
    assert_int_equal(db_exec(db,
                             "CREATE TABLE IF NOT EXISTS t(x TEXT);"
                             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                             " WHERE i < 400) INSERT INTO t SELECT printf('%.1000d', i) FROM n",
                             "insert", &err),
                     SL_OK);
    assert_int_equal(db_commit(db, &err), SL_OK);
}

/* Waits up to 30 s for the helper to end at least n rounds. */
static void wait_rounds(struct sl_db *db, uint64_t n)
{
    for (int i = 0; i < 3000 && db_wal_rounds(db) < n; i++) {
        struct timespec pause = {0, 10 * 1000000L};
        nanosleep(&pause, NULL);
    }
    assert_true(db_wal_rounds(db) >= n);
}

static int64_t count_rows(sqlite3 *conn)
{
    sqlite3_stmt *stmt;
    assert_int_equal(sqlite3_prepare_v2(conn, "SELECT count(*) FROM t", -1, &stmt, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return n;
}

/* The helper copies the frames: the database file grows after the COMMIT returned. */
static void test_helper_checkpoints(void **state)
{
    struct tmp_db *t = *state;
    db_wal_set_frames(t->db, 50, 1000000);
    off_t before = file_size(t->path);
    write_batch(t->db);
    wait_rounds(t->db, 1);
    assert_true(file_size(t->path) > before + ROWS_PER_BATCH * 1000);
    /* Each later batch starts the WAL over, so it stays about a batch long
     * (three batches appended would make it three times as long). */
    char wal_path[128];
    snprintf(wal_path, sizeof wal_path, "%s-wal", t->path);
    off_t one_batch = file_size(wal_path);
    write_batch(t->db);
    wait_rounds(t->db, 2);
    write_batch(t->db);
    wait_rounds(t->db, 3);
    assert_true(file_size(wal_path) < 2 * one_batch);
}

/* Past the bound the COMMIT checkpoints before it returns. */
static void test_bound_checkpoints_in_commit(void **state)
{
    struct tmp_db *t = *state;
    db_wal_set_frames(t->db, 50, 60);
    off_t before = file_size(t->path);
    write_batch(t->db);
    assert_true(file_size(t->path) > before + ROWS_PER_BATCH * 1000);
}

/* A reader holding a snapshot keeps reading it while batches commit and are
 * checkpointed; after it ends, its frames are copied too. */
static void test_reader_keeps_snapshot(void **state)
{
    struct tmp_db *t = *state;
    db_wal_set_frames(t->db, 50, 1000000);
    write_batch(t->db);
    sqlite3 *reader;
    assert_int_equal(sqlite3_open_v2(t->path, &reader, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(reader, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(count_rows(reader), ROWS_PER_BATCH);
    uint64_t rounds = db_wal_rounds(t->db);
    write_batch(t->db);
    write_batch(t->db);
    wait_rounds(t->db, rounds + 1);
    assert_int_equal(count_rows(reader), ROWS_PER_BATCH);
    assert_int_equal(sqlite3_exec(reader, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(count_rows(reader), 3 * ROWS_PER_BATCH);
    sqlite3_close(reader);
}

/* Closing right after a COMMIT waits for the round it asked for. */
static void test_close_finishes_round(void **state)
{
    struct tmp_db *t = *state;
    db_wal_set_frames(t->db, 50, 1000000);
    off_t before = file_size(t->path);
    write_batch(t->db);
    db_close(t->db);
    t->db = NULL;
    assert_true(file_size(t->path) > before + ROWS_PER_BATCH * 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_helper_checkpoints, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_bound_checkpoints_in_commit, tmp_db_setup,
                                        tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_reader_keeps_snapshot, tmp_db_setup,
                                        tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_close_finishes_round, tmp_db_setup, tmp_db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
