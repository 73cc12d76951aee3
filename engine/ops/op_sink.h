/* op_sink.h — the result-table sink; the only operator that touches storage,
 * and only when the batch ends (op_flush), inside the batch's transaction. */
#ifndef SL_OP_SINK_H
#define SL_OP_SINK_H

#include "engine/ops/op.h"
#include "storage/result_table.h"

/* table NULL: a sink connected to no table, for a pipeline built only to be
 * explained (EXPLAIN SELECT); pushing rows into it is an error. */
sl_status op_sink_create(struct sl_arena *work, struct sl_result_table *table, uint32_t ncols,
                         const enum sl_type *types, const char *const *names, struct sl_op **out);
/* Called with each chunk of rows the flush writes (after the table, in the
 * batch's transaction): the rows also go to the query's sinks' outboxes or
 * its stream's log. A sink with a tap may have no table. */
typedef sl_status (*op_sink_tap)(void *ctx, const struct sl_chunk *rows, struct sl_error *err);
void op_sink_set_tap(struct sl_op *op, op_sink_tap tap, void *ctx);
/* Rows written since the last call (the batch's rows out). */
uint64_t op_sink_take_written(struct sl_op *op);
/* Bytes the rows kept for the batch hold (a batch ends early when they grow too many). */
size_t op_sink_pending_bytes(const struct sl_op *op);
/* Forgets the rows kept for the batch (a batch that failed). */
void op_sink_discard(struct sl_op *op);

#endif
