/*
 * result_table.c — creating a query's result table and preparing the
 * statements that write it; clearing and dropping it.
 */
#include "storage/result_table_internal.h"

#include <stdio.h>

#include "common/alloc.h"

/* The declared SQLite type of a column (ANY: none, so values keep their own type). */
static const char *rt_decl_type(enum sl_type type, bool sole_key)
{
    switch (type) {
    case SL_BOOL:
    case SL_INT:
        /* A sole key declared exactly INTEGER would become the rowid: no NULL, no text. */
        return sole_key ? " INT" : " INTEGER";
    case SL_REAL: return " REAL";
    case SL_TEXT:
    case SL_TIMESTAMP:
    case SL_ARRAY: return " TEXT";
    case SL_NULL:
    case SL_ANY: return "";
    }
    return "";
}

/* "(k1, k2)": the key columns. */
static void rt_sql_key_list(struct sl_buf *b, const struct sl_result_table *t,
                            const struct sl_schema *schema)
{
    buf_putc(b, '(');
    for (uint32_t k = 0; k < t->nkeys; k++) {
        if (k)
            buf_puts(b, ", ");
        db_quote_ident(b, schema->cols[t->key_cols[k]].name);
    }
    buf_putc(b, ')');
}

static void rt_sql_create(struct sl_buf *b, const struct sl_result_table *t,
                          const struct sl_schema *schema)
{
    buf_puts(b, "CREATE TABLE IF NOT EXISTS ");
    db_quote_ident(b, t->name);
    buf_putc(b, '(');
    for (uint32_t i = 0; i < schema->ncols; i++) {
        if (i)
            buf_puts(b, ", ");
        bool sole_key = t->nkeys == 1 && t->key_cols[0] == i;
        db_quote_ident(b, schema->cols[i].name);
        buf_puts(b, rt_decl_type(schema->cols[i].type, sole_key));
    }
    if (t->nkeys) {
        buf_puts(b, ", PRIMARY KEY ");
        rt_sql_key_list(b, t, schema);
    }
    buf_putc(b, ')');
}

/* INSERT of rows rows at once; keyed with rows > 1: an upsert on the key. */
static void rt_sql_insert(struct sl_buf *b, const struct sl_result_table *t,
                          const struct sl_schema *schema, const bool *key_cols, uint32_t rows)
{
    buf_puts(b, "INSERT INTO ");
    db_quote_ident(b, t->name);
    buf_putc(b, '(');
    for (uint32_t i = 0; i < schema->ncols; i++) {
        if (i)
            buf_puts(b, ", ");
        db_quote_ident(b, schema->cols[i].name);
    }
    buf_puts(b, ") VALUES ");
    for (uint32_t r = 0; r < rows; r++) {
        buf_puts(b, r ? ", (" : "(");
        /* Bare ?s number themselves 1, 2, ... in order, as the rows bind them;
         * ?NNN would cost SQLite's prepare a scan of the names per parameter. */
        for (uint32_t i = 0; i < t->ncols; i++)
            buf_puts(b, i ? ", ?" : "?");
        buf_putc(b, ')');
    }
    if (!t->nkeys || rows < 2)
        return;
    buf_puts(b, " ON CONFLICT");
    rt_sql_key_list(b, t, schema);
    buf_puts(b, " DO ");
    bool any = false;
    for (uint32_t i = 0; i < schema->ncols; i++) {
        if (key_cols[i])
            continue;
        buf_puts(b, any ? ", " : "UPDATE SET ");
        db_quote_ident(b, schema->cols[i].name);
        buf_puts(b, " = excluded.");
        db_quote_ident(b, schema->cols[i].name);
        any = true;
    }
    if (!any)
        buf_puts(b, "NOTHING");
}

/* " WHERE k1 IS ?a AND k2 IS ?b": IS so that a NULL key matches itself. */
static void rt_sql_where_key(struct sl_buf *b, const struct sl_result_table *t,
                             const struct sl_schema *schema)
{
    for (uint32_t k = 0; k < t->nkeys; k++) {
        buf_puts(b, k ? " AND " : " WHERE ");
        db_quote_ident(b, schema->cols[t->key_cols[k]].name);
        buf_printf(b, " IS ?%u", t->key_cols[k] + 1);
    }
}

/*
 * Without value columns the update sets the first key to itself: it changes
 * nothing but still reports whether the key exists, which decides the insert.
 */
static void rt_sql_update(struct sl_buf *b, const struct sl_result_table *t,
                          const struct sl_schema *schema, const bool *key_cols)
{
    buf_puts(b, "UPDATE ");
    db_quote_ident(b, t->name);
    buf_puts(b, " SET ");
    bool any = false;
    for (uint32_t i = 0; i < schema->ncols; i++) {
        if (key_cols[i])
            continue;
        if (any)
            buf_puts(b, ", ");
        db_quote_ident(b, schema->cols[i].name);
        buf_printf(b, " = ?%u", i + 1);
        any = true;
    }
    if (!any) {
        const char *first = schema->cols[t->key_cols[0]].name;
        db_quote_ident(b, first);
        buf_puts(b, " = ");
        db_quote_ident(b, first);
    }
    rt_sql_where_key(b, t, schema);
}

static void rt_sql_delete(struct sl_buf *b, const struct sl_result_table *t,
                          const struct sl_schema *schema)
{
    buf_puts(b, "DELETE FROM ");
    db_quote_ident(b, t->name);
    if (schema)
        rt_sql_where_key(b, t, schema);
}

/* Rows per multi-row INSERT: RT_INSERT_ROWS, fewer when their parameters
 * would pass SQLite's limit (1 or 0: none). */
static uint32_t rt_insert_rows(const struct sl_result_table *t)
{
    int max_params = sqlite3_limit(t->db->conn, SQLITE_LIMIT_VARIABLE_NUMBER, -1);
    uint32_t rows = RT_INSERT_ROWS;
    while (rows > 1 && (int64_t)rows * t->ncols > max_params)
        rows /= 2;
    return t->ncols ? rows : 0;
}

/* Runs (exec) or prepares (out) the SQL in b, with an error naming the table. */
static sl_status rt_prepare(struct sl_result_table *t, struct sl_buf *b, sqlite3_stmt **out,
                            struct sl_error *err)
{
    sl_status st = SL_OK;
    if (b->failed) {
        st = sl_error_set(err, SL_NOMEM, "out of memory");
    } else {
        char what[300];
        snprintf(what, sizeof what, "cannot create result table '%s'", t->name);
        if (!out)
            st = db_exec(t->db, b->data, what, err);
        else if (sqlite3_prepare_v3(t->db->conn, b->data, -1, SQLITE_PREPARE_PERSISTENT, out,
                                    NULL) != SQLITE_OK)
            st = db_fail(t->db, err, what);
    }
    buf_clear(b);
    return st;
}

sl_status result_table_open(struct sl_db *db, const char *name, const struct sl_schema *schema,
                            const bool *key_cols, struct sl_result_table **out,
                            struct sl_error *err)
{
    *out = NULL;
    struct sl_result_table *t = sl_calloc(1, sizeof *t);
    if (!t)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    t->db = db;
    t->ncols = schema->ncols;
    buf_init(&t->scratch);
    t->name = sl_strdup(name);
    t->key_cols = sl_calloc(schema->ncols ? schema->ncols : 1, sizeof *t->key_cols);
    t->ts = sl_calloc((schema->ncols ? schema->ncols : 1) * RT_INSERT_ROWS, sizeof *t->ts);
    if (!t->name || !t->key_cols || !t->ts) {
        result_table_close(t);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    for (uint32_t i = 0; key_cols && i < schema->ncols; i++) {
        if (key_cols[i])
            t->key_cols[t->nkeys++] = i;
    }

    struct sl_buf sql;
    buf_init(&sql);
    rt_sql_create(&sql, t, schema);
    sl_status st = rt_prepare(t, &sql, NULL, err);
    if (st == SL_OK) {
        rt_sql_insert(&sql, t, schema, key_cols, 1);
        st = rt_prepare(t, &sql, &t->insert, err);
    }
    if (st == SL_OK && (t->insert_rows = rt_insert_rows(t)) > 1) {
        rt_sql_insert(&sql, t, schema, key_cols, t->insert_rows);
        st = rt_prepare(t, &sql, &t->insert_many, err);
    }
    if (st == SL_OK) {
        rt_sql_delete(&sql, t, NULL);
        st = rt_prepare(t, &sql, &t->clear, err);
    }
    if (st == SL_OK && t->nkeys) {
        rt_sql_update(&sql, t, schema, key_cols);
        st = rt_prepare(t, &sql, &t->update, err);
        if (st == SL_OK) {
            rt_sql_delete(&sql, t, schema);
            st = rt_prepare(t, &sql, &t->remove, err);
        }
    }
    buf_free(&sql);
    if (st != SL_OK) {
        result_table_close(t);
        return st;
    }
    *out = t;
    return SL_OK;
}

void result_table_close(struct sl_result_table *t)
{
    if (!t)
        return;
    sqlite3_finalize(t->insert);
    sqlite3_finalize(t->insert_many);
    sqlite3_finalize(t->update);
    sqlite3_finalize(t->remove);
    sqlite3_finalize(t->clear);
    buf_free(&t->scratch);
    sl_free(t->ts);
    sl_free(t->key_cols);
    sl_free(t->name);
    sl_free(t);
}

void result_table_keep_one_row(struct sl_result_table *t)
{
    t->one_row = t->nkeys == 0;
}

sl_status result_table_clear(struct sl_result_table *t, struct sl_error *err)
{
    char what[300];
    snprintf(what, sizeof what, "cannot clear result table '%s'", t->name);
    return db_step_done(t->db, t->clear, what, err);
}

sl_status result_table_drop(struct sl_db *db, const char *name, struct sl_error *err)
{
    struct sl_buf sql;
    buf_init(&sql);
    buf_puts(&sql, "DROP TABLE IF EXISTS ");
    db_quote_ident(&sql, name);
    char what[300];
    snprintf(what, sizeof what, "cannot drop result table '%s'", name);
    sl_status st = sql.failed ? sl_error_set(err, SL_NOMEM, "out of memory")
                              : db_exec(db, sql.data, what, err);
    buf_free(&sql);
    return st;
}
