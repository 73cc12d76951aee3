/*
 * op_stream_join.c — a join of two streams bounded by event time, INNER or
 * LEFT, in two modes: an interval join (right.time - left.time within
 * [lower, upper], Flink's interval join) and a window join (both rows in the
 * same TUMBLING or HOPPING window). The operator is the left chain's next;
 * the right chain ends in its port (op_stream_join_create), so each side's
 * rows come in through their own push.
 *
 * Each side keeps its rows in a hash table on the equi-keys. A row probes
 * the other side's table as it arrives and is kept in its own, so every
 * pair is found once, by whichever of its two rows came second; the
 * residual condition runs over the joined rows, a chunk at a time. A kept
 * row has an expiry: the time after which the other side's watermark proves
 * that no row of it can still match (interval: left.time + upper for a
 * left row, right.time - lower for a right one; window: the window's end).
 * Rows leave in expiry order (a heap) once the other side's watermark
 * passes it; a LEFT join's left row that never matched is then emitted with
 * NULL right columns, exactly once.
 *
 * A row older than its own side's watermark (interval) or whose windows
 * that watermark has closed (window) is late: counted, not joined. Only so
 * do the results not depend on how the two inputs interleave: a row that
 * is not late can only match rows the other side still keeps.
 *
 * Watermarks: each side's is its own stream's (its watermark operator's);
 * the watermark downstream is the lower of the two, held back by how far a
 * joined row's time can be behind it (the interval's bounds, the window's
 * size), so an aggregate after the join closes no window a joined row can
 * still fall in. Rows a push emits are stamped with the watermark as it
 * was before the push; it moves after.
 *
 * State rows (op->delta): one per kept row, keyed by side, expiry and a
 * sequence number (big-endian, so the rows the watermark dropped are one
 * key range per side), holding its time, whether it matched and its values;
 * and one under the empty key (read first on restore) with both sides'
 * watermarks and sequence numbers.
 */
#include "common/alloc.h"
#include "common/hash.h"
#include "common/time.h"
#include "engine/aggregates/agg_codec.h"
#include "engine/expr/expr_kernels.h"
#include "engine/ops/join_side.h"
#include "engine/ops/ops.h"
#include "engine/ops/state_delta.h"
#include "engine/values/rowsel.h"
#include "engine/values/sqlval.h"

#include <string.h>

enum { SIDE_LEFT, SIDE_RIGHT };
#define NIL JOIN_NIL

/* A joined row to emit: entries of both sides (right NIL: padded with NULLs) and its window. */
struct jpair {
    uint32_t left, right;
    int64_t window_start;
};

struct join_op {
    struct sl_op base;
    struct sl_op port; /* the right chain's end */
    struct sl_op *right_head; /* the right chain's first operator, for EXPLAIN; not owned */
    struct sl_stream_join_def def;
    struct join_side side[2];
    struct sl_time_state *out_time;
    uint32_t nkeys;
    enum sl_type *key_types;
    struct sl_arena *keys_arena; /* reset at every push: the pushed rows' key values */
    struct sl_arena *scratch;    /* reset at every emit: the residual's values */
    struct jpair pairs[SL_CHUNK_CAP];
    uint32_t npairs;
    int64_t stamp; /* the downstream watermark the rows being emitted carry */
    struct sl_value *probe; /* nkeys: the key values of the row probing */
    bool restored_scalars;
};

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* a - b, with the infinities (INT64_MIN, INT64_MAX) kept as they are. */
static int64_t mark_sub(int64_t a, int64_t b)
{
    if (a == INT64_MAX || a == INT64_MIN)
        return a;
    if (b > 0 && a < INT64_MIN + b)
        return INT64_MIN;
    return a - b;
}

static int64_t side_mark(const struct join_side *s)
{
    return s->time->ended ? INT64_MAX : s->time->watermark;
}

/* How far behind the watermarks a joined row's times can be (join_op's header). */
static int64_t holdback(const struct join_op *j)
{
    if (j->def.kind == SL_STREAM_JOIN_WINDOW)
        return j->def.size_us;
    int64_t up = j->def.upper_us > 0 ? j->def.upper_us : 0;
    int64_t down = j->def.lower_us < 0 ? -j->def.lower_us : 0;
    return up > down ? up : down;
}

static int64_t out_mark(const struct join_op *j)
{
    int64_t l = side_mark(&j->side[SIDE_LEFT]), r = side_mark(&j->side[SIDE_RIGHT]);
    return mark_sub(l < r ? l : r, holdback(j));
}

static void advance_out(struct join_op *j)
{
    int64_t m = out_mark(j);
    /* Both sides ended: the downstream time's `ended` says so; its watermark stays a time. */
    if (m > j->out_time->watermark && m != INT64_MAX)
        j->out_time->watermark = m;
}













/* ---- emitting joined rows ---- */

/* Writes the values of entry id of s (its columns after its keys) into row `row` of out. */
static sl_status decode_into(struct join_op *j, const struct join_side *s, uint32_t id,
                             struct sl_chunk *out, uint32_t row, struct sl_error *err)
{
    const struct join_entry *e = &s->e[id];
    struct codec_reader r;
    codec_reader_init(&r, (const unsigned char *)s->bytes.data + e->off + e->key_len,
                      e->len - e->key_len);
    for (uint32_t c = 0; c < s->ncols; c++) {
        struct sl_vector *v = &out->cols[s->first_out + c];
        struct sl_value val = codec_get_value(&r, v->type);
        if (val.type == SL_TEXT && val.u.s.len) {
            char *copy = arena_memdup(j->base.batch, val.u.s.ptr, val.u.s.len);
            if (!copy)
                return sl_error_set(err, SL_NOMEM, "out of memory in a join");
            val.u.s.ptr = copy;
        }
        vector_set(v, row, val);
    }
    if (!r.ok)
        return sl_error_set(err, SL_ERROR, "a join's kept row does not decode");
    return SL_OK;
}

static void set_nulls(const struct join_side *s, struct sl_chunk *out, uint32_t row)
{
    for (uint32_t c = 0; c < s->ncols; c++)
        out->cols[s->first_out + c].nulls[row] = 1;
}

/* Keeps the rows of out whose residual is TRUE (padded rows always): out->sel. */
static sl_status apply_residual(struct join_op *j, struct sl_chunk *out, struct sl_error *err)
{
    if (!j->def.residual)
        return SL_OK;
    struct sl_chunk view = *out;
    view.arena = j->scratch;
    struct sl_vector v;
    if (vector_init(j->scratch, j->def.residual->type, &v) != SL_OK)
        return sl_error_set(err, SL_NOMEM, "out of memory in a join");
    sl_status st = expr_eval(j->def.residual, &view, &v, err);
    if (st != SL_OK)
        return st;
    uint8_t *tri = arena_alloc(j->scratch, SL_CHUNK_CAP);
    uint32_t *sel = arena_alloc(j->base.batch, (out->count ? out->count : 1) * sizeof *sel);
    if (!tri || !sel)
        return sl_error_set(err, SL_NOMEM, "out of memory in a join");
    struct expr_ctx cx = {j->scratch, rowsel_iota, out->count};
    expr_truth(&v, &cx, tri);
    uint32_t m = 0;
    for (uint32_t k = 0; k < out->count; k++) {
        sel[m] = k;
        m += tri[k] == 1 || j->pairs[k].right == NIL;
    }
    out->sel = sel;
    out->nsel = m;
    return SL_OK;
}

/* Emits the pairs collected so far: joined rows, the residual kept; their
 * left rows matched. */
static sl_status emit_pairs(struct join_op *j, struct sl_error *err)
{
    if (!j->npairs)
        return SL_OK;
    struct sl_op *op = &j->base;
    struct sl_chunk *out;
    if (chunk_create(op->batch, op->nout, op->out_types, &out) != SL_OK)
        return sl_error_set(err, SL_NOMEM, "out of memory in a join");
    int64_t *marks = arena_alloc(op->batch, j->npairs * sizeof *marks);
    if (!marks)
        return sl_error_set(err, SL_NOMEM, "out of memory in a join");
    struct join_side *l = &j->side[SIDE_LEFT], *r = &j->side[SIDE_RIGHT];
    uint32_t wcol = l->ncols + r->ncols;
    sl_status st = SL_OK;
    for (uint32_t k = 0; k < j->npairs && st == SL_OK; k++) {
        const struct jpair *p = &j->pairs[k];
        st = decode_into(j, l, p->left, out, k, err);
        if (p->right == NIL)
            set_nulls(r, out, k);
        else if (st == SL_OK)
            st = decode_into(j, r, p->right, out, k, err);
        if (j->def.window_columns) {
            /* A row that fell in no window (no time, or a NULL key) has none. */
            out->cols[wcol].nulls[k] = out->cols[wcol + 1].nulls[k] = p->window_start == INT64_MIN;
            out->cols[wcol].data.i[k] = p->window_start;
            out->cols[wcol + 1].data.i[k] = p->window_start + j->def.size_us;
        }
        marks[k] = j->stamp;
    }
    out->count = j->npairs;
    out->watermarks = marks;
    arena_reset(j->scratch);
    if (st == SL_OK)
        st = apply_residual(j, out, err);
    for (uint32_t k = 0; k < chunk_active(out) && st == SL_OK; k++) {
        const struct jpair *p = &j->pairs[chunk_row(out, k)];
        struct join_entry *e = &l->e[p->left];
        if (p->right != NIL && !e->matched && j->def.left_outer) {
            e->matched = true;
            if (e->live && !join_side_mark_dirty(l, p->left))
                st = sl_error_set(err, SL_NOMEM, "out of memory in a join");
        }
    }
    j->npairs = 0;
    return st == SL_OK ? op_push(op->next, out, err) : st;
}

static sl_status add_pair(struct join_op *j, uint32_t left, uint32_t right, int64_t ws,
                          struct sl_error *err)
{
    j->pairs[j->npairs++] = (struct jpair){left, right, ws};
    return j->npairs == SL_CHUNK_CAP ? emit_pairs(j, err) : SL_OK;
}

/* Drops side s's rows whose expiry is below mark (the other side's
 * watermark); a LEFT join's unmatched left rows are emitted padded. */
static sl_status evict(struct join_op *j, int which, int64_t mark, struct sl_error *err)
{
    struct join_side *s = &j->side[which];
    bool pad = which == SIDE_LEFT && j->def.left_outer;
    sl_status st = SL_OK;
    while (s->nheap && s->e[s->heap[0]].expiry < mark && st == SL_OK) {
        uint32_t id = join_side_pop(s);
        const struct join_entry *e = &s->e[id];
        /* A padded row's entry is freed before it is emitted: its bytes stay until compacted. */
        join_side_release(s, id);
        if (pad && !e->matched)
            st = add_pair(j, id, NIL, e->time, err);
    }
    if (st == SL_OK)
        st = emit_pairs(j, err);
    if (mark > s->dropped_below)
        s->dropped_below = mark;
    if (st == SL_OK)
        join_side_compact(s);
    return st;
}

/* ---- the probe ---- */

static uint64_t keys_hash(const struct sl_value *keys, uint32_t n, bool *has_null)
{
    uint64_t h = SQLVAL_SEED;
    *has_null = false;
    for (uint32_t k = 0; k < n; k++) {
        if (keys[k].type == SL_NULL)
            *has_null = true;
        h = sl_hash_u64(h ^ sqlval_hash(keys[k]), SQLVAL_SEED);
    }
    return h;
}

/* Whether entry e's key values equal probe's (SQL =: NULL never does). */
static bool keys_equal(const struct join_op *j, const struct join_side *s,
                       const struct join_entry *e)
{
    struct codec_reader r;
    codec_reader_init(&r, (const unsigned char *)s->bytes.data + e->off, e->key_len);
    for (uint32_t k = 0; k < j->nkeys; k++) {
        struct sl_value v = codec_get_value(&r, j->key_types[k]);
        if (!r.ok || v.type == SL_NULL || sqlval_compare(v, j->probe[k]) != 0)
            return false;
    }
    return true;
}

/* Whether a row of side `which` at `time` pairs in time with entry e of the other side. */
static bool times_match(const struct join_op *j, int which, int64_t time,
                        const struct join_entry *e)
{
    if (j->def.kind == SL_STREAM_JOIN_WINDOW)
        return e->time == time;
    int64_t diff = which == SIDE_LEFT ? e->time - time : time - e->time;
    return diff >= j->def.lower_us && diff <= j->def.upper_us;
}

/* Pairs entry id of side `which` (just kept, at `time`) with the other side's matching rows. */
static sl_status probe(struct join_op *j, int which, uint32_t id, uint64_t hash, int64_t time,
                       struct sl_error *err)
{
    const struct join_side *o = &j->side[!which];
    sl_status st = SL_OK;
    for (uint32_t c = join_side_first(o, hash); c != NIL && st == SL_OK; c = o->e[c].next) {
        const struct join_entry *e = &o->e[c];
        if (e->hash != hash || !times_match(j, which, time, e) || !keys_equal(j, o, e))
            continue;
        st = which == SIDE_LEFT ? add_pair(j, id, c, time, err) : add_pair(j, c, id, time, err);
    }
    return st;
}

/* The windows (their starts) a row at t falls in that are still open at
 * mark, into starts; returns how many. */
static uint32_t open_windows(const struct join_op *j, int64_t t, int64_t mark, int64_t *starts,
                             uint32_t cap)
{
    int64_t adv = j->def.advance_us, size = j->def.size_us;
    int64_t last = floor_div(t, adv) * adv;
    uint32_t n = 0;
    for (int64_t ws = last; ws > t - size && n < cap; ws -= adv)
        if (ws + size > mark)
            starts[n++] = ws;
    return n;
}

/* The expiry of a row at t (interval) or of a window starting at t. */
static int64_t expiry_of(const struct join_op *j, int which, int64_t t)
{
    if (j->def.kind == SL_STREAM_JOIN_WINDOW)
        return t + j->def.size_us - 1;
    return which == SIDE_LEFT ? t + j->def.upper_us : t - j->def.lower_us;
}

/* Encodes row i's keys and values at the end of s->bytes; returns the key bytes' length. */
static uint32_t encode_row(struct join_op *j, struct join_side *s, const struct sl_chunk *chunk,
                           uint32_t i)
{
    size_t start = s->bytes.len;
    for (uint32_t k = 0; k < j->nkeys; k++)
        codec_put_value(&s->bytes, j->probe[k]);
    uint32_t key_len = (uint32_t)(s->bytes.len - start);
    for (uint32_t c = 0; c < s->ncols; c++)
        codec_put_value(&s->bytes, s->needed[c] ? vector_get(&chunk->cols[c], i) : sl_null());
    return key_len;
}

/* A LEFT join's left row i that can match nothing (no time, a NULL key) goes
 * out padded now, in window ws (INT64_MIN: none). */
static sl_status pad_now(struct join_op *j, struct join_side *s, const struct sl_chunk *chunk,
                         uint32_t i, int64_t ws, struct sl_error *err)
{
    size_t off = s->bytes.len;
    uint32_t key_len = encode_row(j, s, chunk, i);
    uint32_t id = s->bytes.failed ? NIL : join_side_alloc(s);
    if (id == NIL)
        return sl_error_set(err, SL_NOMEM, "out of memory in a join");
    s->e[id] = (struct join_entry){.off = off,
                                   .key_len = key_len,
                                   .len = (uint32_t)(s->bytes.len - off),
                                   .live = true};
    s->live++;
    join_side_release(s, id);
    /* Emitted before the next row can take the freed entry. */
    sl_status st = add_pair(j, id, NIL, ws, err);
    return st == SL_OK ? emit_pairs(j, err) : st;
}

/* Keeps row i (once per window for a window join) and probes with it. */
static sl_status take_row(struct join_op *j, int which, const struct sl_chunk *chunk, uint32_t i,
                          int64_t own_mark, struct sl_error *err)
{
    struct join_side *s = &j->side[which];
    const struct sl_vector *tv = &chunk->cols[s->time_col];
    bool pad = which == SIDE_LEFT && j->def.left_outer;
    if (tv->nulls[i])
        return pad ? pad_now(j, s, chunk, i, INT64_MIN, err) : SL_OK;
    int64_t t = tv->data.i[i];
    int64_t starts[64];
    uint32_t nwin = 1;
    if (j->def.kind == SL_STREAM_JOIN_WINDOW)
        nwin = open_windows(j, t, own_mark, starts, 64);
    else if (t < own_mark)
        nwin = 0;
    else
        starts[0] = t;
    if (!nwin) {
        j->out_time->late_rows++;
        return SL_OK;
    }
    bool has_null;
    uint64_t hash = keys_hash(j->probe, j->nkeys, &has_null);
    sl_status st = SL_OK;
    if (has_null) { /* a NULL key matches nothing: padded in each of its windows */
        bool window = j->def.kind == SL_STREAM_JOIN_WINDOW;
        for (uint32_t w = 0; pad && w < nwin && st == SL_OK; w++)
            st = pad_now(j, s, chunk, i, window ? starts[w] : INT64_MIN, err);
        return st;
    }
    for (uint32_t w = 0; w < nwin && st == SL_OK; w++) {
        /* Each of a hopping row's windows keeps a copy: each leaves on its own. */
        size_t off = s->bytes.len;
        uint32_t key_len = encode_row(j, s, chunk, i);
        if (s->bytes.failed)
            return sl_error_set(err, SL_NOMEM, "out of memory in a join");
        int64_t expiry = expiry_of(j, which, starts[w]);
        uint32_t id = join_side_keep(s, hash, true, starts[w], expiry, off, key_len, false);
        if (id == NIL || !join_side_mark_dirty(s, id))
            return sl_error_set(err, SL_NOMEM, "out of memory in a join");
        st = probe(j, which, id, hash, starts[w], err);
    }
    return st;
}

static sl_status push_side(struct join_op *j, int which, struct sl_chunk *chunk,
                           struct sl_error *err)
{
    struct join_side *s = &j->side[which];
    j->stamp = j->out_time->watermark;
    arena_reset(j->keys_arena);
    struct sl_vector *keys = arena_alloc(j->keys_arena, (j->nkeys ? j->nkeys : 1) * sizeof *keys);
    if (!keys)
        return sl_error_set(err, SL_NOMEM, "out of memory in a join");
    struct sl_chunk view = *chunk;
    view.arena = j->keys_arena;
    for (uint32_t k = 0; k < j->nkeys; k++) {
        sl_status st = vector_init(j->keys_arena, s->keys[k]->type, &keys[k]);
        if (st == SL_OK)
            st = expr_eval(s->keys[k], &view, &keys[k], err);
        if (st != SL_OK)
            return st == SL_NOMEM ? sl_error_set(err, SL_NOMEM, "out of memory in a join") : st;
    }
    const uint32_t *rows = rowsel_of(chunk);
    uint32_t n = chunk_active(chunk);
    sl_status st = SL_OK;
    for (uint32_t k = 0; k < n && st == SL_OK; k++) {
        uint32_t i = rows[k];
        for (uint32_t c = 0; c < j->nkeys; c++)
            j->probe[c] = vector_get(&keys[c], i);
        int64_t mark = chunk->watermarks ? chunk->watermarks[i] : s->time->watermark;
        st = take_row(j, which, chunk, i, mark, err);
    }
    if (st == SL_OK)
        st = emit_pairs(j, err);
    /* This side's watermark moved: the other side's rows it passed leave; then
     * this side's rows that came in already expired (and the padded ones). */
    if (st == SL_OK)
        st = evict(j, !which, side_mark(s), err);
    if (st == SL_OK)
        st = evict(j, which, side_mark(&j->side[!which]), err);
    advance_out(j);
    return st;
}

static sl_status join_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    return push_side((struct join_op *)op, SIDE_LEFT, chunk, err);
}

static sl_status port_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    struct join_op *j = (struct join_op *)((char *)op - offsetof(struct join_op, port));
    return push_side(j, SIDE_RIGHT, chunk, err);
}

/* ---- state ---- */

static void put_be64(unsigned char *p, uint64_t x)
{
    for (int b = 7; b >= 0; b--, x >>= 8)
        p[b] = (unsigned char)x;
}

static uint64_t get_be64(const unsigned char *p)
{
    uint64_t x = 0;
    for (int b = 0; b < 8; b++)
        x = x << 8 | p[b];
    return x;
}

/* A signed time as bytes that sort like it (the sign bit flipped). */
static uint64_t sortable(int64_t t)
{
    return (uint64_t)t ^ (UINT64_C(1) << 63);
}

#define ROW_KEY_LEN 17

static void row_key(unsigned char *key, int which, const struct join_entry *e)
{
    key[0] = (unsigned char)which;
    put_be64(key + 1, sortable(e->expiry));
    put_be64(key + 9, e->seq);
}

static bool record_side(struct join_side *s, int which, struct sl_state_delta *d)
{
    bool ok = true;
    if (s->dropped_below != INT64_MIN) {
        unsigned char lo[1] = {(unsigned char)which}, hi[9] = {(unsigned char)which};
        put_be64(hi + 1, sortable(s->dropped_below));
        ok = state_delta_drop(d, lo, sizeof lo, hi, sizeof hi);
    }
    for (uint32_t k = 0; ok && k < s->ndirty; k++) {
        struct join_entry *e = &s->e[s->dirty[k].id];
        if (!e->live || e->seq != s->dirty[k].seq)
            continue;
        unsigned char key[ROW_KEY_LEN];
        row_key(key, which, e);
        state_delta_begin(d);
        buf_append(&d->bytes, (const char *)key, sizeof key);
        state_delta_key_done(d);
        codec_put_i64(&d->bytes, e->time);
        codec_put_u8(&d->bytes, e->matched);
        codec_put_u32(&d->bytes, e->key_len);
        buf_append(&d->bytes, s->bytes.data + e->off, e->len);
        ok = state_delta_end(d, 0);
    }
    return ok;
}


static bool record_state(struct join_op *j, struct sl_state_delta *d)
{
    bool ok = record_side(&j->side[SIDE_LEFT], SIDE_LEFT, d) &&
              record_side(&j->side[SIDE_RIGHT], SIDE_RIGHT, d);
    state_delta_begin(d);
    state_delta_key_done(d);
    for (int w = SIDE_LEFT; w <= SIDE_RIGHT; w++) {
        codec_put_i64(&d->bytes, j->side[w].time->watermark);
        codec_put_i64(&d->bytes, (int64_t)j->side[w].next_seq);
    }
    codec_put_i64(&d->bytes, j->out_time->watermark);
    return state_delta_end(d, 0) && ok;
}

/* The batch's end: what the watermarks (a side's end: +infinity) let go
 * leaves, then the state the batch changed is recorded. */
static sl_status join_flush(struct sl_op *op, struct sl_error *err)
{
    struct join_op *j = (struct join_op *)op;
    j->stamp = j->out_time->watermark;
    sl_status st = evict(j, SIDE_RIGHT, side_mark(&j->side[SIDE_LEFT]), err);
    if (st == SL_OK)
        st = evict(j, SIDE_LEFT, side_mark(&j->side[SIDE_RIGHT]), err);
    advance_out(j);
    if (st == SL_OK && op->delta && !record_state(j, op->delta))
        st = sl_error_set(err, SL_NOMEM, "out of memory recording a join's state");
    join_side_clear_delta(&j->side[SIDE_LEFT]);
    join_side_clear_delta(&j->side[SIDE_RIGHT]);
    return st;
}

static sl_status restore_scalars(struct join_op *j, const unsigned char *state, size_t len,
                                 struct sl_error *err)
{
    struct codec_reader r;
    codec_reader_init(&r, state, len);
    for (int w = SIDE_LEFT; w <= SIDE_RIGHT; w++) {
        j->side[w].time->watermark = codec_get_i64(&r);
        j->side[w].next_seq = (uint64_t)codec_get_i64(&r);
    }
    j->out_time->watermark = codec_get_i64(&r);
    if (!codec_done(&r))
        return sl_error_set(err, SL_ERROR, "the join's watermarks do not decode");
    j->restored_scalars = true;
    return SL_OK;
}

/* Restores the scalars (empty key) or one kept row. */
static sl_status join_restore(struct sl_op *op, const unsigned char *key, size_t key_len,
                              const unsigned char *state, size_t state_len, struct sl_error *err)
{
    struct join_op *j = (struct join_op *)op;
    if (!key_len)
        return restore_scalars(j, state, state_len, err);
    if (!j->restored_scalars)
        return sl_error_set(err, SL_ERROR, "a join's kept row comes without its watermarks");
    if (key_len != ROW_KEY_LEN || key[0] > SIDE_RIGHT)
        return sl_error_set(err, SL_ERROR, "a join's kept row has no side, expiry and number");
    int which = key[0];
    struct join_side *s = &j->side[which];
    struct codec_reader r;
    codec_reader_init(&r, state, state_len);
    int64_t time = codec_get_i64(&r);
    bool matched = codec_get_u8(&r) != 0;
    uint32_t klen = codec_get_u32(&r);
    size_t len = codec_left(&r);
    const unsigned char *bytes = codec_get_bytes(&r, len);
    if (!r.ok || klen > len)
        return sl_error_set(err, SL_ERROR, "a join's kept row does not decode");
    struct codec_reader kr;
    codec_reader_init(&kr, bytes, klen);
    for (uint32_t k = 0; k < j->nkeys; k++)
        j->probe[k] = codec_get_value(&kr, j->key_types[k]);
    if (!codec_done(&kr))
        return sl_error_set(err, SL_ERROR, "a join's kept row's keys do not decode");
    bool has_null;
    uint64_t hash = keys_hash(j->probe, j->nkeys, &has_null);
    size_t off = s->bytes.len;
    buf_append(&s->bytes, (const char *)bytes, len);
    if (s->bytes.failed)
        return sl_error_set(err, SL_NOMEM, "out of memory restoring a join");
    /* keep_row numbers the row with next_seq: its own number, then the scalars' again. */
    uint64_t next = s->next_seq;
    s->next_seq = get_be64(key + 9);
    int64_t expiry = (int64_t)(get_be64(key + 1) ^ (UINT64_C(1) << 63));
    uint32_t id = join_side_keep(s, hash, !has_null, time, expiry, off, klen, matched);
    s->next_seq = next;
    return id == NIL ? sl_error_set(err, SL_NOMEM, "out of memory restoring a join") : SL_OK;
}

/* ---- the rest ---- */

static void render_keys(const struct join_op *j, struct sl_buf *out)
{
    const struct sl_op *op = &j->base;
    const char *const *names = (const char *const *)op->out_names;
    for (uint32_t k = 0; k < j->nkeys; k++) {
        buf_puts(out, k ? " AND " : " ON ");
        expr_render(j->def.left_keys[k], names, out);
        buf_puts(out, " = ");
        expr_render(j->def.right_keys[k], names + j->side[SIDE_RIGHT].first_out, out);
    }
}

static void join_explain(const struct sl_op *op, struct sl_buf *out)
{
    const struct join_op *j = (const struct join_op *)op;
    const char *type = j->def.left_outer ? "LEFT" : "INNER";
    char a[48], b[48];
    if (j->def.kind == SL_STREAM_JOIN_WINDOW) {
        sl_duration_format(j->def.size_us, a);
        sl_duration_format(j->def.advance_us, b);
        buf_printf(out, "window join %s (size %s, advance %s)", type, a, b);
    } else {
        buf_printf(out, "interval join %s", type);
    }
    render_keys(j, out);
    const char *lt = op->out_names[j->side[SIDE_LEFT].time_col];
    const char *rt = op->out_names[j->side[SIDE_RIGHT].first_out + j->side[SIDE_RIGHT].time_col];
    if (j->def.kind == SL_STREAM_JOIN_INTERVAL) {
        sl_duration_format(j->def.lower_us, a);
        sl_duration_format(j->def.upper_us, b);
        buf_printf(out, " AND right.%s - left.%s BETWEEN %s AND %s", rt, lt, a, b);
    } else {
        buf_printf(out, " AND left.%s, right.%s in one window", lt, rt);
    }
    if (j->def.residual) {
        buf_puts(out, " AND ");
        expr_render(j->def.residual, (const char *const *)op->out_names, out);
    }
    /* What the state rows hold, so a plan that reads other columns has another fingerprint. */
    for (int w = SIDE_LEFT; w <= SIDE_RIGHT; w++) {
        const struct join_side *s = &j->side[w];
        buf_puts(out, w == SIDE_LEFT ? ", keeping left (" : " right (");
        bool first = true;
        for (uint32_t c = 0; c < s->ncols; c++)
            if (s->needed[c]) {
                buf_printf(out, "%s%s", first ? "" : ", ", op->out_names[s->first_out + c]);
                first = false;
            }
        buf_putc(out, ')');
    }
}

static void join_stats(const struct sl_op *op, uint64_t *groups, uint64_t *bytes)
{
    const struct join_op *j = (const struct join_op *)op;
    *groups = *bytes = 0;
    for (int w = SIDE_LEFT; w <= SIDE_RIGHT; w++) {
        const struct join_side *s = &j->side[w];
        *groups += s->live;
        *bytes += s->bytes.cap + (uint64_t)s->cap * sizeof *s->e +
                  ((uint64_t)s->mask + 1) * sizeof *s->buckets + s->cap_heap * sizeof *s->heap;
    }
}


static void join_destroy(struct sl_op *op)
{
    struct join_op *j = (struct join_op *)op;
    join_side_free(&j->side[SIDE_LEFT]);
    join_side_free(&j->side[SIDE_RIGHT]);
    arena_destroy(j->scratch);
    arena_destroy(j->keys_arena);
    sl_free(j->key_types);
    sl_free(j->probe);
    op_fini(&j->port);
    op_fini(op);
    sl_free(j);
}

/* EXPLAIN and DESCRIBE EXTENDED show the right chain just before the join. */
static struct sl_op *join_inner_front(const struct sl_op *op, uint32_t i)
{
    return i == 0 ? ((const struct join_op *)op)->right_head : NULL;
}

static sl_status port_flush(struct sl_op *op, struct sl_error *err)
{
    (void)op, (void)err;
    return SL_OK;
}

/* The port belongs to the join: destroying the right chain leaves it. */
static void port_destroy(struct sl_op *op)
{
    (void)op;
}

static const struct sl_op_vtable join_vtable = {
    .name = "stream join",
    .push = join_push,
    .flush = join_flush,
    .explain = join_explain,
    .destroy = join_destroy,
    .stats = join_stats,
    .restore = join_restore,
    .inner_front = join_inner_front,
};

static const struct sl_op_vtable port_vtable = {
    .name = "stream join right",
    .push = port_push,
    .flush = port_flush,
    .destroy = port_destroy,
};


sl_status op_stream_join_create(struct sl_arena *batch, const struct sl_stream_join_def *def,
                                struct sl_time_state *out_time, struct sl_op **join,
                                struct sl_op **right_port, struct sl_error *err)
{
    struct join_op *j = sl_calloc(1, sizeof *j);
    if (!j)
        return sl_error_set(err, SL_NOMEM, "out of memory creating a join");
    j->def = *def;
    j->def.left_needed = j->def.right_needed = NULL; /* copied into the sides */
    j->out_time = out_time;
    j->nkeys = def->nkeys;
    uint32_t nout = def->nleft + def->nright + (def->window_columns ? 2 : 0);
    enum sl_type *types = sl_calloc(nout, sizeof *types);
    const char **names = sl_calloc(nout, sizeof *names);
    j->key_types = sl_calloc(def->nkeys + 1, sizeof *j->key_types);
    j->probe = sl_calloc(def->nkeys + 1, sizeof *j->probe);
    j->scratch = arena_create(0);
    j->keys_arena = arena_create(0);
    bool ok = types && names && j->key_types && j->probe && j->scratch && j->keys_arena &&
              join_side_init(&j->side[SIDE_LEFT], def->nleft, 0, def->left_time_col,
                             def->left_keys, def->left_needed) &&
              join_side_init(&j->side[SIDE_RIGHT], def->nright, def->nleft, def->right_time_col,
                             def->right_keys, def->right_needed);
    if (ok) {
        for (uint32_t c = 0; c < def->nleft; c++) {
            types[c] = def->left_types[c];
            names[c] = def->left_names[c];
        }
        for (uint32_t c = 0; c < def->nright; c++) {
            types[def->nleft + c] = def->right_types[c];
            names[def->nleft + c] = def->right_names[c];
        }
        if (def->window_columns) {
            types[nout - 2] = types[nout - 1] = SL_TIMESTAMP;
            names[nout - 2] = "window_start";
            names[nout - 1] = "window_end";
        }
        /* Keys compare as values: a key's stored type is its wider side's. */
        for (uint32_t k = 0; k < def->nkeys; k++)
            j->key_types[k] = def->left_keys[k]->type == def->right_keys[k]->type
                                  ? def->left_keys[k]->type
                                  : SL_ANY;
        ok = op_init(&j->base, &join_vtable, batch, nout, types, names) == SL_OK &&
             op_init(&j->port, &port_vtable, batch, def->nright, def->right_types,
                     def->right_names) == SL_OK;
    }
    sl_free(types);
    sl_free(names);
    if (!ok) {
        if (j->base.vt)
            join_destroy(&j->base);
        else {
            join_side_free(&j->side[SIDE_LEFT]);
            join_side_free(&j->side[SIDE_RIGHT]);
            arena_destroy(j->scratch);
            arena_destroy(j->keys_arena);
            sl_free(j->key_types);
            sl_free(j->probe);
            sl_free(j);
        }
        return sl_error_set(err, SL_NOMEM, "out of memory creating a join");
    }
    *join = &j->base;
    *right_port = &j->port;
    return SL_OK;
}

void op_stream_join_set_right_head(struct sl_op *join, struct sl_op *head)
{
    ((struct join_op *)join)->right_head = head;
}

struct sl_time_state *op_stream_join_time(struct sl_op *join, bool right)
{
    struct join_op *j = (struct join_op *)join;
    return j->side[right ? SIDE_RIGHT : SIDE_LEFT].time;
}
