/*
 * engine.h — the engine's private state behind sluice.h: the catalog, the
 * running queries and the lock that serialises the REPL thread and the
 * batch loop (but for a one-shot SELECT's run on its own connection). Statement execution (exec*.c), the registry of queries
 * (exec_registry.c), the batch loop (exec_loop.c) and live printing
 * (exec_live.c) share it.
 */
#ifndef SL_ENGINE_H
#define SL_ENGINE_H

#include <pthread.h>
#include <signal.h>

#include "common/buf.h"
#include "common/log.h"
#include "engine/functions/clock.h"
#include "engine/plan/catalog.h"
#include "engine/runtime/query.h"
#include "engine/sluice.h"

/* SET sink_drain_timeout when a session does not say: 10 s. */
#define SL_DEFAULT_SINK_DRAIN_US (10 * INT64_C(1000000))

struct sl_live {
    struct sluice_output out;
    int64_t last_rowid; /* append-only live queries print only new rows */
    uint64_t late_rows, dead_letters; /* since it started, for its header line */
};

struct sluice {
    struct sluice_options opts;
    struct sl_db *db; /* NULL in check-only mode */
    struct db_owner *owner; /* the database's claim (NULL: read-only, or none) */
    struct fn_call *sqlite_fns; /* the functions added to db's query connection (sqlite_bridge.h) */
    struct sl_catalog catalog;
    struct sl_query_env env;
    /* This engine's own processing time and log sink: another engine in the
     * process has its own (env points its queries at these). */
    struct sl_clock clock;
    struct sl_log log;

    uint32_t nqueries;
    uint32_t qcap;
    struct sl_query **queries;
    struct sl_live **live; /* parallel to queries; NULL for a named query */
    uint32_t live_seq;
    /* sluice_interrupt_live: live SELECTs print no further batch (set from a signal handler). */
    volatile sig_atomic_t live_interrupted;

    /* The sinks running (exec_sink.c); each delivers on its own thread. */
    struct sl_sink_runner **sinks;
    uint32_t nsinks, sinks_cap;
    int64_t sink_drain_timeout_us; /* SET sink_drain_timeout: how long a stop waits for delivery */
    int64_t memory_limit; /* SET memory_limit: bytes of operator state, all queries (exec_memory.c) */

    pthread_mutex_t lock;
    /* The query connection's: a one-shot SELECT runs holding it and not lock,
     * so batches go on meanwhile (exec_script.c); ATTACH and DETACH, which
     * change that connection too, take it inside lock. Never taken the other
     * way round: a SELECT lets it go before it takes lock again. */
    pthread_mutex_t select_lock;
    pthread_cond_t wake; /* signalled when a query starts or the engine closes */
    pthread_t thread;
    bool thread_started;
    bool closing;
    volatile sig_atomic_t stop_requested;
    /* sluice_interrupt: the one-shot SELECTs SQLite answers stop (cleared as sluice_exec starts). */
    volatile sig_atomic_t select_interrupted;
    struct sl_buf failures; /* "query x failed: ..." lines not yet reported */

    /* Saved queries that could not start here, with why (exec_start_failures.c). */
    struct start_failure *start_failures;
    uint32_t nstart_failures;
};

/*
 * sluice.h's fallible functions with the engine's own types: sl_status, and
 * messages appended to an sl_buf (sluice_api.c turns them into the public ones).
 */
sl_status engine_open(const struct sluice_options *opts, struct sluice **out, struct sl_error *err);
sl_status engine_exec(struct sluice *s, const char *file, const char *sql,
                      const struct sluice_output *out, struct sl_buf *errors);
/* engine_exec of a text whose first line is line first_line of file. */
sl_status engine_exec_at(struct sluice *s, const char *file, uint32_t first_line, const char *sql,
                         const struct sluice_output *out, struct sl_buf *errors);
sl_status engine_check(struct sluice *s, const char *file, const char *sql, struct sl_buf *errors);
/* Syntax only, no engine (exec_parse.c). */
sl_status engine_parse(const char *file, const char *sql, struct sl_buf *errors);
sl_status engine_resume(struct sluice *s, const struct sluice_output *out, struct sl_buf *errors,
                        uint32_t *saved);
sl_status engine_run(struct sluice *s, struct sl_buf *errors);
sl_status engine_start(struct sluice *s, struct sl_error *err);
/* sluice_nexmark_write (exec_nexmark.c). */
sl_status engine_nexmark_write(FILE *out, const char *kind, const char *format, int64_t events,
                               int64_t rate, uint64_t seed, struct sl_error *err);
/* The engine's sl_log sink (ctx: the struct sluice) that calls opts.log. */
void engine_log_to_embedder(enum sl_log_level level, const char *msg, void *ctx);

/* Adds a started query; live may be NULL. Takes ownership of both. */
sl_status engine_add_query(struct sluice *s, struct sl_query *q, struct sl_live *live);
/* Finishes the query's batch, destroys it and forgets it; drop_table for live queries. */
void engine_remove_query(struct sluice *s, uint32_t index);
/* Index of the query with that name (case-insensitive), or -1. */
int engine_find_query(const struct sluice *s, const char *name);
/* Sinks (exec_sink.c): attaching a starting query's (running, or saved ones started
 * for it); stopping all (a graceful stop waits up to sink_drain_timeout for what the
 * outboxes hold). */
void engine_attach_sinks(struct sluice *s, struct sl_query *q);
/* Waits until every sink delivered what its outbox holds, or a stop is asked for. */
void engine_wait_sinks(struct sluice *s);
void engine_stop_sinks(struct sluice *s);

/* Saved queries that failed to start (exec_start_failures.c): the error, or NULL;
 * forgetting one (it started, or was dropped); freeing them all. */
const char *engine_start_failure(const struct sluice *s, const char *name);
void engine_start_forget(struct sluice *s, const char *name);
void engine_start_failures_free(struct sluice *s);
/* A running query that failed and was removed keeps its error here too, for SHOW QUERIES. */
void engine_note_failure(struct sluice *s, const char *name, const char *error);

/* The memory budget (exec_memory.c): the default limit (half of physical
 * memory); bytes as "1.5 GB"; the input a step may read under the limit (0:
 * no cap); and, past the limit, the query holding the most state failed and
 * removed: its index, or -1 when all is within it. */
int64_t engine_default_memory_limit(void);
void engine_memory_text(int64_t bytes, char out[32]);
size_t engine_step_cap(const struct sluice *s);
int engine_enforce_memory(struct sluice *s);

/* The check SQLite's one-shot SELECTs poll (db_set_query_cancel; ctx: the engine). */
int engine_select_cancelled(void *ctx);
/* Prints a live SELECT's new rows (or whole table, for an aggregation) after a batch. */
void engine_print_live(struct sluice *s, struct sl_query *q, struct sl_live *live);
/* Hands q's last committed batch, if not yet reported, to the progress callback (exec_progress.c). */
void engine_report_progress(struct sluice *s, struct sl_query *q);

#endif
