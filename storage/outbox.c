/* outbox.c — sinks' outbox and delivery progress in SQLite (outbox.h). */
#include "storage/outbox.h"

#include <string.h>

#include "common/time.h"
#include "storage/db_internal.h"

sl_status db_outbox_append(struct sl_db *db, const char *sink, int64_t batch_id, uint32_t part,
                           uint32_t rows, int64_t committed_us, const void *data, size_t len,
                           struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, DB_STMT_OUTBOX_APPEND, sink, &stmt, err);
    if (st != SL_OK)
        return st;
    char committed[32];
    sl_ts_format(committed_us, committed);
    sqlite3_bind_int64(stmt, 2, batch_id);
    sqlite3_bind_int64(stmt, 3, part);
    sqlite3_bind_int64(stmt, 4, rows);
    sqlite3_bind_text(stmt, 5, committed, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob64(stmt, 6, len ? data : "", len, SQLITE_STATIC);
    return db_step_done(db, stmt, "cannot write a sink's outbox", err);
}

static void put_u32(struct sl_buf *out, uint32_t v)
{
    buf_append(out, (const char *)&v, sizeof v);
}

sl_status db_outbox_next(struct sl_db *db, const char *sink, int64_t *batch_id,
                         int64_t *committed_us, struct sl_buf *data, bool *found,
                         struct sl_error *err)
{
    sqlite3_stmt *stmt;
    buf_clear(data);
    *found = false;
    sl_status st = db_stmt_for_query(db, DB_STMT_OUTBOX_NEXT, sink, &stmt, err);
    if (st != SL_OK)
        return st;
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        *found = true;
        *batch_id = sqlite3_column_int64(stmt, 0);
        const char *committed = (const char *)sqlite3_column_text(stmt, 1);
        if (!committed || !sl_ts_parse(committed, strlen(committed), committed_us))
            *committed_us = 0;
    } else if (rc != SQLITE_DONE) {
        st = db_fail(db, err, "cannot read a sink's outbox");
    }
    sqlite3_reset(stmt);
    if (st != SL_OK || !*found)
        return st;
    if ((st = db_stmt_for_query(db, DB_STMT_OUTBOX_PARTS, sink, &stmt, err)) != SL_OK)
        return st;
    sqlite3_bind_int64(stmt, 2, *batch_id);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        uint32_t len = (uint32_t)sqlite3_column_bytes(stmt, 1);
        put_u32(data, (uint32_t)sqlite3_column_int64(stmt, 0));
        put_u32(data, len);
        if (len)
            buf_append(data, sqlite3_column_blob(stmt, 1), len);
    }
    if (rc != SQLITE_DONE)
        st = db_fail(db, err, "cannot read a sink's outbox");
    else if (data->failed)
        st = sl_error_set(err, SL_NOMEM, "out of memory reading a sink's outbox");
    sqlite3_reset(stmt);
    return st;
}

sl_status db_outbox_delivered(struct sl_db *db, const char *sink, int64_t batch_id,
                              uint64_t rows, uint64_t rejected, const void *state,
                              size_t state_len, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, DB_STMT_OUTBOX_DONE, sink, &stmt, err);
    if (st != SL_OK)
        return st;
    sqlite3_bind_int64(stmt, 2, batch_id);
    if ((st = db_step_done(db, stmt, "cannot update a sink's outbox", err)) != SL_OK ||
        (st = db_stmt_for_query(db, DB_STMT_SINK_PROGRESS_PUT, sink, &stmt, err)) != SL_OK)
        return st;
    char delivered[32];
    sl_ts_format(sl_clock_now_us(), delivered);
    sqlite3_bind_int64(stmt, 2, batch_id);
    sqlite3_bind_int64(stmt, 3, (int64_t)rows);
    sqlite3_bind_int64(stmt, 4, (int64_t)rejected);
    sqlite3_bind_text(stmt, 5, delivered, -1, SQLITE_TRANSIENT);
    if (state)
        sqlite3_bind_blob64(stmt, 6, state_len ? state : "", state_len, SQLITE_STATIC);
    else
        sqlite3_bind_null(stmt, 6);
    return db_step_done(db, stmt, "cannot record a sink's progress", err);
}

sl_status db_outbox_count(struct sl_db *db, const char *sink, uint64_t *batches, uint64_t *rows,
                          struct sl_error *err)
{
    int64_t v[2] = {0, 0};
    sl_status st = db_query_ints(db, DB_STMT_OUTBOX_COUNT, sink, v, 2,
                                 "cannot read a sink's outbox", err);
    *batches = (uint64_t)v[0];
    *rows = (uint64_t)v[1];
    return st;
}

sl_status db_sink_progress_get(struct sl_db *db, const char *sink, struct db_sink_progress *out,
                               struct sl_buf *state, bool *found, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    memset(out, 0, sizeof *out);
    buf_clear(state);
    *found = false;
    sl_status st = db_stmt_for_query(db, DB_STMT_SINK_PROGRESS_GET, sink, &stmt, err);
    if (st != SL_OK)
        return st;
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        *found = true;
        out->batch_id = sqlite3_column_int64(stmt, 0);
        out->rows = (uint64_t)sqlite3_column_int64(stmt, 1);
        out->rejected = (uint64_t)sqlite3_column_int64(stmt, 2);
        size_t len = (size_t)sqlite3_column_bytes(stmt, 3);
        if (len)
            buf_append(state, sqlite3_column_blob(stmt, 3), len);
        if (state->failed)
            st = sl_error_set(err, SL_NOMEM, "out of memory");
    } else if (rc != SQLITE_DONE) {
        st = db_fail(db, err, "cannot read a sink's progress");
    }
    sqlite3_reset(stmt);
    return st;
}

sl_status db_outbox_delete(struct sl_db *db, const char *sink, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, DB_STMT_OUTBOX_DELETE, sink, &stmt, err);
    if (st == SL_OK)
        st = db_step_done(db, stmt, "cannot delete a sink's outbox", err);
    if (st == SL_OK)
        st = db_stmt_for_query(db, DB_STMT_SINK_PROGRESS_RESET, sink, &stmt, err);
    return st == SL_OK ? db_step_done(db, stmt, "cannot reset a sink's progress", err) : st;
}
