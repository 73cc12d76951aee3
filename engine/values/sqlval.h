/*
 * sqlval.h — SQLite's rules for single values: the order across storage
 * classes, the numeric reading of text, truth, and the text form of
 * numbers. The per-row (SL_ANY) paths of expressions, functions and
 * aggregates all go through these, so they agree with each other and with
 * SQLite, the test oracle. BOOL and TIMESTAMP count as integers here.
 */
#ifndef SL_SQLVAL_H
#define SL_SQLVAL_H

#include <string.h>

#include "common/arena.h"
#include "common/chunk.h"
#include "common/value.h"
#include "parser/ast.h"

/* Longest text form of a number, NUL included. */
#define SQLVAL_NUM_TEXT_MAX 32

/* SQLite's order: NULL < numbers (compared numerically) < TEXT (BINARY) < ARRAY. */
int sqlval_compare(struct sl_value a, struct sl_value b);
/* Exact comparison of an integer with a double (no rounding of large integers). */
int sqlval_cmp_int_real(int64_t i, double r);
/* BINARY collation: memcmp, then the shorter string first. */
int sqlval_cmp_text(struct sl_str a, struct sl_str b);

/* The number arithmetic sees: INT or REAL (BOOL/TIMESTAMP become INT; text
 * is read by its numeric prefix as SQLite does: '12ab' -> 12, 'x' -> 0).
 * NULL (and ARRAY) give NULL. */
struct sl_value sqlval_numeric(struct sl_value v);
/* Text that reads entirely as a number (surrounding white space allowed:
 * ' 12 ', '1e3', '.5', not '0x10' or '12ab'), as SQLite's NUMERIC affinity
 * converts it: an INT when it is an integer that fits, else a REAL.
 * Returns 1 and sets *out for such text, 0 for any other text, -1 when out
 * of memory (a number too long for a stack buffer is copied into arena). */
int sqlval_text_number(struct sl_str s, struct sl_arena *arena, struct sl_value *out);
/* Text read as SQLite's CAST(x AS INTEGER) does: spaces, a sign, digits
 * ('12abc' -> 12, '1e3' -> 1, 'x' -> 0); saturates on overflow. */
int64_t sqlval_text_to_int(struct sl_str s);
/* A double read as SQLite's CAST(x AS INTEGER) does: truncated, clamped to int64. */
int64_t sqlval_real_to_int(double r);
/* -1 for NULL, else 0 (false) or 1 (true) by the numeric value. */
int sqlval_truth(struct sl_value v);

/* Binary arithmetic (+ - * / %) with SQLite semantics, on any values:
 * NULL propagates, / and % by zero give NULL, integer overflow gives REAL. */
struct sl_value sqlval_arith(enum ast_op op, struct sl_value a, struct sl_value b);

/* Text form of numbers as SQLite renders them (integers %lld, reals "%!.15g");
 * buf holds SQLVAL_NUM_TEXT_MAX bytes; returns the length. */
size_t sqlval_format_int(int64_t i, char *buf);
size_t sqlval_format_real(double r, char *buf);
/* Text form of a non-NULL value: TEXT as is (no copy), others rendered into
 * arena. Fails only when out of memory (SL_NOMEM). */
sl_status sqlval_text(struct sl_value v, struct sl_arena *arena, struct sl_str *out);

/* Text as SQLite's functions that read it as a C string see it (length(),
 * substr(), quote(), printf()'s arguments, LIKE, the date functions...): up
 * to its first NUL byte. Others (||, comparisons, hex()) take every byte. */
static inline struct sl_str sqlval_c_str(struct sl_str s)
{
    const char *nul = s.len ? memchr(s.ptr, '\0', s.len) : NULL;
    if (nul)
        s.len = (uint32_t)(nul - s.ptr);
    return s;
}

/* Writes v into row `row` of out, converting to out's type where SQLite
 * would (INT -> REAL, integral REAL -> INT, numbers -> TEXT, ...); a value
 * out's type cannot hold (a REAL beyond int64 into an INT vector) becomes
 * NULL. Fails only when out of memory (SL_NOMEM). */
sl_status sqlval_store(struct sl_vector *out, uint32_t row, struct sl_value v,
                       struct sl_arena *arena);

/* Hash consistent with sqlval_compare() == 0 (1 and 1.0 hash alike). */
uint64_t sqlval_hash(struct sl_value v);
/* The hash every NULL key gets. */
#define SQLVAL_NULL_HASH UINT64_C(0x5bd1e9955bd1e995)
/* Seed of every value hash. */
#define SQLVAL_SEED UINT64_C(0x736c756963650001)

#endif
