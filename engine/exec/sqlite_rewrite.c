/*
 * sqlite_rewrite.c — a SELECT handed to SQLite, in SQLite's terms. SQLite
 * has no TIMESTAMP type and no INTERVAL: it reads TIMESTAMP '...' as a
 * syntax error and ts + 5 as a number. When a SELECT holds one of those, it
 * is parsed with Sluice's parser, typed as the binder types a stream's
 * columns (the FROM table's declared types), and rendered back to SQL with
 * each of them replaced: a TIMESTAMP literal by its ISO text (how a result
 * table stores a TIMESTAMP), an INTERVAL by its microseconds, + and - with a
 * TIMESTAMP and CAST AS TIMESTAMP by the engine's own operators
 * (sqlite_functions.c). Every other SELECT reaches SQLite as written.
 */
#include "engine/exec/sqlite_bridge.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/alloc.h"
#include "common/time.h"
#include "engine/exec/exec.h"
#include "engine/expr/expr.h"
#include "engine/functions/function.h"
#include "engine/plan/binder.h"
#include "engine/runtime/query.h"
#include "parser/lexer.h"
#include "parser/parser.h"
#include "storage/db_tables.h"

/* The FROM a SELECT without one is parsed with (a name no table has). */
#define NO_TABLE "sluice: no table"

/* The columns a SELECT reads, with the types a stream's would have. */
struct scope {
    uint32_t n, cap;
    const char **names;
    enum sl_type *types;
    struct sl_arena *arena;
};

struct rewriter {
    const char *sql;
    const struct sluice *s;
    struct sl_db *db;
    struct sl_diags *diags;
    struct sqlite_rewrite *out;
    struct sl_arena *arena;
    bool failed; /* an invalid literal was reported */
};

static bool scope_add(struct scope *s, const char *name, enum sl_type type)
{
    if (s->n == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 16;
        const char **names = arena_alloc(s->arena, cap * sizeof *names);
        enum sl_type *types = arena_alloc(s->arena, cap * sizeof *types);
        if (!names || !types)
            return false;
        if (s->n) {
            memcpy(names, s->names, s->n * sizeof *names);
            memcpy(types, s->types, s->n * sizeof *types);
        }
        s->names = names, s->types = types, s->cap = cap;
    }
    s->names[s->n] = arena_strndup(s->arena, name, strlen(name));
    s->types[s->n++] = type;
    return s->names[s->n - 1] != NULL;
}

static void add_table_column(void *ctx, const struct db_column *column)
{
    const char *declared = column->type ? column->type : "";
    enum sl_type t;
    if (!sl_type_from_name(declared, strlen(declared), &t))
        t = SL_ANY;
    scope_add(ctx, column->name, t);
}

static enum sl_type type_of(const struct scope *s, const struct ast_expr *e);

static enum sl_type call_type(const struct scope *s, const struct ast_expr *e)
{
    uint32_t n = e->args ? e->args->count : 0;
    enum sl_type args[n ? n : 1];
    for (uint32_t i = 0; i < n; i++)
        args[i] = type_of(s, e->args->items[i]);
    /* The aggregates min(x) and max(x) keep x's type. */
    if (n == 1 && (strcasecmp(e->name.text, "min") == 0 || strcasecmp(e->name.text, "max") == 0))
        return args[0];
    const struct sl_scalar_fn *fn = function_lookup(e->name.text);
    enum sl_type t;
    char why[256];
    if (fn && (int)n >= fn->min_args && (fn->max_args < 0 || (int)n <= fn->max_args) &&
        fn->infer(args, (int)n, &t, why, sizeof why))
        return t;
    return SL_ANY;
}

/* The static type the binder would give e (SL_ANY where it cannot tell). */
static enum sl_type type_of(const struct scope *s, const struct ast_expr *e)
{
    enum sl_type t, l, r;
    switch (e->kind) {
    case AST_NULL: return SL_NULL;
    case AST_BOOL: return SL_BOOL;
    case AST_INT:
    case AST_INTERVAL: return SL_INT;
    case AST_REAL: return SL_REAL;
    case AST_STRING: return SL_TEXT;
    case AST_TIMESTAMP: return SL_TIMESTAMP;
    case AST_COLUMN:
        for (uint32_t i = 0; i < s->n; i++)
            if (strcasecmp(s->names[i], e->name.text) == 0)
                return s->types[i];
        return SL_ANY;
    case AST_UNARY: return expr_unary_type(e->op, type_of(s, e->left), &t) ? t : SL_ANY;
    case AST_BINARY:
        l = type_of(s, e->left), r = type_of(s, e->right);
        return expr_binary_type(e->op, l, r, &t) ? t : SL_ANY;
    case AST_CALL: return call_type(s, e);
    case AST_CAST: return expr_cast_target(e->name.text, &t) ? t : SL_ANY;
    case AST_CASE: {
        enum sl_type branches[64];
        uint32_t n = 0;
        for (uint32_t i = 1; e->args && i < e->args->count && n < 63; i += 2)
            branches[n++] = type_of(s, e->args->items[i]);
        if (e->right)
            branches[n++] = type_of(s, e->right);
        return expr_case_type(branches, n);
    }
    case AST_IN:
    case AST_BETWEEN:
    case AST_LIKE: return SL_BOOL;
    default: return SL_ANY;
    }
}

static bool is_timestamp_arith(const struct scope *s, const struct ast_expr *e)
{
    return e->kind == AST_BINARY && (e->op == AST_OP_ADD || e->op == AST_OP_SUB) &&
           (type_of(s, e->left) == SL_TIMESTAMP || type_of(s, e->right) == SL_TIMESTAMP);
}

static bool cast_differs(const struct ast_expr *e)
{
    enum sl_type t;
    return e->kind == AST_CAST && e->name.text && expr_cast_target(e->name.text, &t) &&
           (t == SL_TIMESTAMP || strcasecmp(e->name.text, "BOOLEAN") == 0 ||
            strcasecmp(e->name.text, "BOOL") == 0);
}

static bool list_differs(const struct scope *s, const struct ast_expr_list *l);

/* Whether e holds something SQLite would read otherwise than Sluice. */
static bool expr_differs(const struct scope *s, const struct ast_expr *e)
{
    if (!e)
        return false;
    if (e->kind == AST_TIMESTAMP || e->kind == AST_INTERVAL || cast_differs(e) ||
        is_timestamp_arith(s, e))
        return true;
    return expr_differs(s, e->left) || expr_differs(s, e->right) || expr_differs(s, e->third) ||
           list_differs(s, e->args);
}

static bool list_differs(const struct scope *s, const struct ast_expr_list *l)
{
    for (uint32_t i = 0; l && i < l->count; i++)
        if (expr_differs(s, l->items[i]))
            return true;
    return false;
}

static sl_status scope_of(struct rewriter *w, const struct ast_select *sel, struct scope *out);

static bool select_differs(struct rewriter *w, const struct ast_select *sel)
{
    struct scope s = {.arena = w->arena};
    if (scope_of(w, sel, &s) != SL_OK)
        return false;
    if (sel->from_select && select_differs(w, sel->from_select))
        return true;
    for (uint32_t i = 0; i < sel->nitems; i++)
        if (expr_differs(&s, sel->items[i].expr))
            return true;
    for (uint32_t i = 0; i < sel->norder; i++)
        if (expr_differs(&s, sel->order_by[i].expr))
            return true;
    return expr_differs(&s, sel->where) || list_differs(&s, sel->group_by) ||
           expr_differs(&s, sel->having) || expr_differs(&s, sel->limit);
}

/* Only what SQLite has a form for: no UNNEST, window or EMIT (Sluice's own);
 * a join's SELECT goes to SQLite as written (the renderer has no JOIN). */
static bool select_renderable(const struct ast_select *sel)
{
    return !sel->unnest && !sel->window.keyword.text && !sel->emit_kw.text && !sel->njoins &&
           (!sel->from_select || select_renderable(sel->from_select));
}

/* The name Sluice gives an unaliased select item (as binder_select.c does). */
static void item_name(const struct ast_select_item *it, struct sl_buf *out)
{
    if (it->alias.text)
        buf_puts(out, it->alias.text);
    else if (it->expr->kind == AST_COLUMN)
        buf_puts(out, it->expr->name.text);
    else
        ast_expr_render(it->expr, out);
}

static sl_status scope_of(struct rewriter *w, const struct ast_select *sel, struct scope *out)
{
    if (sel->from_select) {
        struct scope inner = {.arena = w->arena};
        if (scope_of(w, sel->from_select, &inner) != SL_OK)
            return SL_NOMEM;
        const struct ast_select *d = sel->from_select;
        for (uint32_t i = 0; i < d->nitems; i++) {
            const struct ast_select_item *it = &d->items[i];
            if (it->expr->kind == AST_STAR) {
                for (uint32_t k = 0; k < inner.n; k++)
                    if (!scope_add(out, inner.names[k], inner.types[k]))
                        return SL_NOMEM;
                continue;
            }
            struct sl_buf name;
            buf_init(&name);
            item_name(it, &name);
            bool ok = !name.failed && scope_add(out, buf_str(&name), type_of(&inner, it->expr));
            buf_free(&name);
            if (!ok)
                return SL_NOMEM;
        }
        return SL_OK;
    }
    struct sl_error err;
    if (!w->db || !sel->from.text)
        return SL_OK;
    bool found;
    db_table_columns(w->db, sel->from.text, add_table_column, out, &found, &err);
    /* A query's result table stores a TIMESTAMP as TEXT: its columns have
     * the types the running query gives them. */
    const struct sl_query *q = exec_find_named_query(w->s, sel->from.text);
    for (uint32_t i = 0; q && i < q->plan->nout; i++)
        for (uint32_t k = 0; k < out->n; k++)
            if (strcasecmp(out->names[k], q->plan->out_names[i]) == 0)
                out->types[k] = q->plan->out_types[i];
    return SL_OK;
}

/* Records that what is rendered next comes from source offset src. */
static void mark(struct rewriter *w, uint32_t src)
{
    struct sqlite_rewrite *r = w->out;
    if (r->nmarks == r->capmarks) {
        uint32_t cap = r->capmarks ? r->capmarks * 2 : 32;
        uint32_t *o = sl_realloc(r->out_at, cap * sizeof *o);
        if (o)
            r->out_at = o;
        uint32_t *s = o ? sl_realloc(r->src_at, cap * sizeof *s) : NULL;
        if (!s)
            return; /* a coarser map: errors point a little earlier */
        r->src_at = s;
        r->capmarks = cap;
    }
    r->out_at[r->nmarks] = (uint32_t)r->text.len;
    r->src_at[r->nmarks++] = src;
}

static void put_string(struct sl_buf *b, const char *s, uint32_t len)
{
    buf_putc(b, '\'');
    for (uint32_t i = 0; i < len; i++) {
        if (s[i] == '\'')
            buf_putc(b, '\'');
        buf_putc(b, s[i]);
    }
    buf_putc(b, '\'');
}

static void render_expr(struct rewriter *w, const struct scope *s, const struct ast_expr *e);

static void render_list(struct rewriter *w, const struct scope *s, const struct ast_expr_list *l)
{
    for (uint32_t i = 0; l && i < l->count; i++) {
        if (i)
            buf_puts(&w->out->text, ", ");
        render_expr(w, s, l->items[i]);
    }
}

static void render_literal(struct rewriter *w, const struct ast_expr *e)
{
    struct sl_buf *b = &w->out->text;
    char text[64];
    int64_t us;
    switch (e->kind) {
    case AST_NULL: buf_puts(b, "NULL"); break;
    case AST_BOOL: buf_puts(b, e->ival ? "TRUE" : "FALSE"); break;
    case AST_INT: buf_printf(b, "%" PRId64, e->ival); break;
    case AST_REAL:
        if (e->int_min_magnitude) {
            buf_puts(b, "9223372036854775808");
            break;
        }
        snprintf(text, sizeof text, "%.17g", e->rval);
        buf_puts(b, text);
        if (!strpbrk(text, ".eEni"))
            buf_puts(b, ".0");
        break;
    case AST_STRING: put_string(b, e->str, e->str_len); break;
    case AST_TIMESTAMP:
        /* As a result table stores a TIMESTAMP, so it compares with one. */
        if (!sl_ts_parse(e->str, e->str_len, &us)) {
            diags_add(w->diags, e->pos, e->span,
                      "write ISO-8601 such as '2026-01-01 12:00:00', optionally with .ffffff, "
                      "T, Z or +hh:mm",
                      "invalid TIMESTAMP literal");
            w->failed = true;
            break;
        }
        sl_ts_format(us, text);
        put_string(b, text, (uint32_t)strlen(text));
        break;
    default: /* AST_INTERVAL: INTEGER microseconds, as the binder makes it */
        if (!bind_duration_text(e->str, e->str_len, e->ival, &us)) {
            diags_add(w->diags, e->pos, e->span, bind_duration_hint(e->ival != 0),
                      "invalid INTERVAL literal");
            w->failed = true;
            break;
        }
        buf_printf(b, "%" PRId64, us);
        break;
    }
}

static void render_cast(struct rewriter *w, const struct scope *s, const struct ast_expr *e)
{
    struct sl_buf *b = &w->out->text;
    enum sl_type t;
    bool known = e->name.text && expr_cast_target(e->name.text, &t);
    if (known && t == SL_TIMESTAMP) {
        buf_puts(b, SQLITE_TS_CAST "(");
        render_expr(w, s, e->left);
        buf_putc(b, ')');
        return;
    }
    buf_puts(b, "CAST(");
    render_expr(w, s, e->left);
    buf_puts(b, " AS ");
    /* BOOLEAN casts as INTEGER does in Sluice; SQLite would give it NUMERIC affinity. */
    if (known && t == SL_INT)
        buf_puts(b, "INTEGER");
    else
        buf_puts(b, e->name.text ? e->name.text : "");
    buf_putc(b, ')');
}

static void render_call(struct rewriter *w, const struct scope *s, const struct ast_expr *e)
{
    struct sl_buf *b = &w->out->text;
    db_quote_ident(b, e->name.text);
    buf_puts(b, e->distinct ? "(DISTINCT " : "(");
    if (e->star_arg)
        buf_putc(b, '*');
    render_list(w, s, e->args);
    buf_putc(b, ')');
    if (e->third) {
        buf_puts(b, " FILTER (WHERE ");
        render_expr(w, s, e->third);
        buf_putc(b, ')');
    }
}

static void render_binary(struct rewriter *w, const struct scope *s, const struct ast_expr *e)
{
    struct sl_buf *b = &w->out->text;
    if (is_timestamp_arith(s, e)) {
        buf_printf(b, SQLITE_TS_ARITH "('%c', %d, %d, ", e->op == AST_OP_SUB ? '-' : '+',
                   type_of(s, e->left) == SL_TIMESTAMP, type_of(s, e->right) == SL_TIMESTAMP);
        render_expr(w, s, e->left);
        buf_puts(b, ", ");
        render_expr(w, s, e->right);
        buf_putc(b, ')');
        return;
    }
    buf_putc(b, '(');
    render_expr(w, s, e->left);
    buf_printf(b, " %s ", ast_op_text(e->op));
    render_expr(w, s, e->right);
    buf_putc(b, ')');
}

static void render_expr(struct rewriter *w, const struct scope *s, const struct ast_expr *e)
{
    struct sl_buf *b = &w->out->text;
    mark(w, e->pos.offset);
    switch (e->kind) {
    case AST_COLUMN:
    case AST_STAR:
        if (e->qualifier.text) {
            db_quote_ident(b, e->qualifier.text);
            buf_putc(b, '.');
        }
        if (e->kind == AST_STAR)
            buf_putc(b, '*');
        else
            db_quote_ident(b, e->name.text);
        break;
    case AST_UNARY:
        buf_putc(b, '(');
        if (e->op == AST_OP_ISNULL || e->op == AST_OP_NOTNULL) {
            render_expr(w, s, e->left);
            buf_puts(b, e->op == AST_OP_ISNULL ? " ISNULL" : " NOTNULL");
        } else {
            buf_printf(b, "%s ", ast_op_text(e->op));
            render_expr(w, s, e->left);
        }
        buf_putc(b, ')');
        break;
    case AST_BINARY: render_binary(w, s, e); break;
    case AST_IN:
        buf_putc(b, '(');
        render_expr(w, s, e->left);
        buf_puts(b, e->negated ? " NOT IN (" : " IN (");
        render_list(w, s, e->args);
        buf_puts(b, "))");
        break;
    case AST_BETWEEN:
        buf_putc(b, '(');
        render_expr(w, s, e->left);
        buf_puts(b, e->negated ? " NOT BETWEEN " : " BETWEEN ");
        render_expr(w, s, e->right);
        buf_puts(b, " AND ");
        render_expr(w, s, e->third);
        buf_putc(b, ')');
        break;
    case AST_LIKE:
        buf_putc(b, '(');
        render_expr(w, s, e->left);
        buf_printf(b, " %s%s ", e->negated ? "NOT " : "", ast_op_text(e->op));
        render_expr(w, s, e->right);
        if (e->third) {
            buf_puts(b, " ESCAPE ");
            render_expr(w, s, e->third);
        }
        buf_putc(b, ')');
        break;
    case AST_CASE:
        buf_puts(b, "CASE");
        if (e->left) {
            buf_putc(b, ' ');
            render_expr(w, s, e->left);
        }
        for (uint32_t i = 0; e->args && i + 1 < e->args->count; i += 2) {
            buf_puts(b, " WHEN ");
            render_expr(w, s, e->args->items[i]);
            buf_puts(b, " THEN ");
            render_expr(w, s, e->args->items[i + 1]);
        }
        if (e->right) {
            buf_puts(b, " ELSE ");
            render_expr(w, s, e->right);
        }
        buf_puts(b, " END");
        break;
    case AST_CAST: render_cast(w, s, e); break;
    case AST_CALL: render_call(w, s, e); break;
    default: render_literal(w, e); break;
    }
}

/*
 * The source text of each top-level select item (SQLite names an unaliased
 * column by it): the tokens between SELECT, the commas at depth 0 and FROM.
 * texts[i] NULL when the items cannot be told apart.
 */
static void item_texts(struct rewriter *w, const struct ast_select *sel, uint32_t end,
                       const char **texts)
{
    struct sl_lexer lx;
    struct sl_token tok;
    lex_init_at(&lx, w->sql, end, sel->pos.offset);
    lex_next(&lx, &tok); /* SELECT */
    uint32_t item = 0, depth = 0;
    const char *first = NULL, *last_end = NULL;
    while (item < sel->nitems) {
        int type = lex_next(&lx, &tok);
        bool ends = type == 0 || (depth == 0 && (type == TK_COMMA || type == TK_FROM));
        if (ends) {
            if (first)
                texts[item] = arena_strndup(w->arena, first, (size_t)(last_end - first));
            item++;
            first = NULL;
            if (type != TK_COMMA)
                break;
            continue;
        }
        depth += type == TK_LP;
        depth -= type == TK_RP && depth > 0;
        if (!first)
            first = tok.text;
        last_end = tok.text + tok.len;
    }
}

static void render_select(struct rewriter *w, const struct ast_select *sel, uint32_t end,
                          bool top)
{
    struct sl_buf *b = &w->out->text;
    struct scope s = {.arena = w->arena};
    if (scope_of(w, sel, &s) != SL_OK) {
        b->failed = true;
        return;
    }
    const char **texts = arena_calloc(w->arena, (sel->nitems ? sel->nitems : 1) * sizeof *texts);
    if (!texts) {
        b->failed = true;
        return;
    }
    if (top)
        item_texts(w, sel, end, texts);
    mark(w, sel->pos.offset);
    buf_puts(b, "SELECT ");
    for (uint32_t i = 0; i < sel->nitems; i++) {
        const struct ast_select_item *it = &sel->items[i];
        if (i)
            buf_puts(b, ", ");
        render_expr(w, &s, it->expr);
        if (it->expr->kind == AST_COLUMN || it->expr->kind == AST_STAR) {
            if (it->alias.text) {
                buf_puts(b, " AS ");
                db_quote_ident(b, it->alias.text);
            }
            continue;
        }
        struct sl_buf name;
        buf_init(&name);
        if (!it->alias.text && texts[i])
            buf_puts(&name, texts[i]);
        else
            item_name(it, &name);
        buf_puts(b, " AS ");
        db_quote_ident(b, buf_str(&name));
        b->failed |= name.failed;
        buf_free(&name);
    }
    if (sel->from_select) {
        buf_puts(b, " FROM (");
        render_select(w, sel->from_select, end, false);
        buf_putc(b, ')');
    } else if (sel->from.text && strcmp(sel->from.text, NO_TABLE) != 0) {
        buf_puts(b, " FROM ");
        mark(w, sel->from.pos.offset);
        db_quote_ident(b, sel->from.text);
    }
    if (sel->from_alias.text) {
        buf_puts(b, " AS ");
        db_quote_ident(b, sel->from_alias.text);
    }
    if (sel->where) {
        buf_puts(b, " WHERE ");
        render_expr(w, &s, sel->where);
    }
    if (sel->group_by) {
        buf_puts(b, " GROUP BY ");
        render_list(w, &s, sel->group_by);
    }
    if (sel->having) {
        buf_puts(b, " HAVING ");
        render_expr(w, &s, sel->having);
    }
    for (uint32_t i = 0; i < sel->norder; i++) {
        buf_puts(b, i ? ", " : " ORDER BY ");
        render_expr(w, &s, sel->order_by[i].expr);
        if (sel->order_by[i].desc)
            buf_puts(b, " DESC");
    }
    if (sel->limit) {
        buf_puts(b, " LIMIT ");
        render_expr(w, &s, sel->limit);
    }
}

/* Whether sql[start..end) writes TIMESTAMP '...' or INTERVAL '...'. */
static bool writes_sluice_literal(const char *sql, uint32_t start, uint32_t end)
{
    struct sl_lexer lx;
    struct sl_token tok;
    lex_init_at(&lx, sql, end, start);
    int prev = 0, type;
    while ((type = lex_next(&lx, &tok)) != 0) {
        if (type == TK_STRING && (prev == TK_TIMESTAMP || prev == TK_INTERVAL))
            return true;
        prev = type;
    }
    return false;
}

/* The statement as written. */
static sl_status keep_text(struct sqlite_rewrite *out, const char *sql, uint32_t start,
                           uint32_t end)
{
    out->literal_hint = writes_sluice_literal(sql, start, end)
                            ? "TIMESTAMP and INTERVAL literals work in the SELECTs Sluice's "
                              "grammar covers (one FROM, no join or subquery); here write "
                              "to_timestamp('...') and an INTEGER of microseconds"
                            : NULL;
    buf_clear(&out->text);
    buf_append(&out->text, sql + start, end - start);
    out->rewritten = false;
    out->nmarks = 0;
    return out->text.failed ? SL_NOMEM : SL_OK;
}

sl_status sqlite_rewrite_select(const struct sluice *s, struct sl_db *db, const char *sql,
                                uint32_t start, uint32_t end, struct sl_diags *diags,
                                struct sqlite_rewrite *out)
{
    memset(out, 0, sizeof *out);
    buf_init(&out->text);
    out->source_start = start;
    /* Parse errors here are not the user's: text Sluice's grammar does not
     * cover (joins, subqueries, ...) is SQLite's, to run or to refuse. */
    struct sl_diags quiet;
    diags_init(&quiet, diags->file, diags->src, diags->src_len);
    struct sl_parse_result parsed = {0};
    sl_status ps = parse_sql_range(sql, start, end, &quiet, &parsed);
    /* Sluice's grammar wants a FROM: SELECT 1 is parsed as SELECT 1 FROM a
     * placeholder, in a copy whose offsets are the script's. */
    struct sl_buf padded;
    buf_init(&padded);
    if (ps == SL_ERROR) {
        parse_free(&parsed);
        buf_append(&padded, sql, end);
        buf_puts(&padded, " FROM \"" NO_TABLE "\"");
        ps = padded.failed ? SL_NOMEM
                           : parse_sql_range(buf_str(&padded), start, padded.len, &quiet, &parsed);
    }
    diags_free(&quiet);
    const struct ast_select *sel = ps == SL_OK && parsed.count == 1 &&
                                           parsed.stmts[0]->kind == AST_SELECT
                                       ? parsed.stmts[0]->u.select
                                       : NULL;
    struct rewriter w = {.sql = sql, .s = s, .db = db, .diags = diags, .out = out,
                         .arena = arena_create(0)};
    sl_status st;
    if (!w.arena)
        st = SL_NOMEM;
    else if (!sel || !select_renderable(sel) || !select_differs(&w, sel))
        st = keep_text(out, sql, start, end);
    else {
        out->rewritten = true;
        render_select(&w, sel, end, true);
        st = out->text.failed ? SL_NOMEM : w.failed ? SL_ERROR : SL_OK;
    }
    arena_destroy(w.arena);
    parse_free(&parsed);
    buf_free(&padded);
    return ps == SL_NOMEM ? SL_NOMEM : st;
}

uint32_t sqlite_rewrite_source(const struct sqlite_rewrite *r, uint32_t offset)
{
    if (!r->rewritten)
        return r->source_start + offset;
    uint32_t src = r->source_start;
    for (uint32_t i = 0; i < r->nmarks && r->out_at[i] <= offset; i++)
        src = r->src_at[i];
    return src;
}

void sqlite_rewrite_free(struct sqlite_rewrite *r)
{
    buf_free(&r->text);
    sl_free(r->out_at);
    sl_free(r->src_at);
    memset(r, 0, sizeof *r);
}
