/*
 * test_storage_schema.c — the schema's version (PRAGMA user_version): a
 * fresh database is made at the current version with every system table; a
 * database made before versioning is migrated with its catalog, checkpoints
 * and result tables intact; a version 1 database gets the record sources'
 * columns; a database a newer sluice wrote is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "common/alloc.h"
#include "storage/state.h"
#include "test_storage_util.h"

/* The tables the last sluice without a schema version made (before
 * _sluice_state_log, _sluice_journal, the later progress columns and the
 * checkpoint's plan), with a stream, a query, its checkpoint and its table. */
static const char unversioned_sql[] =
    "CREATE TABLE _sluice_streams(name TEXT PRIMARY KEY COLLATE NOCASE, sql TEXT NOT NULL,"
    " created TEXT NOT NULL);"
    "CREATE TABLE _sluice_queries(name TEXT PRIMARY KEY COLLATE NOCASE, sql TEXT NOT NULL,"
    " created TEXT NOT NULL);"
    "CREATE TABLE _sluice_progress(query TEXT NOT NULL, batch_id INTEGER NOT NULL,"
    " rows_in INTEGER, rows_out INTEGER, started TEXT, duration_ms REAL,"
    " PRIMARY KEY(query, batch_id));"
    "CREATE TABLE _sluice_checkpoints(query TEXT PRIMARY KEY COLLATE NOCASE,"
    " batch_id INTEGER NOT NULL, source TEXT, \"offset\" INTEGER NOT NULL, identity TEXT,"
    " committed TEXT);"
    "CREATE TABLE _sluice_state(query TEXT NOT NULL COLLATE NOCASE, op INTEGER NOT NULL,"
    " key BLOB NOT NULL, state BLOB, PRIMARY KEY(query, op, key)) WITHOUT ROWID;"
    "CREATE TABLE _sluice_dead_letters(id INTEGER PRIMARY KEY, stream TEXT, source TEXT,"
    " \"offset\" INTEGER, record TEXT, error TEXT, at TEXT);"
    "INSERT INTO _sluice_streams VALUES ('lines', 'CREATE STREAM lines (line TEXT)', 'x');"
    "INSERT INTO _sluice_queries VALUES ('counts', 'CREATE QUERY counts AS SELECT ...', 'x');"
    "INSERT INTO _sluice_progress VALUES ('counts', 3, 10, 2, 'x', 1.5);"
    "INSERT INTO _sluice_checkpoints VALUES ('counts', 3, 'file:in.txt', 120, 'id', 'x');"
    "CREATE TABLE counts(word TEXT PRIMARY KEY, n INTEGER);"
    "INSERT INTO counts VALUES ('a', 2), ('b', 1);";

/* A database file and the -wal and -shm files its connection leaves. */
static void remove_db(const char *path)
{
    char file[160];
    for (const char *const *suffix = (const char *const[]){"", "-wal", "-shm", NULL}; *suffix;
         suffix++) {
        snprintf(file, sizeof file, "%s%s", path, *suffix);
        unlink(file);
    }
}

static void list_catalog(void *ctx, const char *name, const char *sql)
{
    struct rows_text *r = ctx;
    r->len += (size_t)snprintf(r->text + r->len, sizeof r->text - r->len, "%s: %s\n", name, sql);
}

static void assert_all_system_tables(struct sl_db *db)
{
    size_t n = 0;
    for (const char *name; (name = db_system_table(n)); n++)
        assert_true(db_table_exists(db, name));
    assert_int_equal(n, 12);
    struct rows_text r;
    assert_string_equal(rows_of(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                                    " AND name LIKE '\\_sluice\\_%' ESCAPE '\\'", &r),
                        "count(*)\n12\n");
}

static void test_fresh_database_is_current(void **state)
{
    struct tmp_db *t = *state;
    struct rows_text r;
    assert_string_equal(rows_of(t->db, "SELECT * FROM pragma_user_version", &r),
                        "user_version\n6\n");
    assert_all_system_tables(t->db);
}

static void test_unversioned_database_is_migrated(void **state)
{
    char path[128];
    struct sl_db *db = tmp_db_open_old(*state, unversioned_sql, path);
    assert_non_null(db);
    struct rows_text r;
    assert_string_equal(rows_of(db, "SELECT * FROM pragma_user_version", &r),
                        "user_version\n6\n");
    assert_all_system_tables(db);

    struct sl_error err = {0};
    r.len = 0;
    assert_int_equal(db_catalog_list(db, DB_CATALOG_STREAM, list_catalog, &r, &err), SL_OK);
    assert_int_equal(db_catalog_list(db, DB_CATALOG_QUERY, list_catalog, &r, &err), SL_OK);
    r.text[r.len] = '\0';
    assert_string_equal(r.text, "lines: CREATE STREAM lines (line TEXT)\n"
                                "counts: CREATE QUERY counts AS SELECT ...\n");

    struct db_checkpoint cp;
    bool found = false;
    assert_int_equal(db_checkpoint_get(db, "counts", &cp, &found, &err), SL_OK);
    assert_true(found);
    assert_int_equal(cp.batch_id, 3);
    assert_int_equal(cp.offset, 120);
    assert_string_equal(cp.identity, "id");
    sl_free(cp.identity);
    assert_string_equal(cp.plan, "");
    assert_int_equal(db_progress_last_batch(db, "counts"), 3);

    assert_string_equal(rows_of(db, "SELECT * FROM counts ORDER BY word", &r),
                        "word|n\na|2\nb|1\n");
    /* The columns added since are there, NULL in the old rows. */
    assert_string_equal(rows_of(db, "SELECT batch_id, dead_letters, commit_ms"
                                    " FROM _sluice_progress", &r),
                        "batch_id|dead_letters|commit_ms\n3|NULL|NULL\n");

    /* Opened again, it is current: nothing is migrated twice. */
    db_close(db);
    db = NULL;
    assert_int_equal(db_open(path, NULL, &db, &err), SL_OK);
    assert_string_equal(rows_of(db, "SELECT * FROM counts ORDER BY word", &r),
                        "word|n\na|2\nb|1\n");
    db_close(db);
    remove_db(path);
}

/* Version 1 -> 2: checkpoints get a record source's position, progress rows its gap. */
static void test_version_1_gets_record_positions(void **state)
{
    struct tmp_db *t = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/v1.db", t->dir);
    struct sl_db *db = NULL;
    struct sl_error err = {0};
    assert_int_equal(db_open(path, NULL, &db, &err), SL_OK);
    db_close(db);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw,
                                  "ALTER TABLE _sluice_checkpoints DROP COLUMN position;"
                                  "ALTER TABLE _sluice_progress DROP COLUMN gap;"
                                  "INSERT INTO _sluice_checkpoints(query, batch_id, \"offset\")"
                                  " VALUES ('q', 4, 9);"
                                  "PRAGMA user_version = 1",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(raw);

    assert_int_equal(db_open(path, NULL, &db, &err), SL_OK);
    struct rows_text r;
    assert_string_equal(rows_of(db, "SELECT * FROM pragma_user_version", &r),
                        "user_version\n6\n");
    assert_string_equal(rows_of(db, "SELECT batch_id, position FROM _sluice_checkpoints", &r),
                        "batch_id|position\n4|NULL\n");
    assert_string_equal(rows_of(db, "SELECT count(*) FROM _sluice_progress WHERE gap IS NULL", &r),
                        "count(*)\n0\n");
    struct db_checkpoint cp = {.batch_id = 5, .offset = 12, .position = "0:7,3:5"};
    bool found = false;
    assert_int_equal(db_checkpoint_put(db, "q", &cp, &err), SL_OK);
    assert_int_equal(db_checkpoint_get(db, "q", &cp, &found, &err), SL_OK);
    assert_true(found);
    assert_string_equal(cp.position, "0:7,3:5");
    sl_free(cp.position);
    db_close(db);
    remove_db(path);
}

/* Version 2 -> 3: the per-query journal gives way to per-stream logs. */
static void test_version_2_gets_stream_logs(void **state)
{
    struct tmp_db *t = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/v2.db", t->dir);
    struct sl_db *db = NULL;
    struct sl_error err = {0};
    assert_int_equal(db_open(path, NULL, &db, &err), SL_OK);
    db_close(db);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw,
                                  "DROP TABLE _sluice_log; DROP TABLE _sluice_log_readers;"
                                  "CREATE TABLE _sluice_journal(query TEXT, start INTEGER,"
                                  " data BLOB);"
                                  "INSERT INTO _sluice_journal VALUES ('q', 0, x'61');"
                                  "PRAGMA user_version = 2",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(raw);

    assert_int_equal(db_open(path, NULL, &db, &err), SL_OK);
    struct rows_text r;
    assert_string_equal(rows_of(db, "SELECT * FROM pragma_user_version", &r),
                        "user_version\n6\n");
    assert_all_system_tables(db);
    assert_false(db_table_exists(db, "_sluice_journal"));
    db_close(db);
    remove_db(path);
}

/* Version 3 -> 4: sinks, their outbox and their progress. */
static void test_version_3_gets_sinks(void **state)
{
    struct tmp_db *t = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/v3.db", t->dir);
    struct sl_db *db = NULL;
    struct sl_error err = {0};
    assert_int_equal(db_open(path, NULL, &db, &err), SL_OK);
    db_close(db);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw,
                                  "DROP TABLE _sluice_sinks; DROP TABLE _sluice_outbox;"
                                  "DROP TABLE _sluice_sink_progress; PRAGMA user_version = 3",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(raw);

    assert_int_equal(db_open(path, NULL, &db, &err), SL_OK);
    struct rows_text r;
    assert_string_equal(rows_of(db, "SELECT * FROM pragma_user_version", &r),
                        "user_version\n6\n");
    assert_all_system_tables(db);
    db_close(db);
    remove_db(path);
}

/* Version 4 -> 5: a saved query's paused flag; the queries saved before are not paused, and
 * saving a query again keeps its flag. */
static void test_version_4_gets_query_paused(void **state)
{
    struct tmp_db *t = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/v4.db", t->dir);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw,
                                  "CREATE TABLE _sluice_queries(name TEXT PRIMARY KEY COLLATE "
                                  "NOCASE, sql TEXT NOT NULL, created TEXT NOT NULL);"
                                  "INSERT INTO _sluice_queries VALUES ('q', 'CREATE QUERY q AS "
                                  "SELECT a FROM s', '2026-01-01');"
                                  "PRAGMA user_version = 4",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(raw);

    struct sl_db *db = NULL;
    struct sl_error err = {0};
    assert_int_equal(db_open(path, NULL, &db, &err), SL_OK);
    struct rows_text r;
    assert_string_equal(rows_of(db, "SELECT name, paused FROM _sluice_queries", &r),
                        "name|paused\nq|0\n");
    bool paused = true, found = false;
    assert_int_equal(db_query_paused(db, "Q", &paused, &err), SL_OK);
    assert_false(paused);
    assert_int_equal(db_query_set_paused(db, "q", true, &found, &err), SL_OK);
    assert_true(found);
    assert_int_equal(db_catalog_put(db, DB_CATALOG_QUERY, "q", "CREATE QUERY q AS SELECT b FROM s",
                                    &err),
                     SL_OK);
    assert_int_equal(db_query_paused(db, "q", &paused, &err), SL_OK);
    assert_true(paused);
    assert_int_equal(db_query_set_paused(db, "nope", true, &found, &err), SL_OK);
    assert_false(found);
    assert_int_equal(db_query_paused(db, "nope", &paused, &err), SL_OK);
    assert_false(paused);
    db_close(db);
    remove_db(path);
}

/* Version 5 -> 6: state rows and checkpoints get a checksum; the rows saved before
 * have none (NULL) and are read as they are, the rows written after have one. */
static void test_version_5_gets_checksums(void **state)
{
    struct tmp_db *t = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/v5.db", t->dir);
    struct sl_db *db = NULL;
    struct sl_error err = {0};
    assert_int_equal(db_open(path, NULL, &db, &err), SL_OK);
    db_close(db);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw,
                                  "ALTER TABLE _sluice_checkpoints DROP COLUMN checksum;"
                                  "ALTER TABLE _sluice_state DROP COLUMN checksum;"
                                  "ALTER TABLE _sluice_state_log DROP COLUMN checksum;"
                                  "INSERT INTO _sluice_checkpoints(query, batch_id, \"offset\")"
                                  " VALUES ('q', 4, 9);"
                                  "PRAGMA user_version = 5",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(raw);

    assert_int_equal(db_open(path, NULL, &db, &err), SL_OK);
    struct rows_text r;
    assert_string_equal(rows_of(db, "SELECT * FROM pragma_user_version", &r),
                        "user_version\n6\n");
    struct db_checkpoint cp;
    bool found = false;
    assert_int_equal(db_checkpoint_get(db, "q", &cp, &found, &err), SL_OK);
    assert_true(found);
    assert_int_equal(cp.offset, 9);
    cp.offset = 10;
    assert_int_equal(db_checkpoint_put(db, "q", &cp, &err), SL_OK);
    assert_string_equal(rows_of(db, "SELECT checksum IS NOT NULL FROM _sluice_checkpoints", &r),
                        "checksum IS NOT NULL\n1\n");
    assert_int_equal(db_state_put(db, "q", 0, "k", 1, "s", 1, &err), SL_OK);
    assert_string_equal(rows_of(db, "SELECT checksum IS NOT NULL FROM _sluice_state", &r),
                        "checksum IS NOT NULL\n1\n");
    db_close(db);
    remove_db(path);
}

static void test_newer_version_is_refused(void **state)
{
    struct tmp_db *t = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/newer.db", t->dir);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "CREATE TABLE _sluice_streams(x); PRAGMA user_version = 7",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(raw);

    struct sl_db *db = NULL;
    struct sl_error err = {0};
    assert_int_equal(db_open(path, NULL, &db, &err), SL_ERROR);
    assert_null(db);
    char want[512];
    snprintf(want, sizeof want,
             "cannot open database '%s': its schema version is 7, and this sluice knows up to 6:"
             " open it with the sluice that wrote it, or a newer one",
             path);
    assert_string_equal(err.msg, want);
    remove_db(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fresh_database_is_current, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_unversioned_database_is_migrated, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_version_1_gets_record_positions, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_version_3_gets_sinks, tmp_db_setup,
                                        tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_version_2_gets_stream_logs, tmp_db_setup,
                                        tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_version_4_gets_query_paused, tmp_db_setup,
                                        tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_version_5_gets_checksums, tmp_db_setup,
                                        tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_newer_version_is_refused, tmp_db_setup, tmp_db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
