/*
 * agg_set.h — the aggregates of one aggregation laid out in a group's
 * payload: a caller's header first, then each aggregate's state at an
 * 8-byte boundary. Shared by the hash and window aggregates, so both fold,
 * combine and emit states the same way.
 */
#ifndef SL_AGG_SET_H
#define SL_AGG_SET_H

#include "engine/ops/group_table.h"
#include "engine/ops/ops.h"
#include "engine/ops/state_delta.h"

struct sl_agg_set {
    uint32_t naggs;
    struct sl_agg_spec *specs; /* copies; names not kept */
    size_t *off;               /* of each state in the payload */
    size_t size;               /* of the whole payload */
    void *states[SL_CHUNK_CAP];
    uint32_t rows[SL_CHUNK_CAP]; /* the rows a FILTER keeps */
};

/* Lays out header bytes and then the states; false when out of memory. */
bool agg_set_init(struct sl_agg_set *s, uint32_t naggs, const struct sl_agg_spec *specs,
                  size_t header);
void agg_set_free(struct sl_agg_set *s);

/* Initialises the states of a new payload. */
void agg_set_init_states(const struct sl_agg_set *s, void *payload);
/*
 * The folds below fail with SL_NOMEM, naming the aggregate in err, when an aggregate runs out of
 * memory: the states may then hold part of the rows and are fit only to be freed, so the caller
 * fails the query rather than emit a value that misses rows.
 */
/* Folds rows rows[0..n) of c into the payloads of groups gids[0..n) of t. */
sl_status agg_set_step(struct sl_agg_set *s, struct sl_group_table *t, const uint32_t *gids,
                       const struct sl_chunk *c, const uint32_t *rows, uint32_t n,
                       struct sl_error *err);
/* Folds row `row` of c into the states of payload (keep: the payload's arena). */
sl_status agg_set_step_row(struct sl_agg_set *s, void *payload, const struct sl_chunk *c,
                           uint32_t row, struct sl_arena *keep, struct sl_error *err);
/* Folds the states of src into those of dst (keep: dst's arena for kept text). */
sl_status agg_set_combine(const struct sl_agg_set *s, void *dst, const void *src,
                          struct sl_arena *keep, struct sl_error *err);
/* Writes each aggregate's value of payload into row `row` of c's columns first_col...;
 * false when out of memory (an aggregate's final, or the copy into c). */
bool agg_set_store(const struct sl_agg_set *s, const void *payload, struct sl_chunk *c,
                   uint32_t first_col, uint32_t row);

/* Format of agg_set_serialize's blob: this byte, the number of aggregates (4 bytes), then each
 * aggregate's encoding (its serialize) after its length (4 bytes). */
#define AGG_SET_FORMAT 1
/* Appends the states of payload as one blob to out (out->failed when out of memory, or when
 * a state's encoding passes 4 GiB). */
void agg_set_serialize(const struct sl_agg_set *s, const void *payload, struct sl_buf *out);
/* Rebuilds the states of payload from a blob of agg_set_serialize for the same aggregates,
 * what varies in size allocated in keep. False, with every state initialised, when the blob
 * is of another format or aggregate count, malformed, or memory runs out. */
bool agg_set_deserialize(const struct sl_agg_set *s, void *payload, const unsigned char *p,
                         size_t len, struct sl_arena *keep);

/* An aggregate's output rows, gathered into chunks in op's batch arena and
 * pushed down as each one fills: to op->next in op's output schema, or to
 * `to` in the schema `ncols`, `types` (a window aggregate's late rows). */
struct agg_out {
    struct sl_op *op;
    struct sl_op *to;           /* NULL: op->next */
    uint32_t ncols;             /* with `to` */
    enum sl_type *types;        /* with `to`; owned (agg_out_late_init) */
    struct sl_chunk *chunk;     /* NULL: none started */
};
/* The index of a new row of kind `kind` in o->chunk, whose columns the caller sets. */
sl_status agg_out_row(struct agg_out *o, enum sl_row_kind kind, uint32_t *row,
                      struct sl_error *err);
/* Pushes the rows gathered so far. */
sl_status agg_out_flush(struct agg_out *o, struct sl_error *err);

/* Sets o up for the late rows of an operator op with these keys: pushed to
 * `to`, in the columns agg_out_late writes (free o->types with sl_free). */
bool agg_out_late_init(struct agg_out *o, struct sl_op *op, struct sl_op *to, uint32_t nkeys,
                       const enum sl_type *key_types);
/* A late row, into o (a window aggregate's late rows): the keys of row `row`
 * of c (its first nkeys columns), its event time (column time_col), the
 * watermark at its arrival, the window it missed and by how much. */
sl_status agg_out_late(struct agg_out *o, const struct sl_chunk *c, uint32_t row, uint32_t nkeys,
                       int time_col, int64_t watermark, int64_t window_start, int64_t window_end,
                       int64_t lateness_us, struct sl_error *err);

/* Output columns [keys..., aggregates...] of an aggregation: types and names
 * (key_names may be NULL) into types[0..nkeys+naggs) and names[...]. */
void op_agg_output(uint32_t nkeys, const enum sl_type *key_types, const char *const *key_names,
                   uint32_t naggs, const struct sl_agg_spec *aggs, enum sl_type *types,
                   const char **names);
/* op_init for a window aggregate: outputs [window_start, window_end, keys..., aggregates...]. */
sl_status op_init_window_output(struct sl_op *op, const struct sl_op_vtable *vt,
                                struct sl_arena *batch, uint32_t nkeys,
                                const enum sl_type *key_types, const char *const *key_names,
                                uint32_t naggs, const struct sl_agg_spec *aggs);
/* Records group gid of t into d (at position pos): its key `prefix` (may be
 * empty) then the group's nkeys keys as agg_codec values, its state
 * agg_set_serialize of its payload. False when out of memory. */
bool op_agg_record_group(const struct sl_group_table *t, const struct sl_agg_set *aggs,
                         uint32_t nkeys, uint32_t gid, const char *prefix, size_t prefix_len,
                         uint64_t pos, struct sl_state_delta *d);
/* Restores into t one group op_agg_record_group recorded (key: after the prefix),
 * decoding its keys into keys[0..nkeys); *payload is the new group's, its
 * header zero. SL_ERROR when the bytes do not decode or the group is in t. */
sl_status op_agg_restore_group(struct sl_group_table *t, const struct sl_agg_set *aggs,
                               uint32_t nkeys, const enum sl_type *key_types,
                               struct sl_value *keys, const unsigned char *key, size_t key_len,
                               const unsigned char *state, size_t state_len, void **payload,
                               struct sl_error *err);
/* EXPLAIN: ": f(arg) AS name, ..." for the aggregates, whose output columns
 * start after first_out + nkeys in op's outputs. */
void op_explain_aggregates(const struct sl_op *op, uint32_t first_out, uint32_t nkeys,
                           const struct sl_agg_spec *specs, uint32_t naggs, struct sl_buf *out);

#endif
