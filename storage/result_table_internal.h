/*
 * result_table_internal.h — a result table's prepared statements, shared by
 * result_table.c (creating them) and result_write.c (running them). Every
 * statement numbers its parameters by column: column i is ?(i+1).
 */
#ifndef SL_RESULT_TABLE_INTERNAL_H
#define SL_RESULT_TABLE_INTERNAL_H

#include "storage/db_internal.h"
#include "storage/result_table.h"

struct sl_result_table {
    struct sl_db *db;
    char *name;
    uint32_t ncols;
    uint32_t nkeys;
    uint32_t *key_cols; /* indices of the key columns, in schema order */
    sqlite3_stmt *insert;
    sqlite3_stmt *update; /* NULL when unkeyed */
    sqlite3_stmt *remove; /* NULL when unkeyed */
    sqlite3_stmt *clear;
    bool one_row; /* result_table_keep_one_row: each row written replaces the table's */
    struct sl_buf scratch; /* JSON text of array values, reused row after row */
};

/* Binds the value as parameter idx the way result tables store it; returns a SQLite code. */
int rt_bind_value(sqlite3_stmt *stmt, int idx, struct sl_value v, struct sl_buf *scratch);

#endif
