/*
 * exec_readonly.c — a database opened read-only (`sluice --readonly`):
 * statements that would write to it are refused before they run, with a
 * message naming the statement, rather than failing inside SQLite halfway.
 * Only statements known to read are let through, so a statement added later
 * is refused until it is listed here.
 */
#include "engine/exec/exec.h"

#include <string.h>

/* What is refused, for the message; NULL for a statement that only reads. */
static const char *writer_name(enum ast_stmt_kind kind)
{
    switch (kind) {
    case AST_SHOW:
    case AST_DESCRIBE:
    case AST_DESCRIBE_SINK:
    case AST_EXPLAIN:
    case AST_SET:
    case AST_ATTACH: /* attached read-only, as the database is */
    case AST_DETACH: return NULL;
    case AST_CREATE_STREAM: return "CREATE STREAM";
    case AST_CREATE_QUERY: return "CREATE QUERY";
    case AST_CREATE_STREAM_AS: return "CREATE STREAM AS";
    case AST_CREATE_SINK: return "CREATE SINK";
    case AST_DROP_STREAM: return "DROP STREAM";
    case AST_DROP_QUERY: return "DROP QUERY";
    case AST_DROP_SINK: return "DROP SINK";
    case AST_PAUSE_QUERY: return "PAUSE QUERY";
    case AST_RESUME_QUERY: return "RESUME QUERY";
    /* A live SELECT, and PRINT (one), keep their rows in a table of the database. */
    case AST_SELECT: return "a SELECT over a stream";
    case AST_PRINT: return "PRINT";
    default: return "this statement";
    }
}

bool exec_refused_readonly(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    if (!x->s->opts.readonly || x->check_only)
        return false;
    const char *what = writer_name(stmt->kind);
    if (!what)
        return false;
    size_t word = strcspn(stmt->text, " \t\r\n(");
    diags_add(x->diags, stmt->pos, word ? (uint32_t)word : 1,
              "open the database without --readonly to change it",
              "the database is open read-only: %s would write to it", what);
    return true;
}
