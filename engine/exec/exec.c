/*
 * exec.c — executing one statement: CREATE STREAM and QUERY, and a
 * SELECT over a stream (a live query printed after each batch); the other
 * statements are dispatched to exec_show.c, exec_explain.c, exec_set.c and
 * exec_drop.c.
 * A script is parsed and run in exec_script.c; the engine is opened and
 * closed in exec_engine.c.
 */
#include "engine/exec/exec.h"

#include "common/alloc.h"
#include "common/time.h"
#include "engine/plan/binder.h"
#include "engine/exec/exec_changed.h"
#include "engine/runtime/query_side.h"
#include "parser/parser.h"
#include "storage/db_live.h"
#include "storage/stream_log.h"
#include "storage/state.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static void notice(const struct exec_ctx *x, const char *fmt, ...) SL_PRINTF(2, 3);
static void notice(const struct exec_ctx *x, const char *fmt, ...)
{
    if (!x->out || !x->out->notice)
        return;
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    x->out->notice(x->out->ctx, text);
}

/* Errors that are not about a place in the text still get the statement's position. */
static sl_status runtime_error(struct exec_ctx *x, const struct ast_stmt *stmt,
                               const struct sl_error *err)
{
    diags_add(x->diags, stmt->pos, 1, NULL, "%s", err->msg);
    return SL_ERROR;
}

/* A query that cannot start (its source cannot be opened, ...) is about its FROM stream,
 * the one at the bottom of its derived tables. */
static sl_status start_error(struct exec_ctx *x, const struct ast_select *sel,
                             const struct sl_error *err, bool restart)
{
    while (sel->from_select)
        sel = sel->from_select;
    /* Starting over is the way out of an input that changed, not of a disk
     * that refused a write: the batches committed are intact. */
    const char *hint = NULL;
    if (db_write_refused(x->s->db))
        hint = "free some space (or fix the device) and run again: the query continues from its "
               "last committed batch";
    else if (restart)
        hint = "the query is saved in this database and continues from its last batch; "
               "CREATE OR REPLACE QUERY starts it over on its input as it is now";
    diags_add(x->diags, sel->from.pos, sel->from.span, hint, "%s", err->msg);
    return SL_ERROR;
}

static sl_status exec_create_stream(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    struct sl_stream_def *def;
    sl_status st = bind_create_stream(stmt, x->diags, &def);
    if (st != SL_OK)
        return st;
    const struct ast_name *name = &stmt->u.create_stream.name;
    struct sl_stream_def *existing = catalog_find_stream(&x->s->catalog, def->name);
    if (existing) {
        bool same = strcmp(existing->sql, def->sql) == 0;
        stream_def_free(def);
        if (same || stmt->u.create_stream.if_not_exists)
            return SL_OK;
        char hint[256];
        snprintf(hint, sizeof hint, "DROP STREAM %s first, or choose another name", name->text);
        diags_add(x->diags, name->pos, name->span, hint,
                  "stream \"%s\" already exists with a different definition", name->text);
        return SL_ERROR;
    }
    struct sl_error err;
    if (!x->check_only && x->s->db &&
        db_catalog_put(x->s->db, DB_CATALOG_STREAM, def->name, def->sql, &err) != SL_OK) {
        stream_def_free(def);
        return runtime_error(x, stmt, &err);
    }
    if (catalog_add_stream(&x->s->catalog, def) != SL_OK) {
        stream_def_free(def);
        return SL_NOMEM;
    }
    if (!x->check_only)
        notice(x, "stream %s created", def->name);
    return SL_OK;
}

struct saved_sql {
    const char *name;
    char *sql;
};

static void find_saved(void *ctx, const char *name, const char *sql)
{
    struct saved_sql *f = ctx;
    if (!f->sql && strcasecmp(f->name, name) == 0)
        f->sql = sl_strdup(sql);
}

sl_status exec_saved_sql(struct sluice *s, enum db_catalog_kind kind, const char *name,
                         char **sql, struct sl_error *err)
{
    struct saved_sql saved = {.name = name};
    sl_status st = s->db ? db_catalog_list(s->db, kind, find_saved, &saved, err) : SL_OK;
    *sql = saved.sql;
    return st;
}

sl_status exec_start_query(struct exec_ctx *x, const struct ast_select *sel, const char *name,
                           const char *sql, struct sl_arena *plan_arena, struct sl_plan *plan,
                           int64_t trigger_us, bool restart, struct sl_live *live)
{
    struct sl_query *q;
    struct sl_error err;
    sl_error_clear(&err);
    if (plan->stream->source.connector->reads_stdin && x->s->opts.stdin_is_input) {
        sl_free(live);
        arena_destroy(plan_arena);
        diags_add(x->diags, sel->from.pos, sel->from.span,
                  "run a query over stdin with `sluice run --db FILE script.sql < input`",
                  "stdin is this shell's input: stream \"%s\" cannot read it",
                  plan->stream->name);
        return SL_ERROR;
    }
    /* stdin cannot be read twice: by two queries reading it directly, or by two streams. A
     * stream WITH (log = true) reads it once, for all its queries. */
    for (uint32_t i = 0; plan->stream->source.connector->reads_stdin && i < x->s->nqueries; i++) {
        const struct sl_query *other = x->s->queries[i];
        bool shared_log = other->plan->stream == plan->stream && plan->stream->log;
        if (other->status == SL_QUERY_RUNNING && !shared_log &&
            other->plan->stream->source.connector->reads_stdin) {
            sl_free(live);
            arena_destroy(plan_arena);
            diags_add(x->diags, sel->from.pos, sel->from.span,
                      "a query reads stdin itself unless its stream has a log: declare the "
                      "stream WITH (log = true) for several queries, or give the others a FILE "
                      "or SOCKET stream",
                      "stdin is already read by query %s", other->name);
            return SL_ERROR;
        }
    }
    db_forget_failure(x->s->db); /* start_error asks whether query_create's write failed */
    if (query_create(name, sql, live != NULL, plan_arena, plan, trigger_us, restart,
                     &x->s->env, &q, &err) != SL_OK) {
        bool saved = restart && !live; /* a live SELECT is not saved */
        sl_free(live);
        return start_error(x, sel, &err, saved);
    }
    if (engine_add_query(x->s, q, live) != SL_OK) {
        query_destroy(q);
        sl_free(live);
        return SL_NOMEM;
    }
    return SL_OK;
}

/* A join of two streams' right input: its checkpoint row and log reader (query_side.h). */
static sl_status forget_right_input(struct sl_db *db, const char *name, struct sl_error *err)
{
    char side[512];
    query_side_name(name, side, sizeof side);
    sl_status st = db_checkpoint_delete(db, side, err);
    return st == SL_OK ? db_log_reader_delete(db, side, err) : st;
}

sl_status exec_forget_query(struct sl_db *db, const char *name, bool drop_table,
                            const char *late_table, struct sl_error *err)
{
    sl_status st = db_begin(db, err);
    if (st != SL_OK)
        return st;
    if ((drop_table && (st = result_table_drop(db, name, err)) != SL_OK) ||
        (late_table && (st = result_table_drop(db, late_table, err)) != SL_OK) ||
        (st = db_checkpoint_delete(db, name, err)) != SL_OK ||
        (st = db_state_delete(db, name, err)) != SL_OK ||
        (st = db_log_reader_delete(db, name, err)) != SL_OK ||
        (st = forget_right_input(db, name, err)) != SL_OK ||
        (st = db_catalog_delete(db, DB_CATALOG_QUERY, name, err)) != SL_OK ||
        (st = db_commit(db, err)) != SL_OK)
        db_rollback(db);
    return st;
}

/*
 * CREATE OR REPLACE QUERY: the query of that name, running or only saved,
 * is stopped, its result table dropped (the new definition may have other
 * columns) and its catalog entry deleted, so the CREATE that follows starts
 * afresh. Called after the new SELECT bound: a broken replacement replaces
 * nothing. A plain table of that name that no query wrote is left alone
 * (the CREATE then reports it).
 */
static sl_status replace_query(struct exec_ctx *x, const struct ast_stmt *stmt,
                               struct sl_error *err)
{
    struct sluice *s = x->s;
    const char *name = stmt->u.create_query.name.text;
    int index = engine_find_query(s, name);
    char *saved;
    if (exec_saved_sql(s, DB_CATALOG_QUERY, name, &saved, err) != SL_OK)
        return runtime_error(x, stmt, err);
    bool known = index >= 0 || saved;
    sl_free(saved);
    if (!known)
        return SL_OK;
    /* A running query with late = 'table' writes <name>_late too. */
    char late[300];
    bool drop_late = index >= 0 && s->queries[index]->late_table;
    snprintf(late, sizeof late, "%s_late", name);
    if (index >= 0)
        engine_remove_query(s, (uint32_t)index);
    if (exec_forget_query(s->db, name, true, drop_late ? late : NULL, err) != SL_OK)
        return runtime_error(x, stmt, err);
    notice(x, "query %s dropped, with its table, to be replaced", name);
    return SL_OK;
}

/* A window on a stream with a TIMESTAMP column but no WATERMARK: event time was
 * probably meant, so processing time must be asked for (time = 'processing'). */
static sl_status check_window_time(struct exec_ctx *x, const struct ast_select *sel,
                                   const struct sl_plan *plan, bool processing_time)
{
    if (!plan->window.kind || plan->time_expr || processing_time)
        return SL_OK;
    const struct sl_stream_def *stream = plan->stream;
    for (uint32_t i = 0; i < stream->ncols; i++) {
        if (stream->cols[i].type != SL_TIMESTAMP)
            continue;
        char hint[512];
        snprintf(hint, sizeof hint,
                 "declare WATERMARK FOR %s AS %s - INTERVAL '5' SECOND in CREATE STREAM %s for "
                 "event time; processing time is allowed too: CREATE QUERY ... WITH (time = "
                 "'processing')",
                 stream->cols[i].name, stream->cols[i].name, stream->name);
        diags_add(x->diags, sel->window.keyword.pos, sel->window.keyword.span, hint,
                  "stream \"%s\" has no event-time column for this WINDOW", stream->name);
        return SL_ERROR;
    }
    return SL_OK;
}

sl_status exec_apply_query_options(struct exec_ctx *x, const struct ast_create_query *cq,
                                   struct sl_plan *plan)
{
    uint32_t errors_before = x->diags->count;
    struct sl_query_options options;
    bind_query_options(cq, x->diags, &options);
    if (x->diags->count > errors_before)
        return SL_ERROR;
    if (!plan)
        return SL_OK;
    if (check_window_time(x, cq->select, plan, options.processing_time) != SL_OK)
        return SL_ERROR;
    if (options.processing_time)
        plan->time_expr = NULL;
    plan->max_batch_bytes = options.max_batch_bytes;
    plan->partitions = options.partitions;
    plan->no_checkpoint = options.no_checkpoint;
    plan->late_table = options.late_table;
    if (plan->late_table && (!plan->window.kind || !plan->time_expr)) {
        const struct ast_option *o = &cq->options[0];
        for (uint32_t i = 0; i < cq->noptions; i++)
            if (strcasecmp(cq->options[i].key.text, "late") == 0)
                o = &cq->options[i];
        diags_add(x->diags, o->key.pos, o->key.span,
                  "only an event-time WINDOW has late rows: a row is late when the watermark "
                  "has passed its window",
                  "late = 'table' needs a WINDOW on event time");
        return SL_ERROR;
    }
    return SL_OK;
}

/* How a query began: from the start of its input, or where its checkpoint left off. */
static void notice_started(const struct exec_ctx *x, const struct sl_query *q, bool restart)
{
    char groups[64] = "";
    if (plan_changelog(q->plan))
        snprintf(groups, sizeof groups, ", with %llu groups",
                 (unsigned long long)q->restored_groups);
    if (q->resumed_lossy)
        notice(x,
               "query %s resumed after batch %lld%s; %s cannot replay: what it had sent but "
               "no batch committed when the query stopped is lost (a stream declared WITH "
               "(log = true) keeps it)",
               q->name, (long long)q->batch_id, groups, source_describe(q->source));
    else if (q->resumed_at >= 0 && source_has_records(q->source))
        notice(x, "query %s resumed after record %lld of %s%s", q->name,
               (long long)q->resumed_at, source_describe(q->source), groups);
    else if (q->resumed_at >= 0)
        notice(x, "query %s resumed at byte %lld of its input%s", q->name,
               (long long)q->resumed_at, groups);
    else
        notice(x, restart ? "query %s restarted from the beginning of its input"
                          : "query %s started", q->name);
}

/*
 * A saved query's new definition (the text differs): allowed when it changes
 * no state (exec_changed.c), refused naming what differs otherwise. The saved
 * text is bound again over the streams as they are now.
 */
static sl_status check_change(struct exec_ctx *x, const struct ast_stmt *stmt,
                              const struct sl_plan *plan, const char *saved_sql)
{
    const struct ast_create_query *cq = &stmt->u.create_query;
    char file[300];
    snprintf(file, sizeof file, "<saved query %s>", cq->name.text);
    struct sl_diags saved_diags;
    diags_init(&saved_diags, file, saved_sql, strlen(saved_sql));
    struct sl_parse_result parsed = {0};
    struct sl_arena *arena = arena_create(0);
    struct sl_plan *saved = NULL;
    if (arena && parse_sql(saved_sql, strlen(saved_sql), &saved_diags, &parsed) == SL_OK &&
        parsed.count == 1 && parsed.stmts[0]->kind == AST_CREATE_QUERY) {
        const struct ast_create_query *scq = &parsed.stmts[0]->u.create_query;
        struct exec_ctx sx = *x;
        sx.diags = &saved_diags;
        if (bind_select(scq->select, &x->s->catalog, arena, &saved_diags, &saved) != SL_OK ||
            exec_apply_query_options(&sx, scq, saved) != SL_OK)
            saved = NULL;
    }
    struct sl_buf why;
    buf_init(&why);
    if (!saved)
        buf_puts(&why, "the saved definition does not bind over the streams declared now");
    sl_status st = SL_OK;
    if (!saved || !exec_change_keeps_state(saved, plan, &why)) {
        diags_add(x->diags, cq->name.pos, cq->name.span,
                  "CREATE OR REPLACE QUERY starts it over (its table, state and checkpoint are "
                  "dropped); or choose another name",
                  "query \"%s\" already exists with a different definition: %s", cq->name.text,
                  why.failed ? "out of memory" : buf_str(&why));
        st = SL_ERROR;
    }
    buf_free(&why);
    parse_free(&parsed);
    diags_free(&saved_diags);
    arena_destroy(arena);
    return st;
}

sl_status exec_check_table_name(struct exec_ctx *x, const struct ast_name *name)
{
    bool sluices = strncasecmp(name->text, "_sluice_", 8) == 0;
    if (!sluices && !db_name_is_sqlites(name->text))
        return SL_OK;
    bool system = false;
    for (size_t i = 0; db_system_table(i); i++)
        system = system || strcasecmp(db_system_table(i), name->text) == 0;
    diags_add(x->diags, name->pos, name->span,
              "a query writes the table of its name, and names that begin with _sluice_ or "
              "sqlite_ are kept for the tables Sluice and SQLite keep themselves: choose "
              "another name",
              system    ? "\"%s\" is one of Sluice's system tables"
              : sluices ? "\"%s\" is a name kept for Sluice's system tables"
                        : "\"%s\" is a name kept for SQLite's own tables",
              name->text);
    return SL_ERROR;
}

/* WITH (late = 'table') writes <name>_late: a new query must not take over
 * a table (another query's results), query or stream of that name. Checked
 * before anything is created, so a refusal leaves no table behind. */
static bool late_table_taken(struct exec_ctx *x, const struct ast_create_query *cq,
                             const char *name)
{
    char late[300];
    snprintf(late, sizeof late, "%s_late", name);
    struct sluice *s = x->s;
    const char *what = engine_find_query(s, late) >= 0         ? "query"
                       : catalog_find_stream(&s->catalog, late) ? "stream"
                       : db_table_exists(s->db, late)           ? "table"
                                                                : NULL;
    if (!what)
        return false;
    const struct ast_name *at = &cq->name;
    for (uint32_t i = 0; i < cq->noptions; i++)
        if (strcasecmp(cq->options[i].key.text, "late") == 0)
            at = &cq->options[i].key;
    char hint[400];
    snprintf(hint, sizeof hint, "choose another name for the query, or %s \"%s\" first",
             what[0] == 'q' ? "DROP QUERY" : what[0] == 's' ? "DROP STREAM" : "DROP TABLE", late);
    diags_add(x->diags, at->pos, at->span, hint,
              "query \"%s\" would write its late rows to the table \"%s\", and a %s named \"%s\" "
              "already exists",
              name, late, what, late);
    return true;
}

/* The plan's arena is destroyed at `done` unless start_query took it. */
static sl_status exec_create_query(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    const struct ast_create_query *cq = &stmt->u.create_query;
    struct sluice *s = x->s;
    struct sl_arena *plan_arena = arena_create(0);
    if (!plan_arena)
        return SL_NOMEM;
    struct sl_plan *plan;
    sl_status st = bind_select(cq->select, &s->catalog, plan_arena, x->diags, &plan);
    if (exec_apply_query_options(x, cq, st == SL_OK ? plan : NULL) != SL_OK)
        st = SL_ERROR;
    if (exec_check_table_name(x, &cq->name) != SL_OK)
        st = SL_ERROR;
    if (st == SL_OK)
        st = exec_check_source(x, cq->select, plan);
    const struct ast_name *order = cq->select->order_kw.text ? &cq->select->order_kw
                                                             : &cq->select->limit_kw;
    if (order->text) {
        diags_add(x->diags, order->pos, order->span,
                  "a continuous query's table has no order: use ORDER BY and LIMIT when you read "
                  "it (SELECT ... FROM name ORDER BY ...), or in a live SELECT",
                  "%s is not allowed in CREATE QUERY", cq->select->order_kw.text ? "ORDER BY" : "LIMIT");
        st = SL_ERROR;
    }
    const char *name = cq->name.text;
    struct sl_error err;
    if (st != SL_OK || x->check_only || !s->db ||
        (cq->if_not_exists && engine_find_query(s, name) >= 0))
        goto done;
    const char *sink = cq->or_replace ? exec_sink_reading(s, name, plan) : NULL;
    if (sink) {
        char hint[300];
        snprintf(hint, sizeof hint, "DROP SINK %s first, then create it again after the query",
                 sink);
        diags_add(x->diags, cq->name.pos, cq->name.span, hint,
                  "sink %s sends query %s's rows, and the new query's columns differ", sink,
                  name);
        st = SL_ERROR;
        goto done;
    }
    if (cq->or_replace && (st = replace_query(x, stmt, &err)) != SL_OK)
        goto done;
    int running = engine_find_query(s, name);
    if (running >= 0 && s->queries[running]->sql &&
        strcmp(s->queries[running]->sql, stmt->text) == 0) {
        notice(x, "query %s is already running", name);
        goto done;
    }
    if (running >= 0 || catalog_find_stream(&s->catalog, name)) {
        bool query = running >= 0;
        diags_add(x->diags, cq->name.pos, cq->name.span,
                  query ? "CREATE OR REPLACE QUERY replaces it; or choose another name"
                        : "choose another name",
                  "%s \"%s\" already exists", query ? "query" : "stream", name);
        st = SL_ERROR;
        goto done;
    }
    char *saved;
    if (exec_saved_sql(s, DB_CATALOG_QUERY, name, &saved, &err) != SL_OK) {
        st = runtime_error(x, stmt, &err);
        goto done;
    }
    bool restart = saved != NULL;
    bool changed = restart && strcmp(saved, stmt->text) != 0;
    bool paused = false;
    if (restart)
        st = exec_paused_start(x, &cq->name, changed, &paused);
    if (st == SL_OK && changed && !paused)
        st = check_change(x, stmt, plan, saved);
    sl_free(saved);
    if (st != SL_OK || paused)
        goto done;
    if (!restart && db_table_exists(s->db, name)) {
        diags_add(x->diags, cq->name.pos, cq->name.span,
                  "a query writes to the table of its name: choose another name, or drop the table (sqlite3: DROP TABLE)",
                  "a table named \"%s\" already exists", name);
        st = SL_ERROR;
        goto done;
    }
    if (!restart && plan->late_table && late_table_taken(x, cq, name)) {
        st = SL_ERROR;
        goto done;
    }
    /* A changed definition is saved once it started from the old one's checkpoint. */
    if (!changed && db_catalog_put(s->db, DB_CATALOG_QUERY, name, stmt->text, &err) != SL_OK) {
        st = runtime_error(x, stmt, &err);
        goto done;
    }
    int64_t trigger = cq->trigger_us > 0 ? cq->trigger_us : s->opts.default_trigger_us;
    st = exec_start_query(x, cq->select, name, stmt->text, plan_arena, plan, trigger, restart,
                          NULL);
    plan_arena = NULL;
    if (st != SL_OK && !restart)
        db_catalog_delete(s->db, DB_CATALOG_QUERY, name, &err);
    if (st == SL_OK && changed &&
        db_catalog_put(s->db, DB_CATALOG_QUERY, name, stmt->text, &err) != SL_OK)
        return runtime_error(x, stmt, &err);
    if (st == SL_OK && changed)
        notice(x, "query %s has a new definition that changes no state (the same stream, GROUP BY "
                  "keys, aggregates, WINDOW and columns): it goes on from its checkpoint",
               name);
    int index = st == SL_OK ? engine_find_query(s, name) : -1;
    if (index >= 0)
        notice_started(x, s->queries[index], restart);
done:
    arena_destroy(plan_arena);
    return st;
}

sl_status exec_start_live(struct exec_ctx *x, const struct ast_select *sel, struct sl_live *live,
                          struct sl_query **query)
{
    struct sluice *s = x->s;
    struct sl_arena *plan_arena = arena_create(0);
    if (!plan_arena) {
        sl_free(live);
        return SL_NOMEM;
    }
    struct sl_plan *plan;
    sl_status st = bind_select(sel, &s->catalog, plan_arena, x->diags, &plan);
    if (st == SL_OK)
        st = check_window_time(x, sel, plan, false);
    if (st == SL_OK)
        st = exec_check_source(x, sel, plan);
    if (st != SL_OK || x->check_only || !s->db) {
        arena_destroy(plan_arena);
        sl_free(live);
        return st;
    }
    char name[64];
    db_live_table_name(name, sizeof name, ++s->live_seq, sl_clock_now_us() % 1000000000);
    st = exec_start_query(x, sel, name, NULL, plan_arena, plan, s->opts.default_trigger_us, true,
                          live);
    int index = st == SL_OK && query ? engine_find_query(s, name) : -1;
    if (index >= 0)
        *query = s->queries[index];
    return st;
}

static sl_status exec_select(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    struct sl_live *live = sl_calloc(1, sizeof *live);
    if (!live)
        return SL_NOMEM;
    if (x->out)
        live->out = *x->out;
    return exec_start_live(x, stmt->u.select, live, NULL);
}

sl_status exec_stmt(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    if (exec_refused_readonly(x, stmt))
        return SL_ERROR;
    uint32_t errors_before = x->diags->count;
    switch (stmt->kind) {
    case AST_CREATE_STREAM: return exec_create_stream(x, stmt);
    case AST_CREATE_QUERY:
        return exec_note_start(x, stmt, errors_before, exec_create_query(x, stmt));
    case AST_DROP_STREAM:
    case AST_DROP_QUERY: return exec_drop(x, stmt);
    case AST_SELECT: return exec_select(x, stmt);
    case AST_SHOW: return exec_show(x, stmt);
    case AST_DESCRIBE: return exec_describe(x, stmt);
    case AST_EXPLAIN: return exec_explain(x, stmt);
    case AST_SET: return exec_set(x, stmt);
    case AST_CREATE_SINK: return exec_create_sink(x, stmt);
    case AST_DROP_SINK: return exec_drop_sink(x, stmt);
    case AST_DESCRIBE_SINK: return exec_describe_sink(x, stmt);
    case AST_CREATE_STREAM_AS:
        return exec_note_start(x, stmt, errors_before, exec_create_stream_as(x, stmt));
    case AST_PAUSE_QUERY: return exec_pause_query(x, stmt);
    case AST_RESUME_QUERY: return exec_resume_query(x, stmt);
    case AST_PRINT: return exec_print(x, stmt);
    case AST_ATTACH:
    case AST_DETACH: return exec_attach(x, stmt);
    }
    return SL_ERROR;
}
