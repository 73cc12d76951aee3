/*
 * ast_equal.h — are two expressions the same, ignoring where they were
 * written? The binder asks it to tell whether a select item or a HAVING
 * term is a GROUP BY key or an aggregate it has already seen.
 */
#ifndef SL_AST_EQUAL_H
#define SL_AST_EQUAL_H

#include <stdbool.h>

#include "parser/ast.h"

/* Equal kinds, operators, literals and names (case-insensitive); a column
 * with no qualifier equals the same column with one. NULL equals only NULL. */
bool ast_expr_equal(const struct ast_expr *a, const struct ast_expr *b);

#endif
