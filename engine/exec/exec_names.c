/*
 * exec_names.c — sluice_names: every name a statement can use, for the
 * shell's tab completion and its .tables/.schema/\d: keywords, functions,
 * streams with their columns, saved queries, sinks, and the database's
 * tables with their columns. Streams, queries and sinks come with the
 * statement that made them; tables with their CREATE TABLE.
 */
#include "engine/exec/engine.h"

#include "common/alloc.h"
#include "engine/aggregates/aggregate.h"
#include "engine/functions/function.h"
#include "parser/lexer.h"
#include "storage/db.h"

#include <string.h>

struct name_sink {
    sluice_name_fn fn;
    void *ctx;
    enum sluice_name_kind kind;
};

static void on_catalog(void *ctx, const char *name, const char *sql)
{
    const struct name_sink *ns = ctx;
    ns->fn(ns->ctx, ns->kind, name, sql);
}

/* One row per column of each table: name, sql, column; ordered by table. */
struct table_rows {
    const struct name_sink *ns;
    char *table; /* the last table told, so each is told once, before its columns */
    bool nomem;
};

static void on_table_column(void *ctx, bool is_header, int ncols, const char *const *values)
{
    struct table_rows *t = ctx;
    if (is_header || ncols < 3 || !values[0] || !values[2] || t->nomem)
        return;
    if (!t->table || strcmp(t->table, values[0]) != 0) {
        sl_free(t->table);
        t->table = sl_strdup(values[0]);
        if (!t->table) {
            t->nomem = true;
            return;
        }
        t->ns->fn(t->ns->ctx, SLUICE_NAME_TABLE, values[0], values[1]);
    }
    t->ns->fn(t->ns->ctx, SLUICE_NAME_COLUMN, values[2], values[0]);
}

/* The database's tables and views (SQLite's own and the REPL's scratch
 * tables left out), each followed by its columns. */
static sl_status list_tables(struct sl_db *db, const struct name_sink *ns, struct sl_error *err)
{
    struct table_rows t = {ns, NULL, false};
    sl_status st = db_query_text(
        db,
        "SELECT m.name, m.sql, c.name FROM sqlite_master AS m, pragma_table_info(m.name) AS c"
        " WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        " AND m.name NOT LIKE '\\_sluice\\_live%' ESCAPE '\\' ORDER BY m.name, c.cid",
        on_table_column, &t, err);
    sl_free(t.table);
    if (st == SL_OK && t.nomem)
        st = sl_error_set(err, SL_NOMEM, "out of memory listing tables");
    return st;
}

static void list_words(const struct name_sink *ns)
{
    const char *name;
    for (size_t i = 0; (name = lex_keyword_name(i)); i++)
        ns->fn(ns->ctx, SLUICE_NAME_KEYWORD, name, NULL);
    const struct sl_scalar_fn *fn;
    for (size_t i = 0; (fn = function_at(i)); i++)
        ns->fn(ns->ctx, SLUICE_NAME_FUNCTION, fn->name, NULL);
    for (size_t i = 0; (name = aggregate_name(i)); i++)
        ns->fn(ns->ctx, SLUICE_NAME_FUNCTION, name, NULL);
}

static void list_streams(const struct sl_catalog *c, const struct name_sink *ns)
{
    for (uint32_t i = 0; i < c->nstreams; i++) {
        const struct sl_stream_def *def = c->streams[i];
        ns->fn(ns->ctx, SLUICE_NAME_STREAM, def->name, def->sql);
        for (uint32_t k = 0; k < def->ncols; k++)
            ns->fn(ns->ctx, SLUICE_NAME_COLUMN, def->cols[k].name, def->name);
    }
}

sluice_status sluice_names(struct sluice *s, sluice_name_fn fn, void *ctx, char **errors)
{
    struct name_sink ns = {fn, ctx, SLUICE_NAME_KEYWORD};
    struct sl_error err;
    sl_error_clear(&err);
    sl_status st = SL_OK;
    list_words(&ns);
    pthread_mutex_lock(&s->lock);
    list_streams(&s->catalog, &ns);
    if (s->db) {
        ns.kind = SLUICE_NAME_QUERY;
        st = db_catalog_list(s->db, DB_CATALOG_QUERY, on_catalog, &ns, &err);
        ns.kind = SLUICE_NAME_SINK;
        if (st == SL_OK)
            st = db_catalog_list(s->db, DB_CATALOG_SINK, on_catalog, &ns, &err);
        if (st == SL_OK)
            st = list_tables(s->db, &ns, &err);
    }
    pthread_mutex_unlock(&s->lock);
    struct sl_buf messages;
    buf_init(&messages);
    if (st != SL_OK)
        buf_printf(&messages, "%s\n", err.msg);
    if (errors)
        *errors = messages.len ? messages.data : NULL;
    else
        buf_free(&messages);
    return st == SL_OK ? SLUICE_OK : SLUICE_ERROR;
}
