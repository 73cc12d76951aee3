/*
 * op_topn.c — Top-N and deduplication (issue 16): ROW_NUMBER() / RANK() /
 * DENSE_RANK() OVER (PARTITION BY ... ORDER BY ...) kept to ranks 1..N.
 *
 * State: partitions in a chained hash table by their PARTITION BY values,
 * each an array of its rows (one allocation per row kept: its values and
 * their text). Over appended rows (a stream) a partition stays sorted and
 * holds only its top: a row that cannot enter is rejected before anything
 * is allocated, and one pushed past rank N is freed (it can never come
 * back). Over a changelog (an aggregation's groups) a partition holds every
 * group, found by its identity (the group keys) in a second hash table, since
 * a group's new value can move it up or down; its partition is sorted again
 * at the flush when it changed.
 *
 * Emission: each row remembers the rank it was last emitted with (0: not in
 * the result table); a removed row that was emitted waits in its partition's
 * `gone` list for its DELETE. A flush compares, per changed partition, the
 * new top with what was emitted, by the result table's key (ops.h,
 * sl_topn_key), and emits every DELETE of the batch before any upsert, so a
 * key deleted in one partition and written in another ends written.
 *
 * Windowed partitions (PARTITION BY window_start, window_end) are dropped
 * once the watermark closes their window; under EMIT FINAL each is emitted
 * once, at the flush of the batch its window's rows came in (the window
 * aggregation emits all of a window's rows in one step), and dropped.
 *
 * Checkpoint: one state row per kept row, keyed by 0x01, its partition's
 * values and its tie-break (group keys or arrival number), holding its
 * values: written when the row is new at a flush, dropped when it goes (a
 * partition's rows as one range). The ranks the table holds are not
 * written: after a flush they are the partition's top, so a restored
 * partition computes them again when first used (part_settle). The arrival
 * counter is a row under the empty key.
 */
#include "common/alloc.h"
#include "engine/aggregates/agg_codec.h"
#include "engine/ops/ops.h"
#include "engine/ops/state_delta.h"
#include "engine/values/rowsel.h"
#include "engine/values/sqlval.h"

#include <stdlib.h>
#include <string.h>

struct topn_part;

/* A kept row: one allocation, its values then their text. */
struct topn_row {
    struct topn_part *part;
    struct topn_row *id_next; /* the identity table's chain (changelog) */
    uint64_t id_hash;
    int64_t seq;           /* arrival number: the tie-break over appended rows */
    uint32_t index;        /* in part->rows */
    uint32_t emitted_rank; /* the rank it has in the result table; 0: none */
    bool changed;          /* its values changed since they were emitted */
    bool stored;           /* has a state row */
    struct sl_value vals[];
};

struct topn_part {
    struct topn_part *next; /* the partition table's chain */
    struct topn_part *dirty_next;
    uint64_t hash;
    struct sl_value *keys; /* npartition values, text copied (one allocation with them) */
    struct topn_row **rows;
    uint32_t nrows, cap;
    struct topn_row **gone; /* removed rows whose DELETE is still to be emitted */
    uint32_t ngone, capgone;
    uint32_t emitted_count; /* POSITION: the ranks 1..emitted_count are in the table */
    bool dirty;             /* changed since the last flush: listed in `dirty` */
    bool sorted;
    /* Its rows' emitted ranks are known; false after a restore until it is
     * sorted (part_settle): a checkpoint holds its rows, not their ranks. */
    bool settled;
    bool had_state;         /* a row of it has (or had) a state row */
};

/* A chained hash table of pointers whose first field is the chain link. */
struct topn_table {
    void **buckets;
    uint32_t nbuckets, count;
};

struct topn_op {
    struct sl_op base;
    struct sl_topn_def def;
    bool *desc;
    uint32_t *identity_cols;
    struct sl_time_state *time;
    uint32_t nin;
    enum sl_type *in_types;
    struct topn_table parts;
    struct topn_table ids; /* changelog: rows by identity */
    struct topn_part *dirty;
    int64_t next_seq;
    bool seq_changed;
    uint64_t nrows, bytes; /* kept, for stats */
    /* State ranges to drop at the flush, each [u32 length][u8 0: a row's key,
     * 1: a partition's prefix][the key]. */
    struct sl_buf dropped;
    uint32_t *ranks;       /* flush scratch */
    uint32_t cap_ranks;
    struct sl_chunk *out;  /* the chunk being filled by a flush */
    struct topn_row *probe; /* an input row's values, read before it is kept */
};

/* A restored partition made usable: sorted, and its rows' emitted ranks
 * known again (the table holds its top, as the flush that wrote it left it). */
static bool part_settle(struct topn_op *t, struct topn_part *p);

/* ---- hash tables ------------------------------------------------------------ */

static bool table_grow(struct topn_table *t, size_t link_off)
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

#define ROW_LINK_OFF offsetof(struct topn_row, id_next)

static bool values_equal(const struct sl_value *a, const struct sl_value *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (sqlval_compare(a[i], b[i]) != 0 || (a[i].type == SL_NULL) != (b[i].type == SL_NULL))
            return false;
    return true;
}

/* ---- rows ------------------------------------------------------------------- */

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

static void row_free(struct topn_op *t, struct topn_row *r)
{
    t->nrows--;
    t->bytes -= sizeof(struct topn_row) + t->nin * sizeof(struct sl_value) +
                text_bytes(r->vals, t->nin);
    sl_free(r);
}

/* The ORDER BY comparison of two rows (ties not broken). */
static int order_cmp(const struct topn_op *t, const struct topn_row *a, const struct topn_row *b)
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
static int rank_cmp(const struct topn_op *t, const struct topn_row *a, const struct topn_row *b)
{
    int c = order_cmp(t, a, b);
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

static _Thread_local const struct topn_op *sorting;

static int rank_qsort_cmp(const void *a, const void *b)
{
    return rank_cmp(sorting, *(struct topn_row *const *)a, *(struct topn_row *const *)b);
}

/* ---- partitions ------------------------------------------------------------- */

static void mark_dirty(struct topn_op *t, struct topn_part *p)
{
    if (!p->dirty) {
        p->dirty = true;
        p->dirty_next = t->dirty;
        t->dirty = p;
    }
}

static struct topn_part *part_find(struct topn_op *t, uint64_t h, const struct sl_value *keys)
{
    if (!t->parts.nbuckets)
        return NULL;
    for (struct topn_part *p = t->parts.buckets[h & (t->parts.nbuckets - 1)]; p; p = p->next)
        if (p->hash == h && values_equal(p->keys, keys, t->def.npartition))
            return p;
    return NULL;
}

static struct topn_part *part_new(struct topn_op *t, uint64_t h, const struct sl_value *keys)
{
    uint32_t n = t->def.npartition;
    if (t->parts.count >= t->parts.nbuckets && !table_grow(&t->parts, 0))
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

static bool grow_ptrs(struct topn_row ***v, uint32_t *cap, uint32_t need)
{
    if (need <= *cap)
        return true;
    uint32_t n = *cap ? *cap * 2 : 8;
    while (n < need)
        n *= 2;
    struct topn_row **g = sl_realloc(*v, n * sizeof *g);
    if (!g)
        return false;
    *v = g;
    *cap = n;
    return true;
}

/* ---- state keys ------------------------------------------------------------ */

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
static bool part_remove(struct topn_op *t, struct topn_part *p, uint32_t i)
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
    mark_dirty(t, p);
    if (r->stored && !note_drop(t, r, NULL))
        return false;
    r->stored = false;
    if (!r->emitted_rank) {
        row_free(t, r);
        return true;
    }
    if (!grow_ptrs(&p->gone, &p->capgone, p->ngone + 1))
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
        row_free(t, p->rows[i]);
    }
    for (uint32_t i = 0; i < p->ngone; i++)
        row_free(t, p->gone[i]);
    t->bytes -= sizeof *p + t->def.npartition * sizeof(struct sl_value) +
                text_bytes(p->keys, t->def.npartition);
    sl_free(p->rows);
    sl_free(p->gone);
    sl_free(p);
}

/* A new row of partition p with vals, room for it made in p->rows (not put
 * there); NULL when out of memory. */
static struct topn_row *row_for(struct topn_op *t, struct topn_part *p, const struct sl_value *vals)
{
    struct topn_row *r = row_new(t, vals);
    if (r && !grow_ptrs(&p->rows, &p->cap, p->nrows + 1)) {
        row_free(t, r);
        return NULL;
    }
    if (r)
        r->part = p;
    return r;
}

/* ---- pushes ----------------------------------------------------------------- */

/* The hash of columns [first, first + n) of each active row, column by column. */
static void hash_rows(const struct sl_chunk *c, const uint32_t *rows, uint32_t nrows,
                      const uint32_t *cols, uint32_t first, uint32_t n, uint64_t *h)
{
    for (uint32_t k = 0; k < nrows; k++)
        h[k] = SQLVAL_SEED;
    for (uint32_t i = 0; i < n; i++) {
        const struct sl_vector *v = &c->cols[cols ? cols[i] : first + i];
        for (uint32_t k = 0; k < nrows; k++) {
            struct sl_value x = vector_get(v, rows[k]);
            uint64_t kh = x.type == SL_NULL ? SQLVAL_NULL_HASH : sqlval_hash(x);
            h[k] = (h[k] ^ (kh + UINT64_C(0x9e3779b97f4a7c15) + (h[k] << 6) + (h[k] >> 2))) *
                   UINT64_C(0xff51afd7ed558ccd);
        }
    }
}

/* Row row's values from the chunk into vals (strings not copied). */
static void chunk_values(const struct topn_op *t, const struct sl_chunk *c, uint32_t row,
                         struct sl_value *vals)
{
    for (uint32_t col = 0; col < t->nin; col++)
        vals[col] = vector_get(&c->cols[col], row);
}

/* Over appended rows: whether a row ranked after the partition's last one can no longer enter. */
static bool part_full(const struct topn_op *t, const struct topn_part *p)
{
    if (t->def.fn != SL_TOPN_DENSE_RANK)
        return p->nrows >= (uint64_t)t->def.limit;
    uint64_t groups = p->nrows ? 1 : 0;
    for (uint32_t i = 1; i < p->nrows; i++)
        groups += order_cmp(t, p->rows[i - 1], p->rows[i]) != 0;
    return groups >= (uint64_t)t->def.limit;
}

/* Drops the rows past rank N from a sorted partition of appended rows. */
static bool part_trim(struct topn_op *t, struct topn_part *p)
{
    for (;;) {
        if (!p->nrows)
            return true;
        uint32_t last = p->nrows - 1, first = last;
        if (t->def.fn == SL_TOPN_ROW_NUMBER) {
            if (p->nrows <= (uint64_t)t->def.limit)
                return true;
        } else {
            while (first > 0 && order_cmp(t, p->rows[first - 1], p->rows[last]) == 0)
                first--;
            uint64_t rank = first + 1;
            if (t->def.fn == SL_TOPN_DENSE_RANK) {
                rank = first > 0 ? 2 : 1;
                for (uint32_t i = 1; i < first; i++)
                    rank += order_cmp(t, p->rows[i - 1], p->rows[i]) != 0;
            }
            if (rank <= (uint64_t)t->def.limit)
                return true;
        }
        for (uint32_t i = last + 1; i-- > first;)
            if (!part_remove(t, p, i))
                return false;
    }
}

static sl_status push_appended(struct topn_op *t, struct sl_chunk *c, const uint32_t *rows,
                               uint32_t n, const uint64_t *ph, struct sl_error *err)
{
    struct topn_row *probe = t->probe;
    struct sl_value *vals = probe->vals;
    for (uint32_t k = 0; k < n; k++) {
        chunk_values(t, c, rows[k], vals);
        int64_t seq = t->next_seq++;
        probe->seq = seq;
        struct topn_part *p = part_find(t, ph[k], vals + t->def.nout);
        if (p && !part_settle(t, p))
            return sl_error_set(err, SL_NOMEM, "out of memory in top-N");
        /* A row that would rank past N stays out, before anything is allocated;
         * one tied with the last keeps its rank under RANK and DENSE_RANK. */
        if (p && p->nrows && part_full(t, p) &&
            (t->def.fn == SL_TOPN_ROW_NUMBER ? rank_cmp(t, probe, p->rows[p->nrows - 1])
                                             : order_cmp(t, probe, p->rows[p->nrows - 1])) > 0)
            continue;
        if (!p && !(p = part_new(t, ph[k], vals + t->def.nout)))
            return sl_error_set(err, SL_NOMEM, "out of memory in top-N");
        struct topn_row *r = row_for(t, p, vals);
        if (!r)
            return sl_error_set(err, SL_NOMEM, "out of memory in top-N");
        r->seq = seq;
        uint32_t lo = 0, hi = p->nrows;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (rank_cmp(t, p->rows[mid], r) <= 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        memmove(p->rows + lo + 1, p->rows + lo, (p->nrows - lo) * sizeof *p->rows);
        p->rows[lo] = r;
        p->nrows++;
        for (uint32_t i = lo; i < p->nrows; i++)
            p->rows[i]->index = i;
        mark_dirty(t, p);
        if (!part_trim(t, p))
            return sl_error_set(err, SL_NOMEM, "out of memory in top-N");
    }
    t->seq_changed = t->seq_changed || n;
    return SL_OK;
}

static struct topn_row *id_find(const struct topn_op *t, uint64_t h, const struct sl_value *vals)
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

/* A changelog row: a group's new value replaces its old one, a DELETE removes it. */
static sl_status push_change(struct topn_op *t, enum sl_row_kind kind, uint64_t ph, uint64_t ih,
                             const struct sl_value *vals, struct sl_error *err)
{
    struct topn_row *old = id_find(t, ih, vals);
    struct topn_part *p = kind == SL_ROW_DELETE ? NULL : part_find(t, ph, vals + t->def.nout);
    if ((old && !part_settle(t, old->part)) || (p && !part_settle(t, p)))
        return sl_error_set(err, SL_NOMEM, "out of memory in top-N");
    uint32_t emitted = 0;
    if (old && old->part == p) {
        /* The same partition: the new row takes the old one's place in the table. */
        emitted = old->emitted_rank;
        old->emitted_rank = 0;
    }
    if (old && !part_remove(t, old->part, old->index))
        return sl_error_set(err, SL_NOMEM, "out of memory in top-N");
    if (kind == SL_ROW_DELETE)
        return SL_OK;
    if (!p && !(p = part_new(t, ph, vals + t->def.nout)))
        return sl_error_set(err, SL_NOMEM, "out of memory in top-N");
    if (t->ids.count >= t->ids.nbuckets && !table_grow(&t->ids, ROW_LINK_OFF))
        return sl_error_set(err, SL_NOMEM, "out of memory in top-N");
    struct topn_row *r = row_for(t, p, vals);
    if (!r)
        return sl_error_set(err, SL_NOMEM, "out of memory in top-N");
    r->emitted_rank = emitted;
    r->changed = true;
    r->id_hash = ih;
    uint32_t b = (uint32_t)(ih & (t->ids.nbuckets - 1));
    r->id_next = t->ids.buckets[b];
    t->ids.buckets[b] = r;
    t->ids.count++;
    r->index = p->nrows;
    p->rows[p->nrows++] = r;
    p->sorted = false;
    mark_dirty(t, p);
    return SL_OK;
}

static sl_status topn_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    struct topn_op *t = (struct topn_op *)op;
    const uint32_t *rows = rowsel_of(chunk);
    uint32_t n = chunk_active(chunk);
    uint64_t ph[SL_CHUNK_CAP], ih[SL_CHUNK_CAP];
    struct sl_value *vals = t->probe->vals;
    hash_rows(chunk, rows, n, NULL, t->def.nout, t->def.npartition, ph);
    sl_status st = SL_OK;
    if (!t->def.changelog) {
        st = push_appended(t, chunk, rows, n, ph, err);
    } else {
        hash_rows(chunk, rows, n, t->identity_cols, 0, t->def.nidentity, ih);
        for (uint32_t k = 0; k < n && st == SL_OK; k++) {
            chunk_values(t, chunk, rows[k], vals);
            enum sl_row_kind kind = chunk->row_kinds ? chunk->row_kinds[rows[k]] : SL_ROW_INSERT;
            st = push_change(t, kind, ph[k], ih[k], vals, err);
        }
    }
    return st;
}

/* ---- flush: what changed, as a changelog -------------------------------- */

/* Appends r's values, with rank at the rank column, to the flush's chunk as
 * kind; a full chunk goes downstream. */
static sl_status emit_row(struct topn_op *t, const struct topn_row *r, uint32_t rank,
                          enum sl_row_kind kind, struct sl_error *err)
{
    struct sl_op *op = &t->base;
    if (!t->out && (chunk_create(op->batch, op->nout, op->out_types, &t->out) != SL_OK ||
                    !(t->out->row_kinds = arena_alloc(op->batch, SL_CHUNK_CAP))))
        return sl_error_set(err, SL_NOMEM, "out of memory emitting top-N rows");
    uint32_t i = t->out->count++;
    for (uint32_t col = 0; col < op->nout; col++)
        vector_set(&t->out->cols[col], i,
                   col == t->def.rank_col ? (struct sl_value){.type = SL_INT, .u.i = rank}
                                          : r->vals[col]);
    t->out->row_kinds[i] = (uint8_t)kind;
    if (t->out->count < SL_CHUNK_CAP)
        return SL_OK;
    struct sl_chunk *full = t->out;
    t->out = NULL;
    return op_push(op->next, full, err);
}

/* The ranks of a sorted partition's rows into t->ranks; returns how many are within N. */
static uint32_t part_ranks(struct topn_op *t, const struct topn_part *p)
{
    uint32_t top = 0;
    for (uint32_t i = 0; i < p->nrows; i++) {
        uint32_t rank = i + 1;
        if (t->def.fn != SL_TOPN_ROW_NUMBER && i > 0) {
            bool tie = order_cmp(t, p->rows[i - 1], p->rows[i]) == 0;
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

static void part_sort(struct topn_op *t, struct topn_part *p)
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
static bool ranks_fit(struct topn_op *t, uint32_t n)
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

static bool part_settle(struct topn_op *t, struct topn_part *p)
{
    if (p->settled)
        return true;
    part_sort(t, p);
    if (!ranks_fit(t, p->nrows))
        return false;
    uint32_t top = part_ranks(t, p);
    for (uint32_t i = 0; i < p->nrows; i++)
        p->rows[i]->emitted_rank = i < top ? t->ranks[i] : 0;
    p->emitted_count = top;
    p->settled = true;
    return true;
}

/* The row of partition p (kept or gone) the table holds at rank `rank`, for a POSITION delete. */
static const struct topn_row *emitted_at(const struct topn_part *p, uint32_t rank)
{
    for (uint32_t i = 0; i < p->ngone; i++)
        if (p->gone[i]->emitted_rank == rank)
            return p->gone[i];
    for (uint32_t i = 0; i < p->nrows; i++)
        if (p->rows[i]->emitted_rank == rank)
            return p->rows[i];
    return NULL;
}

/* The first pass: every DELETE of partition p. */
static sl_status emit_deletes(struct topn_op *t, struct topn_part *p, uint32_t top,
                              struct sl_error *err)
{
    sl_status st = SL_OK;
    if (t->def.key == SL_TOPN_KEY_POSITION) {
        for (uint32_t rank = top + 1; rank <= p->emitted_count && st == SL_OK; rank++) {
            const struct topn_row *r = emitted_at(p, rank);
            if (r)
                st = emit_row(t, r, rank, SL_ROW_DELETE, err);
        }
        return st;
    }
    for (uint32_t i = 0; i < p->ngone && st == SL_OK; i++)
        st = emit_row(t, p->gone[i], p->gone[i]->emitted_rank, SL_ROW_DELETE, err);
    for (uint32_t i = 0; i < p->nrows && st == SL_OK; i++) {
        const struct topn_row *r = p->rows[i];
        /* Out of the top, or (ROW: rank is part of the key) at another rank. */
        if (r->emitted_rank && (i >= top || (t->def.key == SL_TOPN_KEY_ROW &&
                                             r->emitted_rank != t->ranks[i])))
            st = emit_row(t, r, r->emitted_rank, SL_ROW_DELETE, err);
    }
    return st;
}

/* The second pass: partition p's rows within N that are new or moved or changed. */
static sl_status emit_upserts(struct topn_op *t, struct topn_part *p, uint32_t top,
                              struct sl_error *err)
{
    sl_status st = SL_OK;
    for (uint32_t i = 0; i < top && st == SL_OK; i++) {
        struct topn_row *r = p->rows[i];
        uint32_t rank = t->ranks[i];
        if (r->emitted_rank == rank && !r->changed)
            continue;
        bool exists = t->def.key == SL_TOPN_KEY_POSITION ? rank <= p->emitted_count
                      : t->def.key == SL_TOPN_KEY_IDENTITY ? r->emitted_rank != 0
                                                            : false;
        st = emit_row(t, r, rank, exists ? SL_ROW_UPDATE : SL_ROW_INSERT, err);
    }
    for (uint32_t i = 0; i < p->nrows; i++) {
        p->rows[i]->emitted_rank = i < top ? t->ranks[i] : 0;
        p->rows[i]->changed = false;
    }
    p->emitted_count = top;
    return st;
}

/* Records row r's state row: its key, and its values. */
static bool record_row(struct topn_op *t, const struct topn_row *r)
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
static bool part_drop(struct topn_op *t, struct topn_part *p)
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
static bool part_closed(const struct topn_op *t, const struct topn_part *p)
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
static bool drop_closed(struct topn_op *t)
{
    for (uint32_t b = 0; b < t->parts.nbuckets; b++) {
        for (struct topn_part *p = t->parts.buckets[b], *next; p; p = next) {
            next = p->next;
            if (part_closed(t, p) && !part_drop(t, p))
                return false;
        }
    }
    return true;
}

/* The delta's drops and the arrival counter (the rows are recorded by the flush). */
static bool record_state(struct topn_op *t)
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

static sl_status topn_flush(struct sl_op *op, struct sl_error *err)
{
    struct topn_op *t = (struct topn_op *)op;
    sl_status st = SL_OK;
    t->out = NULL;
    uint32_t most = 0;
    for (struct topn_part *p = t->dirty; p; p = p->dirty_next) {
        part_sort(t, p);
        most = p->nrows > most ? p->nrows : most;
    }
    if (!ranks_fit(t, most))
        return sl_error_set(err, SL_NOMEM, "out of memory emitting top-N rows");
    for (struct topn_part *p = t->dirty; p && st == SL_OK; p = p->dirty_next)
        st = emit_deletes(t, p, part_ranks(t, p), err);
    for (struct topn_part *p = t->dirty; p && st == SL_OK; p = p->dirty_next)
        st = emit_upserts(t, p, part_ranks(t, p), err);
    if (st == SL_OK && t->out && t->out->count) {
        struct sl_chunk *last = t->out;
        t->out = NULL;
        st = op_push(op->next, last, err);
    }
    if (st != SL_OK)
        return st;
    bool ok = true;
    for (struct topn_part *p = t->dirty, *next; p && ok; p = next) {
        next = p->dirty_next;
        p->dirty = false;
        for (uint32_t i = 0; i < p->ngone; i++)
            row_free(t, p->gone[i]);
        p->ngone = 0;
        /* A partition its window closed goes now: recorded and dropped in one
         * delta, its row would be written again after the drop (the writer
         * drops ranges first). */
        if (t->def.final || !p->nrows || (t->def.window_part >= 0 && part_closed(t, p))) {
            ok = part_drop(t, p);
        } else if (op->delta) {
            for (uint32_t i = 0; i < p->nrows && ok; i++) {
                struct topn_row *r = p->rows[i];
                if (!r->stored && (ok = record_row(t, r)))
                    r->stored = p->had_state = true;
            }
        }
    }
    t->dirty = NULL;
    if (ok && t->def.window_part >= 0 && !t->def.final)
        ok = drop_closed(t);
    if (ok && op->delta)
        ok = record_state(t);
    return ok ? SL_OK : sl_error_set(err, SL_NOMEM, "out of memory recording top-N state");
}

/* ---- restore ---------------------------------------------------------------- */

static uint64_t hash_values(const struct sl_value *v, const uint32_t *cols, uint32_t n)
{
    uint64_t h = SQLVAL_SEED;
    for (uint32_t i = 0; i < n; i++) {
        struct sl_value x = v[cols ? cols[i] : i];
        uint64_t kh = x.type == SL_NULL ? SQLVAL_NULL_HASH : sqlval_hash(x);
        h = (h ^ (kh + UINT64_C(0x9e3779b97f4a7c15) + (h << 6) + (h >> 2))) *
            UINT64_C(0xff51afd7ed558ccd);
    }
    return h;
}

/* One state row a flush recorded: the arrival counter (empty key), or a
 * row (its key: its partition's values and its tie-break; its state: its
 * values), added to its partition, which is settled when first used. */
static sl_status topn_restore(struct sl_op *op, const unsigned char *key, size_t key_len,
                              const unsigned char *state, size_t state_len, struct sl_error *err)
{
    struct topn_op *t = (struct topn_op *)op;
    struct codec_reader r;
    if (!key_len) {
        codec_reader_init(&r, state, state_len);
        t->next_seq = codec_get_i64(&r);
        return codec_done(&r) && t->next_seq >= 0
                   ? SL_OK
                   : sl_error_set(err, SL_ERROR, "the top-N's arrival counter does not decode");
    }
    struct sl_value *vals = t->probe->vals, *keys = vals + t->def.nout;
    codec_reader_init(&r, key, key_len);
    bool ok = codec_get_u8(&r) == 1;
    for (uint32_t i = 0; i < t->def.npartition; i++)
        keys[i] = codec_get_value(&r, t->in_types[t->def.nout + i]);
    int64_t seq = 0;
    if (t->def.nidentity) {
        for (uint32_t i = 0; i < t->def.nidentity; i++)
            (void)codec_get_value(&r, t->in_types[t->identity_cols[i]]);
    } else {
        const unsigned char *be = codec_get_bytes(&r, 8);
        for (int i = 0; be && i < 8; i++)
            seq = (int64_t)((uint64_t)seq << 8 | be[i]);
    }
    if (!ok || !codec_done(&r) || seq < 0)
        return sl_error_set(err, SL_ERROR, "a top-N row's key does not decode");
    uint64_t h = hash_values(keys, NULL, t->def.npartition);
    struct topn_part *p = part_find(t, h, keys);
    if (!p && !(p = part_new(t, h, keys)))
        return sl_error_set(err, SL_NOMEM, "out of memory restoring top-N state");
    /* The partition values again, from the row's own columns. */
    codec_reader_init(&r, state, state_len);
    for (uint32_t col = 0; col < t->nin; col++)
        vals[col] = codec_get_value(&r, t->in_types[col]);
    if (!codec_done(&r))
        return sl_error_set(err, SL_ERROR, "a top-N row's values do not decode");
    if (t->def.changelog && t->ids.count >= t->ids.nbuckets && !table_grow(&t->ids, ROW_LINK_OFF))
        return sl_error_set(err, SL_NOMEM, "out of memory restoring top-N state");
    uint64_t ih = t->def.changelog ? hash_values(vals, t->identity_cols, t->def.nidentity) : 0;
    if (t->def.changelog && id_find(t, ih, vals))
        return sl_error_set(err, SL_ERROR, "a top-N row is there twice");
    struct topn_row *row = row_for(t, p, vals);
    if (!row)
        return sl_error_set(err, SL_NOMEM, "out of memory restoring top-N state");
    row->seq = seq;
    row->stored = true;
    row->index = p->nrows;
    p->rows[p->nrows++] = row;
    p->sorted = p->settled = false;
    p->had_state = true;
    if (t->def.changelog) {
        row->id_hash = ih;
        uint32_t b = (uint32_t)(ih & (t->ids.nbuckets - 1));
        row->id_next = t->ids.buckets[b];
        t->ids.buckets[b] = row;
        t->ids.count++;
    }
    return SL_OK;
}

/* ---- the rest ------------------------------------------------------------- */

static const char *const fn_names[] = {"row_number", "rank", "dense_rank"};
static const char *const key_names[] = {"position", "identity", "row"};

static void topn_explain(const struct sl_op *op, struct sl_buf *out)
{
    const struct topn_op *t = (const struct topn_op *)op;
    buf_printf(out, "top-n %s() <= %lld", fn_names[t->def.fn], (long long)t->def.limit);
    for (uint32_t i = 0; i < t->def.npartition; i++)
        buf_printf(out, "%s#%u", i ? ", " : " partition by ", t->def.nout + i);
    for (uint32_t i = 0; i < t->def.norder; i++)
        buf_printf(out, "%s#%u%s", i ? ", " : " order by ", t->def.nout + t->def.npartition + i,
                   t->desc[i] ? " DESC" : "");
    buf_printf(out, " AS %s, keyed by %s%s%s", op->out_names[t->def.rank_col],
               key_names[t->def.key], t->def.changelog ? ", over changes" : "",
               t->def.final ? ", final" : "");
}

static void topn_stats(const struct sl_op *op, uint64_t *groups, uint64_t *bytes)
{
    const struct topn_op *t = (const struct topn_op *)op;
    *groups = t->nrows;
    *bytes = t->bytes + (uint64_t)(t->parts.nbuckets + t->ids.nbuckets) * sizeof(void *);
}

static void topn_destroy(struct sl_op *op)
{
    struct topn_op *t = (struct topn_op *)op;
    for (uint32_t b = 0; b < t->parts.nbuckets; b++) {
        for (struct topn_part *p = t->parts.buckets[b], *next; p; p = next) {
            next = p->next;
            /* The identity table goes whole below. */
            for (uint32_t i = 0; i < p->nrows; i++)
                sl_free(p->rows[i]);
            for (uint32_t i = 0; i < p->ngone; i++)
                sl_free(p->gone[i]);
            sl_free(p->rows);
            sl_free(p->gone);
            sl_free(p);
        }
    }
    sl_free(t->parts.buckets);
    sl_free(t->ids.buckets);
    sl_free(t->desc);
    sl_free(t->identity_cols);
    sl_free(t->in_types);
    sl_free(t->ranks);
    sl_free(t->probe);
    buf_free(&t->dropped);
    op_fini(op);
    sl_free(t);
}

static const struct sl_op_vtable topn_vtable = {
    .name = "topn",
    .push = topn_push,
    .flush = topn_flush,
    .explain = topn_explain,
    .destroy = topn_destroy,
    .stats = topn_stats,
    .restore = topn_restore,
};

sl_status op_topn_create(struct sl_arena *batch, const struct sl_topn_def *def,
                         struct sl_time_state *time, uint32_t nin, const enum sl_type *in_types,
                         const char *const *in_names, struct sl_op **out, struct sl_error *err)
{
    if (def->nout + def->npartition + def->norder != nin || def->rank_col >= def->nout ||
        !def->norder || def->limit < 1)
        return sl_error_set(err, SL_ERROR, "a top-N's columns do not add up");
    for (uint32_t i = 0; i < nin; i++)
        if (in_types[i] == SL_ARRAY)
            return sl_error_set(err, SL_ERROR,
                                "a top-N cannot keep the ARRAY column %s: unnest it or select "
                                "its text", in_names[i]);
    struct topn_op *t = sl_calloc(1, sizeof *t);
    enum sl_type *types = sl_calloc(nin, sizeof *types);
    if (!t || !types) {
        sl_free(t);
        sl_free(types);
        return sl_error_set(err, SL_NOMEM, "out of memory creating a top-N");
    }
    t->def = *def;
    t->time = time;
    t->nin = nin;
    buf_init(&t->dropped);
    memcpy(types, in_types, nin * sizeof *types);
    types[def->rank_col] = SL_INT;
    t->in_types = sl_calloc(nin, sizeof *t->in_types);
    t->desc = sl_calloc(def->norder, sizeof *t->desc);
    t->identity_cols = sl_calloc(def->nidentity ? def->nidentity : 1, sizeof *t->identity_cols);
    t->probe = sl_calloc(1, sizeof *t->probe + nin * sizeof(struct sl_value));
    bool ok = t->in_types && t->desc && t->identity_cols && t->probe &&
              op_init(&t->base, &topn_vtable, batch, def->nout, types, in_names) == SL_OK;
    sl_free(types);
    if (!ok) {
        sl_free(t->in_types);
        sl_free(t->desc);
        sl_free(t->identity_cols);
        sl_free(t->probe);
        sl_free(t);
        return sl_error_set(err, SL_NOMEM, "out of memory creating a top-N");
    }
    memcpy(t->in_types, in_types, nin * sizeof *t->in_types);
    memcpy(t->desc, def->desc, def->norder * sizeof *t->desc);
    if (def->nidentity)
        memcpy(t->identity_cols, def->identity_cols, def->nidentity * sizeof *t->identity_cols);
    t->def.desc = t->desc;
    t->def.identity_cols = t->identity_cols;
    *out = &t->base;
    return SL_OK;
}
