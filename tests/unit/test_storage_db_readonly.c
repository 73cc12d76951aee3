/*
 * test_storage_db_readonly.c — db_open_readonly (sluice --readonly): an
 * existing database reads, SQLite refuses every write, the file is not
 * changed; a missing file is not created; a schema it cannot migrate, or a
 * file that is no Sluice database, is refused with a message saying what to do.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "test_storage_util.h"

/* A database made by the test beside tmp_db's, with its -wal and -shm. */
static void remove_db(const char *path)
{
    char file[160];
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
        unlink(file);
    }
}

static void test_reads_and_refuses_writes(void **state)
{
    struct tmp_db *t = *state;
    struct sl_error err = {0};
    assert_int_equal(db_catalog_put(t->db, DB_CATALOG_STREAM, "lines", "CREATE STREAM lines", &err),
                     SL_OK);
    db_close(t->db);
    t->db = NULL;
    assert_int_equal(db_open_readonly(t->path, NULL, &t->db, &err), SL_OK);
    struct rows_text r;
    assert_string_equal(rows_of(t->db, "SELECT name FROM _sluice_streams", &r), "name\nlines\n");
    assert_int_equal(db_catalog_put(t->db, DB_CATALOG_STREAM, "more", "CREATE STREAM more", &err),
                     SL_ERROR);
    assert_non_null(strstr(err.msg, "readonly"));
    db_close(t->db);
    t->db = NULL;
    assert_int_equal(db_open(t->path, NULL, &t->db, &err), SL_OK);
    assert_string_equal(rows_of(t->db, "SELECT name FROM _sluice_streams", &r), "name\nlines\n");
}

static void test_missing_file_is_not_created(void **state)
{
    struct tmp_db *t = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/none.db", t->dir);
    struct sl_db *db = NULL;
    struct sl_error err = {0};
    assert_int_equal(db_open_readonly(path, NULL, &db, &err), SL_ERROR);
    assert_null(db);
    assert_non_null(strstr(err.msg, "does not exist"));
    assert_int_not_equal(access(path, F_OK), 0);
}

static void test_old_schema_is_refused(void **state)
{
    struct tmp_db *t = *state;
    char path[128];
    struct sl_db *old = tmp_db_open_old(t, "SELECT 1", path);
    assert_non_null(old);
    db_close(old);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    struct sl_db *db = NULL;
    struct sl_error err = {0};
    assert_int_equal(db_open_readonly(path, NULL, &db, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "open it once without --readonly"));
    remove_db(path);
}

static void test_not_a_sluice_database(void **state)
{
    struct tmp_db *t = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/plain.db", t->dir);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    struct sl_db *db = NULL;
    struct sl_error err = {0};
    assert_int_equal(db_open_readonly(path, NULL, &db, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "not a Sluice database"));
    remove_db(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reads_and_refuses_writes, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_missing_file_is_not_created, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_old_schema_is_refused, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_not_a_sluice_database, tmp_db_setup, tmp_db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
