/* agg_builtin.h — the built-in aggregates gathered by aggregate.c's registry. Not a public
 * interface. */
#ifndef SL_AGG_BUILTIN_H
#define SL_AGG_BUILTIN_H

#include "engine/aggregate.h"

extern const struct sl_agg_fn agg_count;
extern const struct sl_agg_fn agg_sum;
extern const struct sl_agg_fn agg_avg;
extern const struct sl_agg_fn agg_min;
extern const struct sl_agg_fn agg_max;

/* Writes "f() expects WHAT, got TYPE" into why. */
void agg_type_error(char *why, size_t why_len, const char *fn, const char *expected,
                    enum sl_type got);

#endif
