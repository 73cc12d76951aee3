/*
 * op_exchange.c — partitions an aggregation over threads (see op_exchange.h).
 *
 * A drain runs as phases, each on every thread of the exchange's team at
 * once (common/workers.h; the caller's is lane 0): the fronts over the
 * step's chunks, then the backs over what the fronts routed to them. A
 * phase's chunks were all made before it began, so the threads share nothing
 * but the lock the backs take to push their output on, and each thread
 * allocates only from its own arena (a chunk handed to another thread is a
 * view whose arena is that thread's).
 */
#include "engine/ops/op_exchange.h"

#include <pthread.h>
#include <string.h>

#include "common/alloc.h"
#include "common/workers.h"
#include "engine/ops/group_table.h"

enum exchange_job { JOB_FRONT, JOB_BACK, JOB_FLUSH_FRONT, JOB_FLUSH_BACK };

/* A chunk a front emitted: the views of its rows for each back, in order. */
struct routed {
    uint32_t input;         /* the step's chunk it came from */
    struct sl_chunk *views; /* parts views; one with no active row is skipped */
};

struct exchange_lane {
    struct sl_op *front, *back; /* back: NULL past parts */
    struct sl_arena *arena;
    struct routed *routed;
    uint32_t nrouted, cap_routed;
    uint32_t current_input; /* the chunk the front is running */
    sl_status st;
    struct sl_error err;
};

struct exchange_op {
    struct sl_op base;
    uint32_t nthreads, parts, nkeys;
    struct exchange_lane *lanes;
    struct sl_chunk **in; /* the chunks pushed since the last drain, in order */
    uint32_t nin, cap_in;
    struct sl_op *late; /* op_exchange_late's stand-in, if any */
    pthread_mutex_t out_lock; /* one back pushes downstream at a time */
    struct sl_workers *workers;
    enum exchange_job job; /* the phase running */
};

/* The end of a front: routes each row of what it emits to its partition. */
struct route_op {
    struct sl_op base;
    struct exchange_op *ex;
    uint32_t lane;
};

/* The end of a back, or the stand-in for the late rows' sink: pushes downstream under the lock. */
struct gather_op {
    struct sl_op base;
    struct exchange_op *ex;
    struct sl_op *to; /* NULL: the exchange's next */
};

/* The partition of each active row: its group keys' hash as the group table
 * computes it (so keys it takes as equal go to one partition), remixed and
 * taken from the high bits, since the table's slots use the low ones. */
static void partition_rows(const struct exchange_op *ex, const struct sl_chunk *c,
                           uint32_t *part)
{
    uint32_t n = chunk_active(c);
    uint64_t h[SL_CHUNK_CAP];
    for (uint32_t col = 0; col < ex->nkeys; col++) {
        const struct sl_vector *v = &c->cols[col];
        for (uint32_t k = 0; k < n; k++) {
            uint64_t kh = group_key_hash(v, chunk_row(c, k));
            h[k] = col ? group_hash_mix(h[k], kh) : kh;
        }
    }
    for (uint32_t k = 0; k < n; k++) {
        uint64_t x = h[k] ^ (h[k] >> 29);
        part[k] = (uint32_t)(((x >> 32) * ex->parts) >> 32);
    }
}

static sl_status route_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    struct route_op *r = (struct route_op *)op;
    struct exchange_op *ex = r->ex;
    struct exchange_lane *lane = &ex->lanes[r->lane];
    if (lane->nrouted == lane->cap_routed) {
        uint32_t cap = lane->cap_routed ? 2 * lane->cap_routed : 16;
        struct routed *grown = sl_realloc(lane->routed, cap * sizeof *grown);
        if (!grown)
            return sl_error_set(err, SL_NOMEM, "out of memory partitioning rows");
        lane->routed = grown;
        lane->cap_routed = cap;
    }
    struct sl_chunk *views = arena_alloc(op->batch, ex->parts * sizeof *views);
    if (!views)
        return sl_error_set(err, SL_NOMEM, "out of memory partitioning rows");
    for (uint32_t p = 0; p < ex->parts; p++) {
        views[p] = *chunk;
        views[p].arena = ex->lanes[p].arena;
    }
    if (ex->parts > 1) {
        uint32_t n = chunk_active(chunk), part[SL_CHUNK_CAP];
        partition_rows(ex, chunk, part);
        uint32_t *sel = arena_alloc(op->batch, ex->parts * (size_t)(n ? n : 1) * sizeof *sel);
        if (!sel)
            return sl_error_set(err, SL_NOMEM, "out of memory partitioning rows");
        for (uint32_t p = 0; p < ex->parts; p++) {
            views[p].sel = sel + (size_t)p * n;
            views[p].nsel = 0;
        }
        for (uint32_t k = 0; k < n; k++) {
            struct sl_chunk *v = &views[part[k]];
            v->sel[v->nsel++] = chunk_row(chunk, k);
        }
    }
    lane->routed[lane->nrouted++] = (struct routed){.input = lane->current_input, .views = views};
    return SL_OK;
}

static sl_status gather_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    struct gather_op *g = (struct gather_op *)op;
    pthread_mutex_lock(&g->ex->out_lock);
    sl_status st = op_push(g->to ? g->to : g->ex->base.next, chunk, err);
    pthread_mutex_unlock(&g->ex->out_lock);
    return st;
}

static sl_status nothing_to_flush(struct sl_op *op, struct sl_error *err)
{
    (void)op, (void)err;
    return SL_OK;
}

static void destroy_plain(struct sl_op *op)
{
    op_fini(op);
    sl_free(op);
}

static const struct sl_op_vtable route_vtable = {
    .name = "route",
    .push = route_push,
    .flush = nothing_to_flush,
    .destroy = destroy_plain,
};

static const struct sl_op_vtable gather_vtable = {
    .name = "gather",
    .push = gather_push,
    .flush = nothing_to_flush,
    .destroy = destroy_plain,
};

/* Lane i's part of a phase. */
static sl_status run_lane(struct exchange_op *ex, enum exchange_job job, uint32_t i,
                          struct sl_error *err)
{
    struct exchange_lane *lane = &ex->lanes[i];
    sl_status st = SL_OK;
    switch (job) {
    case JOB_FRONT:
        for (uint32_t k = i; k < ex->nin && st == SL_OK; k += ex->nthreads) {
            /* A view, so the front's scratch comes from this lane's arena. */
            struct sl_chunk view = *ex->in[k];
            view.arena = lane->arena;
            lane->current_input = k;
            st = op_push(lane->front, &view, err);
        }
        return st;
    case JOB_FLUSH_FRONT:
        lane->current_input = ex->nin;
        return op_flush(lane->front, err);
    case JOB_BACK: {
        if (!lane->back)
            return SL_OK;
        uint32_t at[ex->nthreads];
        memset(at, 0, sizeof at);
        /* Chunk by chunk in the input's order, whichever front ran it. */
        for (uint32_t k = 0; k <= ex->nin && st == SL_OK; k++) {
            uint32_t from = k < ex->nin ? k % ex->nthreads : 0;
            for (uint32_t f = from; f < (k < ex->nin ? from + 1 : ex->nthreads); f++) {
                const struct exchange_lane *src = &ex->lanes[f];
                while (st == SL_OK && at[f] < src->nrouted && src->routed[at[f]].input == k)
                    st = op_push(lane->back, &src->routed[at[f]++].views[i], err);
            }
        }
        /* The step's watermark may have passed on rows routed elsewhere. */
        if (st == SL_OK && ex->parts > 1 && lane->back->vt->advance)
            st = lane->back->vt->advance(lane->back, err);
        return st;
    }
    case JOB_FLUSH_BACK:
        return lane->back ? op_flush(lane->back, err) : SL_OK;
    }
    return SL_OK;
}

static void run_lane_job(void *ctx, uint32_t i)
{
    struct exchange_op *ex = ctx;
    struct exchange_lane *lane = &ex->lanes[i];
    sl_error_clear(&lane->err);
    lane->st = run_lane(ex, ex->job, i, &lane->err);
}

/* Runs job on every lane and waits for all; the first lane's error wins. */
static sl_status run_phase(struct exchange_op *ex, enum exchange_job job, struct sl_error *err)
{
    ex->job = job;
    workers_run(ex->workers, run_lane_job, ex);
    for (uint32_t i = 0; i < ex->nthreads; i++) {
        if (ex->lanes[i].st != SL_OK) {
            *err = ex->lanes[i].err;
            return ex->lanes[i].st;
        }
    }
    return SL_OK;
}

/* Nothing of the step is needed once the backs have run: the sink copied what it keeps. */
static void forget_step(struct exchange_op *ex)
{
    ex->nin = 0;
    for (uint32_t i = 0; i < ex->nthreads; i++) {
        ex->lanes[i].nrouted = 0;
        arena_reset(ex->lanes[i].arena);
    }
}

void op_exchange_discard(struct sl_op *op)
{
    forget_step((struct exchange_op *)op);
}

sl_status op_exchange_drain(struct sl_op *op, struct sl_error *err)
{
    struct exchange_op *ex = (struct exchange_op *)op;
    if (!ex->nin)
        return SL_OK;
    sl_status st = run_phase(ex, JOB_FRONT, err);
    if (st == SL_OK)
        st = run_phase(ex, JOB_BACK, err);
    forget_step(ex);
    return st;
}

static sl_status exchange_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    struct exchange_op *ex = (struct exchange_op *)op;
    if (ex->nin == ex->cap_in) {
        uint32_t cap = ex->cap_in ? 2 * ex->cap_in : 64;
        struct sl_chunk **grown = sl_realloc(ex->in, cap * sizeof *grown);
        if (!grown)
            return sl_error_set(err, SL_NOMEM, "out of memory keeping a chunk for the partitions");
        ex->in = grown;
        ex->cap_in = cap;
    }
    ex->in[ex->nin++] = chunk;
    return SL_OK;
}

static sl_status exchange_flush(struct sl_op *op, struct sl_error *err)
{
    struct exchange_op *ex = (struct exchange_op *)op;
    sl_status st = op_exchange_drain(op, err);
    if (st == SL_OK)
        st = run_phase(ex, JOB_FLUSH_FRONT, err);
    if (st == SL_OK)
        st = run_phase(ex, JOB_BACK, err);
    if (st == SL_OK)
        st = run_phase(ex, JOB_FLUSH_BACK, err);
    forget_step(ex);
    return st;
}

static void exchange_explain(const struct sl_op *op, struct sl_buf *out)
{
    const struct exchange_op *ex = (const struct exchange_op *)op;
    if (!ex->nkeys) {
        buf_puts(out, "exchange (one partition)");
        return;
    }
    buf_puts(out, "exchange (partitions by hash of ");
    for (uint32_t k = 0; k < ex->nkeys && k < op->nout; k++)
        buf_printf(out, "%s%s", k ? ", " : "", op->out_names[k]);
    buf_putc(out, ')');
}

static void exchange_destroy(struct sl_op *op)
{
    struct exchange_op *ex = (struct exchange_op *)op;
    workers_destroy(ex->workers);
    for (uint32_t i = 0; ex->lanes && i < ex->nthreads; i++) {
        op_destroy_chain(ex->lanes[i].front);
        op_destroy_chain(ex->lanes[i].back);
        sl_free(ex->lanes[i].routed);
        arena_destroy(ex->lanes[i].arena);
    }
    if (ex->late)
        destroy_plain(ex->late);
    pthread_mutex_destroy(&ex->out_lock);
    sl_free(ex->lanes);
    sl_free(ex->in);
    op_fini(op);
    sl_free(ex);
}

static struct sl_op *exchange_inner(const struct sl_op *op, uint32_t i)
{
    const struct exchange_op *ex = (const struct exchange_op *)op;
    return i < ex->parts ? ex->lanes[i].back : NULL;
}

static struct sl_op *exchange_inner_front(const struct sl_op *op, uint32_t i)
{
    const struct exchange_op *ex = (const struct exchange_op *)op;
    return i < ex->nthreads ? ex->lanes[i].front : NULL;
}

static const struct sl_op_vtable exchange_vtable = {
    .name = "exchange",
    .push = exchange_push,
    .flush = exchange_flush,
    .explain = exchange_explain,
    .destroy = exchange_destroy,
    .inner = exchange_inner,
    .inner_front = exchange_inner_front,
};

sl_status op_exchange_create(struct sl_arena *batch, uint32_t threads, uint32_t parts,
                             uint32_t nkeys, struct sl_op **out, struct sl_error *err)
{
    struct exchange_op *ex = sl_calloc(1, sizeof *ex);
    if (!ex)
        return sl_error_set(err, SL_NOMEM, "out of memory planning partitions");
    if (op_init(&ex->base, &exchange_vtable, batch, 0, NULL, NULL) != SL_OK) {
        sl_free(ex);
        return sl_error_set(err, SL_NOMEM, "out of memory planning partitions");
    }
    ex->nthreads = threads ? threads : 1;
    ex->parts = parts ? parts : 1;
    ex->nkeys = nkeys;
    pthread_mutex_init(&ex->out_lock, NULL);
    ex->lanes = sl_calloc(ex->nthreads, sizeof *ex->lanes);
    bool ok = ex->lanes != NULL;
    for (uint32_t i = 0; ok && i < ex->nthreads; i++)
        ok = (ex->lanes[i].arena = arena_create(0)) != NULL;
    if (!ok || !(ex->workers = workers_create(ex->nthreads))) {
        exchange_destroy(&ex->base);
        return sl_error_set(err, SL_NOMEM, "out of memory (or threads) planning partitions");
    }
    *out = &ex->base;
    return SL_OK;
}

struct sl_arena *op_exchange_arena(struct sl_op *op, uint32_t i)
{
    return ((struct exchange_op *)op)->lanes[i].arena;
}

struct sl_workers *op_exchange_workers(struct sl_op *op)
{
    return ((struct exchange_op *)op)->workers;
}

uint32_t op_exchange_parts(const struct sl_op *op)
{
    return ((const struct exchange_op *)op)->parts;
}

/* An operator of vt that ends a lane's chain, with the columns of the one before it. */
static struct sl_op *end_op(const struct sl_op_vtable *vt, size_t size, const struct sl_op *before,
                            struct sl_arena *batch)
{
    struct sl_op *op = sl_calloc(1, size);
    if (op && op_init(op, vt, batch, before->nout, before->out_types,
                      (const char *const *)before->out_names) != SL_OK) {
        sl_free(op);
        return NULL;
    }
    return op;
}

struct sl_op *op_exchange_late(struct sl_op *op, struct sl_op *late_sink)
{
    struct exchange_op *ex = (struct exchange_op *)op;
    if (!late_sink)
        return NULL;
    if (!ex->late) {
        struct gather_op *g = (struct gather_op *)end_op(&gather_vtable, sizeof *g, late_sink,
                                                         op->batch);
        if (!g)
            return NULL;
        g->ex = ex;
        g->to = late_sink;
        ex->late = &g->base;
    }
    return ex->late;
}

/* Links end after the last operator of chain; false when end is NULL (out of memory). */
static bool append(struct sl_op *chain, struct sl_op *end)
{
    if (!end)
        return false;
    while (chain->next)
        chain = chain->next;
    chain->next = end;
    end->clock = chain->clock;
    return true;
}

sl_status op_exchange_set(struct sl_op *op, uint32_t i, struct sl_op *front, struct sl_op *back,
                          struct sl_error *err)
{
    struct exchange_op *ex = (struct exchange_op *)op;
    struct exchange_lane *lane = &ex->lanes[i];
    lane->front = front;
    lane->back = back;
    const struct sl_op *front_end = front;
    while (front_end->next)
        front_end = front_end->next;
    /* EXPLAIN shows the exchange with the columns it routes: the fronts'. */
    if (i == 0) {
        op_fini(op);
        if (op_init(op, &exchange_vtable, op->batch, front_end->nout, front_end->out_types,
                    (const char *const *)front_end->out_names) != SL_OK) {
            op_destroy_chain(front);
            op_destroy_chain(back);
            lane->front = lane->back = NULL;
            return sl_error_set(err, SL_NOMEM, "out of memory planning partitions");
        }
    }
    struct route_op *r = (struct route_op *)end_op(&route_vtable, sizeof *r, front_end, lane->arena);
    if (r) {
        r->ex = ex;
        r->lane = i;
    }
    bool ok = append(front, r ? &r->base : NULL);
    if (ok && back) {
        const struct sl_op *back_end = back;
        while (back_end->next)
            back_end = back_end->next;
        struct gather_op *g = (struct gather_op *)end_op(&gather_vtable, sizeof *g, back_end,
                                                         lane->arena);
        if (g)
            g->ex = ex;
        ok = append(back, g ? &g->base : NULL);
    }
    return ok ? SL_OK : sl_error_set(err, SL_NOMEM, "out of memory planning partitions");
}
