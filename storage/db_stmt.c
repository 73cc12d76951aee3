/*
 * db_stmt.c — the connection's cache of prepared statements for the system
 * tables, and the small helpers every storage file uses to run a statement
 * and report SQLite's error message.
 */
#include "storage/db_internal.h"

#include <string.h>

/* DB_STATE_LOG_ROWS (32) rows of the state log: ?1 the query, then each
 * row's seq, op, key, state, checksum (a bare ? numbers one past the largest so far). */
#define STATE_LOG_ROW "(?1, ?, ?, ?, ?, ?)"
#define STATE_LOG_ROWS_4 STATE_LOG_ROW ", " STATE_LOG_ROW ", " STATE_LOG_ROW ", " STATE_LOG_ROW
#define STATE_LOG_ROWS_16 \
    STATE_LOG_ROWS_4 ", " STATE_LOG_ROWS_4 ", " STATE_LOG_ROWS_4 ", " STATE_LOG_ROWS_4

static const char *const db_stmt_sql[DB_STMT_COUNT] = {
    [DB_STMT_BEGIN] = "BEGIN IMMEDIATE",
    [DB_STMT_COMMIT] = "COMMIT",
    [DB_STMT_ROLLBACK] = "ROLLBACK",
    [DB_STMT_TABLE_EXISTS] =
        "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?1 COLLATE NOCASE",
    [DB_STMT_STREAM_PUT] =
        "INSERT OR REPLACE INTO _sluice_streams(name, sql, created) VALUES (?1, ?2, ?3)",
    [DB_STMT_STREAM_DELETE] = "DELETE FROM _sluice_streams WHERE name = ?1",
    [DB_STMT_STREAM_LIST] = "SELECT name, sql FROM _sluice_streams ORDER BY rowid",
    [DB_STMT_QUERY_PUT] =
        /* an upsert, not a REPLACE: a query saved again (a restart) stays paused */
        "INSERT INTO _sluice_queries(name, sql, created) VALUES (?1, ?2, ?3)"
        " ON CONFLICT(name) DO UPDATE SET sql = excluded.sql, created = excluded.created",
    [DB_STMT_QUERY_DELETE] = "DELETE FROM _sluice_queries WHERE name = ?1",
    [DB_STMT_QUERY_LIST] = "SELECT name, sql FROM _sluice_queries ORDER BY rowid",
    [DB_STMT_PROGRESS_PUT] =
        ("INSERT OR REPLACE INTO _sluice_progress"
         "(query, batch_id, rows_in, rows_out, started, duration_ms, late_rows, watermark,"
         " state_groups, state_bytes, \"offset\", dead_letters, state_ms, gap)"
         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"),
    [DB_STMT_PROGRESS_SUMMARY] =
        ("SELECT (SELECT coalesce(sum(dead_letters), 0) FROM _sluice_progress WHERE query = ?1),"
         " (SELECT committed FROM _sluice_checkpoints WHERE query = ?1)"),
    [DB_STMT_PROGRESS_COMMIT_MS] =
        "UPDATE _sluice_progress SET commit_ms = ?3 WHERE query = ?1 AND batch_id = ?2",
    [DB_STMT_PROGRESS_LAST] =
        "SELECT coalesce(max(batch_id), 0) FROM _sluice_progress WHERE query = ?1",
    /* A record's letter once per stream, source and offset, whichever query
     * decoded it first (?8: a sink's rows, which share their batch's offset).
     * The record and reason must match too: a stream dropped and made again
     * over a file rewritten since has other records at the same offsets. */
    [DB_STMT_DEAD_LETTER_PUT] =
        ("INSERT INTO _sluice_dead_letters(stream, source, \"offset\", record, error, at, query)"
         " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE ?8 OR NOT EXISTS (SELECT 1 FROM"
         " _sluice_dead_letters WHERE stream IS ?1 AND source IS ?2 AND \"offset\" = ?3"
         " AND record IS ?4 AND error IS ?5)"),
    [DB_STMT_CHECKPOINT_PUT] =
        ("INSERT OR REPLACE INTO _sluice_checkpoints(query, batch_id, source, \"offset\","
         " identity, committed, plan, position, checksum)"
         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
    [DB_STMT_CHECKPOINT_GET] =
        ("SELECT batch_id, source, \"offset\", identity, plan, position, checksum"
         " FROM _sluice_checkpoints WHERE query = ?1"),
    [DB_STMT_CHECKPOINT_DELETE] = "DELETE FROM _sluice_checkpoints WHERE query = ?1",
    [DB_STMT_STATE_PUT] =
        ("INSERT INTO _sluice_state(query, op, key, state, checksum) VALUES (?1, ?2, ?3, ?4, ?5)"
         " ON CONFLICT(query, op, key) DO UPDATE SET state = excluded.state,"
         " checksum = excluded.checksum"),
    [DB_STMT_STATE_DELETE] = "DELETE FROM _sluice_state WHERE query = ?1",
    [DB_STMT_STATE_DELETE_RANGE] = "DELETE FROM _sluice_state WHERE query = ?1 AND op = ?2"
                                   " AND key >= ?3 AND key < ?4",
    /* The log's newest row of each key (SQLite takes a bare column from the
     * row that max() picked), beside the keyed table's rows. */
    [DB_STMT_STATE_LIST] =
        ("SELECT op, key, state, '_sluice_state', checksum FROM _sluice_state WHERE query = ?1"
         " UNION ALL SELECT op, key, state, '_sluice_state_log', checksum FROM"
         " (SELECT op, key, state, checksum, max(seq) FROM _sluice_state_log WHERE query = ?1"
         " GROUP BY op, key) ORDER BY 1, 2"),
    [DB_STMT_STATE_LOG_APPEND] =
        ("INSERT INTO _sluice_state_log(query, seq, op, key, state, checksum)"
         " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
    [DB_STMT_STATE_LOG_APPEND_MANY] = "INSERT INTO _sluice_state_log(query, seq, op, key, state,"
                                      " checksum) VALUES " STATE_LOG_ROWS_16 ", " STATE_LOG_ROWS_16,
    [DB_STMT_STATE_LOG_TRUNCATE] =
        "DELETE FROM _sluice_state_log WHERE query = ?1 AND seq < ?2 AND op = ?3",
    [DB_STMT_STATE_LOG_DELETE] = "DELETE FROM _sluice_state_log WHERE query = ?1",
    [DB_STMT_STATE_LOG_BOUNDS] =
        "SELECT count(*), coalesce(max(seq) + 1, 0) FROM _sluice_state_log WHERE query = ?1",
    [DB_STMT_LOG_APPEND] =
        "INSERT INTO _sluice_log(stream, first, records, data) VALUES (?1, ?2, ?3, ?4)",
    /* The readers' positions bound next after a trim emptied the log. */
    [DB_STMT_LOG_BOUNDS] =
        ("SELECT coalesce(min(first), 0), coalesce(max(first + records), 0),"
         " coalesce(sum(length(data)), 0),"
         " (SELECT coalesce(max(next), 0) FROM _sluice_log_readers WHERE stream = ?1)"
         " FROM _sluice_log WHERE stream = ?1"),
    /* Both ranges on the key (stream, first): a seek, not a scan of the log. */
    [DB_STMT_LOG_ROW] =
        ("SELECT first, records, data FROM _sluice_log WHERE stream = ?1 AND first >="
         " (SELECT coalesce(max(first), 0) FROM _sluice_log WHERE stream = ?1 AND first <= ?2)"
         " AND first + records > ?2 ORDER BY first LIMIT 1"),
    [DB_STMT_LOG_READER_PUT] =
        "INSERT OR REPLACE INTO _sluice_log_readers(stream, query, next) VALUES (?1, ?2, ?3)",
    [DB_STMT_LOG_READER_GET] =
        "SELECT next FROM _sluice_log_readers WHERE stream = ?1 AND query = ?2",
    [DB_STMT_LOG_TRIM] =
        ("DELETE FROM _sluice_log WHERE stream = ?1 AND first < (SELECT min(next) FROM"
         " _sluice_log_readers WHERE stream = ?1) AND first + records <="
         " (SELECT min(next) FROM _sluice_log_readers WHERE stream = ?1)"),
    [DB_STMT_LOG_READER_DELETE] = "DELETE FROM _sluice_log_readers WHERE query = ?1",
    [DB_STMT_LOG_DELETE] = "DELETE FROM _sluice_log WHERE stream = ?1",
    [DB_STMT_LOG_READERS_DELETE] = "DELETE FROM _sluice_log_readers WHERE stream = ?1",
    [DB_STMT_SINK_PUT] =
        "INSERT OR REPLACE INTO _sluice_sinks(name, sql, created) VALUES (?1, ?2, ?3)",
    [DB_STMT_SINK_DELETE] = "DELETE FROM _sluice_sinks WHERE name = ?1",
    [DB_STMT_SINK_LIST] = "SELECT name, sql FROM _sluice_sinks ORDER BY rowid",
    [DB_STMT_OUTBOX_APPEND] =
        ("INSERT INTO _sluice_outbox(sink, batch_id, part, rows, committed, data)"
         " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
    [DB_STMT_OUTBOX_NEXT] =
        ("SELECT batch_id, committed FROM _sluice_outbox WHERE sink = ?1"
         " ORDER BY batch_id, part LIMIT 1"),
    [DB_STMT_OUTBOX_PARTS] =
        "SELECT rows, data FROM _sluice_outbox WHERE sink = ?1 AND batch_id = ?2 ORDER BY part",
    [DB_STMT_OUTBOX_DONE] = "DELETE FROM _sluice_outbox WHERE sink = ?1 AND batch_id = ?2",
    [DB_STMT_OUTBOX_COUNT] =
        ("SELECT count(DISTINCT batch_id), coalesce(sum(rows), 0), coalesce(max(batch_id), 0)"
         " FROM _sluice_outbox WHERE sink = ?1"),
    [DB_STMT_OUTBOX_DELETE] = "DELETE FROM _sluice_outbox WHERE sink = ?1",
    [DB_STMT_SINK_PROGRESS_PUT] =
        ("INSERT INTO _sluice_sink_progress(sink, batch_id, rows, rejected, delivered, state)"
         " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(sink) DO UPDATE SET"
         " batch_id = excluded.batch_id, rows = rows + excluded.rows,"
         " rejected = rejected + excluded.rejected, delivered = excluded.delivered,"
         " state = coalesce(excluded.state, state)"),
    [DB_STMT_SINK_PROGRESS_GET] =
        "SELECT batch_id, rows, rejected, state FROM _sluice_sink_progress WHERE sink = ?1",
    [DB_STMT_SINK_PROGRESS_RESET] =
        "UPDATE _sluice_sink_progress SET rows = 0, rejected = 0, state = NULL WHERE sink = ?1",
};

sl_status db_stmt(struct sl_db *db, enum db_stmt_id id, sqlite3_stmt **out, struct sl_error *err)
{
    *out = NULL;
    if (!db->stmts[id]) {
        int rc = sqlite3_prepare_v3(db->conn, db_stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                    &db->stmts[id], NULL);
        if (rc != SQLITE_OK)
            return db_fail(db, err, "cannot prepare a system statement");
    }
    *out = db->stmts[id];
    return SL_OK;
}

sl_status db_stmt_for_query(struct sl_db *db, enum db_stmt_id id, const char *query,
                            sqlite3_stmt **out, struct sl_error *err)
{
    sl_status st = db_stmt(db, id, out, err);
    if (st == SL_OK)
        sqlite3_bind_text(*out, 1, query, -1, SQLITE_STATIC);
    return st;
}

sl_status db_query_ints(struct sl_db *db, enum db_stmt_id id, const char *query, int64_t *out,
                        int n, const char *what, struct sl_error *err)
{
    sqlite3_stmt *stmt;
    sl_status st = db_stmt_for_query(db, id, query, &stmt, err);
    if (st != SL_OK)
        return st;
    if (sqlite3_step(stmt) == SQLITE_ROW)
        for (int i = 0; i < n; i++)
            out[i] = sqlite3_column_int64(stmt, i);
    else
        st = db_fail(db, err, what);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return st;
}

void db_stmt_finalize_all(struct sl_db *db)
{
    for (int i = 0; i < DB_STMT_COUNT; i++) {
        sqlite3_finalize(db->stmts[i]);
        db->stmts[i] = NULL;
    }
}

sl_status db_fail(struct sl_db *db, struct sl_error *err, const char *what)
{
    int code = sqlite3_errcode(db->conn) & 0xff;
    db->failed_code = code;
    if (code == SQLITE_NOMEM)
        return sl_error_set(err, SL_NOMEM, "%s: out of memory", what);
    /* "disk I/O error" alone does not say what to fix: the system's reason does
     * (No space left on device, File too large, Permission denied). */
    int sys = sqlite3_system_errno(db->conn);
    if (sys && (code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN ||
                code == SQLITE_READONLY))
        return sl_error_set(err, SL_ERROR, "%s: %s (%s)", what, sqlite3_errmsg(db->conn),
                            strerror(sys));
    /* A failed write often comes without its errno (SQLite reads it too late). */
    if (sqlite3_extended_errcode(db->conn) == SQLITE_IOERR_WRITE)
        return sl_error_set(err, SL_ERROR,
                            "%s: %s writing the database (is the disk full, or the file past "
                            "its size limit?)",
                            what, sqlite3_errmsg(db->conn));
    return sl_error_set(err, SL_ERROR, "%s: %s", what, sqlite3_errmsg(db->conn));
}

sl_status db_exec(struct sl_db *db, const char *sql, const char *what, struct sl_error *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db->conn, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        return SL_OK;
    db->failed_code = rc & 0xff;
    sl_status st = rc == SQLITE_NOMEM
                       ? sl_error_set(err, SL_NOMEM, "%s: out of memory", what)
                       : sl_error_set(err, SL_ERROR, "%s: %s", what,
                                      msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return st;
}

sl_status db_step_done(struct sl_db *db, sqlite3_stmt *stmt, const char *what,
                       struct sl_error *err)
{
    int rc = sqlite3_step(stmt);
    sl_status st = rc == SQLITE_DONE || rc == SQLITE_ROW ? SL_OK : db_fail(db, err, what);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return st;
}

void db_quote_ident(struct sl_buf *b, const char *name)
{
    buf_putc(b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            buf_putc(b, '"');
        buf_putc(b, *p);
    }
    buf_putc(b, '"');
}
