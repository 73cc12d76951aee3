/* outline.c — splits a script into statements and finds a SELECT's FROM name, from tokens alone. */
#include "parser/parser.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/alloc.h"
#include "parser/lexer.h"

static bool token_is(const struct sl_token *t, const char *word)
{
    return t->len == strlen(word) && strncasecmp(t->text, word, t->len) == 0;
}

/* Copies an identifier token's name, removing "quotes" and their "" escapes. */
static void copy_name(const struct sl_token *t, char *out, size_t cap)
{
    size_t n = 0;
    bool quoted = t->len >= 2 && t->text[0] == '"';
    size_t from = quoted ? 1 : 0, to = quoted ? t->len - 1 : t->len;
    for (size_t i = from; i < to && n + 1 < cap; i++) {
        if (quoted && t->text[i] == '"' && i + 1 < to && t->text[i + 1] == '"')
            i++;
        out[n++] = t->text[i];
    }
    out[n] = '\0';
}

/* WITH's names (WITH a AS (...), b AS (...)): a FROM that names one reads no stream. */
struct cte_names {
    char names[8][128];
    int count;
    bool expect; /* the next name token is one (after WITH, RECURSIVE or a top-level comma) */
};

static bool is_cte(const struct cte_names *c, const char *name)
{
    for (int i = 0; i < c->count; i++)
        if (strcasecmp(c->names[i], name) == 0)
            return true;
    return false;
}

/*
 * A WITH statement's stream, if any: the first FROM name, at any depth, that is
 * not one of its own names, so that WITH over a stream is parsed by Sluice (to
 * say it is not supported) and WITH over tables is handed to SQLite.
 */
static void scan_with(struct cte_names *c, const struct sl_token *t, int depth,
                      bool *after_from, char *from, size_t cap)
{
    char name[128];
    if (*after_from) {
        *after_from = false;
        if (t->type == TK_ID || t->type == TK_STRING) {
            copy_name(t, name, sizeof name);
            if (!is_cte(c, name) && from[0] == '\0')
                snprintf(from, cap, "%s", name);
        }
    } else if (t->type == TK_FROM) {
        *after_from = true;
    } else if (depth == 0 && c->expect && t->type == TK_ID && !token_is(t, "RECURSIVE")) {
        c->expect = false;
        if (c->count < 8)
            copy_name(t, c->names[c->count++], sizeof c->names[0]);
    } else if (depth == 0 && t->type == TK_COMMA) {
        c->expect = true;
    } else if (depth == 0 && t->type == TK_SELECT) {
        c->expect = false;
    }
}

sl_status parse_outline(const char *src, size_t len, struct sl_stmt_outline **out,
                        uint32_t *count)
{
    struct sl_lexer lx;
    struct sl_token t;
    uint32_t n = 0, cap = 8;
    struct sl_stmt_outline *list = sl_calloc(cap, sizeof *list);
    if (!list)
        return SL_NOMEM;
    struct sl_stmt_outline *cur = NULL;
    int depth = 0, from_depth = 0;
    bool after_from = false, scan_from = false, with = false;
    struct cte_names ctes;
    lex_init(&lx, src, len);
    while (lex_next(&lx, &t) != 0) {
        if (t.type == TK_SEMI) {
            cur = NULL;
            continue;
        }
        if (!cur) {
            if (n == cap) {
                struct sl_stmt_outline *grown = sl_realloc(list, 2 * cap * sizeof *list);
                if (!grown) {
                    sl_free(list);
                    return SL_NOMEM;
                }
                list = grown;
                cap *= 2;
            }
            cur = &list[n++];
            memset(cur, 0, sizeof *cur);
            cur->start = (uint32_t)(t.text - src);
            cur->pos = t.pos;
            cur->is_select = t.type == TK_SELECT || token_is(&t, "WITH") || token_is(&t, "VALUES");
            /* VALUES is SQLite's alone: no FROM name is looked for. */
            scan_from = t.type == TK_SELECT;
            with = t.type == TK_WITH;
            ctes = (struct cte_names){.expect = true};
            depth = from_depth = 0;
            after_from = false;
        }
        cur->end = (uint32_t)(t.text - src) + t.len;
        if (with) {
            depth += (t.type == TK_LP) - (t.type == TK_RP);
            scan_with(&ctes, &t, depth, &after_from, cur->from, sizeof cur->from);
            continue;
        }
        if (!scan_from)
            continue;
        if (t.type == TK_LP) {
            depth++;
            /* FROM (SELECT ... FROM x): a derived table reads what its own FROM names. */
            if (after_from) {
                after_from = false;
                from_depth = depth;
            }
        } else if (t.type == TK_RP) {
            depth--;
        } else if (after_from) {
            after_from = false;
            if (t.type != TK_STRING && t.type != TK_INTEGER && t.type != TK_FLOAT)
                copy_name(&t, cur->from, sizeof cur->from);
        } else if (depth == from_depth && t.type == TK_FROM && cur->from[0] == '\0') {
            after_from = true;
        }
    }
    *out = list;
    *count = n;
    return SL_OK;
}
