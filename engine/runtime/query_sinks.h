/*
 * query_sinks.h — the sinks a query's rows go to (CREATE SINK ... FROM the
 * query). The batch's rows are encoded once as they are flushed (the result
 * sink's tap) and appended to each sink's outbox in the batch's own
 * transaction; after the commit each sink's thread is woken. While a sink's
 * outbox is full the query's batches wait (query_step reads no input).
 */
#ifndef SL_QUERY_SINKS_H
#define SL_QUERY_SINKS_H

#include <stdbool.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/chunk.h"
#include "common/status.h"

struct sl_db;
struct sl_sink_runner;

struct query_sinks {
    struct sl_sink_runner **items; /* not owned: the engine's */
    uint32_t n, cap;
    /* The batch's rows, encoded (engine/values/row_codec.h), in parts of a chunk each. */
    struct sl_buf rows;
    struct query_sinks_part {
        size_t offset, len;
        uint32_t rows;
    } *parts;
    uint32_t nparts, cap_parts;
    uint64_t nrows;
    /* The sink a full outbox made the query wait for (NULL: none); logged once per wait. */
    const struct sl_sink_runner *waiting_for;
};

sl_status query_sinks_attach(struct query_sinks *qs, struct sl_sink_runner *r);
void query_sinks_detach(struct query_sinks *qs, struct sl_sink_runner *r);
/* op_sink_tap: encodes the rows of a flush (ctx: the query_sinks). */
sl_status query_sinks_tap(void *ctx, const struct sl_chunk *rows, struct sl_error *err);
/* Appends the batch's rows to each sink's outbox (in the batch's transaction). */
sl_status query_sinks_write(struct query_sinks *qs, struct sl_db *db, int64_t committed_us,
                            struct sl_error *err);
/* After the batch committed: each sink's thread is told. Then, or after a failed batch: */
void query_sinks_committed(struct query_sinks *qs);
void query_sinks_reset(struct query_sinks *qs);
/* The first sink whose outbox is full, or NULL. */
struct sl_sink_runner *query_sinks_full(struct query_sinks *qs);
void query_sinks_free(struct query_sinks *qs);

#endif
