/*
 * binder_from.c — binds what a SELECT reads: a stream of the catalog or a
 * derived table `FROM (SELECT ...) [AS] t`, then the right item of each join
 * (a stream, a derived table, or a SQLite table of the database). The FROM's
 * columns are every item's, in FROM order (plan.h). A derived table is bound
 * into a plan of its own whose outputs are the outer SELECT's columns; the
 * planner runs its operators first, so the two pipelines compose and no row
 * is materialised in between. Only a filter / project / unnest can be
 * composed so: a derived table that aggregates, orders or limits is refused
 * here.
 */
#include "engine/plan/binder.h"

#include "common/buf.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* An aggregating derived table emits a changelog (updates to groups); of the
 * outer SELECT's operators only the top-N takes one, so only a ranking
 * derived table may aggregate. */
static const char *const aggregate_hint =
    "aggregate in the outer SELECT (HAVING filters groups), rank the groups for a top-N "
    "(ROW_NUMBER() OVER (...) AS rn here, WHERE rn <= N outside), or make the inner SELECT a "
    "CREATE QUERY and read its table";

/* Reports each clause of a derived table that cannot be composed; false if any.
 * One that ranks its rows (top-N, binder_rank.c) may aggregate: the top-N
 * operator takes the aggregation's changelog. */
static bool derived_composable(const struct ast_select *d, struct sl_diags *diags)
{
    uint32_t before = diags->count;
    bool ranks = bind_select_ranks(d);
    if (!ranks && d->group_by && d->group_by->count) {
        const struct ast_expr *k = d->group_by->items[0];
        diags_add(diags, k->pos, k->span, aggregate_hint,
                  "GROUP BY is not allowed in a derived table");
    } else if (!ranks) {
        for (uint32_t i = 0; i < d->nitems; i++) {
            const struct ast_expr *agg = bind_find_aggregate(d->items[i].expr);
            if (agg) {
                diags_add(diags, agg->pos, agg->name.span, aggregate_hint,
                          "aggregate function %s() is not allowed in a derived table",
                          agg->name.text);
                break;
            }
        }
    }
    if (d->window.kind && !ranks)
        diags_add(diags, d->window.keyword.pos, d->window.keyword.span, aggregate_hint,
                  "WINDOW is not allowed in a derived table");
    if (d->emit_kw.text && !ranks)
        diags_add(diags, d->emit_kw.pos, d->emit_kw.span, "put EMIT on the outer SELECT",
                  "EMIT is not allowed in a derived table");
    if (d->order_kw.text)
        diags_add(diags, d->order_kw.pos, d->order_kw.span,
                  "a stream's rows have no order to keep: put ORDER BY on the outer SELECT "
                  "(a live SELECT orders each batch it prints)",
                  "ORDER BY is not allowed in a derived table");
    if (d->limit_kw.text)
        diags_add(diags, d->limit_kw.pos, d->limit_kw.span,
                  "put LIMIT on the outer SELECT (a live SELECT cuts each batch it prints)",
                  "LIMIT is not allowed in a derived table");
    return diags->count == before;
}

/* What the grammar read for one FROM item. */
struct from_ast {
    const struct ast_name *schema, *name, *alias;
    const struct ast_select *select;
    struct sl_pos pos;
};

/* The columns being collected: every item's, in FROM order. */
struct from_cols {
    uint32_t n, cap;
    const char **names;
    enum sl_type *types;
    enum sl_affinity *affs;
};

static bool cols_add(struct from_cols *c, struct sl_arena *arena, const char *name,
                     enum sl_type type, enum sl_affinity aff)
{
    if (c->n == c->cap) {
        uint32_t cap = c->cap ? c->cap * 2 : 16;
        const char **names = arena_alloc(arena, cap * sizeof *names);
        enum sl_type *types = arena_alloc(arena, cap * sizeof *types);
        enum sl_affinity *affs = arena_alloc(arena, cap * sizeof *affs);
        if (!names || !types || !affs)
            return false;
        if (c->n) {
            memcpy(names, c->names, c->n * sizeof *names);
            memcpy(types, c->types, c->n * sizeof *types);
            memcpy(affs, c->affs, c->n * sizeof *affs);
        }
        c->names = names;
        c->types = types;
        c->affs = affs;
        c->cap = cap;
    }
    c->names[c->n] = name;
    c->types[c->n] = type;
    c->affs[c->n++] = aff;
    return true;
}

/* The output of a derived table that is its event-time column, passed
 * through unchanged (so a join can bound it by time), or -1. */
static int derived_time_col(const struct sl_plan *p)
{
    if (!p->time_expr)
        return -1;
    for (uint32_t i = 0; i < p->nout; i++) {
        const struct sl_expr *e = p->outputs[i];
        if (!p->aggregate && e->kind == EXPR_COLUMN && e->column == p->time_expr->column)
            return (int)i;
    }
    return -1;
}

static sl_status bind_derived(const struct from_ast *a, const struct sl_catalog *catalog,
                              struct sl_arena *arena, struct sl_diags *diags,
                              struct from_cols *cols, struct bound_item *out)
{
    const struct ast_select *d = a->select;
    if (!derived_composable(d, diags))
        return SL_ERROR;
    struct sl_plan *inner;
    sl_status st = bind_select_derived(d, catalog, arena, diags, &inner);
    if (st != SL_OK)
        return st;
    out->stream = inner->stream;
    out->input = inner;
    out->ncols = inner->nout;
    out->time_col = derived_time_col(inner);
    out->alias = a->alias->text;
    out->label = out->alias ? out->alias : "the derived table";
    /* A column keeps its expression's affinity, as a subquery's does in SQLite:
     * a stream column or CAST has one, other expressions none. */
    for (uint32_t i = 0; i < inner->nout; i++)
        if (!cols_add(cols, arena, inner->out_names[i], inner->out_types[i],
                      inner->outputs[i]->affinity))
            return SL_NOMEM;
    return SL_OK;
}

static void unknown_name(const struct from_ast *a, const struct sl_catalog *catalog,
                         bool may_be_table, struct sl_diags *diags)
{
    const char *best = catalog_suggest_stream(catalog, a->name->text);
    char hint[256];
    if (best)
        snprintf(hint, sizeof hint, "did you mean \"%s\"?", best);
    else if (may_be_table && !catalog->describe_table)
        snprintf(hint, sizeof hint, "%s",
                 "sluice check without --db cannot see the database's tables: give it --db FILE");
    else if (may_be_table)
        snprintf(hint, sizeof hint, "%s",
                 "SHOW STREAMS lists the streams and SHOW TABLES the database's tables");
    else
        snprintf(hint, sizeof hint, "%s",
                 catalog->nstreams ? "SHOW STREAMS lists the streams"
                                   : "declare it first with CREATE STREAM");
    diags_add(diags, a->name->pos, a->name->span, hint, "unknown %s \"%s\"",
              may_be_table ? "stream or table" : "stream", a->name->text);
}

static sl_status bind_stream(const struct sl_stream_def *stream, const struct from_ast *a,
                             struct sl_arena *arena, struct from_cols *cols,
                             struct bound_item *out)
{
    for (uint32_t i = 0; i < stream->ncols; i++)
        if (!cols_add(cols, arena, stream->cols[i].name, stream->cols[i].type,
                      expr_type_affinity(stream->cols[i].type)))
            return SL_NOMEM;
    out->stream = stream;
    out->ncols = stream->ncols;
    out->time_col = stream->time_column;
    out->alias = a->alias->text ? a->alias->text : stream->name;
    out->label = out->alias;
    return SL_OK;
}

void bind_table_column_type(const char *decl, enum sl_type *type, enum sl_affinity *aff)
{
    /* SQLite's rules (datatype3.html, 3.1), in their order. */
    char up[128];
    size_t n = 0;
    for (; decl[n] && n < sizeof up - 1; n++)
        up[n] = (char)(decl[n] >= 'a' && decl[n] <= 'z' ? decl[n] - 'a' + 'A' : decl[n]);
    up[n] = '\0';
    if (strstr(up, "INT")) {
        *type = SL_INT;
        *aff = SL_AFF_NUMERIC;
    } else if (strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT")) {
        *type = SL_TEXT;
        *aff = SL_AFF_TEXT;
    } else if (!n || strstr(up, "BLOB")) {
        *type = SL_ANY;
        *aff = SL_AFF_NONE;
    } else if (strstr(up, "REAL") || strstr(up, "FLOA") || strstr(up, "DOUB")) {
        *type = SL_REAL;
        *aff = SL_AFF_NUMERIC;
    } else {
        *type = SL_ANY;
        *aff = SL_AFF_NUMERIC;
    }
}

/* A SQLite table on the right of a join. SL_ERROR (reported) when there is none. */
static sl_status bind_table(const struct from_ast *a, const struct sl_catalog *catalog,
                            struct sl_arena *arena, struct sl_diags *diags,
                            struct from_cols *cols, struct bound_item *out)
{
    struct sl_table_def *t = arena_calloc(arena, sizeof *t);
    if (!t)
        return SL_NOMEM;
    bool found = false;
    struct sl_error err;
    sl_error_clear(&err);
    if (catalog->describe_table &&
        catalog->describe_table(catalog->describe_ctx, a->schema->text, a->name->text, arena, t,
                                &found, &err) != SL_OK) {
        diags_add(diags, a->name->pos, a->name->span, NULL, "cannot read table \"%s\": %s",
                  a->name->text, err.msg);
        return SL_ERROR;
    }
    if (!found) {
        if (a->schema->text)
            diags_add(diags, a->name->pos, a->name->span,
                      catalog->describe_table
                          ? "ATTACH the database first, or check the name with SHOW TABLES"
                          : "sluice check without --db cannot see the database's tables: give "
                            "it --db FILE",
                      "unknown table \"%s.%s\"", a->schema->text, a->name->text);
        else
            unknown_name(a, catalog, true, diags);
        return SL_ERROR;
    }
    if (strcasecmp(t->schema, "temp") == 0 || !t->file[0]) {
        diags_add(diags, a->name->pos, a->name->span,
                  "a lookup reads the table on a connection of its own: keep it in a database "
                  "file (main or an ATTACHed one)",
                  "table \"%s\" is in %s database", a->name->text,
                  strcasecmp(t->schema, "temp") == 0 ? "the temporary" : "an in-memory");
        return SL_ERROR;
    }
    for (uint32_t i = 0; i < t->ncols; i++) {
        enum sl_type type;
        enum sl_affinity aff;
        bind_table_column_type(t->decl_types[i], &type, &aff);
        if (!cols_add(cols, arena, t->names[i], type, aff))
            return SL_NOMEM;
    }
    out->table = t;
    out->ncols = t->ncols;
    out->time_col = -1;
    out->alias = a->alias->text ? a->alias->text : t->table;
    out->label = out->alias;
    return SL_OK;
}

/* One item; right: it is a join's right (which may be a table). */
static sl_status bind_item(const struct from_ast *a, bool right, const struct sl_catalog *catalog,
                           struct sl_arena *arena, struct sl_diags *diags, struct from_cols *cols,
                           struct bound_item *out)
{
    memset(out, 0, sizeof *out);
    out->first = cols->n;
    out->pos = a->name->text ? a->name->pos : a->pos;
    out->span = a->name->text ? a->name->span : 1;
    if (a->select)
        return bind_derived(a, catalog, arena, diags, cols, out);
    const struct sl_stream_def *stream =
        a->schema->text ? NULL : catalog_find_stream(catalog, a->name->text);
    if (stream)
        return bind_stream(stream, a, arena, cols, out);
    if (right)
        return bind_table(a, catalog, arena, diags, cols, out);
    if (a->schema->text) {
        diags_add(diags, a->schema->pos, a->schema->span,
                  "a query reads a stream first: FROM stream s JOIN table t ON ...",
                  "FROM %s.%s: a table cannot be the left of a join", a->schema->text,
                  a->name->text);
        return SL_ERROR;
    }
    struct sl_table_def t;
    bool found = false;
    struct sl_error err;
    sl_error_clear(&err);
    if (catalog->describe_table &&
        catalog->describe_table(catalog->describe_ctx, NULL, a->name->text, arena, &t, &found,
                                &err) == SL_OK &&
        found) {
        diags_add(diags, a->name->pos, a->name->span,
                  "put the stream first and join the table to it: FROM stream s JOIN table t ON "
                  "...; a SELECT over tables alone is SQLite's (run it as it is in the shell)",
                  "\"%s\" is a table, not a stream: a continuous query reads a stream first",
                  a->name->text);
        return SL_ERROR;
    }
    unknown_name(a, catalog, false, diags);
    return SL_ERROR;
}

/* Two items qualified by the same name: their columns could not be told apart. */
static bool aliases_distinct(const struct bound_from *f, struct sl_diags *diags)
{
    for (uint32_t i = 1; i < f->nitems; i++) {
        const struct bound_item *it = &f->items[i];
        for (uint32_t j = 0; it->alias && j < i; j++) {
            if (f->items[j].alias && strcasecmp(f->items[j].alias, it->alias) == 0) {
                char hint[300];
                snprintf(hint, sizeof hint,
                         "give each its own alias: FROM %s a JOIN %s b ON a.col = b.col",
                         f->items[j].label, it->label);
                diags_add(diags, it->pos, it->span, hint,
                          "\"%s\" names two items of the FROM clause", it->alias);
                return false;
            }
        }
    }
    return true;
}

sl_status bind_from(const struct ast_select *select, const struct sl_catalog *catalog,
                    struct sl_arena *plan_arena, struct sl_diags *diags, struct bound_from *out)
{
    memset(out, 0, sizeof *out);
    struct bound_item *items =
        arena_calloc(plan_arena, (1 + select->njoins) * sizeof *items);
    if (!items)
        return SL_NOMEM;
    struct from_cols cols = {0};
    struct from_ast a = {.schema = &select->from_schema, .name = &select->from,
                         .alias = &select->from_alias, .select = select->from_select,
                         .pos = select->pos};
    sl_status st = bind_item(&a, false, catalog, plan_arena, diags, &cols, &items[0]);
    for (uint32_t i = 0; i < select->njoins && st != SL_NOMEM; i++) {
        const struct ast_join *j = &select->joins[i];
        struct from_ast r = {.schema = &j->schema, .name = &j->name, .alias = &j->alias,
                             .select = j->select, .pos = j->keyword.pos};
        sl_status rs = bind_item(&r, true, catalog, plan_arena, diags, &cols, &items[i + 1]);
        if (rs != SL_OK)
            st = rs;
    }
    if (st != SL_OK)
        return st;
    out->nitems = 1 + select->njoins;
    out->items = items;
    out->stream = items[0].stream;
    out->input = items[0].input;
    out->alias = items[0].alias;
    out->label = items[0].label;
    out->ncols = cols.n;
    out->names = cols.names;
    out->types = cols.types;
    out->affs = cols.affs;
    return aliases_distinct(out, diags) ? SL_OK : SL_ERROR;
}

uint32_t bind_from_item_of(const struct bound_from *from, uint32_t col)
{
    uint32_t i = 0;
    while (i + 1 < from->nitems && col >= from->items[i + 1].first)
        i++;
    return i;
}

int bind_from_qualifier(const struct bound_from *from, uint32_t nvisible,
                        const struct ast_name *q, struct sl_diags *diags)
{
    for (uint32_t i = 0; i < nvisible; i++)
        if (from->items[i].alias && strcasecmp(q->text, from->items[i].alias) == 0)
            return (int)i;
    char hint[300] = "";
    for (uint32_t i = nvisible; i < from->nitems; i++) {
        if (from->items[i].alias && strcasecmp(q->text, from->items[i].alias) == 0) {
            snprintf(hint, sizeof hint,
                     "an ON condition sees the items joined before it and its own right: %s "
                     "is joined later",
                     from->items[i].label);
            break;
        }
    }
    if (!hint[0] && from->nitems > 1) {
        struct sl_buf list;
        buf_init(&list);
        for (uint32_t i = 0; i < nvisible; i++)
            if (from->items[i].alias)
                buf_printf(&list, "%s%s", list.len ? ", " : "", from->items[i].alias);
        snprintf(hint, sizeof hint, "the FROM clause names: %s", buf_str(&list));
        buf_free(&list);
    } else if (!hint[0] && from->input && from->alias) {
        snprintf(hint, sizeof hint, "qualify the derived table's columns with its alias, %s",
                 from->alias);
    } else if (!hint[0] && from->input) {
        snprintf(hint, sizeof hint, "%s",
                 "name the derived table to qualify its columns: FROM (SELECT ...) AS t");
    }
    diags_add(diags, q->pos, q->span, hint[0] ? hint : NULL, "unknown table or stream \"%s\"",
              q->text);
    return -1;
}

void bind_from_ambiguity_hint(const struct bound_from *from, const char *column, char *out,
                              size_t cap)
{
    if (!from->input)
        snprintf(out, cap, "write %s.%s for the stream's column, or give UNNEST another alias",
                 from->alias, column);
    else if (from->alias)
        snprintf(out, cap,
                 "write %s.%s for the derived table's column, or give UNNEST another alias",
                 from->alias, column);
    else
        snprintf(out, cap,
                 "name the derived table (FROM (SELECT ...) AS t) and write t.%s for its column, "
                 "or give UNNEST another alias",
                 column);
}

bool bind_from_inner_hint(const struct bound_from *from, const char *column, char *out,
                          size_t cap)
{
    for (uint32_t k = 0; k < from->nitems; k++) {
        const struct sl_plan *in = from->items[k].input;
        for (uint32_t i = 0; in && i < in->nscan; i++) {
            if (strcasecmp(in->scan_names[i], column) == 0) {
                snprintf(out, cap, "%s is a column inside %s, which does not select it: select "
                         "it there to use it here", in->scan_names[i], from->items[k].label);
                return true;
            }
        }
    }
    return false;
}
