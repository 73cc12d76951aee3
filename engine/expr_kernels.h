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
#include "parser/ast.h"

struct expr_ctx {
    struct sl_arena *arena; /* the chunk's arena: temporaries and produced strings */
    const uint32_t *rows;   /* active rows */
    uint32_t n;
};

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
/* Truth of each active row: 0 false, 1 true, 2 NULL. */
void expr_truth(const struct sl_vector *v, const struct expr_ctx *cx, uint8_t *tri);

/* + - * / % */
sl_status expr_arith(enum ast_op op, const struct sl_vector *l, const struct sl_vector *r,
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

#endif
