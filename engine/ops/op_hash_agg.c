/*
 * op_hash_agg.c — GROUP BY: a hash table from group keys to aggregate
 * states, updated a chunk at a time, emitting the groups that changed at
 * every flush (INSERT the first time, UPDATE after).
 *
 * Layout: groups live in one growable array of fixed-size entries (header,
 * each key in a cell, then each aggregate's state), addressed by group id.
 * The table is open addressing with linear probing over 8-byte slots
 * (group id + 1, and 32 hash bits that reject most mismatches without
 * touching the entry); its capacity is a power of two kept under 70% load.
 * A push hashes every key column in one loop per column, finds or creates
 * the group id of each row, then calls each aggregate's step once for the
 * whole chunk.
 *
 * TEXT keys are kept compact and local ("German strings"): a 16-byte cell
 * of length + the bytes inline when they fit in 12, else length + a 4-byte
 * prefix + a pointer to the whole key in the operator's own arena. The
 * probing row's key is put in the same form first, so most comparisons are
 * two word compares on the entry's cache line, with no second cache miss
 * and no memcmp call. Other key types are kept as sl_values.
 */
#include <stddef.h>
#include <string.h>

#include "common/alloc.h"
#include "common/hash.h"
#include "engine/ops/ops.h"
#include "engine/rowsel.h"
#include "engine/sqlval.h"

struct hagg_group {
    uint64_t hash;
    uint8_t changed; /* updated since the last flush (and listed in `changed`) */
    uint8_t emitted; /* emitted at an earlier flush: the next emission is an UPDATE */
};

struct hagg_slot {
    uint32_t gid1; /* group id + 1; 0 = empty */
    uint32_t tag;  /* high 32 bits of the hash */
};

/* A TEXT key cell, compared as two 8-byte words: (len, b[0..4)) and b[4..12). */
struct hagg_text {
    uint32_t len; /* HAGG_NULL_LEN: the key is NULL (b all zero) */
    char b[12];   /* len <= 12: the bytes, zero-padded; else 4-byte prefix + pointer */
};

#define HAGG_INLINE_MAX 12u
#define HAGG_NULL_LEN UINT32_MAX

_Static_assert(sizeof(struct hagg_text) == 16, "a text cell is two words");
_Static_assert(sizeof(const char *) <= 8, "a pointer fits after the 4-byte prefix");

enum hagg_kind {
    HAGG_KEY_TEXT,  /* struct hagg_text */
    HAGG_KEY_VALUE, /* struct sl_value */
};

struct hagg_key {
    enum hagg_kind kind;
    size_t off;              /* of the cell in an entry */
    struct hagg_text *probe; /* TEXT: the chunk's keys as cells, by active row */
};

#define HAGG_KEYS_OFF ((sizeof(struct hagg_group) + 7) & ~(size_t)7)
#define HAGG_POOL_BLOCK (64 * 1024)

struct hagg_op {
    struct sl_op base;
    uint32_t nkeys, naggs;
    struct hagg_key *keys;
    struct hagg_text *probes; /* SL_CHUNK_CAP cells per TEXT key */
    struct sl_agg_spec *aggs; /* copies of the specs (names stay in out_names) */
    size_t *state_off;        /* offset of each aggregate's state in an entry */
    size_t entry_size;

    unsigned char *groups; /* ngroups entries of entry_size bytes */
    uint32_t ngroups, cap_groups;
    struct hagg_slot *slots;
    uint32_t mask; /* slot count - 1 */
    uint32_t *changed;
    uint32_t nchanged;

    struct sl_arena *keep; /* key bytes and aggregates' kept text */
    char *pool;            /* bump region for key bytes (no per-key alignment) */
    size_t pool_left;

    uint64_t hashes[SL_CHUNK_CAP];
    uint32_t gids[SL_CHUNK_CAP];
    void *states[SL_CHUNK_CAP];
};

static inline struct hagg_group *group_at(const struct hagg_op *h, uint32_t gid)
{
    return (struct hagg_group *)(h->groups + (size_t)gid * h->entry_size);
}

static inline void *key_cell(const struct hagg_op *h, struct hagg_group *g, uint32_t col)
{
    return (unsigned char *)g + h->keys[col].off;
}

static inline uint64_t word_at(const void *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return w;
}

static inline const char *text_ptr(const struct hagg_text *t)
{
    const char *p;
    memcpy(&p, t->b + 4, sizeof p);
    return p;
}

/* True when the cell holds all its bytes (NULL included: its b is zero). */
static inline bool text_inline(uint32_t len)
{
    return len <= HAGG_INLINE_MAX || len == HAGG_NULL_LEN;
}

/* Puts the key (p, len) in cell form. Overlapping fixed-size copies instead
 * of memcpy(len): a call per row would cost more than the whole compare. */
static inline void text_cell(struct hagg_text *t, const char *p, uint32_t len)
{
    memset(t, 0, sizeof *t);
    t->len = len;
    if (len > HAGG_INLINE_MAX) {
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

static inline bool text_equal(const struct hagg_text *stored, const struct hagg_text *probe)
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

static inline uint64_t hash_mix(uint64_t h, uint64_t k)
{
    return (h ^ (k + UINT64_C(0x9e3779b97f4a7c15) + (h << 6) + (h >> 2))) *
           UINT64_C(0xff51afd7ed558ccd);
}

/* Hashes the key columns of every active row into h->hashes[k] and puts
 * TEXT keys in cell form; false if a text key is too long to be one. */
static bool hash_keys(struct hagg_op *h, const struct sl_chunk *c, const uint32_t *rows,
                      uint32_t n)
{
    uint64_t *hs = h->hashes;
    for (uint32_t col = 0; col < h->nkeys; col++) {
        const struct sl_vector *v = &c->cols[col];
        const uint8_t *nulls = v->nulls;
        bool first = col == 0;
        struct hagg_text *probe = h->keys[col].probe;
        if (h->keys[col].kind == HAGG_KEY_TEXT) {
            for (uint32_t k = 0; k < n; k++) {
                uint32_t i = rows[k];
                uint64_t kh;
                if (nulls[i]) {
                    text_cell(&probe[k], NULL, 0);
                    probe[k].len = HAGG_NULL_LEN;
                    kh = SQLVAL_NULL_HASH;
                } else {
                    struct sl_str s = v->data.s[i];
                    if (s.len == HAGG_NULL_LEN)
                        return false;
                    text_cell(&probe[k], s.ptr, s.len);
                    kh = sl_hash_bytes(s.ptr, s.len, SQLVAL_SEED);
                }
                hs[k] = first ? kh : hash_mix(hs[k], kh);
            }
            continue;
        }
        for (uint32_t k = 0; k < n; k++) {
            uint32_t i = rows[k];
            uint64_t kh;
            if (nulls[i])
                kh = SQLVAL_NULL_HASH;
            else if (v->type == SL_INT || v->type == SL_TIMESTAMP)
                kh = sl_hash_u64((uint64_t)v->data.i[i], SQLVAL_SEED);
            else
                kh = sqlval_hash(vector_get(v, i));
            hs[k] = first ? kh : hash_mix(hs[k], kh);
        }
    }
    if (h->nkeys == 0)
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

/* Whether group g's keys equal those of active row k (physical row i) of c. */
static inline bool keys_equal(const struct hagg_op *h, struct hagg_group *g,
                              const struct sl_chunk *c, uint32_t k, uint32_t i)
{
    for (uint32_t col = 0; col < h->nkeys; col++) {
        const struct hagg_key *key = &h->keys[col];
        const void *cell = key_cell(h, g, col);
        if (key->kind == HAGG_KEY_TEXT ? !text_equal(cell, &key->probe[k])
                                       : !value_equal(cell, &c->cols[col], i))
            return false;
    }
    return true;
}

static const char *keep_bytes(struct hagg_op *h, const char *p, uint32_t len)
{
    if (len > h->pool_left) {
        size_t size = len > HAGG_POOL_BLOCK ? len : HAGG_POOL_BLOCK;
        h->pool = arena_alloc(h->keep, size);
        if (!h->pool) {
            h->pool_left = 0;
            return NULL;
        }
        h->pool_left = size;
    }
    char *d = h->pool;
    memcpy(d, p, len);
    h->pool += len;
    h->pool_left -= len;
    return d;
}

/* Appends a group for active row k (physical row i) of c; false when out of memory. */
static bool new_group(struct hagg_op *h, const struct sl_chunk *c, uint32_t k, uint32_t i,
                      uint64_t hash, uint32_t *gid)
{
    struct hagg_group *g = group_at(h, h->ngroups);
    g->hash = hash;
    g->changed = 0;
    g->emitted = 0;
    for (uint32_t col = 0; col < h->nkeys; col++) {
        const struct hagg_key *key = &h->keys[col];
        if (key->kind == HAGG_KEY_VALUE) {
            *(struct sl_value *)key_cell(h, g, col) = vector_get(&c->cols[col], i);
            continue;
        }
        struct hagg_text *t = key_cell(h, g, col);
        *t = key->probe[k];
        if (!text_inline(t->len)) {
            const char *kept = keep_bytes(h, text_ptr(t), t->len);
            if (!kept)
                return false;
            memcpy(t->b + 4, &kept, sizeof kept);
        }
    }
    for (uint32_t a = 0; a < h->naggs; a++)
        h->aggs[a].fn->init((unsigned char *)g + h->state_off[a], h->aggs[a].arg_type);
    *gid = h->ngroups++;
    return true;
}

static bool rehash(struct hagg_op *h, uint32_t nslots)
{
    struct hagg_slot *slots = sl_calloc(nslots, sizeof *slots);
    if (!slots)
        return false;
    uint32_t mask = nslots - 1;
    for (uint32_t gid = 0; gid < h->ngroups; gid++) {
        uint64_t hash = group_at(h, gid)->hash;
        uint32_t pos = (uint32_t)hash & mask;
        while (slots[pos].gid1)
            pos = (pos + 1) & mask;
        slots[pos].gid1 = gid + 1;
        slots[pos].tag = (uint32_t)(hash >> 32);
    }
    sl_free(h->slots);
    h->slots = slots;
    h->mask = mask;
    return true;
}

/* Makes room for `more` new groups: entry array, changed list, and slots under 70% load. */
static bool reserve(struct hagg_op *h, uint32_t more)
{
    uint64_t need = (uint64_t)h->ngroups + more;
    if (need > UINT32_MAX / 2)
        return false;
    if (need > h->cap_groups) {
        uint32_t cap = h->cap_groups ? h->cap_groups : 1024;
        while (cap < need)
            cap *= 2;
        unsigned char *groups = sl_realloc(h->groups, (size_t)cap * h->entry_size);
        if (!groups)
            return false;
        h->groups = groups;
        uint32_t *changed = sl_realloc(h->changed, (size_t)cap * sizeof *changed);
        if (!changed)
            return false;
        h->changed = changed;
        h->cap_groups = cap;
    }
    uint64_t nslots = (uint64_t)h->mask + 1;
    if (need * 10 > nslots * 7) {
        while (need * 10 > nslots * 7)
            nslots *= 2;
        return rehash(h, (uint32_t)nslots);
    }
    return true;
}

/* Distances (in rows) at which find_groups fetches ahead: a slot first,
 * then, once that slot has arrived, the entry it points to. */
#define HAGG_AHEAD_SLOT 32
#define HAGG_AHEAD_ENTRY 16

/* Finds or creates the group of every active row into h->gids[k]. */
static bool find_groups(struct hagg_op *h, const struct sl_chunk *c, const uint32_t *rows,
                        uint32_t n)
{
    const uint32_t mask = h->mask;
    struct hagg_slot *slots = h->slots;
    for (uint32_t k = 0; k < n; k++) {
        if (k + HAGG_AHEAD_SLOT < n)
            __builtin_prefetch(&slots[(uint32_t)h->hashes[k + HAGG_AHEAD_SLOT] & mask]);
        if (k + HAGG_AHEAD_ENTRY < n) {
            uint32_t ahead = slots[(uint32_t)h->hashes[k + HAGG_AHEAD_ENTRY] & mask].gid1;
            if (ahead) { /* an entry may straddle two cache lines */
                const unsigned char *g = (const unsigned char *)group_at(h, ahead - 1);
                __builtin_prefetch(g);
                __builtin_prefetch(g + h->entry_size - 1);
            }
        }
        uint64_t hash = h->hashes[k];
        uint32_t tag = (uint32_t)(hash >> 32), pos = (uint32_t)hash & mask, i = rows[k];
        for (;;) {
            struct hagg_slot *s = &slots[pos];
            if (s->gid1 == 0) {
                if (!new_group(h, c, k, i, hash, &h->gids[k]))
                    return false;
                s->gid1 = h->gids[k] + 1;
                s->tag = tag;
                break;
            }
            if (s->tag == tag && keys_equal(h, group_at(h, s->gid1 - 1), c, k, i)) {
                h->gids[k] = s->gid1 - 1;
                break;
            }
            pos = (pos + 1) & mask;
        }
        struct hagg_group *g = group_at(h, h->gids[k]);
        if (!g->changed) {
            g->changed = 1;
            h->changed[h->nchanged++] = h->gids[k];
        }
    }
    return true;
}

static sl_status hagg_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    struct hagg_op *h = (struct hagg_op *)op;
    const uint32_t *rows = rowsel_of(chunk);
    uint32_t n = chunk_active(chunk);
    if (!reserve(h, n))
        return sl_error_set(err, SL_NOMEM, "out of memory in aggregate (%u groups)", h->ngroups);
    if (!hash_keys(h, chunk, rows, n))
        return sl_error_set(err, SL_ERROR, "a GROUP BY text key is too long (4 GiB)");
    if (!find_groups(h, chunk, rows, n))
        return sl_error_set(err, SL_NOMEM, "out of memory in aggregate (%u groups)", h->ngroups);
    for (uint32_t a = 0; a < h->naggs; a++) {
        const struct sl_agg_spec *spec = &h->aggs[a];
        size_t off = h->state_off[a];
        for (uint32_t k = 0; k < n; k++)
            h->states[k] = (unsigned char *)group_at(h, h->gids[k]) + off;
        const struct sl_vector *arg = spec->arg_column < 0 ? NULL : &chunk->cols[spec->arg_column];
        spec->fn->step(h->states, arg, rows, n, h->keep);
    }
    return SL_OK;
}

/* Key col of group g as a value; inline text points into the entry, which
 * stays put while the chunk is emitted (nothing adds groups during a flush). */
static struct sl_value key_value(const struct hagg_op *h, struct hagg_group *g, uint32_t col)
{
    const void *cell = key_cell(h, g, col);
    if (h->keys[col].kind == HAGG_KEY_VALUE)
        return *(const struct sl_value *)cell;
    const struct hagg_text *t = cell;
    if (t->len == HAGG_NULL_LEN)
        return sl_null();
    struct sl_value v = {.type = SL_TEXT};
    v.u.s.ptr = t->len <= HAGG_INLINE_MAX ? t->b : text_ptr(t);
    v.u.s.len = t->len;
    return v;
}

/* Emits changed groups [from, from + n) as one chunk. */
static sl_status emit(struct hagg_op *h, uint32_t from, uint32_t n, struct sl_error *err)
{
    struct sl_op *op = &h->base;
    struct sl_chunk *c;
    if (chunk_create(op->batch, op->nout, op->out_types, &c) != SL_OK ||
        !(c->row_kinds = arena_alloc(op->batch, n)))
        return sl_error_set(err, SL_NOMEM, "out of memory emitting aggregate rows");
    c->count = n;
    for (uint32_t k = 0; k < n; k++) {
        struct hagg_group *g = group_at(h, h->changed[from + k]);
        c->row_kinds[k] = g->emitted ? SL_ROW_UPDATE : SL_ROW_INSERT;
        g->emitted = 1;
        g->changed = 0;
        for (uint32_t col = 0; col < h->nkeys; col++)
            vector_set(&c->cols[col], k, key_value(h, g, col));
        for (uint32_t a = 0; a < h->naggs; a++) {
            const struct sl_agg_spec *spec = &h->aggs[a];
            struct sl_value v =
                spec->fn->final((unsigned char *)g + h->state_off[a], spec->arg_type);
            if (!sqlval_store(&c->cols[h->nkeys + a], k, v, op->batch))
                return sl_error_set(err, SL_NOMEM, "out of memory emitting aggregate rows");
        }
    }
    return op_push(op->next, c, err);
}

static sl_status hagg_flush(struct sl_op *op, struct sl_error *err)
{
    struct hagg_op *h = (struct hagg_op *)op;
    sl_status st = SL_OK;
    for (uint32_t from = 0; from < h->nchanged && st == SL_OK; from += SL_CHUNK_CAP) {
        uint32_t n = h->nchanged - from < SL_CHUNK_CAP ? h->nchanged - from : SL_CHUNK_CAP;
        st = emit(h, from, n, err);
    }
    for (uint32_t k = 0; k < h->nchanged; k++)
        group_at(h, h->changed[k])->changed = 0;
    h->nchanged = 0;
    return st;
}

static void hagg_explain(const struct sl_op *op, struct sl_buf *out)
{
    const struct hagg_op *h = (const struct hagg_op *)op;
    buf_puts(out, "hash aggregate");
    for (uint32_t col = 0; col < h->nkeys; col++)
        buf_printf(out, "%s%s", col ? ", " : " by ", op->out_names[col]);
    for (uint32_t a = 0; a < h->naggs; a++) {
        const struct sl_agg_spec *spec = &h->aggs[a];
        buf_printf(out, "%s%s(", a ? ", " : ": ", spec->fn->name);
        if (spec->arg_column < 0)
            buf_putc(out, '*');
        else if ((uint32_t)spec->arg_column < h->nkeys)
            buf_puts(out, op->out_names[spec->arg_column]);
        else
            buf_printf(out, "#%d", spec->arg_column);
        buf_printf(out, ") AS %s", op->out_names[h->nkeys + a]);
    }
}

static void hagg_destroy(struct sl_op *op)
{
    struct hagg_op *h = (struct hagg_op *)op;
    sl_free(h->groups);
    sl_free(h->slots);
    sl_free(h->changed);
    sl_free(h->keys);
    sl_free(h->probes);
    sl_free(h->aggs);
    sl_free(h->state_off);
    arena_destroy(h->keep);
    op_fini(op);
    sl_free(h);
}

static const struct sl_op_vtable hagg_vtable = {
    .name = "hash_agg",
    .push = hagg_push,
    .flush = hagg_flush,
    .explain = hagg_explain,
    .destroy = hagg_destroy,
};

/* Lays out the entries: header, key cells, then each state at an 8-byte
 * boundary; TEXT keys get their probe arrays (from h->probes). */
static void layout(struct hagg_op *h, const enum sl_type *key_types)
{
    size_t off = HAGG_KEYS_OFF;
    struct hagg_text *probe = h->probes;
    for (uint32_t col = 0; col < h->nkeys; col++) {
        struct hagg_key *key = &h->keys[col];
        key->off = off;
        if (key_types[col] == SL_TEXT) {
            key->kind = HAGG_KEY_TEXT;
            key->probe = probe;
            probe += SL_CHUNK_CAP;
            off += sizeof(struct hagg_text);
        } else {
            key->kind = HAGG_KEY_VALUE;
            off += sizeof(struct sl_value);
        }
    }
    for (uint32_t a = 0; a < h->naggs; a++) {
        off = (off + 7) & ~(size_t)7;
        h->state_off[a] = off;
        off += h->aggs[a].fn->state_size(h->aggs[a].arg_type);
    }
    h->entry_size = (off + 7) & ~(size_t)7;
}

sl_status op_hash_agg_create(struct sl_arena *batch, uint32_t nkeys, const enum sl_type *key_types,
                             const char *const *key_names, uint32_t naggs,
                             const struct sl_agg_spec *aggs, struct sl_op **out,
                             struct sl_error *err)
{
    uint32_t nout = nkeys + naggs;
    struct hagg_op *h = sl_calloc(1, sizeof *h);
    enum sl_type *types = sl_calloc(nout ? nout : 1, sizeof *types);
    const char **names = sl_calloc(nout ? nout : 1, sizeof *names);
    bool ok = h && types && names;
    uint32_t ntext = 0;
    for (uint32_t col = 0; col < nkeys; col++)
        ntext += key_types[col] == SL_TEXT;
    if (ok) {
        h->nkeys = nkeys;
        h->keys = sl_calloc(nkeys ? nkeys : 1, sizeof *h->keys);
        h->probes = sl_calloc(ntext ? (size_t)ntext * SL_CHUNK_CAP : 1, sizeof *h->probes);
        h->naggs = naggs;
        h->aggs = sl_calloc(naggs ? naggs : 1, sizeof *h->aggs);
        h->state_off = sl_calloc(naggs ? naggs : 1, sizeof *h->state_off);
        h->slots = sl_calloc(1024, sizeof *h->slots);
        h->mask = 1023;
        h->keep = arena_create(1024 * 1024);
        ok = h->keys && h->probes && h->aggs && h->state_off && h->slots && h->keep;
    }
    if (ok) {
        for (uint32_t col = 0; col < nkeys; col++) {
            types[col] = key_types[col];
            names[col] = key_names ? key_names[col] : NULL;
        }
        for (uint32_t a = 0; a < naggs; a++) {
            h->aggs[a] = aggs[a];
            h->aggs[a].name = NULL;
            types[nkeys + a] = aggs[a].result_type;
            names[nkeys + a] = aggs[a].name;
        }
        layout(h, key_types);
        ok = op_init(&h->base, &hagg_vtable, batch, nout, types, names) == SL_OK;
    }
    sl_free(types);
    sl_free(names);
    if (!ok) {
        if (h) {
            sl_free(h->keys);
            sl_free(h->probes);
            sl_free(h->aggs);
            sl_free(h->state_off);
            sl_free(h->slots);
            arena_destroy(h->keep);
            sl_free(h);
        }
        return sl_error_set(err, SL_NOMEM, "out of memory creating an aggregate");
    }
    *out = &h->base;
    return SL_OK;
}

void op_hash_agg_stats(const struct sl_op *op, uint64_t *groups, uint64_t *bytes)
{
    const struct hagg_op *h = (const struct hagg_op *)op;
    *groups = h->ngroups;
    *bytes = arena_reserved(h->keep) +
             (uint64_t)h->cap_groups * (h->entry_size + sizeof *h->changed) +
             ((uint64_t)h->mask + 1) * sizeof *h->slots;
}
