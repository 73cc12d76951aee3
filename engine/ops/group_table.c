/*
 * group_table.c — the group hash table (see group_table.h).
 *
 * Layout: groups live in one growable array of fixed-size entries (the
 * hash, each key in a cell, then the payload), addressed by group id.
 * The table is open addressing with linear probing over 8-byte slots
 * (group id + 1, and 32 hash bits that reject most mismatches without
 * touching the entry); its capacity is a power of two kept under 70% load.
 * A find hashes every key column in one loop per column, then finds or
 * creates the group of each row, fetching slots and entries ahead.
 *
 * TEXT keys are kept compact and local ("German strings"): a 16-byte cell
 * of length + the bytes inline when they fit in 12, else length + a 4-byte
 * prefix + a pointer to the whole key in the table's arena. The probing
 * row's key is put in the same form first, so most comparisons are two
 * word compares on the entry's cache line, with no second cache miss and
 * no memcmp call. Other key types are kept as sl_values.
 */
#include "engine/ops/group_table.h"

#include <string.h>

#include "common/alloc.h"
#include "common/assert.h"
#include "common/hash.h"
#include "engine/values/sqlval.h"

struct gt_slot {
    uint32_t gid1; /* group id + 1; 0 = empty */
    uint32_t tag;  /* high 32 bits of the hash */
};

/* A TEXT key cell, compared as two 8-byte words: (len, b[0..4)) and b[4..12). */
struct gt_text {
    uint32_t len; /* GT_NULL_LEN: the key is NULL (b all zero) */
    char b[12];   /* len <= 12: the bytes, zero-padded; else 4-byte prefix + pointer */
};

#define GT_INLINE_MAX 12u
#define GT_NULL_LEN UINT32_MAX
#define GT_KEYS_OFF sizeof(uint64_t) /* after the entry's hash */
#define GT_POOL_BLOCK (64 * 1024)

_Static_assert(sizeof(struct gt_text) == 16, "a text cell is two words");
_Static_assert(sizeof(const char *) <= 8, "a pointer fits after the 4-byte prefix");

enum gt_kind {
    GT_KEY_TEXT,  /* struct gt_text */
    GT_KEY_VALUE, /* struct sl_value */
};

struct gt_key {
    enum gt_kind kind;
    size_t off;            /* of the cell in an entry */
    struct gt_text *probe; /* TEXT: the chunk's keys as cells, by active row */
};

/* What a find needs for one chunk; the tables of one operator share it. */
struct sl_group_scratch {
    uint64_t hashes[SL_CHUNK_CAP];
    struct gt_text *probes; /* SL_CHUNK_CAP cells per TEXT key */
};

struct sl_group_table {
    uint32_t nkeys;
    struct gt_key *keys;
    struct sl_group_scratch *scratch; /* borrowed */
    size_t payload_off;
    size_t entry_size;

    unsigned char *groups; /* ngroups entries of entry_size bytes */
    uint32_t ngroups, cap_groups;
    struct gt_slot *slots;
    uint32_t mask; /* slot count - 1 */

    struct sl_arena *keep; /* key bytes and what payloads keep */
    size_t pool_block;     /* bytes of pool taken at a time */
    char *pool;            /* bump region for key bytes (no per-key alignment) */
    size_t pool_left;
};

static inline unsigned char *entry_at(const struct sl_group_table *t, uint32_t gid)
{
    SL_ASSERT(gid < t->ngroups);
    return t->groups + (size_t)gid * t->entry_size;
}

static inline uint64_t entry_hash(const struct sl_group_table *t, uint32_t gid)
{
    uint64_t h;
    memcpy(&h, entry_at(t, gid), sizeof h);
    return h;
}

static inline void *key_cell(const struct sl_group_table *t, uint32_t gid, uint32_t col)
{
    return entry_at(t, gid) + t->keys[col].off;
}

static inline uint64_t word_at(const void *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return w;
}

static inline const char *text_ptr(const struct gt_text *t)
{
    const char *p;
    memcpy(&p, t->b + 4, sizeof p);
    return p;
}

/* True when the cell holds all its bytes (NULL included: its b is zero). */
static inline bool text_inline(uint32_t len)
{
    return len <= GT_INLINE_MAX || len == GT_NULL_LEN;
}

/* Puts the key (p, len) in cell form. Overlapping fixed-size copies instead
 * of memcpy(len): a call per row would cost more than the whole compare. */
static inline void text_cell(struct gt_text *t, const char *p, uint32_t len)
{
    memset(t, 0, sizeof *t);
    t->len = len;
    if (len > GT_INLINE_MAX) {
        memcpy(t->b, p, 4);
        memcpy(t->b + 4, &p, sizeof p);
    } else if (len >= 8) {
        memcpy(t->b, p, 8);
        memcpy(t->b + len - 4, p + len - 4, 4);
    } else if (len >= 4) {
        memcpy(t->b, p, 4);
        memcpy(t->b + len - 4, p + len - 4, 4);
    } else if (len > 0) {
        t->b[0] = p[0];
        t->b[len / 2] = p[len / 2];
        t->b[len - 1] = p[len - 1];
    }
}

static inline bool text_equal(const struct gt_text *stored, const struct gt_text *probe)
{
    if (word_at(stored) != word_at(probe))
        return false; /* length or first 4 bytes differ */
    if (text_inline(stored->len))
        return word_at(stored->b + 4) == word_at(probe->b + 4);
    /* Past the prefix, by 8-byte words, the last one overlapping (len - 4 >= 9). */
    const char *a = text_ptr(stored) + 4, *b = text_ptr(probe) + 4;
    uint32_t n = stored->len - 4;
    for (uint32_t i = 0; i + 8 < n; i += 8) {
        if (word_at(a + i) != word_at(b + i))
            return false;
    }
    return word_at(a + n - 8) == word_at(b + n - 8);
}

/* Hashes the key columns of every row into the scratch's hashes[k] and puts TEXT keys
 * in cell form; false if a text key is too long to be one. */
static bool hash_keys(struct sl_group_table *t, const struct sl_chunk *c, const uint32_t *rows,
                      uint32_t n)
{
    uint64_t *hs = t->scratch->hashes;
    for (uint32_t col = 0; col < t->nkeys; col++) {
        const struct sl_vector *v = &c->cols[col];
        const uint8_t *nulls = v->nulls;
        bool first = col == 0;
        struct gt_text *probe = t->keys[col].probe;
        if (t->keys[col].kind == GT_KEY_TEXT) {
            for (uint32_t k = 0; k < n; k++) {
                uint32_t i = rows[k];
                uint64_t kh;
                if (nulls[i]) {
                    text_cell(&probe[k], NULL, 0);
                    probe[k].len = GT_NULL_LEN;
                    kh = SQLVAL_NULL_HASH;
                } else {
                    struct sl_str s = v->data.s[i];
                    if (s.len == GT_NULL_LEN)
                        return false;
                    text_cell(&probe[k], s.ptr, s.len);
                    kh = sl_hash_bytes(s.ptr, s.len, SQLVAL_SEED);
                }
                hs[k] = first ? kh : group_hash_mix(hs[k], kh);
            }
            continue;
        }
        for (uint32_t k = 0; k < n; k++) {
            uint64_t kh = group_key_hash(v, rows[k]);
            hs[k] = first ? kh : group_hash_mix(hs[k], kh);
        }
    }
    if (t->nkeys == 0)
        memset(hs, 0, sizeof *hs * n);
    return true;
}

static inline bool value_equal(const struct sl_value *stored, const struct sl_vector *v,
                               uint32_t i)
{
    if (v->nulls[i])
        return stored->type == SL_NULL;
    if (stored->type == SL_NULL)
        return false;
    switch (v->type) {
    case SL_INT:
    case SL_TIMESTAMP: return stored->u.i == v->data.i[i];
    default: return sqlval_compare(*stored, vector_get(v, i)) == 0;
    }
}

/* Whether group gid's keys equal those of row k (physical row i) of c. */
static inline bool keys_equal(const struct sl_group_table *t, uint32_t gid,
                              const struct sl_chunk *c, uint32_t k, uint32_t i)
{
    for (uint32_t col = 0; col < t->nkeys; col++) {
        const struct gt_key *key = &t->keys[col];
        const void *cell = key_cell(t, gid, col);
        if (key->kind == GT_KEY_TEXT ? !text_equal(cell, &key->probe[k])
                                     : !value_equal(cell, &c->cols[col], i))
            return false;
    }
    return true;
}

static const char *keep_bytes(struct sl_group_table *t, const char *p, uint32_t len)
{
    if (len > t->pool_left) {
        size_t size = len > t->pool_block ? len : t->pool_block;
        t->pool = arena_alloc(t->keep, size);
        if (!t->pool) {
            t->pool_left = 0;
            return NULL;
        }
        t->pool_left = size;
    }
    char *d = t->pool;
    memcpy(d, p, len);
    t->pool += len;
    t->pool_left -= len;
    return d;
}

/* Copies a text cell into the entry, its long bytes into the table's arena. */
static bool store_text(struct sl_group_table *t, struct gt_text *dst, const struct gt_text *src)
{
    *dst = *src;
    if (text_inline(dst->len))
        return true;
    const char *kept = keep_bytes(t, text_ptr(dst), dst->len);
    if (!kept)
        return false;
    memcpy(dst->b + 4, &kept, sizeof kept);
    return true;
}

/* A value key into its cell; text (a key of varying type can be TEXT) is
 * copied into the table's arena, since the chunk's strings do not outlive it. */
static bool store_value(struct sl_group_table *t, struct sl_value *dst, struct sl_value v)
{
    if (v.type == SL_TEXT && v.u.s.len) {
        v.u.s.ptr = keep_bytes(t, v.u.s.ptr, v.u.s.len);
        if (!v.u.s.ptr)
            return false;
    }
    *dst = v;
    return true;
}

/* Appends a group with a zeroed payload; its keys are then set by the caller. */
static uint32_t append_group(struct sl_group_table *t, uint64_t hash)
{
    SL_ASSERT(t->ngroups < t->cap_groups); /* reserve() made room */
    uint32_t gid = t->ngroups++;
    unsigned char *e = entry_at(t, gid);
    memset(e, 0, t->entry_size);
    memcpy(e, &hash, sizeof hash);
    return gid;
}

/* Appends a group for row k (physical row i) of c; false when out of memory. */
static bool new_group(struct sl_group_table *t, const struct sl_chunk *c, uint32_t k, uint32_t i,
                      uint64_t hash, uint32_t *gid)
{
    *gid = append_group(t, hash);
    for (uint32_t col = 0; col < t->nkeys; col++) {
        const struct gt_key *key = &t->keys[col];
        if (key->kind == GT_KEY_VALUE) {
            if (!store_value(t, key_cell(t, *gid, col), vector_get(&c->cols[col], i)))
                return false;
        } else if (!store_text(t, key_cell(t, *gid, col), &key->probe[k])) {
            return false;
        }
    }
    return true;
}

static bool rehash(struct sl_group_table *t, uint32_t nslots)
{
    struct gt_slot *slots = sl_calloc(nslots, sizeof *slots);
    if (!slots)
        return false;
    uint32_t mask = nslots - 1;
    for (uint32_t gid = 0; gid < t->ngroups; gid++) {
        uint64_t hash = entry_hash(t, gid);
        uint32_t pos = (uint32_t)hash & mask;
        while (slots[pos].gid1)
            pos = (pos + 1) & mask;
        slots[pos].gid1 = gid + 1;
        slots[pos].tag = (uint32_t)(hash >> 32);
    }
    sl_free(t->slots);
    t->slots = slots;
    t->mask = mask;
    return true;
}

/* Makes room for `more` new groups: entry array, and slots under 70% load. */
static bool reserve(struct sl_group_table *t, uint32_t more)
{
    uint64_t need = (uint64_t)t->ngroups + more;
    if (need > UINT32_MAX / 2)
        return false;
    if (need > t->cap_groups) {
        uint32_t cap = t->cap_groups ? t->cap_groups : 16;
        while (cap < need)
            cap *= 2;
        unsigned char *groups = sl_realloc(t->groups, (size_t)cap * t->entry_size);
        if (!groups)
            return false;
        t->groups = groups;
        t->cap_groups = cap;
    }
    uint64_t nslots = (uint64_t)t->mask + 1;
    if (need * 10 > nslots * 7) {
        while (need * 10 > nslots * 7)
            nslots *= 2;
        return rehash(t, (uint32_t)nslots);
    }
    return true;
}

/* Distances (in rows) at which the find fetches ahead: a slot first,
 * then, once that slot has arrived, the entry it points to. */
#define GT_AHEAD_SLOT 32
#define GT_AHEAD_ENTRY 16

sl_status group_table_find(struct sl_group_table *t, const struct sl_chunk *c,
                           const uint32_t *rows, uint32_t n, uint32_t *gids,
                           struct sl_error *err)
{
    if (!reserve(t, n))
        return sl_error_set(err, SL_NOMEM, "out of memory in aggregate (%u groups)", t->ngroups);
    if (!hash_keys(t, c, rows, n))
        return sl_error_set(err, SL_ERROR, "a GROUP BY text key is too long (4 GiB)");
    const uint32_t mask = t->mask;
    struct gt_slot *slots = t->slots;
    const uint64_t *hashes = t->scratch->hashes;
    for (uint32_t k = 0; k < n; k++) {
        if (k + GT_AHEAD_SLOT < n)
            __builtin_prefetch(&slots[(uint32_t)hashes[k + GT_AHEAD_SLOT] & mask]);
        if (k + GT_AHEAD_ENTRY < n) {
            uint32_t ahead = slots[(uint32_t)hashes[k + GT_AHEAD_ENTRY] & mask].gid1;
            if (ahead) { /* an entry may straddle two cache lines */
                const unsigned char *e = entry_at(t, ahead - 1);
                __builtin_prefetch(e);
                __builtin_prefetch(e + t->entry_size - 1);
            }
        }
        uint64_t hash = hashes[k];
        uint32_t tag = (uint32_t)(hash >> 32), pos = (uint32_t)hash & mask, i = rows[k];
        for (;;) {
            struct gt_slot *s = &slots[pos];
            if (s->gid1 == 0) {
                if (!new_group(t, c, k, i, hash, &gids[k]))
                    return sl_error_set(err, SL_NOMEM, "out of memory in aggregate (%u groups)",
                                        t->ngroups);
                s->gid1 = gids[k] + 1;
                s->tag = tag;
                break;
            }
            if (s->tag == tag && keys_equal(t, s->gid1 - 1, c, k, i)) {
                gids[k] = s->gid1 - 1;
                break;
            }
            pos = (pos + 1) & mask;
        }
    }
    return SL_OK;
}

static bool values_equal(const struct sl_value *x, const struct sl_value *y)
{
    if (x->type == SL_NULL || y->type == SL_NULL)
        return x->type == y->type;
    return sqlval_compare(*x, *y) == 0;
}

/* Whether group a of t and group b of o have equal keys (o has t's key types). */
static bool groups_equal(const struct sl_group_table *t, uint32_t a, const struct sl_group_table *o,
                         uint32_t b)
{
    for (uint32_t col = 0; col < t->nkeys; col++) {
        const void *x = key_cell(t, a, col), *y = key_cell(o, b, col);
        if (t->keys[col].kind == GT_KEY_TEXT ? !text_equal(x, y) : !values_equal(x, y))
            return false;
    }
    return true;
}

uint32_t group_table_lookup(const struct sl_group_table *t, const struct sl_group_table *other,
                            uint32_t ogid)
{
    uint64_t hash = entry_hash(other, ogid);
    uint32_t tag = (uint32_t)(hash >> 32);
    for (uint32_t pos = (uint32_t)hash & t->mask;; pos = (pos + 1) & t->mask) {
        const struct gt_slot *s = &t->slots[pos];
        if (s->gid1 == 0)
            return GROUP_NONE;
        if (s->tag == tag && groups_equal(t, s->gid1 - 1, other, ogid))
            return s->gid1 - 1;
    }
}

/* Points a free slot at group gid (whose entry holds hash). */
static void place_slot(struct sl_group_table *t, uint32_t gid, uint64_t hash)
{
    uint32_t pos = (uint32_t)hash & t->mask;
    while (t->slots[pos].gid1)
        pos = (pos + 1) & t->mask;
    t->slots[pos].gid1 = gid + 1;
    t->slots[pos].tag = (uint32_t)(hash >> 32);
}

uint32_t group_table_insert_from(struct sl_group_table *t, const struct sl_group_table *other,
                                 uint32_t ogid)
{
    if (!reserve(t, 1))
        return GROUP_NONE;
    uint64_t hash = entry_hash(other, ogid);
    uint32_t gid = append_group(t, hash);
    for (uint32_t col = 0; col < t->nkeys; col++) {
        void *dst = key_cell(t, gid, col);
        const void *src = key_cell(other, ogid, col);
        if (t->keys[col].kind == GT_KEY_VALUE) {
            if (!store_value(t, dst, *(const struct sl_value *)src))
                return GROUP_NONE;
        } else if (!store_text(t, dst, src)) {
            return GROUP_NONE;
        }
    }
    place_slot(t, gid, hash);
    return gid;
}

/* The hash group_table_find gives a chunk's row with these key values:
 * sqlval_hash agrees with its per-type hashes, NULL included. */
static uint64_t values_hash(const struct sl_group_table *t, const struct sl_value *keys)
{
    uint64_t h = 0;
    for (uint32_t col = 0; col < t->nkeys; col++) {
        uint64_t kh = sqlval_hash(keys[col]);
        h = col ? group_hash_mix(h, kh) : kh;
    }
    return h;
}

/* A TEXT key value (or NULL) in cell form; false for a length the cell cannot say. */
static bool value_cell(struct gt_text *cell, struct sl_value v)
{
    if (v.type == SL_NULL) {
        text_cell(cell, NULL, 0);
        cell->len = GT_NULL_LEN;
        return true;
    }
    if (v.u.s.len == GT_NULL_LEN)
        return false;
    text_cell(cell, v.u.s.ptr, v.u.s.len);
    return true;
}

uint32_t group_table_lookup_values(const struct sl_group_table *t, const struct sl_value *keys)
{
    uint64_t hash = values_hash(t, keys);
    uint32_t tag = (uint32_t)(hash >> 32);
    for (uint32_t pos = (uint32_t)hash & t->mask;; pos = (pos + 1) & t->mask) {
        const struct gt_slot *s = &t->slots[pos];
        if (s->gid1 == 0)
            return GROUP_NONE;
        if (s->tag != tag)
            continue;
        bool equal = true;
        for (uint32_t col = 0; col < t->nkeys && equal; col++) {
            const void *cell = key_cell(t, s->gid1 - 1, col);
            struct gt_text probe;
            if (t->keys[col].kind == GT_KEY_VALUE)
                equal = values_equal(cell, &keys[col]);
            else
                equal = value_cell(&probe, keys[col]) && text_equal(cell, &probe);
        }
        if (equal)
            return s->gid1 - 1;
    }
}

uint32_t group_table_insert_values(struct sl_group_table *t, const struct sl_value *keys)
{
    if (!reserve(t, 1))
        return GROUP_NONE;
    uint64_t hash = values_hash(t, keys);
    uint32_t gid = append_group(t, hash);
    for (uint32_t col = 0; col < t->nkeys; col++) {
        struct gt_text probe;
        bool ok = t->keys[col].kind == GT_KEY_VALUE
                      ? store_value(t, key_cell(t, gid, col), keys[col])
                      : value_cell(&probe, keys[col]) &&
                            store_text(t, key_cell(t, gid, col), &probe);
        if (!ok) { /* no slot points at it yet: forget it */
            t->ngroups--;
            return GROUP_NONE;
        }
    }
    place_slot(t, gid, hash);
    return gid;
}

uint32_t group_table_count(const struct sl_group_table *t)
{
    return t->ngroups;
}

void *group_table_payload(const struct sl_group_table *t, uint32_t gid)
{
    return entry_at(t, gid) + t->payload_off;
}

struct sl_value group_table_key(const struct sl_group_table *t, uint32_t gid, uint32_t col)
{
    const void *cell = key_cell(t, gid, col);
    if (t->keys[col].kind == GT_KEY_VALUE)
        return *(const struct sl_value *)cell;
    const struct gt_text *text = cell;
    if (text->len == GT_NULL_LEN)
        return sl_null();
    struct sl_value v = {.type = SL_TEXT};
    v.u.s.ptr = text->len <= GT_INLINE_MAX ? text->b : text_ptr(text);
    v.u.s.len = text->len;
    return v;
}

struct sl_arena *group_table_arena(const struct sl_group_table *t)
{
    return t->keep;
}

uint64_t group_table_bytes(const struct sl_group_table *t)
{
    return sizeof *t + arena_reserved(t->keep) + (uint64_t)t->cap_groups * t->entry_size +
           ((uint64_t)t->mask + 1) * sizeof *t->slots;
}

void group_table_destroy(struct sl_group_table *t)
{
    if (!t)
        return;
    sl_free(t->groups);
    sl_free(t->slots);
    sl_free(t->keys);
    arena_destroy(t->keep);
    sl_free(t);
}

struct sl_group_scratch *group_scratch_create(uint32_t nkeys, const enum sl_type *key_types)
{
    uint32_t ntext = 0;
    for (uint32_t col = 0; col < nkeys; col++)
        ntext += key_types[col] == SL_TEXT;
    struct sl_group_scratch *s = sl_calloc(1, sizeof *s);
    if (s)
        s->probes = sl_calloc(ntext ? (size_t)ntext * SL_CHUNK_CAP : 1, sizeof *s->probes);
    if (s && !s->probes) {
        sl_free(s);
        return NULL;
    }
    return s;
}

void group_scratch_destroy(struct sl_group_scratch *s)
{
    if (!s)
        return;
    sl_free(s->probes);
    sl_free(s);
}

struct sl_group_table *group_table_create(uint32_t nkeys, const enum sl_type *key_types,
                                          size_t payload_size, size_t arena_block,
                                          struct sl_group_scratch *scratch)
{
    struct sl_group_table *t = sl_calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->nkeys = nkeys;
    t->scratch = scratch;
    t->keys = sl_calloc(nkeys ? nkeys : 1, sizeof *t->keys);
    t->slots = sl_calloc(16, sizeof *t->slots);
    t->mask = 15;
    t->keep = arena_create(arena_block);
    t->pool_block = arena_block < GT_POOL_BLOCK ? arena_block : GT_POOL_BLOCK;
    if (!t->keys || !t->slots || !t->keep) {
        group_table_destroy(t);
        return NULL;
    }
    /* Entries: the hash, key cells, then the payload at an 8-byte boundary. */
    size_t off = GT_KEYS_OFF;
    struct gt_text *probe = scratch->probes;
    for (uint32_t col = 0; col < nkeys; col++) {
        struct gt_key *key = &t->keys[col];
        key->off = off;
        if (key_types[col] == SL_TEXT) {
            key->kind = GT_KEY_TEXT;
            key->probe = probe;
            probe += SL_CHUNK_CAP;
            off += sizeof(struct gt_text);
        } else {
            key->kind = GT_KEY_VALUE;
            off += sizeof(struct sl_value);
        }
    }
    t->payload_off = (off + 7) & ~(size_t)7;
    t->entry_size = (t->payload_off + payload_size + 7) & ~(size_t)7;
    return t;
}
