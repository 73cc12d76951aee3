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
struct sl_state_delta;

struct sl_op_vtable {
    const char *name;
    sl_status (*push)(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err);
    /* Emit pending output downstream; then the generic op_flush flushes next. */
    sl_status (*flush)(struct sl_op *op, struct sl_error *err);
    /* One line (no newline) describing the operator for EXPLAIN; NULL: none
     * (the ends of an exchange's chains, which its own line stands for). */
    void (*explain)(const struct sl_op *op, struct sl_buf *out);
    void (*destroy)(struct sl_op *op);
    /* Live state size (groups, bytes) of a stateful operator; NULL if stateless. */
    void (*stats)(const struct sl_op *op, uint64_t *groups, uint64_t *bytes);
    /* A stateful operator whose state survives a restart has restore (else
     * NULL): it adds one state row its flush recorded (op->delta) to a fresh
     * operator, and fails with a message on bytes that do not decode. */
    sl_status (*restore)(struct sl_op *op, const unsigned char *key, size_t key_len,
                         const unsigned char *state, size_t state_len, struct sl_error *err);
    /* One whose groups change at random places among many has snapshot too:
     * it records into d the state row of its group number pos (0 <= pos <
     * the groups stats counts). Its flush only marks the changed groups
     * (state_delta_mark); the runtime makes their rows through snapshot as it
     * appends them to a log, and compacts the log by recording every group
     * again, a few at a time (engine/runtime/state_writer.c). */
    sl_status (*snapshot)(struct sl_op *op, uint64_t pos, struct sl_state_delta *d,
                          struct sl_error *err);
    /* The stream's watermark moved past rows this operator never saw (an
     * exchange's partition, whose rows go to others): close what the
     * watermark closes, as the next row of its own would have. NULL: nothing
     * to close, or no event time. */
    sl_status (*advance)(struct sl_op *op, struct sl_error *err);
    /* An operator running chains of its own (the exchange, op_exchange.h):
     * its i-th chain holding state (a partition's), NULL past the last, and
     * its i-th chain before it (a thread's front, NULL past the last), which
     * EXPLAIN shows the first of. The walks below go through them:
     * state, restore and stats through every partition, in order; EXPLAIN
     * (and so the state's fingerprint) through the first only, since the
     * others are copies. NULL for every other operator. */
    struct sl_op *(*inner)(const struct sl_op *op, uint32_t i);
    struct sl_op *(*inner_front)(const struct sl_op *op, uint32_t i);
    /* A batch begins (op_begin_batch, before its first push): an operator
     * that reads outside the stream (a lookup join's table) takes the
     * batch's snapshot. NULL: nothing to do. */
    sl_status (*begin)(struct sl_op *op, struct sl_error *err);
};

/* What an operator did since its query started, for DESCRIBE EXTENDED (op_push and
 * op_flush keep them): rows pushed into it and by it downstream, and the time spent
 * in its own push and flush (what it called downstream not counted). */
struct sl_op_counters {
    uint64_t rows_in, rows_out;
    int64_t self_ns;
};

struct sl_op {
    const struct sl_op_vtable *vt;
    struct sl_op *next;      /* downstream; NULL for a sink */
    struct sl_arena *batch;  /* per-batch arena for output chunks (not owned) */
    uint32_t nout;           /* output columns */
    enum sl_type *out_types; /* owned by the operator */
    char **out_names;        /* owned by the operator */
    const struct sl_clock *clock; /* the engine's, set by the planner: see op_push */
    /* Where a stateful operator's flush records the state rows it changed
     * and the keys it dropped; NULL (nobody keeps its state): nothing. Set
     * by the runtime, not owned. */
    struct sl_state_delta *delta;
    struct sl_op_counters counters;
};

/* Push a chunk into op (a chunk with no active rows is skipped). The chunk
 * takes op's clock, so the expressions op evaluates read their engine's time. */
sl_status op_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err);
/* A batch begins: calls begin on op and each operator downstream of it that has one. */
sl_status op_begin_batch(struct sl_op *op, struct sl_error *err);
/* Flush op and everything downstream of it. */
sl_status op_flush(struct sl_op *op, struct sl_error *err);
/* State held by op and everything downstream of it: groups and bytes. */
void op_state_stats(const struct sl_op *op, uint64_t *groups, uint64_t *bytes);
/* Whether the state of every stateful operator from op on can be checkpointed and restored. */
bool op_chain_restorable(const struct sl_op *op);
/* The stateful operator number `index` from op (counted as op_restore
 * counts them), or NULL. */
struct sl_op *op_stateful(struct sl_op *op, uint32_t index);
/* Restores one group into the stateful operator number `index` from op; an
 * index with no such operator is an error. */
sl_status op_restore(struct sl_op *op, int64_t index, const unsigned char *key, size_t key_len,
                     const unsigned char *state, size_t state_len, struct sl_error *err);
/* DESCRIBE EXTENDED: fn for each operator EXPLAIN shows, in its order, with its
 * counters and state size (an exchange's partitions summed, operator by operator). */
typedef void (*op_profile_fn)(void *ctx, const struct sl_op *op, const struct sl_op_counters *c,
                              uint64_t groups, uint64_t bytes);
void op_profile_chain(const struct sl_op *op, op_profile_fn fn, void *ctx);
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
