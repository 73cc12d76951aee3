/*
 * exec_explain.c — EXPLAIN select and EXPLAIN query_name: the operator
 * pipeline, one operator a line with the columns and types it produces,
 * answered as a one-column table. A SELECT is bound and planned but never
 * started: its pipeline ends in a sink connected to no table, built in a
 * scratch arena and destroyed once described.
 */
#include "engine/exec/exec.h"

#include "common/alloc.h"
#include "engine/plan/binder.h"
#include "engine/ops/op_sink.h"

#include <string.h>

/* The first line: where the rows come from, as the scan's output columns. */
static void explain_scan(const struct sl_stream_def *def, struct sl_buf *out)
{
    buf_printf(out, "scan %s ", def->name);
    exec_source_text(def, out);
    buf_puts(out, " FORMAT ");
    exec_format_text(def, out);
    buf_puts(out, " -> (");
    for (uint32_t i = 0; i < def->ncols; i++)
        buf_printf(out, "%s%s %s", i ? ", " : "", def->cols[i].name,
                   sl_type_name(def->cols[i].type));
    buf_puts(out, ")\n");
}

/* Answers text, one row per line. */
static void answer_lines(const struct exec_ctx *x, const char *text)
{
    static const char *const header[] = {"plan"};
    exec_answer_row(x, true, 1, header);
    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t n = nl ? (size_t)(nl - text) : strlen(text);
        char *line = sl_strndup(text, n);
        if (!line)
            break;
        const char *row[] = {line};
        exec_answer_row(x, false, 1, row);
        sl_free(line);
        text += n + (nl ? 1 : 0);
    }
    exec_answer_end(x);
}

/* The scans: the stream read at the bottom, and a join's right stream (op_stream_join.c). */
static void explain_scans(const struct sl_plan *plan, struct sl_buf *out)
{
    explain_scan(plan->stream, out);
    for (; plan; plan = plan->input)
        if (planner_stream_join(plan))
            explain_scan(planner_stream_join(plan)->right_stream, out);
}

static sl_status explain_select(struct exec_ctx *x, const struct ast_select *sel)
{
    struct sl_arena *plan_arena = arena_create(0);
    struct sl_arena *work = arena_create(0);
    if (!plan_arena || !work) {
        arena_destroy(plan_arena);
        arena_destroy(work);
        return SL_NOMEM;
    }
    struct sl_plan *plan;
    sl_status st = bind_select(sel, &x->s->catalog, plan_arena, x->diags, &plan);
    struct sl_op *sink = NULL;
    struct sl_pipeline pipe = {0};
    struct sl_error err;
    sl_error_clear(&err);
    if (st == SL_OK && !x->check_only) {
        st = op_sink_create(work, NULL, plan->nout, plan->out_types, plan->out_names, &sink);
        if (st == SL_OK && (st = planner_build(plan, 1, work, sink, NULL, &x->s->clock,
                                               &pipe, &err)) != SL_OK) {
            op_destroy_chain(sink);
            if (st != SL_NOMEM)
                diags_add(x->diags, sel->pos, 6, NULL, "%s", err.msg);
        }
        if (st == SL_OK) {
            struct sl_buf text;
            buf_init(&text);
            explain_scans(plan, &text);
            op_explain_chain(pipe.head, &text);
            st = text.failed ? SL_NOMEM : SL_OK;
            if (st == SL_OK)
                answer_lines(x, buf_str(&text));
            buf_free(&text);
            planner_destroy(&pipe);
        }
    }
    arena_destroy(work);
    arena_destroy(plan_arena);
    return st;
}

static sl_status explain_query(struct exec_ctx *x, const struct ast_name *name)
{
    if (x->check_only)
        return SL_OK;
    const struct sl_query *q = exec_find_named_query(x->s, name->text);
    if (!q) {
        diags_add(x->diags, name->pos, name->span, "SHOW QUERIES lists them",
                  "unknown query \"%s\"", name->text);
        return SL_ERROR;
    }
    struct sl_buf text;
    buf_init(&text);
    explain_scans(q->plan, &text);
    op_explain_chain(q->pipeline.head, &text);
    sl_status st = text.failed ? SL_NOMEM : SL_OK;
    if (st == SL_OK)
        answer_lines(x, buf_str(&text));
    buf_free(&text);
    return st;
}

sl_status exec_explain(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    const struct ast_explain *e = &stmt->u.explain;
    return e->select ? explain_select(x, e->select) : explain_query(x, &e->query);
}
