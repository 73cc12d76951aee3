/* xorshift.h — the test tools' random numbers: xorshift64*, tiny, fast and
 * the same on every machine, so generated inputs are reproducible by seed. */
#ifndef SL_TOOLS_XORSHIFT_H
#define SL_TOOLS_XORSHIFT_H

#include <stdint.h>

/* Nonzero; the tool seeds it. */
static uint64_t rng_state;

static inline uint64_t next_random(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * UINT64_C(2685821657736338717);
}

#endif
