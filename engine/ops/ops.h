/*
 * ops.h — constructors of the operators. Each takes ownership of nothing:
 * expressions belong to the plan arena, which outlives the pipeline.
 * On success *out is a new operator whose `next` the planner sets.
 */
#ifndef SL_OPS_H
#define SL_OPS_H

#include "engine/aggregate.h"
#include "engine/expr.h"
#include "engine/ops/op.h"

/* Keeps the rows where pred is TRUE (narrows the selection vector, copies nothing).
 * Output schema = input schema. */
sl_status op_filter_create(struct sl_arena *batch, const struct sl_expr *pred, uint32_t nin,
                           const enum sl_type *in_types, const char *const *in_names,
                           struct sl_op **out, struct sl_error *err);

/* Computes one output column per expression over the active rows; the
 * output chunk has the same rows (dense, no selection) and no row kinds
 * change: row kinds of the input are carried over. */
sl_status op_project_create(struct sl_arena *batch, struct sl_expr *const *exprs, uint32_t n,
                            const char *const *names, struct sl_op **out, struct sl_error *err);

/* For each active row and each element of the array `array_expr` evaluates
 * to, emits the row's input columns followed by the element (a NULL or
 * empty array emits nothing — SQL UNNEST). Output: input columns +
 * one column named elem_name of type elem_type. carry[c] false: nothing
 * downstream reads input column c, which is then not copied but left all
 * NULL in the output (same schema, so column indexes stay valid); a NULL
 * carry copies every column. */
sl_status op_unnest_create(struct sl_arena *batch, const struct sl_expr *array_expr,
                           enum sl_type elem_type, const char *elem_name, uint32_t nin,
                           const enum sl_type *in_types, const char *const *in_names,
                           const bool *carry, struct sl_op **out, struct sl_error *err);

/* One aggregate of a hash aggregation. */
struct sl_agg_spec {
    const struct sl_agg_fn *fn;
    int arg_column;         /* input column of the argument; -1 for COUNT(*) */
    enum sl_type arg_type;  /* SL_NULL for (*) */
    enum sl_type result_type;
    const char *name;
};

/*
 * Groups input rows by the first nkeys input columns (NULL is a key like
 * any other) and folds each aggregate's argument column into the group's
 * state. On flush it emits the groups that changed during the batch:
 * [keys..., aggregate values...] with row kind INSERT for a group never
 * emitted before and UPDATE otherwise. Keys are copied into the operator's
 * own arena; state lives until the operator is destroyed.
 */
sl_status op_hash_agg_create(struct sl_arena *batch, uint32_t nkeys, const enum sl_type *key_types,
                             const char *const *key_names, uint32_t naggs,
                             const struct sl_agg_spec *aggs, struct sl_op **out,
                             struct sl_error *err);

/* HAVING over the hash aggregate's changelog: rows where pred is TRUE go on
 * with their kind; a failing UPDATE becomes a DELETE of its key, a failing
 * INSERT is dropped (op_having.c says why no state is needed). Output
 * schema = input schema. */
sl_status op_having_create(struct sl_arena *batch, const struct sl_expr *pred, uint32_t nin,
                           const enum sl_type *in_types, const char *const *in_names,
                           struct sl_op **out, struct sl_error *err);

/* Live state size of a hash aggregate, for progress reporting. */
void op_hash_agg_stats(const struct sl_op *op, uint64_t *groups, uint64_t *bytes);

#endif
