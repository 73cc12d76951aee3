/* aggregate.c — the aggregate registry: every built-in aggregate by name, each one's DISTINCT
 * form, and the type-error message their infer functions share. */
#include "engine/aggregates/aggregate.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "engine/aggregates/agg_builtin.h"

static const struct sl_agg_fn *const registry[] = {
    &agg_count,       &agg_sum,         &agg_avg,         &agg_min,
    &agg_max,         &agg_var_pop,     &agg_var_samp,    &agg_variance,
    &agg_stddev_pop,  &agg_stddev_samp, &agg_stddev,      &agg_earliest,
    &agg_latest,      &agg_collect_list, &agg_approx_count_distinct,
    &agg_approx_percentile,
};

const struct sl_agg_fn *aggregate_lookup(const char *name)
{
    for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++) {
        if (strcasecmp(registry[i]->name, name) == 0)
            return registry[i];
    }
    return NULL;
}

const char *aggregate_name(size_t i)
{
    return i < sizeof registry / sizeof registry[0] ? registry[i]->name : NULL;
}

const struct sl_agg_fn *aggregate_lookup_distinct(const struct sl_agg_fn *fn)
{
    /* The same value counted once changes nothing for an extreme. */
    if (fn == &agg_min || fn == &agg_max)
        return fn;
    return fn == &agg_count ? &agg_count_distinct
           : fn == &agg_sum ? &agg_sum_distinct
           : fn == &agg_avg ? &agg_avg_distinct
                            : NULL;
}

void agg_type_error(char *why, size_t why_len, const char *fn, const char *expected,
                    enum sl_type got)
{
    snprintf(why, why_len, "%s() expects %s, got %s", fn, expected, sl_type_name(got));
}
