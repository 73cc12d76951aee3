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
/* The rows a table holds (SELECT count(*)), into *rows. */
sl_status db_table_count(struct sl_db *db, const char *table, int64_t *rows,
                         struct sl_error *err);

#endif
