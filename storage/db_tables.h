/*
 * db_tables.h — the tables a database holds and their columns, as SQLite's
 * schema says (sqlite_master, pragma_table_info): SHOW TABLES and DESCRIBE
 * of a table that is not a query's.
 */
#ifndef SL_DB_TABLES_H
#define SL_DB_TABLES_H

#include "storage/db.h"

/* Calls fn for each table and view but SQLite's own, by name; is_view tells which. */
typedef void (*db_table_fn)(void *ctx, const char *name, bool is_view);
sl_status db_tables_list(struct sl_db *db, db_table_fn fn, void *ctx, struct sl_error *err);

struct db_column {
    const char *name;
    const char *type;          /* as declared; "" when none */
    const char *default_value; /* SQL text; NULL when none */
    bool not_null;
    int key; /* its place in the primary key from 1; 0 when not in it */
};
/* Calls fn for each column of table, in order; *found is false when there is no such table. */
typedef void (*db_column_fn)(void *ctx, const struct db_column *column);
sl_status db_table_columns(struct sl_db *db, const char *table, db_column_fn fn, void *ctx,
                           bool *found, struct sl_error *err);
/*
 * Where a table or view is (lookup joins): the schema holding it (SQLite's
 * name: "main", "temp" or an ATTACH's), its name as the database spells it,
 * and that schema's file ("" for an in-memory or temporary one), appended to
 * the buffers. schema NULL searches SQLite's order: temp, main, then the
 * attached ones. *found is false when there is none.
 */
struct sl_buf;
sl_status db_table_locate(struct sl_db *db, const char *schema, const char *table,
                          struct sl_buf *schema_out, struct sl_buf *name_out,
                          struct sl_buf *file_out, bool *found, struct sl_error *err);
/* db_table_columns of the table in schema (as db_table_locate names it). */
sl_status db_table_columns_in(struct sl_db *db, const char *schema, const char *table,
                              db_column_fn fn, void *ctx, bool *found, struct sl_error *err);

/* ATTACH file AS schema on the engine's connections (its own and the one the
 * user's SELECTs run on), so both see schema.table; DETACH schema. */
sl_status db_attach(struct sl_db *db, const char *file, const char *schema, struct sl_error *err);
sl_status db_detach(struct sl_db *db, const char *schema, struct sl_error *err);

/* The rows a table holds (SELECT count(*)), into *rows. */
sl_status db_table_count(struct sl_db *db, const char *table, int64_t *rows,
                         struct sl_error *err);

#endif
