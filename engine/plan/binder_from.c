/*
 * binder_from.c — binds what a SELECT reads: a stream of the catalog, or a
 * derived table `FROM (SELECT ...) [AS] t`. A derived table is bound into a
 * plan of its own whose outputs are the outer SELECT's columns; the planner
 * runs its operators first, so the two pipelines compose and no row is
 * materialised in between. Only a filter / project / unnest can be composed
 * so: a derived table that aggregates, orders or limits is refused here.
 */
#include "engine/plan/binder.h"

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

static sl_status bind_derived(const struct ast_select *select, const struct sl_catalog *catalog,
                              struct sl_arena *arena, struct sl_diags *diags,
                              struct bound_from *out)
{
    const struct ast_select *d = select->from_select;
    if (!derived_composable(d, diags))
        return SL_ERROR;
    struct sl_plan *inner;
    sl_status st = bind_select_derived(d, catalog, arena, diags, &inner);
    if (st != SL_OK)
        return st;
    enum sl_affinity *affs = arena_calloc(arena, (inner->nout ? inner->nout : 1) * sizeof *affs);
    if (!affs)
        return SL_NOMEM;
    /* A column keeps its expression's affinity, as a subquery's does in SQLite:
     * a stream column or CAST has one, other expressions none. */
    for (uint32_t i = 0; i < inner->nout; i++)
        affs[i] = inner->outputs[i]->affinity;
    out->stream = inner->stream;
    out->input = inner;
    out->ncols = inner->nout;
    out->names = inner->out_names;
    out->types = inner->out_types;
    out->affs = affs;
    out->alias = select->from_alias.text;
    out->label = out->alias ? out->alias : "the derived table";
    return SL_OK;
}

static sl_status bind_stream(const struct ast_select *select, const struct sl_catalog *catalog,
                             struct sl_arena *arena, struct sl_diags *diags,
                             struct bound_from *out)
{
    const struct sl_stream_def *stream = catalog_find_stream(catalog, select->from.text);
    if (!stream) {
        const char *best = catalog_suggest_stream(catalog, select->from.text);
        char hint[256];
        if (best)
            snprintf(hint, sizeof hint, "did you mean \"%s\"?", best);
        else
            snprintf(hint, sizeof hint, "%s",
                     catalog->nstreams ? "SHOW STREAMS lists the streams"
                                       : "declare it first with CREATE STREAM");
        diags_add(diags, select->from.pos, select->from.span, hint, "unknown stream \"%s\"",
                  select->from.text);
        return SL_ERROR;
    }
    uint32_t n = stream->ncols;
    const char **names = arena_calloc(arena, (n ? n : 1) * sizeof *names);
    enum sl_type *types = arena_calloc(arena, (n ? n : 1) * sizeof *types);
    enum sl_affinity *affs = arena_calloc(arena, (n ? n : 1) * sizeof *affs);
    if (!names || !types || !affs)
        return SL_NOMEM;
    for (uint32_t i = 0; i < n; i++) {
        names[i] = stream->cols[i].name;
        types[i] = stream->cols[i].type;
        affs[i] = expr_type_affinity(types[i]);
    }
    out->stream = stream;
    out->input = NULL;
    out->ncols = n;
    out->names = names;
    out->types = types;
    out->affs = affs;
    out->alias = select->from_alias.text ? select->from_alias.text : stream->name;
    out->label = out->alias;
    return SL_OK;
}

sl_status bind_from(const struct ast_select *select, const struct sl_catalog *catalog,
                    struct sl_arena *plan_arena, struct sl_diags *diags, struct bound_from *out)
{
    memset(out, 0, sizeof *out);
    return select->from_select ? bind_derived(select, catalog, plan_arena, diags, out)
                               : bind_stream(select, catalog, plan_arena, diags, out);
}

bool bind_from_qualifier(const struct bound_from *from, const struct ast_name *q,
                         struct sl_diags *diags)
{
    if (!q->text || (from->alias && strcasecmp(q->text, from->alias) == 0))
        return true;
    char hint[200];
    if (from->input && from->alias)
        snprintf(hint, sizeof hint, "qualify the derived table's columns with its alias, %s",
                 from->alias);
    else
        snprintf(hint, sizeof hint, "%s",
                 "name the derived table to qualify its columns: FROM (SELECT ...) AS t");
    diags_add(diags, q->pos, q->span, from->input ? hint : NULL, "unknown table or stream \"%s\"",
              q->text);
    return false;
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
    const struct sl_plan *in = from->input;
    for (uint32_t i = 0; in && i < in->nscan; i++) {
        if (strcasecmp(in->scan_names[i], column) == 0) {
            snprintf(out, cap, "%s is a column inside %s, which does not select it: select it "
                     "there to use it here", in->scan_names[i], from->label);
            return true;
        }
    }
    return false;
}
