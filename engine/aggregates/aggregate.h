/*
 * aggregate.h — aggregate functions split into init / step / combine /
 * final (DuckDB's shape), so pre-aggregation, window slices, parallelism
 * and checkpoints reuse the same four functions. A state is a fixed-size
 * block of bytes inside the group's entry; what varies in size (a DISTINCT
 * set, a list, a sketch) lives behind a pointer in it, allocated from the
 * `keep` arena given to step and combine: the arena of the group table that
 * holds the state, freed with it (a window's slice, a rebuilt session table).
 * So combine must copy what it takes from src into keep, never point at it.
 * step, combine and final return SL_NOMEM when memory runs out, so a value
 * is never dropped without a word: the state may then have taken part of
 * the rows and is fit only to be freed (the query fails).
 * serialize / deserialize turn a state into portable bytes and back (the
 * encoding: engine/aggregates/agg_codec.h), for checkpoints.
 */
#ifndef SL_AGGREGATE_H
#define SL_AGGREGATE_H

#include "common/arena.h"
#include "common/buf.h"
#include "common/chunk.h"
#include "common/status.h"

struct sl_agg_fn {
    const char *name; /* lower case: count, sum, min, max, avg, ... */
    bool star_ok;     /* accepts (*) — count only */
    bool distinct;    /* the f(DISTINCT x) form of name, from aggregate_lookup_distinct() */
    bool by_time;     /* step reads the event time too (earliest, latest) */
    bool has_param;   /* takes a constant second argument in [0, 1] (approx_percentile's p) */
    /* Result type for the argument type (SL_NULL for (*)); false + why if it does not apply. */
    bool (*infer)(enum sl_type arg, enum sl_type *result, char *why, size_t why_len);
    /* Bytes of state for this argument type. */
    size_t (*state_size)(enum sl_type arg);
    /* param: the constant second argument (has_param), else 0. */
    void (*init)(void *state, enum sl_type arg, double param);
    /*
     * Vectorised update: for k in 0..n-1, fold value arg[rows[k]] into the
     * state at states[k]. arg is NULL for (*). time (by_time only) holds the
     * rows' event times, NULL on processing time (arrival order). Text
     * values must be copied into keep (the state's long-lived arena) if kept.
     * SL_OK, or SL_NOMEM.
     */
    sl_status (*step)(void **states, const struct sl_vector *arg, const struct sl_vector *time,
                 const uint32_t *rows, uint32_t n, struct sl_arena *keep);
    /* Folds src into dst (both of the same argument type), src being the later
     * rows in arrival order; what dst keeps is copied into keep. SL_OK, or SL_NOMEM. */
    sl_status (*combine)(void *dst, const void *src, enum sl_type arg, struct sl_arena *keep);
    /* The aggregate's current value into *result; text it makes is allocated in out.
     * SL_OK, or SL_NOMEM. */
    sl_status (*final)(const void *state, enum sl_type arg, struct sl_arena *out,
                       struct sl_value *result);
    /* Appends the state's encoding to out (out->failed when out of memory). It holds what the
     * state is, not the plan: not the param, which deserialize is given again. */
    void (*serialize)(const void *state, enum sl_type arg, struct sl_buf *out);
    /* Rebuilds a state from exactly the bytes p[0..len) that serialize wrote for the same arg,
     * what varies in size allocated in keep; nothing points into p afterwards. The bytes are
     * not trusted: on anything malformed, inconsistent or out of memory, returns false with
     * the state initialised (as init leaves it). */
    bool (*deserialize)(void *state, enum sl_type arg, double param, const unsigned char *p,
                        size_t len, struct sl_arena *keep);
};

const struct sl_agg_fn *aggregate_lookup(const char *name);
/* The i-th aggregate's name, or NULL past the last: for the shell's completion. */
const char *aggregate_name(size_t i);
/* The DISTINCT form of fn, or NULL when fn has none (min and max are their own). */
const struct sl_agg_fn *aggregate_lookup_distinct(const struct sl_agg_fn *fn);

#endif
