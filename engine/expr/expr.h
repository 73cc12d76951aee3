/*
 * expr.h — bound scalar expressions (names resolved to column indexes,
 * types inferred) and their vectorised evaluation over a chunk.
 * Semantics follow SQLite: NULL propagates, integer division truncates,
 * division by zero is NULL, comparisons of NULL are NULL, AND/OR use
 * three-valued logic, integer overflow of + - * falls back to REAL.
 * Bound trees are built by the binder and read-only afterwards (plan, not
 * state); they are allocated in the query's plan arena.
 */
#ifndef SL_EXPR_H
#define SL_EXPR_H

#include "common/chunk.h"
#include "common/status.h"
#include "parser/ast.h"

struct sl_scalar_fn;

enum sl_expr_kind {
    EXPR_CONST,  /* value */
    EXPR_COLUMN, /* column: index into the input chunk */
    EXPR_UNARY,  /* op, args[0] */
    EXPR_BINARY, /* op, args[0], args[1] */
    EXPR_CALL,   /* fn(args...) */
    EXPR_IN,     /* args[0] [NOT] IN (args[1..]) */
    EXPR_BETWEEN,/* args[0] [NOT] BETWEEN args[1] AND args[2] */
    EXPR_LIKE,   /* args[0] [NOT] LIKE|GLOB (op) args[1] [ESCAPE args[2]] */
    EXPR_CASE,   /* [args[0] = base] WHEN/THEN pairs, [ELSE last] (has_base, has_else) */
    EXPR_CAST,   /* CAST(args[0] AS cast_to) */
};

/*
 * SQLite's type affinity of an operand (datatype3.html §3.2): a column has
 * its declared type's, CAST(x AS t) has t's, anything else has none. Before
 * a comparison the binder picks one comparison affinity from the operands'
 * (§4.2) and the evaluator applies it to both values (expr_apply_affinity):
 * NUMERIC turns text that reads entirely as a number into that number, TEXT
 * turns numbers into their text. TIMESTAMP is Sluice's: a timestamp column
 * compared with text reads the text as an ISO-8601 timestamp, which orders
 * as SQLite's comparison of the text the column is written as would.
 */
enum sl_affinity { SL_AFF_NONE, SL_AFF_NUMERIC, SL_AFF_TEXT, SL_AFF_TIMESTAMP };

struct sl_expr {
    enum sl_expr_kind kind;
    enum sl_type type; /* result type; SL_ANY when it varies per row */
    struct sl_pos pos;
    struct sl_value value; /* EXPR_CONST (strings in the plan arena) */
    uint32_t column;       /* EXPR_COLUMN */
    enum ast_op op;        /* EXPR_UNARY / EXPR_BINARY / EXPR_LIKE */
    bool negated;          /* EXPR_IN / EXPR_BETWEEN / EXPR_LIKE: the NOT form */
    bool has_base;         /* EXPR_CASE: CASE x WHEN ... (x is args[0]) */
    bool has_else;         /* EXPR_CASE: the last arg is the ELSE */
    enum sl_type cast_to;  /* EXPR_CAST: INT, REAL, TEXT or TIMESTAMP */
    enum sl_affinity affinity; /* this expression's own, as an operand */
    /* The comparison affinity of each comparison the node makes (NULL when
     * none converts anything): [0] for = < ... IS and for IN (the left
     * operand's, applied to every item, as SQLite does); [0] and [1] for
     * BETWEEN's x >= lo and x <= hi; one per WHEN for CASE x WHEN. */
    const enum sl_affinity *cmp_aff;
    const struct sl_scalar_fn *fn; /* EXPR_CALL */
    uint32_t nargs;
    struct sl_expr **args;
};

/*
 * Evaluates e for the active rows of in, writing row r's result at index r
 * of out (out was vector_init'ed with e->type in in->arena; rows that are
 * not active are left undefined). Strings and arrays produced are allocated
 * in in->arena. Returns SL_ERROR only for failures no row value can cause
 * (out of memory); bad values yield NULL as in SQLite.
 */
sl_status expr_eval(const struct sl_expr *e, struct sl_chunk *in, struct sl_vector *out,
                    struct sl_error *err);

/*
 * Static result type of a binary / unary operator over operands of these
 * types, for the binder; false when the operator does not apply (an ARRAY
 * operand, TIMESTAMP * x). Comparisons, AND, OR and NOT give SL_BOOL; an
 * arithmetic or || operand typed SL_NULL makes the result SL_NULL; a TEXT
 * or SL_ANY arithmetic operand makes it SL_ANY (its number varies per row).
 * INT + - * / INT and -INT are SL_ANY too: a row whose result leaves int64
 * is a REAL in SQLite, so the result's type varies per row (the INT kernel
 * still computes them, tagging an overflowing row REAL). Operands that
 * cannot overflow (BOOL with BOOL, INT % INT) keep SL_INT.
 */
bool expr_binary_type(enum ast_op op, enum sl_type l, enum sl_type r, enum sl_type *out);
bool expr_unary_type(enum ast_op op, enum sl_type t, enum sl_type *out);
/* The static type of a CASE whose branches have these types: the common
 * type (NULL branches aside; BOOL with INT is INT), else SL_ANY. */
enum sl_type expr_case_type(const enum sl_type *branches, uint32_t n);
/* The target of CAST(x AS name) for a type name Sluice knows: BOOLEAN casts
 * as INTEGER does (SQLite has no boolean); false for an unknown name. */
bool expr_cast_target(const char *name, enum sl_type *out);

/* The affinity of a column or CAST of this type: SQLite's for the type name
 * (BOOLEAN is an integer), Sluice's own for TIMESTAMP. */
enum sl_affinity expr_type_affinity(enum sl_type t);
/* The comparison affinity SQLite applies between operands with these affinities. */
enum sl_affinity expr_compare_affinity(enum sl_affinity l, enum sl_affinity r);
/* Whether applying aff could change a value of static type t (false lets the
 * binder drop a comparison affinity that converts nothing). */
bool expr_affinity_converts(enum sl_affinity aff, enum sl_type t);

/* Renders e as SQL-like text for EXPLAIN, naming columns via names[]. */
struct sl_buf;
void expr_render(const struct sl_expr *e, const char *const *column_names, struct sl_buf *out);

#endif
