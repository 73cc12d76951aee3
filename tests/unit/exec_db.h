/*
 * exec_db.h — shared by the engine tests that run scripts into a database file and compare what
 * it holds afterwards: removing the file (and its -wal, -shm, -journal), and reading a query's
 * rows back as text.
 */
#ifndef SL_TEST_EXEC_DB_H
#define SL_TEST_EXEC_DB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"

static inline void remove_db(const char *db_path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char file[160];
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        snprintf(file, sizeof file, "%s%s", db_path, suffixes[i]);
        unlink(file);
    }
}

/* The rows of sql over db_path as "a|b\n" text (NULL as "NULL"), malloc'd. */
static inline char *query_text(const char *db_path, const char *sql)
{
    sqlite3 *conn;
    sqlite3_stmt *stmt;
    assert_int_equal(sqlite3_open(db_path, &conn), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(conn, sql, -1, &stmt, NULL), SQLITE_OK);
    struct sl_buf text;
    buf_init(&text);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(stmt); i++) {
            const char *v = (const char *)sqlite3_column_text(stmt, i);
            buf_printf(&text, "%s%s", i ? "|" : "", v ? v : "NULL");
        }
        buf_putc(&text, '\n');
    }
    sqlite3_finalize(stmt);
    sqlite3_close(conn);
    assert_false(text.failed);
    char *copy = strdup(buf_str(&text));
    buf_free(&text);
    assert_non_null(copy);
    return copy;
}

#endif
