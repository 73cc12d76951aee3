/* agg_set.c — aggregate states in a group's payload (see agg_set.h). */
#include "engine/ops/agg_set.h"

#include "common/alloc.h"
#include "engine/aggregates/agg_codec.h"
#include "engine/values/sqlval.h"

#include <string.h>

bool agg_set_init(struct sl_agg_set *s, uint32_t naggs, const struct sl_agg_spec *specs,
                  size_t header)
{
    s->naggs = naggs;
    s->specs = sl_calloc(naggs ? naggs : 1, sizeof *s->specs);
    s->off = sl_calloc(naggs ? naggs : 1, sizeof *s->off);
    if (!s->specs || !s->off) {
        agg_set_free(s);
        return false;
    }
    size_t off = header;
    for (uint32_t a = 0; a < naggs; a++) {
        s->specs[a] = specs[a];
        s->specs[a].name = NULL;
        off = (off + 7) & ~(size_t)7;
        s->off[a] = off;
        off += specs[a].fn->state_size(specs[a].arg_type);
    }
    s->size = (off + 7) & ~(size_t)7;
    return true;
}

void agg_set_free(struct sl_agg_set *s)
{
    sl_free(s->specs);
    sl_free(s->off);
    s->specs = NULL;
    s->off = NULL;
}

void agg_set_init_states(const struct sl_agg_set *s, void *payload)
{
    for (uint32_t a = 0; a < s->naggs; a++)
        s->specs[a].fn->init((unsigned char *)payload + s->off[a], s->specs[a].arg_type,
                             s->specs[a].param);
}

/* Whether row i passes spec's FILTER: TRUE only, as WHERE keeps rows (NULL does not). */
static bool filter_keeps(const struct sl_agg_spec *spec, const struct sl_chunk *c, uint32_t i)
{
    const struct sl_vector *f = &c->cols[spec->filter_column];
    if (f->type == SL_BOOL)
        return !f->nulls[i] && f->data.b[i];
    return sqlval_truth(vector_get(f, i)) == 1;
}

/* The error of an aggregate that could not keep what it was given: the query stops there,
 * rather than go on with a value missing. */
static sl_status out_of_memory(const struct sl_agg_spec *spec, const char *doing,
                               struct sl_error *err)
{
    return sl_error_set(err, SL_NOMEM, "out of memory %s %s(%s)", doing, spec->fn->name,
                        spec->fn->distinct ? "DISTINCT ..." : "...");
}

/* Calls spec's step over rows[0..n) into states[0..n), after its FILTER. */
static sl_status step_spec(struct sl_agg_set *s, const struct sl_agg_spec *spec, void **states,
                           const struct sl_chunk *c, const uint32_t *rows, uint32_t n,
                           struct sl_arena *keep, struct sl_error *err)
{
    const struct sl_vector *arg = spec->arg_column < 0 ? NULL : &c->cols[spec->arg_column];
    const struct sl_vector *time =
        spec->fn->by_time && spec->time_column >= 0 ? &c->cols[spec->time_column] : NULL;
    if (spec->filtered) {
        /* Compacts in place: m <= k, so states[m] and s->rows[m] are written after being read. */
        uint32_t m = 0;
        for (uint32_t k = 0; k < n; k++) {
            if (filter_keeps(spec, c, rows[k])) {
                states[m] = states[k];
                s->rows[m++] = rows[k];
            }
        }
        rows = s->rows;
        n = m;
    }
    if (n && spec->fn->step(states, arg, time, rows, n, keep) != SL_OK)
        return out_of_memory(spec, "folding rows into", err);
    return SL_OK;
}

sl_status agg_set_step(struct sl_agg_set *s, struct sl_group_table *t, const uint32_t *gids,
                       const struct sl_chunk *c, const uint32_t *rows, uint32_t n,
                       struct sl_error *err)
{
    for (uint32_t a = 0; a < s->naggs; a++) {
        for (uint32_t k = 0; k < n; k++)
            s->states[k] = (unsigned char *)group_table_payload(t, gids[k]) + s->off[a];
        sl_status st = step_spec(s, &s->specs[a], s->states, c, rows, n, group_table_arena(t), err);
        if (st != SL_OK)
            return st;
    }
    return SL_OK;
}

sl_status agg_set_step_row(struct sl_agg_set *s, void *payload, const struct sl_chunk *c,
                           uint32_t row, struct sl_arena *keep, struct sl_error *err)
{
    for (uint32_t a = 0; a < s->naggs; a++) {
        void *state = (unsigned char *)payload + s->off[a];
        sl_status st = step_spec(s, &s->specs[a], &state, c, &row, 1, keep, err);
        if (st != SL_OK)
            return st;
    }
    return SL_OK;
}

sl_status agg_set_combine(const struct sl_agg_set *s, void *dst, const void *src,
                          struct sl_arena *keep, struct sl_error *err)
{
    for (uint32_t a = 0; a < s->naggs; a++) {
        const struct sl_agg_spec *spec = &s->specs[a];
        if (spec->fn->combine((unsigned char *)dst + s->off[a],
                              (const unsigned char *)src + s->off[a], spec->arg_type,
                              keep) != SL_OK)
            return out_of_memory(spec, "merging", err);
    }
    return SL_OK;
}

bool agg_set_store(const struct sl_agg_set *s, const void *payload, struct sl_chunk *c,
                   uint32_t first_col, uint32_t row)
{
    for (uint32_t a = 0; a < s->naggs; a++) {
        const struct sl_agg_spec *spec = &s->specs[a];
        struct sl_value v;
        if (spec->fn->final((const unsigned char *)payload + s->off[a], spec->arg_type, c->arena,
                            &v) != SL_OK ||
            sqlval_store(&c->cols[first_col + a], row, v, c->arena) != SL_OK)
            return false;
    }
    return true;
}

void agg_set_serialize(const struct sl_agg_set *s, const void *payload, struct sl_buf *out)
{
    codec_put_u8(out, AGG_SET_FORMAT);
    codec_put_u32(out, s->naggs);
    for (uint32_t a = 0; a < s->naggs; a++) {
        size_t at = out->len;
        codec_put_u32(out, 0); /* the length, set once known */
        s->specs[a].fn->serialize((const unsigned char *)payload + s->off[a],
                                  s->specs[a].arg_type, out);
        size_t n = out->len - at - 4;
        /* A state past 4 GiB cannot be written with its length: the blob fails as a whole. */
        if (n > UINT32_MAX)
            out->failed = true;
        if (out->failed)
            return;
        for (unsigned i = 0; i < 4; i++)
            out->data[at + i] = (char)(unsigned char)(n >> (8 * i));
    }
}

bool agg_set_deserialize(const struct sl_agg_set *s, void *payload, const unsigned char *p,
                         size_t len, struct sl_arena *keep)
{
    struct codec_reader r;
    codec_reader_init(&r, p, len);
    if (codec_get_u8(&r) != AGG_SET_FORMAT || codec_get_u32(&r) != s->naggs)
        codec_fail(&r);
    for (uint32_t a = 0; a < s->naggs; a++) {
        const struct sl_agg_spec *spec = &s->specs[a];
        void *state = (unsigned char *)payload + s->off[a];
        uint32_t n = codec_get_u32(&r);
        const unsigned char *bytes = codec_get_bytes(&r, n);
        if (!bytes || !spec->fn->deserialize(state, spec->arg_type, spec->param, bytes, n, keep))
            codec_fail(&r);
    }
    if (!codec_done(&r)) {
        agg_set_init_states(s, payload);
        return false;
    }
    return true;
}

sl_status agg_out_flush(struct agg_out *o, struct sl_error *err)
{
    struct sl_chunk *c = o->chunk;
    o->chunk = NULL;
    return c && c->count ? op_push(o->to ? o->to : o->op->next, c, err) : SL_OK;
}

sl_status agg_out_row(struct agg_out *o, enum sl_row_kind kind, uint32_t *row,
                      struct sl_error *err)
{
    if (o->chunk && o->chunk->count == SL_CHUNK_CAP) {
        sl_status st = agg_out_flush(o, err);
        if (st != SL_OK)
            return st;
    }
    struct sl_op *op = o->op;
    uint32_t ncols = o->to ? o->ncols : op->nout;
    const enum sl_type *types = o->to ? o->types : op->out_types;
    if (!o->chunk && (chunk_create(op->batch, ncols, types, &o->chunk) != SL_OK ||
                      !(o->chunk->row_kinds = arena_alloc(op->batch, SL_CHUNK_CAP)))) {
        o->chunk = NULL;
        return sl_error_set(err, SL_NOMEM, "out of memory emitting aggregate rows");
    }
    *row = o->chunk->count++;
    o->chunk->row_kinds[*row] = (uint8_t)kind;
    return SL_OK;
}

sl_status op_init_window_output(struct sl_op *op, const struct sl_op_vtable *vt,
                                struct sl_arena *batch, uint32_t nkeys,
                                const enum sl_type *key_types, const char *const *key_names,
                                uint32_t naggs, const struct sl_agg_spec *aggs)
{
    uint32_t nout = 2 + nkeys + naggs;
    enum sl_type *types = sl_calloc(nout, sizeof *types);
    const char **names = sl_calloc(nout, sizeof *names);
    sl_status st = SL_NOMEM;
    if (types && names) {
        types[0] = types[1] = SL_TIMESTAMP;
        names[0] = "window_start";
        names[1] = "window_end";
        op_agg_output(nkeys, key_types, key_names, naggs, aggs, types + 2, names + 2);
        st = op_init(op, vt, batch, nout, types, names);
    }
    sl_free(types);
    sl_free(names);
    return st;
}

sl_status agg_out_late(struct agg_out *o, const struct sl_chunk *c, uint32_t row, uint32_t nkeys,
                       int time_col, int64_t watermark, int64_t window_start, int64_t window_end,
                       int64_t lateness_us, struct sl_error *err)
{
    uint32_t at;
    sl_status st = agg_out_row(o, SL_ROW_INSERT, &at, err);
    if (st != SL_OK)
        return st;
    struct sl_chunk *out = o->chunk;
    for (uint32_t col = 0; col < nkeys; col++)
        if (sqlval_store(&out->cols[col], at, vector_get(&c->cols[col], row), out->arena) != SL_OK)
            return sl_error_set(err, SL_NOMEM, "out of memory keeping a late row");
    bool placed = !c->cols[time_col].nulls[row];
    struct sl_value ts = {.type = SL_TIMESTAMP};
    vector_set(&out->cols[nkeys], at, placed ? vector_get(&c->cols[time_col], row) : sl_null());
    ts.u.i = watermark;
    vector_set(&out->cols[nkeys + 1], at, ts);
    ts.u.i = window_start;
    vector_set(&out->cols[nkeys + 2], at, placed ? ts : sl_null());
    ts.u.i = window_end;
    vector_set(&out->cols[nkeys + 3], at, placed ? ts : sl_null());
    struct sl_value ms = {.type = SL_REAL, .u.r = (double)lateness_us / 1000.0};
    vector_set(&out->cols[nkeys + 4], at, placed ? ms : sl_null());
    return SL_OK;
}

bool agg_out_late_init(struct agg_out *o, struct sl_op *op, struct sl_op *to, uint32_t nkeys,
                       const enum sl_type *key_types)
{
    enum sl_type *types = sl_calloc(nkeys + 5, sizeof *types);
    if (!types)
        return false;
    memcpy(types, key_types, nkeys * sizeof *types);
    types[nkeys] = types[nkeys + 1] = types[nkeys + 2] = types[nkeys + 3] = SL_TIMESTAMP;
    types[nkeys + 4] = SL_REAL;
    *o = (struct agg_out){.op = op, .to = to, .ncols = nkeys + 5, .types = types};
    return true;
}
