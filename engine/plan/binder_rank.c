/*
 * binder_rank.c — binds top-N (issue 16): a derived table ranks its rows with
 * ROW_NUMBER() | RANK() | DENSE_RANK() OVER ([PARTITION BY ...] ORDER BY ...)
 * as a select item, and the outer SELECT keeps the first ranks with `rn <= N`
 * (or rn < N, rn = 1, N >= rn) in its WHERE, ANDed with anything else. The
 * derived table reads a stream (top-N of rows, deduplication) or aggregates
 * (top-N of groups, whose values change: a changelog). What is bound here
 * goes to the derived table's plan (struct sl_plan_rank), which the planner
 * turns into engine/ops/op_topn.c. The result table's key is chosen here so
 * that each change the operator emits names one row (ops.h, sl_topn_key).
 */
#include "engine/plan/binder.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The largest N: a partition keeps up to N rows (and their ties) in memory. */
#define RANK_LIMIT_MAX 100000

static const char *const bound_hint =
    "keep the first ranks in an outer SELECT: SELECT * FROM (SELECT *, ROW_NUMBER() OVER "
    "(PARTITION BY k ORDER BY v DESC) AS rn FROM s) WHERE rn <= 10";

bool bind_rank_is_call(const struct ast_expr *a)
{
    return a && a->kind == AST_CALL && a->over;
}

bool bind_select_ranks(const struct ast_select *sel)
{
    for (uint32_t i = 0; i < sel->nitems; i++)
        if (bind_rank_is_call(sel->items[i].expr))
            return true;
    return false;
}

static bool rank_fn(const char *name, enum sl_topn_fn *fn)
{
    static const struct {
        const char *name;
        enum sl_topn_fn fn;
    } fns[] = {{"row_number", SL_TOPN_ROW_NUMBER}, {"rank", SL_TOPN_RANK},
               {"dense_rank", SL_TOPN_DENSE_RANK}};
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        if (strcasecmp(name, fns[i].name) == 0) {
            *fn = fns[i].fn;
            return true;
        }
    }
    return false;
}

struct sl_expr *bind_rank_item(const struct ast_select_item *it, bool derived, struct sl_plan *p,
                               bind_item_fn bind, void *binder, struct sl_arena *arena,
                               struct sl_diags *diags)
{
    const struct ast_expr *a = it->expr;
    const struct ast_over *over = a->over;
    enum sl_topn_fn fn;
    if (!rank_fn(a->name.text, &fn)) {
        diags_add(diags, a->pos, a->name.span,
                  "rank rows with ROW_NUMBER(), RANK() or DENSE_RANK(); aggregate over time with "
                  "GROUP BY ... WINDOW; over a query's table SQLite runs any OVER as it is",
                  "%s() OVER (...) is not supported: only ROW_NUMBER(), RANK() and DENSE_RANK() "
                  "are", a->name.text);
        return NULL;
    }
    if (!derived) {
        diags_add(diags, a->pos, a->name.span, bound_hint,
                  "%s() over a stream is unbounded: every row would keep a rank forever",
                  a->name.text);
        return NULL;
    }
    if (p->rank) {
        diags_add(diags, a->pos, a->name.span, "rank once per SELECT; nest derived tables for more",
                  "a SELECT takes one ranking function");
        return NULL;
    }
    if (!over->norder) {
        diags_add(diags, over->keyword.pos, over->keyword.span,
                  "say which rows come first: OVER (PARTITION BY k ORDER BY ts DESC)",
                  "%s() needs ORDER BY in its OVER (...)", a->name.text);
        return NULL;
    }
    struct sl_plan_rank *r = arena_calloc(arena, sizeof *r);
    uint32_t np = over->partition_by ? over->partition_by->count : 0;
    if (!r || !(r->partition = arena_calloc(arena, (np ? np : 1) * sizeof *r->partition)) ||
        !(r->order = arena_calloc(arena, over->norder * sizeof *r->order)) ||
        !(r->desc = arena_calloc(arena, over->norder * sizeof *r->desc)))
        return NULL;
    r->fn = fn;
    r->window_part = -1;
    bool ok = true;
    for (uint32_t i = 0; i < np; i++) {
        r->partition[i] = bind(binder, over->partition_by->items[i]);
        ok = ok && r->partition[i];
    }
    for (uint32_t i = 0; i < over->norder; i++) {
        r->order[i] = bind(binder, over->order_by[i].expr);
        r->desc[i] = over->order_by[i].desc;
        ok = ok && r->order[i];
    }
    if (!ok)
        return NULL;
    r->npartition = np;
    r->norder = over->norder;
    p->rank = r;
    /* A placeholder: the operator writes the rank into this column. */
    struct sl_expr *e = arena_calloc(arena, sizeof *e);
    if (e) {
        e->kind = EXPR_CONST;
        e->type = SL_INT;
        e->pos = a->pos;
        e->value = sl_null();
    }
    return e;
}

/* The output whose expression is the same column reference as e; -1 if none. */
static int output_of(const struct sl_plan *p, const struct sl_expr *e)
{
    for (uint32_t i = 0; e->kind == EXPR_COLUMN && i < p->nout; i++)
        if (p->outputs[i]->kind == EXPR_COLUMN && p->outputs[i]->column == e->column)
            return (int)i;
    return -1;
}

sl_status bind_rank_finish(struct sl_plan *p, const struct sl_expr *placeholder,
                           struct sl_arena *arena)
{
    struct sl_plan_rank *r = p->rank;
    for (uint32_t i = 0; i < p->nout; i++)
        if (p->outputs[i] == placeholder)
            r->rank_col = i;
    /* An EMIT FINAL aggregation writes each group once: appended rows, of
     * which a partition keeps its top only; under EMIT CHANGES groups change. */
    r->changelog = p->aggregate && !p->emit_final;
    if (p->aggregate) {
        r->identity_cols = arena_calloc(arena, (p->nout ? p->nout : 1) * sizeof *r->identity_cols);
        if (!r->identity_cols)
            return SL_NOMEM;
        for (uint32_t i = 0; i < p->nout; i++)
            if (p->out_is_key[i])
                r->identity_cols[r->nidentity++] = i;
    }
    /* Partitioned by the window (keys 0 and 1 of a windowed aggregation):
     * a partition is over once its window closes. */
    for (uint32_t i = 0; p->window.kind && i < r->npartition; i++) {
        const struct sl_expr *e = r->partition[i];
        if (e->kind != EXPR_COLUMN || e->column > 1)
            continue;
        if (e->column == 1 || r->window_part < 0) {
            r->window_part = (int)i;
            r->window_end_from_start = e->column == 0;
        }
    }
    if (r->window_end_from_start && p->window.kind == SL_WINDOW_SESSION)
        r->window_part = -1; /* a session's start does not say where it ends */
    r->window_size_us = p->window.size_us;
    r->window_grace_us = p->window.grace_us;
    r->final = p->emit_final && r->window_part >= 0;
    return SL_OK;
}

/* The N of one conjunct that bounds the rank from above (rn <= N, rn < N,
 * rn = N, N >= rn, N > rn, N = rn), with *equal for rn = N; false for any other. */
static bool rank_bound(const struct sl_expr *e, uint32_t rank_col, int64_t *n, bool *equal)
{
    if (e->kind != EXPR_BINARY || e->nargs != 2)
        return false;
    const struct sl_expr *l = e->args[0], *r = e->args[1];
    enum ast_op op = e->op;
    if (r->kind == EXPR_COLUMN && r->column == rank_col && l->kind == EXPR_CONST) {
        const struct sl_expr *t = l;
        l = r;
        r = t;
        op = op == AST_OP_GE ? AST_OP_LE : op == AST_OP_GT ? AST_OP_LT : op;
    }
    if (l->kind != EXPR_COLUMN || l->column != rank_col || r->kind != EXPR_CONST ||
        r->value.type != SL_INT)
        return false;
    *equal = op == AST_OP_EQ;
    switch (op) {
    case AST_OP_LE:
    case AST_OP_EQ: *n = r->value.u.i; return true;
    case AST_OP_LT: *n = r->value.u.i == INT64_MIN ? INT64_MIN : r->value.u.i - 1; return true;
    default: return false;
    }
}

/* e without the conjuncts that bound the rank (NULL when nothing is left);
 * the tightest bound into *limit. rn = N with N > 1 stays as a filter too. */
static struct sl_expr *take_bounds(struct sl_expr *e, uint32_t rank_col, int64_t *limit,
                                   struct sl_arena *arena)
{
    if (e->kind == EXPR_BINARY && e->op == AST_OP_AND) {
        struct sl_expr *l = take_bounds(e->args[0], rank_col, limit, arena);
        struct sl_expr *r = take_bounds(e->args[1], rank_col, limit, arena);
        if (!l || !r)
            return l ? l : r;
        if (l == e->args[0] && r == e->args[1])
            return e;
        struct sl_expr *copy = arena_alloc(arena, sizeof *copy);
        struct sl_expr **args = arena_alloc(arena, 2 * sizeof *args);
        if (!copy || !args)
            return e; /* out of memory: the bound stays a filter too, which is still right */
        *copy = *e;
        args[0] = l;
        args[1] = r;
        copy->args = args;
        return copy;
    }
    int64_t n;
    bool equal;
    if (!rank_bound(e, rank_col, &n, &equal))
        return e;
    if (*limit == 0 || n < *limit)
        *limit = n < 0 ? -1 : n == 0 ? -1 : n;
    return equal && n > 1 ? e : NULL;
}

/* The outer output that selects the derived table's column col as it is; -1 if none. */
static int outer_selects(const struct sl_plan *outer, uint32_t col)
{
    for (uint32_t i = 0; i < outer->nout; i++)
        if (outer->outputs[i]->kind == EXPR_COLUMN && outer->outputs[i]->column == col)
            return (int)i;
    return -1;
}

/* Marks the outer outputs selecting the derived table's columns cols[0..n) as
 * the key; false (nothing marked) when one is not selected. */
static bool key_by(struct sl_plan *outer, const uint32_t *cols, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++)
        if (outer_selects(outer, cols[k]) < 0)
            return false;
    for (uint32_t k = 0; k < n; k++)
        outer->out_is_key[outer_selects(outer, cols[k])] = true;
    return true;
}

/* The result table's key (ops.h, sl_topn_key): false after an error. */
static bool choose_key(const struct ast_select *sel, struct sl_plan *outer, struct sl_plan_rank *r,
                       struct sl_arena *arena, struct sl_diags *diags)
{
    const struct sl_plan *in = outer->input;
    if (r->nidentity && key_by(outer, r->identity_cols, r->nidentity)) {
        r->key = SL_TOPN_KEY_IDENTITY;
        return true;
    }
    uint32_t *cols = arena_calloc(arena, (r->npartition + 1) * sizeof *cols);
    if (!cols)
        return false;
    bool columns = true;
    for (uint32_t i = 0; i < r->npartition && columns; i++) {
        int o = output_of(in, r->partition[i]);
        columns = o >= 0;
        cols[i] = o < 0 ? 0 : (uint32_t)o;
    }
    uint32_t n = r->npartition;
    if (r->limit > 1 || outer_selects(outer, r->rank_col) >= 0)
        cols[n++] = r->rank_col;
    if (r->fn == SL_TOPN_ROW_NUMBER && columns && key_by(outer, cols, n)) {
        r->key = SL_TOPN_KEY_POSITION;
        return true;
    }
    if (!r->changelog) {
        r->key = SL_TOPN_KEY_ROW;
        for (uint32_t i = 0; i < outer->nout; i++)
            outer->out_is_key[i] = true;
        return true;
    }
    diags_add(diags, sel->pos, 6,
              "select the derived table's group keys (or, for ROW_NUMBER(), its PARTITION BY "
              "columns and the rank) in this SELECT: they key the result table, so that a group "
              "leaving the top N is deleted",
              "a top-N of groups needs its groups' keys in the result");
    return false;
}

sl_status bind_rank_outer(const struct ast_select *sel, struct sl_plan *outer,
                          struct sl_arena *arena, struct sl_diags *diags)
{
    struct sl_plan_rank *r = outer->input->rank;
    uint32_t errors = diags->count;
    if (outer->where)
        outer->where = take_bounds(outer->where, r->rank_col, &r->limit, arena);
    const char *rn = outer->input->out_names[r->rank_col];
    if (r->limit == 0)
        diags_add(diags, sel->pos, 6, bound_hint,
                  "the rank %s needs a bound in this SELECT's WHERE: %s <= N", rn, rn);
    else if (r->limit < 0)
        diags_add(diags, sel->where->pos, sel->where->span, "ranks start at 1",
                  "this WHERE keeps no rank of %s", rn);
    else if (r->limit > RANK_LIMIT_MAX)
        diags_add(diags, sel->where->pos, sel->where->span,
                  "keep at most 100000 ranks per partition; each is held in memory",
                  "%s <= %lld keeps too many rows", rn, (long long)r->limit);
    const char *shape = outer->aggregate ? "aggregate"
                        : outer->unnest  ? "unnest"
                        : outer->njoins  ? "join"
                                         : NULL;
    if (shape)
        diags_add(diags, sel->pos, 6,
                  "filter and project the top N here; aggregate or join inside the derived table",
                  "a top-N's rows change as ranks move: the outer SELECT cannot %s them", shape);
    if (diags->count > errors)
        return SL_ERROR;
    return choose_key(sel, outer, r, arena, diags) ? SL_OK : SL_ERROR;
}
