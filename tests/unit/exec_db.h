/*
 * exec_db.h — shared by the engine tests that run scripts into a database file and compare what
 * it holds afterwards: the test's folder and paths in it, removing the file (and its -wal,
 * -shm, -journal), reading a query's rows back as text, and the bookkeeping every run must keep.
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

/* The test's temporary folder (made by its setup with mkdtemp). */
static char dir[64];

static inline void path_in_dir(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

/* Rows read once each and dead letters recorded once each, whatever the run's faults. */
static const char *const bookkeeping =
    "SELECT (SELECT sum(rows_in) FROM _sluice_progress),"
    " (SELECT count(*) FROM _sluice_dead_letters)";

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
