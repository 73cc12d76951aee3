/*
 * planner.h — turns a bound plan into a chain of operators:
 *   [unnest] -> [filter] -> project(keys, aggregate args) -> hash_agg -> [having]
 *     -> project(outputs) -> sink
 * or, without aggregation, [unnest] -> [filter] -> project(outputs) -> sink.
 * With a WINDOW the aggregate is a window aggregate, and on event time a
 * watermark operator comes first, before anything can drop a row.
 * A derived table (FROM (SELECT ...)) is a plan's input: its own
 * [unnest] -> [filter] -> project(outputs) come first, then this plan's
 * operators over those outputs, nested as deep as the derived tables are.
 * A join of two streams runs single-threaded before the rest: each side's
 * watermark -> [its derived table's operators] -> the join, whose joined
 * rows go on as one stream's rows: [filter] -> project, or to the
 * aggregation's exchange.
 */
#ifndef SL_PLANNER_H
#define SL_PLANNER_H

#include "engine/ops/op_exchange.h"
#include "engine/ops/ops.h"
#include "engine/plan/plan.h"

struct sl_pipeline {
    struct sl_op *head; /* where decoded chunks are pushed */
    struct sl_op *agg;  /* the aggregate; NULL if none */
    struct sl_time_state *time; /* owned: freed with the pipeline (planner_destroy) */
    struct sl_op *late_sink;    /* not owned: where the window aggregate sends late rows */
    /* An aggregation's exchange (engine/ops/op_exchange.h), which the query
     * drains after each step's pushes; NULL without aggregation. */
    struct sl_op *exchange;
    /* A join of two streams (op_stream_join.c): the join, on the left's
     * chain (head), and where the right stream's decoded chunks are pushed:
     * [watermark] -> [its derived table's operators] -> the join's port.
     * NULL without one. */
    struct sl_op *join;
    struct sl_op *right_head;
};

/* Builds the operators (allocating output chunks in work) and links the last
 * one to sink; a window aggregate sends its late rows to late_sink (NULL: none).
 * Every operator reads processing time from clock (the engine's). An
 * aggregation runs on `threads` threads, its groups in as many partitions
 * (one without group keys, or for CREATE STREAM AS): op_exchange.h. */
sl_status planner_build(const struct sl_plan *plan, uint32_t threads, struct sl_arena *work,
                        struct sl_op *sink, struct sl_op *late_sink,
                        const struct sl_clock *clock, struct sl_pipeline *out,
                        struct sl_error *err);

/* Whether an aggregation's groups go to partitions: it has group keys, and
 * nothing it writes is append-only, whose rows' order partitions would mix
 * (a CREATE STREAM AS's log, the late rows' table). Else one partition,
 * whatever the threads. */
bool planner_partitions_groups(const struct sl_plan *plan);

/* The columns of a windowed plan's late-row table, into cols (plan->nkeys + 3
 * entries): the group keys, the event time, watermark, window_start,
 * window_end and lateness_ms, made distinct (n:1) with names from arena.
 * Returns how many; 0 when out of memory. */
uint32_t planner_late_columns(const struct sl_plan *plan, struct sl_arena *arena,
                              struct sl_column *cols);

/* The plan's join of two streams (INTERVAL or WINDOW), or NULL. */
const struct sl_plan_join *planner_stream_join(const struct sl_plan *plan);

/* Destroys the pipeline's operators (up to and including the sink) and its time state. */
void planner_destroy(struct sl_pipeline *p);

#endif
