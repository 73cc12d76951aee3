/*
 * test_storage_util.h — helpers shared by the storage unit tests: a
 * throw-away database in a fresh temporary directory (and cmocka setup /
 * teardown opening one), a database an older version made, and
 * db_query_text's output collected as "a|b\n" lines (NULL shown as "NULL").
 */
#ifndef TEST_STORAGE_UTIL_H
#define TEST_STORAGE_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "storage/db.h"

struct tmp_db {
    char dir[64];
    char path[96];
    struct sl_db *db;
};

static inline void tmp_db_make_dir(struct tmp_db *t)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/sl_storage_XXXXXX");
    if (!mkdtemp(t->dir))
        abort();
    snprintf(t->path, sizeof t->path, "%s/test.db", t->dir);
    t->db = NULL;
}

static inline void tmp_db_remove_dir(struct tmp_db *t)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char file[128];
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        snprintf(file, sizeof file, "%s%s", t->path, suffixes[i]);
        unlink(file);
    }
    rmdir(t->dir);
}

/* cmocka setup: *state is a struct tmp_db with its database open. */
static inline int tmp_db_setup(void **state)
{
    struct tmp_db *t = calloc(1, sizeof *t);
    tmp_db_make_dir(t);
    struct sl_error err = {0};
    if (db_open(t->path, NULL, &t->db, &err) != SL_OK)
        return -1;
    *state = t;
    return 0;
}

static inline int tmp_db_teardown(void **state)
{
    struct tmp_db *t = *state;
    db_close(t->db);
    tmp_db_remove_dir(t);
    free(t);
    return 0;
}

/* Makes DIR/old.db with the SQL an older version ran (into path), then
 * opens it with db_open, as Sluice would meet it; NULL if that fails. */
static inline struct sl_db *tmp_db_open_old(const struct tmp_db *t, const char *sql,
                                            char path[128])
{
    snprintf(path, 128, "%s/old.db", t->dir);
    sqlite3 *raw;
    if (sqlite3_open(path, &raw) != SQLITE_OK ||
        sqlite3_exec(raw, sql, NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_close(raw);
        return NULL;
    }
    sqlite3_close(raw);
    struct sl_db *db = NULL;
    struct sl_error err = {0};
    return db_open(path, NULL, &db, &err) == SL_OK ? db : NULL;
}

struct rows_text {
    char text[8192];
    size_t len;
};

static inline void rows_collect(void *ctx, bool is_header, int ncols, const char *const *values)
{
    struct rows_text *r = ctx;
    (void)is_header;
    for (int i = 0; i < ncols; i++) {
        int n = snprintf(r->text + r->len, sizeof r->text - r->len, "%s%s", i ? "|" : "",
                         values[i] ? values[i] : "NULL");
        r->len += (size_t)n;
    }
    r->len += (size_t)snprintf(r->text + r->len, sizeof r->text - r->len, "\n");
}

/* The header line and rows of sql, or "ERROR: message". */
static inline const char *rows_of(struct sl_db *db, const char *sql, struct rows_text *r)
{
    struct sl_error err = {0};
    r->len = 0;
    r->text[0] = '\0';
    if (db_query_text(db, sql, rows_collect, r, &err) != SL_OK)
        snprintf(r->text, sizeof r->text, "ERROR: %s", err.msg);
    return r->text;
}

#endif
