/*
 * exec_sink.c — CREATE SINK, DROP SINK, DESCRIBE SINK and SHOW SINKS, and
 * the engine's sinks: a sink runs (engine/runtime/sink_runner.h) while the
 * query it reads runs or its outbox holds rows, and it is attached to that
 * query whenever the query starts — a saved sink is started from its saved
 * text when its query starts, before the query's first batch, so no batch
 * of the query passes it by.
 */
#include "engine/exec/exec.h"

#include "common/alloc.h"
#include "common/time.h"
#include "engine/plan/binder.h"
#include "engine/runtime/sink_runner.h"
#include "parser/parser.h"
#include "storage/outbox.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int find_sink(const struct sluice *s, const char *name)
{
    for (uint32_t i = 0; i < s->nsinks; i++)
        if (strcasecmp(sink_runner_def(s->sinks[i])->name, name) == 0)
            return (int)i;
    return -1;
}

static sl_status add_sink(struct sluice *s, struct sl_sink_runner *r)
{
    if (s->nsinks == s->sinks_cap) {
        uint32_t cap = s->sinks_cap ? s->sinks_cap * 2 : 4;
        struct sl_sink_runner **items = sl_realloc(s->sinks, cap * sizeof *items);
        if (!items)
            return SL_NOMEM;
        s->sinks = items;
        s->sinks_cap = cap;
    }
    s->sinks[s->nsinks++] = r;
    return SL_OK;
}

/* Starts def's sink for q's rows and attaches it (def is taken over). */
static sl_status start_sink(struct sluice *s, struct sl_sink_def *def, struct sl_query *q,
                            struct sl_error *err)
{
    struct sl_sink_runner *r;
    sl_status st = sink_runner_start(def, q->plan, db_path(s->db), &s->log, &r, err);
    if (st != SL_OK)
        return st;
    if (add_sink(s, r) != SL_OK || query_sinks_attach(&q->sinks, r) != SL_OK) {
        if (find_sink(s, sink_runner_def(r)->name) >= 0)
            s->nsinks--;
        sink_runner_stop(r);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    return SL_OK;
}

struct saved_sinks {
    char **sqls;
    uint32_t n, cap;
};

static void collect_sink(void *ctx, const char *name, const char *sql)
{
    (void)name;
    struct saved_sinks *ss = ctx;
    if (ss->n == ss->cap) {
        uint32_t cap = ss->cap ? ss->cap * 2 : 4;
        char **sqls = sl_realloc(ss->sqls, cap * sizeof *sqls);
        if (!sqls)
            return;
        ss->sqls = sqls;
        ss->cap = cap;
    }
    if ((ss->sqls[ss->n] = sl_strdup(sql)))
        ss->n++;
}

/* A saved CREATE SINK bound again; NULL (logged) when it no longer binds. */
static struct sl_sink_def *bind_saved(struct sluice *s, const char *sql)
{
    struct sl_diags d;
    diags_init(&d, "<saved sink>", sql, strlen(sql));
    struct sl_parse_result parsed = {0};
    struct sl_sink_def *def = NULL;
    if (parse_sql(sql, strlen(sql), &d, &parsed) == SL_OK && parsed.count == 1 &&
        parsed.stmts[0]->kind == AST_CREATE_SINK)
        bind_create_sink(parsed.stmts[0], &d, &def);
    if (!def) {
        struct sl_buf why;
        buf_init(&why);
        diags_render(&d, &why);
        sl_log(&s->log, SL_LOG_ERROR, "a saved sink does not start: %s", buf_str(&why));
        buf_free(&why);
    }
    parse_free(&parsed);
    diags_free(&d);
    return def;
}

void engine_attach_sinks(struct sluice *s, struct sl_query *q)
{
    for (uint32_t i = 0; i < s->nsinks; i++)
        if (strcasecmp(sink_runner_def(s->sinks[i])->from, q->name) == 0 &&
            query_sinks_attach(&q->sinks, s->sinks[i]) != SL_OK)
            sl_log(&s->log, SL_LOG_ERROR, "query %s: out of memory attaching its sinks",
                   q->name);
    struct saved_sinks ss = {0};
    struct sl_error err;
    if (s->db && db_catalog_list(s->db, DB_CATALOG_SINK, collect_sink, &ss, &err) != SL_OK)
        sl_log(&s->log, SL_LOG_ERROR, "cannot read the saved sinks: %s", err.msg);
    for (uint32_t i = 0; i < ss.n; i++) {
        struct sl_sink_def *def = bind_saved(s, ss.sqls[i]);
        if (def && strcasecmp(def->from, q->name) == 0 && find_sink(s, def->name) < 0) {
            char name[256];
            snprintf(name, sizeof name, "%s", def->name);
            if (start_sink(s, def, q, &err) != SL_OK)
                sl_log(&s->log, SL_LOG_ERROR, "sink %s does not start: %s", name, err.msg);
        } else {
            sink_def_free(def);
        }
        sl_free(ss.sqls[i]);
    }
    sl_free(ss.sqls);
}

const char *exec_sink_reading(struct sluice *s, const char *query, const struct sl_plan *plan)
{
    for (uint32_t i = 0; i < s->nsinks; i++) {
        const struct sl_sink_def *def = sink_runner_def(s->sinks[i]);
        if (strcasecmp(def->from, query) == 0 && !(plan && sink_runner_fits(s->sinks[i], plan)))
            return def->name;
    }
    return NULL;
}

void engine_wait_sinks(struct sluice *s)
{
    for (uint32_t i = 0; i < s->nsinks && !s->stop_requested; i++) {
        struct sl_sink_runner *r = s->sinks[i];
        const char *name = sink_runner_def(r)->name;
        struct sink_runner_info info;
        uint64_t left = sink_runner_drain(r, 0);
        if (left)
            sl_log(&s->log, SL_LOG_INFO, "sink %s: waiting to deliver %" PRIu64 " rows", name,
                   left);
        /* A target that is away is waited for (a stop ends the wait); one that
         * refuses what it is sent fails the run, its rows kept for the next. */
        for (sink_runner_describe(r, &info); left && !s->stop_requested && !info.failed;
             sink_runner_describe(r, &info))
            left = sink_runner_drain(r, 100 * SL_US_PER_MS);
        if (left && info.failed)
            buf_printf(&s->failures,
                       "sink %s failed: %s; %" PRIu64 " rows stay in its outbox for the next run\n",
                       name, info.last_error, left);
    }
}

void engine_stop_sinks(struct sluice *s)
{
    for (uint32_t i = 0; i < s->nsinks; i++) {
        struct sl_sink_runner *r = s->sinks[i];
        uint64_t left = sink_runner_drain(r, s->sink_drain_timeout_us);
        if (left) {
            char timeout[48];
            sl_duration_format(s->sink_drain_timeout_us, timeout);
            sl_log(&s->log, SL_LOG_WARN,
                   "sink %s: %" PRIu64 " rows were not delivered within sink_drain_timeout "
                   "(%s); they stay in its outbox and are delivered on the next run",
                   sink_runner_def(r)->name, left, timeout);
        }
        sink_runner_stop(r);
    }
    sl_free(s->sinks);
    s->sinks = NULL;
    s->nsinks = s->sinks_cap = 0;
}

/* The saved definition of name in the catalog's kind, or NULL (to free); a catalog that
 * cannot be read counts as none here: the statement's own writes report it. */
static char *saved_sql(struct sluice *s, enum db_catalog_kind kind, const char *name)
{
    char *sql;
    struct sl_error err;
    exec_saved_sql(s, kind, name, &sql, &err);
    return sql;
}

/* A sink reads a query (or a CREATE STREAM AS stream): the error when from is neither. */
static sl_status unknown_from(struct exec_ctx *x, const struct ast_create_sink *cs)
{
    const struct sluice *s = x->s;
    const char *from = cs->from.text;
    if (catalog_find_stream(&s->catalog, from)) {
        char hint[512];
        snprintf(hint, sizeof hint,
                 "a sink sends a query's rows: CREATE STREAM %s_out AS SELECT * FROM %s, then "
                 "CREATE SINK ... FROM %s_out",
                 from, from, from);
        diags_add(x->diags, cs->from.pos, cs->from.span, hint,
                  "\"%s\" is a stream read from its source, not a query", from);
        return SL_ERROR;
    }
    const char *names[64];
    size_t n = 0;
    for (uint32_t i = 0; i < s->nqueries && n < 64; i++)
        if (!s->live[i])
            names[n++] = s->queries[i]->name;
    const char *best = name_nearest(from, names, n);
    char hint[128];
    if (best)
        snprintf(hint, sizeof hint, "did you mean %s?", best);
    diags_add(x->diags, cs->from.pos, cs->from.span, best ? hint : "SHOW QUERIES lists them",
              "unknown query \"%s\"", from);
    return SL_ERROR;
}

static void notice(const struct exec_ctx *x, const char *text)
{
    if (x->out && x->out->notice)
        x->out->notice(x->out->ctx, text);
}

sl_status exec_create_sink(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    const struct ast_create_sink *cs = &stmt->u.create_sink;
    struct sluice *s = x->s;
    struct sl_sink_def *def;
    sl_status st = bind_create_sink(stmt, x->diags, &def);
    if (st != SL_OK)
        return st;
    if (x->check_only || !s->db) {
        sink_def_free(def);
        return SL_OK;
    }
    char line[512];
    int running = find_sink(s, def->name);
    char *saved = saved_sql(s, DB_CATALOG_SINK, def->name);
    const char *existing = running >= 0 ? sink_runner_def(s->sinks[running])->sql : saved;
    if (existing) {
        bool same = strcmp(existing, def->sql) == 0;
        sl_free(saved);
        sink_def_free(def);
        if (same || cs->if_not_exists)
            return SL_OK;
        snprintf(line, sizeof line, "DROP SINK %s first (what waits in its outbox is dropped), "
                 "or choose another name", cs->name.text);
        diags_add(x->diags, cs->name.pos, cs->name.span, line,
                  "sink \"%s\" already exists with a different definition", cs->name.text);
        return SL_ERROR;
    }
    const struct sl_query *found = exec_find_named_query(s, def->from);
    struct sl_query *q = (struct sl_query *)found;
    char *saved_query = q ? NULL : saved_sql(s, DB_CATALOG_QUERY, def->from);
    if (!q && !saved_query) {
        sink_def_free(def);
        return unknown_from(x, cs);
    }
    struct sl_error err;
    if (db_catalog_put(s->db, DB_CATALOG_SINK, def->name, def->sql, &err) != SL_OK) {
        sl_free(saved_query);
        sink_def_free(def);
        diags_add(x->diags, stmt->pos, 1, NULL, "%s", err.msg);
        return SL_ERROR;
    }
    if (!q) {
        sl_free(saved_query);
        snprintf(line, sizeof line, "sink %s saved: it starts when query %s runs", def->name,
                 def->from);
        sink_def_free(def);
        notice(x, line);
        return SL_OK;
    }
    snprintf(line, sizeof line, "sink %s started: %s's rows from its next batch on", def->name,
             def->from);
    char name[256];
    snprintf(name, sizeof name, "%s", def->name);
    if (start_sink(s, def, q, &err) != SL_OK) {
        struct sl_error ignored;
        db_catalog_delete(s->db, DB_CATALOG_SINK, name, &ignored);
        diags_add(x->diags, cs->name.pos, cs->name.span, NULL, "sink %s does not start: %s",
                  name, err.msg);
        return SL_ERROR;
    }
    notice(x, line);
    return SL_OK;
}

/* Forgets a sink's outbox and connector state (its last batch id stays, so a sink
 * made again with the name never reuses an id), and its definition. */
static sl_status forget_sink(struct sl_db *db, const char *name, struct sl_error *err)
{
    sl_status st = db_begin(db, err);
    if (st != SL_OK)
        return st;
    if ((st = db_outbox_delete(db, name, err)) != SL_OK ||
        (st = db_catalog_delete(db, DB_CATALOG_SINK, name, err)) != SL_OK ||
        (st = db_commit(db, err)) != SL_OK)
        db_rollback(db);
    return st;
}

sl_status exec_drop_sink(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    struct sluice *s = x->s;
    const struct ast_name *name = &stmt->u.named.name;
    int running = find_sink(s, name->text);
    char *saved = saved_sql(s, DB_CATALOG_SINK, name->text);
    bool known = running >= 0 || saved;
    sl_free(saved);
    if (!known) {
        if (stmt->u.named.if_exists)
            return SL_OK;
        diags_add(x->diags, name->pos, name->span, "SHOW SINKS lists them", "unknown sink \"%s\"",
                  name->text);
        return SL_ERROR;
    }
    if (x->check_only)
        return SL_OK;
    uint64_t waiting = 0;
    if (running >= 0) {
        struct sl_sink_runner *r = s->sinks[running];
        for (uint32_t i = 0; i < s->nqueries; i++)
            query_sinks_detach(&s->queries[i]->sinks, r);
        struct sink_runner_info info;
        sink_runner_describe(r, &info);
        waiting = info.waiting_rows;
        sink_runner_stop(r);
        s->sinks[running] = s->sinks[--s->nsinks];
    }
    struct sl_error err;
    if (forget_sink(s->db, name->text, &err) != SL_OK) {
        diags_add(x->diags, stmt->pos, 1, NULL, "%s", err.msg);
        return SL_ERROR;
    }
    char line[320];
    snprintf(line, sizeof line, "sink %s dropped%s", name->text,
             waiting ? " with rows its outbox still held" : "");
    notice(x, line);
    return SL_OK;
}

/* INTO NAME 'address' TABLE 'x' FORMAT f KEY (...) WITH (...), as CREATE SINK says it. */
static void target_text(const struct sl_sink_def *def, struct sl_buf *out)
{
    const struct sl_sink_connector *c = def->connector;
    buf_puts(out, c->name);
    if (def->address) {
        buf_puts(out, " '");
        connector_address_redacted(def->address_written ? def->address_written : def->address,
                                   out);
        buf_putc(out, '\'');
    }
    if (def->target)
        buf_printf(out, " %s '%s'", c->target_word, def->target);
    if (def->format)
        buf_printf(out, " FORMAT %s", sink_format_name(def->format));
    for (uint32_t i = 0; i < def->nkey; i++)
        buf_printf(out, "%s%s", i ? ", " : " KEY (", def->key[i]);
    if (def->nkey)
        buf_putc(out, ')');
    const char *sep = " WITH (";
    for (size_t i = 0; i < c->noptions; i++) {
        if (!def->options[i].set)
            continue;
        buf_printf(out, "%s%s = ", sep, c->options[i].name);
        connector_option_sql(&c->options[i], &def->options[i], out);
        sep = ", ";
    }
    if (*sep == ',')
        buf_putc(out, ')');
}

static const char *const sink_header[] = {"name",      "query",     "target",   "state",
                                          "waiting_rows", "waiting_batches", "delivered_batch",
                                          "delivered_rows", "rejected_rows", "last_error",
                                          "guarantee"};
#define SINK_COLUMNS 11

/* A running sink's SHOW SINKS values (the guarantee as a word, or DESCRIBE's sentence). */
struct sink_text {
    struct sink_runner_info info;
    char state[sizeof ((struct sink_runner_info *)0)->state + 160];
    struct sl_buf target;
    char n[5][24];
    const char *values[SINK_COLUMNS];
};

static void sink_text_fill(struct sink_text *t, struct sl_sink_runner *r, bool sentence)
{
    const struct sl_sink_def *def = sink_runner_def(r);
    sink_runner_describe(r, &t->info);
    buf_init(&t->target);
    target_text(def, &t->target);
    snprintf(t->n[0], sizeof t->n[0], "%" PRIu64, t->info.waiting_rows);
    snprintf(t->n[1], sizeof t->n[1], "%" PRIu64, t->info.waiting_batches);
    snprintf(t->n[2], sizeof t->n[2], "%" PRId64, t->info.delivered_batch);
    snprintf(t->n[3], sizeof t->n[3], "%" PRIu64, t->info.delivered_rows);
    snprintf(t->n[4], sizeof t->n[4], "%" PRIu64, t->info.rejected_rows);
    const char *guarantee = sentence                            ? def->connector->guarantee
                            : def->connector->exactly_once ? "exactly-once"
                                                           : "at-least-once";
    /* The query's wait is the sink's doing: shown where the sink is. */
    snprintf(t->state, sizeof t->state, "%s%s%s%s", t->info.state,
             t->info.waiting_rows >= (uint64_t)def->max_outbox_rows ? "; the outbox is full: "
                                                                     : "",
             t->info.waiting_rows >= (uint64_t)def->max_outbox_rows ? def->from : "",
             t->info.waiting_rows >= (uint64_t)def->max_outbox_rows ? "'s batches wait" : "");
    const char *values[SINK_COLUMNS] = {
        def->name, def->from, buf_str(&t->target), t->state, t->n[0], t->n[1],
        t->info.delivered_batch ? t->n[2] : NULL, t->n[3], t->n[4],
        t->info.last_error[0] ? t->info.last_error : NULL, guarantee};
    memcpy(t->values, values, sizeof values);
}

void exec_show_sinks(const struct exec_ctx *x)
{
    exec_answer_row(x, true, SINK_COLUMNS, sink_header);
    for (uint32_t i = 0; i < x->s->nsinks; i++) {
        struct sink_text t;
        sink_text_fill(&t, x->s->sinks[i], false);
        exec_answer_row(x, false, SINK_COLUMNS, t.values);
        buf_free(&t.target);
    }
    /* Saved sinks whose query does not run here: their definition only. */
    struct saved_sinks ss = {0};
    struct sl_error err;
    if (x->s->db)
        db_catalog_list(x->s->db, DB_CATALOG_SINK, collect_sink, &ss, &err);
    for (uint32_t i = 0; i < ss.n; i++) {
        struct sl_sink_def *def = bind_saved(x->s, ss.sqls[i]);
        if (def && find_sink(x->s, def->name) < 0) {
            struct sl_buf target;
            buf_init(&target);
            target_text(def, &target);
            const char *row[SINK_COLUMNS] = {def->name, def->from, buf_str(&target),
                                             "stopped: its query is not running"};
            exec_answer_row(x, false, SINK_COLUMNS, row);
            buf_free(&target);
        }
        sink_def_free(def);
        sl_free(ss.sqls[i]);
    }
    sl_free(ss.sqls);
    exec_answer_end(x);
}

sl_status exec_describe_sink(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    const struct ast_name *name = &stmt->u.named.name;
    if (x->check_only)
        return SL_OK;
    int i = find_sink(x->s, name->text);
    if (i < 0) {
        char *saved = saved_sql(x->s, DB_CATALOG_SINK, name->text);
        diags_add(x->diags, name->pos, name->span, "SHOW SINKS lists them",
                  saved ? "sink \"%s\" is not running (its query is not)" : "unknown sink \"%s\"",
                  name->text);
        sl_free(saved);
        return SL_ERROR;
    }
    /* One row per SHOW SINKS column: a long state or error reads better down than across. */
    struct sink_text t;
    sink_text_fill(&t, x->s->sinks[i], true);
    static const char *const fields[] = {"field", "value"};
    exec_answer_row(x, true, 2, fields);
    for (int k = 0; k < SINK_COLUMNS; k++) {
        const char *row[] = {sink_header[k], t.values[k]};
        exec_answer_row(x, false, 2, row);
    }
    buf_free(&t.target);
    exec_answer_end(x);
    return SL_OK;
}
