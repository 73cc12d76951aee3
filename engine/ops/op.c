/* op.c — what every operator shares: pushing, flushing and destroying a chain, EXPLAIN, and the
 * common fields. */
#include "engine/ops/op.h"

#include "common/alloc.h"
#include "common/assert.h"

#include <time.h>

/*
 * The counters' bookkeeping, per thread (an exchange's partitions run on
 * their own): the operator whose push or flush is running, which the rows
 * it pushes downstream are counted against, and the time its downstream
 * calls took, which is not its own.
 */
static _Thread_local struct sl_op *running_op;
static _Thread_local int64_t downstream_ns;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct op_timing {
    struct sl_op *outer;
    int64_t outer_downstream_ns, started_ns;
};

static struct op_timing op_enter(struct sl_op *op)
{
    struct op_timing t = {running_op, downstream_ns, now_ns()};
    running_op = op;
    downstream_ns = 0;
    return t;
}

static void op_leave(struct sl_op *op, const struct op_timing *t)
{
    int64_t took = now_ns() - t->started_ns;
    op->counters.self_ns += took - downstream_ns;
    running_op = t->outer;
    downstream_ns = t->outer_downstream_ns + took;
}

sl_status op_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    if (!op || chunk_active(chunk) == 0)
        return SL_OK;
    SL_ASSERT(chunk_selection_valid(chunk));
    chunk->clock = op->clock;
    uint32_t rows = chunk_active(chunk);
    op->counters.rows_in += rows;
    if (running_op)
        running_op->counters.rows_out += rows;
    struct op_timing t = op_enter(op);
    sl_status st = op->vt->push(op, chunk, err);
    op_leave(op, &t);
    return st;
}

sl_status op_begin_batch(struct sl_op *op, struct sl_error *err)
{
    for (; op; op = op->next) {
        sl_status st = op->vt->begin ? op->vt->begin(op, err) : SL_OK;
        if (st != SL_OK)
            return st;
    }
    return SL_OK;
}

sl_status op_flush(struct sl_op *op, struct sl_error *err)
{
    for (; op; op = op->next) {
        struct op_timing t = op_enter(op);
        sl_status st = op->vt->flush(op, err);
        op_leave(op, &t);
        if (st != SL_OK)
            return st;
    }
    return SL_OK;
}

/* Adds op's counters and state size to the sums. */
static void profile_add(const struct sl_op *op, struct sl_op_counters *sum, uint64_t *groups,
                        uint64_t *bytes)
{
    sum->rows_in += op->counters.rows_in;
    sum->rows_out += op->counters.rows_out;
    sum->self_ns += op->counters.self_ns;
    uint64_t g = 0, b = 0;
    if (op->vt->stats)
        op->vt->stats(op, &g, &b);
    *groups += g;
    *bytes += b;
}

static const struct sl_op *nth_op(const struct sl_op *op, uint32_t n)
{
    for (; op && n; n--)
        op = op->next;
    return op;
}

/* An exchange's fronts (one a thread) and its backs (one a partition) are copies of one
 * chain each: the n-th operators of all the copies, as one. */
static void profile_copies(const struct sl_op *exchange,
                           struct sl_op *(*copy)(const struct sl_op *op, uint32_t i),
                           op_profile_fn fn, void *ctx)
{
    for (uint32_t depth = 0;; depth++) {
        const struct sl_op *first = nth_op(copy(exchange, 0), depth);
        if (!first)
            return;
        struct sl_op_counters sum = {0};
        uint64_t groups = 0, bytes = 0;
        for (uint32_t i = 0; copy(exchange, i); i++) {
            const struct sl_op *op = nth_op(copy(exchange, i), depth);
            if (op)
                profile_add(op, &sum, &groups, &bytes);
        }
        if (first->vt->explain)
            fn(ctx, first, &sum, groups, bytes);
    }
}

void op_profile_chain(const struct sl_op *op, op_profile_fn fn, void *ctx)
{
    for (; op; op = op->next) {
        if (op->vt->inner_front && op->vt->inner_front(op, 0))
            profile_copies(op, op->vt->inner_front, fn, ctx);
        if (op->vt->explain) {
            struct sl_op_counters sum = {0};
            uint64_t groups = 0, bytes = 0;
            profile_add(op, &sum, &groups, &bytes);
            /* An exchange is shown after its fronts: its rows are what they routed
             * (the ends of the fronts took them) and what its partitions took. */
            if (op->vt->inner_front && op->vt->inner) {
                sum.rows_in = sum.rows_out = 0;
                for (uint32_t i = 0; op->vt->inner_front(op, i); i++) {
                    const struct sl_op *end = op->vt->inner_front(op, i);
                    while (end->next)
                        end = end->next;
                    sum.rows_in += end->counters.rows_in;
                }
                for (uint32_t i = 0; op->vt->inner(op, i); i++)
                    sum.rows_out += op->vt->inner(op, i)->counters.rows_in;
            }
            fn(ctx, op, &sum, groups, bytes);
        }
        if (op->vt->inner && op->vt->inner(op, 0))
            profile_copies(op, op->vt->inner, fn, ctx);
    }
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
            op_explain_chain(op->vt->inner_front(op, 0), out);
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
    op->counters = (struct sl_op_counters){0};
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
