/*
 * result_table.h — a query's live results: a table named after the query.
 * Keyed results (aggregations) have PRIMARY KEY (key columns) and take
 * changelog rows: INSERT for a new key, UPDATE for a key already written,
 * DELETE to remove one. The key is matched with IS, so NULL is a key like
 * any other (SQLite's UNIQUE would let duplicate NULLs through). Unkeyed
 * results (projections) are append-only. Values are written the SQLite way:
 * BOOLEAN as 0/1, TIMESTAMP as 'YYYY-MM-DD HH:MM:SS.ffffff' text, ARRAY as
 * JSON text.
 */
#ifndef SL_RESULT_TABLE_H
#define SL_RESULT_TABLE_H

#include <stdint.h>

#include "common/chunk.h"
#include "common/schema.h"
#include "storage/db.h"

struct sl_result_table;

/*
 * Creates the table if it does not exist (an existing table is reused as
 * is) and prepares its statements. key_cols[i] says whether column i is
 * part of the primary key; no key column at all means append-only.
 */
sl_status result_table_open(struct sl_db *db, const char *name, const struct sl_schema *schema,
                            const bool *key_cols, struct sl_result_table **out,
                            struct sl_error *err);
void result_table_close(struct sl_result_table *t);

/* A table without key columns that holds one row, the latest written: an
 * aggregate without GROUP BY (SELECT count(*) FROM s) has one group. */
void result_table_keep_one_row(struct sl_result_table *t);

/* Deletes every row (CREATE OR REPLACE, tests). */
sl_status result_table_clear(struct sl_result_table *t, struct sl_error *err);

/*
 * Writes the active rows of chunk (columns in schema order) according to
 * their row kinds (chunk->row_kinds NULL: all INSERT). Must run inside the
 * batch's transaction. *written counts rows inserted, updated or deleted.
 */
sl_status result_table_write(struct sl_result_table *t, const struct sl_chunk *chunk,
                             uint64_t *written, struct sl_error *err);

/* Drops the table (DROP QUERY keeps it; CREATE OR REPLACE drops it). */
sl_status result_table_drop(struct sl_db *db, const char *name, struct sl_error *err);

#endif
