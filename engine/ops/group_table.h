/*
 * group_table.h — a hash table from group keys to fixed-size payloads: the
 * state of GROUP BY. The hash aggregate keeps one table; a window aggregate
 * keeps one per open time slice and drops it whole when the slice closes,
 * which is how state is evicted without deleting entries one by one.
 *
 * Groups are numbered 0, 1, 2, ... in creation order; a new group's payload
 * is zeroed. Keys are the first nkeys columns of the chunks given to
 * group_table_find; TEXT keys are copied into the table's arena, which the
 * caller may use for what its payloads keep (aggregates' text).
 */
#ifndef SL_GROUP_TABLE_H
#define SL_GROUP_TABLE_H

#include "common/chunk.h"
#include "common/hash.h"
#include "common/status.h"
#include "engine/values/sqlval.h"

#define GROUP_NONE UINT32_MAX

/* How group_table_find hashes keys, for whoever must agree with it (the
 * exchange routes a row to a partition by its keys' hash): the value at row
 * i of a key column (sqlval_hash's rule, NULL included: keys the table takes
 * as equal hash alike), and the columns' hashes mixed in key order. */
static inline uint64_t group_key_hash(const struct sl_vector *v, uint32_t i)
{
    if (v->nulls[i])
        return SQLVAL_NULL_HASH;
    if (v->type == SL_INT || v->type == SL_TIMESTAMP)
        return sl_hash_u64((uint64_t)v->data.i[i], SQLVAL_SEED);
    if (v->type == SL_TEXT)
        return sl_hash_bytes(v->data.s[i].ptr, v->data.s[i].len, SQLVAL_SEED);
    return sqlval_hash(vector_get(v, i));
}

static inline uint64_t group_hash_mix(uint64_t h, uint64_t k)
{
    return (h ^ (k + UINT64_C(0x9e3779b97f4a7c15) + (h << 6) + (h >> 2))) *
           UINT64_C(0xff51afd7ed558ccd);
}

struct sl_group_table;

/* The per-chunk working memory of finds (hashes, text keys in cell form,
 * about 16 KiB + 32 KiB per TEXT key), shared by the tables of one operator,
 * which use it one at a time: a window operator keeps many small tables. */
struct sl_group_scratch;
struct sl_group_scratch *group_scratch_create(uint32_t nkeys, const enum sl_type *key_types);
void group_scratch_destroy(struct sl_group_scratch *s);

/* arena_block: the size of the arena's blocks (small for many small tables);
 * scratch: made for the same keys, outliving the table. NULL when out of memory. */
struct sl_group_table *group_table_create(uint32_t nkeys, const enum sl_type *key_types,
                                          size_t payload_size, size_t arena_block,
                                          struct sl_group_scratch *scratch);
void group_table_destroy(struct sl_group_table *t);

/* The group of each of the n rows (physical rows rows[k]) into gids[k], created when new. */
sl_status group_table_find(struct sl_group_table *t, const struct sl_chunk *c,
                           const uint32_t *rows, uint32_t n, uint32_t *gids,
                           struct sl_error *err);

uint32_t group_table_count(const struct sl_group_table *t);
void *group_table_payload(const struct sl_group_table *t, uint32_t gid);
/* Key col of group gid; its text stays valid while the table lives. */
struct sl_value group_table_key(const struct sl_group_table *t, uint32_t gid, uint32_t col);

/* The group of t with the keys of group ogid of other (same key types); GROUP_NONE if none. */
uint32_t group_table_lookup(const struct sl_group_table *t, const struct sl_group_table *other,
                            uint32_t ogid);
/* Adds a group with the keys of group ogid of other, absent from t; GROUP_NONE when out of memory. */
uint32_t group_table_insert_from(struct sl_group_table *t, const struct sl_group_table *other,
                                 uint32_t ogid);

/* The group with these key values (keys[col] of column col's key type, or
 * NULL; text copied in), found as a chunk's row with them would be; for
 * groups read back from a checkpoint. GROUP_NONE if absent. */
uint32_t group_table_lookup_values(const struct sl_group_table *t, const struct sl_value *keys);
/* Adds a group with these key values, absent from t; GROUP_NONE when out of memory. */
uint32_t group_table_insert_values(struct sl_group_table *t, const struct sl_value *keys);

/* The table's long-lived arena (keys, and what payloads keep). */
struct sl_arena *group_table_arena(const struct sl_group_table *t);
/* Bytes the table holds (entries, slots, arena). */
uint64_t group_table_bytes(const struct sl_group_table *t);

#endif
