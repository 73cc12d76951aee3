/*
 * ops.h — constructors of the operators. Each takes ownership of nothing:
 * expressions belong to the plan arena, which outlives the pipeline.
 * On success *out is a new operator whose `next` the planner sets.
 */
#ifndef SL_OPS_H
#define SL_OPS_H

#include "engine/aggregates/aggregate.h"
#include "engine/expr/expr.h"
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
    int time_column;        /* fn->by_time: the event-time column; -1 on processing time */
    bool filtered;          /* FILTER (WHERE ...): only rows whose filter_column is TRUE fold */
    uint32_t filter_column;
    double param;           /* fn->has_param: the constant second argument */
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

/*
 * Time as the window operators see it, shared by the operators of one
 * pipeline and its query: the watermark operator advances the watermark,
 * the query sets the batch's processing time and marks the end of the
 * input, the window aggregates close windows with them and count late rows.
 */
struct sl_time_state {
    int64_t watermark; /* the stream's event-time watermark; INT64_MIN before any row */
    int64_t now;       /* processing time of the batch in progress */
    bool ended;        /* the input is exhausted: every window closes */
    uint64_t late_rows; /* rows dropped as late since the query last took the count */
    /* A window closed during the batch's pushes: the batch ends after the
     * step, so the window's row is committed without waiting for the
     * trigger (Flink fires a window on the watermark). */
    bool window_closed;
    /* A stream read from partitions (KAFKA), as the query registers them
     * (time_set_partitions); none: one watermark for the whole stream. */
    struct sl_partition_time *parts; /* ascending ids; owned (planner_destroy frees it) */
    uint32_t nparts;
    int64_t idle_us;
};

/*
 * Event time over partitions: each partition has its own highest event
 * time, and the stream's watermark follows the lowest of them among the
 * partitions that had a record within idle_us of processing time (Flink's
 * idleness rule): a slow partition holds the windows, an idle one does not
 * hold them forever. A partition without a record yet counts as active from
 * when it was registered, so it holds the watermark until it speaks or idles.
 */
struct sl_partition_time {
    int32_t id;
    int64_t max_time;     /* highest event time seen; INT64_MIN: none yet */
    int64_t last_seen_us; /* processing time of its last record (or of its registration) */
};

/* Registers the partitions the stream reads (ids ascending); partitions
 * already known keep their times. */
sl_status time_set_partitions(struct sl_time_state *t, const int32_t *ids, uint32_t n,
                              int64_t idle_us);
/* The partition with this id, or NULL. */
struct sl_partition_time *time_partition_find(struct sl_time_state *t, int32_t id);
/* False when no partition is active; else *floor is the lowest highest event
 * time among the active ones (INT64_MIN while one of them has had no record). */
bool time_partitions_floor(const struct sl_time_state *t, int64_t *floor);

/* Event time: sets chunk->watermarks to the stream's watermark at each row's
 * arrival (the highest time_col value so far minus delay_us, never going
 * back; a NULL time leaves it as it was) and advances time->watermark. Every
 * row of the stream passes here, before any filter. Output = input. With
 * partition_col >= 0 and partitions registered in time, the highest value
 * is the partitions' floor (time_partitions_floor); its flush moves the
 * watermark as partitions go idle. */
sl_status op_watermark_create(struct sl_arena *batch, uint32_t time_col, int partition_col,
                              int64_t delay_us,
                              struct sl_time_state *time, uint32_t nin,
                              const enum sl_type *in_types, const char *const *in_names,
                              struct sl_op **out, struct sl_error *err);

enum sl_window_kind { SL_WINDOW_NONE, SL_WINDOW_TUMBLING, SL_WINDOW_HOPPING, SL_WINDOW_SESSION };

/* A window of a window aggregate, as the planner gives it. */
struct sl_window_def {
    enum sl_window_kind kind;
    int64_t size_us, advance_us, gap_us, grace_us;
    bool emit_final;
    int time_col; /* input column of the event time; -1: processing time (time->now) */
    /* Where late rows go (WITH (late = 'table')), or NULL: [keys..., event
     * time, watermark, window_start, window_end, lateness_ms]. */
    struct sl_op *late_sink;
};

/*
 * GROUP BY with a TUMBLING or HOPPING window. Input: [keys..., aggregate
 * arguments..., event time]; output: [window_start, window_end, keys...,
 * aggregates...]. Rows are folded into per-slice partial aggregates (a slice
 * is gcd(size, advance) long, so a hopping row is added once, not once per
 * window); a window's value combines its slices. A window closes when the
 * watermark reaches its end + grace — checked before each row, so what a
 * window holds never depends on batch boundaries — and a row whose windows
 * are all closed is late: counted, not added. EMIT FINAL emits each window
 * once when it closes; EMIT CHANGES emits at every flush the (window, key)
 * rows that changed. A slice is dropped once every window over it closed.
 */
sl_status op_window_agg_create(struct sl_arena *batch, const struct sl_window_def *w,
                               struct sl_time_state *time, uint32_t nkeys,
                               const enum sl_type *key_types, const char *const *key_names,
                               uint32_t naggs, const struct sl_agg_spec *aggs, struct sl_op **out,
                               struct sl_error *err);

/*
 * GROUP BY with a SESSION window: same input and output as the window
 * aggregate. A key's session is [first time, last time + gap); sessions that
 * overlap or touch merge, in or out of order. A session closes when the
 * watermark reaches its end + grace; a row is late when its own window
 * [ts, ts + gap) has closed by then, or when it would join a session
 * already closed. EMIT CHANGES deletes the row of a session's old bounds
 * when it grows or merges.
 */
sl_status op_session_agg_create(struct sl_arena *batch, const struct sl_window_def *w,
                                struct sl_time_state *time, uint32_t nkeys,
                                const enum sl_type *key_types, const char *const *key_names,
                                uint32_t naggs, const struct sl_agg_spec *aggs,
                                struct sl_op **out, struct sl_error *err);

/* HAVING over the hash aggregate's changelog: rows where pred is TRUE go on
 * with their kind; a failing UPDATE becomes a DELETE of its key, a failing
 * INSERT is dropped (op_having.c says why no state is needed). Output
 * schema = input schema. */
sl_status op_having_create(struct sl_arena *batch, const struct sl_expr *pred, uint32_t nin,
                           const enum sl_type *in_types, const char *const *in_names,
                           struct sl_op **out, struct sl_error *err);

/* ---- joins (issue 16) ---- */

/* A lookup join (op_lookup_join.c): input [left...], output [left...,
 * table columns...]. Strings are copied; expressions belong to the plan. */
struct sl_lookup_join_def {
    const char *file;  /* the database file holding the table, opened read-only */
    const char *table; /* as that file spells it */
    const char *label; /* how EXPLAIN names it: schema.table */
    const char *alias; /* what qualifies its columns in EXPLAIN's key list */
    uint32_t nin;
    const enum sl_type *in_types;
    const char *const *in_names;
    uint32_t ncols; /* the table's columns, read as types[] (db_lookup.h) */
    const enum sl_type *types;
    const char *const *names;
    uint32_t nkeys; /* left_keys[k] (over the input) = the table's column key_names[k] */
    struct sl_expr *const *left_keys;
    const char *const *key_names;
    const char *const *key_casts; /* the affinity each key is looked up with (db_lookup.h) */
    const struct sl_expr *residual; /* the rest of ON, over the output; NULL if none */
    bool left;                      /* LEFT JOIN: unmatched rows with NULLs */
};
sl_status op_lookup_join_create(struct sl_arena *batch, const struct sl_lookup_join_def *def,
                                struct sl_op **out, struct sl_error *err);
/* Top-N (issue 16, op_topn.c): the ranking function, and how the result
 * table is keyed so that each emitted change names one row. POSITION:
 * (the PARTITION BY columns, rn), ROW_NUMBER only: a rank's row is
 * replaced; IDENTITY: an aggregation's group keys: a group's row is
 * updated; ROW: every column: a row whose rank moves is deleted and
 * inserted again (a stream's rows ranked with ties have nothing else to
 * tell them apart). */
enum sl_topn_fn { SL_TOPN_ROW_NUMBER, SL_TOPN_RANK, SL_TOPN_DENSE_RANK };
enum sl_topn_key { SL_TOPN_KEY_POSITION, SL_TOPN_KEY_IDENTITY, SL_TOPN_KEY_ROW };

struct sl_topn_def {
    enum sl_topn_fn fn;
    enum sl_topn_key key;
    uint32_t nout;       /* the output: input columns [0, nout), the rank written at rank_col */
    uint32_t rank_col;
    uint32_t npartition; /* input columns [nout, nout + npartition): PARTITION BY */
    uint32_t norder;     /* then ORDER BY, desc[i] for DESC */
    const bool *desc;
    int64_t limit;       /* ranks kept: 1..limit */
    /* The input is a changelog (row kinds) of rows identified by the input
     * columns identity_cols (an aggregation's group keys); else appended
     * rows. Rows with identity columns (nidentity > 0: an aggregation's, also
     * appended under EMIT FINAL) break ties by them; others by arrival. */
    bool changelog;
    uint32_t nidentity;
    const uint32_t *identity_cols;
    /* Each partition's top is emitted once, when its rows come, then dropped
     * (over an EMIT FINAL window aggregation partitioned by the window). */
    bool final;
    /* Windowed partitions: partition column window_part holds the window's
     * end (its start when end_from_start: end = start + size); a partition is
     * dropped once the watermark reaches end + grace. -1: none. */
    int window_part;
    bool end_from_start;
    int64_t size_us, grace_us;
};

/*
 * Keeps, per partition, the rows ranked 1..limit by the ORDER BY columns
 * (SQLite's order, NULL first) and emits at each flush the changes to them
 * as a changelog: [input columns 0..nout) with the rank at rank_col. Over
 * appended rows a partition holds at most its top (and ties); over a
 * changelog every row (a group can rise again). ROW_NUMBER's ties go by
 * the identity columns when there are some, else by arrival (earlier first,
 * or later first when the last ORDER BY key is DESC).
 */
sl_status op_topn_create(struct sl_arena *batch, const struct sl_topn_def *def,
                         struct sl_time_state *time, uint32_t nin, const enum sl_type *in_types,
                         const char *const *in_names, struct sl_op **out, struct sl_error *err);

/* A join of two streams bounded by event time (issue 16), as the planner
 * gives it; see op_stream_join.c. Keys and the residual belong to the plan. */
enum sl_stream_join_kind { SL_STREAM_JOIN_INTERVAL, SL_STREAM_JOIN_WINDOW };

struct sl_stream_join_def {
    enum sl_stream_join_kind kind;
    bool left_outer; /* LEFT JOIN: a left row that matches nothing goes out padded with NULLs */
    uint32_t nleft, nright;
    const enum sl_type *left_types, *right_types;
    const char *const *left_names, *const *right_names;
    /* left_keys[i] = right_keys[i], each over its own side's columns. */
    uint32_t nkeys;
    const struct sl_expr *const *left_keys, *const *right_keys;
    uint32_t left_time_col, right_time_col; /* each side's event-time column */
    int64_t lower_us, upper_us;  /* INTERVAL: right.time - left.time in [lower, upper] */
    int64_t size_us, advance_us; /* WINDOW: TUMBLING (advance = size) or HOPPING */
    bool window_columns;         /* WINDOW: window_start, window_end follow the right's columns */
    /* The rest of ON over the joined row [left..., right...]; NULL if none. */
    const struct sl_expr *residual;
    /* Which of each side's columns are read after the join (copied by the
     * create); the others are neither kept nor emitted (NULL). NULL: all. */
    const bool *left_needed, *right_needed;
};

/*
 * The join: output [left columns..., right columns...(, window_start,
 * window_end)]. *join takes the left rows (push) and is what the left
 * chain links to; *right_port (owned by the join, destroyed with it) takes
 * the right rows and ends the right chain. Each side's watermark is a time
 * state of the join's own (op_stream_join_time), which the side's
 * watermark operator advances and whose `ended` the runtime sets when the
 * side's input ends; out_time is the downstream operators', whose watermark
 * the join moves and whose late_rows it counts its late rows in.
 */
sl_status op_stream_join_create(struct sl_arena *batch, const struct sl_stream_join_def *def,
                                struct sl_time_state *out_time, struct sl_op **join,
                                struct sl_op **right_port, struct sl_error *err);
/* The right chain's first operator, which EXPLAIN shows before the join. */
void op_stream_join_set_right_head(struct sl_op *join, struct sl_op *head);
/* The time state of the join's left (right false) or right side. */
struct sl_time_state *op_stream_join_time(struct sl_op *join, bool right);

#endif
