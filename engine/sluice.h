/*
 * sluice.h — the engine as a library: open a database, execute SQL
 * statements, drive the continuous queries. The CLI is a thin shell over
 * this header; another program can embed the engine the same way.
 *
 * Threading: every function may be called from any thread; the engine
 * serialises them with one lock. sluice_run drives batches on the calling
 * thread; sluice_start drives them on a background thread (the REPL).
 */
#ifndef SLUICE_H
#define SLUICE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/status.h"

struct sluice;

struct sluice_options {
    const char *db_path;        /* default "sluice.db" */
    int64_t default_trigger_us; /* default 1 s */
    /* stdin carries the statements (the REPL): a query cannot read a STDIN stream. */
    bool stdin_is_input;
};

/* What statements produce, delivered as they run. All callbacks may be NULL. */
struct sluice_output {
    /* A table of text values: once with is_header (column names), then per row. */
    void (*row)(void *ctx, bool is_header, int ncols, const char *const *values);
    /* End of one table (a SQLite answer, or one printed batch of a live query). */
    void (*table_end)(void *ctx, const char *title);
    /* A notice such as "query word_counts started". */
    void (*notice)(void *ctx, const char *text);
    void *ctx;
};

sl_status sluice_open(const struct sluice_options *opts, struct sluice **out, struct sl_error *err);
/* Stops the background thread (if any), commits open batches, closes the database. */
void sluice_close(struct sluice *s);

/*
 * Parses, binds and executes every statement of sql (file names the text in
 * messages). Compile errors are rendered, with line and caret, into errors;
 * statements before an error still run. A live SELECT over a stream starts
 * printing through `out` after each batch until sluice_cancel_live.
 * Returns SL_OK, or SL_ERROR if any statement failed.
 */
sl_status sluice_exec(struct sluice *s, const char *file, const char *sql,
                      const struct sluice_output *out, struct sl_buf *errors);

/*
 * Starts every query saved in the database that is not running, each with
 * the CREATE QUERY text that made it, so each resumes from its checkpoint.
 * *saved counts the saved queries. A query that cannot start is reported into
 * errors and the others still start; returns SL_ERROR if any could not.
 */
sl_status sluice_resume(struct sluice *s, const struct sluice_output *out, struct sl_buf *errors,
                        uint32_t *saved);

/* Parses and binds only (sluice check); streams declared are remembered for later statements. */
sl_status sluice_check(struct sluice *s, const char *file, const char *sql, struct sl_buf *errors);

/* Drives batches on this thread until every query's sources ended (and all is
 * committed), or sluice_stop. Returns SL_ERROR if a query failed. */
sl_status sluice_run(struct sluice *s, struct sl_buf *errors);
/* Starts driving batches on a background thread. */
sl_status sluice_start(struct sluice *s, struct sl_error *err);
/* Asks sluice_run to finish the current batches and return (async-signal-safe). */
void sluice_stop(struct sluice *s);
/* Stops and drops the live SELECTs started from the REPL. */
void sluice_cancel_live(struct sluice *s);
/* True while at least one live SELECT is running. */
bool sluice_has_live(struct sluice *s);
/* True when text holds a complete statement (a ';' outside strings and comments). */
bool sluice_statement_complete(const char *text);

/* Number of queries still running. */
uint32_t sluice_running_queries(struct sluice *s);

#endif
