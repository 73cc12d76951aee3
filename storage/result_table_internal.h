/*
 * result_table_internal.h — a result table's prepared statements, shared by
 * result_table.c (creating them) and result_write.c (running them). Every
 * statement numbers its parameters by column: column i is ?(i+1).
 */
#ifndef SL_RESULT_TABLE_INTERNAL_H
#define SL_RESULT_TABLE_INTERNAL_H

#include "storage/db_internal.h"
#include "storage/result_table.h"

/* A timestamp column's text, kept for the next row (value_bind.c). */
struct rt_ts_text {
    int64_t sec; /* the second text holds; -1: none to reuse */
    int len;     /* 0: empty */
    char text[32];
};

struct sl_result_table {
    struct sl_db *db;
    char *name;
    uint32_t ncols;
    uint32_t nkeys;
    uint32_t *key_cols; /* indices of the key columns, in schema order */
    sqlite3_stmt *insert;
    /* One INSERT of insert_rows rows (row r's column i is ?(r * ncols + i +
     * 1)); keyed tables: an upsert (ON CONFLICT of the key DO UPDATE) of rows
     * without a NULL key. NULL: none. */
    sqlite3_stmt *insert_many;
    uint32_t insert_rows;
    sqlite3_stmt *update; /* NULL when unkeyed */
    sqlite3_stmt *remove; /* NULL when unkeyed */
    sqlite3_stmt *clear;
    bool one_row; /* result_table_keep_one_row: each row written replaces the table's */
    struct sl_buf scratch; /* JSON text of array values, reused row after row */
    struct rt_ts_text *ts; /* per column, per row of insert_many (RT_INSERT_ROWS) */
};

/* Rows an append-only table's INSERT writes at once: one statement step
 * for them all, with the table's cursor kept open between them. */
#define RT_INSERT_ROWS 32

/* Binds row's value of column col (vector v) as parameter slot * ncols +
 * col + 1 (slot: the row's place in a multi-row INSERT, else 0) the way
 * result tables store it; returns a SQLite code. Text is bound static: it
 * must not change until the statement is stepped. */
int rt_bind_cell(struct sl_result_table *t, sqlite3_stmt *stmt, uint32_t slot, uint32_t col,
                 const struct sl_vector *v, uint32_t row);

#endif
