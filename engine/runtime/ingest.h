/*
 * ingest.h — push streams read once. A stream whose source cannot replay
 * (a socket, HTTP, MQTT...) is read by one ingest thread, however many
 * queries read it: the thread appends what its source hands out to the
 * stream's log (storage/stream_log.h) in group commits — a few
 * milliseconds or a few thousand records, whichever comes first — on its
 * own connection to the database, and only then tells the source it may
 * acknowledge (source_committed). Queries read the log (log_reader.h), each
 * from its own checkpointed position, so a query never waits for the
 * network and the network never waits for a query. While the log holds more
 * than the stream's max_log_bytes, the source is paused (source_pause): it
 * pushes back on its senders instead of filling the disk.
 *
 * The ingests are the engine's: a query acquires its stream's (started on
 * first use) and releases it; the last release stops the thread, which
 * commits what it holds before it closes the source.
 */
#ifndef SL_INGEST_H
#define SL_INGEST_H

#include <stdbool.h>
#include <stdint.h>

#include "common/log.h"
#include "common/status.h"
#include "engine/plan/catalog.h"

struct sl_ingests;
struct sl_ingest;

sl_status ingests_create(const char *db_path, const struct sl_log *log, struct sl_ingests **out,
                         struct sl_error *err);
/* Stops every ingest still running (none should be: queries release theirs). */
void ingests_destroy(struct sl_ingests *all);

/* The ingest of def's stream, started if it is not running: its source is
 * opened here, so an address that cannot work fails the caller. def must
 * outlive the ingest (the catalog keeps a stream while queries read it). */
sl_status ingest_acquire(struct sl_ingests *all, const struct sl_stream_def *def,
                         struct sl_ingest **out, struct sl_error *err);
void ingest_release(struct sl_ingests *all, struct sl_ingest *in);

/* What a reader needs to know of the ingest. */
struct ingest_progress {
    uint64_t next;      /* records committed to the log: the log ends before this */
    uint64_t run_start; /* the first record this run of the ingest appended */
    bool ended;         /* the source ended (a bounded input): nothing will follow next */
    bool failed;        /* the source failed; error says why */
    char error[512];
};
/* A CREATE STREAM AS stream's ingest (def->derived) runs no thread: its query
 * appends to the log in its batches, and after each commit says the log now
 * ends before next (bytes more), and whether its input ended (nothing follows). */
void ingest_appended(struct sl_ingest *in, uint64_t next, uint64_t bytes, bool ended);
/* Whether the ingest keeps the dead letters of the records it logs
 * (ingest_letters.h): a source's, not a CREATE STREAM AS stream's. */
bool ingest_keeps_dead_letters(const struct sl_ingest *in);

/* Waits at most timeout_ms for records past pos (or the end, or a failure). */
void ingest_wait(struct sl_ingest *in, uint64_t pos, int timeout_ms, struct ingest_progress *out);

/* For SHOW STREAMS: whether the stream's ingest runs, and if so its state
 * ("reading", "paused: log over max_log_bytes", the source's own), its
 * records per second over the last seconds and the bytes its log holds. */
struct ingest_info {
    char state[256];
    double rows_per_s;
    uint64_t log_bytes;
};
bool ingests_describe(struct sl_ingests *all, const char *stream, struct ingest_info *out);

#endif
