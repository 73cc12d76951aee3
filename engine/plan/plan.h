/*
 * plan.h — a bound query: what the binder resolved and the planner turns
 * into an operator pipeline. Read-only once built; lives in the query's
 * plan arena together with its expressions.
 *
 * Column spaces: `scan` columns are the FROM's columns (the stream's, or a
 * derived table's outputs), followed by the UNNEST element when there is
 * one; WHERE, group keys and aggregate arguments are bound over them. With
 * aggregation, outputs and HAVING are bound over [group keys...,
 * aggregates...]; without, over the scan columns.
 */
#ifndef SL_PLAN_H
#define SL_PLAN_H

#include "engine/aggregates/aggregate.h"
#include "engine/plan/catalog.h"
#include "engine/expr/expr.h"
#include "engine/ops/ops.h"

struct sl_plan_agg {
    const struct sl_agg_fn *fn;
    struct sl_expr *arg; /* NULL for COUNT(*) */
    struct sl_expr *filter; /* FILTER (WHERE ...) over scan columns; NULL if none */
    double param;           /* fn->has_param: the constant second argument */
    enum sl_type result_type;
    const char *text; /* as written, e.g. "count(*)", for EXPLAIN */
};

/* A window clause; durations in microseconds. Tumbling is hopping with advance = size. */
struct sl_window_spec {
    enum sl_window_kind kind;
    int64_t size_us;    /* TUMBLING, HOPPING */
    int64_t advance_us; /* HOPPING (= size for TUMBLING) */
    int64_t gap_us;     /* SESSION */
    int64_t grace_us;
};

struct sl_plan_order {
    /* The output column's name, copied into the plan arena: out_names may
     * point into the statement's parse, which a live SELECT outlives. */
    const char *name;
    bool desc;
};

struct sl_plan {
    const struct sl_stream_def *stream; /* read at the bottom, through any derived tables */
    /* CREATE STREAM name AS this SELECT: the stream whose log its rows go to,
     * instead of a table; NULL for a query. */
    const struct sl_stream_def *into_stream;
    /* FROM (SELECT ...): the derived table's plan, whose operators run first
     * and whose outputs are this plan's FROM columns; NULL for a stream. */
    const struct sl_plan *input;

    uint32_t nfrom; /* the FROM's columns */
    uint32_t nscan; /* nfrom (+1 with UNNEST) */
    enum sl_type *scan_types;
    const char **scan_names;

    struct sl_expr *unnest; /* array expression over the stream columns; NULL if none */
    enum sl_type unnest_elem_type;

    struct sl_expr *where; /* over scan columns; NULL if none */

    bool aggregate;
    uint32_t nkeys;
    struct sl_expr **keys; /* over scan columns */
    const char **key_names;
    uint32_t naggs;
    struct sl_plan_agg *aggs;
    struct sl_expr *having; /* over [group keys..., aggregates...]; NULL if none */

    struct sl_window_spec window; /* kind NONE: no window */
    bool emit_final;              /* EMIT FINAL: a window's rows once, when it closes */
    bool late_table;              /* WITH (late = 'table'): late rows kept in <query>_late */
    uint64_t max_batch_bytes;     /* WITH (max_batch_bytes = n): a batch reads at most n; 0: any */
    /* WITH (partitions = n): the threads an aggregation runs on and the
     * partitions its groups are hashed into; 0: the default (the machine's
     * cores, or what the query's checkpoint was written with). */
    uint32_t partitions;
    /* WITH (checkpoint = false): the query writes no state, position or
     * journal (Flink without checkpointing): started again, it starts over. */
    bool no_checkpoint;
    /* The stream's event-time column (a column reference over the scan) and
     * watermark delay; NULL: processing time. From the stream, so the plan
     * says what it runs on. */
    struct sl_expr *time_expr;
    int64_t watermark_delay_us;

    uint32_t nout;
    struct sl_expr **outputs;
    const char **out_names;
    enum sl_type *out_types;
    bool *out_is_key; /* the result table's primary key columns */

    /* A live SELECT's ORDER BY (output columns) and LIMIT (-1: none), applied
     * when each batch is printed (engine/exec/exec_live.c, storage/db_live.c). */
    uint32_t norder;
    struct sl_plan_order *order;
    int64_t limit;
};

#endif
