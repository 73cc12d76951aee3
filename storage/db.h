/*
 * db.h — the SQLite database: opened in WAL mode with a busy timeout so
 * other processes (the sqlite3 shell) can read while Sluice writes, and the
 * system tables created. Storage is the only layer that speaks SQLite; it
 * knows nothing of SQL text the user wrote beyond storing it.
 *
 * The system tables (_sluice_streams, _sluice_queries, _sluice_progress, ...)
 * are listed, with their columns, in one place: storage/db_schema.c. Their
 * schema's version is PRAGMA user_version; db_open migrates an older
 * database and refuses one a newer sluice wrote.
 */
#ifndef SL_DB_H
#define SL_DB_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"
#include "common/value.h"

struct sl_db;
struct sl_log;
struct sl_arena;

/* log (may be NULL) takes the database's warnings; it must outlive the database. */
sl_status db_open(const char *path, const struct sl_log *log, struct sl_db **out,
                  struct sl_error *err);
/* An existing database, read-only (sluice --readonly): every write fails in SQLite. */
sl_status db_open_readonly(const char *path, const struct sl_log *log, struct sl_db **out,
                           struct sl_error *err);
void db_close(struct sl_db *db);

/*
 * The claim of a process that runs queries on the database (db_owner.c): at
 * most one process holds it; a second is refused with a message naming the
 * first (pid, host, since when). A claim its holder left by dying is taken
 * over, with a warning. Readers need none. ":memory:" is never claimed.
 * *out stays NULL then; db_owner_release lets go (NULL: nothing).
 */
struct db_owner;
sl_status db_owner_claim(const char *db_path, const struct sl_log *log, struct db_owner **out,
                         struct sl_error *err);
void db_owner_release(struct db_owner *o);
/* The file it was opened on: another connection (a stream's ingest thread) opens it too. */
const char *db_path(const struct sl_db *db);
/* PRAGMA synchronous: NORMAL (the default; in WAL mode a commit survives a
 * crash of the process, and the last ones may be lost on power loss) or FULL
 * (the WAL is synced at every commit: it survives power loss too). */
sl_status db_set_synchronous(struct sl_db *db, bool full, struct sl_error *err);

/*
 * One write transaction per batch (BEGIN IMMEDIATE ... COMMIT). Each waits
 * up to the busy timeout for a lock another connection holds, then returns
 * SL_AGAIN: db_begin has then done nothing, and after db_commit the
 * transaction is still open (commit again later, or roll back).
 */
sl_status db_begin(struct sl_db *db, struct sl_error *err);
sl_status db_commit(struct sl_db *db, struct sl_error *err);
void db_rollback(struct sl_db *db);
/* Whether the last failure was SQLITE_FULL (ask before rolling back). */
bool db_disk_full(struct sl_db *db);

/* Whether the last statement that failed since db_forget_failure was a write the disk
 * refused: full, or an I/O error (a file size limit gives one). */
bool db_write_refused(struct sl_db *db);
void db_forget_failure(struct sl_db *db);
/* Changes the busy timeout (5 s); for tests that hold a lock on purpose. */
void db_set_busy_timeout(struct sl_db *db, int ms);

/* The name of system table i, or NULL past the last one. */
const char *db_system_table(size_t i);

/* True when a table or view of that name exists (case-insensitive). */
bool db_table_exists(struct sl_db *db, const char *name);
/* True for a name SQLite itself answers a SELECT on: its own tables
 * (sqlite_master, ...) and its table-valued pragmas (pragma_table_info). */
bool db_name_is_sqlites(const char *name);

/*
 * Runs a read-only SQL statement on the engine's connection (a live
 * SELECT's table, read back): calls row_fn once with the column names
 * (is_header = true), then once per row with each value as text (NULL for
 * SQL NULL, a BLOB as its X'..' literal).
 */
typedef void (*db_row_fn)(void *ctx, bool is_header, int ncols, const char *const *values);
sl_status db_query_text(struct sl_db *db, const char *sql, db_row_fn row_fn, void *ctx,
                        struct sl_error *err);
/* The same for a statement the user typed (REPL "SELECT ... FROM a_table"),
 * on the connection with the engine's functions (db_create_function). When
 * SQLite refuses the text, *error_offset is the byte of sql its message is
 * about (sqlite3_error_offset), else -1. */
sl_status db_query_user(struct sl_db *db, const char *sql, db_row_fn row_fn, void *ctx,
                        int *error_offset, struct sl_error *err);
/* A one-shot SELECT must stop when the user asks (Ctrl-C, SIGTERM): SQLite
 * calls cancelled(ctx) every few thousand steps of db_query_user's
 * statements, which fail with "interrupted" once it returns nonzero. It is
 * called on the querying thread, so it may only read flags. */
void db_set_query_cancel(struct sl_db *db, int (*cancelled)(void *ctx), void *ctx);
/* True when db_query_user's statements have a connection of their own (a
 * second, read-only one to the file), so one may run on another thread than
 * the engine's writes, reading the snapshot its read transaction began on;
 * false for an in-memory database, whose one connection serves both. */
bool db_query_apart(struct sl_db *db);
/* What db_query_user would say of sql without running it (sluice check). */
sl_status db_query_check(struct sl_db *db, const char *sql, int *error_offset,
                         struct sl_error *err);

/*
 * A scalar function added to the database's connection, so a statement
 * SQLite runs can call it (the engine adds its own functions this way).
 * SQLite calls fn with each row's arguments as Sluice values (INTEGER, REAL,
 * TEXT, NULL; a BLOB's bytes as TEXT); fn sets *result (strings allocated in
 * arena, which is reset after each call), or returns SL_ERROR with err's
 * message, which fails the statement. The result is written as a result
 * table stores it: TIMESTAMP as ISO-8601 text, BOOLEAN as 0/1, ARRAY as JSON.
 * nargs -1: any number. The functions serve db_query_user's connection
 * (a second one to the file), where a name SQLite has built in is replaced;
 * the engine's own statements keep SQLite's. ctx must outlive the database.
 */
typedef sl_status (*db_scalar_fn)(void *ctx, int argc, const struct sl_value *argv,
                                  struct sl_arena *arena, struct sl_value *result,
                                  struct sl_error *err);
sl_status db_create_function(struct sl_db *db, const char *name, int nargs, bool deterministic,
                             db_scalar_fn fn, void *ctx, struct sl_error *err);
/*
 * An aggregate added the same way: for each row of a group SQLite calls step
 * with the row's arguments and the group's *state (NULL at its first row;
 * step sets it), then final once (also when the statement stops early, and
 * with *state NULL for a group of no rows: final may set it), which sets
 * *result (it may point into the state); once the result is copied,
 * free_state(ctx, *state) when *state is not NULL. Strings go in arena,
 * reset after each call.
 */
typedef sl_status (*db_agg_step_fn)(void *ctx, void **state, int argc,
                                    const struct sl_value *argv, struct sl_arena *arena,
                                    struct sl_error *err);
typedef sl_status (*db_agg_final_fn)(void *ctx, void **state, struct sl_arena *arena,
                                     struct sl_value *result, struct sl_error *err);
typedef void (*db_agg_free_fn)(void *ctx, void *state);
sl_status db_create_aggregate(struct sl_db *db, const char *name, int nargs, db_agg_step_fn step,
                              db_agg_final_fn final, db_agg_free_fn free_state, void *ctx,
                              struct sl_error *err);
/* Whether SQLite has a function of that name built in (pragma_function_list). */
bool db_has_function(struct sl_db *db, const char *name);

/* Appends name as a double-quoted SQL identifier ("" inside it doubled). */
struct sl_buf;
void db_quote_ident(struct sl_buf *b, const char *name);

/* The catalog: statements that define streams, queries and sinks, kept as SQL text. */
enum db_catalog_kind { DB_CATALOG_STREAM, DB_CATALOG_QUERY, DB_CATALOG_SINK };
sl_status db_catalog_put(struct sl_db *db, enum db_catalog_kind kind, const char *name,
                         const char *sql, struct sl_error *err);
sl_status db_catalog_delete(struct sl_db *db, enum db_catalog_kind kind, const char *name,
                            struct sl_error *err);
/* Calls fn for each saved definition of that kind, in creation order. */
typedef void (*db_catalog_fn)(void *ctx, const char *name, const char *sql);
sl_status db_catalog_list(struct sl_db *db, enum db_catalog_kind kind, db_catalog_fn fn,
                          void *ctx, struct sl_error *err);

/*
 * PAUSE QUERY / RESUME QUERY: a saved query's paused flag (_sluice_queries.paused),
 * kept when the query is saved again and cleared when it is deleted. *found is
 * false when no query of that name is saved; a name not saved is not paused.
 */
sl_status db_query_set_paused(struct sl_db *db, const char *name, bool paused, bool *found,
                              struct sl_error *err);
sl_status db_query_paused(struct sl_db *db, const char *name, bool *paused,
                          struct sl_error *err);

struct db_progress {
    const char *query;
    int64_t batch_id;
    int64_t rows_in;
    int64_t rows_out;
    int64_t started_us; /* wall clock; written as ISO-8601 text */
    int64_t duration_us;
    int64_t late_rows;
    bool has_watermark; /* event time: watermark_us is the stream's watermark */
    int64_t watermark_us;
    int64_t state_groups, state_bytes;
    int64_t offset;       /* the source offset the batch read up to (its checkpoint's) */
    int64_t dead_letters; /* records the batch sent to _sluice_dead_letters */
    int64_t state_us;     /* writing the operator state that changed */
    int64_t gap;          /* records the source lost before reading them (retention) */
};
sl_status db_progress_record(struct sl_db *db, const struct db_progress *p, struct sl_error *err);
/* How long a batch's COMMIT took, recorded by the next batch's transaction
 * (the row's own transaction cannot know it). */
sl_status db_progress_set_commit_time(struct sl_db *db, const char *query, int64_t batch_id,
                                      int64_t commit_us, struct sl_error *err);
/* For SHOW QUERIES: the dead letters of all the query's batches, and when its
 * last batch committed ("" if none). */
sl_status db_progress_summary(struct sl_db *db, const char *query, int64_t *dead_letters,
                              char committed[32], struct sl_error *err);
/* The highest batch id recorded for the query, or 0. */
int64_t db_progress_last_batch(struct sl_db *db, const char *query);

/*
 * A query's checkpoint: the last committed batch and where its source is
 * read up to (offset: the first byte of the first record not yet in a
 * committed batch; identity: what the source says tells its input apart,
 * NULL for a source that cannot replay; plan: the engine's fingerprint of the
 * plan that wrote it and its operator state). Put inside the batch's transaction.
 */
struct db_checkpoint {
    int64_t batch_id;
    char source[256];
    uint64_t offset;
    /* Owned by the caller, NULL or empty: none; db_checkpoint_get allocates it
     * (sl_free it). Unbounded: a FILE stream's names every file it reads. */
    char *identity;
    char plan[64]; /* empty: none (written by a version without state) */
    /* A record source's position per partition ("0:1200,1:1187"), owned and
     * allocated as identity. */
    char *position;
};
sl_status db_checkpoint_put(struct sl_db *db, const char *query, const struct db_checkpoint *c,
                            struct sl_error *err);
/* The query's checkpoint into out (*found false when it has none); a row that
 * is not a position (hand-edited, corrupt) is an error that says so. */
sl_status db_checkpoint_get(struct sl_db *db, const char *query, struct db_checkpoint *out,
                            bool *found, struct sl_error *err);
sl_status db_checkpoint_delete(struct sl_db *db, const char *query, struct sl_error *err);

/* A record a query set aside, in _sluice_dead_letters. */
struct db_dead_letter {
    const char *stream, *query, *source; /* source: where it came from ("kafka:t/2") */
    uint64_t offset;                      /* its place in the source */
    const char *record;                   /* its bytes (NULL: none kept) */
    size_t len;
    const char *reason;
    /* Each one kept (a sink's refused rows, which share their batch's offset;
     * a stream that does not replay); false: a record's letter is kept once
     * per stream, source and offset, however many queries decode it. */
    bool each_row;
};
sl_status db_dead_letter_record(struct sl_db *db, const struct db_dead_letter *dl,
                                struct sl_error *err);

#endif
