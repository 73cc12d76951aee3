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
/* Nearest registered name (for "did you mean"), or NULL. */
const char *function_suggest(const char *name);

#endif
