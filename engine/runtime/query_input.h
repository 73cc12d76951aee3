/*
 * query_input.h — private to engine/runtime: how a query's input reaches its
 * pipeline. query.c reads byte sources; query_records.c reads record sources
 * (KAFKA), decoding each record and filling the stream's metadata columns;
 * query_rows.c reads row sources (NEXMARK), which need no decoding.
 */
#ifndef SL_QUERY_INPUT_H
#define SL_QUERY_INPUT_H

#include "engine/runtime/query.h"

/* Pushes q->input (the rows decoded so far) down the pipeline and empties it. */
sl_status query_push_input(struct sl_query *q, struct sl_error *err);
/* Pushes rows decoded elsewhere (query_split.c) down the pipeline. */
sl_status query_push_chunk(struct sl_query *q, struct sl_chunk *chunk, struct sl_error *err);
/* Keeps a dead letter for the batch's commit, as the decoder's callback does. */
void query_dead_letter(struct sl_query *q, const char *record, size_t len, uint64_t offset,
                       const char *reason);

/*
 * Reads what q's record source has now (waiting at most timeout_ms for the
 * first record), decodes every record into rows with its metadata and
 * pushes them. With limit (max_batch_bytes, 0: none), it asks for as many
 * records as the batch's remaining bytes hold at the sizes seen so far, so
 * a batch passes the limit by a record's worth or so. Returns the source's status (SL_OK, SL_AGAIN, SL_EOF,
 * SL_ERROR described in read_err), *n the records read; *st is the status
 * of decoding and pushing them (described in err).
 */
sl_status query_read_records(struct sl_query *q, int timeout_ms, uint64_t limit, size_t *n,
                             struct sl_error *read_err, sl_status *st, struct sl_error *err);

/*
 * Reads rows from q's row source (source_read_rows) whose records take up
 * to cap bytes, pushing each full chunk and the rest. Returns the source's
 * status (SL_ERROR described in read_err), *n the bytes the rows took; *st
 * is the status of pushing them (described in err).
 */
sl_status query_read_rows(struct sl_query *q, int timeout_ms, size_t cap, size_t *n,
                          struct sl_error *read_err, sl_status *st, struct sl_error *err);

#endif
