/*
 * state.h — operator state in _sluice_state(query, op, key, state): one row
 * per group of a stateful operator (op: its number among the query's
 * stateful operators), key and state as the engine encoded them, opaque
 * here. A batch upserts the groups it changed inside its transaction, with
 * its checkpoint, and deletes key ranges of what it dropped (a window's
 * evicted slices); or it appends them to _sluice_state_log (below). A query
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
/*
 * The state log, for operators whose groups change at random places among
 * many (GROUP BY): a batch appends its changed groups, each row numbered by
 * seq, so writing costs the bytes changed rather than the B-tree pages they
 * fall on; the newest row of a key wins. Its writer compacts it by
 * appending every group and truncating what came before.
 */
/* One row for the log: its key and state, opaque. */
struct db_state_row {
    const void *key;
    size_t key_len;
    const void *state;
    size_t state_len;
};
/* Rows one statement appends at once (db_state_log_append takes any number). */
#define DB_STATE_LOG_ROWS 32
/* Appends n rows, numbered seq, seq + 1, ..., for operator op. */
sl_status db_state_log_append(struct sl_db *db, const char *query, uint64_t seq, uint32_t op,
                              const struct db_state_row *rows, size_t n, struct sl_error *err);
/* Deletes operator op's log rows numbered below seq. */
sl_status db_state_log_truncate(struct sl_db *db, const char *query, uint32_t op, uint64_t seq,
                                struct sl_error *err);
/* How many log rows the query has, and the seq its next row takes. */
sl_status db_state_log_bounds(struct sl_db *db, const char *query, uint64_t *rows,
                              uint64_t *next_seq, struct sl_error *err);

/* Deletes every state row of the query (its log too). */
sl_status db_state_delete(struct sl_db *db, const char *query, struct sl_error *err);

/* Called once per state row; the bytes are valid during the call only. A
 * status other than SL_OK stops the iteration and is returned. */
typedef sl_status (*db_state_fn)(void *ctx, const char *table, int64_t op,
                                 const unsigned char *key, size_t key_len,
                                 const unsigned char *state, size_t state_len,
                                 struct sl_error *err);
/* Calls fn for each state row of the query (of the log, each key's newest),
 * in (op, key) order, with the table it is in. A column that
 * is not a BLOB (hand-edited) is handed over as its bytes; NULL as none. */
sl_status db_state_each(struct sl_db *db, const char *query, db_state_fn fn, void *ctx,
                        struct sl_error *err);

#endif
