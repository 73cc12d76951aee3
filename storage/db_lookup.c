/*
 * db_lookup.c — a lookup join's connection and statement (db_lookup.h). The
 * connection is read-only and the lookup's alone: it is used by the query's
 * thread only, and its snapshot never waits for the engine's writes (WAL).
 */
#include "storage/db_lookup.h"
#include "storage/db_internal.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/buf.h"

/* Milliseconds a read waits for a lock (only WAL recovery takes one). */
#define LOOKUP_BUSY_MS 5000
/* How much of the file a lookup maps (PRAGMA mmap_size): 256 MiB. */
#define LOOKUP_MMAP_BYTES "268435456"

struct db_lookup {
    sqlite3 *conn;
    sqlite3_stmt *find, *begin, *pin, *end;
    uint32_t ncols, nkeys;
    enum sl_type *types;
    struct sl_value *row;
    bool in_snapshot;
    char *plan;
    bool searches;
    struct sl_buf scratch; /* an ARRAY key's JSON text */
};

static sl_status lookup_fail(struct db_lookup *l, struct sl_error *err, const char *what)
{
    return sl_error_set(err, SL_ERROR, "%s: %s", what,
                        l->conn ? sqlite3_errmsg(l->conn) : "out of memory");
}

/* The statement's plan, from EXPLAIN QUERY PLAN's detail column. */
static sl_status read_plan(struct db_lookup *l, const char *sql, struct sl_error *err)
{
    struct sl_buf b;
    buf_init(&b);
    buf_printf(&b, "EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *stmt;
    int rc = b.failed ? SQLITE_NOMEM : sqlite3_prepare_v2(l->conn, buf_str(&b), -1, &stmt, NULL);
    buf_clear(&b);
    if (rc != SQLITE_OK) {
        buf_free(&b);
        return lookup_fail(l, err, "planning a lookup");
    }
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *detail = (const char *)sqlite3_column_text(stmt, 3);
        if (!detail)
            continue;
        buf_printf(&b, "%s%s", b.len ? "; " : "", detail);
        l->searches = l->searches || strncmp(detail, "SEARCH", 6) == 0;
    }
    sqlite3_finalize(stmt);
    l->plan = b.failed ? NULL : sl_strdup(buf_str(&b));
    buf_free(&b);
    if (rc != SQLITE_DONE)
        return lookup_fail(l, err, "planning a lookup");
    return l->plan ? SL_OK : sl_error_set(err, SL_NOMEM, "out of memory");
}

static void quote(struct sl_buf *b, const char *name)
{
    buf_putc(b, '"');
    for (; *name; name++) {
        if (*name == '"')
            buf_putc(b, '"');
        buf_putc(b, *name);
    }
    buf_putc(b, '"');
}

sl_status db_lookup_open(const char *file, const char *table, uint32_t ncols,
                         const char *const *cols, const enum sl_type *types, uint32_t nkeys,
                         const char *const *keys, const char *const *casts,
                         struct db_lookup **out, struct sl_error *err)
{
    struct db_lookup *l = sl_calloc(1, sizeof *l);
    if (!l)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    buf_init(&l->scratch);
    l->ncols = ncols;
    l->nkeys = nkeys;
    l->types = sl_calloc(ncols ? ncols : 1, sizeof *l->types);
    l->row = sl_calloc(ncols ? ncols : 1, sizeof *l->row);
    struct sl_buf sql;
    buf_init(&sql);
    buf_puts(&sql, "SELECT ");
    for (uint32_t i = 0; i < ncols; i++) {
        if (i)
            buf_puts(&sql, ", ");
        quote(&sql, cols[i]);
    }
    buf_puts(&sql, " FROM ");
    quote(&sql, table);
    for (uint32_t k = 0; k < nkeys; k++) {
        buf_puts(&sql, k ? " AND " : " WHERE ");
        quote(&sql, keys[k]);
        if (casts[k])
            buf_printf(&sql, " = CAST(?%u AS %s)", k + 1, casts[k]);
        else
            buf_printf(&sql, " = ?%u", k + 1);
    }
    sl_status st = SL_OK;
    if (!l->types || !l->row || sql.failed) {
        st = sl_error_set(err, SL_NOMEM, "out of memory");
        goto done;
    }
    memcpy(l->types, types, ncols * sizeof *types);
    if (sqlite3_open_v2(file, &l->conn, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        st = sl_error_set(err, SL_ERROR, "cannot open '%s' to look table \"%s\" up: %s", file,
                          table, l->conn ? sqlite3_errmsg(l->conn) : "out of memory");
        goto done;
    }
    sqlite3_busy_timeout(l->conn, LOOKUP_BUSY_MS);
    /* The engine commits every batch, which empties a WAL reader's page cache:
     * mapped, the table's pages are read again without a system call each. */
    sqlite3_exec(l->conn, "PRAGMA mmap_size = " LOOKUP_MMAP_BYTES "; PRAGMA cache_size = -16384",
                 NULL, NULL, NULL);
    if (sqlite3_prepare_v2(l->conn, buf_str(&sql), -1, &l->find, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(l->conn, "BEGIN", -1, &l->begin, NULL) != SQLITE_OK ||
        /* A read in the transaction takes the snapshot (BEGIN alone defers it). */
        sqlite3_prepare_v2(l->conn, "SELECT count(*) FROM sqlite_master", -1, &l->pin, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(l->conn, "COMMIT", -1, &l->end, NULL) != SQLITE_OK) {
        st = lookup_fail(l, err, "preparing a lookup");
        goto done;
    }
    st = read_plan(l, buf_str(&sql), err);
done:
    buf_free(&sql);
    if (st != SL_OK) {
        db_lookup_close(l);
        return st;
    }
    *out = l;
    return SL_OK;
}

void db_lookup_close(struct db_lookup *l)
{
    if (!l)
        return;
    db_lookup_end(l);
    sqlite3_finalize(l->find);
    sqlite3_finalize(l->begin);
    sqlite3_finalize(l->pin);
    sqlite3_finalize(l->end);
    sqlite3_close(l->conn);
    sl_free(l->types);
    sl_free(l->row);
    sl_free(l->plan);
    buf_free(&l->scratch);
    sl_free(l);
}

const char *db_lookup_plan(const struct db_lookup *l)
{
    return l->plan;
}

bool db_lookup_searches(const struct db_lookup *l)
{
    return l->searches;
}

sl_status db_lookup_begin(struct db_lookup *l, struct sl_error *err)
{
    db_lookup_end(l);
    int rc = sqlite3_step(l->begin);
    sqlite3_reset(l->begin);
    if (rc != SQLITE_DONE)
        return lookup_fail(l, err, "starting a lookup's snapshot");
    rc = sqlite3_step(l->pin);
    sqlite3_reset(l->pin);
    l->in_snapshot = true;
    if (rc != SQLITE_ROW) {
        sl_status st = lookup_fail(l, err, "starting a lookup's snapshot");
        db_lookup_end(l);
        return st;
    }
    return SL_OK;
}

void db_lookup_end(struct db_lookup *l)
{
    if (!l->in_snapshot)
        return;
    sqlite3_step(l->end);
    sqlite3_reset(l->end);
    l->in_snapshot = false;
}

/* Column i of the current row, read as types[i] says. */
static struct sl_value read_column(const struct db_lookup *l, uint32_t i)
{
    sqlite3_stmt *s = l->find;
    int ct = sqlite3_column_type(s, (int)i);
    struct sl_value v = {.type = SL_NULL};
    if (ct == SQLITE_NULL)
        return v;
    enum sl_type want = l->types[i];
    if (want == SL_ANY)
        want = ct == SQLITE_INTEGER ? SL_INT : ct == SQLITE_FLOAT ? SL_REAL : SL_TEXT;
    switch (want) {
    case SL_INT:
        v.type = SL_INT;
        v.u.i = sqlite3_column_int64(s, (int)i);
        break;
    case SL_REAL:
        v.type = SL_REAL;
        v.u.r = sqlite3_column_double(s, (int)i);
        break;
    default: {
        const unsigned char *text = ct == SQLITE_BLOB ? sqlite3_column_blob(s, (int)i)
                                                      : sqlite3_column_text(s, (int)i);
        v.type = SL_TEXT;
        v.u.s.ptr = (const char *)text;
        v.u.s.len = (uint32_t)sqlite3_column_bytes(s, (int)i);
        break;
    }
    }
    return v;
}

sl_status db_lookup_find(struct db_lookup *l, const struct sl_value *keys, db_lookup_row_fn fn,
                         void *ctx, struct sl_error *err)
{
    for (uint32_t k = 0; k < l->nkeys; k++)
        if (db_bind_value(l->find, (int)k + 1, keys[k], &l->scratch) != SQLITE_OK)
            return lookup_fail(l, err, "looking a key up");
    int rc;
    sl_status st = SL_OK;
    while (st == SL_OK && (rc = sqlite3_step(l->find)) == SQLITE_ROW) {
        for (uint32_t i = 0; i < l->ncols; i++)
            l->row[i] = read_column(l, i);
        st = fn(ctx, l->row, err);
    }
    if (st == SL_OK && rc != SQLITE_DONE)
        st = lookup_fail(l, err, "looking a key up");
    sqlite3_reset(l->find);
    sqlite3_clear_bindings(l->find);
    return st;
}
