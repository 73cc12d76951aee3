/*
 * parser.h — the one entry point from SQL text to statements.
 * Lexer (lexer.c) and lemon grammar (grammar.y) stay apart; this hides both.
 */
#ifndef SL_PARSER_H
#define SL_PARSER_H

#include <stddef.h>

#include "common/diag.h"
#include "parser/ast.h"

struct sl_parse_result {
    struct sl_arena *arena; /* owns every node, list and string below */
    uint32_t count;
    struct ast_stmt **stmts;
};

/*
 * Parses every ';'-separated statement of src (the final ';' is optional).
 * Syntax errors are added to diags (which must be initialised with the
 * file name and src) and parsing resumes at the next ';', so one call
 * reports every broken statement. Returns SL_OK when diags gained no error,
 * SL_ERROR otherwise, SL_NOMEM on allocation failure; in every case *out
 * holds the statements that parsed and must be released with parse_free().
 */
sl_status parse_sql(const char *src, size_t len, struct sl_diags *diags,
                    struct sl_parse_result *out);
/* The same for the statements in src[start..end); positions count from src's beginning. */
sl_status parse_sql_range(const char *src, size_t start, size_t end, struct sl_diags *diags,
                          struct sl_parse_result *out);
void parse_free(struct sl_parse_result *r);

/*
 * The outline of a script, from tokens alone: where each statement is and,
 * for a SELECT, the name after its first top-level FROM (or, for a derived
 * table FROM (SELECT ...), the name its own FROM reads). The engine uses it
 * to hand a SELECT over a plain table to SQLite whole (ORDER BY, LIMIT,
 * joins: all of SQLite's SQL) and to parse the rest itself.
 */
struct sl_stmt_outline {
    uint32_t start;  /* byte offset of the first token */
    struct sl_pos pos; /* its line and column */
    uint32_t end;    /* byte offset just past the last token before ';' */
    bool is_select;  /* starts with SELECT, WITH or VALUES */
    /* that FROM name, unquoted; for WITH, the first FROM name (at any depth) that is not
     * one of its own names; "" if none, or VALUES */
    char from[128];
};
/* *out is an array of *count outlines, freed with sl_free. */
sl_status parse_outline(const char *src, size_t len, struct sl_stmt_outline **out,
                        uint32_t *count);

/*
 * True when src ends with a complete statement: its last token (strings,
 * quoted identifiers and comments being no ';') is a ';' (the REPL uses it
 * to know when to run).
 */
bool parse_is_complete(const char *src, size_t len);

#endif
