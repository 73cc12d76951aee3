/*
 * parse_ctx.c — what the grammar's actions call back into: recording syntax
 * errors with their position (and a "did you mean" hint when a word is one
 * typo away from a keyword) and collecting finished statements.
 */
#include "parser/parse_ctx.h"

#include <stdio.h>
#include <string.h>

/* The longest token text quoted in a message, in bytes. */
#define QUOTE_MAX 40

void parse_ctx_error_at(struct parse_ctx *c, struct sl_pos pos, uint32_t span, const char *msg)
{
    parse_ctx_error_hint(c, pos, span, msg, NULL);
}

void parse_ctx_error_hint(struct parse_ctx *c, struct sl_pos pos, uint32_t span, const char *msg,
                          const char *hint)
{
    diags_add(c->diags, pos, span, hint, "%s", msg);
    c->nerrors++;
    c->failed = true;
}

/* The token's text as quoted in a message: its first line, at most QUOTE_MAX bytes. */
static int quoted_len(const struct sl_token *tok, const char **ellipsis)
{
    size_t n = tok->len;
    for (size_t i = 0; i < n; i++)
        if (tok->text[i] == '\n' || tok->text[i] == '\r')
            n = i;
    if (n > QUOTE_MAX) {
        n = QUOTE_MAX;
        while (n > 0 && ((unsigned char)tok->text[n] & 0xC0) == 0x80)
            n--; /* never cut a UTF-8 character in half */
    }
    *ellipsis = n < tok->len ? "..." : "";
    return (int)n;
}

/* A keyword the token is one typo away from, if it is a plain identifier. */
static const char *typo_of(const struct sl_token *tok)
{
    if (tok->type != TK_ID || tok->text[0] == '"')
        return NULL;
    return lex_keyword_near(tok->text, tok->len);
}

void parse_ctx_lex_error(struct parse_ctx *c, const struct sl_token *tok)
{
    c->nerrors++;
    c->failed = true;
    if (tok->err != LEX_BAD_CHAR) {
        diags_add(c->diags, tok->pos, tok->span, NULL, "%s", lex_error_message(tok->err));
        return;
    }
    const char *ellipsis;
    int n = quoted_len(tok, &ellipsis);
    diags_add(c->diags, tok->pos, tok->span, NULL, "%s \"%.*s%s\"", lex_error_message(tok->err), n,
              tok->text, ellipsis);
}

void parse_ctx_syntax_error(struct parse_ctx *c, const struct sl_token *tok)
{
    c->nerrors++;
    c->failed = true;
    if (tok->type == 0 || tok->len == 0) {
        diags_add(c->diags, tok->pos, 1, NULL, "syntax error: unexpected end of input");
        return;
    }
    const char *ellipsis;
    int n = quoted_len(tok, &ellipsis);
    struct parse_hint known;
    if (parse_hint_unsupported(c, tok, &known)) {
        if (known.msg)
            diags_add(c->diags, known.at->pos, known.at->span, known.hint, "%s", known.msg);
        else
            diags_add(c->diags, tok->pos, tok->span, known.hint, "syntax error near \"%.*s%s\"",
                      n, tok->text, ellipsis);
        return;
    }
    char hint[96];
    const char *kw = typo_of(tok);
    if (kw) {
        snprintf(hint, sizeof hint, "did you mean %s?", kw);
    } else if ((kw = typo_of(&c->prev)) != NULL) {
        /* "SELECT a FORM s": FORM parses as an alias, so the error lands one word later. */
        const char *pe;
        int pn = quoted_len(&c->prev, &pe);
        snprintf(hint, sizeof hint, "did you mean %s instead of \"%.*s%s\"?", kw, pn,
                 c->prev.text, pe);
    }
    diags_add(c->diags, tok->pos, tok->span, kw ? hint : NULL, "syntax error near \"%.*s%s\"", n,
              tok->text, ellipsis);
}

void parse_ctx_overflow(struct parse_ctx *c)
{
    parse_ctx_error_at(c, c->cur.pos, c->cur.span, "nested too deeply");
}

void parse_ctx_add_stmt(struct parse_ctx *c, struct ast_stmt *s)
{
    const struct ast_expr *deep = c->b.too_deep;
    c->b.too_deep = NULL;
    if (deep) {
        /* Refused here, whole, before any pass recurses down it. */
        diags_add(c->diags, deep->pos, deep->span,
                  "a long OR of equalities is x IN (a, b, ...); a long sum or chain can be "
                  "split over columns of a derived table",
                  "expression tree is too large (maximum depth %d, as in SQLite)",
                  AST_MAX_EXPR_DEPTH);
        c->nerrors++;
        return;
    }
    if (!s)
        return;
    uint32_t start = s->pos.offset;
    uint32_t end = c->stmt_end > start ? c->stmt_end : start;
    s->text = arena_strndup(c->b.arena, c->src + start, end - start);
    if (!s->text) {
        c->b.nomem = true;
        return;
    }
    if (c->count == c->cap) {
        uint32_t cap = c->cap ? c->cap * 2 : 8;
        struct ast_stmt **items = arena_alloc(c->b.arena, cap * sizeof *items);
        if (!items) {
            c->b.nomem = true;
            return;
        }
        if (c->count)
            memcpy(items, c->stmts, c->count * sizeof *items);
        c->stmts = items;
        c->cap = cap;
    }
    c->stmts[c->count++] = s;
}
