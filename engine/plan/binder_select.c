/*
 * binder_select.c — binds a SELECT over a stream: resolves columns (the
 * FROM's, binder_from.c, then the UNNEST alias), types every expression,
 * collects the aggregates and rewrites the select list over [group keys...,
 * aggregates...].
 */
#include "engine/plan/binder.h"

#include "common/alloc.h"
#include "common/buf.h"
#include "common/time.h"
#include "engine/functions/function.h"
#include "engine/values/sqlval.h"
#include "parser/ast_equal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum bind_mode {
    BIND_SCAN,   /* WHERE, GROUP BY, UNNEST, aggregate arguments: no aggregates */
    BIND_OUTPUT, /* select list of an aggregation: keys and aggregates */
    BIND_PLAIN,  /* select list of a projection */
};

struct binder {
    const struct ast_select *select;
    struct sl_arena *arena;
    struct sl_diags *diags;
    struct sl_plan *plan;
    const char *clause; /* "WHERE", "GROUP BY", ... for messages */
    const struct bound_from *from; /* a stream or a derived table, and joins (binder_from.c) */
    /* The FROM items whose columns are in scope: all of them, but while an ON
     * condition is bound only the items up to its join's right. */
    uint32_t nvisible;
    const struct ast_expr **key_asts;
    uint32_t agg_cap;
    const struct ast_expr **agg_asts;
    bool in_having; /* HAVING may name select-list aliases, as in SQLite */
    bool derived;   /* a derived table's SELECT, which may rank its rows (top-N) */
    enum bind_mode list_mode; /* the select list's, which a ranking's OVER binds in */
    const struct sl_expr *rank_placeholder; /* the ranking item's output, if any */
};

static struct sl_expr *new_expr(struct binder *b, enum sl_expr_kind kind, enum sl_type type,
                                struct sl_pos pos)
{
    struct sl_expr *e = arena_calloc(b->arena, sizeof *e);
    if (e) {
        e->kind = kind;
        e->type = type;
        e->pos = pos;
    }
    return e;
}

static struct sl_expr *column_ref(struct binder *b, uint32_t column, enum sl_type type,
                                  enum sl_affinity affinity, struct sl_pos pos)
{
    struct sl_expr *e = new_expr(b, EXPR_COLUMN, type, pos);
    if (e) {
        e->column = column;
        e->affinity = affinity;
    }
    return e;
}

/*
 * Whether e is a replace() call (under unary pluses, which SQLite does not
 * evaluate): with an empty pattern replace() hands back its first argument
 * itself, and SQLite hands back a number so together with the text it
 * rendered while reading it. Text affinity finds such a value text already
 * and leaves it a number, so t > replace(5, '', '') compares t with the
 * number 5 (TRUE: text is above numbers). Any other replace() result is
 * text, which text affinity does not change either.
 */
static bool keeps_number(const struct sl_expr *e)
{
    while (e->kind == EXPR_UNARY && e->op == AST_OP_PLUS)
        e = e->args[0];
    return e->kind == EXPR_CALL && strcmp(e->fn->name, "replace") == 0;
}

/* Whether comparison affinity aff converts operand e. */
static bool pair_converts(enum sl_affinity aff, const struct sl_expr *e)
{
    return expr_affinity_converts(aff, e->type) && !(aff == SL_AFF_TEXT && keeps_number(e));
}

/* The comparison affinity between l and r, or NONE when it converts neither. Text affinity
 * comes from an operand that is text (a TEXT column, a CAST AS TEXT), so only the other one
 * is ever converted, and pair_converts() decides for it alone. */
static enum sl_affinity pair_affinity(const struct sl_expr *l, const struct sl_expr *r)
{
    enum sl_affinity aff = expr_compare_affinity(l->affinity, r->affinity);
    return pair_converts(aff, l) || pair_converts(aff, r) ? aff : SL_AFF_NONE;
}

/* Sets e->cmp_aff to affs[0..n-1] (a copy in the plan arena) unless all are NONE. */
static bool set_cmp_aff(struct binder *b, struct sl_expr *e, const enum sl_affinity *affs,
                        uint32_t n)
{
    bool any = false;
    for (uint32_t i = 0; i < n; i++)
        any = any || affs[i] != SL_AFF_NONE;
    if (!any)
        return true;
    enum sl_affinity *copy = arena_alloc(b->arena, n * sizeof *copy);
    if (!copy)
        return false;
    memcpy(copy, affs, n * sizeof *copy);
    e->cmp_aff = copy;
    return true;
}

/* The end of the FROM columns in scope (binder.nvisible). */
static uint32_t visible_end(const struct binder *b)
{
    return b->nvisible < b->from->nitems ? b->from->items[b->nvisible].first : b->plan->nfrom;
}

/* A list of the columns scan[lo..hi) for the "unknown column" hint, named after label. */
static void columns_hint(struct binder *b, const char *label, uint32_t lo, uint32_t hi,
                         char *out, size_t cap)
{
    struct sl_buf list;
    buf_init(&list);
    for (uint32_t i = lo; i < hi; i++)
        buf_printf(&list, "%s%s", i > lo ? ", " : "", b->plan->scan_names[i]);
    snprintf(out, cap, "%s has columns: %s", label, buf_str(&list));
    buf_free(&list);
}

static bool is_window_column(const char *name)
{
    return strcasecmp(name, "window_start") == 0 || strcasecmp(name, "window_end") == 0;
}

static struct sl_expr *column_at(struct binder *b, uint32_t i, struct sl_pos pos)
{
    const struct sl_plan *p = b->plan;
    /* The UNNEST alias is a computed value: no affinity. */
    return column_ref(b, i, p->scan_types[i], i < p->nfrom ? b->from->affs[i] : SL_AFF_NONE,
                      pos);
}

/* A name found in two items of the FROM: reported with both. */
static bool ambiguous_between_items(struct binder *b, const struct ast_expr *a, uint32_t first,
                                    uint32_t hi)
{
    const struct bound_from *f = b->from;
    uint32_t item = bind_from_item_of(f, first);
    uint32_t from_col = f->items[item].first + f->items[item].ncols;
    for (uint32_t i = from_col > first ? from_col : first + 1; i < hi; i++) {
        if (strcasecmp(b->plan->scan_names[i], a->name.text) != 0)
            continue;
        const struct bound_item *l = &f->items[item], *r = &f->items[bind_from_item_of(f, i)];
        char hint[300];
        if (l->alias && r->alias)
            snprintf(hint, sizeof hint, "qualify it: %s.%s or %s.%s", l->alias,
                     b->plan->scan_names[first], r->alias, b->plan->scan_names[i]);
        else
            snprintf(hint, sizeof hint, "name the derived table (AS t) and qualify the column: "
                     "t.%s", b->plan->scan_names[i]);
        diags_add(b->diags, a->pos, a->span, hint,
                  "column \"%s\" is ambiguous: a column of %s and of %s", a->name.text, l->label,
                  r->label);
        return true;
    }
    return false;
}

/* An unknown name: the nearest one in scan[lo..hi), or the list of them. */
static void unknown_column(struct binder *b, const struct ast_expr *a, const char *label,
                           uint32_t lo, uint32_t hi)
{
    const struct sl_plan *p = b->plan;
    const char *best = NULL;
    unsigned best_d = 3;
    for (uint32_t i = lo; i < hi; i++) {
        unsigned d = name_distance(a->name.text, p->scan_names[i]);
        if (d < best_d) {
            best_d = d;
            best = p->scan_names[i];
        }
    }
    char hint[512];
    bool inside = bind_from_inner_hint(b->from, a->name.text, hint, sizeof hint);
    if (!inside && best)
        snprintf(hint, sizeof hint, "did you mean \"%s\"?", best);
    else if (!inside)
        columns_hint(b, label, lo, hi, hint, sizeof hint);
    if (a->qualifier.text && b->from->nitems > 1)
        diags_add(b->diags, a->pos, a->span, hint, "unknown column \"%s\" in %s", a->name.text,
                  label);
    else
        diags_add(b->diags, a->pos, a->span, hint, "unknown column \"%s\"", a->name.text);
}

static struct sl_expr *bind_column(struct binder *b, const struct ast_expr *a)
{
    const struct sl_plan *p = b->plan;
    const struct bound_from *f = b->from;
    uint32_t hi = visible_end(b);
    if (a->qualifier.text) {
        int item = bind_from_qualifier(f, b->nvisible, &a->qualifier, b->diags);
        if (item < 0)
            return NULL;
        const struct bound_item *it = &f->items[item];
        for (uint32_t i = it->first; i < it->first + it->ncols; i++)
            if (strcasecmp(p->scan_names[i], a->name.text) == 0)
                return column_at(b, i, a->pos);
        unknown_column(b, a, it->label, it->first, it->first + it->ncols);
        return NULL;
    }
    /* The UNNEST alias is not qualified by the FROM's name. */
    uint32_t limit = hi == p->nfrom ? p->nscan : hi;
    if (limit > p->nfrom && strcasecmp(p->scan_names[limit - 1], a->name.text) == 0) {
        for (uint32_t i = 0; i < p->nfrom; i++) {
            if (strcasecmp(p->scan_names[i], a->name.text) == 0) {
                char hint[300];
                bind_from_ambiguity_hint(f, p->scan_names[i], hint, sizeof hint);
                diags_add(b->diags, a->pos, a->span, hint,
                          "column \"%s\" is ambiguous: a column of %s and the UNNEST alias",
                          a->name.text, f->items[bind_from_item_of(f, i)].label);
                return NULL;
            }
        }
    }
    for (uint32_t i = 0; i < limit; i++) {
        if (strcasecmp(p->scan_names[i], a->name.text) != 0)
            continue;
        if (i < hi && ambiguous_between_items(b, a, i, hi))
            return NULL;
        return column_at(b, i, a->pos);
    }
    if (is_window_column(a->name.text)) {
        if (b->plan->window.kind)
            diags_add(b->diags, a->pos, a->span, "use it in the select list or in HAVING",
                      "%s is not known in %s: windows are assigned after it", a->name.text,
                      b->clause);
        else
            diags_add(b->diags, a->pos, a->span,
                      "add a window after GROUP BY, e.g. WINDOW TUMBLING (SIZE 1 MINUTE)",
                      "%s needs a WINDOW clause", a->name.text);
        return NULL;
    }
    unknown_column(b, a, f->nitems > 1 ? "the FROM clause" : f->label, 0, limit);
    return NULL;
}

static struct sl_expr *bind_expr(struct binder *b, const struct ast_expr *a, enum bind_mode mode);

/* The expression of the select item whose alias an unqualified name is, when
 * it names no scan column (a column wins, as in SQLite); NULL otherwise. */
static const struct ast_expr *select_alias(const struct binder *b, const struct ast_expr *a)
{
    if (a->qualifier.text)
        return NULL;
    for (uint32_t i = 0; i < b->plan->nscan; i++)
        if (strcasecmp(b->plan->scan_names[i], a->name.text) == 0)
            return NULL;
    for (uint32_t i = 0; i < b->select->nitems; i++) {
        const struct ast_select_item *it = &b->select->items[i];
        if (it->alias.text && strcasecmp(it->alias.text, a->name.text) == 0)
            return it->expr;
    }
    return NULL;
}

/* An aggregate's constant second argument (approx_percentile's p): a number in [0, 1], known
 * now, since a sketch answers for one p. False after an error. */
static bool bind_agg_param(struct binder *b, const struct ast_expr *call,
                           const struct ast_expr *a, double *param)
{
    const char *saved = b->clause;
    b->clause = "the argument of an aggregate function";
    struct sl_expr *e = bind_expr(b, a, BIND_SCAN);
    b->clause = saved;
    if (!e)
        return false;
    struct sl_value v = e->kind == EXPR_CONST ? e->value : sl_null();
    double p = v.type == SL_INT ? (double)v.u.i : v.type == SL_REAL ? v.u.r : -1;
    if (!(p >= 0 && p <= 1)) {
        diags_add(b->diags, a->pos, a->span, "write the fraction as a number: 0.5 for the median",
                  "%s()'s second argument must be a constant number between 0 and 1",
                  call->name.text);
        return false;
    }
    *param = p;
    return true;
}

static struct sl_expr *bind_aggregate(struct binder *b, const struct ast_expr *a,
                                      const struct sl_agg_fn *fn, enum bind_mode mode)
{
    if (mode != BIND_OUTPUT) {
        diags_add(b->diags, a->pos, a->name.span, NULL, "aggregate function %s() is not allowed in %s",
                  a->name.text, mode == BIND_PLAIN ? "a select list without GROUP BY here" : b->clause);
        return NULL;
    }
    struct sl_plan *p = b->plan;
    for (uint32_t i = 0; i < p->naggs; i++)
        if (ast_expr_equal(b->agg_asts[i], a))
            return column_ref(b, p->nkeys + i, p->aggs[i].result_type, SL_AFF_NONE, a->pos);
    uint32_t nargs = a->args ? a->args->count : 0;
    if (a->distinct && !(fn = aggregate_lookup_distinct(fn))) {
        diags_add(b->diags, a->pos, a->name.span,
                  "DISTINCT applies to count, sum, avg, min and max",
                  "%s(DISTINCT ...) is not supported", a->name.text);
        return NULL;
    }
    if (a->star_arg ? !fn->star_ok : nargs != 1u + fn->has_param) {
        diags_add(b->diags, a->pos, a->name.span, NULL, "%s() takes %s", a->name.text,
                  fn->star_ok     ? "one argument or *"
                  : fn->has_param ? "exactly two arguments"
                                  : "exactly one argument");
        return NULL;
    }
    struct sl_expr *arg = NULL, *filter = NULL;
    enum sl_type arg_type = SL_NULL;
    double param = 0;
    const char *saved = b->clause;
    if (!a->star_arg) {
        b->clause = "the argument of an aggregate function";
        arg = bind_expr(b, a->args->items[0], BIND_SCAN);
        b->clause = saved;
        if (!arg)
            return NULL;
        arg_type = arg->type;
    }
    if (fn->has_param && !bind_agg_param(b, a, a->args->items[1], &param))
        return NULL;
    if (a->third) {
        b->clause = "FILTER";
        filter = bind_expr(b, a->third, BIND_SCAN);
        b->clause = saved;
        if (!filter)
            return NULL;
    }
    enum sl_type result;
    char why[256] = "";
    if (!fn->infer(arg_type, &result, why, sizeof why)) {
        diags_add(b->diags, a->pos, a->name.span, NULL, "%s", why);
        return NULL;
    }
    if (p->naggs == b->agg_cap) {
        uint32_t cap = b->agg_cap ? b->agg_cap * 2 : 8;
        struct sl_plan_agg *aggs = arena_alloc(b->arena, cap * sizeof *aggs);
        const struct ast_expr **asts = arena_alloc(b->arena, cap * sizeof *asts);
        if (!aggs || !asts)
            return NULL;
        if (p->naggs) {
            memcpy(aggs, p->aggs, p->naggs * sizeof *aggs);
            memcpy(asts, b->agg_asts, p->naggs * sizeof *asts);
        }
        p->aggs = aggs;
        b->agg_asts = asts;
        b->agg_cap = cap;
    }
    struct sl_buf text;
    buf_init(&text);
    ast_expr_render(a, &text);
    struct sl_plan_agg *g = &p->aggs[p->naggs];
    g->fn = fn;
    g->arg = arg;
    g->filter = filter;
    g->param = param;
    g->result_type = result;
    g->text = arena_strndup(b->arena, buf_str(&text), text.len);
    buf_free(&text);
    b->agg_asts[p->naggs] = a;
    p->naggs++;
    return column_ref(b, p->nkeys + p->naggs - 1, result, SL_AFF_NONE, a->pos);
}

/* The aggregate a call names, or NULL: as in SQLite, min() and max() with
 * two or more arguments are the scalar functions, not the aggregates. */
static const struct sl_agg_fn *call_aggregate(const struct ast_expr *a)
{
    const struct sl_agg_fn *agg = aggregate_lookup(a->name.text);
    if (agg && a->args && a->args->count > 1 && function_lookup(a->name.text))
        return NULL;
    return agg;
}

/* A constant argument that would make every row NULL (a bad regexp, an unknown
 * date_trunc unit) is an error now, at that argument; false after one. */
static bool check_const_args(struct binder *b, const struct ast_expr *a,
                             const struct sl_scalar_fn *fn, struct sl_expr *const *args,
                             uint32_t nargs)
{
    bool ok = true;
    for (uint32_t i = 0; i < nargs; i++) {
        struct sl_str text;
        char why[320] = "", hint[256] = "";
        if (args[i]->kind != EXPR_CONST || args[i]->value.type == SL_NULL ||
            sqlval_text(args[i]->value, b->arena, &text) != SL_OK ||
            function_check_const(fn, (int)i, text, why, sizeof why, hint, sizeof hint))
            continue;
        const struct ast_expr *arg = a->args->items[i];
        diags_add(b->diags, arg->pos, arg->span, hint[0] ? hint : NULL, "%s", why);
        ok = false;
    }
    return ok;
}

static struct sl_expr *bind_call(struct binder *b, const struct ast_expr *a, enum bind_mode mode)
{
    if (bind_rank_is_call(a)) {
        diags_add(b->diags, a->pos, a->name.span,
                  "select it as an item of its own, AS rn, and use rn in an outer SELECT",
                  "%s() OVER (...) is not allowed in %s", a->name.text,
                  mode == BIND_SCAN ? b->clause : "an expression");
        return NULL;
    }
    const struct sl_agg_fn *agg = call_aggregate(a);
    if (agg)
        return bind_aggregate(b, a, agg, mode);
    const struct sl_scalar_fn *fn = function_lookup(a->name.text);
    if (!fn) {
        const char *best = function_suggest(a->name.text);
        char hint[128];
        if (best)
            snprintf(hint, sizeof hint, "did you mean %s()?", best);
        diags_add(b->diags, a->pos, a->name.span, best ? hint : NULL, "unknown function %s()",
                  a->name.text);
        return NULL;
    }
    uint32_t nargs = a->args ? a->args->count : 0;
    if (a->star_arg || a->distinct || a->third) {
        diags_add(b->diags, a->pos, a->name.span, NULL, "%s() is not an aggregate function",
                  a->name.text);
        return NULL;
    }
    if ((int)nargs < fn->min_args || (fn->max_args >= 0 && (int)nargs > fn->max_args)) {
        char expected[64];
        if (fn->min_args == fn->max_args)
            snprintf(expected, sizeof expected, "%d", fn->min_args);
        else
            snprintf(expected, sizeof expected, "%d to %d", fn->min_args, fn->max_args);
        diags_add(b->diags, a->pos, a->name.span, NULL, "%s() takes %s argument%s, got %u",
                  a->name.text, expected, fn->max_args == 1 ? "" : "s", nargs);
        return NULL;
    }
    struct sl_expr *e = new_expr(b, EXPR_CALL, SL_NULL, a->pos);
    struct sl_expr **args = arena_calloc(b->arena, (nargs ? nargs : 1) * sizeof *args);
    enum sl_type types[16];
    if (!e || !args || nargs > 16)
        return NULL;
    bool ok = true;
    for (uint32_t i = 0; i < nargs; i++) {
        args[i] = bind_expr(b, a->args->items[i], mode);
        ok = ok && args[i];
        if (args[i])
            types[i] = args[i]->type;
    }
    if (!ok)
        return NULL;
    char why[256] = "";
    if (!fn->infer(types, (int)nargs, &e->type, why, sizeof why)) {
        diags_add(b->diags, a->pos, a->name.span, NULL, "%s", why);
        return NULL;
    }
    if (!check_const_args(b, a, fn, args, nargs))
        return NULL;
    e->fn = fn;
    e->nargs = nargs;
    e->args = args;
    return e;
}

static struct sl_expr *bind_operator(struct binder *b, const struct ast_expr *a, enum bind_mode mode)
{
    if (a->kind == AST_BINARY && (a->op == AST_OP_IS || a->op == AST_OP_ISNOT) && a->right &&
        a->right->kind == AST_NULL) {
        /* x IS [NOT] NULL: the one-operand kernel. */
        struct ast_expr u = *a;
        u.kind = AST_UNARY;
        u.op = a->op == AST_OP_IS ? AST_OP_ISNULL : AST_OP_NOTNULL;
        u.right = NULL;
        return bind_operator(b, &u, mode);
    }
    bool binary = a->kind == AST_BINARY;
    struct sl_expr *l = bind_expr(b, a->left, mode);
    struct sl_expr *r = binary ? bind_expr(b, a->right, mode) : NULL;
    if (!l || (binary && !r))
        return NULL;
    enum sl_type t;
    bool ok = binary ? expr_binary_type(a->op, l->type, r->type, &t) : expr_unary_type(a->op, l->type, &t);
    if (!ok) {
        if (binary)
            diags_add(b->diags, a->pos, a->span, NULL, "operator %s cannot be applied to %s and %s",
                      ast_op_text(a->op), sl_type_name(l->type), sl_type_name(r->type));
        else
            diags_add(b->diags, a->pos, a->span, NULL, "operator %s cannot be applied to %s",
                      ast_op_text(a->op), sl_type_name(l->type));
        return NULL;
    }
    struct sl_expr *e = new_expr(b, binary ? EXPR_BINARY : EXPR_UNARY, t, a->pos);
    struct sl_expr **args = arena_alloc(b->arena, 2 * sizeof *args);
    if (!e || !args)
        return NULL;
    args[0] = l;
    args[1] = r;
    e->op = a->op;
    e->nargs = binary ? 2 : 1;
    e->args = args;
    bool compares = a->op >= AST_OP_EQ && a->op <= AST_OP_GE;
    if (binary && (compares || a->op == AST_OP_IS || a->op == AST_OP_ISNOT)) {
        enum sl_affinity aff = pair_affinity(l, r);
        if (!set_cmp_aff(b, e, &aff, 1))
            return NULL;
    }
    return e;
}

/* The path x ->> p and x -> p read, SQLite's way (json.c, JSON_ABPATH): text
 * starting with '$' is a path, text starting with a digit an array index
 * ('1' is '$[1]'), with '[' a path without its '$', other text an object
 * label ('a' is '$.a'); an integer is read as its text. Only a constant p is
 * taken: the rewrite is made once, here. NULL after an error. */
static struct sl_expr *ptr_path(struct binder *b, const struct ast_expr *p, enum ast_op op)
{
    char idx[32];
    const char *prefix = "", *suffix = "";
    const char *text = p->str;
    size_t len = p->str_len;
    /* -1 is a unary minus on 1 to the parser; as a path it is the label "-1". */
    bool negative = p->kind == AST_UNARY && p->op == AST_OP_NEG && p->left->kind == AST_INT;
    if (p->kind == AST_INT || negative) {
        len = (size_t)snprintf(idx, sizeof idx, "%s%lld", negative ? "-" : "",
                               (long long)(negative ? p->left->ival : p->ival));
        text = idx;
    } else if (p->kind != AST_STRING || len == 0) {
        diags_add(b->diags, p->pos, p->span,
                  "write a path ('$.a.b'), an object label ('a') or an array index (0)",
                  p->kind == AST_STRING ? "the right operand of %s is an empty path"
                                        : "the right operand of %s must be a constant text or integer",
                  ast_op_text(op));
        return NULL;
    }
    if (text[0] >= '0' && text[0] <= '9') {
        prefix = "$[";
        suffix = "]";
    } else if (text[0] != '$') {
        prefix = text[0] == '[' ? "$" : "$.";
    }
    size_t n = strlen(prefix) + len + strlen(suffix);
    char *path = arena_alloc(b->arena, n + 1);
    struct sl_expr *e = new_expr(b, EXPR_CONST, SL_TEXT, p->pos);
    if (!path || !e)
        return NULL;
    snprintf(path, n + 1, "%s%.*s%s", prefix, (int)len, text, suffix);
    e->value.type = SL_TEXT;
    e->value.u.s.ptr = path;
    e->value.u.s.len = (uint32_t)n;
    return e;
}

/* x ->> p: a call of json_extract(x, path), the function SQLite's operator is;
 * x -> p: the same with the JSON text of the element (the "->" function). */
static struct sl_expr *bind_ptr(struct binder *b, const struct ast_expr *a, enum bind_mode mode)
{
    const struct sl_scalar_fn *fn =
        a->op == AST_OP_PTR2 ? function_lookup("json_extract") : function_operator("->");
    if (!fn) {
        diags_add(b->diags, a->pos, a->span, NULL, "%s needs JSON support, which this build lacks",
                  ast_op_text(a->op));
        return NULL;
    }
    struct sl_expr *l = bind_expr(b, a->left, mode);
    struct sl_expr *path = ptr_path(b, a->right, a->op);
    struct sl_expr *e = new_expr(b, EXPR_CALL, SL_NULL, a->pos);
    struct sl_expr **args = arena_alloc(b->arena, 2 * sizeof *args);
    if (!l || !path || !e || !args)
        return NULL;
    args[0] = l;
    args[1] = path;
    enum sl_type types[2] = {l->type, path->type};
    char why[256] = "";
    if (!fn->infer(types, 2, &e->type, why, sizeof why)) {
        diags_add(b->diags, a->pos, a->span, NULL, "%s", why);
        return NULL;
    }
    e->fn = fn;
    e->nargs = 2;
    e->args = args;
    return e;
}

/* Binds every operand (so each one's errors are reported); NULL if any failed. */
static struct sl_expr **bind_operands(struct binder *b, const struct ast_expr *const *asts, uint32_t n,
                                      enum bind_mode mode, const char *what)
{
    struct sl_expr **args = arena_calloc(b->arena, (n ? n : 1) * sizeof *args);
    if (!args)
        return NULL;
    bool ok = true;
    for (uint32_t i = 0; i < n; i++) {
        args[i] = bind_expr(b, asts[i], mode);
        ok = ok && args[i];
    }
    for (uint32_t i = 0; ok && i < n; i++) {
        if (args[i]->type == SL_ARRAY) {
            diags_add(b->diags, asts[i]->pos, asts[i]->span, NULL, "%s cannot be applied to ARRAY",
                      what);
            ok = false;
        }
    }
    return ok ? args : NULL;
}

/* The one-character check SQLite makes at run time, made here for a constant ESCAPE. */
static bool escape_ok(const struct ast_expr *esc)
{
    if (esc->kind != AST_STRING || esc->str_len == 0)
        return esc->kind != AST_STRING;
    unsigned char c = (unsigned char)esc->str[0];
    uint32_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return esc->str_len == len;
}

/* IN, BETWEEN, LIKE/GLOB, CASE and CAST. */
static struct sl_expr *bind_special(struct binder *b, const struct ast_expr *a, enum bind_mode mode)
{
    const struct ast_expr *ops[2 + 2 * 64];
    const struct ast_expr **asts = ops;
    uint32_t n = 0, nlist = a->args ? a->args->count : 0;
    if (nlist + 3 > sizeof ops / sizeof ops[0] &&
        !(asts = arena_alloc(b->arena, (nlist + 3) * sizeof *asts)))
        return NULL;
    enum sl_expr_kind kind = EXPR_IN;
    const char *what = "CAST";
    switch (a->kind) {
    case AST_IN: what = a->negated ? "NOT IN" : "IN"; break;
    case AST_BETWEEN:
        kind = EXPR_BETWEEN;
        what = a->negated ? "NOT BETWEEN" : "BETWEEN";
        break;
    case AST_LIKE:
        kind = EXPR_LIKE;
        what = ast_op_text(a->op);
        if (a->third && a->op == AST_OP_GLOB) {
            diags_add(b->diags, a->third->pos, a->third->span, NULL, "GLOB takes no ESCAPE");
            return NULL;
        }
        if (a->third && !escape_ok(a->third)) {
            diags_add(b->diags, a->third->pos, a->third->span, NULL,
                      "ESCAPE expression must be a single character");
            return NULL;
        }
        break;
    case AST_CASE: kind = EXPR_CASE; what = "CASE"; break;
    default: kind = EXPR_CAST; break;
    }
    if (a->left)
        asts[n++] = a->left;
    if (a->kind == AST_BETWEEN || a->kind == AST_LIKE)
        asts[n++] = a->right;
    if (a->kind == AST_BETWEEN || (a->kind == AST_LIKE && a->third))
        asts[n++] = a->third;
    if (a->kind == AST_IN || a->kind == AST_CASE)
        for (uint32_t i = 0; i < nlist; i++)
            asts[n++] = a->args->items[i];
    if (a->kind == AST_CASE && a->right)
        asts[n++] = a->right;
    struct sl_expr *e = new_expr(b, kind, SL_BOOL, a->pos);
    struct sl_expr **args = bind_operands(b, asts, n, mode, what);
    if (!e || !args)
        return NULL;
    e->op = a->op;
    e->negated = a->negated;
    e->nargs = n;
    e->args = args;
    if (kind == EXPR_CAST && !expr_cast_target(a->name.text, &e->cast_to)) {
        diags_add(b->diags, a->name.pos, a->name.span,
                  "the types are INTEGER, REAL, TEXT, BOOLEAN and TIMESTAMP",
                  "unknown type \"%s\"", a->name.text);
        return NULL;
    }
    if (kind == EXPR_CAST) {
        e->type = e->cast_to;
        e->affinity = expr_type_affinity(e->cast_to);
    }
    if (kind == EXPR_IN) {
        /* SQLite compares x IN (list) under x's own affinity alone. */
        enum sl_affinity aff = SL_AFF_NONE;
        for (uint32_t i = 0; i < n; i++)
            if (pair_converts(args[0]->affinity, args[i]))
                aff = args[0]->affinity;
        if (!set_cmp_aff(b, e, &aff, 1))
            return NULL;
    }
    if (kind == EXPR_BETWEEN) {
        enum sl_affinity affs[2] = {pair_affinity(args[0], args[1]),
                                    pair_affinity(args[0], args[2])};
        if (!set_cmp_aff(b, e, affs, 2))
            return NULL;
    }
    if (kind == EXPR_CASE) {
        e->has_base = a->left != NULL;
        e->has_else = a->right != NULL;
        enum sl_type types[65];
        enum sl_type *bt = n + 1 <= 65 ? types : arena_alloc(b->arena, (n + 1) * sizeof *bt);
        uint32_t nb = 0;
        if (!bt)
            return NULL;
        for (uint32_t i = e->has_base ? 2 : 1; i < n - (e->has_else ? 1 : 0); i += 2)
            bt[nb++] = args[i]->type;
        if (e->has_else)
            bt[nb++] = args[n - 1]->type;
        e->type = expr_case_type(bt, nb);
        if (e->has_base) {
            /* CASE x WHEN v compares x = v under that pair's affinity. */
            uint32_t nwhen = (n - 1 - (e->has_else ? 1 : 0)) / 2;
            enum sl_affinity *affs = arena_alloc(b->arena, (nwhen ? nwhen : 1) * sizeof *affs);
            if (!affs)
                return NULL;
            for (uint32_t w = 0; w < nwhen; w++)
                affs[w] = pair_affinity(args[0], args[1 + 2 * w]);
            if (!set_cmp_aff(b, e, affs, nwhen))
                return NULL;
        }
    }
    return e;
}

static struct sl_expr *bind_literal(struct binder *b, const struct ast_expr *a)
{
    struct sl_expr *e = new_expr(b, EXPR_CONST, SL_NULL, a->pos);
    if (!e)
        return NULL;
    switch (a->kind) {
    case AST_NULL: e->value.type = SL_NULL; break;
    case AST_BOOL: e->value.type = SL_BOOL; e->value.u.b = a->ival != 0; break;
    case AST_INT: e->value.type = SL_INT; e->value.u.i = a->ival; break;
    case AST_REAL: e->value.type = SL_REAL; e->value.u.r = a->rval; break;
    case AST_TIMESTAMP:
        e->value.type = SL_TIMESTAMP;
        if (!sl_ts_parse(a->str, a->str_len, &e->value.u.i)) {
            diags_add(b->diags, a->pos, a->span,
                      "write ISO-8601 such as '2026-01-01 12:00:00', optionally with .ffffff, "
                      "T, Z or +hh:mm",
                      "invalid TIMESTAMP literal");
            return NULL;
        }
        break;
    case AST_INTERVAL:
        /* An interval is INTEGER microseconds: what TIMESTAMP +/- counts in (docs/sql.md). */
        e->value.type = SL_INT;
        if (!bind_duration_text(a->str, a->str_len, a->ival, &e->value.u.i)) {
            diags_add(b->diags, a->pos, a->span, bind_duration_hint(a->ival != 0),
                      "invalid INTERVAL literal");
            return NULL;
        }
        break;
    case AST_STRING:
        e->value.type = SL_TEXT;
        e->value.u.s.ptr = arena_memdup(b->arena, a->str, a->str_len ? a->str_len : 1);
        e->value.u.s.len = a->str_len;
        if (!e->value.u.s.ptr)
            return NULL;
        break;
    default: return NULL;
    }
    e->type = e->value.type;
    return e;
}

static struct sl_expr *bind_expr(struct binder *b, const struct ast_expr *a, enum bind_mode mode)
{
    if (mode == BIND_OUTPUT) {
        for (uint32_t i = 0; i < b->plan->nkeys; i++) {
            const struct sl_expr *k = b->plan->keys[i]; /* NULL: window_start/window_end */
            if (ast_expr_equal(b->key_asts[i], a))
                return column_ref(b, i, k ? k->type : SL_TIMESTAMP,
                                  k ? k->affinity : SL_AFF_TIMESTAMP, a->pos);
        }
    }
    switch (a->kind) {
    case AST_NULL:
    case AST_BOOL:
    case AST_INT:
    case AST_REAL:
    case AST_STRING:
    case AST_TIMESTAMP:
    case AST_INTERVAL: return bind_literal(b, a);
    case AST_COLUMN:
        if (b->in_having) {
            const struct ast_expr *item = select_alias(b, a);
            if (item) {
                /* The alias's expression, bound as if written here (once: no alias inside). */
                b->in_having = false;
                struct sl_expr *e = bind_expr(b, item, mode);
                b->in_having = true;
                return e;
            }
        }
        if (mode == BIND_OUTPUT) {
            if (bind_column(b, a))
                diags_add(b->diags, a->pos, a->span, "add it to GROUP BY or wrap it in an aggregate such as max()",
                          "column \"%s\" must appear in GROUP BY or be used in an aggregate function",
                          a->name.text);
            return NULL;
        }
        return bind_column(b, a);
    case AST_STAR:
        diags_add(b->diags, a->pos, a->span, NULL, "* is only allowed in the select list and in count(*)");
        return NULL;
    case AST_UNARY: return bind_operator(b, a, mode);
    case AST_BINARY:
        return a->op == AST_OP_PTR2 || a->op == AST_OP_PTR ? bind_ptr(b, a, mode)
                                                           : bind_operator(b, a, mode);
    case AST_CALL: return bind_call(b, a, mode);
    case AST_IN:
    case AST_BETWEEN:
    case AST_LIKE:
    case AST_CASE:
    case AST_CAST: return bind_special(b, a, mode);
    }
    return NULL;
}

const struct ast_expr *bind_find_aggregate(const struct ast_expr *a)
{
    if (!a)
        return NULL;
    if (a->kind == AST_CALL && call_aggregate(a))
        return a;
    const struct ast_expr *found = NULL;
    for (uint32_t i = 0; !found && a->args && i < a->args->count; i++)
        found = bind_find_aggregate(a->args->items[i]);
    if (!found)
        found = bind_find_aggregate(a->left);
    if (!found)
        found = bind_find_aggregate(a->right);
    return found ? found : bind_find_aggregate(a->third);
}

static bool contains_aggregate(const struct ast_expr *a)
{
    return bind_find_aggregate(a) != NULL;
}

static bool setup_scan(struct binder *b)
{
    struct sl_plan *p = b->plan;
    const struct ast_select *s = b->select;
    const struct bound_from *from = b->from;
    p->nfrom = from->ncols;
    p->nscan = from->ncols + (s->unnest ? 1 : 0);
    p->scan_types = arena_calloc(b->arena, p->nscan * sizeof *p->scan_types);
    p->scan_names = arena_calloc(b->arena, p->nscan * sizeof *p->scan_names);
    if (!p->scan_types || !p->scan_names)
        return false;
    for (uint32_t i = 0; i < from->ncols; i++) {
        p->scan_types[i] = from->types[i];
        p->scan_names[i] = from->names[i];
    }
    if (!s->unnest)
        return true;
    /* The UNNEST argument sees only the FROM's columns. */
    p->nscan = from->ncols;
    b->clause = "UNNEST";
    p->unnest = bind_expr(b, s->unnest, BIND_SCAN);
    p->nscan = from->ncols + 1;
    /* Names kept in the plan are copied: the parse they come from is freed
     * once the statement ran, while the query (DESCRIBE, EXPLAIN) lives on. */
    const char *alias = s->unnest_alias.text ? s->unnest_alias.text : "unnest";
    p->scan_names[from->ncols] = arena_strndup(b->arena, alias, strlen(alias));
    if (!p->scan_names[from->ncols])
        return false;
    if (!p->unnest)
        return true;
    if (p->unnest->type != SL_ARRAY) {
        diags_add(b->diags, s->unnest->pos, s->unnest->span, "split(text, separator) returns an array",
                  "UNNEST expects an array, got %s", sl_type_name(p->unnest->type));
        p->unnest = NULL;
        return true;
    }
    /* Only split() makes arrays today, and its elements are TEXT. */
    p->unnest_elem_type = SL_TEXT;
    p->scan_types[from->ncols] = p->unnest_elem_type;
    return true;
}

/* GROUP BY n: the n-th select item (1-based), as in SQLite; NULL after an error. */
static const struct ast_expr *group_ordinal(struct binder *b, const struct ast_expr *g)
{
    uint32_t n = b->select->nitems;
    if (g->ival < 1 || g->ival > n) {
        diags_add(b->diags, g->pos, g->span, NULL,
                  "GROUP BY %lld is out of range: the select list has %u item%s",
                  (long long)g->ival, n, n == 1 ? "" : "s");
        return NULL;
    }
    const struct ast_expr *item = b->select->items[g->ival - 1].expr;
    if (item->kind == AST_STAR || contains_aggregate(item)) {
        diags_add(b->diags, g->pos, g->span, NULL, "GROUP BY %lld refers to %s", (long long)g->ival,
                  item->kind == AST_STAR ? "*" : "an aggregate");
        return NULL;
    }
    return item;
}

/* GROUP BY name may name a select-list alias when it is not a column. */
static const struct ast_expr *group_key_ast(struct binder *b, const struct ast_expr *g)
{
    if (g->kind == AST_INT)
        return group_ordinal(b, g);
    if (g->kind != AST_COLUMN || g->qualifier.text)
        return g;
    const struct ast_expr *item = select_alias(b, g);
    return item ? item : g;
}

static bool bind_group_by(struct binder *b)
{
    struct sl_plan *p = b->plan;
    const struct ast_expr_list *g = b->select->group_by;
    uint32_t n = g ? g->count : 0;
    p->keys = arena_calloc(b->arena, (n + 2) * sizeof *p->keys);
    p->key_names = arena_calloc(b->arena, (n + 2) * sizeof *p->key_names);
    b->key_asts = arena_calloc(b->arena, (n + 2) * sizeof *b->key_asts);
    if (!p->keys || !p->key_names || !b->key_asts)
        return false;
    if (p->window.kind) {
        /* window_start, window_end: keys the window operator computes. */
        static const char *const names[] = {"window_start", "window_end"};
        for (uint32_t i = 0; i < 2; i++) {
            struct ast_expr *col = arena_calloc(b->arena, sizeof *col);
            if (!col)
                return false;
            col->kind = AST_COLUMN;
            col->name.text = names[i];
            b->key_asts[i] = col;
            p->key_names[i] = names[i];
        }
        p->nkeys = 2;
    }
    b->clause = "GROUP BY";
    for (uint32_t i = 0; i < n; i++) {
        const struct ast_expr *item = g->items[i];
        /* GROUP BY window_start, as Flink writes it: the window's keys are implicit. */
        if (p->window.kind && item->kind == AST_COLUMN && !item->qualifier.text &&
            is_window_column(item->name.text))
            continue;
        const struct ast_expr *k = group_key_ast(b, item);
        bool repeated = false;
        for (uint32_t j = 0; k && j < p->nkeys && !repeated; j++)
            repeated = b->key_asts[j] && ast_expr_equal(b->key_asts[j], k);
        /* GROUP BY k, k groups as GROUP BY k, as in SQLite. */
        if (repeated)
            continue;
        struct sl_expr *e = k ? bind_expr(b, k, BIND_SCAN) : NULL;
        if (!e)
            continue;
        struct sl_buf text;
        buf_init(&text);
        ast_expr_render(k, &text);
        p->key_names[p->nkeys] = arena_strndup(b->arena, buf_str(&text), text.len);
        buf_free(&text);
        b->key_asts[p->nkeys] = k;
        p->keys[p->nkeys++] = e;
    }
    return true;
}

/* The name of an unaliased select item: the column's name, else its text. */
static const char *item_name(struct binder *b, const struct ast_select_item *it)
{
    if (it->alias.text)
        return it->alias.text;
    if (it->expr->kind == AST_COLUMN)
        return it->expr->name.text;
    struct sl_buf text;
    buf_init(&text);
    ast_expr_render(it->expr, &text);
    const char *name = arena_strndup(b->arena, buf_str(&text), text.len);
    buf_free(&text);
    return name;
}

/* Output names must be distinct to be a table's columns: n, n:1, n:2 as
 * SQLite does. The name is copied into the plan arena: it may point into the
 * parse, which is freed while the query lives on. NULL when out of memory. */
static const char *unique_name(struct binder *b, const char *name, uint32_t upto)
{
    /* One pass over the names so far finds whether name is taken and which
     * suffixes name:N are, so a name repeated n times costs n passes, not n². */
    size_t len = strlen(name);
    bool clash = false;
    bool *taken = sl_calloc(upto + 2, sizeof *taken);
    if (!taken)
        return NULL;
    for (uint32_t i = 0; i < upto; i++) {
        const char *other = b->plan->out_names[i];
        if (strncasecmp(other, name, len) != 0)
            continue;
        if (!other[len])
            clash = true;
        else if (other[len] == ':' && other[len + 1] >= '1' && other[len + 1] <= '9') {
            char *end;
            unsigned long n = strtoul(other + len + 1, &end, 10);
            if (!*end && n <= upto)
                taken[n] = true;
        }
    }
    uint32_t suffix = 1;
    while (clash && taken[suffix])
        suffix++;
    sl_free(taken);
    /* Built whole (no fixed buffer): a long rendered name cut short would
     * lose its suffix and clash forever. */
    struct sl_buf candidate;
    buf_init(&candidate);
    if (clash)
        buf_printf(&candidate, "%s:%u", name, suffix);
    else
        buf_puts(&candidate, name);
    const char *copy = candidate.failed ? NULL
                                        : arena_strndup(b->arena, buf_str(&candidate), candidate.len);
    buf_free(&candidate);
    return copy;
}

static bool add_output(struct binder *b, struct sl_expr *e, const char *name, uint32_t *cap)
{
    struct sl_plan *p = b->plan;
    if (p->nout == *cap) {
        uint32_t ncap = *cap ? *cap * 2 : 16;
        struct sl_expr **outs = arena_alloc(b->arena, ncap * sizeof *outs);
        const char **names = arena_alloc(b->arena, ncap * sizeof *names);
        if (!outs || !names)
            return false;
        if (p->nout) {
            memcpy(outs, p->outputs, p->nout * sizeof *outs);
            memcpy(names, p->out_names, p->nout * sizeof *names);
        }
        p->outputs = outs;
        p->out_names = names;
        *cap = ncap;
    }
    p->outputs[p->nout] = e;
    p->out_names[p->nout] = unique_name(b, name, p->nout);
    if (!p->out_names[p->nout])
        return false;
    p->nout++;
    return true;
}

/* window_start and window_end key a windowed result table: the ones the
 * select list leaves out are added (as ksqlDB does) in front of it, or
 * after the other bound when that one is selected. */
static bool select_window_bounds(struct binder *b, bool *key_selected)
{
    struct sl_plan *p = b->plan;
    uint32_t missing = !key_selected[0] + !key_selected[1];
    /* No output at all: every item failed to bind, and was reported. */
    if (!missing || !p->nout)
        return true;
    uint32_t n = p->nout + missing;
    struct sl_expr **outs = arena_alloc(b->arena, n * sizeof *outs);
    const char **names = arena_alloc(b->arena, n * sizeof *names);
    enum sl_type *types = arena_alloc(b->arena, n * sizeof *types);
    bool *is_key = arena_alloc(b->arena, n * sizeof *is_key);
    if (!outs || !names || !types || !is_key)
        return false;
    uint32_t at = 0; /* where the missing bounds go */
    for (uint32_t i = 0; i < p->nout && missing == 1; i++) {
        const struct sl_expr *e = p->outputs[i];
        if (e->kind == EXPR_COLUMN && e->column < 2)
            at = i + 1;
    }
    memcpy(outs, p->outputs, at * sizeof *outs);
    memcpy(names, p->out_names, at * sizeof *names);
    memcpy(types, p->out_types, at * sizeof *types);
    memcpy(is_key, p->out_is_key, at * sizeof *is_key);
    uint32_t rest = at;
    for (uint32_t k = 0; k < 2; k++) {
        if (key_selected[k])
            continue;
        outs[at] = column_ref(b, k, SL_TIMESTAMP, SL_AFF_TIMESTAMP, b->select->pos);
        if (!outs[at])
            return false;
        /* A select item may already be named so (k AS window_start). */
        names[at] = unique_name(b, p->key_names[k], p->nout);
        if (!names[at])
            return false;
        types[at] = SL_TIMESTAMP;
        is_key[at++] = true;
        key_selected[k] = true;
    }
    memcpy(outs + at, p->outputs + rest, (p->nout - rest) * sizeof *outs);
    memcpy(names + at, p->out_names + rest, (p->nout - rest) * sizeof *names);
    memcpy(types + at, p->out_types + rest, (p->nout - rest) * sizeof *types);
    memcpy(is_key + at, p->out_is_key + rest, (p->nout - rest) * sizeof *is_key);
    p->outputs = outs;
    p->out_names = names;
    p->out_types = types;
    p->out_is_key = is_key;
    p->nout = n;
    return true;
}

/* A ranking's PARTITION BY / ORDER BY expression, bound like the select list (bind_item_fn). */
static struct sl_expr *bind_over_expr(void *binder, const struct ast_expr *a)
{
    struct binder *b = binder;
    const char *saved = b->clause;
    b->clause = "OVER (...)";
    struct sl_expr *e = bind_expr(b, a, b->list_mode);
    b->clause = saved;
    return e;
}

static bool bind_select_list(struct binder *b)
{
    struct sl_plan *p = b->plan;
    enum bind_mode mode = p->aggregate ? BIND_OUTPUT : BIND_PLAIN;
    uint32_t cap = 0, errors_before = b->diags->count;
    b->clause = "the select list";
    b->list_mode = mode;
    if (b->select->nitems > SL_MAX_COLUMNS) {
        /* Checked first: each item's name is compared with those before it. */
        const struct ast_expr *first = b->select->items[SL_MAX_COLUMNS].expr;
        diags_add(b->diags, first->pos, first->span,
                  "a result table is a SQLite table, whose columns SQLite limits: select fewer "
                  "columns, or pack some into one (json_array, ||)",
                  "a SELECT may have at most %d columns; this one has %u", SL_MAX_COLUMNS,
                  b->select->nitems);
        return true;
    }
    for (uint32_t i = 0; i < b->select->nitems; i++) {
        const struct ast_select_item *it = &b->select->items[i];
        if (bind_rank_is_call(it->expr)) {
            struct sl_expr *e = bind_rank_item(it, b->derived, p, bind_over_expr, b, b->arena,
                                               b->diags);
            b->rank_placeholder = e;
            if (e && !add_output(b, e, item_name(b, it), &cap))
                return false;
            continue;
        }
        if (it->expr->kind == AST_STAR) {
            /* t.* is t's columns, * every column (the UNNEST element too). */
            uint32_t lo = 0, hi = p->nscan;
            if (it->expr->qualifier.text) {
                int item = bind_from_qualifier(b->from, b->nvisible, &it->expr->qualifier,
                                               b->diags);
                if (item < 0)
                    continue;
                lo = b->from->items[item].first;
                hi = lo + b->from->items[item].ncols;
            }
            for (uint32_t c = lo; c < hi; c++) {
                struct ast_expr col = {.kind = AST_COLUMN, .pos = it->expr->pos, .span = 1};
                col.name.text = p->scan_names[c];
                /* Qualified, so a name two items share binds to this one's. */
                const struct bound_item *owner = &b->from->items[bind_from_item_of(b->from, c)];
                if (c < owner->first + owner->ncols && b->from->nitems > 1)
                    col.qualifier.text = owner->alias;
                struct sl_expr *e = bind_expr(b, &col, mode);
                if (e && !add_output(b, e, p->scan_names[c], &cap))
                    return false;
            }
            continue;
        }
        struct sl_expr *e = bind_expr(b, it->expr, mode);
        if (e && !add_output(b, e, item_name(b, it), &cap))
            return false;
    }
    p->out_types = arena_calloc(b->arena, (p->nout ? p->nout : 1) * sizeof *p->out_types);
    p->out_is_key = arena_calloc(b->arena, (p->nout ? p->nout : 1) * sizeof *p->out_is_key);
    if (!p->out_types || !p->out_is_key)
        return false;
    bool *key_selected = arena_calloc(b->arena, (p->nkeys ? p->nkeys : 1) * sizeof *key_selected);
    if (!key_selected)
        return false;
    for (uint32_t i = 0; i < p->nout; i++) {
        const struct sl_expr *e = p->outputs[i];
        p->out_types[i] = e->type;
        if (p->aggregate && e->kind == EXPR_COLUMN && e->column < p->nkeys) {
            p->out_is_key[i] = true;
            key_selected[e->column] = true;
        }
    }
    if (p->window.kind && !select_window_bounds(b, key_selected))
        return false;
    /* A key looks unselected when its item failed to bind: say nothing more then. */
    for (uint32_t k = 0; k < p->nkeys && b->diags->count == errors_before; k++) {
        if (!key_selected[k]) {
            const struct ast_expr *g = b->key_asts[k];
            diags_add(b->diags, g->pos, g->span,
                      "the result table is keyed by the GROUP BY keys: add it to the select list",
                      "GROUP BY key %s is not selected", p->key_names[k]);
        }
    }
    return true;
}

/* WINDOW and EMIT, with what the window clause alone can get wrong. */
static void bind_window(struct binder *b)
{
    struct sl_plan *p = b->plan;
    const struct ast_select *s = b->select;
    const struct ast_window *w = &s->window;
    switch (w->kind) {
    case AST_WINDOW_NONE: break;
    case AST_WINDOW_TUMBLING:
        p->window.kind = SL_WINDOW_TUMBLING;
        p->window.size_us = p->window.advance_us = w->size_us;
        break;
    case AST_WINDOW_HOPPING:
        p->window.kind = SL_WINDOW_HOPPING;
        p->window.size_us = w->size_us;
        p->window.advance_us = w->advance_us;
        if (w->advance_us > w->size_us)
            diags_add(b->diags, w->keyword.pos, w->keyword.span,
                      "make ADVANCE BY at most SIZE: rows between windows would belong to none",
                      "a hopping window advances by more than its size");
        else if (w->size_us / w->advance_us > SL_MAX_WINDOWS_PER_ROW) {
            /* Each row is counted in every window it falls in, and each window is
             * written when it changes or closes: two rows would fill memory and disk. */
            char size[48], advance[48], least[48];
            sl_duration_format(w->size_us, size);
            sl_duration_format(w->advance_us, advance);
            sl_duration_format((w->size_us + SL_MAX_WINDOWS_PER_ROW - 1) / SL_MAX_WINDOWS_PER_ROW,
                               least);
            char hint[256];
            snprintf(hint, sizeof hint,
                     "advance by at least %s (SIZE / %d), or aggregate a smaller window's table",
                     least, SL_MAX_WINDOWS_PER_ROW);
            diags_add(b->diags, w->keyword.pos, w->keyword.span, hint,
                      "a hopping window of %s advancing by %s puts each row in %lld windows, "
                      "more than the %d allowed",
                      size, advance, (long long)(w->size_us / w->advance_us),
                      SL_MAX_WINDOWS_PER_ROW);
        }
        break;
    case AST_WINDOW_SESSION:
        p->window.kind = SL_WINDOW_SESSION;
        p->window.gap_us = w->gap_us;
        break;
    }
    p->window.grace_us = w->grace_us;
    p->emit_final = s->emit == AST_EMIT_FINAL;
    if (p->emit_final && !w->kind)
        diags_add(b->diags, s->emit_kw.pos, s->emit_kw.span,
                  "EMIT FINAL writes a window once it closes; a GROUP BY without a WINDOW never "
                  "closes: use EMIT CHANGES or add WINDOW TUMBLING (SIZE ...)",
                  "EMIT FINAL needs a WINDOW");
}

/* Each join's ON condition, bound over the items up to its right (not the
 * UNNEST element), then analysed into the join's plan (binder_join.c). */
static sl_status bind_joins(struct binder *b)
{
    const struct ast_select *s = b->select;
    struct sl_plan *p = b->plan;
    p->joins = arena_calloc(b->arena, s->njoins * sizeof *p->joins);
    if (!p->joins)
        return SL_NOMEM;
    p->njoins = s->njoins;
    uint32_t nscan = p->nscan;
    p->nscan = p->nfrom;
    b->clause = "ON";
    sl_status st = SL_OK;
    for (uint32_t i = 0; i < s->njoins && st == SL_OK; i++) {
        const struct ast_expr *on = s->joins[i].on;
        b->nvisible = i + 2;
        struct sl_expr *e = bind_expr(b, on, BIND_SCAN);
        if (!e)
            continue;
        if (e->type != SL_BOOL && e->type != SL_ANY && e->type != SL_INT &&
            e->type != SL_NULL) {
            diags_add(b->diags, on->pos, on->span, NULL,
                      "ON expects a boolean condition, got %s", sl_type_name(e->type));
            continue;
        }
        st = bind_join_on(s, b->from, i, e, p, b->arena, b->diags);
    }
    b->nvisible = b->from->nitems;
    p->nscan = nscan;
    return st;
}

/* Adds 2 to every column reference at or past `at` (columns inserted there). */
static void shift_columns(struct sl_expr *e, uint32_t at)
{
    if (e->kind == EXPR_COLUMN && e->column >= at)
        e->column += 2;
    for (uint32_t i = 0; i < e->nargs; i++)
        shift_columns(e->args[i], at);
}

/*
 * A window join that the SELECT does not aggregate emits each pair with its
 * window: window_start and window_end become scan columns after the right
 * stream's (the join fills them), and the WINDOW clause is the join's, not an
 * aggregation's. What was bound past them moves two columns on.
 */
static bool window_join_columns(struct binder *b, struct bound_from *from)
{
    const struct ast_select *s = b->select;
    struct sl_plan *p = b->plan;
    const struct sl_plan_join *j = &p->joins[0];
    if (j->kind != SL_JOIN_WINDOW || s->group_by || s->having)
        return true;
    for (uint32_t i = 0; i < s->nitems; i++)
        if (contains_aggregate(s->items[i].expr))
            return true;
    uint32_t at = j->first_col + j->ncols, n = p->nscan + 2;
    const char **names = arena_alloc(b->arena, n * sizeof *names);
    enum sl_type *types = arena_alloc(b->arena, n * sizeof *types);
    enum sl_affinity *affs = arena_alloc(b->arena, (from->ncols + 2) * sizeof *affs);
    if (!names || !types || !affs)
        return false;
    memcpy(names, p->scan_names, at * sizeof *names);
    memcpy(types, p->scan_types, at * sizeof *types);
    memcpy(affs, from->affs, at * sizeof *affs);
    names[at] = "window_start";
    names[at + 1] = "window_end";
    types[at] = types[at + 1] = SL_TIMESTAMP;
    affs[at] = affs[at + 1] = SL_AFF_TIMESTAMP;
    memcpy(names + at + 2, p->scan_names + at, (p->nscan - at) * sizeof *names);
    memcpy(types + at + 2, p->scan_types + at, (p->nscan - at) * sizeof *types);
    memcpy(affs + at + 2, from->affs + at, (from->ncols - at) * sizeof *affs);
    p->scan_names = names;
    p->scan_types = types;
    p->nscan += 2;
    p->nfrom += 2;
    from->names = names;
    from->types = types;
    from->affs = affs;
    from->ncols += 2;
    /* The window's columns count as the right stream's, so r.window_start would
     * not name them: they are unqualified, as an aggregation's are. */
    for (uint32_t i = 2; i < from->nitems; i++)
        from->items[i].first += 2;
    for (uint32_t i = 1; i < p->njoins; i++) {
        struct sl_plan_join *later = &p->joins[i];
        later->first_col += 2;
        for (uint32_t k = 0; k < later->nkeys; k++)
            shift_columns(later->left_keys[k], at);
        if (later->residual)
            shift_columns(later->residual, at);
    }
    if (p->unnest)
        shift_columns(p->unnest, at);
    p->window.kind = SL_WINDOW_NONE;
    return true;
}

static sl_status bind_select_at(const struct ast_select *select, const struct sl_catalog *catalog,
                                struct sl_arena *plan_arena, struct sl_diags *diags, bool derived,
                                struct sl_plan **out)
{
    uint32_t errors_before = diags->count;
    struct bound_from from;
    sl_status st = bind_from(select, catalog, plan_arena, diags, &from);
    if (st != SL_OK)
        return st;
    struct sl_plan *p = arena_calloc(plan_arena, sizeof *p);
    if (!p)
        return SL_NOMEM;
    struct binder b = {
        .select = select,
        .arena = plan_arena,
        .diags = diags,
        .plan = p,
        .from = &from,
        .nvisible = from.nitems,
        .derived = derived,
    };
    p->stream = from.stream;
    p->input = from.input;
    if (!setup_scan(&b))
        return SL_NOMEM;
    if (!p->input && p->stream->time_column >= 0) {
        uint32_t tc = (uint32_t)p->stream->time_column;
        p->time_expr = column_ref(&b, tc, p->scan_types[tc], SL_AFF_TIMESTAMP, select->pos);
        if (!p->time_expr)
            return SL_NOMEM;
        p->watermark_delay_us = p->stream->watermark_delay_us;
    }
    bind_window(&b);
    uint32_t before_joins = diags->count;
    if (select->njoins && (st = bind_joins(&b)) != SL_OK)
        return st;
    /* A join that did not bind would make the rest report what follows from it. */
    if (diags->count > before_joins)
        return SL_ERROR;
    if (select->njoins && p->njoins && !window_join_columns(&b, &from))
        return SL_NOMEM;
    /* The window would need the stream's event time carried through the derived table. */
    if (p->input && select->window.kind)
        diags_add(diags, select->window.keyword.pos, select->window.keyword.span,
                  "window the stream itself: move the derived table's WHERE and expressions into "
                  "this SELECT", "a WINDOW over a derived table is not supported yet");
    if (select->where) {
        b.clause = "WHERE";
        p->where = bind_expr(&b, select->where, BIND_SCAN);
        if (p->where && p->where->type != SL_BOOL && p->where->type != SL_ANY &&
            p->where->type != SL_INT && p->where->type != SL_NULL)
            diags_add(diags, select->where->pos, select->where->span, NULL,
                      "WHERE expects a boolean condition, got %s", sl_type_name(p->where->type));
    }
    p->aggregate = select->group_by != NULL || p->window.kind != SL_WINDOW_NONE;
    for (uint32_t i = 0; i < select->nitems && !p->aggregate; i++)
        p->aggregate = contains_aggregate(select->items[i].expr);
    uint32_t before_keys = diags->count;
    if (!bind_group_by(&b))
        return SL_NOMEM;
    /* With a key missing, every select item using it would be reported too. */
    if (diags->count > before_keys)
        return SL_ERROR;
    if (!bind_select_list(&b) || bind_order_limit(select, p, plan_arena, diags) != SL_OK)
        return SL_NOMEM;
    if (select->having) {
        /* Over [keys, aggregates] like the select list; an aggregate only here is computed too. */
        b.clause = "HAVING";
        b.in_having = true;
        p->having = bind_expr(&b, select->having, BIND_OUTPUT);
        if (p->having && p->having->type != SL_BOOL && p->having->type != SL_ANY &&
            p->having->type != SL_INT && p->having->type != SL_NULL)
            diags_add(diags, select->having->pos, select->having->span, NULL,
                      "HAVING expects a boolean condition, got %s", sl_type_name(p->having->type));
    }
    if (diags->count > errors_before)
        return SL_ERROR;
    if (p->rank && (st = bind_rank_finish(p, b.rank_placeholder, plan_arena)) != SL_OK)
        return st;
    if (p->input && p->input->rank &&
        (st = bind_rank_outer(select, p, plan_arena, diags)) != SL_OK)
        return st;
    *out = p;
    return SL_OK;
}

sl_status bind_select(const struct ast_select *select, const struct sl_catalog *catalog,
                      struct sl_arena *plan_arena, struct sl_diags *diags, struct sl_plan **out)
{
    return bind_select_at(select, catalog, plan_arena, diags, false, out);
}

sl_status bind_select_derived(const struct ast_select *select, const struct sl_catalog *catalog,
                              struct sl_arena *plan_arena, struct sl_diags *diags,
                              struct sl_plan **out)
{
    return bind_select_at(select, catalog, plan_arena, diags, true, out);
}
