/*
 * log_reader.h — a query's view of a push stream's log: a record source
 * (source_open_supplied) that reads the log's rows from the query's own
 * connection, from the query's position on, and waits on the stream's
 * ingest when it has read all there is. Its position is the number of the
 * next record ("1200"), kept in the query's checkpoint; the query's batch
 * records it as the log's reader too (log_reader_commit), which lets the
 * log be trimmed.
 */
#ifndef SL_LOG_READER_H
#define SL_LOG_READER_H

#include "connectors/source.h"
#include "engine/runtime/ingest.h"
#include "storage/db.h"

/* A source over stream's log for query, starting where the query's last
 * batch left it (its row in _sluice_log_readers, which holds the log's
 * rows from there for it), else at the first record this run of the ingest
 * appended that the log still holds: a new query reads what arrives from
 * about now. query NULL (a live SELECT): from the log's end. */
sl_status log_reader_open(struct sl_ingest *ingest, struct sl_db *db, const char *stream,
                          const char *query, struct sl_source **out, struct sl_error *err);

/* In the batch's transaction: query has read the log up to the source's
 * position; rows every reader has passed are deleted. */
sl_status log_reader_commit(struct sl_source *s, struct sl_db *db, const char *stream,
                            const char *query, struct sl_error *err);

#endif
