/*
 * stream_writer.h — a CREATE STREAM AS query's rows into its stream's log.
 * Each row the query's flush writes is encoded as a JSON record (the
 * stream's FORMAT, as its readers decode it) and framed; the batch appends
 * them as one log row in its own transaction, so the stream holds exactly
 * the batches its query committed; after the commit the stream's readers
 * are woken (ingest_appended), and told when the query's input ended.
 */
#ifndef SL_STREAM_WRITER_H
#define SL_STREAM_WRITER_H

#include <stdbool.h>

#include "common/chunk.h"
#include "common/status.h"
#include "engine/plan/catalog.h"
#include "engine/runtime/ingest.h"

struct sl_db;
struct sl_stream_writer;

sl_status stream_writer_open(struct sl_ingests *ingests, const struct sl_stream_def *def,
                             struct sl_stream_writer **out, struct sl_error *err);
void stream_writer_close(struct sl_stream_writer *w);
/* op_sink_tap: the flush's rows as records (ctx: the writer). */
sl_status stream_writer_tap(void *ctx, const struct sl_chunk *rows, struct sl_error *err);
/* Appends the batch's records to the log (in the batch's transaction). */
sl_status stream_writer_write(struct sl_stream_writer *w, struct sl_db *db, struct sl_error *err);
/* After the batch committed (ended: the query's input is over); or forgets a failed batch's. */
void stream_writer_committed(struct sl_stream_writer *w, bool ended);
void stream_writer_reset(struct sl_stream_writer *w);
/* Whether the log holds more than the stream's max_log_bytes that its readers have not
 * all read (looked at every 100 ms): the query then waits, as a push source pauses. */
bool stream_writer_full(struct sl_stream_writer *w, struct sl_db *db);

#endif
