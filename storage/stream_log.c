/* stream_log.c — push streams' logs in _sluice_log and their readers (see stream_log.h). */
#include "storage/stream_log.h"

#include "storage/db_internal.h"

sl_status db_log_append(struct sl_db *db, const char *stream, uint64_t first, uint32_t records,
                        const void *data, size_t len, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, DB_STMT_LOG_APPEND, stream, &stmt, err);
    if (st != SL_OK)
        return st;
    sqlite3_bind_int64(stmt, 2, (int64_t)first);
    sqlite3_bind_int64(stmt, 3, records);
    sqlite3_bind_blob64(stmt, 4, len ? data : "", len, SQLITE_STATIC);
    return db_step_done(db, stmt, "cannot write the stream's log", err);
}

sl_status db_log_bounds(struct sl_db *db, const char *stream, struct db_log_bounds *out,
                        struct sl_error *err)
{
    int64_t v[4] = {0, 0, 0, 0};
    sl_status st = db_query_ints(db, DB_STMT_LOG_BOUNDS, stream, v, 4,
                                 "cannot read the stream's log", err);
    out->first = (uint64_t)v[0];
    out->bytes = (uint64_t)v[2];
    /* A log its readers emptied still counts on from where it was. */
    out->next = (uint64_t)(v[1] > v[3] ? v[1] : v[3]);
    if (v[1] == 0 && v[3] > 0)
        out->first = out->next;
    return st;
}

sl_status db_log_row(struct sl_db *db, const char *stream, uint64_t pos, uint64_t *first,
                     uint32_t *records, struct sl_buf *out, bool *found, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, DB_STMT_LOG_ROW, stream, &stmt, err);
    if (st != SL_OK)
        return st;
    sqlite3_bind_int64(stmt, 2, (int64_t)pos);
    buf_clear(out);
    *found = false;
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        *first = (uint64_t)sqlite3_column_int64(stmt, 0);
        *records = (uint32_t)sqlite3_column_int64(stmt, 1);
        const void *data = sqlite3_column_blob(stmt, 2);
        size_t len = (size_t)sqlite3_column_bytes(stmt, 2);
        *found = true;
        if (len)
            buf_append(out, data, len);
        if (out->failed)
            st = sl_error_set(err, SL_NOMEM, "out of memory");
    } else if (rc != SQLITE_DONE) {
        st = db_fail(db, err, "cannot read the stream's log");
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return st;
}

sl_status db_log_reader_commit(struct sl_db *db, const char *stream, const char *query,
                               uint64_t next, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, DB_STMT_LOG_READER_PUT, stream, &stmt, err);
    if (st != SL_OK)
        return st;
    sqlite3_bind_text(stmt, 2, query, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, (int64_t)next);
    if ((st = db_step_done(db, stmt, "cannot record the log's reader", err)) != SL_OK)
        return st;
    if ((st = db_stmt_for_query(db, DB_STMT_LOG_TRIM, stream, &stmt, err)) != SL_OK)
        return st;
    return db_step_done(db, stmt, "cannot trim the stream's log", err);
}

sl_status db_log_reader_get(struct sl_db *db, const char *stream, const char *query,
                            uint64_t *next, bool *found, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, DB_STMT_LOG_READER_GET, stream, &stmt, err);
    if (st != SL_OK)
        return st;
    sqlite3_bind_text(stmt, 2, query, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    *found = rc == SQLITE_ROW;
    if (*found)
        *next = (uint64_t)sqlite3_column_int64(stmt, 0);
    else if (rc != SQLITE_DONE)
        st = db_fail(db, err, "cannot read the log's reader");
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return st;
}

sl_status db_log_reader_delete(struct sl_db *db, const char *query, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, DB_STMT_LOG_READER_DELETE, query, &stmt, err);
    return st == SL_OK ? db_step_done(db, stmt, "cannot forget the log's reader", err) : st;
}

sl_status db_log_delete(struct sl_db *db, const char *stream, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, DB_STMT_LOG_DELETE, stream, &stmt, err);
    if (st == SL_OK)
        st = db_step_done(db, stmt, "cannot delete the stream's log", err);
    if (st == SL_OK && (st = db_stmt_for_query(db, DB_STMT_LOG_READERS_DELETE, stream, &stmt,
                                               err)) == SL_OK)
        st = db_step_done(db, stmt, "cannot delete the stream's log", err);
    return st;
}
