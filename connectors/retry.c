/* retry.c — exponential backoff with jitter for network sources (see retry.h). */
#include "connectors/retry.h"

#include <time.h>

#include "connectors/source.h"

void retry_init(struct sl_retry *r, const struct sl_source_spec *spec, size_t first)
{
    retry_init_values(r, source_option_num(spec, first), source_option_num(spec, first + 1),
                      source_option_num(spec, first + 2));
}

void retry_init_values(struct sl_retry *r, int64_t initial_us, int64_t max_us, int64_t attempts)
{
    r->initial_us = initial_us;
    r->max_us = max_us < initial_us ? initial_us : max_us;
    r->attempts = attempts;
    r->delay_us = r->initial_us;
    r->failures = 0;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    /* Seeded per source from the clock and its own address: two sources started together differ. */
    r->seed = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)(uintptr_t)r ^ 0x9e3779b97f4a7c15ULL;
}

void retry_succeeded(struct sl_retry *r)
{
    r->delay_us = r->initial_us;
    r->failures = 0;
}

/* xorshift64*: the jitter needs spread, not secrecy. */
static uint64_t next_random(struct sl_retry *r)
{
    r->seed ^= r->seed >> 12;
    r->seed ^= r->seed << 25;
    r->seed ^= r->seed >> 27;
    return r->seed * 0x2545f4914f6cdd1dULL;
}

bool retry_failed(struct sl_retry *r, int64_t *wait_us)
{
    r->failures++;
    if (r->attempts > 0 && r->failures > r->attempts)
        return false;
    int64_t half = r->delay_us / 2;
    *wait_us = half + (half > 0 ? (int64_t)(next_random(r) % (uint64_t)(half + 1)) : 0);
    r->delay_us = r->delay_us > r->max_us / 2 ? r->max_us : r->delay_us * 2;
    return true;
}
