/* state.c — operator state rows in _sluice_state (see state.h). */
#include "storage/state.h"

#include "storage/db_internal.h"

/* A NULL pointer would bind SQL NULL: empty bytes (an empty key, without
 * GROUP BY) are the empty blob. */
static void bind_bytes(sqlite3_stmt *stmt, int idx, const void *p, size_t len)
{
    sqlite3_bind_blob64(stmt, idx, len ? p : "", len, SQLITE_STATIC);
}

sl_status db_state_put(struct sl_db *db, const char *query, uint32_t op, const void *key,
                       size_t key_len, const void *state, size_t state_len,
                       struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, DB_STMT_STATE_PUT, query, &stmt, err);
    if (st != SL_OK)
        return st;
    sqlite3_bind_int64(stmt, 2, op);
    bind_bytes(stmt, 3, key, key_len);
    bind_bytes(stmt, 4, state, state_len);
    sqlite3_bind_int64(stmt, 5, db_state_checksum(op, key, key_len, state, state_len));
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
    bind_bytes(stmt, 3, lo, lo_len);
    bind_bytes(stmt, 4, hi, hi_len);
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

/* Binds row as the k-th of stmt's rows (?1 is the query; five parameters a row after it). */
static void bind_log_row(sqlite3_stmt *stmt, int k, uint64_t seq, uint32_t op,
                         const struct db_state_row *row)
{
    int first = 2 + 5 * k;
    sqlite3_bind_int64(stmt, first, (int64_t)seq);
    sqlite3_bind_int64(stmt, first + 1, op);
    bind_bytes(stmt, first + 2, row->key, row->key_len);
    bind_bytes(stmt, first + 3, row->state, row->state_len);
    sqlite3_bind_int64(stmt, first + 4,
                       db_state_checksum(op, row->key, row->key_len, row->state, row->state_len));
}

/* Appends whole groups of DB_STATE_LOG_ROWS with one statement step each
 * (the log's B-tree cursor stays open between them), the rest one by one. */
sl_status db_state_log_append(struct sl_db *db, const char *query, uint64_t seq, uint32_t op,
                              const struct db_state_row *rows, size_t n, struct sl_error *err)
{
    sl_status st = SL_OK;
    size_t i = 0;
    while (st == SL_OK && i < n) {
        size_t group = n - i >= DB_STATE_LOG_ROWS ? DB_STATE_LOG_ROWS : 1;
        sqlite3_stmt *stmt;
        st = db_stmt_for_query(db, group > 1 ? DB_STMT_STATE_LOG_APPEND_MANY
                                             : DB_STMT_STATE_LOG_APPEND,
                               query, &stmt, err);
        if (st != SL_OK)
            return st;
        for (size_t k = 0; k < group; k++, i++)
            bind_log_row(stmt, (int)k, seq + i, op, &rows[i]);
        st = db_step_done(db, stmt, "cannot write operator state", err);
    }
    return st;
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

/* A row whose checksum (column 4; NULL: written before checksums) does not
 * match its bytes: refused, since it would decode into wrong values as often
 * as into an error. */
static sl_status check_row(sqlite3_stmt *stmt, const char *query, int64_t op,
                           const unsigned char *key, size_t key_len, const unsigned char *state,
                           size_t state_len, struct sl_error *err)
{
    if (sqlite3_column_type(stmt, 4) == SQLITE_NULL ||
        sqlite3_column_int64(stmt, 4) ==
            db_state_checksum((uint32_t)op, key, key_len, state, state_len))
        return SL_OK;
    return sl_error_set(err, SL_ERROR,
                        "the saved state of query %s is corrupted: a row of operator %lld in %s "
                        "does not match its checksum (the database was changed outside Sluice, "
                        "or the disk is failing)",
                        query, (long long)op, (const char *)sqlite3_column_text(stmt, 3));
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
        int64_t op = sqlite3_column_int64(stmt, 0);
        st = check_row(stmt, query, op, key, key_len, state, state_len, err);
        if (st == SL_OK)
            st = fn(ctx, (const char *)sqlite3_column_text(stmt, 3), op, key, key_len, state,
                    state_len, err);
    }
    if (st == SL_OK && rc != SQLITE_DONE)
        st = db_fail(db, err, "cannot read operator state");
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return st;
}
