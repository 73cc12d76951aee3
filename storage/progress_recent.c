/*
 * progress_recent.c — a summary of a query's last batches (progress_recent.h),
 * read from _sluice_progress; prepared per call: a person asks for it.
 */
#include "storage/db_internal.h"
#include "storage/progress_recent.h"

#include <stdio.h>

sl_status db_progress_recent(struct sl_db *db, const char *query, int n,
                             struct db_progress_recent *out, struct sl_error *err)
{
    *out = (struct db_progress_recent){0};
    sqlite3_stmt *stmt;
    /* started is ISO-8601 text: julianday() reads it; a day is 86400 s. */
    if (sqlite3_prepare_v2(
            db->conn,
            "WITH b AS (SELECT * FROM _sluice_progress WHERE query = ?1 ORDER BY batch_id DESC "
            "LIMIT ?2) "
            "SELECT count(*), sum(rows_in), sum(rows_out), sum(late_rows), avg(duration_ms), "
            "(julianday(max(started)) - julianday(min(started))) * 86400.0 + "
            "(SELECT duration_ms FROM b ORDER BY batch_id DESC LIMIT 1) / 1000.0, "
            "(SELECT watermark FROM b ORDER BY batch_id DESC LIMIT 1) FROM b",
            -1, &stmt, NULL) != SQLITE_OK)
        return db_fail(db, err, "reading a query's progress");
    sqlite3_bind_text(stmt, 1, query, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 2, n);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        out->batches = sqlite3_column_int64(stmt, 0);
        out->rows_in = sqlite3_column_int64(stmt, 1);
        out->rows_out = sqlite3_column_int64(stmt, 2);
        out->late_rows = sqlite3_column_int64(stmt, 3);
        out->avg_ms = sqlite3_column_double(stmt, 4);
        out->seconds = sqlite3_column_double(stmt, 5);
        const unsigned char *wm = sqlite3_column_text(stmt, 6);
        snprintf(out->watermark, sizeof out->watermark, "%s", wm ? (const char *)wm : "");
    }
    sqlite3_finalize(stmt);
    return rc == SQLITE_ROW ? SL_OK : db_fail(db, err, "reading a query's progress");
}
