/*
 * state_writer.h — the one place a query's operator state is written: each
 * stateful operator's flush records (with a snapshot hook: marks) what it
 * changed in a delta (engine/ops/state_delta.h); after the flush, in the
 * batch's transaction,
 * state_writer_write hands every delta to the store and clears it.
 *
 * Two layouts, both in storage/state.h. An operator with a snapshot hook
 * (op.h: groups that change at random places among many) has its rows
 * appended to the state log, where the newest row of a key wins: writing
 * costs the bytes changed, not the pages they fall on (upserting 1% of a
 * million groups touched 40% of a table's pages). Any other has its rows
 * upserted, sorted by key so the B-tree fills in order, and its dropped
 * ranges deleted.
 *
 * The log is compacted as it goes, never in one batch: each write also
 * appends again as many unchanged groups as changed (at least 1/1024 of
 * them), walking the groups in passes through the snapshot hook; once a
 * pass has covered every group, the rows from before it began are
 * superseded, and each later write deletes twice as many of them as it
 * appended. Writing costs about twice the bytes that changed, the log holds
 * at most a few times the state, and no batch pays for a snapshot.
 */
#ifndef SL_STATE_WRITER_H
#define SL_STATE_WRITER_H

#include "engine/ops/op.h"
#include "storage/state.h"

/* Where the rows go (the query's tables in its database, or a test's
 * memory); op is the operator's number among the chain's stateful ones. */
struct sl_state_store {
    /* Writes (or replaces) one row. */
    sl_status (*put)(void *ctx, uint32_t op, const void *key, size_t key_len, const void *state,
                     size_t state_len, struct sl_error *err);
    /* Deletes the rows whose key is in [lo, hi), in BLOB order. */
    sl_status (*drop)(void *ctx, uint32_t op, const void *lo, size_t lo_len, const void *hi,
                      size_t hi_len, struct sl_error *err);
    /* Appends n rows to the log, numbered seq, seq + 1, ... (the bytes are
     * valid during the call only). */
    sl_status (*append)(void *ctx, uint32_t op, uint64_t seq, const struct db_state_row *rows,
                        size_t n, struct sl_error *err);
    /* Deletes the log rows numbered below seq. */
    sl_status (*truncate)(void *ctx, uint32_t op, uint64_t seq, struct sl_error *err);
    void *ctx;
};

struct sl_state_writer;

/* Gives each stateful operator from head a delta its flushes record into
 * (op->delta points into the writer: the operators do not flush once it is
 * destroyed). */
sl_status state_writer_create(struct sl_op *head, struct sl_state_writer **out,
                              struct sl_error *err);
/* What the log holds (a resumed query's): rows, and the number the next one takes. */
void state_writer_set_log(struct sl_state_writer *w, uint64_t rows, uint64_t next_seq);
uint64_t state_writer_log_rows(const struct sl_state_writer *w);
/* Writes what each operator's flushes recorded since the last call, and
 * compacts the log; the deltas are cleared, written or not. */
sl_status state_writer_write(struct sl_state_writer *w, const struct sl_state_store *store,
                             struct sl_error *err);
/* Frees the writer; the operators' delta pointers are left as they are. */
void state_writer_destroy(struct sl_state_writer *w);

#endif
