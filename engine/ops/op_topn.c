/*
 * op_topn.c — Top-N and deduplication (issue 16): ROW_NUMBER() / RANK() /
 * DENSE_RANK() OVER (PARTITION BY ... ORDER BY ...) kept to ranks 1..N.
 *
 * State (engine/ops/topn_store.c): partitions in a chained hash table by their PARTITION BY values,
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
#include "engine/ops/topn_store.h"
#include "engine/values/rowsel.h"
#include "engine/values/sqlval.h"

#include <stdlib.h>
#include <string.h>

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
            h[k] = group_hash_mix(h[k], kh);
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
        groups += topn_order_cmp(t, p->rows[i - 1], p->rows[i]) != 0;
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
            while (first > 0 && topn_order_cmp(t, p->rows[first - 1], p->rows[last]) == 0)
                first--;
            uint64_t rank = first + 1;
            if (t->def.fn == SL_TOPN_DENSE_RANK) {
                rank = first > 0 ? 2 : 1;
                for (uint32_t i = 1; i < first; i++)
                    rank += topn_order_cmp(t, p->rows[i - 1], p->rows[i]) != 0;
            }
            if (rank <= (uint64_t)t->def.limit)
                return true;
        }
        for (uint32_t i = last + 1; i-- > first;)
            if (!topn_part_remove(t, p, i))
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
        struct topn_part *p = topn_part_find(t, ph[k], vals + t->def.nout);
        if (p && !topn_part_settle(t, p))
            return sl_error_set(err, SL_NOMEM, "out of memory in top-N");
        /* A row that would rank past N stays out, before anything is allocated;
         * one tied with the last keeps its rank under RANK and DENSE_RANK. */
        if (p && p->nrows && part_full(t, p) &&
            (t->def.fn == SL_TOPN_ROW_NUMBER ? topn_rank_cmp(t, probe, p->rows[p->nrows - 1])
                                             : topn_order_cmp(t, probe, p->rows[p->nrows - 1])) > 0)
            continue;
        if (!p && !(p = topn_part_new(t, ph[k], vals + t->def.nout)))
            return sl_error_set(err, SL_NOMEM, "out of memory in top-N");
        struct topn_row *r = topn_row_for(t, p, vals);
        if (!r)
            return sl_error_set(err, SL_NOMEM, "out of memory in top-N");
        r->seq = seq;
        uint32_t lo = 0, hi = p->nrows;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (topn_rank_cmp(t, p->rows[mid], r) <= 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        memmove(p->rows + lo + 1, p->rows + lo, (p->nrows - lo) * sizeof *p->rows);
        p->rows[lo] = r;
        p->nrows++;
        for (uint32_t i = lo; i < p->nrows; i++)
            p->rows[i]->index = i;
        topn_mark_dirty(t, p);
        if (!part_trim(t, p))
            return sl_error_set(err, SL_NOMEM, "out of memory in top-N");
    }
    t->seq_changed = t->seq_changed || n;
    return SL_OK;
}

/* A changelog row: a group's new value replaces its old one, a DELETE removes it. */
static sl_status push_change(struct topn_op *t, enum sl_row_kind kind, uint64_t ph, uint64_t ih,
                             const struct sl_value *vals, struct sl_error *err)
{
    struct topn_row *old = topn_id_find(t, ih, vals);
    struct topn_part *p = kind == SL_ROW_DELETE ? NULL : topn_part_find(t, ph, vals + t->def.nout);
    if ((old && !topn_part_settle(t, old->part)) || (p && !topn_part_settle(t, p)))
        return sl_error_set(err, SL_NOMEM, "out of memory in top-N");
    uint32_t emitted = 0;
    if (old && old->part == p) {
        /* The same partition: the new row takes the old one's place in the table. */
        emitted = old->emitted_rank;
        old->emitted_rank = 0;
    }
    if (old && !topn_part_remove(t, old->part, old->index))
        return sl_error_set(err, SL_NOMEM, "out of memory in top-N");
    if (kind == SL_ROW_DELETE)
        return SL_OK;
    if (!p && !(p = topn_part_new(t, ph, vals + t->def.nout)))
        return sl_error_set(err, SL_NOMEM, "out of memory in top-N");
    struct topn_row *r = topn_row_for(t, p, vals);
    if (r && !topn_id_insert(t, r, ih)) {
        topn_row_free(t, r);
        r = NULL;
    }
    if (!r)
        return sl_error_set(err, SL_NOMEM, "out of memory in top-N");
    r->emitted_rank = emitted;
    r->changed = true;
    r->index = p->nrows;
    p->rows[p->nrows++] = r;
    p->sorted = false;
    topn_mark_dirty(t, p);
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

static sl_status topn_flush(struct sl_op *op, struct sl_error *err)
{
    struct topn_op *t = (struct topn_op *)op;
    sl_status st = SL_OK;
    t->out = NULL;
    uint32_t most = 0;
    for (struct topn_part *p = t->dirty; p; p = p->dirty_next) {
        topn_part_sort(t, p);
        most = p->nrows > most ? p->nrows : most;
    }
    if (!topn_ranks_fit(t, most))
        return sl_error_set(err, SL_NOMEM, "out of memory emitting top-N rows");
    for (struct topn_part *p = t->dirty; p && st == SL_OK; p = p->dirty_next)
        st = emit_deletes(t, p, topn_part_ranks(t, p), err);
    for (struct topn_part *p = t->dirty; p && st == SL_OK; p = p->dirty_next)
        st = emit_upserts(t, p, topn_part_ranks(t, p), err);
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
            topn_row_free(t, p->gone[i]);
        p->ngone = 0;
        /* A partition its window closed goes now: recorded and dropped in one
         * delta, its row would be written again after the drop (the writer
         * drops ranges first). */
        if (t->def.final || !p->nrows || (t->def.window_part >= 0 && topn_part_closed(t, p))) {
            ok = topn_part_drop(t, p);
        } else if (op->delta) {
            for (uint32_t i = 0; i < p->nrows && ok; i++) {
                struct topn_row *r = p->rows[i];
                if (!r->stored && (ok = topn_record_row(t, r)))
                    r->stored = p->had_state = true;
            }
        }
    }
    t->dirty = NULL;
    if (ok && t->def.window_part >= 0 && !t->def.final)
        ok = topn_drop_closed(t);
    if (ok && op->delta)
        ok = topn_record_state(t);
    return ok ? SL_OK : sl_error_set(err, SL_NOMEM, "out of memory recording top-N state");
}

/* ---- restore ---------------------------------------------------------------- */

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
    uint64_t h = topn_hash_values(keys, NULL, t->def.npartition);
    struct topn_part *p = topn_part_find(t, h, keys);
    if (!p && !(p = topn_part_new(t, h, keys)))
        return sl_error_set(err, SL_NOMEM, "out of memory restoring top-N state");
    /* The partition values again, from the row's own columns. */
    codec_reader_init(&r, state, state_len);
    for (uint32_t col = 0; col < t->nin; col++)
        vals[col] = codec_get_value(&r, t->in_types[col]);
    if (!codec_done(&r))
        return sl_error_set(err, SL_ERROR, "a top-N row's values do not decode");
    uint64_t ih = t->def.changelog ? topn_hash_values(vals, t->identity_cols, t->def.nidentity) : 0;
    if (t->def.changelog && topn_id_find(t, ih, vals))
        return sl_error_set(err, SL_ERROR, "a top-N row is there twice");
    struct topn_row *row = topn_row_for(t, p, vals);
    if (row && t->def.changelog && !topn_id_insert(t, row, ih)) {
        topn_row_free(t, row);
        row = NULL;
    }
    if (!row)
        return sl_error_set(err, SL_NOMEM, "out of memory restoring top-N state");
    row->seq = seq;
    row->stored = true;
    row->index = p->nrows;
    p->rows[p->nrows++] = row;
    p->sorted = p->settled = false;
    p->had_state = true;
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
