/*
 * binder_order.c — binds a live SELECT's ORDER BY and LIMIT against its
 * output columns: each printed batch is read back from the result table, so
 * an ORDER BY item can only be what that table has — an output column by
 * name, by ordinal, or a selected expression written again.
 */
#include "engine/plan/binder.h"

#include "common/buf.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The output column a select item's expression landed in, or -1 for `*` items. */
static int64_t item_output(const struct ast_select *sel, const struct sl_plan *p, uint32_t item)
{
    uint32_t out = 0;
    for (uint32_t i = 0; i < item; i++) {
        const struct ast_expr *e = sel->items[i].expr;
        if (e->kind != AST_STAR)
            out++;
        else
            out += e->qualifier.text ? p->nfrom : p->nscan;
    }
    return sel->items[item].expr->kind == AST_STAR ? -1 : (int64_t)out;
}

/* A selected expression written again (`ORDER BY count(*)`): compared as rendered text. */
static int64_t selected_expression(const struct ast_select *sel, const struct sl_plan *p,
                                   const struct ast_expr *a)
{
    struct sl_buf want, have;
    buf_init(&want);
    buf_init(&have);
    ast_expr_render(a, &want);
    int64_t found = -1;
    for (uint32_t i = 0; i < sel->nitems && found < 0; i++) {
        buf_clear(&have);
        ast_expr_render(sel->items[i].expr, &have);
        if (strcasecmp(buf_str(&want), buf_str(&have)) == 0)
            found = item_output(sel, p, i);
    }
    buf_free(&want);
    buf_free(&have);
    return found;
}

static int64_t order_column(const struct ast_select *sel, const struct sl_plan *p,
                            const struct ast_expr *a, struct sl_diags *diags)
{
    if (a->kind == AST_INT) {
        if (a->ival >= 1 && a->ival <= p->nout)
            return a->ival - 1;
        diags_add(diags, a->pos, a->span, NULL,
                  "ORDER BY %lld is out of range: the output has %u column%s", (long long)a->ival,
                  p->nout, p->nout == 1 ? "" : "s");
        return -1;
    }
    if (a->kind == AST_COLUMN && !a->qualifier.text)
        for (uint32_t i = 0; i < p->nout; i++)
            if (strcasecmp(p->out_names[i], a->name.text) == 0)
                return i;
    int64_t found = selected_expression(sel, p, a);
    if (found >= 0)
        return found;
    struct sl_buf hint;
    buf_init(&hint);
    buf_puts(&hint, "the output columns are: ");
    for (uint32_t i = 0; i < p->nout; i++)
        buf_printf(&hint, "%s%s", i ? ", " : "", p->out_names[i]);
    diags_add(diags, a->pos, a->span, buf_str(&hint),
              "ORDER BY takes an output column (by name or ordinal) or a selected expression");
    buf_free(&hint);
    return -1;
}

sl_status bind_order_limit(const struct ast_select *sel, struct sl_plan *p,
                           struct sl_arena *arena, struct sl_diags *diags)
{
    p->limit = -1;
    if (sel->norder) {
        p->order = arena_alloc(arena, sel->norder * sizeof *p->order);
        if (!p->order)
            return SL_NOMEM;
    }
    for (uint32_t i = 0; i < sel->norder; i++) {
        int64_t c = order_column(sel, p, sel->order_by[i].expr, diags);
        /* Past the outputs when a select item failed to bind (already reported). */
        if (c < 0 || c >= p->nout)
            continue;
        p->order[p->norder].name = arena_strndup(arena, p->out_names[c], strlen(p->out_names[c]));
        if (!p->order[p->norder].name)
            return SL_NOMEM;
        p->order[p->norder].desc = sel->order_by[i].desc;
        p->norder++;
    }
    const struct ast_expr *l = sel->limit;
    if (l && (l->kind != AST_INT || l->ival < 0))
        diags_add(diags, l->pos, l->span, "write LIMIT 10", "LIMIT takes a whole number, 0 or more");
    else if (l)
        p->limit = l->ival;
    return SL_OK;
}
