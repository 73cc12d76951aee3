/*
 * op_having.c — HAVING, after the hash aggregate. The aggregate emits a
 * changelog of groups (INSERT for a group it never emitted, UPDATE for one
 * it did); HAVING applies to what is emitted, so a group that stops
 * satisfying the condition must leave the result table:
 *   condition TRUE               -> the row goes on with its kind;
 *   not TRUE, kind INSERT        -> dropped (the table never had the group);
 *   not TRUE, kind UPDATE        -> turned into a DELETE of the group's key.
 * This needs no state of its own: an UPDATE row's group may have failed
 * HAVING before and so be absent from the table, but the sink's DELETE of
 * an absent key is a no-op and its UPDATE of one is an upsert. Keeping a
 * set of emitted keys here would duplicate the aggregate's hash table only
 * to save those no-op DELETEs.
 */
#include "common/alloc.h"
#include "engine/expr/expr_kernels.h"
#include "engine/ops/ops.h"
#include "engine/values/rowsel.h"

#include <string.h>

struct having_op {
    struct sl_op base;
    const struct sl_expr *pred;
    struct sl_arena *scratch;
};

static sl_status having_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    struct having_op *h = (struct having_op *)op;
    arena_reset(h->scratch);
    struct sl_chunk view = *chunk;
    view.arena = h->scratch;
    struct sl_vector v;
    if (vector_init(h->scratch, h->pred->type, &v) != SL_OK)
        return sl_error_set(err, SL_NOMEM, "out of memory in HAVING");
    sl_status st = expr_eval(h->pred, &view, &v, err);
    if (st != SL_OK)
        return st;
    const uint32_t *rows = rowsel_of(chunk);
    uint32_t n = chunk_active(chunk), m = 0;
    uint8_t *tri = arena_alloc(h->scratch, SL_CHUNK_CAP);
    uint32_t *sel = arena_alloc(op->batch, sizeof *sel * (n ? n : 1));
    /* A copy: the aggregate's output chunk is its own. */
    uint8_t *kinds = arena_alloc(op->batch, chunk->count ? chunk->count : 1);
    if (!tri || !sel || !kinds)
        return sl_error_set(err, SL_NOMEM, "out of memory in HAVING");
    struct expr_ctx cx = {h->scratch, rows, n};
    expr_truth(&v, &cx, tri);
    if (chunk->row_kinds)
        memcpy(kinds, chunk->row_kinds, chunk->count);
    else
        memset(kinds, SL_ROW_INSERT, chunk->count);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = rows[k];
        bool pass = tri[i] == 1;
        if (!pass && kinds[i] == SL_ROW_UPDATE)
            kinds[i] = SL_ROW_DELETE;
        sel[m] = i;
        m += pass || kinds[i] == SL_ROW_DELETE;
    }
    chunk->sel = sel;
    chunk->nsel = m;
    chunk->row_kinds = kinds;
    return op_push(op->next, chunk, err);
}

static sl_status having_flush(struct sl_op *op, struct sl_error *err)
{
    (void)op, (void)err;
    return SL_OK;
}

static void having_explain(const struct sl_op *op, struct sl_buf *out)
{
    const struct having_op *h = (const struct having_op *)op;
    buf_puts(out, "having ");
    expr_render(h->pred, (const char *const *)op->out_names, out);
}

static void having_destroy(struct sl_op *op)
{
    struct having_op *h = (struct having_op *)op;
    arena_destroy(h->scratch);
    op_fini(op);
    sl_free(h);
}

static const struct sl_op_vtable having_vtable = {
    .name = "having",
    .push = having_push,
    .flush = having_flush,
    .explain = having_explain,
    .destroy = having_destroy,
};

sl_status op_having_create(struct sl_arena *batch, const struct sl_expr *pred, uint32_t nin,
                           const enum sl_type *in_types, const char *const *in_names,
                           struct sl_op **out, struct sl_error *err)
{
    struct having_op *h = sl_calloc(1, sizeof *h);
    if (!h)
        return sl_error_set(err, SL_NOMEM, "out of memory creating HAVING");
    h->pred = pred;
    h->scratch = arena_create(0);
    if (!h->scratch || op_init(&h->base, &having_vtable, batch, nin, in_types, in_names) != SL_OK) {
        arena_destroy(h->scratch);
        sl_free(h);
        return sl_error_set(err, SL_NOMEM, "out of memory creating HAVING");
    }
    *out = &h->base;
    return SL_OK;
}
