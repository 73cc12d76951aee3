/*
 * join_side.h — the rows one side of a stream join keeps (op_stream_join.c):
 * entries in an array with a free list, chained both ways into hash buckets
 * on the equi-keys (so a row leaves in O(1)), a heap by (expiry, number)
 * that says which leave first, and each row's key and column values encoded
 * into one byte buffer, compacted once half of it is dead. Nothing is
 * allocated per row: the arrays double, the buffer grows.
 */
#ifndef SL_JOIN_SIDE_H
#define SL_JOIN_SIDE_H

#include "common/buf.h"
#include "engine/expr/expr.h"
#include "engine/ops/ops.h"

#define JOIN_NIL UINT32_MAX

/* A kept row. */
struct join_entry {
    uint64_t hash;
    int64_t time;   /* interval: its event time; window: its window's start */
    int64_t expiry; /* dropped once the other side's watermark passes it */
    uint64_t seq;   /* its number on its side: its state row's key */
    uint64_t off;   /* its key values, then its column values, in the side's bytes */
    uint32_t key_len, len;
    uint32_t next, prev; /* hash chain (next: the free list's, when free) */
    bool live, chained, matched, dirty;
};

struct join_dirty {
    uint32_t id;
    uint64_t seq;
};

struct join_side {
    uint32_t ncols, first_out; /* its columns: output columns first_out.. */
    bool *needed; /* needed[c]: column c is read after the join, so kept */
    uint32_t time_col;
    const struct sl_expr *const *keys;
    struct sl_time_state *time; /* its stream's watermark (owned) */
    struct join_entry *e;
    uint32_t n, cap, free;
    uint32_t *buckets, mask, live;
    uint32_t *heap, nheap, cap_heap; /* entry ids by (expiry, seq) */
    struct sl_buf bytes;
    size_t dead;
    uint64_t next_seq;
    /* Rows expiring below this left memory since the last flush: its state
     * rows are dropped as a range; INT64_MIN: none. */
    int64_t dropped_below;
    struct join_dirty *dirty;
    uint32_t ndirty, cap_dirty;
};

/* Sets s up for ncols columns (those after first_out in the join's output);
 * needed[c] false: column c is not kept (NULL: all are). False when out of memory. */
bool join_side_init(struct join_side *s, uint32_t ncols, uint32_t first_out, uint32_t time_col,
                    const struct sl_expr *const *keys, const bool *needed);
void join_side_free(struct join_side *s);

/* Keeps a row whose encoded keys and values are s->bytes[off..] (key_len of
 * them its keys), numbered s->next_seq; chained: findable by hash. Returns
 * its entry, or JOIN_NIL when out of memory. */
uint32_t join_side_keep(struct join_side *s, uint64_t hash, bool chained, int64_t time,
                        int64_t expiry, size_t off, uint32_t key_len, bool matched);
/* A free entry, not kept (join_side_release frees it), or JOIN_NIL when out of memory. */
uint32_t join_side_alloc(struct join_side *s);
/* The entry leaves: unchained and free; its bytes count as dead until compacted. */
void join_side_release(struct join_side *s, uint32_t id);
/* Takes the entry that expires first off the heap (there must be one). */
uint32_t join_side_pop(struct join_side *s);
/* The first entry chained under hash, or JOIN_NIL; entry.next goes on. */
static inline uint32_t join_side_first(const struct join_side *s, uint64_t hash)
{
    return s->mask ? s->buckets[hash & s->mask] : JOIN_NIL;
}

/* Notes that entry id's state row must be written at the flush. False when out of memory. */
bool join_side_mark_dirty(struct join_side *s, uint32_t id);
/* Forgets what was noted for the flush. */
void join_side_clear_delta(struct join_side *s);
/* Moves the live rows' bytes to the front once most of the bytes are dead. */
void join_side_compact(struct join_side *s);

#endif
