/*
 * db_functions.c — scalar functions the engine adds to the database's
 * connection (sqlite3_create_function), so a SELECT the user hands to
 * SQLite can call what a CREATE QUERY can. Storage only translates values:
 * SQLite's arguments become Sluice values, the engine's result is written
 * back the way a result table stores it (value_bind.c).
 *
 * They live on a second connection to the same file, the one the user's
 * SELECTs run on: some replace SQLite's built-ins (length, datetime, ...),
 * and the engine's own statements (length(data) of a BLOB in the state
 * tables) must keep SQLite's.
 */
#include "storage/db_internal.h"

#include <string.h>

#include "common/alloc.h"
#include "common/arena.h"
#include "common/time.h"

/* SQLite's own limit on a call's arguments (SQLITE_MAX_FUNCTION_ARG). */
#define DB_FUNCTION_MAX_ARGS 127

struct db_function {
    db_scalar_fn fn;
    void *ctx;
    struct sl_arena *arena; /* argument and result strings; reset after each call */
};

static struct sl_value value_of(sqlite3_value *v)
{
    struct sl_value out = sl_null();
    switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
        out.type = SL_INT;
        out.u.i = sqlite3_value_int64(v);
        break;
    case SQLITE_FLOAT:
        out.type = SL_REAL;
        out.u.r = sqlite3_value_double(v);
        break;
    case SQLITE_TEXT:
    case SQLITE_BLOB: {
        /* Sluice has no BLOB: its bytes are text, as SQLite's functions read them. */
        const unsigned char *text = sqlite3_value_text(v);
        out.type = SL_TEXT;
        out.u.s.ptr = text ? (const char *)text : "";
        out.u.s.len = (uint32_t)sqlite3_value_bytes(v);
        break;
    }
    default: break;
    }
    return out;
}

static void set_result(sqlite3_context *c, struct sl_value v)
{
    char ts[32];
    switch (v.type) {
    case SL_BOOL: sqlite3_result_int(c, v.u.b ? 1 : 0); break;
    case SL_INT: sqlite3_result_int64(c, v.u.i); break;
    case SL_REAL: sqlite3_result_double(c, v.u.r); break;
    case SL_TEXT:
        sqlite3_result_text64(c, v.u.s.ptr ? v.u.s.ptr : "", v.u.s.len, SQLITE_TRANSIENT,
                              SQLITE_UTF8);
        break;
    case SL_TIMESTAMP:
        sl_ts_format(v.u.i, ts);
        sqlite3_result_text(c, ts, -1, SQLITE_TRANSIENT);
        break;
    case SL_ARRAY: {
        struct sl_buf json;
        buf_init(&json);
        db_value_json(&json, v);
        if (json.failed)
            sqlite3_result_error_nomem(c);
        else
            sqlite3_result_text64(c, buf_str(&json), json.len, SQLITE_TRANSIENT, SQLITE_UTF8);
        buf_free(&json);
        break;
    }
    default: sqlite3_result_null(c); break;
    }
}

static void call_function(sqlite3_context *c, int argc, sqlite3_value **argv)
{
    struct db_function *f = sqlite3_user_data(c);
    struct sl_value args[DB_FUNCTION_MAX_ARGS];
    if (argc > DB_FUNCTION_MAX_ARGS) {
        sqlite3_result_error(c, "too many arguments", -1);
        return;
    }
    for (int i = 0; i < argc; i++)
        args[i] = value_of(argv[i]);
    struct sl_value result = sl_null();
    struct sl_error err;
    sl_error_clear(&err);
    sl_status st = f->fn(f->ctx, argc, args, f->arena, &result, &err);
    if (st == SL_NOMEM)
        sqlite3_result_error_nomem(c);
    else if (st != SL_OK)
        sqlite3_result_error(c, err.msg[0] ? err.msg : "function failed", -1);
    else
        set_result(c, result);
    arena_reset(f->arena);
}

static void free_function(void *p)
{
    struct db_function *f = p;
    arena_destroy(f->arena);
    sl_free(f);
}

sqlite3 *db_query_conn(struct sl_db *db)
{
    return db->query_conn ? db->query_conn : db->conn;
}

/* Opens the user's connection on first use; an in-memory database has no
 * second connection to it, so its functions go on the one connection. */
static sl_status open_query_conn(struct sl_db *db, struct sl_error *err)
{
    if (db->query_conn || strcmp(db->path, ":memory:") == 0 || db->path[0] == '\0')
        return SL_OK;
    if (sqlite3_open_v2(db->path, &db->query_conn, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sl_status st = sl_error_set(err, SL_ERROR, "cannot open database '%s' for queries: %s",
                                    db->path, sqlite3_errmsg(db->query_conn));
        sqlite3_close_v2(db->query_conn);
        db->query_conn = NULL;
        return st;
    }
    sqlite3_busy_timeout(db->query_conn, DB_BUSY_TIMEOUT_MS);
    /* As the engine's connection: closing leaves the WAL to the next checkpoint. */
    sqlite3_db_config(db->query_conn, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    return SL_OK;
}

sl_status db_create_function(struct sl_db *db, const char *name, int nargs, bool deterministic,
                             db_scalar_fn fn, void *ctx, struct sl_error *err)
{
    if (open_query_conn(db, err) != SL_OK)
        return SL_ERROR;
    struct db_function *f = sl_calloc(1, sizeof *f);
    if (!f || !(f->arena = arena_create(0))) {
        sl_free(f);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    f->fn = fn;
    f->ctx = ctx;
    int flags = SQLITE_UTF8 | (deterministic ? SQLITE_DETERMINISTIC : 0);
    /* On failure SQLite has already called free_function. */
    sqlite3 *conn = db_query_conn(db);
    if (sqlite3_create_function_v2(conn, name, nargs, flags, f, call_function, NULL, NULL,
                                   free_function) != SQLITE_OK)
        return sl_error_set(err, SL_ERROR, "cannot add function %s: %s", name,
                            sqlite3_errmsg(conn));
    return SL_OK;
}

bool db_has_function(struct sl_db *db, const char *name)
{
    sqlite3_stmt *stmt;
    const char *sql = "SELECT 1 FROM pragma_function_list WHERE name = ?1 COLLATE NOCASE";
    if (sqlite3_prepare_v2(db->conn, sql, -1, &stmt, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    bool found = sqlite3_step(stmt) == SQLITE_ROW;
    sqlite3_finalize(stmt);
    return found;
}
