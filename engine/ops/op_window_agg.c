/*
 * op_window_agg.c — GROUP BY over TUMBLING and HOPPING windows (ops.h says
 * what it computes). A window [w, w + size) starts at a multiple of the
 * advance (aligned to the Unix epoch); it is the union of the slices
 * [s, s + slice) inside it, slice = gcd(size, advance). Each open slice has
 * its own group table (group_table.c) of partial aggregates, so closing a
 * window costs a pass over its slices and evicting a slice is freeing a
 * table.
 *
 * `closed_end`: every window that ends at or before it is closed. Before a
 * row is folded, the windows its watermark closes are closed (emitted and
 * never emitted again), so a row counts exactly in the windows that were
 * open when it arrived, as the lateness rule says, whatever the batches.
 *
 * State rows (recorded by the flush in op->delta, read back by restore):
 * one per changed group of an open slice, its key the slice start (8 bytes
 * big-endian, sign bit flipped, so that BLOB order is time order) then the
 * group keys (agg_codec values), its state agg_set_serialize of the
 * payload; and one under the empty key (it sorts first, so restore reads it
 * before any slice) for the scalars: closed_end and the stream's watermark
 * (time->watermark, which the watermark operator only advances), as two
 * agg_codec i64. Each flush records its closed_end, the changed groups of
 * the slices it keeps, and a drop of the rows of every slice before them
 * (evicted this batch or by this flush; a range over nothing in most
 * batches), so the rows, the windows the flush emits and the query's
 * checkpoint commit as one state.
 */
#include <string.h>

#include "common/alloc.h"
#include "common/time.h"
#include "engine/aggregates/agg_codec.h"
#include "engine/ops/agg_set.h"
#include "engine/values/rowsel.h"

/* A group's payload header in a slice; the aggregate states follow. */
struct win_flags {
    uint8_t changed; /* folded into since the last flush (listed in the slice's `changed`) */
};

struct win_slice {
    int64_t start;
    struct sl_group_table *table;
    uint32_t *changed; /* group ids */
    uint32_t nchanged, cap_changed;
};

struct win_op {
    struct sl_op base;
    struct sl_window_def def;
    int64_t slice; /* gcd(size, advance) */
    struct sl_time_state *time;
    uint32_t nkeys;
    enum sl_type *key_types;
    struct sl_agg_set aggs;
    struct sl_group_scratch *find_scratch; /* shared by the slices' tables */

    struct win_slice *slices; /* ascending start */
    uint32_t nslices, cap_slices;
    int64_t closed_end;
    struct sl_value *restore_keys; /* nkeys: a restored group's keys */
    bool restored_scalars;         /* restore read the scalars' row */

    struct agg_out out;
    struct agg_out late; /* late.to NULL: late rows are only counted */
    unsigned char *scratch; /* one payload, for combining a window's slices */
    int64_t starts[SL_CHUNK_CAP]; /* slice start of each row of a run; INT64_MIN: skipped */
    uint32_t run_rows[SL_CHUNK_CAP];
    uint32_t gids[SL_CHUNK_CAP];
};

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t align_down(int64_t t, int64_t step)
{
    return floor_div(t, step) * step;
}

static int64_t sat_sub(int64_t a, int64_t b)
{
    return a < INT64_MIN + b ? INT64_MIN : a - b;
}

/* The first window (by start) that contains the slice starting at s. */
static int64_t first_window(const struct win_op *w, int64_t s)
{
    int64_t lo = s + w->slice - w->def.size_us;
    return -floor_div(-lo, w->def.advance_us) * w->def.advance_us; /* ceil to the advance */
}

/* The end of the last window containing time t (all windows holding t end by then). */
static int64_t last_end(const struct win_op *w, int64_t t)
{
    return align_down(t, w->def.advance_us) + w->def.size_us;
}

/* Index of the first slice starting at or after t. */
static uint32_t slice_lower_bound(const struct win_op *w, int64_t t)
{
    uint32_t lo = 0, hi = w->nslices;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (w->slices[mid].start < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The slice starting at start, created when absent; NULL when out of memory. */
static struct win_slice *slice_at(struct win_op *w, int64_t start)
{
    uint32_t i = slice_lower_bound(w, start);
    if (i < w->nslices && w->slices[i].start == start)
        return &w->slices[i];
    if (w->nslices == w->cap_slices) {
        uint32_t cap = w->cap_slices ? w->cap_slices * 2 : 16;
        struct win_slice *slices = sl_realloc(w->slices, cap * sizeof *slices);
        if (!slices)
            return NULL;
        w->slices = slices;
        w->cap_slices = cap;
    }
    /* Small tables (4 KiB arena blocks, the find's scratch shared): a hopping
     * window keeps size/slice of them open, a fast source's batch many more. */
    struct sl_group_table *t =
        group_table_create(w->nkeys, w->key_types, w->aggs.size, 4096, w->find_scratch);
    if (!t)
        return NULL;
    memmove(&w->slices[i + 1], &w->slices[i], (w->nslices - i) * sizeof *w->slices);
    w->slices[i] = (struct win_slice){.start = start, .table = t};
    w->nslices++;
    return &w->slices[i];
}

static bool note_changed(struct win_slice *s, uint32_t gid)
{
    struct win_flags *f = group_table_payload(s->table, gid);
    if (f->changed)
        return true;
    if (s->nchanged == s->cap_changed) {
        uint32_t cap = s->cap_changed ? s->cap_changed * 2 : 256;
        uint32_t *changed = sl_realloc(s->changed, cap * sizeof *changed);
        if (!changed)
            return false;
        s->changed = changed;
        s->cap_changed = cap;
    }
    f->changed = 1;
    s->changed[s->nchanged++] = gid;
    return true;
}

/* Emits window [ws, ws + size)'s row for the key of group gid of slice `from`:
 * its aggregates combined over the window's slices [lo, hi). */
static sl_status emit_key(struct win_op *w, int64_t ws, uint32_t lo, uint32_t hi,
                          const struct win_slice *from, uint32_t gid, struct sl_error *err)
{
    uint32_t row;
    enum sl_row_kind kind = w->def.emit_final ? SL_ROW_INSERT : SL_ROW_UPDATE;
    sl_status st = agg_out_row(&w->out, kind, &row, err);
    if (st != SL_OK)
        return st;
    struct sl_chunk *c = w->out.chunk;
    vector_set(&c->cols[0], row, (struct sl_value){.type = SL_TIMESTAMP, .u.i = ws});
    vector_set(&c->cols[1], row,
               (struct sl_value){.type = SL_TIMESTAMP, .u.i = ws + w->def.size_us});
    for (uint32_t col = 0; col < w->nkeys; col++)
        vector_set(&c->cols[2 + col], row, group_table_key(from->table, gid, col));
    const void *payload = group_table_payload(from->table, gid);
    if (hi - lo > 1) {
        memset(w->scratch, 0, w->aggs.size);
        agg_set_init_states(&w->aggs, w->scratch);
        for (uint32_t i = lo; i < hi; i++) {
            const struct win_slice *s = &w->slices[i];
            uint32_t g = s == from ? gid : group_table_lookup(s->table, from->table, gid);
            if (g != GROUP_NONE &&
                (st = agg_set_combine(&w->aggs, w->scratch, group_table_payload(s->table, g),
                                      w->base.batch, err)) != SL_OK)
                return st;
        }
        payload = w->scratch;
    }
    if (!agg_set_store(&w->aggs, payload, c, 2 + w->nkeys, row))
        return sl_error_set(err, SL_NOMEM, "out of memory emitting window rows");
    return SL_OK;
}

/* Whether the key of group gid of slice j was seen in an earlier slice of [lo, j):
 * (changed_only) among that slice's changed groups. Each key is emitted once per window. */
static bool seen_before(const struct win_op *w, uint32_t lo, uint32_t j, uint32_t gid,
                        bool changed_only)
{
    const struct win_slice *from = &w->slices[j];
    for (uint32_t i = lo; i < j; i++) {
        uint32_t g = group_table_lookup(w->slices[i].table, from->table, gid);
        if (g != GROUP_NONE &&
            (!changed_only ||
             ((const struct win_flags *)group_table_payload(w->slices[i].table, g))->changed))
            return true;
    }
    return false;
}

/* Emits window [ws, ws + size): every key (changed_only false) or the keys changed since the last flush. */
static sl_status emit_window(struct win_op *w, int64_t ws, bool changed_only, struct sl_error *err)
{
    uint32_t lo = slice_lower_bound(w, ws), hi = slice_lower_bound(w, ws + w->def.size_us);
    for (uint32_t j = lo; j < hi; j++) {
        const struct win_slice *s = &w->slices[j];
        uint32_t n = changed_only ? s->nchanged : group_table_count(s->table);
        for (uint32_t k = 0; k < n; k++) {
            uint32_t gid = changed_only ? s->changed[k] : k;
            if (j > lo && seen_before(w, lo, j, gid, changed_only))
                continue;
            sl_status st = emit_key(w, ws, lo, hi, s, gid, err);
            if (st != SL_OK)
                return st;
        }
    }
    return SL_OK;
}

/* Drops the slices all of whose windows are closed. */
static void evict(struct win_op *w)
{
    uint32_t dropped = 0;
    while (dropped < w->nslices && last_end(w, w->slices[dropped].start) <= w->closed_end) {
        group_table_destroy(w->slices[dropped].table);
        sl_free(w->slices[dropped].changed);
        dropped++;
    }
    if (!dropped)
        return;
    memmove(w->slices, w->slices + dropped, (w->nslices - dropped) * sizeof *w->slices);
    w->nslices -= dropped;
}

/* Closes every window ending at or before limit: EMIT FINAL emits it whole,
 * EMIT CHANGES its last changes. Windows with no slice hold nothing. */
static sl_status close_windows(struct win_op *w, int64_t limit, struct sl_error *err)
{
    if (limit <= w->closed_end)
        return SL_OK;
    const int64_t size = w->def.size_us, adv = w->def.advance_us;
    uint32_t i = 0;
    int64_t ws = w->nslices ? first_window(w, w->slices[0].start) : 0;
    while (i < w->nslices && ws + size <= limit) {
        while (i < w->nslices && w->slices[i].start < ws)
            i++;
        if (i == w->nslices)
            break;
        if (w->slices[i].start >= ws + size) {
            ws = first_window(w, w->slices[i].start); /* skip windows with no data */
            continue;
        }
        if (ws + size > w->closed_end) {
            sl_status st = emit_window(w, ws, !w->def.emit_final, err);
            if (st != SL_OK)
                return st;
            /* Atomic: the partitions of an exchange close windows at once. */
            __atomic_store_n(&w->time->window_closed, true, __ATOMIC_RELAXED);
        }
        ws += adv;
    }
    w->closed_end = limit;
    return SL_OK;
}

/* The smallest window end after closed_end: the watermark reaching it closes a window. */
static int64_t next_end(const struct win_op *w)
{
    if (w->closed_end == INT64_MIN || w->closed_end == INT64_MAX)
        return w->closed_end;
    return align_down(w->closed_end - w->def.size_us, w->def.advance_us) + w->def.advance_us +
           w->def.size_us;
}

/* Folds the rows rows[0..n) of c whose starts[] are set into their slices. */
static sl_status fold_run(struct win_op *w, const struct sl_chunk *c, const uint32_t *rows,
                          uint32_t n, struct sl_error *err)
{
    for (uint32_t k = 0; k < n; k++) {
        if (w->starts[k] == INT64_MIN)
            continue;
        /* All the rows of this run in the same slice as row k, in order. */
        int64_t start = w->starts[k];
        uint32_t m = 0;
        for (uint32_t j = k; j < n; j++) {
            if (w->starts[j] == start) {
                w->run_rows[m++] = rows[j];
                w->starts[j] = INT64_MIN;
            }
        }
        struct win_slice *s = slice_at(w, start);
        if (!s)
            return sl_error_set(err, SL_NOMEM, "out of memory in window aggregate");
        uint32_t before = group_table_count(s->table);
        sl_status st = group_table_find(s->table, c, w->run_rows, m, w->gids, err);
        if (st != SL_OK)
            return st;
        for (uint32_t g = before; g < group_table_count(s->table); g++)
            agg_set_init_states(&w->aggs, group_table_payload(s->table, g));
        for (uint32_t j = 0; j < m; j++)
            if (!note_changed(s, w->gids[j]))
                return sl_error_set(err, SL_NOMEM, "out of memory in window aggregate");
        if ((st = agg_set_step(&w->aggs, s->table, w->gids, c, w->run_rows, m, err)) != SL_OK)
            return st;
    }
    return SL_OK;
}

static sl_status window_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    struct win_op *w = (struct win_op *)op;
    const uint32_t *rows = rowsel_of(chunk);
    uint32_t n = chunk_active(chunk), run = 0;
    const int64_t grace = w->def.grace_us;
    const struct sl_vector *tv = w->def.time_col >= 0 ? &chunk->cols[w->def.time_col] : NULL;
    int64_t close_at = next_end(w);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = rows[k];
        if (tv && chunk->watermarks) {
            int64_t limit = sat_sub(chunk->watermarks[i], grace);
            if (limit >= close_at && limit > w->closed_end) {
                /* The windows this row's watermark closes close before it counts. */
                sl_status st = fold_run(w, chunk, rows + run, k - run, err);
                if (st == SL_OK)
                    st = close_windows(w, limit, err);
                /* Their rows go down before more rows fold: a short text key
                 * is in its group's entry, which a growing table moves. */
                if (st == SL_OK)
                    st = agg_out_flush(&w->out, err);
                if (st != SL_OK)
                    return st;
                run = k;
                close_at = next_end(w);
            }
        }
        int64_t t = tv ? tv->data.i[i] : w->time->now;
        if ((tv && tv->nulls[i]) || last_end(w, t) <= w->closed_end) {
            w->starts[k - run] = INT64_MIN; /* late, or no time to place it by */
            /* Atomic: the partitions of an exchange count at once. */
            __atomic_add_fetch(&w->time->late_rows, 1, __ATOMIC_RELAXED);
            if (w->late.to) {
                /* It missed the last window holding it (all the others end before). */
                int64_t mark = chunk->watermarks ? chunk->watermarks[i] : w->time->now;
                int64_t end = last_end(w, t);
                sl_status st = agg_out_late(&w->late, chunk, i, w->nkeys, w->def.time_col, mark,
                                            end - w->def.size_us, end, mark - end - grace, err);
                if (st != SL_OK)
                    return st;
            }
        } else {
            w->starts[k - run] = align_down(t, w->slice);
        }
    }
    sl_status st = fold_run(w, chunk, rows + run, n - run, err);
    /* Windows closed by this chunk, and its late rows, go down now: the batch
     * arena their rows live in does not outlive the step. Then the slices no
     * open window needs are dropped (the rows pointed into them), so a batch
     * holds no more state than the windows open at once, and a chunk's. */
    if (st == SL_OK)
        st = agg_out_flush(&w->out, err);
    if (st == SL_OK)
        evict(w);
    return st == SL_OK ? agg_out_flush(&w->late, err) : st;
}


/* EMIT CHANGES: the open windows over a slice with changes, each once. */
static sl_status emit_changes(struct win_op *w, struct sl_error *err)
{
    int64_t done = INT64_MIN; /* windows starting before it were emitted */
    for (uint32_t i = 0; i < w->nslices; i++) {
        const struct win_slice *s = &w->slices[i];
        if (!s->nchanged)
            continue;
        int64_t ws = first_window(w, s->start);
        if (ws < done)
            ws = done;
        for (; ws <= s->start; ws += w->def.advance_us) {
            if (ws + w->def.size_us <= w->closed_end)
                continue;
            sl_status st = emit_window(w, ws, true, err);
            if (st != SL_OK)
                return st;
        }
        done = ws;
    }
    return SL_OK;
}

/* The watermark (or, on processing time, the clock) minus the grace: windows ending by it close. */
static int64_t mark_limit(const struct win_op *w)
{
    int64_t mark = w->def.time_col >= 0 ? w->time->watermark : w->time->now;
    return sat_sub(mark, w->def.grace_us);
}

/* A slice start as 8 bytes whose BLOB order is the numbers' order. */
static void put_start(unsigned char out[8], int64_t start)
{
    uint64_t u = (uint64_t)start ^ ((uint64_t)1 << 63);
    for (int i = 0; i < 8; i++)
        out[i] = (unsigned char)(u >> (56 - 8 * i));
}

static int64_t get_start(const unsigned char in[8])
{
    uint64_t u = 0;
    for (int i = 0; i < 8; i++)
        u = u << 8 | in[i];
    return (int64_t)(u ^ ((uint64_t)1 << 63));
}

/* The closed_end a flush records, computed before it closes anything. When
 * the input ended it closes every window (INT64_MAX), but a file that grows
 * is read on after a restart: the closed_end recorded is then the end of
 * the last window with data, so that only windows already emitted refuse
 * rows. */
static int64_t flushed_closed_end(const struct win_op *w)
{
    int64_t closed = mark_limit(w);
    if (w->time->ended && w->nslices) {
        int64_t last = last_end(w, w->slices[w->nslices - 1].start);
        if (last > closed)
            closed = last;
    }
    return closed > w->closed_end ? closed : w->closed_end;
}

/* Records into d what the flush leaves: a drop of every slice before the
 * first it keeps (evicted so far: all started before it or, with none kept,
 * before closed, since a slice ends after its start), the scalars, and the
 * changed groups of the slices it keeps. */
static bool record_state(const struct win_op *w, int64_t closed, struct sl_state_delta *d)
{
    uint32_t first = 0; /* the first slice the flush keeps */
    while (first < w->nslices && last_end(w, w->slices[first].start) <= closed)
        first++;
    unsigned char lo[8], hi[8];
    put_start(lo, INT64_MIN);
    put_start(hi, first < w->nslices ? w->slices[first].start : closed);
    bool ok = state_delta_drop(d, lo, sizeof lo, hi, sizeof hi);
    state_delta_begin(d);
    state_delta_key_done(d);
    codec_put_i64(&d->bytes, closed);
    codec_put_i64(&d->bytes, w->time->watermark);
    ok = ok && state_delta_end(d, 0);
    for (uint32_t i = first; ok && i < w->nslices; i++) {
        const struct win_slice *s = &w->slices[i];
        put_start(lo, s->start);
        for (uint32_t k = 0; ok && k < s->nchanged; k++)
            ok = op_agg_record_group(s->table, &w->aggs, w->nkeys, s->changed[k],
                                     (const char *)lo, sizeof lo, 0, d);
    }
    return ok;
}

/* The watermark passed rows of other partitions: the windows it closes close
 * now, as before a row of this partition stamped with it. */
static sl_status window_advance(struct sl_op *op, struct sl_error *err)
{
    struct win_op *w = (struct win_op *)op;
    if (w->def.time_col < 0)
        return SL_OK;
    int64_t limit = mark_limit(w);
    if (limit < next_end(w) || limit <= w->closed_end)
        return SL_OK;
    sl_status st = close_windows(w, limit, err);
    if (st == SL_OK)
        st = agg_out_flush(&w->out, err);
    if (st == SL_OK)
        evict(w);
    return st;
}

static sl_status window_flush(struct sl_op *op, struct sl_error *err)
{
    struct win_op *w = (struct win_op *)op;
    int64_t recorded_closed = flushed_closed_end(w);
    sl_status st = close_windows(w, w->time->ended ? INT64_MAX : mark_limit(w), err);
    if (st == SL_OK && !w->def.emit_final)
        st = emit_changes(w, err);
    if (st == SL_OK)
        st = agg_out_flush(&w->out, err);
    if (st == SL_OK && op->delta && !record_state(w, recorded_closed, op->delta))
        st = sl_error_set(err, SL_NOMEM, "out of memory recording window state");
    for (uint32_t i = 0; i < w->nslices; i++) {
        struct win_slice *s = &w->slices[i];
        for (uint32_t k = 0; k < s->nchanged; k++)
            ((struct win_flags *)group_table_payload(s->table, s->changed[k]))->changed = 0;
        s->nchanged = 0;
    }
    evict(w);
    return st;
}

/* Restores the scalars (empty key) or one group of a slice, the slice
 * created when absent. Restored groups are not changed: their windows'
 * rows, if emitted, were committed with the checkpoint. */
static sl_status window_restore(struct sl_op *op, const unsigned char *key, size_t key_len,
                                const unsigned char *state, size_t state_len,
                                struct sl_error *err)
{
    struct win_op *w = (struct win_op *)op;
    if (!key_len) {
        struct codec_reader r;
        codec_reader_init(&r, state, state_len);
        w->closed_end = codec_get_i64(&r);
        w->time->watermark = codec_get_i64(&r);
        if (!codec_done(&r))
            return sl_error_set(err, SL_ERROR, "the window's closed end and watermark do not decode");
        w->restored_scalars = true;
        return SL_OK;
    }
    if (!w->restored_scalars)
        return sl_error_set(err, SL_ERROR, "a window's group comes without its closed end");
    if (key_len < 8)
        return sl_error_set(err, SL_ERROR, "a window's group has no slice start");
    int64_t start = get_start(key);
    if (start != align_down(start, w->slice) || last_end(w, start) <= w->closed_end)
        return sl_error_set(err, SL_ERROR, "a window's slice is not one an open window holds");
    struct win_slice *s = slice_at(w, start);
    if (!s)
        return sl_error_set(err, SL_NOMEM, "out of memory restoring window state");
    void *payload;
    return op_agg_restore_group(s->table, &w->aggs, w->nkeys, w->key_types, w->restore_keys,
                                key + 8, key_len - 8, state, state_len, &payload, err);
}

static void window_explain(const struct sl_op *op, struct sl_buf *out)
{
    const struct win_op *w = (const struct win_op *)op;
    char size[48], advance[48], grace[48];
    sl_duration_format(w->def.size_us, size);
    sl_duration_format(w->def.advance_us, advance);
    sl_duration_format(w->def.grace_us, grace);
    if (w->def.kind == SL_WINDOW_TUMBLING)
        buf_printf(out, "window aggregate TUMBLING (SIZE %s", size);
    else
        buf_printf(out, "window aggregate HOPPING (SIZE %s, ADVANCE BY %s", size, advance);
    if (w->def.grace_us)
        buf_printf(out, ", GRACE PERIOD %s", grace);
    buf_printf(out, ") on %s, EMIT %s",
               w->def.time_col >= 0 ? "event time" : "processing time",
               w->def.emit_final ? "FINAL" : "CHANGES");
    for (uint32_t col = 0; col < w->nkeys; col++)
        buf_printf(out, "%s%s", col ? ", " : " by ", op->out_names[2 + col]);
    op_explain_aggregates(op, 2, w->nkeys, w->aggs.specs, w->aggs.naggs, out);
}

static void window_stats(const struct sl_op *op, uint64_t *groups, uint64_t *bytes)
{
    const struct win_op *w = (const struct win_op *)op;
    *groups = 0;
    *bytes = (uint64_t)w->cap_slices * sizeof *w->slices;
    for (uint32_t i = 0; i < w->nslices; i++) {
        *groups += group_table_count(w->slices[i].table);
        *bytes += group_table_bytes(w->slices[i].table) +
                  (uint64_t)w->slices[i].cap_changed * sizeof(uint32_t);
    }
}

static void window_destroy(struct sl_op *op)
{
    struct win_op *w = (struct win_op *)op;
    for (uint32_t i = 0; i < w->nslices; i++) {
        group_table_destroy(w->slices[i].table);
        sl_free(w->slices[i].changed);
    }
    sl_free(w->slices);
    sl_free(w->key_types);
    sl_free(w->restore_keys);
    sl_free(w->late.types);
    sl_free(w->scratch);
    group_scratch_destroy(w->find_scratch);
    agg_set_free(&w->aggs);
    op_fini(op);
    sl_free(w);
}

static const struct sl_op_vtable window_vtable = {
    .name = "window_agg",
    .push = window_push,
    .flush = window_flush,
    .explain = window_explain,
    .destroy = window_destroy,
    .stats = window_stats,
    .restore = window_restore,
    .advance = window_advance,
};

static int64_t gcd(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

sl_status op_window_agg_create(struct sl_arena *batch, const struct sl_window_def *def,
                               struct sl_time_state *time, uint32_t nkeys,
                               const enum sl_type *key_types, const char *const *key_names,
                               uint32_t naggs, const struct sl_agg_spec *aggs, struct sl_op **out,
                               struct sl_error *err)
{
    struct win_op *w = sl_calloc(1, sizeof *w);
    bool ok = w && agg_set_init(&w->aggs, naggs, aggs, sizeof(struct win_flags));
    if (ok) {
        w->def = *def;
        w->slice = gcd(def->size_us, def->advance_us);
        w->time = time;
        w->nkeys = nkeys;
        w->closed_end = INT64_MIN;
        w->out.op = &w->base;
        w->key_types = sl_calloc(nkeys ? nkeys : 1, sizeof *w->key_types);
        w->restore_keys = sl_calloc(nkeys ? nkeys : 1, sizeof *w->restore_keys);
        w->scratch = sl_malloc(w->aggs.size);
        w->find_scratch = group_scratch_create(nkeys, key_types);
        ok = w->key_types && w->restore_keys && w->scratch && w->find_scratch &&
             (!def->late_sink ||
              agg_out_late_init(&w->late, &w->base, def->late_sink, nkeys, key_types));
    }
    if (ok) {
        memcpy(w->key_types, key_types, nkeys * sizeof *key_types);
        ok = op_init_window_output(&w->base, &window_vtable, batch, nkeys, key_types, key_names,
                                   naggs, aggs) == SL_OK;
    }
    if (!ok) {
        /* What was made is freed as the operator would be: every field starts zeroed. */
        if (w)
            window_destroy(&w->base);
        return sl_error_set(err, SL_NOMEM, "out of memory creating a window aggregate");
    }
    *out = &w->base;
    return SL_OK;
}
