/*
 * row_checksum.c — the checksums of state rows and checkpoints. A bit
 * flipped on disk, or a hand edit, in the bytes a query resumes from would
 * otherwise decode into wrong values as often as into an error; the
 * checksum turns every such change into a refusal. A NULL checksum is a row
 * written before they existed (schema version 5) and is trusted.
 */
#include "storage/db_internal.h"

#include <string.h>

#include "common/hash.h"

int64_t db_state_checksum(uint32_t op, const void *key, size_t key_len, const void *state,
                          size_t state_len)
{
    /* The key seeds the state's hash: a state moved to another key or
     * operator no longer matches. */
    uint64_t seed = sl_hash_bytes(key_len ? key : "", key_len, op);
    return (int64_t)sl_hash_bytes(state_len ? state : "", state_len, seed);
}

/* Hashes s and its length into h (NULL hashes apart from ""). */
static uint64_t hash_text(uint64_t h, const char *s)
{
    if (!s)
        return sl_hash_u64(UINT64_MAX, h);
    size_t n = strlen(s);
    return sl_hash_bytes(s, n, sl_hash_u64(n, h));
}

int64_t db_checkpoint_checksum(const struct db_checkpoint *c)
{
    uint64_t h = sl_hash_u64((uint64_t)c->batch_id, 0);
    h = sl_hash_u64(c->offset, h);
    h = hash_text(h, c->source);
    h = hash_text(h, c->identity && c->identity[0] ? c->identity : NULL);
    h = hash_text(h, c->plan[0] ? c->plan : NULL);
    h = hash_text(h, c->position && c->position[0] ? c->position : NULL);
    return (int64_t)h;
}
