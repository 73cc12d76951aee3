/*
 * query_state.h — a query's operator state in the database: the fingerprint
 * of the plan that writes it, what each batch's flush changed
 * (state_writer.h) written in the batch's transaction with its checkpoint,
 * and all of it read back into a fresh pipeline when the query resumes.
 */
#ifndef SL_QUERY_STATE_H
#define SL_QUERY_STATE_H

#include "engine/runtime/query.h"

/* Sets q->fingerprint from the stream's columns and the stateful operators
 * of the built pipeline (keys, window, aggregates, columns and types): state
 * written by another layout must not be read into this one. */
void query_state_fingerprint(struct sl_query *q);
/* A fingerprint is the layout's hash in hex, then "/p<n>" when an
 * aggregation's groups are in n > 1 partitions (each its own operators'
 * state): the hash does not depend on n, so a checkpoint tells how many
 * partitions wrote it. */
#define FINGERPRINT_HASH_CHARS 16
/* The partitions a fingerprint names (1 without "/p"). */
uint32_t query_state_partitions(const char *fingerprint);

/* Has the stateful operators of the built pipeline record what their
 * flushes change (q->state); a query that keeps no state does without. */
sl_status query_state_attach(struct sl_query *q, struct sl_error *err);

/* Frees what query_state_attach made (before the pipeline goes). */
void query_state_close(struct sl_query *q);

/* Writes what the stateful operators' flushes changed since the last call,
 * into the query's state tables; called in the batch's transaction, after
 * its flush. */
sl_status query_state_write(struct sl_query *q, struct sl_error *err);

/* Reads every state row of the query into its fresh pipeline, counting them
 * in *rows; a row that does not decode is an error naming the query. */
sl_status query_state_restore(struct sl_query *q, uint64_t *rows, struct sl_error *err);

#endif
