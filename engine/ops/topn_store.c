/*
 * topn_store.c — the top-N operator's state (topn_store.h): partitions in a
 * chained hash table by their PARTITION BY values, each an array of its kept
 * rows (one allocation per row: its values and their text), rows of a
 * changelog also in a table by their identity; and the checkpoint's rows,
 * one per kept row (op_topn.c says what they hold).
 */
#include "engine/ops/topn_store.h"

#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "engine/aggregates/agg_codec.h"
#include "engine/values/sqlval.h"

static _Thread_local const struct topn_op *sorting;

bool topn_table_grow(struct topn_table *t, size_t link_off)
{
    uint32_t n = t->nbuckets ? t->nbuckets * 2 : 64;
    void **b = sl_calloc(n, sizeof *b);
    if (!b)
        return false;
    for (uint32_t i = 0; i < t->nbuckets; i++) {
        for (void *e = t->buckets[i], *next; e; e = next) {
            next = *(void **)((char *)e + link_off);
            uint64_t h = link_off ? ((struct topn_row *)e)->id_hash : ((struct topn_part *)e)->hash;
            *(void **)((char *)e + link_off) = b[h & (n - 1)];
            b[h & (n - 1)] = e;
        }
    }
    sl_free(t->buckets);
    t->buckets = b;
    t->nbuckets = n;
    return true;
}

static bool values_equal(const struct sl_value *a, const struct sl_value *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (sqlval_compare(a[i], b[i]) != 0 || (a[i].type == SL_NULL) != (b[i].type == SL_NULL))
            return false;
    return true;
}

static size_t text_bytes(const struct sl_value *v, uint32_t n)
{
    size_t bytes = 0;
    for (uint32_t i = 0; i < n; i++)
        if (v[i].type == SL_TEXT)
            bytes += v[i].u.s.len;
    return bytes;
}

/* Copies n values into dst, their text into the bytes at text. */
static void copy_values(struct sl_value *dst, const struct sl_value *src, uint32_t n, char *text)
{
    for (uint32_t i = 0; i < n; i++) {
        dst[i] = src[i];
        if (src[i].type == SL_TEXT && src[i].u.s.len) {
            memcpy(text, src[i].u.s.ptr, src[i].u.s.len);
            dst[i].u.s.ptr = text;
            text += src[i].u.s.len;
        }
    }
}

static struct topn_row *row_new(struct topn_op *t, const struct sl_value *vals)
{
    size_t head = sizeof(struct topn_row) + t->nin * sizeof(struct sl_value);
    size_t size = head + text_bytes(vals, t->nin);
    struct topn_row *r = sl_malloc(size);
    if (!r)
        return NULL;
    memset(r, 0, sizeof *r);
    copy_values(r->vals, vals, t->nin, (char *)r + head);
    t->nrows++;
    t->bytes += size;
    return r;
}

void topn_row_free(struct topn_op *t, struct topn_row *r)
{
    t->nrows--;
    t->bytes -= sizeof(struct topn_row) + t->nin * sizeof(struct sl_value) +
                text_bytes(r->vals, t->nin);
    sl_free(r);
}

/* The ORDER BY comparison of two rows (ties not broken). */
int topn_order_cmp(const struct topn_op *t, const struct topn_row *a, const struct topn_row *b)
{
    uint32_t first = t->def.nout + t->def.npartition;
    for (uint32_t i = 0; i < t->def.norder; i++) {
        int c = sqlval_compare(a->vals[first + i], b->vals[first + i]);
        if (c)
            return t->desc[i] ? -c : c;
    }
    return 0;
}

/* The rank order: ORDER BY, then the tie-break (ops.h). */
int topn_rank_cmp(const struct topn_op *t, const struct topn_row *a, const struct topn_row *b)
{
    int c = topn_order_cmp(t, a, b);
    if (c)
        return c;
    if (t->def.nidentity) {
        for (uint32_t i = 0; i < t->def.nidentity; i++) {
            uint32_t col = t->identity_cols[i];
            if ((c = sqlval_compare(a->vals[col], b->vals[col])) != 0)
                return c;
        }
        return 0;
    }
    c = a->seq < b->seq ? -1 : a->seq > b->seq;
    return t->desc[t->def.norder - 1] ? -c : c;
}

static int rank_qsort_cmp(const void *a, const void *b)
{
    return topn_rank_cmp(sorting, *(struct topn_row *const *)a, *(struct topn_row *const *)b);
}

void topn_mark_dirty(struct topn_op *t, struct topn_part *p)
{
    if (!p->dirty) {
        p->dirty = true;
        p->dirty_next = t->dirty;
        t->dirty = p;
    }
}

struct topn_part *topn_part_find(struct topn_op *t, uint64_t h, const struct sl_value *keys)
{
    if (!t->parts.nbuckets)
        return NULL;
    for (struct topn_part *p = t->parts.buckets[h & (t->parts.nbuckets - 1)]; p; p = p->next)
        if (p->hash == h && values_equal(p->keys, keys, t->def.npartition))
            return p;
    return NULL;
}

struct topn_part *topn_part_new(struct topn_op *t, uint64_t h, const struct sl_value *keys)
{
    uint32_t n = t->def.npartition;
    if (t->parts.count >= t->parts.nbuckets && !topn_table_grow(&t->parts, 0))
        return NULL;
    size_t size = sizeof(struct topn_part) + n * sizeof(struct sl_value);
    struct topn_part *p = sl_calloc(1, size + text_bytes(keys, n));
    if (!p)
        return NULL;
    p->keys = (struct sl_value *)(p + 1);
    copy_values(p->keys, keys, n, (char *)p + size);
    p->hash = h;
    p->sorted = true;
    p->settled = true;
    uint32_t b = (uint32_t)(h & (t->parts.nbuckets - 1));
    p->next = t->parts.buckets[b];
    t->parts.buckets[b] = p;
    t->parts.count++;
    t->bytes += size + text_bytes(keys, n);
    return p;
}

/* Room for `need` row pointers in *v, counted in t->bytes. It starts at one and
 * doubles: a dedup (rn = 1) keeps one row a partition, over millions of them. */
static bool grow_ptrs(struct topn_op *t, struct topn_row ***v, uint32_t *cap, uint32_t need)
{
    if (need <= *cap)
        return true;
    uint32_t n = *cap ? *cap * 2 : 1;
    while (n < need)
        n *= 2;
    struct topn_row **g = sl_realloc(*v, n * sizeof *g);
    if (!g)
        return false;
    t->bytes += (n - *cap) * sizeof *g;
    *v = g;
    *cap = n;
    return true;
}

/* The state key prefix of partition p's rows: 0x01, then its PARTITION BY
 * values (each self-delimiting, so no partition's prefix starts another's). */
static void part_state_key(const struct topn_op *t, const struct topn_part *p, struct sl_buf *b)
{
    codec_put_u8(b, 1);
    for (uint32_t i = 0; i < t->def.npartition; i++)
        codec_put_value(b, p->keys[i]);
}

/* Row r's state key: its partition's prefix, then its tie-break: the
 * identity values, or the arrival number (big-endian: BLOB order is arrival
 * order). A row's key never changes: a group's new value is a new row under it. */
static void row_state_key(const struct topn_op *t, const struct topn_row *r, struct sl_buf *b)
{
    part_state_key(t, r->part, b);
    if (t->def.nidentity) {
        for (uint32_t i = 0; i < t->def.nidentity; i++)
            codec_put_value(b, r->vals[t->identity_cols[i]]);
        return;
    }
    for (int shift = 56; shift >= 0; shift -= 8)
        codec_put_u8(b, (uint8_t)((uint64_t)r->seq >> shift));
}

/* Notes, for the flush to record, that row r's state row (r) or every state
 * row of partition p (r NULL) is to be dropped. False when out of memory. */
static bool note_drop(struct topn_op *t, const struct topn_row *r, const struct topn_part *p)
{
    if (!t->base.delta)
        return true;
    size_t at = t->dropped.len;
    codec_put_u32(&t->dropped, 0);
    codec_put_u8(&t->dropped, r ? 0 : 1);
    if (r)
        row_state_key(t, r, &t->dropped);
    else
        part_state_key(t, p, &t->dropped);
    uint32_t len = (uint32_t)(t->dropped.len - at - 5);
    if (!t->dropped.failed)
        memcpy(t->dropped.data + at, &len, 4);
    return !t->dropped.failed;
}

static void id_unlink(struct topn_op *t, struct topn_row *r)
{
    void **link = &t->ids.buckets[r->id_hash & (t->ids.nbuckets - 1)];
    while (*link != r)
        link = (void **)&((struct topn_row *)*link)->id_next;
    *link = r->id_next;
    t->ids.count--;
}

/* Takes the row at index i out of its partition (order kept when sorted): to
 * `gone` when the table has it, else freed. False when out of memory. */
bool topn_part_remove(struct topn_op *t, struct topn_part *p, uint32_t i)
{
    struct topn_row *r = p->rows[i];
    if (p->sorted) {
        memmove(p->rows + i, p->rows + i + 1, (p->nrows - i - 1) * sizeof *p->rows);
        for (uint32_t k = i; k + 1 < p->nrows; k++)
            p->rows[k]->index = k;
    } else {
        p->rows[i] = p->rows[p->nrows - 1];
        p->rows[i]->index = i;
    }
    p->nrows--;
    if (t->def.changelog)
        id_unlink(t, r);
    topn_mark_dirty(t, p);
    if (r->stored && !note_drop(t, r, NULL))
        return false;
    r->stored = false;
    if (!r->emitted_rank) {
        topn_row_free(t, r);
        return true;
    }
    if (!grow_ptrs(t, &p->gone, &p->capgone, p->ngone + 1))
        return false;
    r->part = p;
    p->gone[p->ngone++] = r;
    return true;
}

static void part_free(struct topn_op *t, struct topn_part *p)
{
    for (uint32_t i = 0; i < p->nrows; i++) {
        if (t->def.changelog)
            id_unlink(t, p->rows[i]);
        topn_row_free(t, p->rows[i]);
    }
    for (uint32_t i = 0; i < p->ngone; i++)
        topn_row_free(t, p->gone[i]);
    t->bytes -= sizeof *p + t->def.npartition * sizeof(struct sl_value) +
                text_bytes(p->keys, t->def.npartition) +
                ((size_t)p->cap + p->capgone) * sizeof(struct topn_row *);
    sl_free(p->rows);
    sl_free(p->gone);
    sl_free(p);
}

/* A new row of partition p with vals, room for it made in p->rows (not put
 * there); NULL when out of memory. */
struct topn_row *topn_row_for(struct topn_op *t, struct topn_part *p, const struct sl_value *vals)
{
    struct topn_row *r = row_new(t, vals);
    if (r && !grow_ptrs(t, &p->rows, &p->cap, p->nrows + 1)) {
        topn_row_free(t, r);
        return NULL;
    }
    if (r)
        r->part = p;
    return r;
}

struct topn_row *topn_id_find(const struct topn_op *t, uint64_t h, const struct sl_value *vals)
{
    if (!t->ids.nbuckets)
        return NULL;
    for (struct topn_row *r = t->ids.buckets[h & (t->ids.nbuckets - 1)]; r; r = r->id_next) {
        if (r->id_hash != h)
            continue;
        bool same = true;
        for (uint32_t i = 0; i < t->def.nidentity && same; i++) {
            uint32_t col = t->identity_cols[i];
            same = sqlval_compare(r->vals[col], vals[col]) == 0 &&
                   (r->vals[col].type == SL_NULL) == (vals[col].type == SL_NULL);
        }
        if (same)
            return r;
    }
    return NULL;
}

/* The ranks of a sorted partition's rows into t->ranks; returns how many are within N. */
uint32_t topn_part_ranks(struct topn_op *t, const struct topn_part *p)
{
    uint32_t top = 0;
    for (uint32_t i = 0; i < p->nrows; i++) {
        uint32_t rank = i + 1;
        if (t->def.fn != SL_TOPN_ROW_NUMBER && i > 0) {
            bool tie = topn_order_cmp(t, p->rows[i - 1], p->rows[i]) == 0;
            if (t->def.fn == SL_TOPN_RANK)
                rank = tie ? t->ranks[i - 1] : i + 1;
            else
                rank = t->ranks[i - 1] + !tie;
        }
        t->ranks[i] = rank;
        if (rank <= (uint64_t)t->def.limit)
            top = i + 1;
    }
    return top;
}

void topn_part_sort(struct topn_op *t, struct topn_part *p)
{
    if (p->sorted)
        return;
    sorting = t;
    qsort(p->rows, p->nrows, sizeof *p->rows, rank_qsort_cmp);
    for (uint32_t i = 0; i < p->nrows; i++)
        p->rows[i]->index = i;
    p->sorted = true;
}

/* Room in t->ranks for n rows' ranks. */
bool topn_ranks_fit(struct topn_op *t, uint32_t n)
{
    if (n <= t->cap_ranks)
        return true;
    uint32_t *r = sl_realloc(t->ranks, n * sizeof *r);
    if (!r)
        return false;
    t->ranks = r;
    t->cap_ranks = n;
    return true;
}

bool topn_part_settle(struct topn_op *t, struct topn_part *p)
{
    if (p->settled)
        return true;
    topn_part_sort(t, p);
    if (!topn_ranks_fit(t, p->nrows))
        return false;
    uint32_t top = topn_part_ranks(t, p);
    for (uint32_t i = 0; i < p->nrows; i++)
        p->rows[i]->emitted_rank = i < top ? t->ranks[i] : 0;
    p->emitted_count = top;
    p->settled = true;
    return true;
}

/* Records row r's state row: its key, and its values. */
bool topn_record_row(struct topn_op *t, const struct topn_row *r)
{
    struct sl_state_delta *d = t->base.delta;
    state_delta_begin(d);
    row_state_key(t, r, &d->bytes);
    state_delta_key_done(d);
    for (uint32_t col = 0; col < t->nin; col++)
        codec_put_value(&d->bytes, r->vals[col]);
    return state_delta_end(d, 0);
}

/* Takes p out of the partition table and frees it; its state rows, if any, are dropped. */
bool topn_part_drop(struct topn_op *t, struct topn_part *p)
{
    struct topn_part **link = (struct topn_part **)&t->parts.buckets[p->hash & (t->parts.nbuckets - 1)];
    while (*link != p)
        link = &(*link)->next;
    *link = p->next;
    t->parts.count--;
    bool ok = !p->had_state || note_drop(t, NULL, p);
    part_free(t, p);
    return ok;
}

/* The end of partition p's window, when it is partitioned by one. */
bool topn_part_closed(const struct topn_op *t, const struct topn_part *p)
{
    if (t->time->ended)
        return true;
    struct sl_value v = p->keys[t->def.window_part];
    if (v.type != SL_TIMESTAMP && v.type != SL_INT)
        return false;
    int64_t end = v.u.i + (t->def.end_from_start ? t->def.size_us : 0);
    return t->time->watermark >= end + t->def.grace_us;
}

/* Drops the partitions whose window the watermark closed (their rows were emitted before). */
bool topn_drop_closed(struct topn_op *t)
{
    for (uint32_t b = 0; b < t->parts.nbuckets; b++) {
        for (struct topn_part *p = t->parts.buckets[b], *next; p; p = next) {
            next = p->next;
            if (topn_part_closed(t, p) && !topn_part_drop(t, p))
                return false;
        }
    }
    return true;
}

/* The delta's drops and the arrival counter (the rows are recorded by the flush). */
bool topn_record_state(struct topn_op *t)
{
    struct sl_state_delta *d = t->base.delta;
    for (size_t at = 0; at < t->dropped.len;) {
        uint32_t len;
        memcpy(&len, t->dropped.data + at, 4);
        bool prefix = t->dropped.data[at + 4];
        const char *key = t->dropped.data + at + 5;
        /* A row's key alone is [key, key 0x00); a partition's rows are
         * [prefix, prefix 0xFF): what follows the prefix starts with a codec
         * tag or an arrival number's high byte, both below 0xFF. */
        char *hi = sl_malloc(len + 1u);
        if (!hi)
            return false;
        memcpy(hi, key, len);
        hi[len] = prefix ? (char)0xFF : 0;
        bool ok = state_delta_drop(d, key, len, hi, len + 1u);
        sl_free(hi);
        if (!ok)
            return false;
        at += 5 + len;
    }
    buf_clear(&t->dropped);
    if (t->seq_changed) {
        state_delta_begin(d);
        state_delta_key_done(d);
        codec_put_i64(&d->bytes, t->next_seq);
        if (!state_delta_end(d, 0))
            return false;
        t->seq_changed = false;
    }
    return true;
}

uint64_t topn_hash_values(const struct sl_value *v, const uint32_t *cols, uint32_t n)
{
    uint64_t h = SQLVAL_SEED;
    for (uint32_t i = 0; i < n; i++) {
        struct sl_value x = v[cols ? cols[i] : i];
        uint64_t kh = x.type == SL_NULL ? SQLVAL_NULL_HASH : sqlval_hash(x);
        h = group_hash_mix(h, kh);
    }
    return h;
}

bool topn_id_insert(struct topn_op *t, struct topn_row *r, uint64_t h)
{
    if (t->ids.count >= t->ids.nbuckets && !topn_table_grow(&t->ids, TOPN_ROW_LINK_OFF))
        return false;
    r->id_hash = h;
    uint32_t b = (uint32_t)(h & (t->ids.nbuckets - 1));
    r->id_next = t->ids.buckets[b];
    t->ids.buckets[b] = r;
    t->ids.count++;
    return true;
}
