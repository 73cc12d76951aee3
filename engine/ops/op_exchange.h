/*
 * op_exchange.h — the exchange (Volcano's, as Flink's keyBy): runs the rest
 * of an aggregation's pipeline on several threads, as partitions.
 *
 * The exchange holds, per partition p, a copy of the stateless operators
 * before the aggregate (the "front": [unnest] -> [filter] -> the
 * pre-aggregation projection) and of the aggregate and what follows it (the
 * "back": aggregate -> [having] -> projection), each copy with its own batch
 * arena. Pushed chunks are kept until the step's end (op_exchange_drain):
 * then the fronts run on the chunks in parallel (chunk i on front i mod n),
 * each output row goes to the partition its group keys hash to, and each
 * partition's back folds its rows in the input's order — so a window or
 * session closes exactly where one pipeline would, and a group lives in one
 * partition only. What the backs emit reaches the exchange's next operator
 * (the sink) one push at a time. The backs' state is n operators' state: a
 * checkpoint holds each, numbered in partition order.
 *
 * With no group keys (a global aggregate, a window over time alone) there is
 * one back, and the fronts still run in parallel.
 */
#ifndef SL_OP_EXCHANGE_H
#define SL_OP_EXCHANGE_H

#include "engine/ops/op.h"

/* threads: how many run the fronts (>= 1, the caller's thread is one);
 * parts: how many backs (1 without keys, else threads); nkeys: the group
 * keys the rows are partitioned by (0: one partition), the first columns of
 * the fronts' output, which are the exchange's columns (set with front 0). */
sl_status op_exchange_create(struct sl_arena *batch, uint32_t threads, uint32_t parts,
                             uint32_t nkeys, struct sl_op **out, struct sl_error *err);
/* The batch arena the operators of front or back number i allocate in. */
struct sl_arena *op_exchange_arena(struct sl_op *op, uint32_t i);
/* Its thread team, which the query lends to decoding between drains. */
struct sl_workers *op_exchange_workers(struct sl_op *op);
uint32_t op_exchange_parts(const struct sl_op *op);
/* Where a back's window aggregate sends late rows: a stand-in for late_sink
 * that serialises the partitions' pushes (NULL when late_sink is). */
struct sl_op *op_exchange_late(struct sl_op *op, struct sl_op *late_sink);
/* Front i's chain and, for i < parts, back i's (NULL past parts): the
 * exchange links their ends to itself, and owns and destroys them (even
 * when this fails, out of memory). */
sl_status op_exchange_set(struct sl_op *op, uint32_t i, struct sl_op *front, struct sl_op *back,
                          struct sl_error *err);
/* Runs the chunks pushed since the last drain through fronts and backs. Pushed
 * chunks must stay valid until then (the runtime allocates a new input chunk
 * for each push). */
sl_status op_exchange_drain(struct sl_op *op, struct sl_error *err);
/* Forgets the chunks pushed since the last drain (a step that failed). */
void op_exchange_discard(struct sl_op *op);

#endif
