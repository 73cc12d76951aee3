/*
 * sluice.h — the engine as a library: open a database, execute SQL
 * statements, drive the continuous queries. The CLI is a thin shell over
 * this header; another program can embed the engine the same way. The header
 * stands alone: it includes only the C library's, and libsluice exports only
 * the functions declared here.
 *
 * Threading: every function may be called from any thread; the engine
 * serialises them with one lock. sluice_run drives batches on the calling
 * thread; sluice_start drives them on a background thread (the REPL).
 *
 * Errors: a function that can fail returns sluice_status, and takes a
 * `char **errors` (which may be NULL). *errors is set to NULL, or to the
 * messages, rendered for a person (a compile error with its line and a caret)
 * and each ending in a newline, in a string the caller frees with sluice_free.
 */
#ifndef SLUICE_H
#define SLUICE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* libsluice is built with hidden visibility; only what carries this is exported. */
#if defined(__GNUC__)
#define SLUICE_API __attribute__((visibility("default")))
#else
#define SLUICE_API
#endif

typedef enum {
    SLUICE_OK = 0,
    SLUICE_ERROR = -1, /* see *errors */
} sluice_status;

enum sluice_log_level { SLUICE_LOG_DEBUG, SLUICE_LOG_INFO, SLUICE_LOG_WARN, SLUICE_LOG_ERROR };

struct sluice;
struct sluice_batch_progress;

struct sluice_options {
    const char *db_path;        /* default "sluice.db" */
    int64_t default_trigger_us; /* default 1 s */
    /* stdin carries the statements (the REPL): a query cannot read a STDIN stream. */
    bool stdin_is_input;
    /* Where the engine's log lines go, from log_level up; NULL drops them. */
    void (*log)(void *ctx, enum sluice_log_level level, const char *msg);
    void *log_ctx;
    enum sluice_log_level log_level;
    /* Opens an existing database read-only: statements that would write
     * (CREATE, DROP, a SELECT over a stream, ...) are refused, and
     * sluice_resume starts nothing. */
    bool readonly;
    /* Called after each committed batch of a saved query (not a live
     * SELECT), on the thread driving batches, with the engine's lock held:
     * it must not call sluice_* functions. NULL: no calls. */
    void (*progress)(void *ctx, const struct sluice_batch_progress *p);
    void *progress_ctx;
};

/* One committed batch of a query, as _sluice_progress records it. */
struct sluice_batch_progress {
    const char *query;
    int64_t batch_id;
    int64_t rows_in, rows_out;
    int64_t duration_us;
    bool has_watermark; /* event-time windows: watermark_us is the stream's watermark */
    int64_t watermark_us;
    int64_t late_rows, dead_letters;
    int64_t state_groups;
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

SLUICE_API sluice_status sluice_open(const struct sluice_options *opts, struct sluice **out,
                                     char **errors);
/* Stops the background thread (if any), commits open batches, closes the database. */
SLUICE_API void sluice_close(struct sluice *s);

/*
 * Parses, binds and executes every statement of sql (file names the text in
 * messages). Compile errors are rendered, with line and caret, into errors;
 * statements before an error still run. A live SELECT over a stream starts
 * printing through `out` after each batch until sluice_cancel_live.
 * Returns SLUICE_ERROR if any statement failed.
 */
SLUICE_API sluice_status sluice_exec(struct sluice *s, const char *file, const char *sql,
                                     const struct sluice_output *out, char **errors);

/*
 * Starts every query saved in the database that is not running, each with
 * the CREATE QUERY text that made it, so each resumes from its checkpoint.
 * *saved counts the saved queries. A query that cannot start is reported into
 * errors and the others still start; returns SLUICE_ERROR if any could not.
 */
SLUICE_API sluice_status sluice_resume(struct sluice *s, const struct sluice_output *out,
                                       uint32_t *saved, char **errors);

/* Parses and binds only (sluice check); streams declared are remembered for later statements. */
SLUICE_API sluice_status sluice_check(struct sluice *s, const char *file, const char *sql,
                                      char **errors);

/* Drives batches on this thread until every query's sources ended (and all is
 * committed), or sluice_stop. Returns SLUICE_ERROR if a query failed. */
SLUICE_API sluice_status sluice_run(struct sluice *s, char **errors);
/* Starts driving batches on a background thread. */
SLUICE_API sluice_status sluice_start(struct sluice *s, char **errors);
/* Asks sluice_run to finish the current batches and return (async-signal-safe). */
SLUICE_API void sluice_stop(struct sluice *s);
/* Stops and drops the live SELECTs started from the REPL. */
SLUICE_API void sluice_cancel_live(struct sluice *s);
/* True while at least one live SELECT is running. */
SLUICE_API bool sluice_has_live(struct sluice *s);
/* True when text ends with a complete statement (its last ';' outside strings
 * and comments is its last token), as sqlite3_complete. */
SLUICE_API bool sluice_statement_complete(const char *text);

/* Number of queries still running. */
SLUICE_API uint32_t sluice_running_queries(struct sluice *s);

/*
 * Writes the rows a NEXMARK stream with these options reads (kind "person",
 * "auction" or "bid"; events 0 = the connector's maximum; base time its
 * default) to out, as format "csv" (the connector's own fixed-width records)
 * or "json" (one object a line, the kind's field names as keys): the same
 * events for decoders to be measured on.
 */
SLUICE_API sluice_status sluice_nexmark_write(FILE *out, const char *kind, const char *format,
                                              int64_t events, int64_t rate, uint64_t seed,
                                              char **errors);

/*
 * Checks the syntax of sql's statements only, with no engine and no
 * database: `sluice run` refuses a script with a syntax error before it
 * creates the database file. Errors are rendered as sluice_exec's.
 */
SLUICE_API sluice_status sluice_parse(const char *file, const char *sql, char **errors);

/*
 * Stops printing the live SELECTs at once (async-signal-safe, for a Ctrl-C
 * handler): no batch of theirs starts printing after it returns. Call
 * sluice_cancel_live next, which drops them: until then the batch loop waits.
 */
SLUICE_API void sluice_interrupt_live(struct sluice *s);

/*
 * sluice_exec of a text taken from further down an input (a shell reading a
 * pipe statement by statement): messages number its first line first_line,
 * so they give the line in the whole input.
 */
SLUICE_API sluice_status sluice_exec_at(struct sluice *s, const char *file, uint32_t first_line,
                                        const char *sql, const struct sluice_output *out,
                                        char **errors);

/* The kinds of names sluice_names lists. */
enum sluice_name_kind {
    SLUICE_NAME_KEYWORD,
    SLUICE_NAME_FUNCTION, /* scalar and aggregate */
    SLUICE_NAME_STREAM,
    SLUICE_NAME_QUERY, /* saved, running or not */
    SLUICE_NAME_SINK,
    SLUICE_NAME_TABLE, /* the database's tables and views, result tables included */
    SLUICE_NAME_COLUMN,
};
typedef void (*sluice_name_fn)(void *ctx, enum sluice_name_kind kind, const char *name,
                               const char *detail);
/*
 * Calls fn for every name a statement can use (a shell's completion, its
 * .tables and .schema): keywords, functions, streams, saved queries, sinks,
 * the database's tables (not SQLite's own), and the columns of each stream
 * and table, listed right after it. detail is the statement that made a
 * stream, query or sink, a table's CREATE TABLE, or a column's stream or
 * table; NULL for keywords and functions. fn must not call into the engine.
 */
SLUICE_API sluice_status sluice_names(struct sluice *s, sluice_name_fn fn, void *ctx,
                                      char **errors);

/* Stops the one-shot SELECT SQLite is answering for sluice_exec, or the next
 * one the sluice_exec under way comes to: it fails with "interrupted" (a
 * SELECT over a recursive CTE can run for ever), and the text's later
 * statements are not run. Async-signal-safe: a shell calls it from its SIGINT
 * handler. sluice_stop stops such a SELECT too. */
SLUICE_API void sluice_interrupt(struct sluice *s);

/* Frees a message string the engine handed out through `errors`. */
SLUICE_API void sluice_free(char *text);

#endif
