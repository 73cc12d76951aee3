/*
 * exec_print.c — PRINT stream [LIMIT n], as ksqlDB's PRINT: the stream's
 * rows, every column as decoded, printed as they arrive, until the shell's
 * Ctrl-C, the end of a bounded input or n rows. It runs as a live
 * SELECT * over the stream whose output passes through a filter that
 * skips empty batches and stops the query at the LIMIT.
 */
#include "engine/exec/exec.h"

#include "common/alloc.h"

#include <stddef.h>
#include <stdio.h>

/* The live query's output. `live` comes first: the registry frees a live query's
 * struct sl_live with sl_free, which frees the whole of this. */
struct print_live {
    struct sl_live live;
    struct sluice_output to; /* the statement's output */
    struct sl_query *query;
    int64_t left;          /* rows still to print; -1: no LIMIT */
    uint64_t batch_rows;   /* rows forwarded in this batch */
};
_Static_assert(offsetof(struct print_live, live) == 0, "freed as a struct sl_live");

static void print_row(void *ctx, bool is_header, int ncols, const char *const *values)
{
    struct print_live *p = ctx;
    if (is_header)
        p->batch_rows = 0;
    else if (p->left == 0)
        return;
    else if (p->left > 0)
        p->left--;
    p->batch_rows += !is_header;
    if (p->to.row)
        p->to.row(p->to.ctx, is_header, ncols, values);
}

/* A batch that brought no row prints nothing; the LIMIT reached ends the query. */
static void print_end(void *ctx, const char *title)
{
    (void)title;
    struct print_live *p = ctx;
    if (p->batch_rows && p->to.table_end)
        p->to.table_end(p->to.ctx, NULL);
    p->batch_rows = 0;
    if (p->left == 0 && p->query)
        p->query->status = SL_QUERY_FINISHED;
}

/* PRINT reads a stream: a query's or a plain table is read with SELECT. */
static sl_status check_stream(struct exec_ctx *x, const struct ast_name *name)
{
    if (catalog_find_stream(&x->s->catalog, name->text) || !x->s->db ||
        !db_table_exists(x->s->db, name->text))
        return SL_OK;
    char hint[300];
    snprintf(hint, sizeof hint, "SELECT * FROM %s reads the table", name->text);
    diags_add(x->diags, name->pos, name->span, hint,
              "PRINT reads a stream, and \"%s\" is a table", name->text);
    return SL_ERROR;
}

sl_status exec_print(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    const struct ast_print *pr = &stmt->u.print;
    if (check_stream(x, &pr->stream) != SL_OK)
        return SL_ERROR;
    /* SELECT * FROM stream, built in place: the binder keeps nothing of the AST. */
    struct ast_expr star = {.kind = AST_STAR, .pos = stmt->pos, .span = 5};
    struct ast_select_item item = {.expr = &star};
    struct ast_select sel = {.pos = stmt->pos, .nitems = 1, .items = &item, .from = pr->stream};
    struct print_live *p = sl_calloc(1, sizeof *p);
    if (!p)
        return SL_NOMEM;
    if (x->out)
        p->to = *x->out;
    p->left = pr->limit > 0 ? pr->limit : -1;
    p->live.out = (struct sluice_output){.row = print_row, .table_end = print_end, .ctx = p};
    return exec_start_live(x, &sel, &p->live, &p->query);
}
