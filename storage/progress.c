/* progress.c — one row per micro-batch of a query: rows in and out, start, duration,
 * late rows, watermark, state size, offset, dead letters, and the time its
 * state and its commit took. */
#include "storage/db_internal.h"

#include <stdio.h>

#include "common/time.h"

sl_status db_progress_record(struct sl_db *db, const struct db_progress *p, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt(db, DB_STMT_PROGRESS_PUT, &stmt, err);
    if (st != SL_OK)
        return st;
    char started[32];
    sl_ts_format(p->started_us, started);
    sqlite3_bind_text(stmt, 1, p->query, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, p->batch_id);
    sqlite3_bind_int64(stmt, 3, p->rows_in);
    sqlite3_bind_int64(stmt, 4, p->rows_out);
    sqlite3_bind_text(stmt, 5, started, -1, SQLITE_STATIC);
    sqlite3_bind_double(stmt, 6, (double)p->duration_us / (double)SL_US_PER_MS);
    sqlite3_bind_int64(stmt, 7, p->late_rows);
    char mark[32];
    if (p->has_watermark && p->watermark_us >= SL_TS_MIN_US && p->watermark_us <= SL_TS_MAX_US) {
        sl_ts_format(p->watermark_us, mark);
        sqlite3_bind_text(stmt, 8, mark, -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(stmt, 8);
    }
    sqlite3_bind_int64(stmt, 9, p->state_groups);
    sqlite3_bind_int64(stmt, 10, p->state_bytes);
    sqlite3_bind_int64(stmt, 11, p->offset);
    sqlite3_bind_int64(stmt, 12, p->dead_letters);
    sqlite3_bind_double(stmt, 13, (double)p->state_us / (double)SL_US_PER_MS);
    sqlite3_bind_int64(stmt, 14, p->gap);
    return db_step_done(db, stmt, "cannot record progress", err);
}

sl_status db_progress_set_commit_time(struct sl_db *db, const char *query, int64_t batch_id,
                                      int64_t commit_us, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, DB_STMT_PROGRESS_COMMIT_MS, query, &stmt, err);
    if (st != SL_OK)
        return st;
    sqlite3_bind_int64(stmt, 2, batch_id);
    sqlite3_bind_double(stmt, 3, (double)commit_us / (double)SL_US_PER_MS);
    return db_step_done(db, stmt, "cannot record progress", err);
}

sl_status db_progress_summary(struct sl_db *db, const char *query, int64_t *dead_letters,
                              char committed[32], struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, DB_STMT_PROGRESS_SUMMARY, query, &stmt, err);
    if (st != SL_OK)
        return st;
    *dead_letters = 0;
    committed[0] = '\0';
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        *dead_letters = sqlite3_column_int64(stmt, 0);
        const unsigned char *at = sqlite3_column_text(stmt, 1);
        snprintf(committed, 32, "%s", at ? (const char *)at : "");
    } else {
        st = db_fail(db, err, "cannot read progress");
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return st;
}

int64_t db_progress_last_batch(struct sl_db *db, const char *query)
{
    sqlite3_stmt *stmt;
    if (db_stmt(db, DB_STMT_PROGRESS_LAST, &stmt, NULL) != SL_OK)
        return 0;
    sqlite3_bind_text(stmt, 1, query, -1, SQLITE_STATIC);
    int64_t last = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return last;
}
