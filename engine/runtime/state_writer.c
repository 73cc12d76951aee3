/* state_writer.c — writes the operators' state deltas and compacts the state log (see state_writer.h). */
#include "engine/runtime/state_writer.h"

#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "engine/ops/state_delta.h"

/* One stateful operator: its delta and, with a snapshot hook, its log's compaction. */
struct op_state {
    struct sl_op *op;
    struct sl_state_delta delta;
    /* The next group the pass appends again, the log's seq when the pass
     * began (UINT64_MAX: at the next write), and the seq below which every
     * row is superseded. */
    uint64_t pass_pos, pass_start, superseded_below;
};

struct sl_state_writer {
    struct op_state *ops;
    uint32_t nops;
    uint64_t log_seq;  /* the number the next appended row takes */
    uint64_t log_rows; /* rows the log holds (a query has at most one operator with a log) */
    struct sl_state_delta again; /* the pass's rows */
};

sl_status state_writer_create(struct sl_op *head, struct sl_state_writer **out,
                              struct sl_error *err)
{
    struct sl_state_writer *w = sl_calloc(1, sizeof *w);
    uint32_t n = 0;
    while (op_stateful(head, n))
        n++;
    if (w && n)
        w->ops = sl_calloc(n, sizeof *w->ops);
    if (!w || (n && !w->ops)) {
        sl_free(w);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    w->nops = n;
    state_delta_init(&w->again);
    for (uint32_t i = 0; i < n; i++) {
        struct op_state *s = &w->ops[i];
        s->op = op_stateful(head, i);
        s->pass_start = UINT64_MAX;
        state_delta_init(&s->delta);
        s->op->delta = &s->delta;
    }
    *out = w;
    return SL_OK;
}

void state_writer_set_log(struct sl_state_writer *w, uint64_t rows, uint64_t next_seq)
{
    w->log_rows = rows;
    w->log_seq = next_seq;
}

uint64_t state_writer_log_rows(const struct sl_state_writer *w)
{
    return w->log_rows;
}

/* A row's key, for writing rows in key order. */
struct key_ref {
    const unsigned char *bytes;
    uint32_t len;
    uint32_t row;
};

/* SQLite's BLOB order: bytes, then length. */
static int key_ref_cmp(const void *a, const void *b)
{
    const struct key_ref *x = a, *y = b;
    uint32_t n = x->len < y->len ? x->len : y->len;
    int c = n ? memcmp(x->bytes, y->bytes, n) : 0;
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* The dropped ranges, then the rows sorted by key: the table's B-tree is
 * filled in order, not at random places. */
static sl_status write_table(const struct sl_state_delta *d, uint32_t op,
                             const struct sl_state_store *store, struct sl_error *err)
{
    sl_status st = SL_OK;
    for (uint32_t i = 0; st == SL_OK && i < d->nranges; i++) {
        const struct sl_state_range *g = &d->ranges[i];
        st = store->drop(store->ctx, op, state_delta_lo(d, g), g->lo_len, state_delta_hi(d, g),
                         g->hi_len, err);
    }
    if (st != SL_OK || !d->nrows)
        return st;
    struct key_ref *refs = sl_malloc((size_t)d->nrows * sizeof *refs);
    if (!refs)
        return sl_error_set(err, SL_NOMEM, "out of memory writing operator state");
    for (uint32_t i = 0; i < d->nrows; i++)
        refs[i] = (struct key_ref){state_delta_key(d, &d->rows[i]), d->rows[i].key_len, i};
    qsort(refs, d->nrows, sizeof *refs, key_ref_cmp);
    for (uint32_t i = 0; st == SL_OK && i < d->nrows; i++) {
        const struct sl_state_row *r = &d->rows[refs[i].row];
        st = store->put(store->ctx, op, refs[i].bytes, r->key_len, state_delta_state(d, r),
                        r->state_len, err);
    }
    sl_free(refs);
    return st;
}

/* Appends d's rows to the log, in the order recorded, as many at once as
 * the store writes with one statement. */
static sl_status append_rows(struct sl_state_writer *w, const struct sl_state_delta *d,
                             uint32_t op, const struct sl_state_store *store,
                             struct sl_error *err)
{
    struct db_state_row rows[DB_STATE_LOG_ROWS];
    sl_status st = SL_OK;
    for (uint32_t i = 0; st == SL_OK && i < d->nrows;) {
        uint32_t n = 0;
        for (; n < DB_STATE_LOG_ROWS && i < d->nrows; n++, i++) {
            const struct sl_state_row *r = &d->rows[i];
            rows[n] = (struct db_state_row){state_delta_key(d, r), r->key_len,
                                            state_delta_state(d, r), r->state_len};
        }
        st = store->append(store->ctx, op, w->log_seq, rows, n, err);
        if (st == SL_OK) {
            w->log_seq += n;
            w->log_rows += n;
        }
    }
    return st;
}

/* Rows the snapshot hook makes per slice of marked groups: what is copied at once. */
#define MARKED_SLICE 1024

/* Appends the rows of the groups the flush marked, made by the snapshot hook
 * a slice at a time, in the order marked. */
static sl_status append_marked(struct sl_state_writer *w, struct op_state *s, uint32_t op,
                               const struct sl_state_store *store, struct sl_error *err)
{
    sl_status st = SL_OK;
    for (uint32_t from = 0; st == SL_OK && from < s->delta.nmarked; from += MARKED_SLICE) {
        uint32_t left = s->delta.nmarked - from;
        uint32_t to = from + (left < MARKED_SLICE ? left : MARKED_SLICE);
        state_delta_clear(&w->again);
        for (uint32_t i = from; st == SL_OK && i < to; i++)
            st = s->op->vt->snapshot(s->op, s->delta.marked[i], &w->again, err);
        if (st == SL_OK)
            st = append_rows(w, &w->again, op, store, err);
    }
    return st;
}

/* The pass's share of this write: records again the next groups the flush
 * did not change, as many as it changed and at least 1/1024 of all; a pass
 * that has covered every group supersedes the rows from before it began. */
static sl_status advance_pass(struct sl_state_writer *w, struct op_state *s, uint32_t op,
                              const struct sl_state_store *store, struct sl_error *err)
{
    uint64_t groups, bytes;
    s->op->vt->stats(s->op, &groups, &bytes);
    uint64_t changed = (uint64_t)s->delta.nrows + s->delta.nmarked;
    uint64_t step = changed > groups / 1024 + 1 ? changed : groups / 1024 + 1;
    uint64_t end = s->pass_pos + step < groups ? s->pass_pos + step : groups;
    /* Which groups of [pass_pos, end) the flush recorded. */
    bool *recorded = end > s->pass_pos ? sl_calloc(end - s->pass_pos, sizeof *recorded) : NULL;
    if (end > s->pass_pos && !recorded)
        return sl_error_set(err, SL_NOMEM, "out of memory compacting operator state");
    for (uint32_t i = 0; i < s->delta.nrows; i++) {
        uint64_t pos = s->delta.rows[i].pos;
        if (pos >= s->pass_pos && pos < end)
            recorded[pos - s->pass_pos] = true;
    }
    for (uint32_t i = 0; i < s->delta.nmarked; i++) {
        uint64_t pos = s->delta.marked[i];
        if (pos >= s->pass_pos && pos < end)
            recorded[pos - s->pass_pos] = true;
    }
    state_delta_clear(&w->again);
    sl_status st = SL_OK;
    for (uint64_t pos = s->pass_pos; st == SL_OK && pos < end; pos++)
        if (!recorded[pos - s->pass_pos])
            st = s->op->vt->snapshot(s->op, pos, &w->again, err);
    sl_free(recorded);
    if (st == SL_OK)
        st = append_rows(w, &w->again, op, store, err);
    if (st != SL_OK)
        return st;
    s->pass_pos = end;
    if (s->pass_pos >= groups) {
        s->superseded_below = s->pass_start;
        s->pass_start = w->log_seq;
        s->pass_pos = 0;
    }
    return SL_OK;
}

/* Appends the delta's rows and the pass's; then, the rows present running
 * from log_seq - log_rows up, deletes twice as many superseded ones as
 * were appended, so a backlog (the rows a restarted query found) shrinks
 * as the log goes on. */
static sl_status write_log(struct sl_state_writer *w, struct op_state *s, uint32_t op,
                           const struct sl_state_store *store, struct sl_error *err)
{
    if (s->pass_start == UINT64_MAX)
        s->pass_start = w->log_seq;
    uint64_t first = w->log_seq;
    sl_status st = append_rows(w, &s->delta, op, store, err);
    if (st == SL_OK)
        st = append_marked(w, s, op, store, err);
    if (st == SL_OK)
        st = advance_pass(w, s, op, store, err);
    uint64_t lowest = w->log_seq - w->log_rows;
    if (st == SL_OK && lowest < s->superseded_below) {
        uint64_t cut = lowest + 2 * (w->log_seq - first);
        if (cut > s->superseded_below)
            cut = s->superseded_below;
        st = store->truncate(store->ctx, op, cut, err);
        /* What is left is what was appended since cut. */
        if (st == SL_OK)
            w->log_rows = w->log_seq - cut;
    }
    return st;
}

sl_status state_writer_write(struct sl_state_writer *w, const struct sl_state_store *store,
                             struct sl_error *err)
{
    sl_status st = SL_OK;
    for (uint32_t i = 0; i < w->nops; i++) {
        struct op_state *s = &w->ops[i];
        if (st == SL_OK && s->delta.failed)
            st = sl_error_set(err, SL_NOMEM, "out of memory recording operator state");
        if (st == SL_OK)
            st = s->op->vt->snapshot ? write_log(w, s, i, store, err)
                                     : write_table(&s->delta, i, store, err);
        state_delta_clear(&s->delta);
    }
    return st;
}

void state_writer_destroy(struct sl_state_writer *w)
{
    if (!w)
        return;
    for (uint32_t i = 0; i < w->nops; i++)
        state_delta_free(&w->ops[i].delta);
    state_delta_free(&w->again);
    sl_free(w->ops);
    sl_free(w);
}
