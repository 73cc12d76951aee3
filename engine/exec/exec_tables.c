/*
 * exec_tables.c — SHOW TABLES and DESCRIBE of a table no running query
 * describes: every table of the database with what it is — a query's result
 * table, its late rows, a system table (with what it holds), a live SELECT's
 * scratch table, or an ordinary table or view someone else made (or a
 * dropped query left) — and a table's columns as SQLite declares them.
 */
#include "engine/exec/exec.h"

#include "common/alloc.h"
#include "storage/db_tables.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* What each system table holds, for SHOW TABLES; one not named here is still Sluice's. */
static const struct {
    const char *name, *about;
} system_about[] = {
    {"_sluice_streams", "the streams' definitions (CREATE STREAM)"},
    {"_sluice_queries", "the queries' definitions (CREATE QUERY)"},
    {"_sluice_progress", "one row per committed batch of each query"},
    {"_sluice_checkpoints", "where each query's input is read up to"},
    {"_sluice_state", "the queries' operator state (groups, windows)"},
    {"_sluice_state_log", "operator state changes not yet compacted"},
    {"_sluice_log", "the records of logged streams, until every query read them"},
    {"_sluice_log_readers", "where each query reads each stream's log"},
    {"_sluice_sinks", "the sinks' definitions (CREATE SINK)"},
    {"_sluice_outbox", "rows the sinks have still to deliver"},
    {"_sluice_sink_progress", "each sink's last delivered batch"},
    {"_sluice_dead_letters", "records that could not be decoded or evaluated"},
};

struct table_kind {
    const char *kind;
    char about[320];
};

static bool is_system_table(const char *name)
{
    for (size_t i = 0; db_system_table(i); i++)
        if (strcasecmp(db_system_table(i), name) == 0)
            return true;
    return false;
}

/* The query of that name, saved or running: its SHOW QUERIES status, or NULL. */
static const char *query_state(struct sluice *s, const char *name)
{
    const struct sl_query *q = exec_find_named_query(s, name);
    char *saved = NULL;
    struct sl_error err;
    if (!q)
        exec_saved_sql(s, DB_CATALOG_QUERY, name, &saved, &err);
    bool known = q || saved;
    sl_free(saved);
    const char *error;
    return known ? exec_query_status(s, name, q, &error) : NULL;
}

static void classify(struct sluice *s, const char *name, bool is_view, struct table_kind *k)
{
    k->about[0] = '\0';
    size_t len = strlen(name);
    const char *state;
    if (is_system_table(name)) {
        k->kind = "system";
        snprintf(k->about, sizeof k->about, "Sluice's own");
        for (size_t i = 0; i < sizeof system_about / sizeof *system_about; i++)
            if (strcasecmp(system_about[i].name, name) == 0)
                snprintf(k->about, sizeof k->about, "%s", system_about[i].about);
    } else if (strncasecmp(name, "_sluice_live_", 13) == 0) {
        k->kind = "live";
        snprintf(k->about, sizeof k->about, "a live SELECT's rows, dropped when it stops");
    } else if (!is_view && (state = query_state(s, name))) {
        k->kind = "result";
        snprintf(k->about, sizeof k->about, "written by query %s (%s)", name, state);
    } else if (!is_view && len > 5 && strcasecmp(name + len - 5, "_late") == 0) {
        char query[256];
        snprintf(query, sizeof query, "%.*s", (int)(len - 5), name);
        state = query_state(s, query);
        k->kind = state ? "late" : "table";
        if (state)
            snprintf(k->about, sizeof k->about, "late rows of query %s (%s)", query, state);
    } else {
        k->kind = is_view ? "view" : "table";
    }
}

struct listing {
    const struct exec_ctx *x;
    bool system; /* this pass lists the system tables (they come last) */
};

static void table_row(void *ctx, const char *name, bool is_view)
{
    struct listing *l = ctx;
    struct table_kind k;
    classify(l->x->s, name, is_view, &k);
    if ((strcmp(k.kind, "system") == 0) != l->system)
        return;
    const char *row[] = {name, k.kind, k.about[0] ? k.about : NULL};
    exec_answer_row(l->x, false, 3, row);
}

void exec_show_tables(const struct exec_ctx *x)
{
    static const char *const header[] = {"name", "kind", "about"};
    exec_answer_row(x, true, 3, header);
    struct sl_error err;
    for (int pass = 0; x->s->db && pass < 2; pass++) {
        struct listing l = {x, pass == 1};
        if (db_tables_list(x->s->db, table_row, &l, &err) != SL_OK)
            break;
    }
    exec_answer_end(x);
}

static void column_row(void *ctx, const struct db_column *c)
{
    const struct exec_ctx *x = ctx;
    char key[16];
    snprintf(key, sizeof key, "%d", c->key);
    const char *row[] = {c->name, c->type[0] ? c->type : NULL, c->key ? key : NULL,
                         c->not_null ? "no" : "yes", c->default_value};
    exec_answer_row(x, false, 5, row);
}

struct finding {
    const char *name;
    bool is_view;
};

static void find_view(void *ctx, const char *name, bool is_view)
{
    struct finding *f = ctx;
    if (strcasecmp(f->name, name) == 0)
        f->is_view = is_view;
}

sl_status exec_describe_table(struct exec_ctx *x, const struct ast_name *name, bool *found)
{
    struct sluice *s = x->s;
    struct sl_error err;
    *found = false;
    if (!s->db || !db_table_exists(s->db, name->text))
        return SL_OK;
    *found = true;
    static const char *const header[] = {"column", "type", "key", "nullable", "default"};
    exec_answer_row(x, true, 5, header);
    bool columns;
    sl_status st = db_table_columns(s->db, name->text, column_row, x, &columns, &err);
    exec_answer_end(x);
    int64_t rows = 0;
    if (st == SL_OK)
        st = db_table_count(s->db, name->text, &rows, &err);
    if (st != SL_OK) {
        diags_add(x->diags, name->pos, name->span, NULL, "%s", err.msg);
        return SL_ERROR;
    }
    static const char *const about_header[] = {"table", "kind", "about", "rows"};
    exec_answer_row(x, true, 4, about_header);
    struct finding view = {name->text, false};
    db_tables_list(s->db, find_view, &view, &err);
    struct table_kind k;
    classify(s, name->text, view.is_view, &k);
    char count[24];
    snprintf(count, sizeof count, "%" PRId64, rows);
    const char *row[] = {name->text, k.kind, k.about[0] ? k.about : NULL, count};
    exec_answer_row(x, false, 4, row);
    exec_answer_end(x);
    return SL_OK;
}
