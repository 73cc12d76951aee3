/*
 * binder_join.c — what a join's ON condition means (plan.h, struct
 * sl_plan_join). The bound condition is cut at its ANDs; each conjunct is
 *   - an equi-key: left expression = right expression, each side reading
 *     only its own columns (for a lookup the right side must be a plain
 *     column of the table, so an index can serve it);
 *   - a time bound (a join of two streams): the right's event time compared
 *     with the left's, each plus or minus a constant, which bounds
 *     right.time - left.time from below or above;
 *   - or part of the residual, evaluated on each joined row.
 * The kind follows from the right item: a SQLite table is a LOOKUP; a stream
 * is an INTERVAL join when the bounds close on both sides, a WINDOW join
 * when the SELECT has a TUMBLING or HOPPING window instead, and refused
 * otherwise: unbounded, its state would grow forever.
 */
#include "engine/plan/binder.h"

#include <stdio.h>
#include <string.h>

/* What the analysis of one join collects. */
struct join_parts {
    const struct bound_from *from;
    uint32_t first, end; /* the right's columns: scan[first, end) */
    int left_time, right_time; /* scan columns of the event times; -1: none */
    struct sl_expr **conj;
    uint32_t nconj;
    bool *used;    /* conj[i] became a key */
    bool *is_time; /* conj[i] bounds the event times */
    bool has_lower, has_upper;
    int64_t lower_us, upper_us;
};

/* Columns e reads: whether any below first (left), any in [first, end) (right). */
static void sides(const struct sl_expr *e, uint32_t first, uint32_t end, bool *left, bool *right)
{
    if (e->kind == EXPR_COLUMN) {
        *left = *left || e->column < first;
        *right = *right || (e->column >= first && e->column < end);
    }
    for (uint32_t i = 0; i < e->nargs; i++)
        sides(e->args[i], first, end, left, right);
}

static uint32_t count_conjuncts(const struct sl_expr *e)
{
    if (e->kind == EXPR_BINARY && e->op == AST_OP_AND)
        return count_conjuncts(e->args[0]) + count_conjuncts(e->args[1]);
    return 1;
}

static void collect_conjuncts(struct sl_expr *e, struct sl_expr **out, uint32_t *n)
{
    if (e->kind == EXPR_BINARY && e->op == AST_OP_AND) {
        collect_conjuncts(e->args[0], out, n);
        collect_conjuncts(e->args[1], out, n);
    } else {
        out[(*n)++] = e;
    }
}

/* A copy of e with every column index minus shift (right keys over the right's own columns). */
static struct sl_expr *rebase(const struct sl_expr *e, uint32_t shift, struct sl_arena *arena)
{
    struct sl_expr *c = arena_alloc(arena, sizeof *c);
    if (!c)
        return NULL;
    *c = *e;
    if (e->kind == EXPR_COLUMN)
        c->column -= shift;
    if (e->nargs) {
        c->args = arena_alloc(arena, e->nargs * sizeof *c->args);
        if (!c->args)
            return NULL;
        for (uint32_t i = 0; i < e->nargs; i++)
            if (!(c->args[i] = rebase(e->args[i], shift, arena)))
                return NULL;
    }
    return c;
}

/* e as time column plus a constant number of microseconds: *col and *off. */
static bool time_term(const struct sl_expr *e, int *col, int64_t *off)
{
    if (e->kind == EXPR_COLUMN) {
        *col = (int)e->column;
        *off = 0;
        return true;
    }
    if (e->kind != EXPR_BINARY || (e->op != AST_OP_ADD && e->op != AST_OP_SUB))
        return false;
    const struct sl_expr *l = e->args[0], *r = e->args[1];
    if (r->kind == EXPR_CONST && r->value.type == SL_INT && time_term(l, col, off)) {
        int64_t c = r->value.u.i;
        if (c == INT64_MIN || __builtin_add_overflow(*off, e->op == AST_OP_ADD ? c : -c, off))
            return false;
        return true;
    }
    if (e->op == AST_OP_ADD && l->kind == EXPR_CONST && l->value.type == SL_INT &&
        time_term(r, col, off))
        return !__builtin_add_overflow(*off, l->value.u.i, off);
    return false;
}

/* Records right.time - left.time >= lo (lower) or <= hi (upper): the tightest wins. */
static void add_bound(struct join_parts *j, bool lower, int64_t v)
{
    if (lower) {
        if (!j->has_lower || v > j->lower_us)
            j->lower_us = v;
        j->has_lower = true;
    } else {
        if (!j->has_upper || v < j->upper_us)
            j->upper_us = v;
        j->has_upper = true;
    }
}

/* a op b between time terms: a bound on right.time - left.time, if it is one. */
static bool compare_bound(struct join_parts *j, const struct sl_expr *a, enum ast_op op,
                          const struct sl_expr *b)
{
    int ca, cb;
    int64_t oa, ob;
    if (j->left_time < 0 || j->right_time < 0 || !time_term(a, &ca, &oa) ||
        !time_term(b, &cb, &ob))
        return false;
    /* Written as right + oa op left + ob: right - left op ob - oa. */
    if (ca == j->left_time && cb == j->right_time) {
        int c = ca;
        int64_t o = oa;
        ca = cb, oa = ob, cb = c, ob = o;
        op = op == AST_OP_LT ? AST_OP_GT : op == AST_OP_LE ? AST_OP_GE
           : op == AST_OP_GT ? AST_OP_LT : op == AST_OP_GE ? AST_OP_LE : op;
    }
    if (ca != j->right_time || cb != j->left_time)
        return false;
    int64_t d;
    if (__builtin_sub_overflow(ob, oa, &d) || d == INT64_MIN || d == INT64_MAX)
        return false;
    switch (op) {
    case AST_OP_EQ: add_bound(j, true, d); add_bound(j, false, d); return true;
    case AST_OP_GE: add_bound(j, true, d); return true;
    case AST_OP_GT: add_bound(j, true, d + 1); return true; /* microseconds are whole */
    case AST_OP_LE: add_bound(j, false, d); return true;
    case AST_OP_LT: add_bound(j, false, d - 1); return true;
    default: return false;
    }
}

/* A conjunct that bounds the two event times (all its parts, or it stays residual). */
static bool time_bound(struct join_parts *j, const struct sl_expr *e)
{
    if (e->kind == EXPR_BETWEEN && !e->negated) {
        struct join_parts probe = *j;
        if (!compare_bound(&probe, e->args[0], AST_OP_GE, e->args[1]) ||
            !compare_bound(&probe, e->args[0], AST_OP_LE, e->args[2]))
            return false;
        *j = probe;
        return true;
    }
    if (e->kind != EXPR_BINARY || e->op < AST_OP_EQ || e->op > AST_OP_GE || e->op == AST_OP_NE)
        return false;
    return compare_bound(j, e->args[0], e->op, e->args[1]);
}

/* A conjunct left = right (either way round): its key expressions, or false. */
static bool equi_key(const struct join_parts *j, const struct sl_expr *e,
                     const struct sl_expr **lk, const struct sl_expr **rk)
{
    if (e->kind != EXPR_BINARY || e->op != AST_OP_EQ)
        return false;
    bool l0 = false, r0 = false, l1 = false, r1 = false;
    sides(e->args[0], j->first, j->end, &l0, &r0);
    sides(e->args[1], j->first, j->end, &l1, &r1);
    if (l0 && !r0 && r1 && !l1) {
        *lk = e->args[0];
        *rk = e->args[1];
        return true;
    }
    if (l1 && !r1 && r0 && !l0) {
        *lk = e->args[1];
        *rk = e->args[0];
        return true;
    }
    return false;
}

/* The AND of the conjuncts not used as keys or bounds (time bounds kept
 * unless the join enforces them) into *out, NULL if none; false when out of memory. */
static bool residual(const struct join_parts *j, bool bounds_enforced, struct sl_arena *arena,
                     struct sl_expr **out)
{
    struct sl_expr *r = NULL;
    for (uint32_t i = 0; i < j->nconj; i++) {
        if (j->used[i] || (bounds_enforced && j->is_time[i]))
            continue;
        if (!r) {
            r = j->conj[i];
            continue;
        }
        struct sl_expr *and = arena_calloc(arena, sizeof *and);
        struct sl_expr **args = arena_alloc(arena, 2 * sizeof *args);
        if (!and || !args)
            return false;
        args[0] = r;
        args[1] = j->conj[i];
        and->kind = EXPR_BINARY;
        and->op = AST_OP_AND;
        and->type = SL_BOOL;
        and->pos = r->pos;
        and->nargs = 2;
        and->args = args;
        r = and;
    }
    *out = r;
    return true;
}

/* The event-time column of the items up to `end` that is the left's: the
 * first item's (the join of two streams is the first join). */
static int left_time_col(const struct bound_from *f)
{
    const struct bound_item *l = &f->items[0];
    return l->time_col >= 0 ? (int)(l->first + (uint32_t)l->time_col) : -1;
}

static const char *const bound_hint_fmt =
    "bound the right's event time by the left's with constants, e.g. ON %s.k = %s.k AND "
    "%s.%s BETWEEN %s.%s - INTERVAL '1' MINUTE AND %s.%s + INTERVAL '1' MINUTE (a bound by "
    "another column, such as %s.expires, needs a constant cap as well), or add WINDOW "
    "TUMBLING (SIZE ...) for a window join";

/* A join of two streams: its time bound or window; false after an error. */
static bool stream_kind(const struct ast_select *select, const struct ast_join *aj,
                        const struct bound_item *r, struct join_parts *j,
                        struct sl_plan_join *pj, const struct sl_plan *plan,
                        struct sl_diags *diags)
{
    const struct bound_from *f = j->from;
    const struct bound_item *l = &f->items[0];
    if (j->left_time < 0 || j->right_time < 0) {
        const struct bound_item *no = j->left_time < 0 ? l : r;
        if (no->input && no->stream->time_column >= 0) {
            char hint[300];
            snprintf(hint, sizeof hint,
                     "select %s's event-time column, %s, in the derived table, as it is (the "
                     "join bounds it)",
                     no->stream->name, no->stream->cols[no->stream->time_column].name);
            diags_add(diags, no->pos, no->span, hint,
                      "%s does not select its stream's event time: two streams join on event "
                      "time", no->label);
            return false;
        }
        diags_add(diags, no->pos, no->span,
                  "declare its event time: CREATE STREAM ... (..., ts TIMESTAMP, WATERMARK FOR "
                  "ts AS ts - INTERVAL '5' SECOND); a join of two streams keeps rows until the "
                  "watermarks pass their time bound",
                  "%s has no event time (WATERMARK): two streams join on event time",
                  no->label);
        return false;
    }
    if (j->has_lower && j->has_upper) {
        if (j->lower_us > j->upper_us) {
            diags_add(diags, aj->on->pos, aj->on->span, "check the bounds' order",
                      "the ON condition's time bounds leave no room: the right's time would be at "
                      "least %lld and at most %lld microseconds from the left's",
                      (long long)j->lower_us, (long long)j->upper_us);
            return false;
        }
        pj->kind = SL_JOIN_INTERVAL;
        pj->lower_us = j->lower_us;
        pj->upper_us = j->upper_us;
        return true;
    }
    if (plan->window.kind == SL_WINDOW_TUMBLING || plan->window.kind == SL_WINDOW_HOPPING) {
        /* A one-sided time bound is not enforced by the window: it stays in the residual. */
        pj->kind = SL_JOIN_WINDOW;
        pj->window = plan->window;
        return true;
    }
    char hint[900];
    const char *la = l->alias ? l->alias : "l", *ra = r->alias ? r->alias : "r";
    const char *lt = f->names[j->left_time], *rt = f->names[j->right_time];
    snprintf(hint, sizeof hint, bound_hint_fmt, la, ra, ra, rt, la, lt, la, lt, ra);
    if (select->window.kind == AST_WINDOW_SESSION)
        diags_add(diags, select->window.keyword.pos, select->window.keyword.span, hint,
                  "a join of two streams cannot use a SESSION window: its windows are only "
                  "known once they close");
    else
        diags_add(diags, aj->keyword.pos, aj->keyword.span, hint,
                  "a join of two streams needs a time bound: its ON condition %s",
                  j->has_lower   ? "bounds the right's time only from below"
                  : j->has_upper ? "bounds the right's time only from above"
                                 : "does not bound the right's event time by the left's");
    return false;
}

sl_status bind_join_on(const struct ast_select *select, const struct bound_from *from,
                       uint32_t i, struct sl_expr *on, struct sl_plan *plan,
                       struct sl_arena *arena, struct sl_diags *diags)
{
    const struct ast_join *aj = &select->joins[i];
    const struct bound_item *right = &from->items[i + 1];
    struct sl_plan_join *pj = &plan->joins[i];
    struct join_parts j = {.from = from, .first = right->first,
                           .end = right->first + right->ncols, .left_time = -1, .right_time = -1};
    pj->type = aj->type == AST_JOIN_LEFT ? SL_JOIN_LEFT : SL_JOIN_INNER;
    pj->first_col = right->first;
    pj->ncols = right->ncols;
    pj->right_stream = right->stream;
    pj->right_input = right->input;
    j.nconj = count_conjuncts(on);
    j.conj = arena_alloc(arena, j.nconj * sizeof *j.conj);
    j.used = arena_calloc(arena, j.nconj * sizeof *j.used);
    j.is_time = arena_calloc(arena, j.nconj * sizeof *j.is_time);
    pj->left_keys = arena_alloc(arena, j.nconj * sizeof *pj->left_keys);
    pj->right_keys = arena_alloc(arena, j.nconj * sizeof *pj->right_keys);
    pj->right_key_cols = arena_alloc(arena, j.nconj * sizeof *pj->right_key_cols);
    pj->right_key_affs = arena_alloc(arena, j.nconj * sizeof *pj->right_key_affs);
    if (!j.conj || !j.used || !j.is_time || !pj->left_keys || !pj->right_keys ||
        !pj->right_key_cols || !pj->right_key_affs)
        return SL_NOMEM;
    j.nconj = 0;
    collect_conjuncts(on, j.conj, &j.nconj);
    bool lookup = right->table != NULL;
    if (lookup) {
        pj->kind = SL_JOIN_LOOKUP;
        pj->right_schema = right->table->schema;
        pj->right_table = right->table->table;
        pj->right_file = right->table->file;
    } else {
        for (uint32_t k = 0; k < i; k++)
            if (plan->joins[k].kind != SL_JOIN_LOOKUP) {
                diags_add(diags, aj->keyword.pos, aj->keyword.span,
                          "join the two streams in one SELECT and the result to the third in "
                          "an outer one: FROM (SELECT ... FROM a JOIN b ON ...) AS ab JOIN c ON ...",
                          "a SELECT joins at most two streams");
                return SL_OK;
            }
        if (i > 0) {
            diags_add(diags, aj->keyword.pos, aj->keyword.span,
                      "join the two streams first, then the tables: FROM a JOIN b ON ... JOIN "
                      "table t ON ...",
                      "a join of two streams must come before the lookups of tables");
            return SL_OK;
        }
        j.left_time = left_time_col(from);
        if (right->time_col >= 0)
            j.right_time = (int)(right->first + (uint32_t)right->time_col);
    }
    for (uint32_t c = 0; c < j.nconj; c++) {
        const struct sl_expr *lk, *rk;
        if (equi_key(&j, j.conj[c], &lk, &rk) && (!lookup || rk->kind == EXPR_COLUMN)) {
            pj->left_keys[pj->nkeys] = (struct sl_expr *)lk;
            if (!(pj->right_keys[pj->nkeys] = rebase(rk, right->first, arena)))
                return SL_NOMEM;
            pj->right_key_affs[pj->nkeys] = rk->affinity;
            pj->right_key_cols[pj->nkeys++] = rk->kind == EXPR_COLUMN ? rk->column - right->first
                                                                       : UINT32_MAX;
            j.used[c] = true;
        } else if (!lookup && time_bound(&j, j.conj[c])) {
            j.is_time[c] = true;
        }
    }
    if (lookup && pj->nkeys == 0) {
        char hint[400];
        snprintf(hint, sizeof hint,
                 "a lookup finds the table's rows by equality: ON %s.col = %s.<column of %s>",
                 from->items[0].label, right->label, right->label);
        diags_add(diags, aj->on->pos, aj->on->span, hint,
                  "the ON condition of a join with table %s has no equality between a column of "
                  "the table and an expression of the left side",
                  right->label);
        return SL_OK;
    }
    if (!lookup && !stream_kind(select, aj, right, &j, pj, plan, diags))
        return SL_OK;
    if (!lookup) {
        pj->left_time = arena_calloc(arena, sizeof *pj->left_time);
        pj->right_time = arena_calloc(arena, sizeof *pj->right_time);
        if (!pj->left_time || !pj->right_time)
            return SL_NOMEM;
        *pj->left_time = (struct sl_expr){.kind = EXPR_COLUMN, .type = SL_TIMESTAMP,
                                          .affinity = SL_AFF_TIMESTAMP,
                                          .column = (uint32_t)j.left_time, .pos = on->pos};
        *pj->right_time = *pj->left_time;
        pj->right_time->column = (uint32_t)j.right_time;
        pj->left_time->type = from->types[j.left_time];
        pj->right_time->type = from->types[j.right_time];
    }
    return residual(&j, pj->kind == SL_JOIN_INTERVAL, arena, &pj->residual) ? SL_OK : SL_NOMEM;
}
