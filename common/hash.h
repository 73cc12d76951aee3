/*
 * hash.h — the one hash function (xxHash's XXH3), so state layouts stay
 * stable. Inlined from libxxhash's header: hashing a short key is on the
 * per-row hot path, where a call into the shared library costs as much as
 * the hash itself.
 */
#ifndef SL_HASH_H
#define SL_HASH_H

#include <stddef.h>
#include <stdint.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

static inline uint64_t sl_hash_bytes(const void *p, size_t n, uint64_t seed)
{
    return XXH3_64bits_withSeed(p, n, seed);
}

static inline uint64_t sl_hash_u64(uint64_t x, uint64_t seed)
{
    return XXH3_64bits_withSeed(&x, sizeof x, seed);
}

#endif
