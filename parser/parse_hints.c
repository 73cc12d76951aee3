/*
 * parse_hints.c — what a syntax error most likely means, from the word at the
 * error and the one before it: SQL that Sluice does not support yet (UNION,
 * window functions, WITH, ...) is named as unsupported with what to do
 * instead, and a shell command typed as SQL (exit;) says how to leave. The
 * joins Sluice does not run are refused by the grammar itself (grammar.y).
 * Called by parse_ctx_syntax_error before its generic message.
 */
#include "parser/parse_ctx.h"

#include <string.h>
#include <strings.h>

static bool word_is(const struct sl_token *t, const char *word)
{
    return t->type != 0 && t->len == strlen(word) && strncasecmp(t->text, word, t->len) == 0;
}

static bool word_in(const struct sl_token *t, const char *const *words)
{
    for (; *words; words++)
        if (word_is(t, *words))
            return true;
    return false;
}

static bool set(struct parse_hint *h, const struct sl_token *at, const char *msg,
                const char *hint)
{
    *h = (struct parse_hint){.at = at, .msg = msg, .hint = hint};
    return true;
}

/* The first word of a statement: the shell's commands and SQL that changes tables. */
static bool statement_start(const struct sl_token *tok, struct parse_hint *h)
{
    static const char *const leave[] = {"exit", "quit", "bye", "q", NULL};
    static const char *const writes[] = {"INSERT", "UPDATE", "DELETE", "ALTER", NULL};
    if (word_in(tok, leave))
        return set(h, tok, NULL,
                   "to leave the shell type exit or .quit on a line of its own (Ctrl-D works "
                   "too)");
    if (tok->type == TK_WITH)
        return set(h, tok, "WITH (a common table expression) is not supported over streams",
                   "write it as a derived table: SELECT ... FROM (SELECT ... FROM stream) AS t; "
                   "over tables SQLite runs WITH as it is");
    if (word_in(tok, writes))
        return set(h, tok, "Sluice does not change tables with SQL: INSERT, UPDATE, DELETE and "
                           "ALTER are not supported",
                   "a stream's rows come from its source (CREATE STREAM ... FROM); change a "
                   "table with sqlite3");
    return false;
}

bool parse_hint_unsupported(const struct parse_ctx *c, const struct sl_token *tok,
                            struct parse_hint *h)
{
    static const char *const set_ops[] = {"UNION", "INTERSECT", "EXCEPT", "MINUS", NULL};
    const struct sl_token *prev = &c->prev;
    if ((prev->type == 0 || prev->type == TK_SEMI) && statement_start(tok, h))
        return true;
    /* "FROM s UNION SELECT": UNION parses as the alias of s, so the error is one word later. */
    const struct sl_token *at = word_in(tok, set_ops) ? tok : word_in(prev, set_ops) ? prev : NULL;
    if (at)
        return set(h, at, "UNION, INTERSECT and EXCEPT are not supported over streams",
                   "create a query per stream and combine their tables in a one-shot SELECT, "
                   "which SQLite runs: SELECT ... FROM q1 UNION ALL SELECT ... FROM q2");
    /* "sum(x) OVER (": OVER parses as the alias of sum(x), so the error is one word later.
     * ROW_NUMBER() / RANK() / DENSE_RANK() OVER (...) parse (top-N, binder_rank.c). */
    at = word_is(tok, "OVER") ? tok : word_is(prev, "OVER") ? prev : NULL;
    if (at)
        return set(h, at,
                   "this window function (OVER (...)) is not supported: only ROW_NUMBER(), "
                   "RANK() and DENSE_RANK() OVER ([PARTITION BY ...] ORDER BY ...) are",
                   "rank rows in a derived table and keep the top N outside it: SELECT * FROM "
                   "(SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY v DESC) AS rn FROM s) "
                   "WHERE rn <= 3; aggregate over time with GROUP BY ... WINDOW; over a query's "
                   "table SQLite runs any OVER as it is");
    /* The join words are reserved: "SELECT left FROM s" means a column. */
    static const int name_before[] = {TK_SELECT, TK_COMMA, TK_DOT, TK_BY, TK_WHERE, TK_LP, 0};
    static const int join_words[] = {TK_LEFT, TK_RIGHT, TK_FULL, TK_INNER, TK_NATURAL,
                                     TK_USING, TK_ON, 0};
    bool after_name_place = false, join_word = false;
    for (const int *t = name_before; *t; t++)
        after_name_place = after_name_place || prev->type == *t;
    for (const int *t = join_words; *t; t++)
        join_word = join_word || tok->type == *t;
    if (join_word && after_name_place)
        return set(h, tok, NULL,
                   "LEFT, RIGHT, FULL, INNER, NATURAL, USING and ON are reserved for joins: "
                   "write the name in double quotes (\"left\")");
    if (tok->type == TK_DISTINCT && prev->type == TK_SELECT)
        return set(h, tok, "SELECT DISTINCT is not supported",
                   "GROUP BY the selected columns gives each distinct row once");
    if ((tok->type == TK_SELECT && prev->type == TK_LP) || tok->type == TK_EXISTS)
        return set(h, tok, "a subquery in an expression is not supported",
                   "a derived table is: FROM (SELECT ...) AS t");
    return false;
}
