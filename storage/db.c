/*
 * db.c — opening and closing the database: WAL mode and a busy timeout so
 * other processes can read while Sluice writes; the system tables are
 * created or migrated by db_schema.c.
 */
#include "storage/db_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/log.h"

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
        sl_log(db->log, SL_LOG_WARN, "database '%s' runs in journal mode '%s', not WAL", db->path,
               mode);
    sqlite3_finalize(stmt);
    return SL_OK;
}

/*
 * Process-wide settings, made before SQLite initialises (later they are
 * refused, harmlessly: a program that used SQLite first keeps its own).
 * Without memory statistics, which nothing here reads, SQLite's every
 * allocation no longer takes a global mutex: this library is built without
 * lookaside, so a statement's step allocates often, and with a checkpoint
 * thread (db_wal.c) the mutex is contended.
 */
static void db_configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/*
 * After a failed open for writing: when the cause is a permission (the
 * directory, where SQLite creates the database and its -wal and -shm, or the
 * file), says so in err, which SQLite's "unable to open database file" or
 * "attempt to write a readonly database" does not.
 */
static void diagnose_permissions(const char *path, const char *what, struct sl_error *err)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    bool exists = access(path, F_OK) == 0;
    if (exists && access(path, W_OK) != 0)
        sl_error_set(err, SL_ERROR,
                     "%s: the file is not writable (%s): sluice --readonly reads it", what,
                     strerror(errno));
    else if (access(dir, W_OK) != 0 && !exists)
        sl_error_set(err, SL_ERROR, "%s: cannot create it in %s (%s)", what, dir,
                     strerror(errno));
    else if (access(dir, W_OK) != 0)
        sl_error_set(err, SL_ERROR,
                     "%s: its directory %s is not writable (%s), and SQLite keeps the "
                     "database's -wal and -shm files beside it: make the directory writable, or "
                     "read the database with sluice --readonly",
                     what, dir, strerror(errno));
}

/* readonly: no WAL switch, no checkpoint thread, no migration; SQLite refuses every write. */
static sl_status db_open_mode(const char *path, const struct sl_log *log, bool readonly,
                              struct sl_db **out, struct sl_error *err)
{
    *out = NULL;
    static pthread_once_t configured = PTHREAD_ONCE_INIT;
    pthread_once(&configured, db_configure_sqlite);
    struct sl_db *db = sl_calloc(1, sizeof *db);
    if (!db)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    db->log = log;
    db->path = sl_strdup(path);
    if (!db->path) {
        sl_free(db);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    char what[300];
    snprintf(what, sizeof what, "cannot open database '%s'", path);

    sl_status st;
    if (readonly && access(path, F_OK) != 0) {
        st = sl_error_set(err, SL_ERROR, "%s: it does not exist, and read-only it is not created",
                          what);
        goto fail;
    }
    int rc = sqlite3_open_v2(path, &db->conn,
                             readonly ? SQLITE_OPEN_READONLY
                                      : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                             NULL);
    if (rc != SQLITE_OK) {
        st = db->conn ? db_fail(db, err, what)
                      : sl_error_set(err, SL_NOMEM, "%s: out of memory", what);
        goto fail;
    }
    /* SQLite opens a file it may not write read-only, silently: the first
     * write would fail instead, after the statements before it ran. */
    if (!readonly && sqlite3_db_readonly(db->conn, "main") == 1) {
        st = sl_error_set(err, SL_ERROR, "%s: attempt to write a readonly database", what);
        goto fail;
    }
    sqlite3_busy_timeout(db->conn, DB_BUSY_TIMEOUT_MS);
    /* Closing the last connection would checkpoint under an exclusive lock,
     * and a reader opening the file at that moment (a monitoring loop of
     * `sqlite3 DB ...`) would fail with "database is locked". The WAL is
     * left for the next connection to checkpoint instead. */
    sqlite3_db_config(db->conn, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    if (readonly) {
        if ((st = db_schema_check(db, what, err)) != SL_OK)
            goto fail;
        *out = db;
        return SL_OK;
    }
    if ((st = db_set_wal(db, what, err)) != SL_OK ||
        (st = db_exec(db, "PRAGMA synchronous=NORMAL", what, err)) != SL_OK ||
        /* Upserting a batch's changed groups walks the result tables' keys:
         * a 32 MiB page cache keeps them in memory instead of re-reading. */
        (st = db_exec(db, "PRAGMA cache_size=-32768", what, err)) != SL_OK ||
        /* A large batch leaves the -wal file at its size; past 64 MiB it is
         * truncated when the WAL restarts, so disk use follows the data. */
        (st = db_exec(db, "PRAGMA journal_size_limit=67108864", what, err)) != SL_OK ||
        (st = db_wal_start(db, err)) != SL_OK ||
        (st = db_schema_migrate(db, what, err)) != SL_OK)
        goto fail;
    *out = db;
    return SL_OK;

fail:
    if (!readonly && st == SL_ERROR)
        diagnose_permissions(path, what, err);
    db_close(db);
    return st;
}

sl_status db_open(const char *path, const struct sl_log *log, struct sl_db **out,
                  struct sl_error *err)
{
    return db_open_mode(path, log, false, out, err);
}

sl_status db_open_readonly(const char *path, const struct sl_log *log, struct sl_db **out,
                           struct sl_error *err)
{
    return db_open_mode(path, log, true, out, err);
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
    db_wal_stop(db);
    db_stmt_finalize_all(db);
    sqlite3_close_v2(db->query_conn);
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

const char *db_path(const struct sl_db *db)
{
    return db->path;
}
