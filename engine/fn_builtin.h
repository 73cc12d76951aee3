/*
 * fn_builtin.h — the built-in scalar functions, one file each, gathered by
 * the registry in function.c; plus the helper they share to read any
 * argument as text. Not a public interface.
 */
#ifndef SL_FN_BUILTIN_H
#define SL_FN_BUILTIN_H

#include "engine/function.h"

extern const struct sl_scalar_fn fn_lower;
extern const struct sl_scalar_fn fn_upper;
extern const struct sl_scalar_fn fn_length;
extern const struct sl_scalar_fn fn_split;

/*
 * Text of each active row of v into texts[row] (the vector's own array for
 * TEXT; rendered into arena otherwise), with nulls[row] set for NULL rows
 * (an ARRAY value counts as NULL). Returns the texts, NULL when out of
 * memory; *nulls points at the NULL mask to use.
 */
const struct sl_str *fn_texts(const struct sl_vector *v, const struct sl_chunk *rows,
                              const uint8_t **nulls);

/* Writes "f() expects TEXT, got INTEGER" into why. */
void fn_type_error(char *why, size_t why_len, const char *fn, const char *expected,
                   enum sl_type got);

#endif
