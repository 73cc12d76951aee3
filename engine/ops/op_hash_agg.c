/*
 * op_hash_agg.c — GROUP BY without a window: one group table (group_table.c)
 * from keys to aggregate states, updated a chunk at a time, emitting the
 * groups that changed at every flush (INSERT the first time, UPDATE after).
 * A push finds the group of every row, then calls each aggregate's step once
 * for the whole chunk. Its flush marks each changed group's number in
 * op->delta; the snapshot hook makes a group's row, its keys (agg_codec
 * values) and its states (agg_set_serialize), when the runtime writes it:
 * groups change at random places among many, so the runtime appends them to
 * the state log and compacts it through the same hook
 * (engine/runtime/state_writer.c), and no copy of a batch's changed states
 * is held. Restoring reads each group's newest row back as a group already
 * emitted.
 */

#include "common/alloc.h"
#include "engine/aggregates/agg_codec.h"
#include "engine/ops/agg_set.h"
#include "engine/values/rowsel.h"

/* A group's payload header; the aggregate states follow. */
struct hagg_flags {
    uint8_t changed; /* updated since the last flush (and listed in `changed`) */
    uint8_t emitted; /* emitted at an earlier flush: the next emission is an UPDATE */
};

struct hagg_op {
    struct sl_op base;
    uint32_t nkeys;
    enum sl_type *key_types;
    struct sl_value *restore_keys; /* nkeys: a restored group's keys */
    struct sl_group_table *table;
    struct sl_group_scratch *scratch;
    struct sl_agg_set aggs;
    uint32_t *changed;
    uint32_t nchanged, cap_changed;
    uint32_t gids[SL_CHUNK_CAP];
};

/* Initialises the groups created since `before` and lists the rows' groups that became changed. */
static bool note_groups(struct hagg_op *h, uint32_t before, uint32_t n)
{
    uint32_t count = group_table_count(h->table);
    for (uint32_t gid = before; gid < count; gid++)
        agg_set_init_states(&h->aggs, group_table_payload(h->table, gid));
    if (count > h->cap_changed) {
        uint32_t cap = h->cap_changed ? h->cap_changed : 1024;
        while (cap < count)
            cap *= 2;
        uint32_t *changed = sl_realloc(h->changed, (size_t)cap * sizeof *changed);
        if (!changed)
            return false;
        h->changed = changed;
        h->cap_changed = cap;
    }
    for (uint32_t k = 0; k < n; k++) {
        struct hagg_flags *f = group_table_payload(h->table, h->gids[k]);
        if (!f->changed) {
            f->changed = 1;
            h->changed[h->nchanged++] = h->gids[k];
        }
    }
    return true;
}

static sl_status hagg_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    struct hagg_op *h = (struct hagg_op *)op;
    const uint32_t *rows = rowsel_of(chunk);
    uint32_t n = chunk_active(chunk), before = group_table_count(h->table);
    sl_status st = group_table_find(h->table, chunk, rows, n, h->gids, err);
    if (st != SL_OK)
        return st;
    if (!note_groups(h, before, n))
        return sl_error_set(err, SL_NOMEM, "out of memory in aggregate (%u groups)",
                            group_table_count(h->table));
    return agg_set_step(&h->aggs, h->table, h->gids, chunk, rows, n, err);
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
        uint32_t gid = h->changed[from + k];
        struct hagg_flags *f = group_table_payload(h->table, gid);
        c->row_kinds[k] = f->emitted ? SL_ROW_UPDATE : SL_ROW_INSERT;
        f->emitted = 1;
        f->changed = 0;
        for (uint32_t col = 0; col < h->nkeys; col++)
            vector_set(&c->cols[col], k, group_table_key(h->table, gid, col));
        if (!agg_set_store(&h->aggs, f, c, h->nkeys, k))
            return sl_error_set(err, SL_NOMEM, "out of memory emitting aggregate rows");
    }
    return op_push(op->next, c, err);
}

static sl_status hagg_flush(struct sl_op *op, struct sl_error *err)
{
    struct hagg_op *h = (struct hagg_op *)op;
    sl_status st = SL_OK;
    for (uint32_t k = 0; op->delta && k < h->nchanged && st == SL_OK; k++)
        if (!state_delta_mark(op->delta, h->changed[k]))
            st = sl_error_set(err, SL_NOMEM, "out of memory recording aggregate state");
    for (uint32_t from = 0; from < h->nchanged && st == SL_OK; from += SL_CHUNK_CAP) {
        uint32_t n = h->nchanged - from < SL_CHUNK_CAP ? h->nchanged - from : SL_CHUNK_CAP;
        st = emit(h, from, n, err);
    }
    for (uint32_t k = 0; k < h->nchanged; k++)
        ((struct hagg_flags *)group_table_payload(h->table, h->changed[k]))->changed = 0;
    h->nchanged = 0;
    return st;
}

bool op_agg_record_group(const struct sl_group_table *t, const struct sl_agg_set *aggs,
                         uint32_t nkeys, uint32_t gid, const char *prefix, size_t prefix_len,
                         uint64_t pos, struct sl_state_delta *d)
{
    state_delta_begin(d);
    buf_append(&d->bytes, prefix, prefix_len);
    for (uint32_t col = 0; col < nkeys; col++)
        codec_put_value(&d->bytes, group_table_key(t, gid, col));
    state_delta_key_done(d);
    agg_set_serialize(aggs, group_table_payload(t, gid), &d->bytes);
    return state_delta_end(d, pos);
}

sl_status op_agg_restore_group(struct sl_group_table *t, const struct sl_agg_set *aggs,
                               uint32_t nkeys, const enum sl_type *key_types,
                               struct sl_value *keys, const unsigned char *key, size_t key_len,
                               const unsigned char *state, size_t state_len, void **payload,
                               struct sl_error *err)
{
    struct codec_reader r;
    codec_reader_init(&r, key, key_len);
    for (uint32_t col = 0; col < nkeys; col++)
        keys[col] = codec_get_value(&r, key_types[col]);
    if (!codec_done(&r))
        return sl_error_set(err, SL_ERROR, "a group's key does not decode");
    if (group_table_lookup_values(t, keys) != GROUP_NONE)
        return sl_error_set(err, SL_ERROR, "a group is there twice");
    uint32_t gid = group_table_insert_values(t, keys);
    if (gid == GROUP_NONE)
        return sl_error_set(err, SL_NOMEM, "out of memory restoring aggregate state");
    *payload = group_table_payload(t, gid);
    if (!agg_set_deserialize(aggs, *payload, state, state_len, group_table_arena(t)))
        return sl_error_set(err, SL_ERROR, "a group's aggregate states do not decode");
    return SL_OK;
}

static sl_status hagg_snapshot(struct sl_op *op, uint64_t pos, struct sl_state_delta *d,
                               struct sl_error *err)
{
    struct hagg_op *h = (struct hagg_op *)op;
    if (pos >= group_table_count(h->table))
        return sl_error_set(err, SL_ERROR, "no group %llu to snapshot", (unsigned long long)pos);
    if (!op_agg_record_group(h->table, &h->aggs, h->nkeys, (uint32_t)pos, "", 0, pos, d))
        return sl_error_set(err, SL_NOMEM, "out of memory recording aggregate state");
    return SL_OK;
}

static sl_status hagg_restore(struct sl_op *op, const unsigned char *key, size_t key_len,
                              const unsigned char *state, size_t state_len, struct sl_error *err)
{
    struct hagg_op *h = (struct hagg_op *)op;
    void *payload;
    sl_status st = op_agg_restore_group(h->table, &h->aggs, h->nkeys, h->key_types,
                                        h->restore_keys, key, key_len, state, state_len,
                                        &payload, err);
    if (st != SL_OK)
        return st;
    /* Its row was committed with the checkpoint: its next change is an UPDATE. */
    ((struct hagg_flags *)payload)->emitted = 1;
    return SL_OK;
}

void op_explain_aggregates(const struct sl_op *op, uint32_t first_out, uint32_t nkeys,
                           const struct sl_agg_spec *specs, uint32_t naggs, struct sl_buf *out)
{
    for (uint32_t a = 0; a < naggs; a++) {
        const struct sl_agg_spec *spec = &specs[a];
        buf_printf(out, "%s%s(%s", a ? ", " : ": ", spec->fn->name,
                   spec->fn->distinct ? "DISTINCT " : "");
        if (spec->arg_column < 0)
            buf_putc(out, '*');
        else if ((uint32_t)spec->arg_column < nkeys)
            buf_puts(out, op->out_names[first_out + (uint32_t)spec->arg_column]);
        else
            buf_printf(out, "#%d", spec->arg_column);
        buf_putc(out, ')');
        if (spec->filtered)
            buf_printf(out, " FILTER #%u", spec->filter_column);
        buf_printf(out, " AS %s", op->out_names[first_out + nkeys + a]);
    }
}

static void hagg_explain(const struct sl_op *op, struct sl_buf *out)
{
    const struct hagg_op *h = (const struct hagg_op *)op;
    buf_puts(out, "hash aggregate");
    for (uint32_t col = 0; col < h->nkeys; col++)
        buf_printf(out, "%s%s", col ? ", " : " by ", op->out_names[col]);
    op_explain_aggregates(op, 0, h->nkeys, h->aggs.specs, h->aggs.naggs, out);
}

static void hagg_destroy(struct sl_op *op)
{
    struct hagg_op *h = (struct hagg_op *)op;
    group_table_destroy(h->table);
    group_scratch_destroy(h->scratch);
    agg_set_free(&h->aggs);
    sl_free(h->changed);
    sl_free(h->key_types);
    sl_free(h->restore_keys);
    op_fini(op);
    sl_free(h);
}

static void hagg_stats(const struct sl_op *op, uint64_t *groups, uint64_t *bytes);

static const struct sl_op_vtable hagg_vtable = {
    .name = "hash_agg",
    .push = hagg_push,
    .flush = hagg_flush,
    .explain = hagg_explain,
    .destroy = hagg_destroy,
    .stats = hagg_stats,
    .restore = hagg_restore,
    .snapshot = hagg_snapshot,
};

void op_agg_output(uint32_t nkeys, const enum sl_type *key_types,
                        const char *const *key_names, uint32_t naggs,
                        const struct sl_agg_spec *aggs, enum sl_type *types, const char **names)
{
    for (uint32_t col = 0; col < nkeys; col++) {
        types[col] = key_types[col];
        names[col] = key_names ? key_names[col] : NULL;
    }
    for (uint32_t a = 0; a < naggs; a++) {
        types[nkeys + a] = aggs[a].result_type;
        names[nkeys + a] = aggs[a].name;
    }
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
    bool ok = h && types && names && agg_set_init(&h->aggs, naggs, aggs, sizeof(struct hagg_flags));
    if (ok) {
        h->nkeys = nkeys;
        h->key_types = sl_calloc(nkeys ? nkeys : 1, sizeof *h->key_types);
        h->restore_keys = sl_calloc(nkeys ? nkeys : 1, sizeof *h->restore_keys);
        ok = h->key_types && h->restore_keys;
    }
    if (ok) {
        for (uint32_t col = 0; col < nkeys; col++)
            h->key_types[col] = key_types[col];
        h->scratch = group_scratch_create(nkeys, key_types);
        h->table = h->scratch ? group_table_create(nkeys, key_types, h->aggs.size, 1024 * 1024,
                                                   h->scratch)
                              : NULL;
        op_agg_output(nkeys, key_types, key_names, naggs, aggs, types, names);
        ok = h->table && op_init(&h->base, &hagg_vtable, batch, nout, types, names) == SL_OK;
    }
    sl_free(types);
    sl_free(names);
    if (!ok) {
        /* What was made is freed as the operator would be: every field starts zeroed. */
        if (h)
            hagg_destroy(&h->base);
        return sl_error_set(err, SL_NOMEM, "out of memory creating an aggregate");
    }
    *out = &h->base;
    return SL_OK;
}

static void hagg_stats(const struct sl_op *op, uint64_t *groups, uint64_t *bytes)
{
    const struct hagg_op *h = (const struct hagg_op *)op;
    *groups = group_table_count(h->table);
    *bytes = group_table_bytes(h->table) + (uint64_t)h->cap_changed * sizeof *h->changed;
}
