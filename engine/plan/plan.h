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

/* The most columns a SELECT may have: SQLite's own limit (SQLITE_MAX_COLUMN) on a table. */
#define SL_MAX_COLUMNS 2000

/* The most windows a hopping window may put a row in (SIZE / ADVANCE BY):
 * a day advancing by ten seconds is 8,640. Past it, a few rows would make
 * millions of window rows. */
#define SL_MAX_WINDOWS_PER_ROW 10000

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

/* FROM left [INNER | LEFT] JOIN right ON ... (issue 16). The scan's columns
 * are the left's, then each join's right columns in FROM order: a joined row
 * is one scan row, so WHERE, GROUP BY and the outputs bind over it as over
 * one stream's. A LEFT join's right columns are NULL on a row with no match. */
enum sl_join_kind {
    SL_JOIN_LOOKUP,   /* right is a SQLite table, read as of each batch's start */
    SL_JOIN_INTERVAL, /* right is a stream: right.time BETWEEN left.time + lower AND + upper */
    SL_JOIN_WINDOW,   /* right is a stream: both rows in the same TUMBLING/HOPPING window */
};
enum sl_join_type { SL_JOIN_INNER, SL_JOIN_LEFT };

struct sl_plan_join {
    enum sl_join_kind kind;
    enum sl_join_type type;
    /* LOOKUP: the table as SQLite names it: schema ("main", or an ATTACH's
     * name) and table, and the database file holding it, which the lookup
     * opens read-only on a connection of its own; in the plan arena. */
    const char *right_schema;
    const char *right_table;
    const char *right_file;
    /* INTERVAL, WINDOW: the right stream (at the bottom of right_input if
     * that is a derived table); right_input NULL for a plain stream. */
    const struct sl_stream_def *right_stream;
    const struct sl_plan *right_input;
    uint32_t first_col; /* the right's first column in the scan */
    uint32_t ncols;     /* the right's columns: scan[first_col .. first_col + ncols) */
    /* The ON clause's equalities left_keys[i] = right_keys[i]: left keys
     * over the scan columns before first_col, right keys over the right's
     * own columns (0-based). For LOOKUP each right key is a plain column
     * (right_key_cols[i], the table's column index), so an index can serve. */
    uint32_t nkeys;
    struct sl_expr **left_keys;
    struct sl_expr **right_keys;
    uint32_t *right_key_cols;
    /* LOOKUP: each key column's affinity (from its declared type), which
     * decides how SQLite's = converts the two sides (op_lookup_join.c). */
    enum sl_affinity *right_key_affs;
    /* The rest of ON, over the scan columns up to first_col + ncols; NULL if none. */
    struct sl_expr *residual;
    /* INTERVAL, WINDOW: the two event-time columns (over the scan). INTERVAL:
     * the bounds, in microseconds, of right.time - left.time (inclusive); the
     * ON conjuncts that make them are not in the residual (a WINDOW join's
     * are: a one-sided bound is only a condition there). */
    struct sl_expr *left_time, *right_time;
    int64_t lower_us, upper_us;
    /* WINDOW: the window both sides are assigned to. */
    struct sl_window_spec window;
};

/* Top-N (issue 16): a derived table whose select list ranks its rows,
 * ROW_NUMBER() | RANK() | DENSE_RANK() OVER ([PARTITION BY ...] ORDER BY ...),
 * read by an outer SELECT that keeps `rn <= limit` (engine/plan/binder_rank.c,
 * engine/ops/op_topn.c). It hangs on the derived table's plan; the partition
 * and order expressions are bound like its outputs (over [keys, aggregates]
 * when it aggregates), and its projection computes them after the outputs. */
struct sl_plan_rank {
    enum sl_topn_fn fn;
    uint32_t rank_col; /* the output column the rank goes to (a NULL placeholder until then) */
    uint32_t npartition;
    struct sl_expr **partition;
    uint32_t norder;
    struct sl_expr **order;
    bool *desc;
    /* Set by the outer SELECT: ranks above limit are not kept (1 <= limit). */
    int64_t limit;
    enum sl_topn_key key; /* how the result table is keyed (ops.h) */
    /* Over an aggregation: the outputs that are its group keys (unique per
     * input row): ROW_NUMBER's tie-break, and the IDENTITY key. */
    uint32_t nidentity;
    uint32_t *identity_cols;
    /* The input is an aggregation's changelog under EMIT CHANGES (a group's
     * new value replaces its old one), not appended rows (a stream's, or an
     * EMIT FINAL aggregation's). */
    bool changelog;
    /* Over an EMIT FINAL window aggregation partitioned by its window: each
     * window's top N is emitted once, when its rows come, then forgotten. */
    bool final;
    /* Windowed input partitioned by the window: partition[window_part] is
     * window_end (window_end_from_start: window_start, end = start + size),
     * and a partition is dropped once the watermark passes end + grace; -1: never. */
    int window_part;
    bool window_end_from_start;
    int64_t window_size_us, window_grace_us;
};

struct sl_plan {
    const struct sl_stream_def *stream; /* read at the bottom, through any derived tables */
    /* CREATE STREAM name AS this SELECT: the stream whose log its rows go to,
     * instead of a table; NULL for a query. */
    const struct sl_stream_def *into_stream;
    /* FROM (SELECT ...): the derived table's plan, whose operators run first
     * and whose outputs are this plan's FROM columns; NULL for a stream. */
    const struct sl_plan *input;
    /* FROM ... JOIN ...: the joins in FROM order (at most one of two streams,
     * INTERVAL or WINDOW, and any number of LOOKUPs); njoins 0: none. */
    uint32_t njoins;
    struct sl_plan_join *joins;

    uint32_t nfrom; /* the FROM's columns (with joins: the left's, then each right's) */
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

    /* Top-N (issue 16): this derived table ranks its rows; NULL otherwise. */
    struct sl_plan_rank *rank;

    /* A live SELECT's ORDER BY (output columns) and LIMIT (-1: none), applied
     * when each batch is printed (engine/exec/exec_live.c, storage/db_live.c). */
    uint32_t norder;
    struct sl_plan_order *order;
    int64_t limit;
};

/* Whether the plan keeps state and writes a changelog to a keyed table: an
 * aggregation, or a top-N (its derived table ranks, issue 16). */
static inline bool plan_changelog(const struct sl_plan *p)
{
    return p->aggregate || (p->input && p->input->rank);
}

#endif
