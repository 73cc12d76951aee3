/*
 * db.c — opening and closing the database: WAL mode and a busy timeout so
 * other processes can read while Sluice writes, and the system tables.
 */
#include "storage/db_internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/alloc.h"
#include "common/log.h"

static const char db_schema_sql[] =
    "CREATE TABLE IF NOT EXISTS _sluice_streams("
    "name TEXT PRIMARY KEY COLLATE NOCASE, sql TEXT NOT NULL, created TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS _sluice_queries("
    "name TEXT PRIMARY KEY COLLATE NOCASE, sql TEXT NOT NULL, created TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS _sluice_progress("
    "query TEXT NOT NULL, batch_id INTEGER NOT NULL, rows_in INTEGER, rows_out INTEGER,"
    " started TEXT, duration_ms REAL, late_rows INTEGER, watermark TEXT, state_groups INTEGER,"
    " state_bytes INTEGER, \"offset\" INTEGER, dead_letters INTEGER, state_ms REAL,"
    " commit_ms REAL, PRIMARY KEY(query, batch_id));"
    "CREATE TABLE IF NOT EXISTS _sluice_checkpoints("
    "query TEXT PRIMARY KEY COLLATE NOCASE, batch_id INTEGER NOT NULL, source TEXT,"
    " \"offset\" INTEGER NOT NULL, identity TEXT, committed TEXT, plan TEXT);"
    "CREATE TABLE IF NOT EXISTS _sluice_state("
    "query TEXT NOT NULL COLLATE NOCASE, op INTEGER NOT NULL, key BLOB NOT NULL, state BLOB,"
    " PRIMARY KEY(query, op, key)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS _sluice_state_log("
    "query TEXT NOT NULL COLLATE NOCASE, seq INTEGER NOT NULL, op INTEGER NOT NULL,"
    " key BLOB NOT NULL, state BLOB NOT NULL, PRIMARY KEY(query, seq)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS _sluice_journal("
    "query TEXT NOT NULL COLLATE NOCASE, start INTEGER NOT NULL, data BLOB NOT NULL,"
    " PRIMARY KEY(query, start)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS _sluice_dead_letters("
    "id INTEGER PRIMARY KEY, stream TEXT, source TEXT, \"offset\" INTEGER, record TEXT,"
    " error TEXT, at TEXT);";

/* Columns added to system tables since they first existed: a database an
 * earlier version made gets them (NULL in its old rows). */
static const struct {
    const char *table, *def;
} columns_added[] = {
    {"_sluice_progress", "late_rows INTEGER"},
    {"_sluice_progress", "watermark TEXT"},
    {"_sluice_progress", "state_groups INTEGER"},
    {"_sluice_progress", "state_bytes INTEGER"},
    {"_sluice_progress", "\"offset\" INTEGER"},
    {"_sluice_progress", "dead_letters INTEGER"},
    {"_sluice_progress", "state_ms REAL"},
    {"_sluice_progress", "commit_ms REAL"},
    {"_sluice_checkpoints", "plan TEXT"},
};

static sl_status db_upgrade(struct sl_db *db, const char *what, struct sl_error *err)
{
    for (size_t i = 0; i < sizeof columns_added / sizeof *columns_added; i++) {
        const char *table = columns_added[i].table, *def = columns_added[i].def;
        /* The column's name: its definition's first word, without quotes. */
        const char *name = def + (def[0] == '"');
        size_t name_len = strcspn(name, " \"");
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT 1 FROM pragma_table_info('%s') WHERE name = '%.*s'",
                 table, (int)name_len, name);
        sqlite3_stmt *stmt = NULL;
        if (sqlite3_prepare_v2(db->conn, sql, -1, &stmt, NULL) != SQLITE_OK)
            return db_fail(db, err, what);
        int rc = sqlite3_step(stmt);
        sqlite3_finalize(stmt);
        if (rc == SQLITE_ROW)
            continue;
        if (rc != SQLITE_DONE)
            return db_fail(db, err, what);
        snprintf(sql, sizeof sql, "ALTER TABLE %s ADD COLUMN %s", table, def);
        sl_status st = db_exec(db, sql, what, err);
        if (st != SL_OK)
            return st;
    }
    return SL_OK;
}

/* Switches to WAL; a file system that cannot do WAL keeps working, with a warning. */
static sl_status db_set_wal(struct sl_db *db, const char *what, struct sl_error *err)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db->conn, "PRAGMA journal_mode=WAL", -1, &stmt, NULL) != SQLITE_OK)
        return db_fail(db, err, what);
    int rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) {
        sl_status st = db_fail(db, err, what);
        sqlite3_finalize(stmt);
        return st;
    }
    const char *mode = (const char *)sqlite3_column_text(stmt, 0);
    if (mode && strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0)
        sl_log(SL_LOG_WARN, "database '%s' runs in journal mode '%s', not WAL", db->path, mode);
    sqlite3_finalize(stmt);
    return SL_OK;
}

sl_status db_open(const char *path, struct sl_db **out, struct sl_error *err)
{
    *out = NULL;
    struct sl_db *db = sl_calloc(1, sizeof *db);
    if (!db)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    db->path = sl_strdup(path);
    if (!db->path) {
        sl_free(db);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    char what[300];
    snprintf(what, sizeof what, "cannot open database '%s'", path);

    sl_status st;
    int rc = sqlite3_open_v2(path, &db->conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        st = db->conn ? db_fail(db, err, what)
                      : sl_error_set(err, SL_NOMEM, "%s: out of memory", what);
        goto fail;
    }
    sqlite3_busy_timeout(db->conn, DB_BUSY_TIMEOUT_MS);
    /* Closing the last connection would checkpoint under an exclusive lock,
     * and a reader opening the file at that moment (a monitoring loop of
     * `sqlite3 DB ...`) would fail with "database is locked". The WAL is
     * left for the next connection to checkpoint instead. */
    sqlite3_db_config(db->conn, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    if ((st = db_set_wal(db, what, err)) != SL_OK ||
        (st = db_exec(db, "PRAGMA synchronous=NORMAL", what, err)) != SL_OK ||
        /* Upserting a batch's changed groups walks the result tables' keys:
         * a 32 MiB page cache keeps them in memory instead of re-reading. */
        (st = db_exec(db, "PRAGMA cache_size=-32768", what, err)) != SL_OK ||
        /* A large batch leaves the -wal file at its size; past 64 MiB it is
         * truncated when the WAL restarts, so disk use follows the data. */
        (st = db_exec(db, "PRAGMA journal_size_limit=67108864", what, err)) != SL_OK ||
        (st = db_exec(db, db_schema_sql, what, err)) != SL_OK ||
        (st = db_upgrade(db, what, err)) != SL_OK)
        goto fail;
    *out = db;
    return SL_OK;

fail:
    db_close(db);
    return st;
}

sl_status db_set_synchronous(struct sl_db *db, bool full, struct sl_error *err)
{
    return db_exec(db, full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL",
                   "cannot set synchronous", err);
}

void db_close(struct sl_db *db)
{
    if (!db)
        return;
    db_stmt_finalize_all(db);
    sqlite3_close_v2(db->conn);
    sl_free(db->path);
    sl_free(db);
}

bool db_table_exists(struct sl_db *db, const char *name)
{
    sqlite3_stmt *stmt;
    if (db_stmt(db, DB_STMT_TABLE_EXISTS, &stmt, NULL) != SL_OK)
        return false;
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    bool found = sqlite3_step(stmt) == SQLITE_ROW;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return found;
}

bool db_name_is_sqlites(const char *name)
{
    return strncasecmp(name, "sqlite_", 7) == 0 || strncasecmp(name, "pragma_", 7) == 0;
}
