/*
 * outbox.h — what each sink has still to deliver, and what it delivered.
 * A query's batch appends its rows for each of its sinks to _sluice_outbox
 * in the batch's own transaction (in parts of a bounded size, encoded by the
 * engine); the sink's delivery thread reads the oldest batch, delivers it,
 * and in one transaction deletes it and records the sink's progress
 * (_sluice_sink_progress: the last batch delivered, rows, rows refused, and
 * the connector's own state for a restart).
 */
#ifndef SL_OUTBOX_H
#define SL_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/status.h"

struct sl_db;

/* Appends part `part` of batch_id's rows for sink (in the caller's transaction). */
sl_status db_outbox_append(struct sl_db *db, const char *sink, int64_t batch_id, uint32_t part,
                           uint32_t rows, int64_t committed_us, const void *data, size_t len,
                           struct sl_error *err);

/* The oldest batch waiting for sink: its id, its commit time and its parts, each
 * appended to data as [u32 rows][u32 length][bytes]; *found false when none waits. */
sl_status db_outbox_next(struct sl_db *db, const char *sink, int64_t *batch_id,
                         int64_t *committed_us, struct sl_buf *data, bool *found,
                         struct sl_error *err);

/* Batch batch_id was delivered (rows of it, rejected of them refused): deletes it from
 * the outbox and records the sink's progress; state (NULL: unchanged) is the
 * connector's. In the caller's transaction. */
sl_status db_outbox_delivered(struct sl_db *db, const char *sink, int64_t batch_id,
                              uint64_t rows, uint64_t rejected, const void *state,
                              size_t state_len, struct sl_error *err);

/* Batches and rows waiting for sink. */
sl_status db_outbox_count(struct sl_db *db, const char *sink, uint64_t *batches, uint64_t *rows,
                          struct sl_error *err);

/* What sink delivered so far; *found false before its first delivery. */
struct db_sink_progress {
    int64_t batch_id;
    uint64_t rows, rejected;
};
sl_status db_sink_progress_get(struct sl_db *db, const char *sink, struct db_sink_progress *out,
                               struct sl_buf *state, bool *found, struct sl_error *err);

/* Deletes sink's outbox and forgets its progress but for its last batch id (DROP
 * SINK: a sink made again with the name goes on from there, so a target's
 * (sink, batch id) never names other rows), in the caller's transaction. */
sl_status db_outbox_delete(struct sl_db *db, const char *sink, struct sl_error *err);

#endif
