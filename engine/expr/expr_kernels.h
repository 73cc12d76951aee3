/*
 * expr_kernels.h — the vectorised operator kernels behind expr_eval (not a
 * public interface). Each kernel reads two (or one) evaluated operand
 * vectors and writes the active rows of out. It takes a typed fast path
 * when the operand and result types allow one (INT/INT, REAL/REAL,
 * TEXT/TEXT, BOOL logic) and otherwise the per-row sqlval path, which
 * handles SL_ANY and mixed types exactly as SQLite does.
 */
#ifndef SL_EXPR_KERNELS_H
#define SL_EXPR_KERNELS_H

#include "common/chunk.h"
#include "common/status.h"
#include "engine/expr/expr.h"
#include "parser/ast.h"

struct expr_ctx {
    struct sl_arena *arena; /* the chunk's arena: temporaries and produced strings */
    const uint32_t *rows;   /* active rows */
    uint32_t n;
};

/* Operator families, for the typing rules and the evaluator. */
static inline bool is_arith(enum ast_op op)
{
    return op == AST_OP_ADD || op == AST_OP_SUB || op == AST_OP_MUL || op == AST_OP_DIV ||
           op == AST_OP_MOD;
}

static inline bool is_compare(enum ast_op op)
{
    return op >= AST_OP_EQ && op <= AST_OP_GE;
}

static inline bool is_bits(enum ast_op op)
{
    return op == AST_OP_BITAND || op == AST_OP_BITOR || op == AST_OP_LSHIFT || op == AST_OP_RSHIFT;
}

/* How a kernel reads a vector. */
enum expr_class { EXPR_CLASS_INT, EXPR_CLASS_REAL, EXPR_CLASS_TEXT, EXPR_CLASS_OTHER };

static inline enum expr_class expr_class_of(enum sl_type t)
{
    switch (t) {
    case SL_BOOL:
    case SL_INT:
    case SL_TIMESTAMP: return EXPR_CLASS_INT;
    case SL_REAL: return EXPR_CLASS_REAL;
    case SL_TEXT: return EXPR_CLASS_TEXT;
    default: return EXPR_CLASS_OTHER;
    }
}

/* int64 view of an INT-class vector at the active rows (BOOL is converted
 * into a new array); NULL when out of memory. */
const int64_t *expr_ints(const struct sl_vector *v, const struct expr_ctx *cx);
/* double view of an INT- or REAL-class vector at the active rows. */
const double *expr_reals(const struct sl_vector *v, const struct expr_ctx *cx);
/* An SL_INT view of v at the active rows when every one is an integer or
 * NULL: v itself for the INT class (BOOL converted), or, for an SL_ANY v
 * (INT arithmetic's result, expr.h), its values unpacked — so a chain such as
 * i * 3 + 1 > 5 stays on the typed kernels while no row has overflowed.
 * False when a row is not an integer (or out of memory: the caller then
 * takes the per-row path, which reports it). */
bool expr_int_view(const struct sl_vector *v, const struct expr_ctx *cx, struct sl_vector *view);
/* Truth of each active row: 0 false, 1 true, 2 NULL. */
void expr_truth(const struct sl_vector *v, const struct expr_ctx *cx, uint8_t *tri);

/* Writes three-valued results (0 false, 1 true, 2 NULL) of the active rows into out. */
sl_status expr_store_tri(const uint8_t *tri, const struct expr_ctx *cx, struct sl_vector *out);

/* + - * / % */
sl_status expr_arith(enum ast_op op, const struct sl_vector *l, const struct sl_vector *r,
                     const struct expr_ctx *cx, struct sl_vector *out);
/* & | << >>: operands read as CAST(x AS INTEGER) reads them; INTEGER or NULL */
sl_status expr_bits(enum ast_op op, const struct sl_vector *l, const struct sl_vector *r,
                    const struct expr_ctx *cx, struct sl_vector *out);
/* = <> < <= > >= */
sl_status expr_compare(enum ast_op op, const struct sl_vector *l, const struct sl_vector *r,
                       const struct expr_ctx *cx, struct sl_vector *out);
/* AND, OR (three-valued) */
sl_status expr_logic(enum ast_op op, const struct sl_vector *l, const struct sl_vector *r,
                     const struct expr_ctx *cx, struct sl_vector *out);
/* || */
sl_status expr_concat(const struct sl_vector *l, const struct sl_vector *r,
                      const struct expr_ctx *cx, struct sl_vector *out);
/* unary -, NOT */
sl_status expr_negate(const struct sl_vector *v, const struct expr_ctx *cx, struct sl_vector *out);
sl_status expr_not(const struct sl_vector *v, const struct expr_ctx *cx, struct sl_vector *out);
/* unary ~ */
sl_status expr_bitnot(const struct sl_vector *v, const struct expr_ctx *cx, struct sl_vector *out);
/* x IS NULL (notnull false) / x IS NOT NULL (notnull true): never NULL */
sl_status expr_isnull(bool notnull, const struct sl_vector *v, const struct expr_ctx *cx,
                      struct sl_vector *out);
/* x IS y / x IS NOT y (negate): equality where NULL equals NULL; never NULL */
sl_status expr_is(bool negate, const struct sl_vector *l, const struct sl_vector *r,
                  const struct expr_ctx *cx, struct sl_vector *out);
/* x [NOT] IN (list[0..n-1]): true on a match, else NULL if x or an item is NULL, else false;
 * an empty list is false even for a NULL x */
sl_status expr_in(const struct sl_vector *x, const struct sl_vector *list, uint32_t n, bool negated,
                  const struct expr_ctx *cx, struct sl_vector *out);
/* x [NOT] BETWEEN lo AND hi, i.e. x >= lo AND x <= hi (NOT: x < lo OR x > hi);
 * xlo and xhi are x as compared with lo and with hi (each under its comparison's affinity) */
sl_status expr_between(const struct sl_vector *xlo, const struct sl_vector *lo,
                       const struct sl_vector *xhi, const struct sl_vector *hi, bool negated,
                       const struct expr_ctx *cx, struct sl_vector *out);
/* x [NOT] LIKE|GLOB pattern [ESCAPE esc]; esc NULL when absent */
sl_status expr_like(enum ast_op op, const struct sl_vector *x, const struct sl_vector *pattern,
                    const struct sl_vector *esc, bool negated, const struct expr_ctx *cx,
                    struct sl_vector *out);
/* LIKE / GLOB of one subject against one pattern (esc < 0: no escape character). */
bool expr_like_match(const char *pat, uint32_t pn, const char *s, uint32_t sn, int32_t esc);
bool expr_glob_match(const char *pat, uint32_t pn, const char *s, uint32_t sn);
/* CASE: evaluates e (an EXPR_CASE) itself, branch by branch over narrowed selections. */
sl_status expr_eval_case(const struct sl_expr *e, struct sl_chunk *in, struct sl_vector *out,
                         struct sl_error *err);
/* v under comparison affinity aff: *out is v itself when aff converts nothing
 * of v's type, else tmp, filled at the active rows. */
sl_status expr_apply_affinity(enum sl_affinity aff, const struct sl_vector *v,
                              const struct expr_ctx *cx, struct sl_vector *tmp,
                              const struct sl_vector **out);
/* CAST(v AS to) */
sl_status expr_cast(enum sl_type to, const struct sl_vector *v, const struct expr_ctx *cx,
                    struct sl_vector *out);

#endif
