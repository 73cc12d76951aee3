/*
 * db_internal.h — what the storage files share and nobody else sees: the
 * sqlite3 handle, a cache of prepared statements for the system tables, and
 * helpers that turn SQLite failures into sl_errors.
 */
#ifndef SL_DB_INTERNAL_H
#define SL_DB_INTERNAL_H

#include <sqlite3.h>

#include "common/buf.h"
#include "storage/db.h"

/* Milliseconds a writer or reader waits for a lock before SQLITE_BUSY. */
#define DB_BUSY_TIMEOUT_MS 5000

/* The statements prepared once per connection and reused (see db_stmt.c). */
enum db_stmt_id {
    DB_STMT_BEGIN,
    DB_STMT_COMMIT,
    DB_STMT_ROLLBACK,
    DB_STMT_TABLE_EXISTS,
    DB_STMT_STREAM_PUT,
    DB_STMT_STREAM_DELETE,
    DB_STMT_STREAM_LIST,
    DB_STMT_QUERY_PUT,
    DB_STMT_QUERY_DELETE,
    DB_STMT_QUERY_LIST,
    DB_STMT_PROGRESS_PUT,
    DB_STMT_PROGRESS_LAST,
    DB_STMT_PROGRESS_COMMIT_MS,
    DB_STMT_PROGRESS_SUMMARY,
    DB_STMT_DEAD_LETTER_PUT,
    DB_STMT_CHECKPOINT_PUT,
    DB_STMT_CHECKPOINT_GET,
    DB_STMT_CHECKPOINT_DELETE,
    DB_STMT_STATE_PUT,
    DB_STMT_STATE_DELETE,
    DB_STMT_STATE_DELETE_RANGE,
    DB_STMT_STATE_LIST,
    DB_STMT_STATE_LOG_APPEND,
    DB_STMT_STATE_LOG_APPEND_MANY,
    DB_STMT_STATE_LOG_TRUNCATE,
    DB_STMT_STATE_LOG_DELETE,
    DB_STMT_STATE_LOG_BOUNDS,
    DB_STMT_LOG_APPEND,
    DB_STMT_LOG_BOUNDS,
    DB_STMT_LOG_ROW,
    DB_STMT_LOG_READER_PUT,
    DB_STMT_LOG_READER_GET,
    DB_STMT_LOG_TRIM,
    DB_STMT_LOG_READER_DELETE,
    DB_STMT_LOG_DELETE,
    DB_STMT_LOG_READERS_DELETE,
    DB_STMT_SINK_PUT,
    DB_STMT_SINK_DELETE,
    DB_STMT_SINK_LIST,
    DB_STMT_OUTBOX_APPEND,
    DB_STMT_OUTBOX_NEXT,
    DB_STMT_OUTBOX_PARTS,
    DB_STMT_OUTBOX_DONE,
    DB_STMT_OUTBOX_COUNT,
    DB_STMT_OUTBOX_DELETE,
    DB_STMT_SINK_PROGRESS_PUT,
    DB_STMT_SINK_PROGRESS_GET,
    DB_STMT_SINK_PROGRESS_RESET,
    DB_STMT_COUNT
};

struct db_wal;

struct sl_db {
    sqlite3 *conn;
    char *path;
    sqlite3_stmt *stmts[DB_STMT_COUNT];
    int busy_timeout_ms; /* 0: DB_BUSY_TIMEOUT_MS */
    const struct sl_log *log;
    struct db_wal *wal; /* checkpoints on a helper thread (db_wal.c); NULL: SQLite's own */
    /* The connection the user's SELECTs run on, with the engine's functions
     * (db_functions.c): they replace some of SQLite's built-ins, which the
     * engine's own statements on conn must keep. NULL: none added, conn serves. */
    sqlite3 *query_conn;
    /* The primary result code of the last statement that failed (db_fail, db_exec, a
     * result table's write; 0: none since db_forget_failure). sqlite3_errcode cannot
     * say: a call that succeeds leaves it undefined. */
    int failed_code;
};

/* Sets *out to the cached statement, prepared on first use. */
sl_status db_stmt(struct sl_db *db, enum db_stmt_id id, sqlite3_stmt **out, struct sl_error *err);
/* The same, with the query's name bound to ?1: most system statements are per query. */
sl_status db_stmt_for_query(struct sl_db *db, enum db_stmt_id id, const char *query,
                            sqlite3_stmt **out, struct sl_error *err);
/* Runs statement id for the query, which returns one row of n integers, into out. */
sl_status db_query_ints(struct sl_db *db, enum db_stmt_id id, const char *query, int64_t *out,
                        int n, const char *what, struct sl_error *err);
/* Finalizes every cached statement (before closing the connection). */
void db_stmt_finalize_all(struct sl_db *db);

/* Moves the connection's WAL checkpoints to a helper thread (db_wal.c). */
sl_status db_wal_start(struct sl_db *db, struct sl_error *err);
/* Waits for the helper's round (before a write transaction, so that it starts
 * the WAL over instead of growing it). */
void db_wal_before_write(struct sl_db *db);
/* Ends the helper after the round it was asked for (before closing the connection). */
void db_wal_stop(struct sl_db *db);
/* For tests: the WAL length that asks for a checkpoint, and the one past
 * which the writer checkpoints itself (defaults 1000 and 65536 frames). */
void db_wal_set_frames(struct sl_db *db, int checkpoint_frames, int max_frames);
/* Checkpoint rounds the helper has ended. */
uint64_t db_wal_rounds(struct sl_db *db);

/* Creates the system tables in a fresh database, migrates an older one to
 * the current schema version, refuses a newer one (db_schema.c). */
sl_status db_schema_migrate(struct sl_db *db, const char *what, struct sl_error *err);
/* A read-only open: refuses a schema that is not exactly this sluice's (it cannot be migrated). */
sl_status db_schema_check(struct sl_db *db, const char *what, struct sl_error *err);

/* Fills err with "<what>: <SQLite's message>" and returns SL_ERROR (SL_NOMEM for SQLITE_NOMEM). */
sl_status db_fail(struct sl_db *db, struct sl_error *err, const char *what);
/* Runs SQL that returns no rows (DDL, pragmas). */
sl_status db_exec(struct sl_db *db, const char *sql, const char *what, struct sl_error *err);
/* Steps a statement that returns no rows, then resets it and clears its bindings. */
sl_status db_step_done(struct sl_db *db, sqlite3_stmt *stmt, const char *what,
                       struct sl_error *err);


/* The checksums kept beside state rows and checkpoints (row_checksum.c). */
int64_t db_state_checksum(uint32_t op, const void *key, size_t key_len, const void *state,
                          size_t state_len);
int64_t db_checkpoint_checksum(const struct db_checkpoint *c);

/* The connection for the user's statements: query_conn, else conn. */
sqlite3 *db_query_conn(struct sl_db *db);

/* A value as JSON text, as a result table stores an ARRAY (value_bind.c): booleans
 * as 1/0, timestamps as ISO-8601 strings. */
void db_value_json(struct sl_buf *b, struct sl_value v);
/* A value bound as parameter idx the way result tables store it (value_bind.c):
 * text static (it must outlive the statement's step), a timestamp as its
 * text, an ARRAY as JSON made in scratch. */
int db_bind_value(sqlite3_stmt *stmt, int idx, struct sl_value v, struct sl_buf *scratch);

#endif
