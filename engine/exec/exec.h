/*
 * exec.h — what the statement executors share (exec.c: CREATE, DROP and
 * SELECT, and the dispatch of one statement; exec_show.c: SHOW and DESCRIBE;
 * exec_explain.c: EXPLAIN; exec_set.c: SET; exec_script.c runs a script
 * through them): the statement's context and the answer-as-a-table helper.
 */
#ifndef SL_EXEC_H
#define SL_EXEC_H

#include "common/diag.h"
#include "engine/exec/engine.h"
#include "parser/ast.h"
#include "parser/parser.h"

struct exec_ctx {
    struct sluice *s;
    const struct sluice_output *out;
    struct sl_diags *diags;
    bool check_only; /* after an error, or `sluice check`: bind but do not run */
};

/* One row of an answer table (header or data) through out->row; NULL values are SQL NULL. */
void exec_answer_row(const struct exec_ctx *x, bool is_header, int ncols,
                     const char *const *values);
/* Ends an answer table (out->table_end, no title). */
void exec_answer_end(const struct exec_ctx *x);

/* A stream's source and format as CREATE STREAM writes them: FILE 'x', CSV (header = true, ...). */
void exec_source_text(const struct sl_stream_def *def, struct sl_buf *out);
void exec_format_text(const struct sl_stream_def *def, struct sl_buf *out);
/* A catalogued query (not a live SELECT) by name, or NULL. */
const struct sl_query *exec_find_named_query(const struct sluice *s, const char *name);

/* Executes one parsed statement (exec_script.c runs a script's statements through it). */
sl_status exec_stmt(struct exec_ctx *x, const struct ast_stmt *stmt);
/* True (and the error added) when the database is read-only and stmt would write. */
bool exec_refused_readonly(struct exec_ctx *x, const struct ast_stmt *stmt);
sl_status exec_show(struct exec_ctx *x, const struct ast_stmt *stmt);
sl_status exec_describe(struct exec_ctx *x, const struct ast_stmt *stmt);
/* After a CREATE QUERY or CREATE STREAM AS returned st: when it was a saved query's own
 * text that failed to start, remembers the first error since errors_before for SHOW
 * QUERIES (exec_start_failures.c). Returns st. */
sl_status exec_note_start(struct exec_ctx *x, const struct ast_stmt *stmt,
                          uint32_t errors_before, sl_status st);
/* A query's (and its table's) name that is not Sluice's or SQLite's own
 * (_sluice_progress, sqlite_master, ...): an error with a hint otherwise (exec.c). */
sl_status exec_check_table_name(struct exec_ctx *x, const struct ast_name *name);
/*
 * SHOW QUERIES' status of the query name: RUNNING, FINISHED (its bounded input
 * ended, as in `sluice run`) and FAILED (*error says why) for q, the engine's
 * query of that name; for a saved one it does not run (q NULL), PAUSED (PAUSE
 * QUERY), FAILED (it could not start here: *error) or STOPPED (saved, not
 * started) (exec_show.c).
 */
const char *exec_query_status(const struct sluice *s, const char *name, const struct sl_query *q,
                              const char **error);
/* DESCRIBE EXTENDED of a query, running or saved (exec_describe_extended.c). */
sl_status exec_describe_extended(struct exec_ctx *x, const struct ast_name *name);
/* DESCRIBE of a running query: its columns, their types and keys (exec_show.c). */
void exec_describe_columns(const struct exec_ctx *x, const struct sl_plan *p);
/* The catalog's describe_table (catalog.h) over the database ctx (a struct sl_db *):
 * the table for a lookup join (exec_join_tables.c). */
sl_status exec_describe_join_table(void *ctx, const char *schema, const char *table,
                                   struct sl_arena *arena, struct sl_table_def *out, bool *found,
                                   struct sl_error *err);

/* ATTACH / DETACH (exec_attach.c). */
sl_status exec_attach(struct exec_ctx *x, const struct ast_stmt *stmt);

/* SHOW TABLES; DESCRIBE of a table (*found false: there is none of that name) (exec_tables.c). */
void exec_show_tables(const struct exec_ctx *x);
sl_status exec_describe_table(struct exec_ctx *x, const struct ast_name *name, bool *found);
/* DROP STREAM [CASCADE] and DROP QUERY (exec_drop.c). */
sl_status exec_drop(struct exec_ctx *x, const struct ast_stmt *stmt);
sl_status exec_explain(struct exec_ctx *x, const struct ast_stmt *stmt);
sl_status exec_set(struct exec_ctx *x, const struct ast_stmt *stmt);
/* Binds sel and starts it as a live query whose batches go through live's
 * output (a SELECT over a stream, PRINT). live is the caller's allocation,
 * owned from here: freed when the query does not start, or when the
 * statement is only checked. *query (if query is not NULL) is the query
 * started (exec.c). */
sl_status exec_start_live(struct exec_ctx *x, const struct ast_select *sel, struct sl_live *live,
                          struct sl_query **query);
/* Starts a bound query; name is the query's (and its table's) name (exec.c). */
sl_status exec_start_query(struct exec_ctx *x, const struct ast_select *sel, const char *name,
                           const char *sql, struct sl_arena *plan_arena, struct sl_plan *plan,
                           int64_t trigger_us, bool restart, struct sl_live *live);
/* CREATE QUERY's WITH (...) into the bound plan (NULL: it did not bind; the
 * options are still checked). */
sl_status exec_apply_query_options(struct exec_ctx *x, const struct ast_create_query *cq,
                                   struct sl_plan *plan);
/* Deletes a saved query's catalog row, checkpoint, state and its place in a stream's log, and
 * with drop_table its table (and late_table if not NULL), in one transaction. */
sl_status exec_forget_query(struct sl_db *db, const char *name, bool drop_table,
                            const char *late_table, struct sl_error *err);
/* The saved definition of name in the catalog's kind into *sql (NULL: none; the
 * caller frees it); no database: none (exec.c). */
sl_status exec_saved_sql(struct sluice *s, enum db_catalog_kind kind, const char *name,
                         char **sql, struct sl_error *err);
/* A SELECT SQLite answers whatever the catalog holds: over nothing (unless a
 * subquery names a stream) or over SQLite's own tables (exec_script.c). */
bool exec_outline_is_sqlites(const struct sl_stmt_outline *o);
/* CREATE STREAM name AS SELECT (exec_stream_as.c). */
sl_status exec_create_stream_as(struct exec_ctx *x, const struct ast_stmt *stmt);

/* CREATE SINK, DROP SINK, DESCRIBE SINK and SHOW SINKS (exec_sink.c). */
sl_status exec_create_sink(struct exec_ctx *x, const struct ast_stmt *stmt);
sl_status exec_drop_sink(struct exec_ctx *x, const struct ast_stmt *stmt);
sl_status exec_describe_sink(struct exec_ctx *x, const struct ast_stmt *stmt);
void exec_show_sinks(const struct exec_ctx *x);
/* A running sink that reads query, by name (plan not NULL: only one whose columns
 * plan's rows would not fit); NULL when there is none. */
const char *exec_sink_reading(struct sluice *s, const char *query, const struct sl_plan *plan);

/* PAUSE QUERY, RESUME QUERY (exec_lifecycle.c) and PRINT stream (exec_print.c). */
sl_status exec_pause_query(struct exec_ctx *x, const struct ast_stmt *stmt);
sl_status exec_resume_query(struct exec_ctx *x, const struct ast_stmt *stmt);
sl_status exec_print(struct exec_ctx *x, const struct ast_stmt *stmt);
/* In `sluice check` only: opens and closes the query's source if that is harmless (FILE),
 * reporting at its FROM what `run` would report when it cannot open (exec_check_source.c). */
sl_status exec_check_source(struct exec_ctx *x, const struct ast_select *sel,
                            const struct sl_plan *plan);
/* Whether the saved query of that name is paused (false without a database or such a query):
 * SHOW QUERIES says PAUSED for it. */
sl_status exec_query_paused(struct sluice *s, const char *name, bool *paused,
                            struct sl_error *err);
/* Before a saved query starts again (CREATE QUERY of a saved name, resuming at open): a
 * paused one does not start (*skip, with a notice), and its definition cannot change
 * (changed: an error). */
sl_status exec_paused_start(struct exec_ctx *x, const struct ast_name *name, bool changed,
                            bool *skip);

#endif
