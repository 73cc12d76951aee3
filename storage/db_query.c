/*
 * db_query.c — answering a read-only statement the user typed (a SELECT on
 * a result table in the REPL) with SQLite, row by row as text.
 */
#include "storage/db_internal.h"

#include <ctype.h>
#include <stdint.h>

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

/* SQLite's message (SL_NOMEM when it ran out of memory). */
static sl_status query_fail(sqlite3 *conn, struct sl_error *err)
{
    if (sqlite3_errcode(conn) == SQLITE_NOMEM)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    return sl_error_set(err, SL_ERROR, "%s", sqlite3_errmsg(conn));
}

/*
 * A BLOB is shown as the SQL literal that writes it (X'0A1B'), as sqlite3's
 * quote mode and psql's hex bytea output show binary data: its raw bytes
 * would print as nothing or as garbage. Appended to blobs, NUL-terminated;
 * returns where it starts (the buffer may move as the row's next BLOB grows it).
 */
static size_t blob_literal(sqlite3_stmt *stmt, int col, struct sl_buf *blobs)
{
    const unsigned char *bytes = sqlite3_column_blob(stmt, col);
    int n = sqlite3_column_bytes(stmt, col);
    size_t start = blobs->len;
    buf_puts(blobs, "X'");
    for (int i = 0; i < n; i++)
        buf_printf(blobs, "%02X", bytes[i]);
    buf_append(blobs, "'", 2);
    return start;
}

/* Calls row_fn (unless NULL: sluice_exec without an output) for the header, then for each
 * row; the statement is known to be read-only. */
static sl_status db_query_rows(sqlite3_stmt *stmt, db_row_fn row_fn,
                               void *ctx, struct sl_error *err)
{
    int ncols = sqlite3_column_count(stmt);
    size_t n = ncols ? (size_t)ncols : 1;
    const char **values = sl_calloc(n, sizeof *values);
    size_t *blob_at = sl_calloc(n, sizeof *blob_at); /* SIZE_MAX: not a BLOB */
    if (!values || !blob_at) {
        sl_free(values);
        sl_free(blob_at);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    for (int i = 0; i < ncols; i++)
        values[i] = sqlite3_column_name(stmt, i);
    if (row_fn)
        row_fn(ctx, true, ncols, values);

    sl_status st = SL_OK;
    struct sl_buf blobs; /* the row's BLOBs as text */
    buf_init(&blobs);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        buf_clear(&blobs);
        for (int i = 0; i < ncols; i++) {
            int type = sqlite3_column_type(stmt, i);
            blob_at[i] = type == SQLITE_BLOB ? blob_literal(stmt, i, &blobs) : SIZE_MAX;
            values[i] = type == SQLITE_NULL || type == SQLITE_BLOB
                            ? NULL
                            : (const char *)sqlite3_column_text(stmt, i);
        }
        if (blobs.failed) {
            st = sl_error_set(err, SL_NOMEM, "out of memory");
            break;
        }
        for (int i = 0; i < ncols; i++)
            if (blob_at[i] != SIZE_MAX)
                values[i] = blobs.data + blob_at[i];
        if (row_fn)
            row_fn(ctx, false, ncols, values);
    }
    if (st == SL_OK && rc != SQLITE_DONE)
        st = query_fail(sqlite3_db_handle(stmt), err);
    buf_free(&blobs);
    sl_free(blob_at);
    sl_free(values);
    return st;
}

/* Prepares the one read-only statement sql holds; *stmt NULL after an error. */
static sl_status db_query_prepare(sqlite3 *conn, const char *sql, sqlite3_stmt **stmt,
                                  int *error_offset, struct sl_error *err)
{
    const char *tail = NULL;
    *stmt = NULL;
    *error_offset = -1;
    if (sqlite3_prepare_v2(conn, sql, -1, stmt, &tail) != SQLITE_OK) {
        *error_offset = sqlite3_error_offset(conn);
        return query_fail(conn, err);
    }
    sl_status st = SL_OK;
    if (!*stmt)
        st = sl_error_set(err, SL_ERROR, "empty statement");
    else if (!db_only_blank(tail))
        st = sl_error_set(err, SL_ERROR, "only one statement can run at a time");
    /* BEGIN/COMMIT count as read-only to SQLite but would break the engine's batch
     * transaction; requiring result columns rules them out. */
    else if (!sqlite3_stmt_readonly(*stmt) || sqlite3_column_count(*stmt) == 0)
        st = sl_error_set(err, SL_ERROR,
                          "only read-only statements that return rows (SELECT) "
                          "can run on the database; result tables are written by their queries");
    if (st != SL_OK) {
        sqlite3_finalize(*stmt);
        *stmt = NULL;
    }
    return st;
}

/* Runs the statement on conn (see db_query_text). */
static sl_status query_on(sqlite3 *conn, const char *sql, db_row_fn row_fn, void *ctx,
                          int *error_offset, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_query_prepare(conn, sql, &stmt, error_offset, err);
    if (st == SL_OK)
        st = db_query_rows(stmt, row_fn, ctx, err);
    sqlite3_finalize(stmt);
    return st;
}

sl_status db_query_text(struct sl_db *db, const char *sql, db_row_fn row_fn, void *ctx,
                        struct sl_error *err)
{
    int error_offset;
    return query_on(db->conn, sql, row_fn, ctx, &error_offset, err);
}

sl_status db_query_user(struct sl_db *db, const char *sql, db_row_fn row_fn, void *ctx,
                        int *error_offset, struct sl_error *err)
{
    return query_on(db_query_conn(db), sql, row_fn, ctx, error_offset, err);
}

bool db_query_apart(struct sl_db *db)
{
    return db_query_conn(db) != db->conn;
}

void db_set_query_cancel(struct sl_db *db, int (*cancelled)(void *ctx), void *ctx)
{
    /* Every 10,000 virtual machine steps: microseconds apart, at no measurable cost. */
    sqlite3_progress_handler(db_query_conn(db), 10000, cancelled, ctx);
}

sl_status db_query_check(struct sl_db *db, const char *sql, int *error_offset,
                         struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_query_prepare(db_query_conn(db), sql, &stmt, error_offset, err);
    sqlite3_finalize(stmt);
    return st;
}
