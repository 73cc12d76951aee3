/*
 * sink_runner.h — a sink's delivery loop. The query a sink reads appends
 * each committed batch's rows to the sink's outbox (storage/outbox.h) in
 * the batch's own transaction; the runner's thread, on its own connection to
 * the database, delivers the oldest batch through the sink connector
 * (connectors/sink.h) and, once the target holds it, deletes it from the
 * outbox in one transaction with the sink's progress. A failed delivery is
 * tried again with backoff and jitter; the query never waits for the
 * target, only for a full outbox (max_outbox_rows).
 *
 * Batch ids are the sink's own, counted on from the last it used (kept after
 * a DROP SINK too), so a target's idempotency key (sink, batch id) never
 * repeats for other rows, whatever happens to the query.
 */
#ifndef SL_SINK_RUNNER_H
#define SL_SINK_RUNNER_H

#include <stdbool.h>
#include <stdint.h>

#include "common/log.h"
#include "common/status.h"
#include "engine/plan/plan.h"
#include "engine/plan/sink_def.h"

struct sl_sink_runner;

/* Starts def's sink (taking def over) for rows with plan's output columns;
 * a KEY naming a column the rows lack fails it. */
sl_status sink_runner_start(struct sl_sink_def *def, const struct sl_plan *plan,
                            const char *db_path, const struct sl_log *log,
                            struct sl_sink_runner **out, struct sl_error *err);
/* Stops the thread (a delivery in flight ends first) and frees the runner. */
void sink_runner_stop(struct sl_sink_runner *r);

const struct sl_sink_def *sink_runner_def(const struct sl_sink_runner *r);
/* Whether plan's rows have the columns the sink was started for (a replaced query may not). */
bool sink_runner_fits(const struct sl_sink_runner *r, const struct sl_plan *plan);

/* The id the query's next batch for the sink takes (the query's thread only). */
int64_t sink_runner_next_batch(const struct sl_sink_runner *r);
/* The query committed batch id with rows rows in the outbox: the thread is woken. */
void sink_runner_committed(struct sl_sink_runner *r, int64_t batch_id, uint64_t rows);
/* Whether max_outbox_rows rows or more wait: the query's batches must wait. */
bool sink_runner_full(struct sl_sink_runner *r);

/* For SHOW SINKS and DESCRIBE SINK. */
struct sink_runner_info {
    char state[320];      /* "delivering", "idle", "retrying in 2 s: ...", "failed: ..." */
    char last_error[512]; /* "" when none since the start */
    uint64_t waiting_rows, waiting_batches;
    int64_t delivered_batch;
    uint64_t delivered_rows, rejected_rows;
    bool failed; /* the last try failed with an error retrying is unlikely to cure */
};
void sink_runner_describe(struct sl_sink_runner *r, struct sink_runner_info *out);

/* Waits until the outbox is empty or timeout_us passed; returns the rows still waiting. */
uint64_t sink_runner_drain(struct sl_sink_runner *r, int64_t timeout_us);

#endif
