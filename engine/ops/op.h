/*
 * op.h — push-based vectorised operators (one per file in engine/ops/).
 * A pipeline is a singly linked chain: the runtime pushes each decoded
 * chunk into the first operator; each operator processes the whole chunk in
 * tight loops and pushes its output chunk to `next`. At batch end the
 * runtime calls op_flush on the first operator; stateful operators emit
 * what changed in the batch, then every operator forwards the flush.
 *
 * Plan apart from state: the constructor's arguments (expressions, types)
 * are the plan, read-only once built; what the operator accumulates (the
 * aggregate's groups) is its state, the only thing that changes.
 * Output chunks are allocated in `batch`, the arena reset after each commit.
 */
#ifndef SL_OP_H
#define SL_OP_H

#include "common/buf.h"
#include "common/chunk.h"
#include "common/status.h"

struct sl_op;

/* Where a stateful operator writes its state at a checkpoint; the query
 * provides it (operators know nothing of storage or query names). */
struct sl_state_writer {
    /* Keeps one group's key and state, as the operator encoded them. */
    sl_status (*put)(struct sl_state_writer *w, const void *key, size_t key_len,
                     const void *state, size_t state_len, struct sl_error *err);
    /* Deletes this operator's rows whose key is in [lo, hi), in BLOB order
     * (bytes, then length): the window aggregate's evicted slices, the
     * session aggregate's dropped keys. */
    sl_status (*del)(struct sl_state_writer *w, const void *lo, size_t lo_len, const void *hi,
                     size_t hi_len, struct sl_error *err);
    /* Or, for groups that change at random places among many: appends one
     * group's state to the operator's log, where the newest row of a key
     * wins (storage/state.h), numbered log_seq, which it advances. */
    sl_status (*append)(struct sl_state_writer *w, const void *key, size_t key_len,
                        const void *state, size_t state_len, struct sl_error *err);
    /* Deletes the operator's log rows numbered below seq (a log_seq read
     * earlier): after it appended every group, what came before. */
    sl_status (*truncate)(struct sl_state_writer *w, uint64_t seq, struct sl_error *err);
    uint64_t log_seq;  /* the number the next appended row takes */
    uint64_t log_rows; /* rows the log holds (a query has at most one stateful operator) */
    void *ctx;   /* the provider's */
    /* The writing operator's number among the chain's stateful operators, set
     * by op_checkpoint: a filter or projection added upstream leaves it as it is. */
    uint32_t op;
};

struct sl_op_vtable {
    const char *name;
    sl_status (*push)(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err);
    /* Emit pending output downstream; then the generic op_flush flushes next. */
    sl_status (*flush)(struct sl_op *op, struct sl_error *err);
    /* One line (no newline) describing the operator for EXPLAIN. */
    void (*explain)(const struct sl_op *op, struct sl_buf *out);
    void (*destroy)(struct sl_op *op);
    /* Live state size (groups, bytes) of a stateful operator; NULL if stateless. */
    void (*stats)(const struct sl_op *op, uint64_t *groups, uint64_t *bytes);
    /* A stateful operator whose state survives a restart has both (else NULL):
     * checkpoint hands w each group changed since the last flush (called just
     * before the flush; what that flush will change or drop, it writes or
     * deletes now: the window aggregate's closed slices); restore adds one
     * row checkpoint wrote, to a fresh operator, and fails with a message on
     * bytes that do not decode. */
    sl_status (*checkpoint)(struct sl_op *op, struct sl_state_writer *w, struct sl_error *err);
    sl_status (*restore)(struct sl_op *op, const unsigned char *key, size_t key_len,
                         const unsigned char *state, size_t state_len, struct sl_error *err);
};

struct sl_op {
    const struct sl_op_vtable *vt;
    struct sl_op *next;      /* downstream; NULL for a sink */
    struct sl_arena *batch;  /* per-batch arena for output chunks (not owned) */
    uint32_t nout;           /* output columns */
    enum sl_type *out_types; /* owned by the operator */
    char **out_names;        /* owned by the operator */
    const struct sl_clock *clock; /* the engine's, set by the planner: see op_push */
};

/* Push a chunk into op (a chunk with no active rows is skipped). The chunk
 * takes op's clock, so the expressions op evaluates read their engine's time. */
sl_status op_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err);
/* Flush op and everything downstream of it. */
sl_status op_flush(struct sl_op *op, struct sl_error *err);
/* State held by op and everything downstream of it: groups and bytes. */
void op_state_stats(const struct sl_op *op, uint64_t *groups, uint64_t *bytes);
/* Whether the state of every stateful operator from op on can be checkpointed and restored. */
bool op_chain_restorable(const struct sl_op *op);
/* Calls the checkpoint hook of each operator from op on (w->op: its number
 * among the stateful ones from op, 0-based). */
sl_status op_checkpoint(struct sl_op *op, struct sl_state_writer *w, struct sl_error *err);
/* Restores one group into the stateful operator number `index` from op; an
 * index with no such operator is an error. */
sl_status op_restore(struct sl_op *op, int64_t index, const unsigned char *key, size_t key_len,
                     const unsigned char *state, size_t state_len, struct sl_error *err);
/* Destroy op and everything downstream of it. */
void op_destroy_chain(struct sl_op *op);
/* EXPLAIN text of the whole chain from op: one operator a line, with its output columns. */
void op_explain_chain(const struct sl_op *op, struct sl_buf *out);
/* The same, of the stateful operators only: what their saved state means. */
void op_explain_stateful(const struct sl_op *op, struct sl_buf *out);

/* Shared constructor helper: fills the common fields, copying names and types. */
sl_status op_init(struct sl_op *op, const struct sl_op_vtable *vt, struct sl_arena *batch,
                  uint32_t nout, const enum sl_type *types, const char *const *names);
/* Frees what op_init allocated. */
void op_fini(struct sl_op *op);

#endif
