/*
 * stream_log.h — a push stream's records, kept in _sluice_log until every
 * query over the stream has read them. The stream's ingest loop appends a
 * row per group commit: records [first, first + records) of the stream,
 * framed in data (engine/runtime/log_frame.h). Each query's position (the
 * next record it reads) is in _sluice_log_readers, written in its batch's
 * transaction with its checkpoint; the same transaction trims the rows
 * every reader has passed.
 */
#ifndef SL_STREAM_LOG_H
#define SL_STREAM_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/status.h"

struct sl_db;

/* Appends a row (in the caller's transaction, or on its own). */
sl_status db_log_append(struct sl_db *db, const char *stream, uint64_t first, uint32_t records,
                        const void *data, size_t len, struct sl_error *err);

/* What the stream's log holds: its first record, the record after its last
 * (both 0 when it never held any; next stays after a trim empties it),
 * and its bytes. */
struct db_log_bounds {
    uint64_t first, next, bytes;
};
sl_status db_log_bounds(struct sl_db *db, const char *stream, struct db_log_bounds *out,
                        struct sl_error *err);

/* The first row holding records at or after pos: its first record and count
 * into *first and *records, its data into out (cleared first); *found false
 * when there is none. */
sl_status db_log_row(struct sl_db *db, const char *stream, uint64_t pos, uint64_t *first,
                     uint32_t *records, struct sl_buf *out, bool *found, struct sl_error *err);

/* Records that query has read the stream up to next, then deletes the rows
 * every reader of the stream has passed (in the batch's transaction). */
sl_status db_log_reader_commit(struct sl_db *db, const char *stream, const char *query,
                               uint64_t next, struct sl_error *err);

/* Where query has read stream up to, as its last batch (or its start) recorded; *found false
 * when it is no reader of the stream. */
sl_status db_log_reader_get(struct sl_db *db, const char *stream, const char *query,
                            uint64_t *next, bool *found, struct sl_error *err);

/* Forgets query as a reader of any stream (DROP QUERY, a query started over). */
sl_status db_log_reader_delete(struct sl_db *db, const char *query, struct sl_error *err);

/* Deletes the stream's log and readers (DROP STREAM). */
sl_status db_log_delete(struct sl_db *db, const char *stream, struct sl_error *err);

#endif
