/*
 * db_txn.c — one write transaction per micro-batch. BEGIN IMMEDIATE takes
 * the write lock up front, so a batch never fails half-way on a lock.
 */
#include "storage/db_internal.h"

#include <time.h>

#include "common/time.h"

/*
 * Steps stmt until it is not SQLITE_BUSY or the busy timeout has passed:
 * some BUSY cases (WAL recovery by another process) skip the busy handler.
 * Still busy after that is SL_AGAIN: the lock is another connection's.
 */
static sl_status db_step_retry(struct sl_db *db, sqlite3_stmt *stmt, const char *what,
                               struct sl_error *err)
{
    int timeout_ms = db->busy_timeout_ms ? db->busy_timeout_ms : DB_BUSY_TIMEOUT_MS;
    int64_t deadline = sl_monotonic_us() + timeout_ms * SL_US_PER_MS;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_BUSY && sl_monotonic_us() < deadline) {
        sqlite3_reset(stmt);
        struct timespec pause = {.tv_sec = 0, .tv_nsec = 1000000};
        nanosleep(&pause, NULL);
    }
    sl_status st = rc == SQLITE_DONE ? SL_OK : db_fail(db, err, what);
    if (rc == SQLITE_BUSY)
        st = SL_AGAIN;
    sqlite3_reset(stmt);
    return st;
}

sl_status db_begin(struct sl_db *db, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt(db, DB_STMT_BEGIN, &stmt, err);
    if (st != SL_OK)
        return st;
    db_wal_before_write(db);
    return db_step_retry(db, stmt, "cannot begin a transaction", err);
}

sl_status db_commit(struct sl_db *db, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt(db, DB_STMT_COMMIT, &stmt, err);
    if (st != SL_OK)
        return st;
    return db_step_retry(db, stmt, "cannot commit", err);
}

void db_rollback(struct sl_db *db)
{
    if (sqlite3_get_autocommit(db->conn))
        return;
    sqlite3_stmt *stmt;
    if (db_stmt(db, DB_STMT_ROLLBACK, &stmt, NULL) == SL_OK) {
        sqlite3_step(stmt);
        sqlite3_reset(stmt);
    }
}

bool db_disk_full(struct sl_db *db)
{
    return sqlite3_errcode(db->conn) == SQLITE_FULL;
}

bool db_write_refused(struct sl_db *db)
{
    return db->failed_code == SQLITE_FULL || db->failed_code == SQLITE_IOERR;
}

void db_forget_failure(struct sl_db *db)
{
    db->failed_code = 0;
}

void db_set_busy_timeout(struct sl_db *db, int ms)
{
    db->busy_timeout_ms = ms;
    sqlite3_busy_timeout(db->conn, ms);
}
