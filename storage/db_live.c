/*
 * db_live.c — the SQL that reads a live SELECT's table back (see db_live.h).
 */
#include "storage/db_live.h"

#include "storage/db_internal.h"

#include <stdio.h>

void db_live_table_name(char *out, size_t cap, uint32_t seq, int64_t stamp)
{
    snprintf(out, cap, "_sluice_live_%u_%lld", seq, (long long)stamp);
}

sl_status db_table_max_rowid(struct sl_db *db, const char *table, int64_t *max,
                             struct sl_error *err)
{
    struct sl_buf sql;
    buf_init(&sql);
    buf_puts(&sql, "SELECT max(rowid) FROM ");
    db_quote_ident(&sql, table);
    if (sql.failed) {
        buf_free(&sql);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    sqlite3_stmt *stmt = NULL;
    sl_status st = SL_OK;
    if (sqlite3_prepare_v2(db->conn, buf_str(&sql), -1, &stmt, NULL) != SQLITE_OK) {
        st = db_fail(db, err, "cannot read the live table");
    } else {
        int rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL)
            *max = sqlite3_column_int64(stmt, 0);
        else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            st = db_fail(db, err, "cannot read the live table");
    }
    sqlite3_finalize(stmt);
    buf_free(&sql);
    return st;
}

/* ORDER BY and LIMIT, over the table's columns. */
static void order_and_limit(const struct db_live_read *r, struct sl_buf *sql)
{
    for (uint32_t i = 0; i < r->norder; i++) {
        buf_puts(sql, i ? ", " : " ORDER BY ");
        db_quote_ident(sql, r->order[i].column);
        if (r->order[i].desc)
            buf_puts(sql, " DESC");
    }
    if (r->arrival_order)
        buf_puts(sql, r->norder ? ", rowid" : " ORDER BY rowid");
    if (r->limit >= 0)
        buf_printf(sql, " LIMIT %lld", (long long)r->limit);
}

sl_status db_live_read(struct sl_db *db, const struct db_live_read *r, db_row_fn row_fn,
                       void *ctx, struct sl_error *err)
{
    struct sl_buf sql;
    buf_init(&sql);
    buf_puts(&sql, "SELECT * FROM ");
    db_quote_ident(&sql, r->table);
    if (r->rowid_range)
        buf_printf(&sql, " WHERE rowid > %lld AND rowid <= %lld", (long long)r->after_rowid,
                   (long long)r->upto_rowid);
    order_and_limit(r, &sql);
    sl_status st = sql.failed ? sl_error_set(err, SL_NOMEM, "out of memory")
                              : db_query_text(db, buf_str(&sql), row_fn, ctx, err);
    buf_free(&sql);
    return st;
}
