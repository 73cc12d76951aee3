/*
 * sl_eventgen — deterministic keyed events for the windows benchmark: CSV
 * lines "key,value,ts", 100,000 events per second of event time from
 * 2026-01-01 00:00:00 UTC, each up to 0.5 s out of order. Keys drift through
 * KEYS distinct values over time (key = event / 100, plus a random offset of
 * up to 4095, modulo KEYS), so any 10 seconds see about 14,000 of them while
 * 100 million events visit a million: state per window stays the same size
 * however long the stream runs.
 *
 *   sl_eventgen EVENTS [KEYS [SEED]]  > file
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "xorshift.h"

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: sl_eventgen EVENTS [KEYS [SEED]]\n");
        return 2;
    }
    uint64_t events = strtoull(argv[1], NULL, 10);
    uint64_t keys = argc > 2 ? strtoull(argv[2], NULL, 10) : 1000000;
    rng_state = argc > 3 ? strtoull(argv[3], NULL, 10) : 42;
    if (!rng_state || !keys) {
        fprintf(stderr, "sl_eventgen: KEYS and SEED must be positive\n");
        return 2;
    }
    static char out[1 << 16];
    setvbuf(stdout, out, _IOFBF, sizeof out);
    for (uint64_t i = 0; i < events; i++) {
        uint64_t r = next_random();
        uint64_t key = (i / 100 + (r & 4095)) % keys;
        /* 10 us apart, minus up to 0.5 s of disorder; the first half second is clamped. */
        int64_t us = (int64_t)(i * 10) - (int64_t)((r >> 12) % 500000);
        if (us < 0)
            us = 0;
        int64_t s = us / 1000000;
        printf("k%llu,%llu,2026-01-01 %02lld:%02lld:%02lld.%06lld\n", (unsigned long long)key,
               (unsigned long long)(r >> 40) % 1000, (long long)(s / 3600 % 24),
               (long long)(s / 60 % 60), (long long)(s % 60), (long long)(us % 1000000));
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
