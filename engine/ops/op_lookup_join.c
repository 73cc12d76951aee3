/*
 * op_lookup_join.c — FROM stream s [LEFT] JOIN table t ON s.k = t.c ...: each
 * row of the stream is joined with the rows of a SQLite table that have its
 * key (storage/db_lookup.h does the reading).
 *
 * Per chunk the key of each active row is evaluated, and each distinct key
 * is looked up once: the rows a key found are kept in a cache for the rest of
 * the batch, so a key seen again, in this chunk or a later one of the batch,
 * costs a hash probe, not a query. The cache's rows are the batch's
 * snapshot: the runtime begins one (op_begin_batch) when the batch begins,
 * and the flush at its end ends it and empties the cache, so a batch sees the
 * table as it was when the batch began and changes apply from the next batch.
 *
 * A NULL key matches nothing (SQL's =). Each input row yields one output row
 * [input columns..., table columns...] per table row found that passes the
 * residual (the rest of ON); under LEFT a row with none yields one row with
 * the table's columns NULL. Output chunks fill up to SL_CHUNK_CAP rows and
 * are pushed when full, as the unnest does.
 *
 * Stateless for checkpoints: the table is the state. It runs on the query's
 * own thread, before an aggregation's exchange (planner.c), so its one
 * connection is never shared between threads.
 */
#include <string.h>

#include "common/alloc.h"
#include "common/hash.h"
#include "engine/expr/expr_kernels.h"
#include "engine/ops/op_gather.h"
#include "engine/ops/ops.h"
#include "engine/values/rowsel.h"
#include "storage/db_lookup.h"

/* A key looked up in this batch: the rows it found are rows[first .. first + n). */
struct cache_entry {
    uint64_t hash;
    const uint8_t *key; /* encoded (encode_key), in the cache arena; NULL: a free slot */
    uint32_t key_len;
    uint32_t n;
    uint64_t first;
};

struct lookup_op {
    struct sl_op base;
    struct db_lookup *db;
    uint32_t nin, ncols, nkeys;
    struct sl_expr *const *left_keys;
    const struct sl_expr *residual;
    bool left;
    char *label;
    char *keys_text; /* "s.k = t.c AND ..." for EXPLAIN */
    struct sl_arena *scratch; /* reset at every push */
    /* The batch's cache: entries (open addressing), the rows they found
     * (ncols values each) and their text, until the flush. */
    struct sl_arena *cache_arena;
    struct cache_entry *slots;
    uint32_t cap, used;
    struct sl_value *rows;
    uint64_t nrows, rows_cap;
    /* The output chunk being filled: its input row and table row (-1: NULL). */
    struct sl_chunk *out;
    uint32_t src[SL_CHUNK_CAP];
    int64_t right[SL_CHUNK_CAP];
    /* Per input row of the push (LEFT with a residual): a match passed it. */
    uint8_t had[SL_CHUNK_CAP], passed[SL_CHUNK_CAP];
};

static sl_status nomem(struct sl_error *err)
{
    return sl_error_set(err, SL_NOMEM, "out of memory in a lookup join");
}

/* Appends v's type and bytes to the key being built in b. */
static void encode_value(struct sl_buf *b, struct sl_value v)
{
    buf_putc(b, (char)v.type);
    switch (v.type) {
    case SL_BOOL: buf_putc(b, v.u.b ? 1 : 0); break;
    case SL_INT:
    case SL_TIMESTAMP: buf_append(b, (const char *)&v.u.i, sizeof v.u.i); break;
    case SL_REAL: buf_append(b, (const char *)&v.u.r, sizeof v.u.r); break;
    case SL_TEXT:
        buf_append(b, (const char *)&v.u.s.len, sizeof v.u.s.len);
        buf_append(b, v.u.s.ptr, v.u.s.len);
        break;
    default: break;
    }
}

static sl_status cache_grow(struct lookup_op *l)
{
    uint32_t cap = l->cap ? l->cap * 2 : 256;
    struct cache_entry *slots = sl_calloc(cap, sizeof *slots);
    if (!slots)
        return SL_NOMEM;
    for (uint32_t i = 0; i < l->cap; i++) {
        if (!l->slots[i].key)
            continue;
        uint32_t at = (uint32_t)l->slots[i].hash & (cap - 1);
        while (slots[at].key)
            at = (at + 1) & (cap - 1);
        slots[at] = l->slots[i];
    }
    sl_free(l->slots);
    l->slots = slots;
    l->cap = cap;
    return SL_OK;
}

static void cache_clear(struct lookup_op *l)
{
    if (l->slots)
        memset(l->slots, 0, l->cap * sizeof *l->slots);
    l->used = 0;
    l->nrows = 0;
    arena_reset(l->cache_arena);
}

/* A row the table gave: copied (with its text) to the end of the cache's rows. */
static sl_status keep_row(void *ctx, const struct sl_value *row, struct sl_error *err)
{
    struct lookup_op *l = ctx;
    if (l->nrows == l->rows_cap) {
        uint64_t cap = l->rows_cap ? l->rows_cap * 2 : 256;
        struct sl_value *rows = sl_realloc(l->rows, cap * l->ncols * sizeof *rows);
        if (!rows)
            return nomem(err);
        l->rows = rows;
        l->rows_cap = cap;
    }
    struct sl_value *dst = l->rows + l->nrows * l->ncols;
    for (uint32_t i = 0; i < l->ncols; i++) {
        dst[i] = row[i];
        if (row[i].type == SL_TEXT && row[i].u.s.len &&
            !(dst[i].u.s.ptr = arena_memdup(l->cache_arena, row[i].u.s.ptr, row[i].u.s.len)))
            return nomem(err);
    }
    l->nrows++;
    return SL_OK;
}

/* The cache's entry for the key of input row i (looked up now if new). */
static sl_status find(struct lookup_op *l, const struct sl_vector *keys, uint32_t i,
                      struct sl_buf *kb, struct sl_value *kv, const struct cache_entry **out,
                      struct sl_error *err)
{
    buf_clear(kb);
    for (uint32_t k = 0; k < l->nkeys; k++) {
        kv[k] = vector_get(&keys[k], i);
        encode_value(kb, kv[k]);
    }
    if (kb->failed)
        return nomem(err);
    uint64_t h = sl_hash_bytes(kb->data, kb->len, 0);
    if ((l->used + 1) * 4 > l->cap * 3 && cache_grow(l) != SL_OK)
        return nomem(err);
    uint32_t at = (uint32_t)h & (l->cap - 1);
    for (; l->slots[at].key; at = (at + 1) & (l->cap - 1)) {
        const struct cache_entry *e = &l->slots[at];
        if (e->hash == h && e->key_len == kb->len && memcmp(e->key, kb->data, kb->len) == 0) {
            *out = e;
            return SL_OK;
        }
    }
    struct cache_entry *e = &l->slots[at];
    uint64_t first = l->nrows;
    sl_status st = db_lookup_find(l->db, kv, keep_row, l, err);
    if (st != SL_OK)
        return st;
    e->key = arena_memdup(l->cache_arena, kb->data, kb->len ? kb->len : 1);
    if (!e->key)
        return nomem(err);
    e->hash = h;
    e->key_len = (uint32_t)kb->len;
    e->first = first;
    e->n = (uint32_t)(l->nrows - first);
    l->used++;
    *out = e;
    return SL_OK;
}

static sl_status begin_out(struct lookup_op *l, struct sl_error *err)
{
    struct sl_op *op = &l->base;
    return chunk_create(op->batch, op->nout, op->out_types, &l->out) == SL_OK ? SL_OK
                                                                              : nomem(err);
}

/* The residual's truth on the first m rows of l->out: its selection keeps
 * the NULL-extended rows and the matches that pass (noted in l->passed). */
static sl_status apply_residual(struct lookup_op *l, uint32_t m, struct sl_error *err)
{
    struct sl_chunk *c = l->out;
    struct sl_chunk view = *c;
    view.arena = l->scratch;
    struct sl_vector v;
    if (vector_init(l->scratch, l->residual->type, &v) != SL_OK)
        return nomem(err);
    sl_status st = expr_eval(l->residual, &view, &v, err);
    if (st != SL_OK)
        return st;
    uint8_t *tri = arena_alloc(l->scratch, SL_CHUNK_CAP);
    uint32_t *sel = arena_alloc(l->base.batch, m * sizeof *sel);
    if (!tri || !sel)
        return nomem(err);
    if (v.type == SL_BOOL) {
        for (uint32_t r = 0; r < m; r++)
            tri[r] = v.nulls[r] ? 2 : v.data.b[r] != 0;
    } else {
        struct expr_ctx cx = {l->scratch, rowsel_of(c), m};
        expr_truth(&v, &cx, tri);
    }
    uint32_t n = 0;
    for (uint32_t r = 0; r < m; r++) {
        bool keep = l->right[r] < 0 || tri[r] == 1;
        if (keep && l->right[r] >= 0)
            l->passed[l->src[r]] = 1;
        sel[n] = r;
        n += keep;
    }
    c->sel = sel;
    c->nsel = n;
    return SL_OK;
}

/* Completes the first m rows of l->out from input `in` and pushes them. */
static sl_status emit(struct lookup_op *l, const struct sl_chunk *in, uint32_t m,
                      struct sl_error *err)
{
    struct sl_op *op = &l->base;
    struct sl_chunk *c = l->out;
    c->count = m;
    for (uint32_t col = 0; col < l->nin; col++)
        op_gather(&c->cols[col], &in->cols[col], l->src, m);
    for (uint32_t j = 0; j < l->ncols; j++) {
        struct sl_vector *v = &c->cols[l->nin + j];
        for (uint32_t r = 0; r < m; r++) {
            struct sl_value x = l->right[r] < 0 ? sl_null()
                                                : l->rows[(uint64_t)l->right[r] * l->ncols + j];
            v->nulls[r] = x.type == SL_NULL;
            if (x.type != SL_NULL)
                vector_set(v, r, x);
        }
    }
    if (in->row_kinds) {
        if (!(c->row_kinds = arena_alloc(op->batch, m)))
            return nomem(err);
        for (uint32_t r = 0; r < m; r++)
            c->row_kinds[r] = in->row_kinds[l->src[r]];
    }
    if (in->watermarks) {
        if (!(c->watermarks = arena_alloc(op->batch, m * sizeof *c->watermarks)))
            return nomem(err);
        for (uint32_t r = 0; r < m; r++)
            c->watermarks[r] = in->watermarks[l->src[r]];
    }
    sl_status st = l->residual ? apply_residual(l, m, err) : SL_OK;
    return st == SL_OK ? op_push(op->next, c, err) : st;
}

/* Adds output row (input row i, table row right) and pushes a full chunk. */
static sl_status add_row(struct lookup_op *l, const struct sl_chunk *in, uint32_t i,
                         int64_t right, uint32_t *m, struct sl_error *err)
{
    l->src[*m] = i;
    l->right[*m] = right;
    if (++*m < SL_CHUNK_CAP)
        return SL_OK;
    sl_status st = emit(l, in, *m, err);
    *m = 0;
    return st == SL_OK ? begin_out(l, err) : st;
}

static sl_status lookup_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    struct lookup_op *l = (struct lookup_op *)op;
    arena_reset(l->scratch);
    struct sl_chunk view = *chunk;
    view.arena = l->scratch;
    struct sl_vector *keys = arena_alloc(l->scratch, l->nkeys * sizeof *keys);
    struct sl_value *kv = arena_alloc(l->scratch, l->nkeys * sizeof *kv);
    if (!keys || !kv)
        return nomem(err);
    for (uint32_t k = 0; k < l->nkeys; k++) {
        if (vector_init(l->scratch, l->left_keys[k]->type, &keys[k]) != SL_OK)
            return nomem(err);
        sl_status st = expr_eval(l->left_keys[k], &view, &keys[k], err);
        if (st != SL_OK)
            return st;
    }
    const uint32_t *rows = rowsel_of(chunk);
    uint32_t n = chunk_active(chunk), m = 0;
    memset(l->had, 0, sizeof l->had);
    memset(l->passed, 0, sizeof l->passed);
    struct sl_buf kb;
    buf_init(&kb);
    sl_status st = begin_out(l, err);
    for (uint32_t k = 0; k < n && st == SL_OK; k++) {
        uint32_t i = rows[k];
        const struct cache_entry *e = NULL;
        bool null_key = false;
        for (uint32_t j = 0; j < l->nkeys; j++)
            null_key = null_key || keys[j].nulls[i];
        if (!null_key)
            st = find(l, keys, i, &kb, kv, &e, err);
        uint32_t found = e ? e->n : 0;
        uint64_t first = e ? e->first : 0;
        l->had[i] = found > 0;
        for (uint32_t r = 0; r < found && st == SL_OK; r++)
            st = add_row(l, chunk, i, (int64_t)(first + r), &m, err);
        if (st == SL_OK && !found && l->left)
            st = add_row(l, chunk, i, -1, &m, err);
    }
    buf_free(&kb);
    if (st == SL_OK && m)
        st = emit(l, chunk, m, err);
    /* LEFT: a row whose matches all failed the residual still comes out, once. */
    m = 0;
    if (st == SL_OK && l->left && l->residual && (st = begin_out(l, err)) == SL_OK) {
        for (uint32_t k = 0; k < n && st == SL_OK; k++)
            if (l->had[rows[k]] && !l->passed[rows[k]])
                st = add_row(l, chunk, rows[k], -1, &m, err);
        if (st == SL_OK && m)
            st = emit(l, chunk, m, err);
    }
    l->out = NULL;
    return st;
}

static sl_status lookup_begin(struct sl_op *op, struct sl_error *err)
{
    struct lookup_op *l = (struct lookup_op *)op;
    cache_clear(l);
    return db_lookup_begin(l->db, err);
}

static sl_status lookup_flush(struct sl_op *op, struct sl_error *err)
{
    (void)err;
    struct lookup_op *l = (struct lookup_op *)op;
    db_lookup_end(l->db);
    cache_clear(l);
    return SL_OK;
}

static void lookup_explain(const struct sl_op *op, struct sl_buf *out)
{
    const struct lookup_op *l = (const struct lookup_op *)op;
    buf_printf(out, "lookup join%s %s on %s", l->left ? " (LEFT)" : "", l->label, l->keys_text);
    if (l->residual) {
        buf_puts(out, " where ");
        expr_render(l->residual, (const char *const *)op->out_names, out);
    }
    buf_printf(out, ": %s by %s", db_lookup_searches(l->db) ? "index" : "full scan",
               db_lookup_plan(l->db));
}

static void lookup_destroy(struct sl_op *op)
{
    struct lookup_op *l = (struct lookup_op *)op;
    db_lookup_close(l->db);
    arena_destroy(l->scratch);
    arena_destroy(l->cache_arena);
    sl_free(l->slots);
    sl_free(l->rows);
    sl_free(l->label);
    sl_free(l->keys_text);
    op_fini(op);
    sl_free(l);
}

static const struct sl_op_vtable lookup_vtable = {
    .name = "lookup join",
    .push = lookup_push,
    .flush = lookup_flush,
    .explain = lookup_explain,
    .destroy = lookup_destroy,
    .begin = lookup_begin,
};

/* "left key = table.column AND ...", rendered over the input's names. */
static char *keys_text(const struct sl_lookup_join_def *d)
{
    struct sl_buf b;
    buf_init(&b);
    for (uint32_t k = 0; k < d->nkeys; k++) {
        if (k)
            buf_puts(&b, " AND ");
        expr_render(d->left_keys[k], d->in_names, &b);
        buf_printf(&b, " = %s.%s", d->alias, d->key_names[k]);
    }
    char *s = b.failed ? NULL : sl_strdup(buf_str(&b));
    buf_free(&b);
    return s;
}

sl_status op_lookup_join_create(struct sl_arena *batch, const struct sl_lookup_join_def *d,
                                struct sl_op **out, struct sl_error *err)
{
    struct lookup_op *l = sl_calloc(1, sizeof *l);
    if (!l)
        return nomem(err);
    uint32_t nout = d->nin + d->ncols;
    enum sl_type *types = sl_calloc(nout ? nout : 1, sizeof *types);
    const char **names = sl_calloc(nout ? nout : 1, sizeof *names);
    sl_status st = SL_NOMEM;
    if (types && names) {
        memcpy(types, d->in_types, d->nin * sizeof *types);
        memcpy(types + d->nin, d->types, d->ncols * sizeof *types);
        memcpy(names, d->in_names, d->nin * sizeof *names);
        memcpy(names + d->nin, d->names, d->ncols * sizeof *names);
        st = op_init(&l->base, &lookup_vtable, batch, nout, types, names);
    }
    sl_free(types);
    sl_free(names);
    if (st != SL_OK) {
        sl_free(l);
        return nomem(err);
    }
    l->nin = d->nin;
    l->ncols = d->ncols;
    l->nkeys = d->nkeys;
    l->left_keys = d->left_keys;
    l->residual = d->residual;
    l->left = d->left;
    l->scratch = arena_create(0);
    l->cache_arena = arena_create(0);
    l->label = sl_strdup(d->label);
    l->keys_text = keys_text(d);
    if (!l->scratch || !l->cache_arena || !l->label || !l->keys_text || cache_grow(l) != SL_OK) {
        lookup_destroy(&l->base);
        return nomem(err);
    }
    st = db_lookup_open(d->file, d->table, d->ncols, d->names, d->types, d->nkeys, d->key_names,
                        d->key_casts, &l->db, err);
    if (st != SL_OK) {
        lookup_destroy(&l->base);
        return st;
    }
    *out = &l->base;
    return SL_OK;
}
