/*
 * db_tables.c — the database's tables and their columns from SQLite's own
 * schema (db_tables.h). Statements are prepared per call: SHOW and DESCRIBE
 * are typed by a person, not run per batch.
 */
#include "storage/db_internal.h"
#include "storage/db_tables.h"

#include <stdio.h>

sl_status db_tables_list(struct sl_db *db, db_table_fn fn, void *ctx, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2(db->conn,
                           "SELECT name, type = 'view' FROM sqlite_master WHERE type IN "
                           "('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                           "ORDER BY name COLLATE NOCASE",
                           -1, &stmt, NULL) != SQLITE_OK)
        return db_fail(db, err, "listing the tables");
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        fn(ctx, (const char *)sqlite3_column_text(stmt, 0), sqlite3_column_int(stmt, 1) != 0);
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? SL_OK : db_fail(db, err, "listing the tables");
}

sl_status db_table_columns(struct sl_db *db, const char *table, db_column_fn fn, void *ctx,
                           bool *found, struct sl_error *err)
{
    return db_table_columns_in(db, NULL, table, fn, ctx, found, err);
}

sl_status db_table_columns_in(struct sl_db *db, const char *schema, const char *table,
                              db_column_fn fn, void *ctx, bool *found, struct sl_error *err)
{
    *found = false;
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2(db->conn,
                           schema ? "SELECT name, type, \"notnull\", dflt_value, pk "
                                    "FROM pragma_table_info(?1, ?2) ORDER BY cid"
                                  : "SELECT name, type, \"notnull\", dflt_value, pk "
                                    "FROM pragma_table_info(?1) ORDER BY cid",
                           -1, &stmt, NULL) != SQLITE_OK)
        return db_fail(db, err, "reading a table's columns");
    sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
    if (schema)
        sqlite3_bind_text(stmt, 2, schema, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        *found = true;
        struct db_column c = {
            .name = (const char *)sqlite3_column_text(stmt, 0),
            .type = (const char *)sqlite3_column_text(stmt, 1),
            .not_null = sqlite3_column_int(stmt, 2) != 0,
            .default_value = (const char *)sqlite3_column_text(stmt, 3),
            .key = sqlite3_column_int(stmt, 4),
        };
        fn(ctx, &c);
    }
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? SL_OK : db_fail(db, err, "reading a table's columns");
}

sl_status db_table_count(struct sl_db *db, const char *table, int64_t *rows,
                         struct sl_error *err)
{
    char *sql = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", table);
    if (!sql)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(db->conn, sql, -1, &stmt, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return db_fail(db, err, "counting a table's rows");
    rc = sqlite3_step(stmt);
    *rows = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
    sqlite3_finalize(stmt);
    return rc == SQLITE_ROW ? SL_OK : db_fail(db, err, "counting a table's rows");
}

/* Whether schema holds table (any case): its spelling appended to name_out. */
static sl_status schema_has(struct sl_db *db, const char *schema, const char *table,
                            struct sl_buf *name_out, bool *found, struct sl_error *err)
{
    char *sql = sqlite3_mprintf("SELECT name FROM \"%w\".sqlite_master WHERE type IN ('table', "
                                "'view') AND name = ?1 COLLATE NOCASE",
                                schema);
    if (!sql)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(db->conn, sql, -1, &stmt, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return db_fail(db, err, "looking a table up");
    sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
    rc = sqlite3_step(stmt);
    *found = rc == SQLITE_ROW;
    if (*found)
        buf_puts(name_out, (const char *)sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SL_OK : db_fail(db, err, "looking a table up");
}

sl_status db_table_locate(struct sl_db *db, const char *schema, const char *table,
                          struct sl_buf *schema_out, struct sl_buf *name_out,
                          struct sl_buf *file_out, bool *found, struct sl_error *err)
{
    *found = false;
    sqlite3_stmt *stmt;
    /* seq 1 is temp, which SQLite searches first. */
    if (sqlite3_prepare_v2(db->conn,
                           "SELECT name, file FROM pragma_database_list "
                           "WHERE ?1 IS NULL OR name = ?1 COLLATE NOCASE ORDER BY seq != 1, seq",
                           -1, &stmt, NULL) != SQLITE_OK)
        return db_fail(db, err, "listing the databases");
    sqlite3_bind_text(stmt, 1, schema, -1, SQLITE_STATIC);
    int rc = SQLITE_DONE;
    sl_status st = SL_OK;
    while (!*found && st == SL_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(stmt, 0);
        st = schema_has(db, name, table, name_out, found, err);
        if (st == SL_OK && *found) {
            buf_puts(schema_out, name);
            const char *file = (const char *)sqlite3_column_text(stmt, 1);
            buf_puts(file_out, file ? file : "");
        }
    }
    if (st == SL_OK && !*found && rc != SQLITE_DONE)
        st = db_fail(db, err, "listing the databases");
    sqlite3_finalize(stmt);
    return st;
}

/* Runs sql with ?1 (and ?2) bound on one connection. */
static sl_status run_on(struct sl_db *db, sqlite3 *conn, const char *sql, const char *a,
                        const char *b, const char *what, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2(conn, sql, -1, &stmt, NULL) != SQLITE_OK)
        return sl_error_set(err, SL_ERROR, "%s: %s", what, sqlite3_errmsg(conn));
    sqlite3_bind_text(stmt, 1, a, -1, SQLITE_STATIC);
    if (b)
        sqlite3_bind_text(stmt, 2, b, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc == SQLITE_DONE)
        return SL_OK;
    db->failed_code = rc & 0xff;
    return sl_error_set(err, SL_ERROR, "%s: %s", what, sqlite3_errmsg(conn));
}

sl_status db_attach(struct sl_db *db, const char *file, const char *schema, struct sl_error *err)
{
    sl_status st = run_on(db, db->conn, "ATTACH ?1 AS ?2", file, schema, "cannot attach", err);
    if (st == SL_OK && db->query_conn && db->query_conn != db->conn &&
        (st = run_on(db, db->query_conn, "ATTACH ?1 AS ?2", file, schema, "cannot attach",
                     err)) != SL_OK)
        run_on(db, db->conn, "DETACH ?1", schema, NULL, "cannot detach", err);
    return st;
}

sl_status db_detach(struct sl_db *db, const char *schema, struct sl_error *err)
{
    sl_status st = run_on(db, db->conn, "DETACH ?1", schema, NULL, "cannot detach", err);
    if (st == SL_OK && db->query_conn && db->query_conn != db->conn)
        st = run_on(db, db->query_conn, "DETACH ?1", schema, NULL, "cannot detach", err);
    return st;
}
