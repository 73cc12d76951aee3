/*
 * retry.h — when a network source tries again: exponential backoff from
 * retry_initial up to retry_max, with jitter (each wait is drawn from
 * [delay/2, delay]) so that many clients cut off together do not come back
 * together, and an optional limit on attempts in a row (retry_attempts,
 * 0: never give up). The three options are declared once here so every
 * network connector spells and documents them alike.
 */
#ifndef SL_RETRY_H
#define SL_RETRY_H

#include <stdbool.h>
#include <stdint.h>

#include "connectors/registry.h"

struct sl_retry {
    int64_t initial_us, max_us;
    int64_t attempts; /* 0: unlimited */
    int64_t delay_us; /* the next wait's upper bound */
    int64_t failures; /* in a row, since the last success */
    uint64_t seed;    /* the jitter's generator state */
};

/* The option table entries, for a connector's options array, in this order. */
#define SL_RETRY_OPTION_DEFS                                                                   \
    {"retry_initial", SL_OPTION_DURATION, 1000, 3600 * 1000000LL, 100000, "100 milliseconds", \
     "the first wait before trying again; it doubles on each failure in a row, each wait "    \
     "drawn between half and all of it"},                                                     \
    {"retry_max", SL_OPTION_DURATION, 1000, 24 * 3600 * 1000000LL, 5000000, "5 seconds",      \
     "the longest wait between tries"},                                                       \
    {"retry_attempts", SL_OPTION_INT, 0, 1000000000, 0, "0 (forever)",                        \
     "failures in a row before the query fails; 0 retries forever"}
#define SL_RETRY_NOPTIONS 3

struct sl_source_spec;
/* Reads the three options, starting at index first of spec's connector's options. */
void retry_init(struct sl_retry *r, const struct sl_source_spec *spec, size_t first);

/* The same from values: a sink's (the engine's options, not a connector's). */
void retry_init_values(struct sl_retry *r, int64_t initial_us, int64_t max_us, int64_t attempts);

/* A success: the next failure waits retry_initial again. */
void retry_succeeded(struct sl_retry *r);

/* A failure: false when retry_attempts is reached (give up); otherwise
 * true, with *wait_us the time to wait before the next try. */
bool retry_failed(struct sl_retry *r, int64_t *wait_us);

#endif
