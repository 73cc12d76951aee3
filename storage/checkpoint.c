/* checkpoint.c — a query's committed position: last batch, source offset and identity, or a record source's per-partition position. */
#include "storage/db_internal.h"

#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/time.h"

sl_status db_checkpoint_put(struct sl_db *db, const char *query, const struct db_checkpoint *c,
                            struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt(db, DB_STMT_CHECKPOINT_PUT, &stmt, err);
    if (st != SL_OK)
        return st;
    char now[32];
    sl_ts_format(sl_clock_now_us(), now);
    sqlite3_bind_text(stmt, 1, query, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, c->batch_id);
    sqlite3_bind_text(stmt, 3, c->source, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 4, (sqlite3_int64)c->offset);
    if (c->identity && c->identity[0])
        sqlite3_bind_text(stmt, 5, c->identity, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(stmt, 5);
    sqlite3_bind_text(stmt, 6, now, -1, SQLITE_STATIC);
    if (c->plan[0])
        sqlite3_bind_text(stmt, 7, c->plan, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(stmt, 7);
    if (c->position && c->position[0])
        sqlite3_bind_text(stmt, 8, c->position, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(stmt, 8);
    sqlite3_bind_int64(stmt, 9, db_checkpoint_checksum(c));
    return db_step_done(db, stmt, "cannot record a checkpoint", err);
}

sl_status db_checkpoint_get(struct sl_db *db, const char *query, struct db_checkpoint *out,
                            bool *found, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    *found = false;
    out->position = NULL;
    out->identity = NULL;
    sl_status st = db_stmt(db, DB_STMT_CHECKPOINT_GET, &stmt, err);
    if (st != SL_OK)
        return st;
    sqlite3_bind_text(stmt, 1, query, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        const char *source = (const char *)sqlite3_column_text(stmt, 1);
        const char *identity = (const char *)sqlite3_column_text(stmt, 3);
        const char *plan = (const char *)sqlite3_column_text(stmt, 4);
        sqlite3_int64 offset = sqlite3_column_int64(stmt, 2);
        out->batch_id = sqlite3_column_int64(stmt, 0);
        snprintf(out->source, sizeof out->source, "%s", source ? source : "");
        snprintf(out->plan, sizeof out->plan, "%s", plan ? plan : "");
        out->offset = offset > 0 ? (uint64_t)offset : 0;
        const char *position = (const char *)sqlite3_column_text(stmt, 5);
        bool copied = (!position || (out->position = sl_strdup(position))) &&
                      (!identity || (out->identity = sl_strdup(identity)));
        *found = true;
        /* A hand-edited row is not trusted: it must be a position. */
        bool valid = offset >= 0 && out->batch_id >= 0 &&
                     sqlite3_column_type(stmt, 2) == SQLITE_INTEGER &&
                     sqlite3_column_type(stmt, 0) == SQLITE_INTEGER;
        /* NULL: written before checkpoints had a checksum (schema version 5). */
        bool intact = sqlite3_column_type(stmt, 6) == SQLITE_NULL ||
                      sqlite3_column_int64(stmt, 6) == db_checkpoint_checksum(out);
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
        if (!copied)
            return sl_error_set(err, SL_NOMEM, "out of memory");
        if (!valid)
            return sl_error_set(err, SL_ERROR,
                                "the checkpoint of query %s is not valid (batch %lld, offset %lld)",
                                query, (long long)out->batch_id, (long long)offset);
        if (!intact)
            return sl_error_set(err, SL_ERROR,
                                "the checkpoint of query %s is corrupted: it does not match its "
                                "checksum (the database was changed outside Sluice, or the disk "
                                "is failing)",
                                query);
        return SL_OK;
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (rc != SQLITE_DONE)
        return db_fail(db, err, "cannot read a checkpoint");
    return SL_OK;
}

sl_status db_checkpoint_delete(struct sl_db *db, const char *query, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt(db, DB_STMT_CHECKPOINT_DELETE, &stmt, err);
    if (st != SL_OK)
        return st;
    sqlite3_bind_text(stmt, 1, query, -1, SQLITE_STATIC);
    return db_step_done(db, stmt, "cannot delete a checkpoint", err);
}
