/*
 * ast_equal.c — structural equality of expressions, ignoring positions (see
 * ast_equal.h).
 */
#include "parser/ast_equal.h"

#include <string.h>
#include <strings.h>

static bool names_equal(const struct ast_name *a, const struct ast_name *b)
{
    if (!a->text || !b->text)
        return a->text == b->text;
    return strcasecmp(a->text, b->text) == 0;
}

static bool ast_list_equal(const struct ast_expr_list *a, const struct ast_expr_list *b)
{
    uint32_t na = a ? a->count : 0, nb = b ? b->count : 0;
    if (na != nb)
        return false;
    for (uint32_t i = 0; i < na; i++)
        if (!ast_expr_equal(a->items[i], b->items[i]))
            return false;
    return true;
}

bool ast_expr_equal(const struct ast_expr *a, const struct ast_expr *b)
{
    if (!a || !b)
        return a == b;
    if (a->kind != b->kind || a->op != b->op || a->negated != b->negated)
        return false;
    switch (a->kind) {
    case AST_NULL: return true;
    case AST_BOOL:
    case AST_INT: return a->ival == b->ival;
    case AST_REAL: return a->rval == b->rval;
    case AST_STRING:
    case AST_TIMESTAMP:
    case AST_INTERVAL:
        return a->ival == b->ival && a->str_len == b->str_len &&
               memcmp(a->str, b->str, a->str_len) == 0;
    case AST_COLUMN:
        return names_equal(&a->name, &b->name) &&
               (!a->qualifier.text || !b->qualifier.text || names_equal(&a->qualifier, &b->qualifier));
    case AST_STAR: return names_equal(&a->qualifier, &b->qualifier);
    case AST_UNARY: return ast_expr_equal(a->left, b->left);
    case AST_BINARY: return ast_expr_equal(a->left, b->left) && ast_expr_equal(a->right, b->right);
    case AST_CALL:
        return names_equal(&a->name, &b->name) && a->star_arg == b->star_arg &&
               a->distinct == b->distinct && ast_list_equal(a->args, b->args) &&
               ast_expr_equal(a->third, b->third);
    case AST_IN: return ast_expr_equal(a->left, b->left) && ast_list_equal(a->args, b->args);
    case AST_BETWEEN:
    case AST_LIKE:
        return ast_expr_equal(a->left, b->left) && ast_expr_equal(a->right, b->right) &&
               ast_expr_equal(a->third, b->third);
    case AST_CASE:
        return ast_expr_equal(a->left, b->left) && ast_expr_equal(a->right, b->right) &&
               ast_list_equal(a->args, b->args);
    case AST_CAST: return names_equal(&a->name, &b->name) && ast_expr_equal(a->left, b->left);
    }
    return false;
}
