/*
 * sl_churngen — deterministic input for the checkpoint benchmark: CSV lines
 * "key,value" of exactly 16 bytes each ("k00001234,04711\n"), so that
 * `max_batch_bytes = 16 * GROUPS / 100` cuts batches exactly between records.
 * First every one of GROUPS keys once, in a random order (the load phase:
 * 100 such batches), then BATCHES batches of GROUPS / 100 keys each, distinct
 * within a batch and drawn at random from all GROUPS (the steady state: 1% of
 * the groups change per batch). Values are random in 0..99999.
 *
 *   sl_churngen GROUPS [BATCHES [SEED]]  > file
 *
 * GROUPS must be a multiple of 100, at least 6,400 (a batch is then at least
 * the 1,024 bytes max_batch_bytes takes) and at most 100,000,000 (8 digits).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "xorshift.h"

#define RECORD_BYTES 16

static void put_record(uint32_t key)
{
    printf("k%08u,%05u\n", (unsigned)key, (unsigned)(next_random() >> 33) % 100000u);
}

/* A uniform integer in [0, n), n > 0 (the modulo bias is negligible for n < 2^32). */
static uint32_t below(uint32_t n)
{
    return (uint32_t)((next_random() >> 16) % n);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: sl_churngen GROUPS [BATCHES [SEED]]\n");
        return 2;
    }
    uint64_t groups = strtoull(argv[1], NULL, 10);
    uint64_t batches = argc > 2 ? strtoull(argv[2], NULL, 10) : 20;
    rng_state = argc > 3 ? strtoull(argv[3], NULL, 10) : 42;
    if (!rng_state || groups % 100 || groups / 100 * RECORD_BYTES < 1024 ||
        groups > 100000000) {
        fprintf(stderr, "sl_churngen: GROUPS must be a multiple of 100 in [6400, 1e8], "
                        "SEED positive\n");
        return 2;
    }
    uint32_t n = (uint32_t)groups, per_batch = n / 100;
    uint32_t *perm = malloc((size_t)n * sizeof *perm);
    if (!perm) {
        fprintf(stderr, "sl_churngen: out of memory\n");
        return 1;
    }
    static char out[1 << 16];
    setvbuf(stdout, out, _IOFBF, sizeof out);
    /* The load phase: a Fisher-Yates shuffle of all the keys. */
    for (uint32_t i = 0; i < n; i++)
        perm[i] = i;
    for (uint32_t i = n - 1; i > 0; i--) {
        uint32_t j = below(i + 1), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    for (uint32_t i = 0; i < n; i++)
        put_record(perm[i]);
    /* Each steady batch: a partial shuffle draws per_batch distinct keys. */
    for (uint64_t b = 0; b < batches; b++) {
        for (uint32_t i = 0; i < per_batch; i++) {
            uint32_t j = i + below(n - i), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
            put_record(perm[i]);
        }
    }
    free(perm);
    return fflush(stdout) == 0 ? 0 : 1;
}
