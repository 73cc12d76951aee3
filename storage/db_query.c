/*
 * db_query.c — answering a read-only statement the user typed (a SELECT on
 * a result table in the REPL) with SQLite, row by row as text.
 */
#include "storage/db_internal.h"

#include <ctype.h>

#include "common/alloc.h"

/* True when the rest of the text is only spaces and semicolons (a trailing ';'). */
static bool db_only_blank(const char *s)
{
    for (; s && *s; s++) {
        if (!isspace((unsigned char)*s) && *s != ';')
            return false;
    }
    return true;
}

/* Calls row_fn for the header, then for each row; the statement is known to be read-only. */
static sl_status db_query_rows(struct sl_db *db, sqlite3_stmt *stmt, db_row_fn row_fn,
                               void *ctx, struct sl_error *err)
{
    int ncols = sqlite3_column_count(stmt);
    const char **values = sl_calloc(ncols ? (size_t)ncols : 1, sizeof *values);
    if (!values)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    for (int i = 0; i < ncols; i++)
        values[i] = sqlite3_column_name(stmt, i);
    row_fn(ctx, true, ncols, values);

    sl_status st = SL_OK;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        for (int i = 0; i < ncols; i++) {
            values[i] = sqlite3_column_type(stmt, i) == SQLITE_NULL
                            ? NULL
                            : (const char *)sqlite3_column_text(stmt, i);
        }
        row_fn(ctx, false, ncols, values);
    }
    if (rc != SQLITE_DONE)
        st = db_fail(db, err, "query failed");
    sl_free(values);
    return st;
}

sl_status db_query_text(struct sl_db *db, const char *sql, db_row_fn row_fn, void *ctx,
                        struct sl_error *err)
{
    sqlite3_stmt *stmt = NULL;
    const char *tail = NULL;
    /* BEGIN/COMMIT count as read-only to SQLite but would break the engine's batch
     * transaction; requiring result columns rules them out. */
    if (sqlite3_prepare_v2(db->conn, sql, -1, &stmt, &tail) != SQLITE_OK)
        return db_fail(db, err, "query failed");
    sl_status st;
    if (!stmt)
        st = sl_error_set(err, SL_ERROR, "query failed: empty statement");
    else if (!db_only_blank(tail))
        st = sl_error_set(err, SL_ERROR, "query failed: only one statement can run at a time");
    else if (!sqlite3_stmt_readonly(stmt) || sqlite3_column_count(stmt) == 0)
        st = sl_error_set(err, SL_ERROR,
                          "query failed: only read-only statements that return rows (SELECT) "
                          "can run on the database; result tables are written by their queries");
    else
        st = db_query_rows(db, stmt, row_fn, ctx, err);
    sqlite3_finalize(stmt);
    return st;
}
