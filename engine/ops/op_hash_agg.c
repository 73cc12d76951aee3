/*
 * op_hash_agg.c — GROUP BY: a hash table from group keys to aggregate
 * states, updated a chunk at a time, emitting the groups that changed at
 * every flush (INSERT the first time, UPDATE after).
 *
 * Layout: groups live in one growable array of fixed-size entries (header,
 * keys as sl_values, then each aggregate's state), addressed by group id.
 * The table is open addressing with linear probing over 8-byte slots
 * (group id + 1, and 32 hash bits that reject most mismatches without
 * touching the entry); its capacity is a power of two kept under 70% load.
 * A push hashes every key column in one loop per column, finds or creates
 * the group id of each row, then calls each aggregate's step once for the
 * whole chunk. Text keys are copied into the operator's own arena.
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

#define HAGG_KEYS_OFF ((sizeof(struct hagg_group) + 15) & ~(size_t)15)
#define HAGG_POOL_BLOCK (64 * 1024)

struct hagg_op {
    struct sl_op base;
    uint32_t nkeys, naggs;
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

static inline struct sl_value *group_keys(struct hagg_group *g)
{
    return (struct sl_value *)((unsigned char *)g + HAGG_KEYS_OFF);
}

static inline uint64_t hash_mix(uint64_t h, uint64_t k)
{
    return (h ^ (k + UINT64_C(0x9e3779b97f4a7c15) + (h << 6) + (h >> 2))) *
           UINT64_C(0xff51afd7ed558ccd);
}

/* Hashes the key columns of every active row into h->hashes[k]. */
static void hash_keys(struct hagg_op *h, const struct sl_chunk *c, const uint32_t *rows, uint32_t n)
{
    uint64_t *hs = h->hashes;
    for (uint32_t col = 0; col < h->nkeys; col++) {
        const struct sl_vector *v = &c->cols[col];
        const uint8_t *nulls = v->nulls;
        bool first = col == 0;
        for (uint32_t k = 0; k < n; k++) {
            uint32_t i = rows[k];
            uint64_t kh;
            if (nulls[i])
                kh = SQLVAL_NULL_HASH;
            else if (v->type == SL_TEXT)
                kh = sl_hash_bytes(v->data.s[i].ptr, v->data.s[i].len, SQLVAL_SEED);
            else if (v->type == SL_INT || v->type == SL_TIMESTAMP)
                kh = sl_hash_u64((uint64_t)v->data.i[i], SQLVAL_SEED);
            else
                kh = sqlval_hash(vector_get(v, i));
            hs[k] = first ? kh : hash_mix(hs[k], kh);
        }
    }
    if (h->nkeys == 0)
        memset(hs, 0, sizeof *hs * n);
}

static inline bool key_equal(const struct sl_value *stored, const struct sl_vector *v, uint32_t i)
{
    if (v->nulls[i])
        return stored->type == SL_NULL;
    if (stored->type == SL_NULL)
        return false;
    switch (v->type) {
    case SL_TEXT:
        return stored->u.s.len == v->data.s[i].len &&
               (stored->u.s.len == 0 ||
                memcmp(stored->u.s.ptr, v->data.s[i].ptr, stored->u.s.len) == 0);
    case SL_INT:
    case SL_TIMESTAMP: return stored->u.i == v->data.i[i];
    default: return sqlval_compare(*stored, vector_get(v, i)) == 0;
    }
}

static inline bool keys_equal(const struct hagg_op *h, struct hagg_group *g,
                              const struct sl_chunk *c, uint32_t i)
{
    const struct sl_value *keys = group_keys(g);
    for (uint32_t col = 0; col < h->nkeys; col++) {
        if (!key_equal(&keys[col], &c->cols[col], i))
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
    if (len)
        memcpy(d, p, len);
    h->pool += len;
    h->pool_left -= len;
    return d;
}

/* Appends a group for row i of c; false when out of memory. */
static bool new_group(struct hagg_op *h, const struct sl_chunk *c, uint32_t i, uint64_t hash,
                      uint32_t *gid)
{
    struct hagg_group *g = group_at(h, h->ngroups);
    g->hash = hash;
    g->changed = 0;
    g->emitted = 0;
    struct sl_value *keys = group_keys(g);
    for (uint32_t col = 0; col < h->nkeys; col++) {
        struct sl_value v = vector_get(&c->cols[col], i);
        if (v.type == SL_TEXT) {
            v.u.s.ptr = keep_bytes(h, v.u.s.ptr, v.u.s.len);
            if (!v.u.s.ptr)
                return false;
        }
        keys[col] = v;
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

/* Finds or creates the group of every active row into h->gids[k]. */
static bool find_groups(struct hagg_op *h, const struct sl_chunk *c, const uint32_t *rows,
                        uint32_t n)
{
    const uint32_t mask = h->mask;
    struct hagg_slot *slots = h->slots;
    for (uint32_t k = 0; k < n; k++) {
        /* The slot of a row a few ahead is fetched while this one probes. */
        if (k + 8 < n)
            __builtin_prefetch(&slots[(uint32_t)h->hashes[k + 8] & mask]);
        uint64_t hash = h->hashes[k];
        uint32_t tag = (uint32_t)(hash >> 32), pos = (uint32_t)hash & mask, i = rows[k];
        for (;;) {
            struct hagg_slot *s = &slots[pos];
            if (s->gid1 == 0) {
                if (!new_group(h, c, i, hash, &h->gids[k]))
                    return false;
                s->gid1 = h->gids[k] + 1;
                s->tag = tag;
                break;
            }
            if (s->tag == tag && keys_equal(h, group_at(h, s->gid1 - 1), c, i)) {
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
    hash_keys(h, chunk, rows, n);
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
        const struct sl_value *keys = group_keys(g);
        for (uint32_t col = 0; col < h->nkeys; col++)
            vector_set(&c->cols[col], k, keys[col]);
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

/* Lays out the entries: header, keys, then each state at an 8-byte boundary. */
static void layout(struct hagg_op *h)
{
    size_t off = HAGG_KEYS_OFF + sizeof(struct sl_value) * h->nkeys;
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
    if (ok) {
        h->nkeys = nkeys;
        h->naggs = naggs;
        h->aggs = sl_calloc(naggs ? naggs : 1, sizeof *h->aggs);
        h->state_off = sl_calloc(naggs ? naggs : 1, sizeof *h->state_off);
        h->slots = sl_calloc(1024, sizeof *h->slots);
        h->mask = 1023;
        h->keep = arena_create(1024 * 1024);
        ok = h->aggs && h->state_off && h->slots && h->keep;
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
        layout(h);
        ok = op_init(&h->base, &hagg_vtable, batch, nout, types, names) == SL_OK;
    }
    sl_free(types);
    sl_free(names);
    if (!ok) {
        if (h) {
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
