/*
 * query_split.h — private to engine/runtime: a step's bytes decoded on the
 * threads of the query's exchange (query_split.c says how the order of rows
 * and dead letters is kept).
 */
#ifndef SL_QUERY_SPLIT_H
#define SL_QUERY_SPLIT_H

#include "engine/runtime/query.h"

/* Decodes data[0..n) on one thread and pushes its chunks (query.c's). */
typedef sl_status (*sl_decode_fn)(struct sl_query *q, const char *data, size_t n,
                                  struct sl_error *err);

/* Sets q->split when the query can decode on several threads: a byte source,
 * an exchange of more than one thread. Needs the pipeline and the decoder. */
sl_status query_split_create(struct sl_query *q, struct sl_error *err);
void query_split_destroy(struct query_split *s);
/* Whether these bytes are split: enough of them, and no CSV quote. */
bool query_split_applies(const struct sl_query *q, const char *data, size_t n);
/* Decodes and pushes data[0..n), whose first byte is at offset in the input. */
sl_status query_split_decode(struct sl_query *q, const char *data, size_t n, uint64_t offset,
                             sl_decode_fn decode_seq, struct sl_error *err);

/* Claims the next rows of a numbered row source (source_claim_rows) whose
 * records fit in cap bytes and makes them on the threads, then pushes them;
 * returns the source's status (read_err), *n the bytes claimed, *st the
 * status of making and pushing them (err). */
sl_status query_split_read_rows(struct sl_query *q, size_t cap, size_t *n,
                                struct sl_error *read_err, sl_status *st, struct sl_error *err);
/* The threads the query's input is decoded or made on; 0: one, without splitting. */
uint32_t query_split_lanes(const struct sl_query *q);

#endif
