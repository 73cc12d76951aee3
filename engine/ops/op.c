/* op.c — what every operator shares: pushing, flushing and destroying a chain, EXPLAIN, and the
 * common fields. */
#include "engine/ops/op.h"

#include "common/alloc.h"
#include "common/assert.h"

sl_status op_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    if (!op || chunk_active(chunk) == 0)
        return SL_OK;
    SL_ASSERT(chunk_selection_valid(chunk));
    chunk->clock = op->clock;
    return op->vt->push(op, chunk, err);
}

sl_status op_flush(struct sl_op *op, struct sl_error *err)
{
    for (; op; op = op->next) {
        sl_status st = op->vt->flush(op, err);
        if (st != SL_OK)
            return st;
    }
    return SL_OK;
}

void op_state_stats(const struct sl_op *op, uint64_t *groups, uint64_t *bytes)
{
    *groups = *bytes = 0;
    for (; op; op = op->next) {
        uint64_t g = 0, b = 0;
        if (op->vt->stats)
            op->vt->stats(op, &g, &b);
        *groups += g;
        *bytes += b;
        for (uint32_t i = 0; op->vt->inner && op->vt->inner(op, i); i++) {
            op_state_stats(op->vt->inner(op, i), &g, &b);
            *groups += g;
            *bytes += b;
        }
    }
}

bool op_chain_restorable(const struct sl_op *op)
{
    for (; op; op = op->next) {
        if (op->vt->stats && !op->vt->restore)
            return false;
        for (uint32_t i = 0; op->vt->inner && op->vt->inner(op, i); i++)
            if (!op_chain_restorable(op->vt->inner(op, i)))
                return false;
    }
    return true;
}

/* The stateful operator number *index from op, counting down *index past each one. */
static struct sl_op *find_stateful(struct sl_op *op, uint32_t *index)
{
    for (; op; op = op->next) {
        if (op->vt->restore && (*index)-- == 0)
            return op;
        for (uint32_t i = 0; op->vt->inner && op->vt->inner(op, i); i++) {
            struct sl_op *found = find_stateful(op->vt->inner(op, i), index);
            if (found)
                return found;
        }
    }
    return NULL;
}

struct sl_op *op_stateful(struct sl_op *op, uint32_t index)
{
    return find_stateful(op, &index);
}

sl_status op_restore(struct sl_op *op, int64_t index, const unsigned char *key, size_t key_len,
                     const unsigned char *state, size_t state_len, struct sl_error *err)
{
    op = index >= 0 && index <= UINT32_MAX ? op_stateful(op, (uint32_t)index) : NULL;
    if (!op)
        return sl_error_set(err, SL_ERROR, "operator %lld of the plan has no state",
                            (long long)index);
    return op->vt->restore(op, key, key_len, state, state_len, err);
}

void op_destroy_chain(struct sl_op *op)
{
    while (op) {
        struct sl_op *next = op->next;
        op->vt->destroy(op);
        op = next;
    }
}

/* One operator's EXPLAIN line. */
static void explain_op(const struct sl_op *op, struct sl_buf *out)
{
    op->vt->explain(op, out);
    buf_puts(out, " -> (");
    for (uint32_t i = 0; i < op->nout; i++)
        buf_printf(out, "%s%s %s", i ? ", " : "", op->out_names[i],
                   sl_type_name(op->out_types[i]));
    buf_puts(out, ")\n");
}

void op_explain_stateful(const struct sl_op *op, struct sl_buf *out)
{
    for (; op; op = op->next) {
        if (op->vt->restore)
            explain_op(op, out);
        if (op->vt->inner && op->vt->inner(op, 0))
            op_explain_stateful(op->vt->inner(op, 0), out);
    }
}

void op_explain_chain(const struct sl_op *op, struct sl_buf *out)
{
    for (; op; op = op->next) {
        if (op->vt->inner_front)
            op_explain_chain(op->vt->inner_front(op), out);
        /* The ends of an exchange's chains (routing, gathering) are its own line. */
        if (op->vt->explain)
            explain_op(op, out);
        if (op->vt->inner && op->vt->inner(op, 0))
            op_explain_chain(op->vt->inner(op, 0), out);
    }
}

sl_status op_init(struct sl_op *op, const struct sl_op_vtable *vt, struct sl_arena *batch,
                  uint32_t nout, const enum sl_type *types, const char *const *names)
{
    op->vt = vt;
    op->next = NULL;
    op->batch = batch;
    op->nout = nout;
    op->out_types = sl_calloc(nout ? nout : 1, sizeof *op->out_types);
    op->out_names = sl_calloc(nout ? nout : 1, sizeof *op->out_names);
    if (!op->out_types || !op->out_names) {
        op_fini(op);
        return SL_NOMEM;
    }
    for (uint32_t i = 0; i < nout; i++) {
        op->out_types[i] = types[i];
        op->out_names[i] = sl_strdup(names && names[i] ? names[i] : "?");
        if (!op->out_names[i]) {
            op_fini(op);
            return SL_NOMEM;
        }
    }
    return SL_OK;
}

void op_fini(struct sl_op *op)
{
    if (op->out_names) {
        for (uint32_t i = 0; i < op->nout; i++)
            sl_free(op->out_names[i]);
    }
    sl_free(op->out_names);
    sl_free(op->out_types);
    op->out_names = NULL;
    op->out_types = NULL;
    op->nout = 0;
}
