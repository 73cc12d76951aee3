/*
 * op_session_agg.c — GROUP BY over SESSION windows (ops.h says what it
 * computes). Each key's open sessions are a list sorted by start, disjoint
 * and not touching; a row opens [ts, ts + gap) and merges every session
 * that overlaps or touches it, combining their aggregates, so rows out of
 * order merge the same way as rows in order.
 *
 * Closing: a session closes when the watermark reaches its end + grace. A
 * min-heap of (end, key) finds them without scanning every key; an entry
 * whose session has since grown is stale and only costs a look. As with
 * the other windows, sessions are closed before each row is folded, so a
 * row is late exactly when, at its arrival, its own window [ts, ts + gap)
 * has closed or it would join a session already closed (ts at or before the
 * end of the key's last closed session, kept as the key's `closed_end`).
 *
 * EMIT CHANGES: a session's row is keyed by its bounds, which change as it
 * grows or merges, so the row emitted for the old bounds is deleted when the
 * new one is written. Keys whose sessions are all closed, and whose
 * `closed_end` can no longer make a row late, are dropped by rebuilding the
 * group table when they outnumber the live ones.
 *
 * State rows (recorded by the flush in op->delta, read back by restore):
 * one under the empty key holding the stream's watermark (an agg_codec
 * i64), and one per key, its key "K" then the group keys (agg_codec
 * values), its state the key's closed bounds and open sessions (bounds,
 * emitted bounds, agg_set_serialize of the states). A key is listed as
 * changed when a row folds into it or a session of it closes; once the
 * flush has closed its sessions it records each listed key and, when it is
 * about to rebuild the table, a drop of each key the rebuild drops.
 */
#include <string.h>

#include "common/alloc.h"
#include "common/assert.h"
#include "common/time.h"
#include "engine/aggregates/agg_codec.h"
#include "engine/ops/agg_set.h"
#include "engine/values/rowsel.h"

/* One open session; the aggregate states follow it (sess_op.rec_size bytes in all). */
struct session {
    int64_t start, end;
    int64_t emitted_start, emitted_end; /* bounds of the row in the result table; INT64_MIN: none */
    uint8_t changed;                    /* folded into since the last flush */
};

/* A key's payload in the group table. */
struct sess_key {
    unsigned char *sessions; /* n records of rec_size bytes, ascending start */
    uint32_t n, cap;
    int64_t closed_start, closed_end; /* the key's last closed session; end INT64_MIN: none */
    int64_t heap_end;   /* the end its heap entry carries; INT64_MAX: none */
    uint8_t changed;    /* listed in `changed` */
};

struct heap_item {
    int64_t end;
    uint32_t gid;
};

/* A row emitted before for bounds that no longer exist: deleted at the flush. */
struct stale_row {
    uint32_t gid;
    int64_t start, end;
};

/* The first byte of a key's state row (the watermark's row has the empty key). */
#define SESSION_KEY_PREFIX "K"

struct sess_op {
    struct sl_op base;
    struct sl_window_def def;
    struct sl_time_state *time;
    uint32_t nkeys;
    enum sl_type *key_types;
    struct sl_agg_set aggs; /* states laid out after a struct session */
    size_t rec_size;

    struct sl_group_table *table;
    struct sl_group_scratch *find_scratch;
    struct sl_value *restore_keys; /* nkeys: a restored key's values */
    bool restored_scalars;         /* restore read the watermark's row */
    uint32_t live_keys; /* keys with an open session */
    size_t arena_after_compact; /* the table's arena just after the last rebuild */
    struct heap_item *heap;
    uint32_t nheap, cap_heap;
    uint32_t *changed; /* keys with a changed session */
    uint32_t nchanged, cap_changed;
    struct stale_row *stale;
    uint32_t nstale, cap_stale;

    struct agg_out out;
    struct agg_out late; /* late.to NULL: late rows are only counted */
    unsigned char *scratch; /* one session record */
    uint32_t gids[SL_CHUNK_CAP];
};

static int64_t sat_sub(int64_t a, int64_t b)
{
    return a < INT64_MIN + b ? INT64_MIN : a - b;
}

static inline struct session *rec(const struct sess_op *o, const struct sess_key *k, uint32_t j)
{
    return (struct session *)(k->sessions + (size_t)j * o->rec_size);
}

/* Grows an array of `size`-byte items to hold one more, from `first` items; false when out
 * of memory. */
static bool grow(void **items, uint32_t n, uint32_t *cap, size_t size, uint32_t first)
{
    if (n < *cap)
        return true;
    uint32_t ncap = *cap ? *cap * 2 : first;
    void *p = sl_realloc(*items, (size_t)ncap * size);
    if (!p)
        return false;
    *items = p;
    *cap = ncap;
    return true;
}

static bool heap_push(struct sess_op *o, int64_t end, uint32_t gid)
{
    if (!grow((void **)&o->heap, o->nheap, &o->cap_heap, sizeof *o->heap, 16))
        return false;
    uint32_t i = o->nheap++;
    while (i > 0 && o->heap[(i - 1) / 2].end > end) {
        o->heap[i] = o->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    o->heap[i] = (struct heap_item){end, gid};
    return true;
}

static struct heap_item heap_pop(struct sess_op *o)
{
    struct heap_item top = o->heap[0], last = o->heap[--o->nheap];
    uint32_t i = 0;
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= o->nheap)
            break;
        if (c + 1 < o->nheap && o->heap[c + 1].end < o->heap[c].end)
            c++;
        if (o->heap[c].end >= last.end)
            break;
        o->heap[i] = o->heap[c];
        i = c;
    }
    if (o->nheap)
        o->heap[i] = last;
    return top;
}

/* The heap's order: no entry ends before its parent. */
static SL_ASSERT_ONLY bool heap_in_order(const struct sess_op *o)
{
    for (uint32_t i = 1; i < o->nheap; i++)
        if (o->heap[i].end < o->heap[(i - 1) / 2].end)
            return false;
    return true;
}

/* Key k's open sessions: sorted by start, disjoint and not touching, none empty. */
static SL_ASSERT_ONLY bool sessions_in_order(const struct sess_op *o, const struct sess_key *k)
{
    for (uint32_t j = 0; j < k->n; j++) {
        const struct session *s = rec(o, k, j);
        if (s->end <= s->start || (j && s->start <= rec(o, k, j - 1)->end))
            return false;
    }
    return true;
}

/* Emits a row for key gid: bounds, keys and, unless a DELETE, the session's aggregates. */
static sl_status emit_row(struct sess_op *o, enum sl_row_kind kind, uint32_t gid, int64_t start,
                          int64_t end, struct session *s, struct sl_error *err)
{
    uint32_t row;
    sl_status st = agg_out_row(&o->out, kind, &row, err);
    if (st != SL_OK)
        return st;
    struct sl_chunk *c = o->out.chunk;
    vector_set(&c->cols[0], row, (struct sl_value){.type = SL_TIMESTAMP, .u.i = start});
    vector_set(&c->cols[1], row, (struct sl_value){.type = SL_TIMESTAMP, .u.i = end});
    for (uint32_t col = 0; col < o->nkeys; col++)
        vector_set(&c->cols[2 + col], row, group_table_key(o->table, gid, col));
    if (!s) {
        for (uint32_t a = 0; a < o->aggs.naggs; a++)
            vector_set(&c->cols[2 + o->nkeys + a], row, sl_null());
        return SL_OK;
    }
    if (!agg_set_store(&o->aggs, s, c, 2 + o->nkeys, row))
        return sl_error_set(err, SL_NOMEM, "out of memory emitting session rows");
    return SL_OK;
}

/* EMIT CHANGES: writes session s's current row, deleting the one for its old bounds. */
static sl_status emit_change(struct sess_op *o, uint32_t gid, struct session *s,
                             struct sl_error *err)
{
    sl_status st = SL_OK;
    if (s->emitted_start != INT64_MIN &&
        (s->emitted_start != s->start || s->emitted_end != s->end))
        st = emit_row(o, SL_ROW_DELETE, gid, s->emitted_start, s->emitted_end, NULL, err);
    if (st == SL_OK)
        st = emit_row(o, SL_ROW_UPDATE, gid, s->start, s->end, s, err);
    s->emitted_start = s->start;
    s->emitted_end = s->end;
    s->changed = 0;
    return st;
}

static bool note_changed(struct sess_op *o, uint32_t gid, struct sess_key *k);

/* Closes key gid's sessions that end at or before limit; a key whose state
 * this changes is listed as changed, for the flush to record. */
static sl_status close_key(struct sess_op *o, uint32_t gid, int64_t limit, struct sl_error *err)
{
    struct sess_key *k = group_table_payload(o->table, gid);
    uint32_t closed = 0;
    sl_status st = SL_OK;
    while (closed < k->n && rec(o, k, closed)->end <= limit && st == SL_OK) {
        struct session *s = rec(o, k, closed);
        if (o->def.emit_final)
            st = emit_row(o, SL_ROW_INSERT, gid, s->start, s->end, s, err);
        else if (s->changed)
            st = emit_change(o, gid, s, err);
        k->closed_start = s->start;
        k->closed_end = s->end;
        closed++;
    }
    if (closed) {
        memmove(k->sessions, rec(o, k, closed), (size_t)(k->n - closed) * o->rec_size);
        k->n -= closed;
        if (k->n == 0)
            o->live_keys--;
        if (st == SL_OK && !note_changed(o, gid, k))
            st = sl_error_set(err, SL_NOMEM, "out of memory in session window");
    }
    return st;
}

/* Gives key gid a heap entry for its earliest session's end, unless it has one
 * as early: one entry per key, however many rows extend its sessions. */
static bool schedule_key(struct sess_op *o, uint32_t gid, struct sess_key *k)
{
    if (k->n == 0 || rec(o, k, 0)->end >= k->heap_end)
        return true;
    k->heap_end = rec(o, k, 0)->end;
    return heap_push(o, k->heap_end, gid);
}

static sl_status close_until(struct sess_op *o, int64_t limit, struct sl_error *err)
{
    while (o->nheap && o->heap[0].end <= limit) {
        struct heap_item top = heap_pop(o);
        struct sess_key *k = group_table_payload(o->table, top.gid);
        /* An entry replaced by an earlier one: the key is scheduled already. */
        if (top.end != k->heap_end)
            continue;
        k->heap_end = INT64_MAX;
        sl_status st = close_key(o, top.gid, limit, err);
        if (st != SL_OK)
            return st;
        /* Its session may have grown since it was scheduled: again, for its end now. */
        if (!schedule_key(o, top.gid, k))
            return sl_error_set(err, SL_NOMEM, "out of memory in session window");
    }
    return SL_OK;
}

static bool note_changed(struct sess_op *o, uint32_t gid, struct sess_key *k)
{
    if (k->changed)
        return true;
    if (!grow((void **)&o->changed, o->nchanged, &o->cap_changed, sizeof *o->changed, 16))
        return false;
    k->changed = 1;
    o->changed[o->nchanged++] = gid;
    return true;
}

/* Folds row i of c, at time ts, into key gid's sessions, merging the ones it joins. */
static sl_status fold_row(struct sess_op *o, uint32_t gid, const struct sl_chunk *c, uint32_t i,
                          int64_t ts, struct sl_error *err)
{
    struct sess_key *k = group_table_payload(o->table, gid);
    struct sl_arena *keep = group_table_arena(o->table);
    int64_t end = ts + o->def.gap_us;
    uint32_t first = 0;
    while (first < k->n && rec(o, k, first)->end < ts)
        first++;
    uint32_t last = first; /* sessions [first, last) touch [ts, end) */
    while (last < k->n && rec(o, k, last)->start <= end)
        last++;
    struct session *s;
    if (first == last) {
        if (!grow((void **)&k->sessions, k->n, &k->cap, o->rec_size,
                  1 /* a key has one open session, most of the time */))
            return sl_error_set(err, SL_NOMEM, "out of memory in session window");
        memmove(rec(o, k, first + 1), rec(o, k, first), (size_t)(k->n - first) * o->rec_size);
        k->n++;
        if (k->n == 1)
            o->live_keys++;
        s = rec(o, k, first);
        memset(s, 0, o->rec_size);
        s->start = ts;
        s->end = end;
        s->emitted_start = s->emitted_end = INT64_MIN;
        agg_set_init_states(&o->aggs, s);
    } else {
        s = rec(o, k, first);
        for (uint32_t j = first + 1; j < last; j++) {
            struct session *m = rec(o, k, j);
            sl_status st = agg_set_combine(&o->aggs, s, m, keep, err);
            if (st != SL_OK)
                return st;
            if (m->emitted_start != INT64_MIN) {
                if (!grow((void **)&o->stale, o->nstale, &o->cap_stale, sizeof *o->stale, 16))
                    return sl_error_set(err, SL_NOMEM, "out of memory in session window");
                o->stale[o->nstale++] = (struct stale_row){gid, m->emitted_start, m->emitted_end};
            }
            if (m->end > s->end)
                s->end = m->end;
        }
        memmove(rec(o, k, first + 1), rec(o, k, last), (size_t)(k->n - last) * o->rec_size);
        k->n -= last - first - 1;
        if (ts < s->start)
            s->start = ts;
        if (end > s->end)
            s->end = end;
    }
    sl_status st = agg_set_step_row(&o->aggs, s, c, i, keep, err);
    if (st != SL_OK)
        return st;
    s->changed = 1;
    SL_ASSERT(sessions_in_order(o, k));
    if (!note_changed(o, gid, k) || !schedule_key(o, gid, k))
        return sl_error_set(err, SL_NOMEM, "out of memory in session window");
    return SL_OK;
}

static sl_status session_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    struct sess_op *o = (struct sess_op *)op;
    const uint32_t *rows = rowsel_of(chunk);
    uint32_t n = chunk_active(chunk), before = group_table_count(o->table);
    sl_status st = group_table_find(o->table, chunk, rows, n, o->gids, err);
    if (st != SL_OK)
        return st;
    for (uint32_t g = before; g < group_table_count(o->table); g++) {
        struct sess_key *key = group_table_payload(o->table, g);
        key->closed_end = INT64_MIN;
        key->heap_end = INT64_MAX;
    }
    const struct sl_vector *tv = o->def.time_col >= 0 ? &chunk->cols[o->def.time_col] : NULL;
    const int64_t gap = o->def.gap_us, grace = o->def.grace_us;
    for (uint32_t k = 0; k < n && st == SL_OK; k++) {
        uint32_t i = rows[k];
        int64_t ts = o->time->now;
        if (tv) {
            int64_t mark = chunk->watermarks ? chunk->watermarks[i] : INT64_MIN;
            if ((st = close_until(o, sat_sub(mark, grace), err)) != SL_OK)
                break;
            const struct sess_key *key = group_table_payload(o->table, o->gids[k]);
            if (tv->nulls[i] || tv->data.i[i] + gap + grace <= mark ||
                tv->data.i[i] <= key->closed_end) {
                /* Atomic: the partitions of an exchange count at once. */
                __atomic_add_fetch(&o->time->late_rows, 1, __ATOMIC_RELAXED);
                if (o->late.to) {
                    /* The window it missed: its own, or the closed session it would join. */
                    int64_t t = tv->data.i[i];
                    bool own = t + gap + grace <= mark;
                    int64_t start = own ? t : key->closed_start;
                    int64_t end = own ? t + gap : key->closed_end;
                    st = agg_out_late(&o->late, chunk, i, o->nkeys, o->def.time_col, mark, start,
                                      end, mark - end - grace, err);
                }
                continue;
            }
            ts = tv->data.i[i];
        }
        st = fold_row(o, o->gids[k], chunk, i, ts, err);
    }
    /* Sessions closed by this chunk, and its late rows, go down now: the batch
     * arena their rows live in does not outlive the step. */
    SL_ASSERT(heap_in_order(o));
    if (st == SL_OK)
        st = agg_out_flush(&o->out, err);
    return st == SL_OK ? agg_out_flush(&o->late, err) : st;
}

/* Whether key k holds anything a row can still need at limit: an open
 * session, or a closed_end a row could still join (ts <= closed_end with
 * ts + gap + grace > watermark). */
static bool key_needed(const struct sess_op *o, const struct sess_key *k, int64_t limit)
{
    return k->n || (k->closed_end != INT64_MIN && k->closed_end + o->def.gap_us > limit);
}

/* Whether a flush leaving live_keys keys with an open session rebuilds the
 * table: dead keys outnumber live ones, or replaced text (MIN/MAX over text,
 * merged sessions) has doubled the arena since the last rebuild. */
static bool compact_due(const struct sess_op *o, uint32_t live_keys)
{
    uint32_t count = group_table_count(o->table);
    size_t arena = arena_reserved(group_table_arena(o->table));
    return (count >= 1024 && live_keys * 2 <= count) ||
           arena > 2 * o->arena_after_compact + ((size_t)1 << 20);
}

/* Rebuilds the group table without the keys that hold nothing any row can
 * still need. The old table is let go only once the new one is whole: a
 * failure leaves every key's sessions owned by the old table alone, so the
 * failed query's operator is destroyed without freeing any twice. */
static sl_status compact(struct sess_op *o, int64_t limit, struct sl_error *err)
{
    if (!compact_due(o, o->live_keys))
        return SL_OK;
    uint32_t count = group_table_count(o->table);
    struct sl_group_table *t = group_table_create(o->nkeys, o->key_types, sizeof(struct sess_key),
                                                  1024 * 1024, o->find_scratch);
    if (!t)
        return sl_error_set(err, SL_NOMEM, "out of memory in session window");
    o->nheap = 0;
    for (uint32_t gid = 0; gid < count; gid++) {
        struct sess_key *k = group_table_payload(o->table, gid);
        if (!key_needed(o, k, limit))
            continue;
        uint32_t ngid = group_table_insert_from(t, o->table, gid);
        if (ngid == GROUP_NONE) {
            group_table_destroy(t);
            return sl_error_set(err, SL_NOMEM, "out of memory in session window");
        }
        struct sess_key *nk = group_table_payload(t, ngid);
        *nk = *k;
        nk->changed = 0;
        nk->heap_end = INT64_MAX;
        /* Kept text moves to the new table's arena: combine into fresh states. */
        for (uint32_t j = 0; j < nk->n; j++) {
            struct session *s = rec(o, nk, j);
            memcpy(o->scratch, s, o->rec_size);
            agg_set_init_states(&o->aggs, s);
            if (agg_set_combine(&o->aggs, s, o->scratch, group_table_arena(t), err) != SL_OK) {
                group_table_destroy(t);
                return SL_NOMEM;
            }
        }
        if (!schedule_key(o, ngid, nk)) {
            group_table_destroy(t);
            return sl_error_set(err, SL_NOMEM, "out of memory in session window");
        }
    }
    for (uint32_t gid = 0; gid < count; gid++) {
        struct sess_key *k = group_table_payload(o->table, gid);
        if (!key_needed(o, k, limit))
            sl_free(k->sessions);
    }
    group_table_destroy(o->table);
    o->table = t;
    o->arena_after_compact = arena_reserved(group_table_arena(t));
    return SL_OK;
}

/* The watermark (or, on processing time, the clock) minus the grace: sessions ending by it close. */
static int64_t mark_limit(const struct sess_op *o)
{
    int64_t mark = o->def.time_col >= 0 ? o->time->watermark : o->time->now;
    return sat_sub(mark, o->def.grace_us);
}

/* What the flush closes by: mark_limit, or everything once the input ended. */
static int64_t flush_limit(const struct sess_op *o)
{
    return o->time->ended ? INT64_MAX : mark_limit(o);
}

/* Key k's state as the flush leaves it: closed_start, closed_end, the open
 * sessions' count, then each one's start, end, emitted bounds (EMIT CHANGES
 * is about to emit a changed one) and the length and bytes of
 * agg_set_serialize of its states. */
static void encode_key(const struct sess_op *o, const struct sess_key *k, struct sl_buf *out,
                       struct sl_buf *states)
{
    codec_put_i64(out, k->closed_start);
    codec_put_i64(out, k->closed_end);
    codec_put_u32(out, k->n);
    for (uint32_t j = 0; j < k->n; j++) {
        const struct session *s = rec(o, k, j);
        bool emits = s->changed && !o->def.emit_final;
        codec_put_i64(out, s->start);
        codec_put_i64(out, s->end);
        codec_put_i64(out, emits ? s->start : s->emitted_start);
        codec_put_i64(out, emits ? s->end : s->emitted_end);
        buf_clear(states);
        agg_set_serialize(&o->aggs, s, states);
        if (states->failed || states->len > UINT32_MAX) {
            out->failed = true;
            return;
        }
        codec_put_u32(out, (uint32_t)states->len);
        buf_append(out, states->data, states->len);
    }
}

/* Records key gid's row: its state (k), or a drop of it (NULL). */
static bool record_key(const struct sess_op *o, uint32_t gid, const struct sess_key *k,
                       struct sl_buf *key, struct sl_buf *states, struct sl_state_delta *d)
{
    buf_clear(key);
    buf_append(key, SESSION_KEY_PREFIX, 1);
    for (uint32_t col = 0; col < o->nkeys; col++)
        codec_put_value(key, group_table_key(o->table, gid, col));
    buf_putc(key, '\0'); /* a drop's upper bound: the key then a zero byte */
    if (key->failed)
        return false;
    if (!k)
        return state_delta_drop(d, key->data, key->len - 1, key->data, key->len);
    state_delta_begin(d);
    buf_append(&d->bytes, key->data, key->len - 1);
    state_delta_key_done(d);
    encode_key(o, k, &d->bytes, states);
    return state_delta_end(d, 0);
}

/* Records what the flush changed, once its sessions closed: the watermark
 * and each changed key (folded into, or with sessions closed, since the
 * last flush); when the flush rebuilds the table, a drop of each key the
 * rebuild drops instead. */
static bool record_state(struct sess_op *o, struct sl_state_delta *d)
{
    /* At the input's end every session closes, but a file that grows is read
     * on after a restart: a key's row stays while the watermark lets a row
     * join it. */
    int64_t keep_limit = mark_limit(o);
    bool drops = compact_due(o, o->live_keys);
    state_delta_begin(d);
    state_delta_key_done(d);
    codec_put_i64(&d->bytes, o->time->watermark);
    bool ok = state_delta_end(d, 0);
    struct sl_buf key, states;
    buf_init(&key);
    buf_init(&states);
    uint32_t n = drops ? group_table_count(o->table) : o->nchanged;
    for (uint32_t i = 0; ok && i < n; i++) {
        uint32_t gid = drops ? i : o->changed[i];
        const struct sess_key *k = group_table_payload(o->table, gid);
        if (drops && !key_needed(o, k, keep_limit))
            ok = record_key(o, gid, NULL, &key, &states, d);
        else if (k->changed)
            ok = record_key(o, gid, k, &key, &states, d);
    }
    buf_free(&key);
    buf_free(&states);
    return ok;
}

static sl_status session_flush(struct sl_op *op, struct sl_error *err)
{
    struct sess_op *o = (struct sess_op *)op;
    int64_t limit = flush_limit(o);
    sl_status st = SL_OK;
    for (uint32_t j = 0; j < o->nstale && st == SL_OK; j++)
        st = emit_row(o, SL_ROW_DELETE, o->stale[j].gid, o->stale[j].start, o->stale[j].end,
                      NULL, err);
    o->nstale = 0;
    if (st == SL_OK)
        st = close_until(o, limit, err);
    if (st == SL_OK && op->delta && !record_state(o, op->delta))
        st = sl_error_set(err, SL_NOMEM, "out of memory recording session state");
    for (uint32_t c = 0; c < o->nchanged && st == SL_OK; c++) {
        struct sess_key *k = group_table_payload(o->table, o->changed[c]);
        k->changed = 0;
        for (uint32_t j = 0; j < k->n && st == SL_OK; j++) {
            struct session *s = rec(o, k, j);
            if (s->changed && !o->def.emit_final)
                st = emit_change(o, o->changed[c], s, err);
            s->changed = 0;
        }
    }
    o->nchanged = 0;
    if (st == SL_OK)
        st = agg_out_flush(&o->out, err);
    if (st == SL_OK)
        st = compact(o, limit, err);
    SL_ASSERT(heap_in_order(o));
    return st;
}

/* Restores the watermark (empty key) or one key: its closed bounds and open
 * sessions, which go back on the heap. Restored sessions are not changed:
 * their rows, if emitted, were committed with the checkpoint. */
static sl_status session_restore(struct sl_op *op, const unsigned char *key, size_t key_len,
                                 const unsigned char *state, size_t state_len,
                                 struct sl_error *err)
{
    struct sess_op *o = (struct sess_op *)op;
    struct codec_reader r;
    if (!key_len) {
        codec_reader_init(&r, state, state_len);
        o->time->watermark = codec_get_i64(&r);
        if (!codec_done(&r))
            return sl_error_set(err, SL_ERROR, "the session window's watermark does not decode");
        o->restored_scalars = true;
        return SL_OK;
    }
    if (!o->restored_scalars)
        return sl_error_set(err, SL_ERROR, "a session key comes without the watermark");
    codec_reader_init(&r, key, key_len);
    const unsigned char *prefix = codec_get_bytes(&r, 1);
    for (uint32_t col = 0; col < o->nkeys; col++)
        o->restore_keys[col] = codec_get_value(&r, o->key_types[col]);
    if (!codec_done(&r) || prefix[0] != SESSION_KEY_PREFIX[0])
        return sl_error_set(err, SL_ERROR, "a session key does not decode");
    if (group_table_lookup_values(o->table, o->restore_keys) != GROUP_NONE)
        return sl_error_set(err, SL_ERROR, "a session key is there twice");
    uint32_t gid = group_table_insert_values(o->table, o->restore_keys);
    if (gid == GROUP_NONE)
        return sl_error_set(err, SL_NOMEM, "out of memory restoring session state");
    struct sess_key *k = group_table_payload(o->table, gid);
    *k = (struct sess_key){.heap_end = INT64_MAX};
    codec_reader_init(&r, state, state_len);
    k->closed_start = codec_get_i64(&r);
    k->closed_end = codec_get_i64(&r);
    uint32_t n = codec_get_u32(&r);
    /* Each session takes at least its four bounds and a length. */
    if (!r.ok || n > codec_left(&r) / 36 || (!n && k->closed_end == INT64_MIN))
        return sl_error_set(err, SL_ERROR, "a session key's state does not decode");
    if (n && !(k->sessions = sl_malloc((size_t)n * o->rec_size)))
        return sl_error_set(err, SL_NOMEM, "out of memory restoring session state");
    k->cap = n;
    int64_t prev_end = k->closed_end;
    for (uint32_t j = 0; j < n; j++) {
        struct session *s = rec(o, k, j);
        memset(s, 0, o->rec_size);
        s->start = codec_get_i64(&r);
        s->end = codec_get_i64(&r);
        s->emitted_start = codec_get_i64(&r);
        s->emitted_end = codec_get_i64(&r);
        uint32_t len = codec_get_u32(&r);
        const unsigned char *bytes = codec_get_bytes(&r, len);
        /* Sorted, disjoint and not touching, after the closed one. */
        if (!r.ok || s->start <= prev_end || s->end <= s->start ||
            !agg_set_deserialize(&o->aggs, s, bytes, len, group_table_arena(o->table)))
            return sl_error_set(err, SL_ERROR, "a session's bounds or states do not decode");
        prev_end = s->end;
        k->n = j + 1;
    }
    if (!codec_done(&r))
        return sl_error_set(err, SL_ERROR, "a session key's state does not decode");
    if (n)
        o->live_keys++;
    if (!schedule_key(o, gid, k))
        return sl_error_set(err, SL_NOMEM, "out of memory restoring session state");
    return SL_OK;
}

static void session_explain(const struct sl_op *op, struct sl_buf *out)
{
    const struct sess_op *o = (const struct sess_op *)op;
    char gap[48], grace[48];
    sl_duration_format(o->def.gap_us, gap);
    sl_duration_format(o->def.grace_us, grace);
    buf_printf(out, "window aggregate SESSION (GAP %s", gap);
    if (o->def.grace_us)
        buf_printf(out, ", GRACE PERIOD %s", grace);
    buf_printf(out, ") on %s, EMIT %s", o->def.time_col >= 0 ? "event time" : "processing time",
               o->def.emit_final ? "FINAL" : "CHANGES");
    for (uint32_t col = 0; col < o->nkeys; col++)
        buf_printf(out, "%s%s", col ? ", " : " by ", op->out_names[2 + col]);
    op_explain_aggregates(op, 2, o->nkeys, o->aggs.specs, o->aggs.naggs, out);
}

static void session_stats(const struct sl_op *op, uint64_t *groups, uint64_t *bytes)
{
    const struct sess_op *o = (const struct sess_op *)op;
    uint32_t count = group_table_count(o->table);
    *groups = 0;
    *bytes = group_table_bytes(o->table) + (uint64_t)o->cap_heap * sizeof *o->heap +
             (uint64_t)o->cap_changed * sizeof *o->changed;
    for (uint32_t gid = 0; gid < count; gid++) {
        const struct sess_key *k = group_table_payload(o->table, gid);
        *groups += k->n;
        *bytes += (uint64_t)k->cap * o->rec_size;
    }
}

static void session_destroy(struct sl_op *op)
{
    struct sess_op *o = (struct sess_op *)op;
    if (o->table) {
        for (uint32_t gid = 0; gid < group_table_count(o->table); gid++)
            sl_free(((struct sess_key *)group_table_payload(o->table, gid))->sessions);
        group_table_destroy(o->table);
    }
    group_scratch_destroy(o->find_scratch);
    sl_free(o->heap);
    sl_free(o->changed);
    sl_free(o->stale);
    sl_free(o->key_types);
    sl_free(o->restore_keys);
    sl_free(o->late.types);
    sl_free(o->scratch);
    agg_set_free(&o->aggs);
    op_fini(op);
    sl_free(o);
}

static const struct sl_op_vtable session_vtable = {
    .name = "session_agg",
    .push = session_push,
    .flush = session_flush,
    .explain = session_explain,
    .destroy = session_destroy,
    .stats = session_stats,
    .restore = session_restore,
};

sl_status op_session_agg_create(struct sl_arena *batch, const struct sl_window_def *def,
                                struct sl_time_state *time, uint32_t nkeys,
                                const enum sl_type *key_types, const char *const *key_names,
                                uint32_t naggs, const struct sl_agg_spec *aggs,
                                struct sl_op **out, struct sl_error *err)
{
    struct sess_op *o = sl_calloc(1, sizeof *o);
    bool ok = o && agg_set_init(&o->aggs, naggs, aggs, sizeof(struct session));
    if (ok) {
        o->def = *def;
        o->time = time;
        o->nkeys = nkeys;
        o->rec_size = o->aggs.size;
        o->out.op = &o->base;
        o->key_types = sl_calloc(nkeys ? nkeys : 1, sizeof *o->key_types);
        o->restore_keys = sl_calloc(nkeys ? nkeys : 1, sizeof *o->restore_keys);
        o->scratch = sl_malloc(o->rec_size);
        o->find_scratch = group_scratch_create(nkeys, key_types);
        o->table = o->find_scratch ? group_table_create(nkeys, key_types, sizeof(struct sess_key),
                                                        1024 * 1024, o->find_scratch)
                                   : NULL;
        ok = o->key_types && o->restore_keys && o->scratch && o->table &&
             (!def->late_sink ||
              agg_out_late_init(&o->late, &o->base, def->late_sink, nkeys, key_types));
    }
    if (ok) {
        memcpy(o->key_types, key_types, nkeys * sizeof *key_types);
        ok = op_init_window_output(&o->base, &session_vtable, batch, nkeys, key_types, key_names,
                                   naggs, aggs) == SL_OK;
    }
    if (!ok) {
        /* What was made is freed as the operator would be: every field starts zeroed. */
        if (o)
            session_destroy(&o->base);
        return sl_error_set(err, SL_NOMEM, "out of memory creating a session window");
    }
    *out = &o->base;
    return SL_OK;
}
