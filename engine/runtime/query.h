/*
 * query.h — one running continuous query: its plan, its operator pipeline,
 * its input (a replayable source of its own, or its push stream's log,
 * engine/runtime/log_reader.h) and decoder, its result table and the batch
 * in progress.
 *
 * A batch runs as repeated query_step calls: each reads what the source has
 * (waiting at most the given time), decodes it into chunks and pushes them
 * through the pipeline. When the trigger interval has passed, or the source
 * has ended, query_step ends the batch: write the groups the batch changed
 * (query_state.h), flush the pipeline, record the progress row and the
 * checkpoint, commit — one transaction per batch. Queries share the
 * connection, so nothing is written before the batch ends: the sink keeps
 * the rows, and the query its dead letters, until then.
 */
#ifndef SL_QUERY_H
#define SL_QUERY_H

#include "engine/plan/planner.h"
#include "engine/runtime/query_sinks.h"
#include "storage/db.h"
#include "storage/result_table.h"

enum sl_query_status { SL_QUERY_RUNNING, SL_QUERY_FINISHED, SL_QUERY_FAILED };

/* What a committed batch did (a live SELECT's header line shows it). */
struct sl_batch_summary {
    uint64_t rows_in, rows_out;
    int64_t duration_us;
    bool has_watermark;
    int64_t watermark_us;
    uint64_t late_rows, dead_letters;
};

struct sl_query {
    char *name;
    char *table_name;
    char *sql; /* the CREATE QUERY statement, for SHOW QUERIES; NULL for a live SELECT */
    struct sl_db *db; /* not owned */
    const struct sl_clock *clock; /* the engine's (env's), not owned */
    const struct sl_log *log;     /* the engine's (env's), not owned */
    bool live; /* a REPL SELECT: results in a scratch table, printed each batch */
    int64_t resumed_at; /* the source offset it resumed at; -1: it started from the beginning */
    /* It resumed its state over stdin read directly (no log): what stdin
     * sent while the query was stopped is lost. */
    bool resumed_lossy;
    uint64_t restored_groups; /* groups of operator state it resumed with */
    char fingerprint[32]; /* of its state's layout, kept with its checkpoint (query_state.h) */
    /* Writes what its stateful operators' flushes change (query_state.h);
     * NULL when it keeps no state. */
    struct sl_state_writer *state;
    enum sl_query_status status;
    char error[512];

    struct sl_arena *plan_arena;
    struct sl_plan *plan;
    struct sl_pipeline pipeline;
    struct sl_op *sink;
    struct sl_result_table *table;
    /* WITH (late = 'table'): the late rows' table <name>_late and its sink; NULL otherwise. */
    char *late_name;
    struct sl_result_table *late_table;
    struct sl_op *late_sink;
    struct sl_source *source;
    /* A push stream's ingest, whose log the source reads (NULL: the source is the stream's own). */
    struct sl_ingest *ingest;
    struct sl_ingests *ingests;
    struct sl_decoder *decoder;
    /* Decoding on the exchange's threads (query_split.h); NULL: one thread. */
    struct query_split *split;
    struct sl_chunk *input; /* decoded rows, in the work arena */
    /* A record source's (KAFKA) records of the step, and the one being decoded
     * (for its dead letters' partition and offset); see query_records.c. */
    struct sl_record *records;
    const struct sl_record *current_record;
    /* A record source's records before this run: its offset counts from here. */
    uint64_t records_base;
    uint64_t records_read, record_bytes_read; /* this run's: their average size */
    int64_t trigger_us;
    /* Input a step reads at most (0: no cap beyond the read buffer's): set
     * by the memory budget (engine/exec/exec_memory.c), whose check comes
     * after each step, so that a step's growth stays small against the limit. */
    size_t step_cap_bytes;

    /* the batch in progress */
    int64_t batch_id;
    bool in_batch;
    bool had_input; /* rows (or the end of the input) arrived in this batch */
    int64_t batch_started_us;
    int64_t batch_deadline_us; /* monotonic */
    bool commit_waiting; /* another connection held the write lock: the batch waits, kept */
    uint64_t rows_in;
    uint64_t batch_bytes; /* read in this batch */
    uint64_t dead_letters;
    uint64_t batch_gap; /* records the source lost to retention before reading them */
    uint64_t committed_offset;    /* the input offset of its last committed batch's checkpoint */
    /* The last COMMIT's duration, recorded in its progress row by the next batch. */
    int64_t last_commit_us;
    bool commit_us_pending;
    /* The progress row of the last committed batch that recorded one, until
     * the engine hands it to the embedder's progress callback (sluice run --progress). */
    struct db_progress last_progress;
    bool progress_unreported;
    /* Dead letters of the batch, written with its commit (records and reasons in dl_arena). */
    struct sl_query_dead_letter *dl;
    uint32_t ndl, cap_dl;
    struct sl_arena *dl_arena;
    bool dl_lost; /* one could not be kept (out of memory): the batch must not commit */
    /* CREATE STREAM AS: the writer of its rows into the stream's log (no table). */
    struct sl_stream_writer *writer;
    bool log_full; /* the writer's log was full at the last step: the query waits */
    /* The sinks its rows go to (CREATE SINK ... FROM it): the engine attaches them. */
    struct query_sinks sinks;
    struct sl_batch_summary last_batch; /* set when a batch commits */
    /* A join of two streams: the right stream's input (query_side.h); NULL: one input. */
    struct query_side *side;
};

struct sl_query_dead_letter {
    int64_t partition; /* a record source's; -1: none */
    uint64_t offset;
    const char *record;
    size_t len;
    const char *reason;
};

struct sl_query_env {
    struct sl_db *db;
    struct sl_arena *work; /* shared scratch arena, reset between steps */
    const struct sl_clock *clock; /* the engine's processing time */
    const struct sl_log *log;     /* the engine's log sink */
    struct sl_ingests *ingests;   /* the engine's push streams' ingest loops */
};

/* Builds a query from a bound plan (takes ownership of plan_arena) and opens its
 * source, decoder and result table. restart: the query was saved before —
 * a query over a replayable source whose state (if any) is checkpointed
 * resumes at its checkpoint with that state (resumed_at says where), any
 * other starts over with its table and saved state emptied.
 * sql (copied; may be NULL) is the statement that created it. */
sl_status query_create(const char *name, const char *sql, bool live, struct sl_arena *plan_arena,
                       struct sl_plan *plan, int64_t trigger_us, bool restart,
                       const struct sl_query_env *env, struct sl_query **out,
                       struct sl_error *err);

/* One step of the batch in progress (see above). Sets *batch_done when a batch committed. */
sl_status query_step(struct sl_query *q, const struct sl_query_env *env, int timeout_ms,
                     bool *batch_done, struct sl_error *err);

/* Ends the batch in progress now (stop, DROP QUERY): flush and commit what was read.
 * A batch that cannot commit stops the query (status failed, err says why and that
 * its last committed batch is intact): its operators' memory is past the database's. */
sl_status query_finish_batch(struct sl_query *q, const struct sl_query_env *env,
                             struct sl_error *err);

/* Bytes of input no committed batch holds yet, for a file (its size now);
 * false for a push stream or stdin, which cannot tell. */
bool query_lag_bytes(const struct sl_query *q, uint64_t *lag);

/* Monotonic time at which the batch in progress must end (or now if none). */
int64_t query_deadline(const struct sl_query *q);

void query_destroy(struct sl_query *q);

#endif
