/*
 * db_lookup.h — a lookup join's reads of a SQLite table (issue 16,
 * engine/ops/op_lookup_join.c): a read-only connection of its own to the
 * file holding the table, and one prepared statement
 *   SELECT cols FROM "table" WHERE "k1" = ?1 AND "k2" = ?2 ...
 * that finds the rows of one key. A snapshot (db_lookup_begin .. _end) is one
 * read transaction: every find in it sees the table as it was when it began,
 * whatever other connections commit meanwhile (WAL readers).
 */
#ifndef SL_DB_LOOKUP_H
#define SL_DB_LOOKUP_H

#include <stdbool.h>
#include <stdint.h>

#include "common/status.h"
#include "common/value.h"

struct db_lookup;

/* Opens file read-only and prepares the statement over table's columns
 * cols[0..ncols) and key columns keys[0..nkeys) (names as the table spells
 * them). types[i] is what column i is read as: INTEGER, REAL and TEXT as
 * SQLite converts (CAST's rules), ANY as the value is stored. casts[k]
 * ("NUMERIC", "TEXT" or NULL) is the affinity key k's value has, written as
 * CAST(?k AS ...), so that = converts the column as SQLite's own join with
 * the left's column would (NULL: none; the column's affinity applies). */
sl_status db_lookup_open(const char *file, const char *table, uint32_t ncols,
                         const char *const *cols, const enum sl_type *types, uint32_t nkeys,
                         const char *const *keys, const char *const *casts,
                         struct db_lookup **out, struct sl_error *err);
void db_lookup_close(struct db_lookup *l);

/* What SQLite's EXPLAIN QUERY PLAN says of the statement ("SEARCH t USING
 * INDEX t_k (k=?)", "SCAN t"), and whether it searches (an index or the
 * rowid serves the keys) rather than scans. */
const char *db_lookup_plan(const struct db_lookup *l);
bool db_lookup_searches(const struct db_lookup *l);

/* Starts a snapshot (ending one still open). */
sl_status db_lookup_begin(struct db_lookup *l, struct sl_error *err);
/* Ends the snapshot, if one is open. */
void db_lookup_end(struct db_lookup *l);

/* Called with each row found: row[0..ncols), text valid during the call only. */
typedef sl_status (*db_lookup_row_fn)(void *ctx, const struct sl_value *row,
                                      struct sl_error *err);
/* The rows whose key columns equal keys[0..nkeys) (SQLite's =, with the key
 * columns' affinities; a NULL key finds nothing). Outside a snapshot each
 * find is its own. TIMESTAMP keys are compared as the ISO-8601 text result
 * tables store; BOOLEAN as 0/1. */
sl_status db_lookup_find(struct db_lookup *l, const struct sl_value *keys, db_lookup_row_fn fn,
                         void *ctx, struct sl_error *err);

#endif
