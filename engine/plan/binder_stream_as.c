/*
 * binder_stream_as.c — CREATE STREAM name AS SELECT: the SELECT bound as a
 * query's plan, and the stream its rows make. The stream's columns are the
 * SELECT's; its rows are appended only (a stream has no updates), so an
 * aggregation must be EMIT FINAL; its event time is carried where the rows
 * keep it: the source stream's event-time column passed through (with the
 * same watermark delay), or a tumbling or hopping window's end (with no
 * delay: the watermark closes windows in the order of their ends, so the
 * rows come in that order, op_window_agg.c).
 */
#include "engine/plan/binder.h"

#include "common/alloc.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* What asks a stream's connector gets this for a CREATE STREAM AS stream:
 * its query writes its log, no connector reads anything. */
const struct sl_connector stream_as_source = {
    .name = "QUERY",
    .kind = SL_CONNECTOR_SOURCE,
    .summary = "The rows of a CREATE STREAM ... AS SELECT query, written to the stream's log.",
    .replayable = false,
    .default_format = "JSON",
    .format_fixed = true,
};

static bool refuse_shape(const struct ast_create_query *cq, const struct sl_plan *p,
                         struct sl_diags *d)
{
    const struct ast_select *sel = cq->select;
    uint32_t errors = d->count;
    if (p->aggregate && !p->emit_final)
        diags_add(d, cq->name.pos, cq->name.span,
                  "a stream's rows are only appended: window the aggregation and EMIT FINAL "
                  "(each window's row once), or CREATE QUERY for a table of changing rows and "
                  "CREATE SINK to send its changes on",
                  "stream \"%s\" would get updates: its SELECT aggregates with EMIT CHANGES",
                  cq->name.text);
    if (!p->aggregate && plan_changelog(p) && !p->input->rank->final)
        diags_add(d, cq->name.pos, cq->name.span,
                  "a stream's rows are only appended: CREATE QUERY for a table of the top N and "
                  "CREATE SINK to send its changes on (a windowed aggregation's top N with EMIT "
                  "FINAL is appended once per window)",
                  "stream \"%s\" would get updates and deletes: its SELECT is a top-N",
                  cq->name.text);
    const struct ast_name *order = sel->order_kw.text ? &sel->order_kw : &sel->limit_kw;
    if (order->text)
        diags_add(d, order->pos, order->span, "a stream is in arrival order",
                  "%s is not allowed in CREATE STREAM AS", sel->order_kw.text ? "ORDER BY" : "LIMIT");
    for (uint32_t i = 0; i < p->nout; i++) {
        enum sl_type t = p->out_types[i];
        if (t != SL_ARRAY && t != SL_ANY)
            continue;
        char hint[256];
        snprintf(hint, sizeof hint, "%s",
                 t == SL_ARRAY ? "UNNEST the array into rows, or select one of its items"
                               : "CAST it to one type: CAST(... AS TEXT)");
        diags_add(d, cq->name.pos, cq->name.span, hint,
                  "column \"%s\" of stream \"%s\" is %s: a stream's columns have one of "
                  "BOOLEAN, INTEGER, REAL, TEXT or TIMESTAMP",
                  p->out_names[i], cq->name.text, t == SL_ARRAY ? "an array" : "of varying type");
    }
    return d->count == errors;
}

/* The event-time column the rows carry, and its watermark delay; -1: none. */
static int carried_time(const struct sl_plan *p, int64_t *delay)
{
    for (uint32_t i = 0; p->time_expr && !p->aggregate && i < p->nout; i++)
        if (p->outputs[i]->kind == EXPR_COLUMN && p->outputs[i]->column == p->time_expr->column) {
            *delay = p->watermark_delay_us;
            return (int)i;
        }
    bool sized = p->window.kind == SL_WINDOW_TUMBLING || p->window.kind == SL_WINDOW_HOPPING;
    for (uint32_t i = 0; p->time_expr && sized && i < p->nout; i++)
        if (strcasecmp(p->out_names[i], "window_end") == 0 && p->out_types[i] == SL_TIMESTAMP) {
            *delay = 0;
            return (int)i;
        }
    return -1;
}

sl_status bind_stream_as(const struct ast_stmt *stmt, const struct sl_catalog *catalog,
                         struct sl_arena *plan_arena, struct sl_diags *d, struct sl_plan **plan,
                         struct sl_stream_def **out)
{
    const struct ast_create_query *cq = &stmt->u.create_query;
    *out = NULL;
    sl_status st = bind_select(cq->select, catalog, plan_arena, d, plan);
    if (st != SL_OK)
        return st;
    const struct sl_plan *p = *plan;
    if (!refuse_shape(cq, p, d))
        return SL_ERROR;
    struct sl_stream_def *def = sl_calloc(1, sizeof *def);
    if (!def)
        return SL_NOMEM;
    def->name = sl_strdup(cq->name.text);
    def->sql = sl_strdup(stmt->text);
    def->cols = sl_calloc(p->nout + 1, sizeof *def->cols);
    if (!def->name || !def->sql || !def->cols) {
        stream_def_free(def);
        return SL_NOMEM;
    }
    for (uint32_t i = 0; i < p->nout; i++, def->ncols++) {
        def->cols[i].type = p->out_types[i] == SL_NULL ? SL_TEXT : p->out_types[i];
        if (!(def->cols[i].name = sl_strdup(p->out_names[i]))) {
            stream_def_free(def);
            return SL_NOMEM;
        }
    }
    def->ndeclared = def->ncols;
    def->source.connector = &stream_as_source;
    def->format.kind = SL_FORMAT_JSON;
    def->format.delimiter = ',';
    def->time_column = carried_time(p, &def->watermark_delay_us);
    def->log = true;
    def->max_log_bytes = SL_DEFAULT_MAX_LOG_BYTES;
    def->derived = true;
    *out = def;
    return SL_OK;
}
