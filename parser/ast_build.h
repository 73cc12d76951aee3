/*
 * ast_build.h — the constructors the grammar's actions use to build the AST
 * in an arena. On allocation failure a constructor returns NULL (or an empty
 * value) and sets b->nomem; constructors accept NULL children, so an action
 * never has to check and the parse simply ends with SL_NOMEM.
 */
#ifndef SL_AST_BUILD_H
#define SL_AST_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "parser/ast.h"
#include "parser/lexer.h"

struct ast_builder {
    struct sl_arena *arena;
    bool nomem;
    /* The first expression of the statement deeper than AST_MAX_EXPR_DEPTH
     * (the statement is refused when it ends); NULL if none. */
    const struct ast_expr *too_deep;
};

/* A growable arena array (select items, column definitions, options). */
struct ast_vec {
    uint32_t count;
    uint32_t cap;
    void *items;
};

/* What a FROM clause reads: a stream (name) or a derived table (select), with its alias. */
struct ast_from {
    struct ast_name schema; /* aux in aux.t; text NULL if none */
    struct ast_name name;
    struct ast_select *select;
    struct ast_name alias;
};

/* The optional ", UNNEST(expr) AS alias" of a FROM clause. */
struct ast_unnest {
    struct ast_expr *expr;
    struct ast_name alias;
};

/* What follows the FROM's first item: its joins (struct ast_join) and UNNEST. */
struct ast_from_tail {
    struct ast_vec joins;
    struct ast_unnest unnest;
};

/* A join's words: its type, its first word, and for a join Sluice refuses the
 * message and hint (refused NULL: a join it runs). */
struct ast_join_op {
    enum ast_join_type type;
    struct ast_name keyword;
    const char *refused;
    const char *hint;
};
/* kind: NULL for INNER / LEFT, else "RIGHT", "FULL" or "NATURAL" (refused). */
struct ast_join_op ast_join_op(struct ast_builder *b, const struct sl_token *first,
                               enum ast_join_type type, const char *kind);

/* An operator token with an optional NOT before it: [NOT] IN / BETWEEN / LIKE / GLOB. */
struct neg_token {
    struct sl_token tok;
    bool negated;
};

/* A stream's source: name ['address'] [TOPIC|LISTEN|PATH 'x' ...]. */
struct ast_source {
    struct ast_name connector;
    struct ast_name address;
    struct ast_vec clauses;
};

/* FORMAT name [(options)]; name's text NULL when the clause is absent. */
struct ast_format {
    struct ast_name name;
    struct ast_vec options;
};

/* The optional "HAVING expr", with the keyword's place for "HAVING needs a GROUP BY". */
struct ast_having {
    struct ast_expr *expr;
    struct sl_token keyword;
};

/* ORDER BY items / LIMIT expr, with the keyword's place (CREATE QUERY refuses them). */
struct ast_clause {
    struct ast_vec items;
    struct ast_expr *expr;
    struct ast_name keyword; /* text NULL when the clause is absent */
};

/* TRIGGER EVERY n unit; us = 0 when absent. */
struct ast_trigger {
    int64_t us;
    struct sl_pos pos;
};

/* A duration: n unit, in microseconds (0 after an out-of-range error), and where it was written. */
struct ast_duration {
    int64_t us;
    struct sl_pos pos;
};

/* GROUP BY keys (NULL if none) and the WINDOW (kind NONE if none). */
struct ast_wingroup {
    struct ast_expr_list *keys;
    struct ast_window window;
};

/* EMIT CHANGES | EMIT FINAL, with the keyword's place. */
struct ast_emit_clause {
    enum ast_emit kind;
    struct ast_name keyword;
};

/* The pieces of WATERMARK FOR col AS expr (col's text NULL when absent). */
struct ast_watermark {
    struct ast_name col;
    struct ast_expr *expr;
};

/* An identifier token as a name: quotes removed and "" unescaped. */
struct ast_name ast_name_ident(struct ast_builder *b, const struct sl_token *t);
/* A string token as a name (e.g. a source path): quotes removed and '' unescaped. */
struct ast_name ast_name_string(struct ast_builder *b, const struct sl_token *t);
struct ast_name ast_name_none(void);

/* A literal from an INTEGER, FLOAT or STRING token (an out-of-range integer becomes real). */
struct ast_expr *ast_expr_literal(struct ast_builder *b, const struct sl_token *t);
/* NULL, TRUE or FALSE. */
struct ast_expr *ast_expr_keyword(struct ast_builder *b, enum ast_expr_kind kind, int64_t ival,
                                  const struct sl_token *t);
/* TIMESTAMP 'text' and INTERVAL 'text' [unit] (unit_us 0 when absent): positioned at
 * the string, which is what a bad literal's caret points at. */
struct ast_expr *ast_expr_timestamp(struct ast_builder *b, const struct sl_token *text);
struct ast_expr *ast_expr_interval(struct ast_builder *b, const struct sl_token *text,
                                   int64_t unit_us);
/* -literal in option values (and -9223372036854775808 anywhere): folds the sign into the
 * literal, so that one is the INTEGER minimum as in SQLite. */
struct ast_expr *ast_expr_negate(struct ast_expr *literal, const struct sl_token *minus);
struct ast_expr *ast_expr_column(struct ast_builder *b, const struct ast_name *qualifier,
                                 const struct ast_name *name);
struct ast_expr *ast_expr_star(struct ast_builder *b, const struct ast_name *qualifier,
                               const struct sl_token *star);
struct ast_expr *ast_expr_unary(struct ast_builder *b, enum ast_op op, const struct sl_token *t,
                                struct ast_expr *operand);
struct ast_expr *ast_expr_binary(struct ast_builder *b, enum ast_op op, const struct sl_token *t,
                                 struct ast_expr *left, struct ast_expr *right);
struct ast_expr *ast_expr_call(struct ast_builder *b, const struct ast_name *fn,
                               struct ast_expr_list *args, bool star_arg, bool distinct);
/* Attaches FILTER (WHERE cond) to call (kept in its `third`); NULL if either is NULL. */
struct ast_expr *ast_expr_call_filter(struct ast_expr *call, struct ast_expr *cond);
/* Top-N (issue 16): attaches OVER ([PARTITION BY partition] ORDER BY order) to a
 * ranking call; NULL if call is NULL or out of memory. */
struct ast_expr *ast_expr_call_over(struct ast_builder *b, struct ast_expr *call,
                                    const struct sl_token *over, struct ast_expr_list *partition,
                                    const struct ast_vec *order);

/* x [NOT] IN (list), x [NOT] BETWEEN lo AND hi, x [NOT] LIKE|GLOB pattern [ESCAPE esc]:
 * t is the operator's token (IN, BETWEEN, LIKE or GLOB). */
struct ast_expr *ast_expr_in(struct ast_builder *b, const struct sl_token *t, struct ast_expr *x,
                             bool negated, struct ast_expr_list *list);
struct ast_expr *ast_expr_between(struct ast_builder *b, const struct sl_token *t,
                                  struct ast_expr *x, bool negated, struct ast_expr *lo,
                                  struct ast_expr *hi);
struct ast_expr *ast_expr_like(struct ast_builder *b, enum ast_op op, const struct sl_token *t,
                               struct ast_expr *x, bool negated, struct ast_expr *pattern,
                               struct ast_expr *escape);
/* CASE [base] WHEN/THEN pairs [ELSE otherwise] END; whens holds when, then, when, then, ... */
struct ast_expr *ast_expr_case(struct ast_builder *b, const struct sl_token *t,
                               struct ast_expr *base, struct ast_expr_list *whens,
                               struct ast_expr *otherwise);
struct ast_expr *ast_expr_cast(struct ast_builder *b, const struct sl_token *t, struct ast_expr *x,
                               const struct ast_name *type);

/* Appends e to list (creating it when NULL) and returns the list. */
struct ast_expr_list *ast_expr_list_append(struct ast_builder *b, struct ast_expr_list *list,
                                           struct ast_expr *e);
void ast_vec_push(struct ast_builder *b, struct ast_vec *v, const void *elem, size_t size);

struct ast_stmt *ast_stmt_new(struct ast_builder *b, enum ast_stmt_kind kind, struct sl_pos pos);
struct ast_select *ast_select_new(struct ast_builder *b, struct sl_pos pos);

/* The value of an INTEGER token; false when it does not fit in int64. */
bool ast_parse_int(const struct sl_token *t, int64_t *out);

#endif
