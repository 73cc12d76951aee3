/* state.c — operator state rows in _sluice_state (see state.h). */
#include "storage/state.h"

#include "storage/db_internal.h"

sl_status db_state_put(struct sl_db *db, const char *query, uint32_t op, const void *key,
                       size_t key_len, const void *state, size_t state_len,
                       struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, DB_STMT_STATE_PUT, query, &stmt, err);
    if (st != SL_OK)
        return st;
    sqlite3_bind_int64(stmt, 2, op);
    /* A NULL pointer would bind SQL NULL: an empty key (no GROUP BY) is the empty blob. */
    sqlite3_bind_blob64(stmt, 3, key_len ? key : "", key_len, SQLITE_STATIC);
    sqlite3_bind_blob64(stmt, 4, state_len ? state : "", state_len, SQLITE_STATIC);
    return db_step_done(db, stmt, "cannot write operator state", err);
}

sl_status db_state_delete_range(struct sl_db *db, const char *query, uint32_t op, const void *lo,
                                size_t lo_len, const void *hi, size_t hi_len,
                                struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, DB_STMT_STATE_DELETE_RANGE, query, &stmt, err);
    if (st != SL_OK)
        return st;
    sqlite3_bind_int64(stmt, 2, op);
    sqlite3_bind_blob64(stmt, 3, lo_len ? lo : "", lo_len, SQLITE_STATIC);
    sqlite3_bind_blob64(stmt, 4, hi_len ? hi : "", hi_len, SQLITE_STATIC);
    return db_step_done(db, stmt, "cannot delete operator state", err);
}

sl_status db_state_delete(struct sl_db *db, const char *query, struct sl_error *err)
{
    static const enum db_stmt_id deletes[] = {DB_STMT_STATE_DELETE, DB_STMT_STATE_LOG_DELETE};
    for (size_t i = 0; i < sizeof deletes / sizeof *deletes; i++) {
        sqlite3_stmt *stmt;
        sl_status st = db_stmt_for_query(db, deletes[i], query, &stmt, err);
        if (st != SL_OK)
            return st;
        if ((st = db_step_done(db, stmt, "cannot delete operator state", err)) != SL_OK)
            return st;
    }
    return SL_OK;
}

sl_status db_state_log_append(struct sl_db *db, const char *query, uint64_t seq, uint32_t op,
                              const void *key, size_t key_len, const void *state,
                              size_t state_len, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, DB_STMT_STATE_LOG_APPEND, query, &stmt, err);
    if (st != SL_OK)
        return st;
    sqlite3_bind_int64(stmt, 2, (int64_t)seq);
    sqlite3_bind_int64(stmt, 3, op);
    sqlite3_bind_blob64(stmt, 4, key_len ? key : "", key_len, SQLITE_STATIC);
    sqlite3_bind_blob64(stmt, 5, state_len ? state : "", state_len, SQLITE_STATIC);
    return db_step_done(db, stmt, "cannot write operator state", err);
}

sl_status db_state_log_truncate(struct sl_db *db, const char *query, uint32_t op, uint64_t seq,
                                struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, DB_STMT_STATE_LOG_TRUNCATE, query, &stmt, err);
    if (st != SL_OK)
        return st;
    sqlite3_bind_int64(stmt, 2, (int64_t)seq);
    sqlite3_bind_int64(stmt, 3, op);
    return db_step_done(db, stmt, "cannot compact operator state", err);
}

sl_status db_state_log_bounds(struct sl_db *db, const char *query, uint64_t *rows,
                              uint64_t *next_seq, struct sl_error *err)
{
    int64_t bounds[2] = {0, 0};
    sl_status st = db_query_ints(db, DB_STMT_STATE_LOG_BOUNDS, query, bounds, 2,
                                 "cannot read operator state", err);
    *rows = (uint64_t)bounds[0];
    *next_seq = (uint64_t)bounds[1];
    return st;
}

sl_status db_state_each(struct sl_db *db, const char *query, db_state_fn fn, void *ctx,
                        struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, DB_STMT_STATE_LIST, query, &stmt, err);
    if (st != SL_OK)
        return st;
    int rc = SQLITE_DONE;
    while (st == SL_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        /* The pointer first, then its length: sqlite3_column_bytes after the conversion. */
        const unsigned char *key = sqlite3_column_blob(stmt, 1);
        size_t key_len = (size_t)sqlite3_column_bytes(stmt, 1);
        const unsigned char *state = sqlite3_column_blob(stmt, 2);
        size_t state_len = (size_t)sqlite3_column_bytes(stmt, 2);
        st = fn(ctx, (const char *)sqlite3_column_text(stmt, 3), sqlite3_column_int64(stmt, 0),
                key, key_len, state, state_len, err);
    }
    if (st == SL_OK && rc != SQLITE_DONE)
        st = db_fail(db, err, "cannot read operator state");
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return st;
}
