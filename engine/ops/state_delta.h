/*
 * state_delta.h — what a stateful operator's flush changed in its state, for
 * the runtime to write with the batch (engine/runtime/state_writer.h): each
 * state row the flush left changed (its key and state, as the operator
 * encodes them) and each key range whose rows it dropped. Operators record;
 * they know nothing of where or how the rows are kept.
 *
 * Bytes go to one buffer, rows and ranges point into it by offset, so a row
 * is encoded in place: state_delta_begin, the key into d->bytes,
 * state_delta_key_done, the state into d->bytes, state_delta_end.
 */
#ifndef SL_STATE_DELTA_H
#define SL_STATE_DELTA_H

#include <stdbool.h>
#include <stdint.h>

#include "common/buf.h"

/* A row the flush changed: key and state in the delta's bytes. */
struct sl_state_row {
    size_t key_off, state_off;
    uint32_t key_len, state_len;
    /* The group's position for an operator with a snapshot hook (op.h);
     * otherwise 0. */
    uint64_t pos;
};

/* Rows with a key in [lo, hi) (BLOB order: bytes, then length) were dropped. */
struct sl_state_range {
    size_t lo_off, hi_off;
    uint32_t lo_len, hi_len;
};

struct sl_state_delta {
    struct sl_buf bytes;
    struct sl_state_row *rows;
    uint32_t nrows, cap_rows;
    struct sl_state_range *ranges;
    uint32_t nranges, cap_ranges;
    /* Groups marked changed by an operator with a snapshot hook (op.h):
     * their rows are made by the hook as they are written, a slice at a
     * time, so a batch that changes a million groups holds no copy of
     * their states. */
    uint64_t *marked;
    uint32_t nmarked, cap_marked;
    size_t begun, key_end; /* the row being encoded */
    bool failed; /* out of memory: what was recorded is incomplete */
};

void state_delta_init(struct sl_state_delta *d);
void state_delta_free(struct sl_state_delta *d);
/* Forgets every row and range, keeping the memory. */
void state_delta_clear(struct sl_state_delta *d);

/* Starts a row; its key follows in d->bytes. */
void state_delta_begin(struct sl_state_delta *d);
/* The key is complete; its state follows in d->bytes. */
void state_delta_key_done(struct sl_state_delta *d);
/* The state is complete: records the row. False when out of memory. */
bool state_delta_end(struct sl_state_delta *d, uint64_t pos);
/* Records one row from bytes of the caller's. False when out of memory. */
bool state_delta_put(struct sl_state_delta *d, const void *key, size_t key_len,
                     const void *state, size_t state_len, uint64_t pos);
/* Records that group pos changed (an operator with a snapshot hook). False when out of memory. */
bool state_delta_mark(struct sl_state_delta *d, uint64_t pos);
/* Records that the rows with a key in [lo, hi) were dropped. False when out of memory. */
bool state_delta_drop(struct sl_state_delta *d, const void *lo, size_t lo_len, const void *hi,
                      size_t hi_len);

/* The bytes of row r's key and state, and of range g's bounds. */
const unsigned char *state_delta_key(const struct sl_state_delta *d, const struct sl_state_row *r);
const unsigned char *state_delta_state(const struct sl_state_delta *d,
                                       const struct sl_state_row *r);
const unsigned char *state_delta_lo(const struct sl_state_delta *d,
                                    const struct sl_state_range *g);
const unsigned char *state_delta_hi(const struct sl_state_delta *d,
                                    const struct sl_state_range *g);

#endif
