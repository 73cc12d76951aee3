/*
 * state.h — operator state in _sluice_state(query, op, key, state): one row
 * per group of a stateful operator (op: its place in the query's pipeline),
 * key and state as the engine encoded them, opaque here. A batch upserts the
 * groups it changed inside its transaction, with its checkpoint, and deletes
 * key ranges of what it dropped (a window's evicted slices); a query
 * started again reads them all back; replacing or dropping the query
 * deletes them.
 */
#ifndef SL_STATE_H
#define SL_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

struct sl_db;

/* Writes (or replaces) the state of one group. */
sl_status db_state_put(struct sl_db *db, const char *query, uint32_t op, const void *key,
                       size_t key_len, const void *state, size_t state_len,
                       struct sl_error *err);
/* Deletes the query's rows of operator op whose key is in [lo, hi). */
sl_status db_state_delete_range(struct sl_db *db, const char *query, uint32_t op, const void *lo,
                                size_t lo_len, const void *hi, size_t hi_len,
                                struct sl_error *err);
/* Deletes every state row of the query. */
sl_status db_state_delete(struct sl_db *db, const char *query, struct sl_error *err);

/* Called once per state row; the bytes are valid during the call only. A
 * status other than SL_OK stops the iteration and is returned. */
typedef sl_status (*db_state_fn)(void *ctx, int64_t op, const unsigned char *key, size_t key_len,
                                 const unsigned char *state, size_t state_len,
                                 struct sl_error *err);
/* Calls fn for each state row of the query, in (op, key) order. A column that
 * is not a BLOB (hand-edited) is handed over as its bytes; NULL as none. */
sl_status db_state_each(struct sl_db *db, const char *query, db_state_fn fn, void *ctx,
                        struct sl_error *err);

#endif
