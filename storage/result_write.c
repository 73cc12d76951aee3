/*
 * result_write.c — the hot path: applying a chunk of changelog rows to a
 * result table with the table's prepared statements (bind, step, reset; no
 * allocation but for JSON text; values bound straight from the chunk's
 * vectors). Writes are idempotent per key, so replaying
 * a batch after a crash leaves the same table.
 */
#include "storage/result_table_internal.h"

#include <stdio.h>

/* Steps and resets stmt after its binds returned rc. */
static int rt_step(struct sl_result_table *t, sqlite3_stmt *stmt, int rc)
{
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(stmt);
        /* The extended code tells a key conflict apart from other constraints. */
        if (rc != SQLITE_DONE)
            rc = sqlite3_extended_errcode(t->db->conn);
    }
    /* No clear_bindings: every run binds each parameter the statement has. */
    sqlite3_reset(stmt);
    return rc;
}

/* Binds the row's key columns, or all columns, then steps and resets stmt. */
static int rt_run(struct sl_result_table *t, sqlite3_stmt *stmt, const struct sl_chunk *chunk,
                  uint32_t row, bool keys_only)
{
    uint32_t n = keys_only ? t->nkeys : t->ncols;
    int rc = SQLITE_OK;
    for (uint32_t j = 0; j < n && rc == SQLITE_OK; j++) {
        uint32_t col = keys_only ? t->key_cols[j] : j;
        rc = rt_bind_cell(t, stmt, 0, col, &chunk->cols[col], row);
    }
    return rt_step(t, stmt, rc);
}

/* Inserts (upserts, keyed) the insert_rows active rows from the k-th on with one step. */
static int rt_insert_many(struct sl_result_table *t, const struct sl_chunk *chunk, uint32_t k)
{
    int rc = SQLITE_OK;
    for (uint32_t slot = 0; slot < t->insert_rows && rc == SQLITE_OK; slot++) {
        uint32_t row = chunk_row(chunk, k + slot);
        for (uint32_t col = 0; col < t->ncols && rc == SQLITE_OK; col++)
            rc = rt_bind_cell(t, t->insert_many, slot, col, &chunk->cols[col], row);
    }
    return rt_step(t, t->insert_many, rc);
}

/* Update the key's row, or insert it when it is not there (a key written before a restart). */
static int rt_upsert(struct sl_result_table *t, const struct sl_chunk *chunk, uint32_t row)
{
    int rc = rt_run(t, t->update, chunk, row, false);
    if (rc == SQLITE_DONE && sqlite3_changes(t->db->conn) == 0)
        rc = rt_run(t, t->insert, chunk, row, false);
    return rc;
}

/* True when a key column of the row is NULL: the primary key will not catch a duplicate. */
static bool rt_null_key(const struct sl_result_table *t, const struct sl_chunk *chunk,
                        uint32_t row)
{
    for (uint32_t k = 0; k < t->nkeys; k++) {
        if (chunk->cols[t->key_cols[k]].nulls[row])
            return true;
    }
    return false;
}

static int rt_write_keyed(struct sl_result_table *t, const struct sl_chunk *chunk, uint32_t row,
                          uint64_t *written)
{
    enum sl_row_kind kind = chunk->row_kinds ? chunk->row_kinds[row] : SL_ROW_INSERT;
    int rc;
    switch (kind) {
    case SL_ROW_DELETE:
        rc = rt_run(t, t->remove, chunk, row, true);
        if (rc == SQLITE_DONE)
            *written += (uint64_t)sqlite3_changes(t->db->conn);
        return rc;
    case SL_ROW_UPDATE:
        rc = rt_upsert(t, chunk, row);
        break;
    case SL_ROW_INSERT:
    default:
        if (rt_null_key(t, chunk, row))
            rc = rt_upsert(t, chunk, row);
        else if ((rc = rt_run(t, t->insert, chunk, row, false)) ==
                     SQLITE_CONSTRAINT_PRIMARYKEY ||
                 rc == SQLITE_CONSTRAINT_UNIQUE)
            rc = rt_run(t, t->update, chunk, row, false);
        break;
    }
    if (rc == SQLITE_DONE)
        (*written)++;
    return rc;
}

/* How many active rows from the k-th on (up to insert_rows) a keyed table
 * can upsert together: neither a DELETE nor a NULL key, which the key's
 * uniqueness would not catch. */
static uint32_t rt_upsertable(const struct sl_result_table *t, const struct sl_chunk *chunk,
                              uint32_t k, uint32_t active)
{
    uint32_t n = 0;
    for (; n < t->insert_rows && k + n < active; n++) {
        uint32_t row = chunk_row(chunk, k + n);
        if ((chunk->row_kinds && chunk->row_kinds[row] == SL_ROW_DELETE) ||
            rt_null_key(t, chunk, row))
            break;
    }
    return n;
}

/* A keyed table's rows in order: whole groups of upsertable rows with one
 * statement, each other row (and what is left of a group) by its kind. */
static int rt_write_keyed_rows(struct sl_result_table *t, const struct sl_chunk *chunk,
                               uint32_t active, uint64_t *written)
{
    int rc = SQLITE_DONE;
    for (uint32_t k = 0; k < active && rc == SQLITE_DONE;) {
        uint32_t n = t->insert_many ? rt_upsertable(t, chunk, k, active) : 0;
        if (t->insert_many && n == t->insert_rows) {
            if ((rc = rt_insert_many(t, chunk, k)) == SQLITE_DONE)
                *written += n;
            k += n;
            continue;
        }
        /* The rows before the one that ends the group, then that one. */
        for (uint32_t end = k + n + 1; k < end && k < active && rc == SQLITE_DONE; k++)
            rc = rt_write_keyed(t, chunk, chunk_row(chunk, k), written);
    }
    return rc;
}

sl_status result_table_write(struct sl_result_table *t, const struct sl_chunk *chunk,
                             uint64_t *written, struct sl_error *err)
{
    uint64_t n = 0;
    uint32_t active = chunk_active(chunk);
    int rc = SQLITE_DONE;
    uint32_t k = 0;
    if (t->nkeys) {
        rc = rt_write_keyed_rows(t, chunk, active, &n);
        k = active;
    }
    /* Append-only: whole groups of rows at once, the rest one by one below. */
    for (; t->insert_many && !t->one_row && k + t->insert_rows <= active && rc == SQLITE_DONE;
         k += t->insert_rows)
        if ((rc = rt_insert_many(t, chunk, k)) == SQLITE_DONE)
            n += t->insert_rows;
    for (; k < active && rc == SQLITE_DONE; k++) {
        uint32_t row = chunk_row(chunk, k);
        if ((!t->one_row ||
                    (rc = rt_run(t, t->clear, chunk, row, true)) == SQLITE_DONE) &&
                   (rc = rt_run(t, t->insert, chunk, row, false)) == SQLITE_DONE)
            n++;
    }
    if (written)
        *written = n;
    if (rc == SQLITE_DONE)
        return SL_OK;
    t->db->failed_code = rc & 0xff;
    if ((rc & 0xff) == SQLITE_NOMEM)
        return sl_error_set(err, SL_NOMEM, "cannot write to result table '%s': out of memory",
                            t->name);
    /* A failed step leaves its message on the connection; a failed bind may not. */
    const char *msg = sqlite3_errcode(t->db->conn) == (rc & 0xff) ? sqlite3_errmsg(t->db->conn)
                                                                   : sqlite3_errstr(rc);
    return sl_error_set(err, SL_ERROR, "cannot write to result table '%s': %s", t->name, msg);
}
