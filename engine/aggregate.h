/*
 * aggregate.h — aggregate functions split into init / step / combine /
 * final (DuckDB's shape), so pre-aggregation, window slices, parallelism
 * and checkpoints reuse the same four functions. A state is a fixed-size
 * block of bytes inside the group's entry.
 */
#ifndef SL_AGGREGATE_H
#define SL_AGGREGATE_H

#include "common/arena.h"
#include "common/chunk.h"
#include "common/status.h"

struct sl_agg_fn {
    const char *name; /* lower case: count, sum, min, max, avg */
    bool star_ok;     /* accepts (*) — count only */
    /* Result type for the argument type (SL_NULL for (*)); false + why if it does not apply. */
    bool (*infer)(enum sl_type arg, enum sl_type *result, char *why, size_t why_len);
    /* Bytes of state for this argument type. */
    size_t (*state_size)(enum sl_type arg);
    void (*init)(void *state, enum sl_type arg);
    /*
     * Vectorised update: for k in 0..n-1, fold value arg[rows[k]] into the
     * state at states[k]. arg is NULL for (*). Text values must be copied
     * into keep (the aggregate's long-lived arena) if kept.
     */
    void (*step)(void **states, const struct sl_vector *arg, const uint32_t *rows, uint32_t n,
                 struct sl_arena *keep);
    /* Folds src into dst (both of the same argument type). */
    void (*combine)(void *dst, const void *src, enum sl_type arg, struct sl_arena *keep);
    /* The aggregate's current value. */
    struct sl_value (*final)(const void *state, enum sl_type arg);
};

const struct sl_agg_fn *aggregate_lookup(const char *name);

#endif
