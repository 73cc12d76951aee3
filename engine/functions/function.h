/*
 * function.h — the registry of scalar functions (lower, upper, length,
 * split, ...). Each function checks its argument types at bind time and
 * evaluates vectorised at run time.
 */
#ifndef SL_FUNCTION_H
#define SL_FUNCTION_H

#include "common/chunk.h"
#include "common/status.h"

struct sl_scalar_fn {
    const char *name; /* lower case */
    int min_args;
    int max_args; /* -1: variadic */
    /*
     * Result type for these argument types, or false with a message in
     * why (e.g. "split() expects TEXT, got INTEGER") when they do not fit.
     */
    bool (*infer)(const enum sl_type *arg_types, int nargs, enum sl_type *result, char *why,
                  size_t why_len);
    /* Computes out[r] for every active row r of `rows` from args[i][r]. */
    sl_status (*eval)(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                      struct sl_vector *out, struct sl_error *err);
};

/* Case-insensitive lookup; NULL if no such function. */
const struct sl_scalar_fn *function_lookup(const char *name);
/* The function behind an operator (x -> p is "->", as in SQLite), which no call by
 * name reaches; NULL if none. */
const struct sl_scalar_fn *function_operator(const char *symbol);
/*
 * Checks argument number arg (0-based) of fn, given as a constant whose text
 * is text, when the query is checked: false with a message in why and a hint
 * in hint when no row could use it (a regexp pattern that does not compile,
 * an unknown date_trunc unit), where a value computed per row gives NULL.
 * Arguments that no function checks pass.
 */
bool function_check_const(const struct sl_scalar_fn *fn, int arg, struct sl_str text, char *why,
                          size_t why_len, char *hint, size_t hint_len);
/* The i-th function of the registry (0-based), NULL past the last: for
 * adding them all to SQLite's connection (engine/exec/sqlite_functions.c) and
 * the shell's completion (engine/exec/exec_names.c). */
const struct sl_scalar_fn *function_at(size_t i);
/* Nearest registered name (for "did you mean"), or NULL. */
const char *function_suggest(const char *name);

#endif
