/*
 * parse_ctx.h — what the lemon grammar's actions share with the driver in
 * parser.c: the %extra_context (arena-backed AST builder, diagnostics, the
 * statements parsed so far) and the prototypes lemon generates for %name
 * sl_parser_. Private to the parser folder.
 */
#ifndef SL_PARSE_CTX_H
#define SL_PARSE_CTX_H

#include <stdbool.h>
#include <stddef.h>

#include "common/diag.h"
#include "parser/ast_build.h"
#include "parser/lexer.h"

struct parse_ctx {
    struct ast_builder b;     /* arena and out-of-memory flag */
    struct sl_diags *diags;
    const char *src;
    struct ast_stmt **stmts;  /* arena array */
    uint32_t count;
    uint32_t cap;
    uint32_t stmt_end;        /* byte offset just past the last token before the ';' being fed */
    struct sl_token cur;      /* the token being fed, for errors raised inside actions */
    struct sl_token prev;     /* the token fed before it (type 0 if none), for hints */
    uint32_t nerrors;         /* errors recorded (diags may drop one when out of memory) */
    bool failed;              /* an error in the current statement: the driver skips to ';' */
};

/* Called from the grammar's %syntax_error, %stack_overflow and actions. */
void parse_ctx_syntax_error(struct parse_ctx *c, const struct sl_token *tok);
void parse_ctx_overflow(struct parse_ctx *c);
void parse_ctx_error_at(struct parse_ctx *c, struct sl_pos pos, uint32_t span, const char *msg);
/* The same with a hint: what to write instead. */
void parse_ctx_error_hint(struct parse_ctx *c, struct sl_pos pos, uint32_t span, const char *msg,
                          const char *hint);
/* Records a TK_ILLEGAL token from the lexer. */
void parse_ctx_lex_error(struct parse_ctx *c, const struct sl_token *tok);
/* Gives the finished statement its source text and appends it. */
void parse_ctx_add_stmt(struct parse_ctx *c, struct ast_stmt *s);

/* What a syntax error at tok most likely means (parse_hints.c): the token to put the caret
 * under, a message replacing "syntax error near ..." (NULL: keep it) and a hint. */
struct parse_hint {
    const struct sl_token *at;
    const char *msg;
    const char *hint;
};
bool parse_hint_unsupported(const struct parse_ctx *c, const struct sl_token *tok,
                            struct parse_hint *h);

/* lemon's entry points for %name sl_parser_ (grammar.c defines them). */
void *sl_parser_Alloc(void *(*alloc)(size_t), struct parse_ctx *ctx);
void sl_parser_Free(void *p, void (*release)(void *));
void sl_parser_Init(void *p, struct parse_ctx *ctx);
void sl_parser_Finalize(void *p);
void sl_parser_(void *p, int major, struct sl_token minor);

#endif
