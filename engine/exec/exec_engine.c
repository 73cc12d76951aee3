/*
 * exec_engine.c — opening the engine (its database, and the streams saved
 * there declared again) and closing it; cancelling the shell's live SELECTs.
 */
#include "engine/exec/engine.h"
#include "engine/exec/exec.h"
#include "engine/exec/sqlite_bridge.h"

#include "common/alloc.h"
#include "common/diag.h"
#include "common/log.h"
#include "common/time.h"
#include "engine/plan/binder.h"
#include "engine/runtime/ingest.h"
#include "parser/parser.h"

#include <stdio.h>
#include <string.h>

/* Streams saved by earlier runs are declared again, so the REPL knows them. */
static void load_stream(void *ctx, const char *name, const char *sql)
{
    struct sluice *s = ctx;
    struct sl_buf errors;
    buf_init(&errors);
    char file[300];
    snprintf(file, sizeof file, "<saved stream %s>", name);
    struct sl_diags diags;
    diags_init(&diags, file, sql, strlen(sql));
    struct sl_parse_result parsed;
    struct sl_stream_def *def = NULL;
    struct sl_arena *plan_arena = NULL;
    struct sl_plan *plan;
    if (parse_sql(sql, strlen(sql), &diags, &parsed) == SL_OK && parsed.count == 1) {
        const struct ast_stmt *stmt = parsed.stmts[0];
        /* A CREATE STREAM AS stream's columns are its SELECT's, over the streams before it. */
        if (stmt->kind == AST_CREATE_STREAM)
            bind_create_stream(stmt, &diags, &def);
        else if (stmt->kind == AST_CREATE_STREAM_AS && (plan_arena = arena_create(0)))
            bind_stream_as(stmt, &s->catalog, plan_arena, &diags, &plan, &def);
    }
    if (def && catalog_add_stream(&s->catalog, def) != SL_OK)
        stream_def_free(def);
    arena_destroy(plan_arena);
    if (diags.count) {
        diags_render(&diags, &errors);
        sl_log(&s->log, SL_LOG_WARN, "ignoring saved stream %s:\n%s", name, buf_str(&errors));
    }
    diags_free(&diags);
    parse_free(&parsed);
    buf_free(&errors);
}

sl_status engine_open(const struct sluice_options *opts, struct sluice **out, struct sl_error *err)
{
    struct sluice *s = sl_calloc(1, sizeof *s);
    if (!s)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    s->opts = *opts;
    if (s->opts.default_trigger_us <= 0)
        s->opts.default_trigger_us = SL_US_PER_SEC;
    s->sink_drain_timeout_us = SL_DEFAULT_SINK_DRAIN_US;
    s->memory_limit = engine_default_memory_limit();
    clock_init(&s->clock);
    s->log = (struct sl_log){opts->log ? engine_log_to_embedder : NULL, s,
                             (enum sl_log_level)opts->log_level};
    s->env.clock = &s->clock;
    s->env.log = &s->log;
    catalog_init(&s->catalog);
    buf_init(&s->failures);
    pthread_mutex_init(&s->lock, NULL);
    pthread_mutex_init(&s->select_lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    s->env.work = arena_create(4u << 20);
    if (!s->env.work) {
        sluice_close(s);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    if (opts->db_path) {
        /* Claimed before anything is written: a second owner changes nothing. */
        if ((!opts->readonly && db_owner_claim(opts->db_path, &s->log, &s->owner, err) != SL_OK) ||
            (opts->readonly ? db_open_readonly(opts->db_path, &s->log, &s->db, err)
                            : db_open(opts->db_path, &s->log, &s->db, err)) != SL_OK ||
            sqlite_functions_add(s->db, &s->clock, &s->sqlite_fns, err) != SL_OK ||
            ingests_create(opts->db_path, &s->log, &s->env.ingests, err) != SL_OK ||
            db_catalog_list(s->db, DB_CATALOG_STREAM, load_stream, s, err) != SL_OK) {
            sluice_close(s);
            return SL_ERROR;
        }
        s->env.db = s->db;
        db_set_query_cancel(s->db, engine_select_cancelled, s);
        s->catalog.describe_table = exec_describe_join_table;
        s->catalog.describe_ctx = s->db;
    }
    *out = s;
    return SL_OK;
}

int engine_select_cancelled(void *ctx)
{
    const struct sluice *s = ctx;
    return s->select_interrupted || s->stop_requested;
}

void sluice_interrupt(struct sluice *s)
{
    s->select_interrupted = 1;
}

void sluice_interrupt_live(struct sluice *s)
{
    s->live_interrupted = 1;
}

void sluice_cancel_live(struct sluice *s)
{
    /* The batch loop may hold the lock for a step: nothing prints meanwhile. */
    s->live_interrupted = 1;
    pthread_mutex_lock(&s->lock);
    for (uint32_t i = s->nqueries; i-- > 0;)
        if (s->live[i])
            engine_remove_query(s, i);
    s->live_interrupted = 0;
    pthread_cond_broadcast(&s->wake);
    pthread_mutex_unlock(&s->lock);
}

bool sluice_has_live(struct sluice *s)
{
    pthread_mutex_lock(&s->lock);
    bool any = false;
    for (uint32_t i = 0; i < s->nqueries; i++)
        any = any || (s->live[i] && s->queries[i]->status == SL_QUERY_RUNNING);
    pthread_mutex_unlock(&s->lock);
    return any;
}

void sluice_close(struct sluice *s)
{
    if (!s)
        return;
    if (s->thread_started) {
        pthread_mutex_lock(&s->lock);
        s->closing = true;
        s->stop_requested = 1;
        pthread_cond_broadcast(&s->wake);
        pthread_mutex_unlock(&s->lock);
        pthread_join(s->thread, NULL);
    }
    while (s->nqueries)
        engine_remove_query(s, s->nqueries - 1);
    engine_stop_sinks(s);
    ingests_destroy(s->env.ingests);
    sl_free(s->queries);
    sl_free(s->live);
    catalog_free(&s->catalog);
    db_close(s->db);
    db_owner_release(s->owner);
    sl_free(s->sqlite_fns);
    arena_destroy(s->env.work);
    buf_free(&s->failures);
    engine_start_failures_free(s);
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->select_lock);
    pthread_mutex_destroy(&s->lock);
    sl_free(s);
}
