/* hash.c — thin wrappers over libxxhash. */
#include "common/hash.h"

#include <xxhash.h>

uint64_t sl_hash_bytes(const void *p, size_t n, uint64_t seed)
{
    return XXH3_64bits_withSeed(p, n, seed);
}

uint64_t sl_hash_u64(uint64_t x, uint64_t seed)
{
    return XXH3_64bits_withSeed(&x, sizeof x, seed);
}
