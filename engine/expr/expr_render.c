/*
 * expr_render.c — a bound expression as SQL-like text, for EXPLAIN
 * (expr_render; see expr.h).
 */
#include "engine/expr/expr.h"

#include <ctype.h>
#include <string.h>

#include "common/buf.h"
#include "common/time.h"
#include "engine/functions/function.h"
#include "engine/values/sqlval.h"

static void render_const(struct sl_value v, struct sl_buf *out)
{
    char num[SQLVAL_NUM_TEXT_MAX];
    switch (v.type) {
    case SL_NULL: buf_puts(out, "NULL"); return;
    case SL_BOOL: buf_puts(out, v.u.b ? "TRUE" : "FALSE"); return;
    case SL_INT: buf_append(out, num, sqlval_format_int(v.u.i, num)); return;
    case SL_REAL: buf_append(out, num, sqlval_format_real(v.u.r, num)); return;
    case SL_TIMESTAMP: {
        char ts[32];
        sl_ts_format(v.u.i, ts);
        buf_printf(out, "TIMESTAMP '%s'", ts);
        return;
    }
    case SL_TEXT:
        buf_putc(out, '\'');
        for (uint32_t i = 0; i < v.u.s.len; i++) {
            if (v.u.s.ptr[i] == '\'')
                buf_putc(out, '\'');
            buf_putc(out, v.u.s.ptr[i]);
        }
        buf_putc(out, '\'');
        return;
    case SL_ARRAY:
    case SL_ANY: buf_puts(out, "?"); return;
    }
}

static void render_special(const struct sl_expr *e, const char *const *names, struct sl_buf *out)
{
    const char *no = e->negated ? "NOT " : "";
    switch (e->kind) {
    case EXPR_IN:
        buf_putc(out, '(');
        expr_render(e->args[0], names, out);
        buf_printf(out, " %sIN (", no);
        for (uint32_t a = 1; a < e->nargs; a++) {
            if (a > 1)
                buf_puts(out, ", ");
            expr_render(e->args[a], names, out);
        }
        buf_puts(out, "))");
        return;
    case EXPR_BETWEEN:
        buf_putc(out, '(');
        expr_render(e->args[0], names, out);
        buf_printf(out, " %sBETWEEN ", no);
        expr_render(e->args[1], names, out);
        buf_puts(out, " AND ");
        expr_render(e->args[2], names, out);
        buf_putc(out, ')');
        return;
    case EXPR_LIKE:
        buf_putc(out, '(');
        expr_render(e->args[0], names, out);
        buf_printf(out, " %s%s ", no, ast_op_text(e->op));
        expr_render(e->args[1], names, out);
        if (e->nargs > 2) {
            buf_puts(out, " ESCAPE ");
            expr_render(e->args[2], names, out);
        }
        buf_putc(out, ')');
        return;
    case EXPR_CASE: {
        uint32_t a = 0, last = e->nargs - (e->has_else ? 1 : 0);
        buf_puts(out, "CASE");
        if (e->has_base) {
            buf_putc(out, ' ');
            expr_render(e->args[a++], names, out);
        }
        for (; a + 1 < last; a += 2) {
            buf_puts(out, " WHEN ");
            expr_render(e->args[a], names, out);
            buf_puts(out, " THEN ");
            expr_render(e->args[a + 1], names, out);
        }
        if (e->has_else) {
            buf_puts(out, " ELSE ");
            expr_render(e->args[e->nargs - 1], names, out);
        }
        buf_puts(out, " END");
        return;
    }
    default:
        buf_puts(out, "CAST(");
        expr_render(e->args[0], names, out);
        buf_printf(out, " AS %s)", sl_type_name(e->cast_to));
        return;
    }
}

void expr_render(const struct sl_expr *e, const char *const *column_names, struct sl_buf *out)
{
    switch (e->kind) {
    case EXPR_CONST: render_const(e->value, out); return;
    case EXPR_COLUMN:
        if (column_names)
            buf_puts(out, column_names[e->column]);
        else
            buf_printf(out, "#%u", e->column);
        return;
    case EXPR_UNARY:
        if (e->op == AST_OP_ISNULL || e->op == AST_OP_NOTNULL) {
            buf_putc(out, '(');
            expr_render(e->args[0], column_names, out);
            buf_printf(out, " %s)", ast_op_text(e->op));
            return;
        }
        buf_puts(out, ast_op_text(e->op));
        if (e->op == AST_OP_NOT)
            buf_putc(out, ' ');
        expr_render(e->args[0], column_names, out);
        return;
    case EXPR_BINARY:
        buf_putc(out, '(');
        expr_render(e->args[0], column_names, out);
        buf_printf(out, " %s ", ast_op_text(e->op));
        expr_render(e->args[1], column_names, out);
        buf_putc(out, ')');
        return;
    case EXPR_CALL:
        /* An operator's function ("->") reads as the operator it is. */
        if (!isalpha((unsigned char)e->fn->name[0]) && e->nargs == 2) {
            buf_putc(out, '(');
            expr_render(e->args[0], column_names, out);
            buf_printf(out, " %s ", e->fn->name);
            expr_render(e->args[1], column_names, out);
            buf_putc(out, ')');
            return;
        }
        buf_puts(out, e->fn->name);
        buf_putc(out, '(');
        for (uint32_t a = 0; a < e->nargs; a++) {
            if (a)
                buf_puts(out, ", ");
            expr_render(e->args[a], column_names, out);
        }
        buf_putc(out, ')');
        return;
    case EXPR_IN:
    case EXPR_BETWEEN:
    case EXPR_LIKE:
    case EXPR_CASE:
    case EXPR_CAST: render_special(e, column_names, out); return;
    }
}
