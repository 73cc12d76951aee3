/*
 * ast.c — AST constructors (everything in the parse's arena) and the
 * fully parenthesised rendering tests and debug output use.
 */
#include "parser/ast_build.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

static void *new_zeroed(struct ast_builder *b, size_t n)
{
    void *p = arena_calloc(b->arena, n);
    if (!p)
        b->nomem = true;
    return p;
}

/* Copies a quoted token's body, turning each doubled quote into one. */
static char *unquote(struct ast_builder *b, const char *p, size_t n, uint32_t *out_len)
{
    char q = p[0];
    char *s = arena_alloc(b->arena, n);
    if (!s) {
        b->nomem = true;
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        s[k++] = p[i];
        if (p[i] == q)
            i++;
    }
    s[k] = '\0';
    if (out_len)
        *out_len = (uint32_t)k;
    return s;
}

static struct ast_name name_at(const struct sl_token *t, const char *text)
{
    return (struct ast_name){.text = text, .pos = t->pos, .span = t->span};
}

struct ast_name ast_name_ident(struct ast_builder *b, const struct sl_token *t)
{
    const char *text;
    if (t->len >= 2 && t->text[0] == '"')
        text = unquote(b, t->text, t->len, NULL);
    else if (!(text = arena_strndup(b->arena, t->text, t->len)))
        b->nomem = true;
    return name_at(t, text);
}

struct ast_name ast_name_string(struct ast_builder *b, const struct sl_token *t)
{
    return name_at(t, unquote(b, t->text, t->len, NULL));
}

struct ast_name ast_name_none(void)
{
    return (struct ast_name){0};
}

static struct ast_expr *expr_at(struct ast_builder *b, enum ast_expr_kind kind, struct sl_pos pos,
                                uint32_t span)
{
    struct ast_expr *e = new_zeroed(b, sizeof *e);
    if (e) {
        e->kind = kind;
        e->pos = pos;
        e->span = span;
        e->depth = 1;
    }
    return e;
}

bool ast_parse_int(const struct sl_token *t, int64_t *out)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < t->len; i++) {
        unsigned d = (unsigned)(t->text[i] - '0');
        if (d > 9 || v > ((uint64_t)INT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = (int64_t)v;
    return true;
}

/* Whether an INTEGER token is 2^63 (leading zeros allowed, as SQLite reads them). */
static bool is_int_min_magnitude(const struct sl_token *t)
{
    static const char digits[] = "9223372036854775808";
    uint32_t i = 0;
    while (i + 1 < t->len && t->text[i] == '0')
        i++;
    return t->len - i == sizeof digits - 1 && memcmp(t->text + i, digits, sizeof digits - 1) == 0;
}

/* strtod needs a NUL the source buffer may not have after the token. */
static double parse_real(struct ast_builder *b, const struct sl_token *t)
{
    char *tmp = arena_strndup(b->arena, t->text, t->len);
    if (!tmp) {
        b->nomem = true;
        return 0;
    }
    return strtod(tmp, NULL);
}

struct ast_expr *ast_expr_literal(struct ast_builder *b, const struct sl_token *t)
{
    struct ast_expr *e = expr_at(b, AST_INT, t->pos, t->span);
    if (!e)
        return NULL;
    if (t->type == TK_STRING) {
        e->kind = AST_STRING;
        e->str = unquote(b, t->text, t->len, &e->str_len);
    } else if (t->type == TK_FLOAT || !ast_parse_int(t, &e->ival)) {
        e->kind = AST_REAL;
        e->rval = parse_real(b, t);
        e->int_min_magnitude = t->type == TK_INTEGER && is_int_min_magnitude(t);
    }
    return e;
}

struct ast_expr *ast_expr_timestamp(struct ast_builder *b, const struct sl_token *text)
{
    struct ast_expr *e = expr_at(b, AST_TIMESTAMP, text->pos, text->span);
    if (e)
        e->str = unquote(b, text->text, text->len, &e->str_len);
    return e;
}

struct ast_expr *ast_expr_interval(struct ast_builder *b, const struct sl_token *text,
                                   int64_t unit_us)
{
    struct ast_expr *e = expr_at(b, AST_INTERVAL, text->pos, text->span);
    if (e) {
        e->str = unquote(b, text->text, text->len, &e->str_len);
        e->ival = unit_us;
    }
    return e;
}

struct ast_expr *ast_expr_keyword(struct ast_builder *b, enum ast_expr_kind kind, int64_t ival,
                                  const struct sl_token *t)
{
    struct ast_expr *e = expr_at(b, kind, t->pos, t->span);
    if (e)
        e->ival = ival;
    return e;
}

struct ast_expr *ast_expr_negate(struct ast_expr *lit, const struct sl_token *minus)
{
    if (!lit)
        return NULL;
    if (lit->kind == AST_REAL && lit->int_min_magnitude) {
        lit->kind = AST_INT;
        lit->ival = INT64_MIN;
        lit->int_min_magnitude = false;
    } else if (lit->kind == AST_INT) {
        lit->ival = -lit->ival;
    } else {
        lit->rval = -lit->rval;
    }
    lit->span += lit->pos.offset - minus->pos.offset;
    lit->pos = minus->pos;
    return lit;
}

struct ast_expr *ast_expr_column(struct ast_builder *b, const struct ast_name *qualifier,
                                 const struct ast_name *name)
{
    struct ast_expr *e = expr_at(b, AST_COLUMN, name->pos, name->span);
    if (e) {
        e->name = *name;
        if (qualifier)
            e->qualifier = *qualifier;
    }
    return e;
}

struct ast_expr *ast_expr_star(struct ast_builder *b, const struct ast_name *qualifier,
                               const struct sl_token *star)
{
    struct ast_expr *e = expr_at(b, AST_STAR, star->pos, star->span);
    if (e && qualifier) {
        e->qualifier = *qualifier;
        e->pos = qualifier->pos;
        e->span = star->pos.col > qualifier->pos.col && star->pos.line == qualifier->pos.line
                      ? star->pos.col - qualifier->pos.col + 1
                      : qualifier->span;
    }
    return e;
}

static uint32_t depth_of(const struct ast_expr *e)
{
    return e ? e->depth : 0;
}

/* Sets e's depth from its operands' (built before it, so this is constant
 * time but for a list's scan), noting the first one past the limit. */
static struct ast_expr *take_depth(struct ast_builder *b, struct ast_expr *e)
{
    if (!e)
        return NULL;
    uint32_t d = depth_of(e->left);
    if (depth_of(e->right) > d)
        d = depth_of(e->right);
    if (depth_of(e->third) > d)
        d = depth_of(e->third);
    for (uint32_t i = 0; e->args && i < e->args->count; i++)
        if (depth_of(e->args->items[i]) > d)
            d = depth_of(e->args->items[i]);
    e->depth = d + 1;
    if (e->depth > AST_MAX_EXPR_DEPTH && !b->too_deep)
        b->too_deep = e;
    return e;
}

struct ast_expr *ast_expr_unary(struct ast_builder *b, enum ast_op op, const struct sl_token *t,
                                struct ast_expr *operand)
{
    /* -9223372036854775808 is SQLite's INTEGER minimum, not -(REAL). */
    if (op == AST_OP_NEG && operand && operand->int_min_magnitude)
        return ast_expr_negate(operand, t);
    struct ast_expr *e = expr_at(b, AST_UNARY, t->pos, t->span);
    if (e) {
        e->op = op;
        e->left = operand;
    }
    return take_depth(b, e);
}

struct ast_expr *ast_expr_binary(struct ast_builder *b, enum ast_op op, const struct sl_token *t,
                                 struct ast_expr *left, struct ast_expr *right)
{
    struct ast_expr *e = expr_at(b, AST_BINARY, t->pos, t->span);
    if (e) {
        e->op = op;
        e->left = left;
        e->right = right;
    }
    return take_depth(b, e);
}

struct ast_expr *ast_expr_call(struct ast_builder *b, const struct ast_name *fn,
                               struct ast_expr_list *args, bool star_arg, bool distinct)
{
    struct ast_expr *e = expr_at(b, AST_CALL, fn->pos, fn->span);
    if (e) {
        e->name = *fn;
        e->args = args;
        e->star_arg = star_arg;
        e->distinct = distinct;
    }
    return take_depth(b, e);
}

struct ast_expr *ast_expr_call_filter(struct ast_expr *call, struct ast_expr *cond)
{
    if (!call || !cond)
        return NULL;
    call->third = cond;
    if (cond->depth >= call->depth)
        call->depth = cond->depth + 1;
    return call;
}

struct ast_expr *ast_expr_call_over(struct ast_builder *b, struct ast_expr *call,
                                    const struct sl_token *over, struct ast_expr_list *partition,
                                    const struct ast_vec *order)
{
    struct ast_over *o = call ? new_zeroed(b, sizeof *o) : NULL;
    if (!o)
        return NULL;
    o->keyword = ast_name_ident(b, over);
    o->partition_by = partition;
    o->norder = order->count;
    o->order_by = order->items;
    call->over = o;
    return call;
}

struct ast_expr *ast_expr_in(struct ast_builder *b, const struct sl_token *t, struct ast_expr *x,
                             bool negated, struct ast_expr_list *list)
{
    struct ast_expr *e = expr_at(b, AST_IN, t->pos, t->span);
    if (e) {
        e->left = x;
        e->negated = negated;
        e->args = list;
    }
    return take_depth(b, e);
}

struct ast_expr *ast_expr_between(struct ast_builder *b, const struct sl_token *t,
                                  struct ast_expr *x, bool negated, struct ast_expr *lo,
                                  struct ast_expr *hi)
{
    struct ast_expr *e = expr_at(b, AST_BETWEEN, t->pos, t->span);
    if (e) {
        e->left = x;
        e->negated = negated;
        e->right = lo;
        e->third = hi;
    }
    return take_depth(b, e);
}

struct ast_expr *ast_expr_like(struct ast_builder *b, enum ast_op op, const struct sl_token *t,
                               struct ast_expr *x, bool negated, struct ast_expr *pattern,
                               struct ast_expr *escape)
{
    struct ast_expr *e = expr_at(b, AST_LIKE, t->pos, t->span);
    if (e) {
        e->op = op;
        e->left = x;
        e->negated = negated;
        e->right = pattern;
        e->third = escape;
    }
    return take_depth(b, e);
}

struct ast_expr *ast_expr_case(struct ast_builder *b, const struct sl_token *t,
                               struct ast_expr *base, struct ast_expr_list *whens,
                               struct ast_expr *otherwise)
{
    struct ast_expr *e = expr_at(b, AST_CASE, t->pos, t->span);
    if (e) {
        e->left = base;
        e->args = whens;
        e->right = otherwise;
    }
    return take_depth(b, e);
}

struct ast_expr *ast_expr_cast(struct ast_builder *b, const struct sl_token *t, struct ast_expr *x,
                               const struct ast_name *type)
{
    struct ast_expr *e = expr_at(b, AST_CAST, t->pos, t->span);
    if (e) {
        e->left = x;
        e->name = *type;
    }
    return take_depth(b, e);
}

/* Grows an arena array to hold one more element (the old block stays in the arena). */
static bool grow(struct ast_builder *b, void **items, uint32_t count, uint32_t *cap, size_t size)
{
    if (count < *cap)
        return true;
    uint32_t ncap = *cap ? *cap * 2 : 4;
    void *p = arena_alloc(b->arena, (size_t)ncap * size);
    if (!p) {
        b->nomem = true;
        return false;
    }
    if (count)
        memcpy(p, *items, (size_t)count * size);
    *items = p;
    *cap = ncap;
    return true;
}

struct ast_expr_list *ast_expr_list_append(struct ast_builder *b, struct ast_expr_list *list,
                                           struct ast_expr *e)
{
    if (!list && !(list = new_zeroed(b, sizeof *list)))
        return NULL;
    void *items = list->items;
    if (grow(b, &items, list->count, &list->cap, sizeof *list->items)) {
        list->items = items;
        list->items[list->count++] = e;
    }
    return list;
}

void ast_vec_push(struct ast_builder *b, struct ast_vec *v, const void *elem, size_t size)
{
    if (grow(b, &v->items, v->count, &v->cap, size))
        memcpy((char *)v->items + (size_t)v->count++ * size, elem, size);
}

struct ast_stmt *ast_stmt_new(struct ast_builder *b, enum ast_stmt_kind kind, struct sl_pos pos)
{
    struct ast_stmt *s = new_zeroed(b, sizeof *s);
    if (s) {
        s->kind = kind;
        s->pos = pos;
    }
    return s;
}

struct ast_select *ast_select_new(struct ast_builder *b, struct sl_pos pos)
{
    struct ast_select *s = new_zeroed(b, sizeof *s);
    if (s)
        s->pos = pos;
    return s;
}

struct ast_join_op ast_join_op(struct ast_builder *b, const struct sl_token *first,
                               enum ast_join_type type, const char *kind)
{
    struct ast_join_op op = {.type = type, .keyword = ast_name_ident(b, first)};
    if (!kind)
        return op;
    if (strcmp(kind, "RIGHT") == 0) {
        op.refused = "RIGHT JOIN is not supported";
        op.hint = "swap the sides and write LEFT JOIN: FROM b LEFT JOIN a ON ...";
    } else if (strcmp(kind, "FULL") == 0) {
        op.refused = "FULL JOIN is not supported";
        op.hint = "LEFT JOIN keeps every row of the left side: FROM a LEFT JOIN b ON ...";
    } else {
        op.refused = "NATURAL JOIN is not supported";
        op.hint = "name the columns that match: FROM a JOIN b ON a.id = b.id";
    }
    return op;
}

/* ---- rendering ----------------------------------------------------------- */

const char *ast_op_text(enum ast_op op)
{
    switch (op) {
    case AST_OP_NEG: return "-";
    case AST_OP_PLUS: return "+";
    case AST_OP_NOT: return "NOT";
    case AST_OP_BITNOT: return "~";
    case AST_OP_BITAND: return "&";
    case AST_OP_BITOR: return "|";
    case AST_OP_LSHIFT: return "<<";
    case AST_OP_RSHIFT: return ">>";
    case AST_OP_OR: return "OR";
    case AST_OP_AND: return "AND";
    case AST_OP_EQ: return "=";
    case AST_OP_NE: return "<>";
    case AST_OP_LT: return "<";
    case AST_OP_LE: return "<=";
    case AST_OP_GT: return ">";
    case AST_OP_GE: return ">=";
    case AST_OP_ADD: return "+";
    case AST_OP_SUB: return "-";
    case AST_OP_MUL: return "*";
    case AST_OP_DIV: return "/";
    case AST_OP_MOD: return "%";
    case AST_OP_CONCAT: return "||";
    case AST_OP_PTR2: return "->>";
    case AST_OP_PTR: return "->";
    case AST_OP_ISNULL: return "IS NULL";
    case AST_OP_NOTNULL: return "IS NOT NULL";
    case AST_OP_IS: return "IS";
    case AST_OP_ISNOT: return "IS NOT";
    case AST_OP_LIKE: return "LIKE";
    case AST_OP_GLOB: return "GLOB";
    case AST_OP_NONE: break;
    }
    return "?";
}

const char *ast_unit_name(int64_t unit_us)
{
    switch (unit_us) {
    case 1000: return "MILLISECOND";
    case 1000000: return "SECOND";
    case 60000000: return "MINUTE";
    case 3600000000: return "HOUR";
    default: return "DAY";
    }
}

static void render_string(const struct ast_expr *e, struct sl_buf *out)
{
    buf_putc(out, '\'');
    for (uint32_t i = 0; i < e->str_len; i++) {
        if (e->str[i] == '\'')
            buf_putc(out, '\'');
        buf_putc(out, e->str[i]);
    }
    buf_putc(out, '\'');
}

static void render_real(double v, struct sl_buf *out)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.15g", v);
    buf_puts(out, tmp);
    if (!strpbrk(tmp, ".eEni")) /* keep 2.0 a real: "2" would read back as an integer */
        buf_puts(out, ".0");
}

static void render_list(const struct ast_expr_list *l, const char *sep, struct sl_buf *out)
{
    for (uint32_t i = 0; l && i < l->count; i++) {
        if (i)
            buf_puts(out, sep);
        ast_expr_render(l->items[i], out);
    }
}

void ast_expr_render(const struct ast_expr *e, struct sl_buf *out)
{
    if (!e) {
        buf_puts(out, "?");
        return;
    }
    switch (e->kind) {
    case AST_NULL: buf_puts(out, "NULL"); break;
    case AST_BOOL: buf_puts(out, e->ival ? "TRUE" : "FALSE"); break;
    case AST_INT: buf_printf(out, "%" PRId64, e->ival); break;
    case AST_REAL: render_real(e->rval, out); break;
    case AST_STRING: render_string(e, out); break;
    case AST_TIMESTAMP:
        buf_puts(out, "TIMESTAMP ");
        render_string(e, out);
        break;
    case AST_INTERVAL:
        buf_puts(out, "INTERVAL ");
        render_string(e, out);
        if (e->ival)
            buf_printf(out, " %s", ast_unit_name(e->ival));
        break;
    case AST_COLUMN:
    case AST_STAR:
        if (e->qualifier.text)
            buf_printf(out, "%s.", e->qualifier.text);
        buf_puts(out, e->kind == AST_STAR ? "*" : e->name.text ? e->name.text : "?");
        break;
    case AST_UNARY:
        if (e->op == AST_OP_ISNULL || e->op == AST_OP_NOTNULL) {
            buf_putc(out, '(');
            ast_expr_render(e->left, out);
            buf_printf(out, " %s)", ast_op_text(e->op));
            break;
        }
        buf_printf(out, e->op == AST_OP_NOT ? "(%s " : "(%s", ast_op_text(e->op));
        ast_expr_render(e->left, out);
        buf_putc(out, ')');
        break;
    case AST_IN:
        buf_putc(out, '(');
        ast_expr_render(e->left, out);
        buf_puts(out, e->negated ? " NOT IN (" : " IN (");
        render_list(e->args, ", ", out);
        buf_puts(out, "))");
        break;
    case AST_BETWEEN:
        buf_putc(out, '(');
        ast_expr_render(e->left, out);
        buf_puts(out, e->negated ? " NOT BETWEEN " : " BETWEEN ");
        ast_expr_render(e->right, out);
        buf_puts(out, " AND ");
        ast_expr_render(e->third, out);
        buf_putc(out, ')');
        break;
    case AST_LIKE:
        buf_putc(out, '(');
        ast_expr_render(e->left, out);
        buf_printf(out, " %s%s ", e->negated ? "NOT " : "", ast_op_text(e->op));
        ast_expr_render(e->right, out);
        if (e->third) {
            buf_puts(out, " ESCAPE ");
            ast_expr_render(e->third, out);
        }
        buf_putc(out, ')');
        break;
    case AST_CASE:
        buf_puts(out, "CASE");
        if (e->left) {
            buf_putc(out, ' ');
            ast_expr_render(e->left, out);
        }
        for (uint32_t i = 0; e->args && i + 1 < e->args->count; i += 2) {
            buf_puts(out, " WHEN ");
            ast_expr_render(e->args->items[i], out);
            buf_puts(out, " THEN ");
            ast_expr_render(e->args->items[i + 1], out);
        }
        if (e->right) {
            buf_puts(out, " ELSE ");
            ast_expr_render(e->right, out);
        }
        buf_puts(out, " END");
        break;
    case AST_CAST:
        buf_puts(out, "CAST(");
        ast_expr_render(e->left, out);
        buf_printf(out, " AS %s)", e->name.text ? e->name.text : "?");
        break;
    case AST_BINARY:
        buf_putc(out, '(');
        ast_expr_render(e->left, out);
        buf_printf(out, " %s ", ast_op_text(e->op));
        ast_expr_render(e->right, out);
        buf_putc(out, ')');
        break;
    case AST_CALL:
        buf_printf(out, "%s(%s", e->name.text ? e->name.text : "?", e->distinct ? "DISTINCT " : "");
        if (e->star_arg)
            buf_putc(out, '*');
        render_list(e->args, ", ", out);
        buf_putc(out, ')');
        if (e->third) {
            buf_puts(out, " FILTER (WHERE ");
            ast_expr_render(e->third, out);
            buf_putc(out, ')');
        }
        break;
    }
}
