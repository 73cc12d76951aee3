/* journal.c — a query's journaled input in _sluice_journal (see journal.h). */
#include "storage/journal.h"

#include "storage/db_internal.h"

sl_status db_journal_append(struct sl_db *db, const char *query, uint64_t start,
                            const void *data, size_t len, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, DB_STMT_JOURNAL_APPEND, query, &stmt, err);
    if (st != SL_OK)
        return st;
    sqlite3_bind_int64(stmt, 2, (int64_t)start);
    sqlite3_bind_blob64(stmt, 3, len ? data : "", len, SQLITE_STATIC);
    return db_step_done(db, stmt, "cannot write the journal", err);
}

sl_status db_journal_bounds(struct sl_db *db, const char *query, uint64_t *first, uint64_t *end,
                            struct sl_error *err)
{
    int64_t bounds[2] = {0, 0};
    sl_status st = db_query_ints(db, DB_STMT_JOURNAL_BOUNDS, query, bounds, 2,
                                 "cannot read the journal", err);
    *first = (uint64_t)bounds[0];
    *end = (uint64_t)bounds[1];
    return st;
}

sl_status db_journal_row(struct sl_db *db, const char *query, uint64_t pos, uint64_t *start,
                         struct sl_buf *out, bool *found, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, DB_STMT_JOURNAL_ROW, query, &stmt, err);
    if (st != SL_OK)
        return st;
    sqlite3_bind_int64(stmt, 2, (int64_t)pos);
    buf_clear(out);
    *found = false;
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        *start = (uint64_t)sqlite3_column_int64(stmt, 0);
        const void *data = sqlite3_column_blob(stmt, 1);
        size_t len = (size_t)sqlite3_column_bytes(stmt, 1);
        *found = pos < *start + len;
        if (*found && len)
            buf_append(out, data, len);
        if (out->failed)
            st = sl_error_set(err, SL_NOMEM, "out of memory");
    } else if (rc != SQLITE_DONE) {
        st = db_fail(db, err, "cannot read the journal");
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return st;
}

/* Runs one of the journal's changes: (query[, offset]). */
static sl_status journal_change(struct sl_db *db, enum db_stmt_id id, const char *query,
                                uint64_t offset, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, id, query, &stmt, err);
    if (st != SL_OK)
        return st;
    if (id != DB_STMT_JOURNAL_DELETE)
        sqlite3_bind_int64(stmt, 2, (int64_t)offset);
    return db_step_done(db, stmt, "cannot change the journal", err);
}

sl_status db_journal_trim(struct sl_db *db, const char *query, uint64_t upto,
                          struct sl_error *err)
{
    return journal_change(db, DB_STMT_JOURNAL_TRIM, query, upto, err);
}

sl_status db_journal_cut(struct sl_db *db, const char *query, uint64_t at, struct sl_error *err)
{
    sl_status st = journal_change(db, DB_STMT_JOURNAL_CUT_ROWS, query, at, err);
    return st == SL_OK ? journal_change(db, DB_STMT_JOURNAL_CUT_ROW, query, at, err) : st;
}

sl_status db_journal_delete(struct sl_db *db, const char *query, struct sl_error *err)
{
    return journal_change(db, DB_STMT_JOURNAL_DELETE, query, 0, err);
}
