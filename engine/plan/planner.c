/* planner.c — a bound plan to an operator chain (see planner.h for the shapes). */
#include "engine/plan/planner.h"

#include "common/alloc.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Appends op to the chain whose last operator is *tail. */
static void link_op(struct sl_pipeline *p, struct sl_op **tail, struct sl_op *op)
{
    if (*tail)
        (*tail)->next = op;
    else
        p->head = op;
    *tail = op;
}

/* The first group key the pre-aggregation projection computes: window_start
 * and window_end come from the window operator. */
static uint32_t first_key(const struct sl_plan *plan)
{
    return plan->window.kind ? 2 : 0;
}

/* Whether an aggregate of plan reads the event time (earliest, latest). */
static bool aggs_by_time(const struct sl_plan *plan)
{
    for (uint32_t i = 0; i < plan->naggs; i++)
        if (plan->aggs[i].fn->by_time)
            return true;
    return false;
}

/* The window aggregate of plan: its input is [keys, arguments, filters, time]. */
static sl_status window_op(const struct sl_plan *plan, struct sl_arena *work,
                           struct sl_pipeline *out, uint32_t nkeys, const enum sl_type *key_types,
                           const struct sl_agg_spec *specs, int time_col, struct sl_op **op,
                           struct sl_error *err)
{
    struct sl_window_def def = {
        .kind = plan->window.kind,
        .size_us = plan->window.size_us,
        .advance_us = plan->window.advance_us,
        .gap_us = plan->window.gap_us,
        .grace_us = plan->window.grace_us,
        .emit_final = plan->emit_final,
        .time_col = time_col,
        .late_sink = out->late_sink,
    };
    const char *const *key_names = plan->key_names + first_key(plan);
    if (def.kind == SL_WINDOW_SESSION)
        return op_session_agg_create(work, &def, out->time, nkeys, key_types, key_names,
                                     plan->naggs, specs, op, err);
    return op_window_agg_create(work, &def, out->time, nkeys, key_types, key_names, plan->naggs,
                                specs, op, err);
}

/* What an aggregation's operators are made of: the pre-aggregation
 * projection's expressions [keys, arguments, filters, time] and the
 * aggregate's specs over its columns. */
struct agg_layout {
    uint32_t nkeys, nproj;
    struct sl_expr **exprs;
    const char **names;
    enum sl_type *key_types;
    struct sl_agg_spec *specs;
    int time_col;
};

static void agg_layout_free(struct agg_layout *l)
{
    sl_free(l->exprs);
    sl_free(l->names);
    sl_free(l->key_types);
    sl_free(l->specs);
}

static sl_status agg_layout_make(const struct sl_plan *plan, struct agg_layout *l)
{
    uint32_t k0 = first_key(plan), nkeys = plan->nkeys - k0, nproj = nkeys;
    *l = (struct agg_layout){.nkeys = nkeys, .time_col = -1};
    l->exprs = sl_calloc(plan->nkeys + 2 * plan->naggs + 2, sizeof *l->exprs);
    l->names = sl_calloc(plan->nkeys + 2 * plan->naggs + 2, sizeof *l->names);
    l->key_types = sl_calloc(plan->nkeys + 1, sizeof *l->key_types);
    l->specs = sl_calloc(plan->naggs + 1, sizeof *l->specs);
    if (!l->exprs || !l->names || !l->key_types || !l->specs) {
        agg_layout_free(l);
        return SL_NOMEM;
    }
    for (uint32_t i = 0; i < nkeys; i++) {
        l->exprs[i] = plan->keys[k0 + i];
        l->names[i] = plan->key_names[k0 + i];
        l->key_types[i] = plan->keys[k0 + i]->type;
    }
    for (uint32_t i = 0; i < plan->naggs; i++) {
        const struct sl_plan_agg *a = &plan->aggs[i];
        struct sl_agg_spec *spec = &l->specs[i];
        spec->fn = a->fn;
        spec->result_type = a->result_type;
        spec->name = a->text;
        spec->arg_column = -1;
        spec->arg_type = SL_NULL;
        if (a->arg) {
            spec->arg_column = (int)nproj;
            spec->arg_type = a->arg->type;
            l->names[nproj] = a->text;
            l->exprs[nproj++] = a->arg;
        }
        spec->param = a->param;
        if (a->filter) {
            /* The filter becomes a column the aggregate reads as a mask. */
            spec->filtered = true;
            spec->filter_column = nproj;
            l->names[nproj] = a->text;
            l->exprs[nproj++] = a->filter;
        }
    }
    if ((plan->window.kind || aggs_by_time(plan)) && plan->time_expr) {
        l->time_col = (int)nproj;
        l->names[nproj] = plan->scan_names[plan->time_expr->column];
        l->exprs[nproj++] = plan->time_expr;
    }
    for (uint32_t i = 0; i < plan->naggs; i++)
        l->specs[i].time_column = l->time_col;
    l->nproj = nproj;
    return SL_OK;
}

/* The aggregate and what follows it up to the output projection: [having]. */
static sl_status build_aggregate(const struct sl_plan *plan, const struct agg_layout *l,
                                 struct sl_arena *work, struct sl_pipeline *out,
                                 struct sl_op **tail, struct sl_error *err)
{
    struct sl_op *op;
    sl_status st = plan->window.kind
                       ? window_op(plan, work, out, l->nkeys, l->key_types, l->specs, l->time_col,
                                   &op, err)
                       : op_hash_agg_create(work, l->nkeys, l->key_types, plan->key_names,
                                            plan->naggs, l->specs, &op, err);
    if (st != SL_OK)
        return st;
    link_op(out, tail, op);
    if (!out->agg)
        out->agg = op;
    if (plan->having) {
        st = op_having_create(work, plan->having, op->nout, op->out_types,
                              (const char *const *)op->out_names, &op, err);
        if (st != SL_OK)
            return st;
        link_op(out, tail, op);
    }
    return SL_OK;
}

/* Top-N (issue 16): a ranking derived table's projection is its outputs, then
 * its PARTITION BY and ORDER BY expressions, which the top-N reads after them. */
struct final_proj {
    struct sl_expr **exprs;
    const char **names;
    uint32_t n;
};

static sl_status final_proj_make(const struct sl_plan *plan, struct final_proj *f)
{
    const struct sl_plan_rank *r = plan->rank;
    *f = (struct final_proj){plan->outputs, (const char **)plan->out_names, plan->nout};
    if (!r)
        return SL_OK;
    uint32_t n = plan->nout + r->npartition + r->norder;
    f->exprs = sl_calloc(n, sizeof *f->exprs);
    f->names = sl_calloc(n, sizeof *f->names);
    if (!f->exprs || !f->names) {
        sl_free(f->exprs);
        sl_free(f->names);
        f->exprs = NULL;
        f->names = NULL;
        return SL_NOMEM;
    }
    memcpy(f->exprs, plan->outputs, plan->nout * sizeof *f->exprs);
    memcpy(f->names, plan->out_names, plan->nout * sizeof *f->names);
    for (uint32_t i = 0; i < r->npartition; i++) {
        f->exprs[plan->nout + i] = r->partition[i];
        f->names[plan->nout + i] = "partition by";
    }
    for (uint32_t i = 0; i < r->norder; i++) {
        f->exprs[plan->nout + r->npartition + i] = r->order[i];
        f->names[plan->nout + r->npartition + i] = "order by";
    }
    f->n = n;
    return SL_OK;
}

static void final_proj_free(const struct sl_plan *plan, struct final_proj *f)
{
    if (plan->rank) {
        sl_free(f->exprs);
        sl_free(f->names);
    }
}

static sl_status final_project(const struct sl_plan *plan, struct sl_arena *work,
                               struct sl_op **op, struct sl_error *err)
{
    struct final_proj f;
    if (final_proj_make(plan, &f) != SL_OK)
        return sl_error_set(err, SL_NOMEM, "out of memory planning a projection");
    sl_status st = op_project_create(work, f.exprs, f.n, f.names, op, err);
    final_proj_free(plan, &f);
    return st;
}

/* Marks in used[] the scan columns below n that e reads. */
static void mark_columns(const struct sl_expr *e, bool *used, uint32_t n)
{
    if (e->kind == EXPR_COLUMN && e->column < n)
        used[e->column] = true;
    for (uint32_t a = 0; a < e->nargs; a++)
        mark_columns(e->args[a], used, n);
}

/* The scan columns below n that the operators after the FROM read (WHERE,
 * group keys, aggregate arguments, or the outputs without aggregation);
 * NULL when out of memory. */
static bool *columns_read(const struct sl_plan *plan, uint32_t n)
{
    bool *used = sl_calloc(n ? n : 1, sizeof *used);
    if (!used)
        return NULL;
    if (plan->where)
        mark_columns(plan->where, used, n);
    if (plan->aggregate) {
        for (uint32_t i = first_key(plan); i < plan->nkeys; i++)
            mark_columns(plan->keys[i], used, n);
        if ((plan->window.kind || aggs_by_time(plan)) && plan->time_expr)
            mark_columns(plan->time_expr, used, n);
        for (uint32_t i = 0; i < plan->naggs; i++) {
            if (plan->aggs[i].arg)
                mark_columns(plan->aggs[i].arg, used, n);
            if (plan->aggs[i].filter)
                mark_columns(plan->aggs[i].filter, used, n);
        }
    } else {
        for (uint32_t i = 0; i < plan->nout; i++)
            mark_columns(plan->outputs[i], used, n);
        for (uint32_t i = 0; plan->rank && i < plan->rank->npartition; i++)
            mark_columns(plan->rank->partition[i], used, n);
        for (uint32_t i = 0; plan->rank && i < plan->rank->norder; i++)
            mark_columns(plan->rank->order[i], used, n);
    }
    return used;
}

/* The stream columns the operators after the unnest read: the unnest copies
 * only those, once per element. */
static bool *unnest_carry(const struct sl_plan *plan)
{
    return columns_read(plan, plan->nscan - 1);
}

/* The stream's metadata column holding each record's partition, or -1. */
static int partition_column(const struct sl_stream_def *stream)
{
    const struct sl_connector *c = stream->source.connector;
    for (size_t m = 0; c && m < c->nmetadata; m++)
        if (c->metadata[m].field == SL_FIELD_PARTITION)
            return (int)(stream->ndeclared + m);
    return -1;
}

/* The watermark of stream, first in its chain: it reads the stream's
 * event-time column before any operator can drop a row. */
static sl_status watermark_op(const struct sl_stream_def *stream, struct sl_time_state *time,
                              struct sl_arena *work, struct sl_pipeline *out,
                              struct sl_op **tail, struct sl_error *err)
{
    enum sl_type *types = sl_calloc(stream->ncols + 1, sizeof *types);
    const char **names = sl_calloc(stream->ncols + 1, sizeof *names);
    struct sl_op *op;
    sl_status st = SL_NOMEM;
    if (types && names) {
        for (uint32_t i = 0; i < stream->ncols; i++) {
            types[i] = stream->cols[i].type;
            names[i] = stream->cols[i].name;
        }
        st = op_watermark_create(work, (uint32_t)stream->time_column, partition_column(stream),
                                 stream->watermark_delay_us, time, stream->ncols, types, names,
                                 &op, err);
    }
    sl_free(types);
    sl_free(names);
    if (st == SL_OK)
        link_op(out, tail, op);
    return st;
}

static sl_status build_front(const struct sl_plan *plan, const struct agg_layout *l,
                             struct sl_arena *work, struct sl_pipeline *out, struct sl_op **tail,
                             struct sl_error *err);

const struct sl_plan_join *planner_stream_join(const struct sl_plan *plan)
{
    return plan->njoins && plan->joins[0].kind != SL_JOIN_LOOKUP ? &plan->joins[0] : NULL;
}

/* The column a join side's event time is, over that side's own columns
 * (first: its first column in the scan), or -1 when it is not a column. */
static int side_time_column(const struct sl_expr *time, uint32_t first, uint32_t ncols)
{
    if (!time || time->kind != EXPR_COLUMN || time->column < first ||
        time->column >= first + ncols)
        return -1;
    return (int)(time->column - first);
}

/* Builds one side of a stream join into its own chain: the stream's
 * watermark into time, then its derived table's operators (input, NULL
 * for a plain stream). */
static sl_status build_side(const struct sl_stream_def *stream, const struct sl_plan *input,
                            struct sl_time_state *time, struct sl_arena *work,
                            struct sl_pipeline *side, struct sl_op **tail, struct sl_error *err)
{
    if (stream->time_column < 0)
        return sl_error_set(err, SL_ERROR,
                            "stream %s has no event time: a join of two streams pairs rows by "
                            "their event times; declare one with WATERMARK FOR <column> AS "
                            "<column> - INTERVAL '...' SECOND in CREATE STREAM %s",
                            stream->name, stream->name);
    sl_status st = watermark_op(stream, time, work, side, tail, err);
    if (st == SL_OK && input)
        st = build_front(input, NULL, work, side, tail, err);
    return st;
}

/*
 * A join of two streams: the left chain (plan->stream, through plan->input)
 * into the join, the right chain (j->right_stream, through j->right_input)
 * into its port; what follows the join is built by the caller over the
 * joined rows, as over one stream's.
 */
static sl_status build_stream_join(const struct sl_plan *plan, struct sl_arena *work,
                                   struct sl_pipeline *out, struct sl_op **tail,
                                   struct sl_error *err)
{
    const struct sl_plan_join *j = planner_stream_join(plan);
    uint32_t nleft = j->first_col;
    int lt = side_time_column(j->left_time, 0, nleft);
    int rt = side_time_column(j->right_time, j->first_col, j->ncols);
    if (lt < 0 || rt < 0)
        return sl_error_set(err, SL_ERROR,
                            "a join of two streams needs each side's event-time column in its "
                            "time bound (b.ts BETWEEN a.ts AND a.ts + INTERVAL '1' HOUR)");
    for (uint32_t i = 1; i < plan->njoins; i++)
        if (plan->joins[i].kind != SL_JOIN_LOOKUP)
            return sl_error_set(err, SL_ERROR,
                            "a SELECT joins two streams at most once: join the first two in a "
                            "CREATE STREAM ... AS SELECT and join that stream with the third");
    bool window = j->kind == SL_JOIN_WINDOW;
    /* The aggregate after the join assigns a joined row to the windows of its
     * time: the pair's own window for TUMBLING, but for HOPPING also windows
     * only one of its rows is in. Unaggregated, each pair carries its window. */
    if (window && j->window.kind != SL_WINDOW_TUMBLING && plan->aggregate)
        return sl_error_set(err, SL_ERROR,
                            "an aggregated window join takes a TUMBLING window: over a HOPPING "
                            "one the aggregate would count a pair in windows only one of its rows "
                            "is in; use an interval join (ON ... AND l.ts BETWEEN r.ts - INTERVAL "
                            "... AND r.ts + INTERVAL ...) and the HOPPING window after it");
    if (window && j->window.size_us / j->window.advance_us > 64)
        return sl_error_set(err, SL_ERROR,
                            "a window join's HOPPING window puts a row in at most 64 windows "
                            "(SIZE / ADVANCE BY): make the advance larger");
    struct sl_stream_join_def def = {
        .kind = window ? SL_STREAM_JOIN_WINDOW : SL_STREAM_JOIN_INTERVAL,
        .left_outer = j->type == SL_JOIN_LEFT,
        .nleft = nleft,
        .nright = j->ncols,
        .left_types = plan->scan_types,
        .right_types = plan->scan_types + j->first_col,
        .left_names = plan->scan_names,
        .right_names = plan->scan_names + j->first_col,
        .nkeys = j->nkeys,
        .left_keys = (const struct sl_expr *const *)j->left_keys,
        .right_keys = (const struct sl_expr *const *)j->right_keys,
        .left_time_col = (uint32_t)lt,
        .right_time_col = (uint32_t)rt,
        .lower_us = j->lower_us,
        .upper_us = j->upper_us,
        .size_us = j->window.size_us,
        .advance_us = j->window.advance_us ? j->window.advance_us : j->window.size_us,
        /* The binder puts a window join's window_start and window_end after the right's columns. */
        .window_columns = window && plan->nfrom >= j->first_col + j->ncols + 2,
        .residual = j->residual,
    };
    /* The join keeps and emits only the columns read after it: the rest of a
     * wide row (Nexmark's extra) costs neither state nor copies. */
    bool *needed = columns_read(plan, plan->nfrom);
    if (!needed)
        return SL_NOMEM;
    if (j->residual)
        mark_columns(j->residual, needed, plan->nfrom);
    if (plan->unnest)
        mark_columns(plan->unnest, needed, plan->nfrom);
    for (uint32_t i = 1; i < plan->njoins; i++) {
        const struct sl_plan_join *later = &plan->joins[i];
        for (uint32_t k = 0; k < later->nkeys; k++)
            mark_columns(later->left_keys[k], needed, plan->nfrom);
        if (later->residual)
            mark_columns(later->residual, needed, plan->nfrom);
    }
    def.left_needed = needed;
    def.right_needed = needed + j->first_col;
    struct sl_op *join, *port;
    sl_status st = op_stream_join_create(work, &def, out->time, &join, &port, err);
    sl_free(needed);
    if (st != SL_OK)
        return st;
    struct sl_pipeline right = {0};
    struct sl_op *right_tail = NULL;
    st = build_side(j->right_stream, j->right_input, op_stream_join_time(join, true), work,
                    &right, &right_tail, err);
    if (st == SL_OK)
        st = build_side(plan->stream, plan->input, op_stream_join_time(join, false), work, out,
                        tail, err);
    if (st != SL_OK) {
        op_destroy_chain(right.head);
        op_destroy_chain(join);
        return st;
    }
    right_tail->next = port;
    op_stream_join_set_right_head(join, right.head);
    out->right_head = right.head;
    out->join = join;
    link_op(out, tail, join);
    return SL_OK;
}

/* Appends to the chain plan's operators before its aggregate, l's (all of
 * them without one, l NULL): a derived table's first, so that its outputs
 * are the columns this plan's operators read; then [unnest], [filter] and
 * the pre-aggregation projection (the output projection without l). */
static sl_status build_scan(const struct sl_plan *plan, struct sl_arena *work,
                            struct sl_pipeline *out, struct sl_op **tail, struct sl_error *err);

static sl_status build_front(const struct sl_plan *plan, const struct agg_layout *l,
                             struct sl_arena *work, struct sl_pipeline *out, struct sl_op **tail,
                             struct sl_error *err)
{
    struct sl_op *op;
    sl_status st;
    /* An aggregation with joins has its scan before the exchange (planner_build). */
    if ((!l || !plan->njoins) && (st = build_scan(plan, work, out, tail, err)) != SL_OK)
        return st;
    if (plan->unnest) {
        bool *carry = unnest_carry(plan);
        st = carry ? op_unnest_create(work, plan->unnest, plan->unnest_elem_type,
                                      plan->scan_names[plan->nscan - 1], plan->nscan - 1,
                                      plan->scan_types, plan->scan_names, carry, &op, err)
                   : sl_error_set(err, SL_NOMEM, "out of memory planning an unnest");
        sl_free(carry);
        if (st != SL_OK)
            return st;
        link_op(out, tail, op);
    }
    if (plan->where) {
        st = op_filter_create(work, plan->where, plan->nscan, plan->scan_types, plan->scan_names,
                              &op, err);
        if (st != SL_OK)
            return st;
        link_op(out, tail, op);
    }
    st = l ? op_project_create(work, l->exprs, l->nproj, l->names, &op, err)
           : final_project(plan, work, &op, err);
    if (st == SL_OK)
        link_op(out, tail, op);
    return st;
}

/* Appends an aggregation's aggregate, [having] and output projection. */
static sl_status build_back(const struct sl_plan *plan, const struct agg_layout *l,
                            struct sl_arena *work, struct sl_pipeline *out, struct sl_op **tail,
                            struct sl_error *err)
{
    struct sl_op *op;
    sl_status st = build_aggregate(plan, l, work, out, tail, err);
    if (st == SL_OK && (st = final_project(plan, work, &op, err)) == SL_OK)
        link_op(out, tail, op);
    return st;
}

/* Sets clock on every operator of the chain from op. */
static void set_clock(struct sl_op *op, const struct sl_clock *clock)
{
    for (; op; op = op->next)
        op->clock = clock;
}

/* Builds a chain into *head with build (front or back) over out's time and late rows. */
typedef sl_status (*chain_builder)(const struct sl_plan *, const struct agg_layout *,
                                   struct sl_arena *, struct sl_pipeline *, struct sl_op **,
                                   struct sl_error *);

static sl_status build_lane_chain(chain_builder build, const struct sl_plan *plan,
                                  const struct agg_layout *l, struct sl_arena *arena,
                                  struct sl_pipeline *out, const struct sl_clock *clock,
                                  struct sl_op **head, struct sl_error *err)
{
    struct sl_pipeline lane = {.time = out->time, .late_sink = out->late_sink, .agg = out->agg};
    struct sl_op *tail = NULL;
    sl_status st = build(plan, l, arena, &lane, &tail, err);
    if (!out->agg)
        out->agg = lane.agg;
    if (st != SL_OK) {
        op_destroy_chain(lane.head);
        *head = NULL;
        return st;
    }
    set_clock(lane.head, clock);
    *head = lane.head;
    return SL_OK;
}

bool planner_partitions_groups(const struct sl_plan *plan)
{
    /* A top-N's aggregation is its derived table's. */
    if (plan->input && plan->input->rank && !plan->into_stream && !plan->late_table)
        plan = plan->input;
    return plan->aggregate && plan->nkeys > first_key(plan) && !plan->into_stream &&
           !plan->late_table;
}

/* An aggregation: its fronts and backs in an exchange of `threads` lanes
 * (one back when planner_partitions_groups says no, and one lane for a
 * stream's writer, whose rows must keep the order one pipeline gives:
 * windows in end order). */
static sl_status build_exchange(const struct sl_plan *plan, uint32_t threads,
                                struct sl_arena *work, struct sl_pipeline *out,
                                const struct sl_clock *clock, struct sl_op **tail,
                                struct sl_error *err)
{
    struct agg_layout l;
    if (agg_layout_make(plan, &l) != SL_OK)
        return SL_NOMEM;
    if (plan->into_stream || threads < 1)
        threads = 1;
    uint32_t parts = planner_partitions_groups(plan) ? threads : 1;
    struct sl_op *ex = NULL;
    sl_status st = op_exchange_create(work, threads, parts,
                                      planner_partitions_groups(plan) ? l.nkeys : 0, &ex, err);
    struct sl_pipeline inner = *out;
    if (st == SL_OK && out->late_sink &&
        !(inner.late_sink = op_exchange_late(ex, out->late_sink)))
        st = SL_NOMEM;
    for (uint32_t i = 0; st == SL_OK && i < threads; i++) {
        struct sl_arena *arena = op_exchange_arena(ex, i);
        struct sl_op *front = NULL, *back = NULL;
        st = build_lane_chain(build_front, plan, &l, arena, &inner, clock, &front, err);
        if (st == SL_OK && i < parts)
            st = build_lane_chain(build_back, plan, &l, arena, &inner, clock, &back, err);
        if (st != SL_OK) {
            op_destroy_chain(front);
            op_destroy_chain(back);
        } else {
            st = op_exchange_set(ex, i, front, back, err);
        }
    }
    out->agg = inner.agg;
    agg_layout_free(&l);
    if (st != SL_OK) {
        if (ex)
            op_destroy_chain(ex);
        return st;
    }
    link_op(out, tail, ex);
    out->exchange = ex;
    return SL_OK;
}

/* ---- joins (issue 16) ---- */

/* The affinity a lookup's key is bound with, so that SQLite's = converts as in
 * its own join of the two columns: the left's NUMERIC applies to a TEXT or
 * untyped column, the left's TEXT to an untyped one; else the column's own
 * applies to the bound value, as the join would (NULL). */
static const char *lookup_cast(enum sl_affinity left, enum sl_affinity column)
{
    if (left == SL_AFF_NUMERIC && (column == SL_AFF_TEXT || column == SL_AFF_NONE))
        return "NUMERIC";
    if ((left == SL_AFF_TEXT || left == SL_AFF_TIMESTAMP) && column == SL_AFF_NONE)
        return "TEXT";
    return NULL;
}

/* The lookup join j of plan: input scan[0, first_col), output up to its right's end. */
static sl_status lookup_op(const struct sl_plan *plan, const struct sl_plan_join *j,
                           struct sl_arena *work, struct sl_op **op, struct sl_error *err)
{
    const char **key_names = sl_calloc(j->nkeys ? j->nkeys : 1, sizeof *key_names);
    const char **casts = sl_calloc(j->nkeys ? j->nkeys : 1, sizeof *casts);
    char label[512];
    if (!key_names || !casts) {
        sl_free(key_names);
        sl_free(casts);
        return sl_error_set(err, SL_NOMEM, "out of memory planning a lookup join");
    }
    for (uint32_t k = 0; k < j->nkeys; k++) {
        key_names[k] = plan->scan_names[j->first_col + j->right_key_cols[k]];
        casts[k] = lookup_cast(j->left_keys[k]->affinity, j->right_key_affs[k]);
    }
    snprintf(label, sizeof label, "%s.%s", j->right_schema, j->right_table);
    struct sl_lookup_join_def def = {
        .file = j->right_file,
        .table = j->right_table,
        .label = label,
        .alias = j->right_table,
        .nin = j->first_col,
        .in_types = plan->scan_types,
        .in_names = plan->scan_names,
        .ncols = j->ncols,
        .types = plan->scan_types + j->first_col,
        .names = plan->scan_names + j->first_col,
        .nkeys = j->nkeys,
        .left_keys = j->left_keys,
        .key_names = key_names,
        .key_casts = casts,
        .residual = j->residual,
        .left = j->type == SL_JOIN_LEFT,
    };
    sl_status st = op_lookup_join_create(work, &def, op, err);
    sl_free(key_names);
    sl_free(casts);
    return st;
}

/* What plan's scan columns come from: its derived table's operators, then
 * its lookup joins (each after the left's filter and projection, before the
 * WHERE on the joined row). */
static sl_status build_scan(const struct sl_plan *plan, struct sl_arena *work,
                            struct sl_pipeline *out, struct sl_op **tail, struct sl_error *err)
{
    sl_status st = SL_OK;
    /* A join of two streams (the first join, if any) builds its sides itself,
     * the left's derived table among them; the lookups come after it. */
    bool stream_join = plan->njoins && plan->joins[0].kind != SL_JOIN_LOOKUP;
    if (plan->input && !stream_join)
        st = build_front(plan->input, NULL, work, out, tail, err);
    for (uint32_t i = 0; i < plan->njoins && st == SL_OK; i++) {
        struct sl_op *op;
        if (plan->joins[i].kind != SL_JOIN_LOOKUP)
            continue;
        if ((st = lookup_op(plan, &plan->joins[i], work, &op, err)) == SL_OK)
            link_op(out, tail, op);
    }
    return st;
}

/* Top-N (issue 16): the ranking derived table's pipeline (an aggregation's
 * exchange, or its rows' operators), the top-N, then this plan's [filter]
 * and projection over its changelog: a filter that turns a row out turns an
 * UPDATE into a DELETE, which HAVING's operator does. */
static sl_status build_ranked(const struct sl_plan *plan, uint32_t threads, struct sl_arena *work,
                              struct sl_pipeline *out, const struct sl_clock *clock,
                              struct sl_op **tail, struct sl_error *err)
{
    const struct sl_plan *in = plan->input;
    const struct sl_plan_rank *r = in->rank;
    sl_status st = SL_OK;
    /* Over a join of two streams, the join's watermark is the window's (planner_build). */
    if (in->window.kind && in->time_expr && !planner_stream_join(in))
        st = watermark_op(in->stream, out->time, work, out, tail, err);
    /* An aggregation's lookups come before its exchange, as in planner_build. */
    if (st == SL_OK && in->aggregate && in->njoins)
        st = build_scan(in, work, out, tail, err);
    if (st == SL_OK)
        st = in->aggregate ? build_exchange(in, threads, work, out, clock, tail, err)
                           : build_front(in, NULL, work, out, tail, err);
    if (st != SL_OK)
        return st;
    struct sl_topn_def def = {
        .fn = r->fn,
        .key = r->key,
        .nout = in->nout,
        .rank_col = r->rank_col,
        .npartition = r->npartition,
        .norder = r->norder,
        .desc = r->desc,
        .limit = r->limit,
        .changelog = r->changelog,
        .nidentity = r->nidentity,
        .identity_cols = r->identity_cols,
        .final = r->final,
        .window_part = r->window_part,
        .end_from_start = r->window_end_from_start,
        .size_us = r->window_size_us,
        .grace_us = r->window_grace_us,
    };
    /* Its input is the derived table's projection (an exchange's backs end so). */
    struct final_proj f;
    enum sl_type *types = NULL;
    if (final_proj_make(in, &f) != SL_OK || !(types = sl_calloc(f.n, sizeof *types))) {
        if (!types)
            final_proj_free(in, &f);
        return sl_error_set(err, SL_NOMEM, "out of memory planning a top-N");
    }
    for (uint32_t i = 0; i < f.n; i++)
        types[i] = f.exprs[i]->type;
    struct sl_op *op;
    st = op_topn_create(work, &def, out->time, f.n, types, f.names, &op, err);
    sl_free(types);
    final_proj_free(in, &f);
    if (st != SL_OK)
        return st;
    link_op(out, tail, op);
    if (plan->where) {
        if ((st = op_having_create(work, plan->where, op->nout, op->out_types,
                                   (const char *const *)op->out_names, &op, err)) != SL_OK)
            return st;
        link_op(out, tail, op);
    }
    if ((st = op_project_create(work, plan->outputs, plan->nout, plan->out_names, &op, err)) ==
        SL_OK)
        link_op(out, tail, op);
    return st;
}

sl_status planner_build(const struct sl_plan *plan, uint32_t threads, struct sl_arena *work,
                        struct sl_op *sink, struct sl_op *late_sink,
                        const struct sl_clock *clock, struct sl_pipeline *out,
                        struct sl_error *err)
{
    struct sl_op *tail = NULL;
    *out = (struct sl_pipeline){.late_sink = late_sink};
    out->time = sl_calloc(1, sizeof *out->time);
    if (!out->time)
        return sl_error_set(err, SL_NOMEM, "out of memory planning a query");
    out->time->watermark = INT64_MIN;
    sl_status st = SL_OK;
    /* The join may be in a derived table: it runs first, then the levels above it. */
    const struct sl_plan *joined = plan;
    while (joined && !planner_stream_join(joined))
        joined = joined->input;
    if (joined)
        st = build_stream_join(joined, work, out, &tail, err);
    else if (plan->window.kind && plan->time_expr)
        st = watermark_op(plan->stream, out->time, work, out, &tail, err);
    /* Lookups run on the query's thread, before an aggregation's exchange:
     * each holds one connection, which its threads could not share. */
    if (st == SL_OK && plan->aggregate && plan->njoins)
        st = build_scan(plan, work, out, &tail, err);
    if (st == SL_OK && plan->input && plan->input->rank)
        st = build_ranked(plan, threads, work, out, clock, &tail, err);
    else if (st == SL_OK)
        st = plan->aggregate ? build_exchange(plan, threads, work, out, clock, &tail, err)
                             : build_front(plan, NULL, work, out, &tail, err);
    if (st == SL_OK) {
        tail->next = sink;
        set_clock(out->head, clock);
        set_clock(out->right_head, clock);
        if (late_sink)
            late_sink->clock = clock;
        return SL_OK;
    }
    if (tail)
        tail->next = NULL;
    op_destroy_chain(out->right_head);
    op_destroy_chain(out->head);
    sl_free(out->time);
    out->head = out->agg = out->exchange = out->join = out->right_head = NULL;
    out->time = NULL;
    return st == SL_NOMEM ? sl_error_set(err, SL_NOMEM, "out of memory planning a query") : st;
}

void planner_destroy(struct sl_pipeline *p)
{
    /* The right chain first: it ends in the join's port, which the join frees. */
    op_destroy_chain(p->right_head);
    op_destroy_chain(p->head);
    if (p->time)
        sl_free(p->time->parts);
    sl_free(p->time);
    p->head = p->agg = p->exchange = p->join = p->right_head = NULL;
    p->time = NULL;
}

uint32_t planner_late_columns(const struct sl_plan *plan, struct sl_arena *arena,
                              struct sl_column *cols)
{
    uint32_t n = 0;
    for (uint32_t k = 2; k < plan->nkeys; k++) {
        cols[n].name = plan->key_names[k];
        cols[n++].type = plan->keys[k]->type;
    }
    static const char *const names[] = {"watermark", "window_start", "window_end"};
    cols[n].name = plan->time_expr ? plan->scan_names[plan->time_expr->column] : "event_time";
    cols[n++].type = SL_TIMESTAMP;
    for (uint32_t i = 0; i < 3; i++) {
        cols[n].name = names[i];
        cols[n++].type = SL_TIMESTAMP;
    }
    cols[n].name = "lateness_ms";
    cols[n++].type = SL_REAL;
    /* A key may be named like a column added here (GROUP BY ts): n, n:1, n:2. */
    for (uint32_t i = 1; i < n; i++) {
        const char *orig = cols[i].name;
        size_t cap = strlen(orig) + 16;
        for (int suffix = 1;; suffix++) {
            bool clash = false;
            for (uint32_t j = 0; j < i && !clash; j++)
                clash = strcasecmp(cols[j].name, cols[i].name) == 0;
            if (!clash)
                break;
            char *name = arena_alloc(arena, cap);
            if (!name)
                return 0;
            snprintf(name, cap, "%s:%d", orig, suffix);
            cols[i].name = name;
        }
    }
    return n;
}
