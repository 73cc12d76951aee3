/*
 * expr_type.c — the operators' static typing rules the binder applies
 * (expr_binary_type, expr_unary_type, expr_cast_target; see expr.h).
 */
#include "engine/expr/expr.h"

#include <string.h>

#include "engine/expr/expr_kernels.h"

static bool int_like(enum sl_type t)
{
    return t == SL_INT || t == SL_BOOL;
}

/* TIMESTAMP + - an integer. An SL_ANY operand counts as one, since INT
 * arithmetic (ts + 60 * i) is SL_ANY; a row where it is not an integral
 * number gives NULL. */
static bool timestamp_arith(enum ast_op op, enum sl_type l, enum sl_type r, enum sl_type *out)
{
    if (l == SL_ANY)
        l = SL_INT;
    if (r == SL_ANY)
        r = SL_INT;
    if (op == AST_OP_ADD &&
        ((l == SL_TIMESTAMP && int_like(r)) || (int_like(l) && r == SL_TIMESTAMP)))
        *out = SL_TIMESTAMP;
    else if (op == AST_OP_SUB && l == SL_TIMESTAMP && int_like(r))
        *out = SL_TIMESTAMP;
    else if (op == AST_OP_SUB && l == SL_TIMESTAMP && r == SL_TIMESTAMP)
        *out = SL_INT;
    else
        return false;
    return true;
}

bool expr_binary_type(enum ast_op op, enum sl_type l, enum sl_type r, enum sl_type *out)
{
    if (l == SL_ARRAY || r == SL_ARRAY)
        return false;
    if (op == AST_OP_AND || op == AST_OP_OR || is_compare(op) || op == AST_OP_IS ||
        op == AST_OP_ISNOT) {
        *out = SL_BOOL;
        return true;
    }
    if (op == AST_OP_CONCAT) {
        *out = l == SL_NULL || r == SL_NULL ? SL_NULL : SL_TEXT;
        return true;
    }
    if (is_bits(op)) {
        /* Sluice gives a TIMESTAMP no integer meaning outside + and -. */
        if (l == SL_TIMESTAMP || r == SL_TIMESTAMP)
            return false;
        *out = l == SL_NULL || r == SL_NULL ? SL_NULL : SL_INT;
        return true;
    }
    if (!is_arith(op))
        return false;
    if (l == SL_NULL || r == SL_NULL)
        *out = SL_NULL;
    else if (l == SL_TIMESTAMP || r == SL_TIMESTAMP)
        return timestamp_arith(op, l, r, out);
    else if (l == SL_TEXT || r == SL_TEXT || l == SL_ANY || r == SL_ANY)
        *out = SL_ANY;
    else if (int_like(l) && int_like(r))
        /* An INT operand can take + - * / out of int64, where SQLite gives
         * a REAL for that row (expr.h explains the choice). */
        *out = op == AST_OP_MOD || (l == SL_BOOL && r == SL_BOOL) ? SL_INT : SL_ANY;
    else
        *out = SL_REAL;
    return true;
}

bool expr_unary_type(enum ast_op op, enum sl_type t, enum sl_type *out)
{
    if (t == SL_ARRAY)
        return false;
    switch (op) {
    case AST_OP_NOT:
    case AST_OP_ISNULL:
    case AST_OP_NOTNULL: *out = SL_BOOL; return true;
    case AST_OP_PLUS: *out = t; return true;
    case AST_OP_BITNOT:
        if (t == SL_TIMESTAMP)
            return false;
        *out = t == SL_NULL ? SL_NULL : SL_INT;
        return true;
    case AST_OP_NEG:
        if (t == SL_TIMESTAMP)
            return false;
        /* -INT64_MIN is a REAL in SQLite, so -INT varies per row. */
        *out = t == SL_BOOL ? SL_INT : t == SL_TEXT || t == SL_INT ? SL_ANY : t;
        return true;
    default: return false;
    }
}

bool expr_cast_target(const char *name, enum sl_type *out)
{
    enum sl_type t;
    if (!sl_type_from_name(name, strlen(name), &t))
        return false;
    *out = t == SL_BOOL ? SL_INT : t;
    return true;
}
