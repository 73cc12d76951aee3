/* hash.h — the one hash function (xxHash's XXH3), so state layouts stay stable. */
#ifndef SL_HASH_H
#define SL_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t sl_hash_bytes(const void *p, size_t n, uint64_t seed);
uint64_t sl_hash_u64(uint64_t x, uint64_t seed);

#endif
