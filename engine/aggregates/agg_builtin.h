/* agg_builtin.h — the built-in aggregates gathered by aggregate.c's registry. Not a public
 * interface. */
#ifndef SL_AGG_BUILTIN_H
#define SL_AGG_BUILTIN_H

#include "engine/aggregates/aggregate.h"

extern const struct sl_agg_fn agg_count;
extern const struct sl_agg_fn agg_sum;
extern const struct sl_agg_fn agg_avg;
extern const struct sl_agg_fn agg_min;
extern const struct sl_agg_fn agg_max;
extern const struct sl_agg_fn agg_count_distinct;
extern const struct sl_agg_fn agg_sum_distinct;
extern const struct sl_agg_fn agg_avg_distinct;
extern const struct sl_agg_fn agg_var_pop;
extern const struct sl_agg_fn agg_var_samp;
extern const struct sl_agg_fn agg_variance;
extern const struct sl_agg_fn agg_stddev_pop;
extern const struct sl_agg_fn agg_stddev_samp;
extern const struct sl_agg_fn agg_stddev;
extern const struct sl_agg_fn agg_earliest;
extern const struct sl_agg_fn agg_latest;
extern const struct sl_agg_fn agg_collect_list;
extern const struct sl_agg_fn agg_approx_count_distinct;
extern const struct sl_agg_fn agg_approx_percentile;

/* SUM and AVG's state (agg_sum.c), which SUM(DISTINCT) and AVG(DISTINCT) fill at final. */
struct agg_sum_state {
    int64_t isum;     /* exact integer part */
    double rsum;      /* REAL inputs, and everything after an overflow */
    int64_t count;    /* non-NULL values (AVG's divisor) */
    uint8_t real;     /* a REAL input was seen: the result is REAL */
    uint8_t overflow; /* isum overflowed: the result is REAL */
};
/* Folds one value into s as SUM does (NULL and non-numbers as SQLite reads them). */
void agg_sum_fold(struct agg_sum_state *s, struct sl_value v);
/* Whether SUM, AVG and the variances take arg: numbers, or values read as numbers. */
bool agg_numeric_arg(enum sl_type arg);

/* Writes "f() expects WHAT, got TYPE" into why. */
void agg_type_error(char *why, size_t why_len, const char *fn, const char *expected,
                    enum sl_type got);

#endif
