/*
 * catalog.c — the definitions of streams, queries and sinks, kept as the SQL text
 * that created them so they can be re-created when Sluice restarts.
 */
#include "storage/db_internal.h"

#include <string.h>

#include "common/time.h"

static enum db_stmt_id catalog_stmt(enum db_catalog_kind kind, enum db_stmt_id stream_id,
                                    enum db_stmt_id query_id, enum db_stmt_id sink_id)
{
    return kind == DB_CATALOG_STREAM ? stream_id : kind == DB_CATALOG_QUERY ? query_id : sink_id;
}

sl_status db_catalog_put(struct sl_db *db, enum db_catalog_kind kind, const char *name,
                         const char *sql, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st =
        db_stmt(db, catalog_stmt(kind, DB_STMT_STREAM_PUT, DB_STMT_QUERY_PUT, DB_STMT_SINK_PUT), &stmt, err);
    if (st != SL_OK)
        return st;
    char created[32];
    sl_ts_format(sl_clock_now_us(), created);
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, sql, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, created, -1, SQLITE_STATIC);
    return db_step_done(db, stmt, "cannot save the definition", err);
}

sl_status db_catalog_delete(struct sl_db *db, enum db_catalog_kind kind, const char *name,
                            struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st =
        db_stmt(db, catalog_stmt(kind, DB_STMT_STREAM_DELETE, DB_STMT_QUERY_DELETE,
                                    DB_STMT_SINK_DELETE), &stmt, err);
    if (st != SL_OK)
        return st;
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    return db_step_done(db, stmt, "cannot delete the definition", err);
}

/*
 * Reads every definition before calling fn: fn re-creates streams and
 * queries, which writes to the very table being read.
 */
sl_status db_catalog_list(struct sl_db *db, enum db_catalog_kind kind, db_catalog_fn fn,
                          void *ctx, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st =
        db_stmt(db, catalog_stmt(kind, DB_STMT_STREAM_LIST, DB_STMT_QUERY_LIST, DB_STMT_SINK_LIST), &stmt, err);
    if (st != SL_OK)
        return st;
    struct sl_buf rows;
    buf_init(&rows);
    size_t count = 0;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        for (int col = 0; col < 2; col++) {
            const char *text = (const char *)sqlite3_column_text(stmt, col);
            buf_append(&rows, text ? text : "", (size_t)sqlite3_column_bytes(stmt, col));
            buf_putc(&rows, '\0');
        }
        count++;
    }
    if (rc != SQLITE_DONE)
        st = db_fail(db, err, "cannot read the catalog");
    else if (rows.failed)
        st = sl_error_set(err, SL_NOMEM, "cannot read the catalog: out of memory");
    sqlite3_reset(stmt);

    const char *p = rows.data;
    for (size_t i = 0; st == SL_OK && i < count; i++) {
        const char *name = p;
        const char *sql = name + strlen(name) + 1;
        p = sql + strlen(sql) + 1;
        fn(ctx, name, sql);
    }
    buf_free(&rows);
    return st;
}
