/*
 * exec_stream_as.c — CREATE STREAM name AS SELECT: a stream whose rows are
 * what a query of the same name writes to the stream's log, in the same
 * transaction as each of its batches, so a chain of streams (clean ->
 * aggregate -> alert) is exactly-once end to end and resumes as one. The
 * stream is saved (_sluice_streams) so later statements and runs know its
 * columns, and its query is saved (_sluice_queries) so it resumes with the
 * others (sluice_resume runs its text again, which lands here).
 */
#include "engine/exec/exec.h"

#include "common/alloc.h"
#include "engine/plan/binder.h"

#include <stdio.h>
#include <string.h>

static void notice(const struct exec_ctx *x, const char *text)
{
    if (x->out && x->out->notice)
        x->out->notice(x->out->ctx, text);
}

/* The stream as the catalog knows it: def added (taken over), or the same one
 * already there; NULL after an error (a different definition, a name taken). */
static struct sl_stream_def *declare(struct exec_ctx *x, const struct ast_create_query *cq,
                                     struct sl_stream_def *def, struct sl_error *err)
{
    struct sluice *s = x->s;
    struct sl_stream_def *existing = catalog_find_stream(&s->catalog, def->name);
    if (existing) {
        bool same = strcmp(existing->sql, def->sql) == 0;
        stream_def_free(def);
        if (same)
            return existing;
        char hint[256];
        snprintf(hint, sizeof hint, "DROP STREAM %s first, or choose another name",
                 cq->name.text);
        diags_add(x->diags, cq->name.pos, cq->name.span, hint,
                  "stream \"%s\" already exists with a different definition", cq->name.text);
        return NULL;
    }
    char *saved;
    if (exec_saved_sql(s, DB_CATALOG_QUERY, def->name, &saved, err) != SL_OK) {
        stream_def_free(def);
        diags_add(x->diags, cq->name.pos, cq->name.span, NULL, "%s", err->msg);
        return NULL;
    }
    bool taken = engine_find_query(s, def->name) >= 0 || saved;
    sl_free(saved);
    if (taken) {
        diags_add(x->diags, cq->name.pos, cq->name.span,
                  "a stream's query has the stream's name: choose another name",
                  "query \"%s\" already exists", cq->name.text);
        stream_def_free(def);
        return NULL;
    }
    if (!x->check_only && s->db &&
        db_catalog_put(s->db, DB_CATALOG_STREAM, def->name, def->sql, err) != SL_OK) {
        diags_add(x->diags, cq->name.pos, cq->name.span, NULL, "%s", err->msg);
        stream_def_free(def);
        return NULL;
    }
    if (catalog_add_stream(&s->catalog, def) != SL_OK) {
        stream_def_free(def);
        return NULL;
    }
    return def;
}

sl_status exec_create_stream_as(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    const struct ast_create_query *cq = &stmt->u.create_query;
    struct sluice *s = x->s;
    struct sl_arena *plan_arena = arena_create(0);
    if (!plan_arena)
        return SL_NOMEM;
    struct sl_plan *plan = NULL;
    struct sl_stream_def *def = NULL;
    sl_status st = bind_stream_as(stmt, &s->catalog, plan_arena, x->diags, &plan, &def);
    if (exec_apply_query_options(x, cq, st == SL_OK ? plan : NULL) != SL_OK ||
        exec_check_table_name(x, &cq->name) != SL_OK)
        st = SL_ERROR;
    if (st == SL_OK)
        st = exec_check_source(x, cq->select, plan);
    const char *name = cq->name.text;
    struct sl_error err;
    if (st != SL_OK) {
        stream_def_free(def);
        goto done;
    }
    /* Known after this statement, as `sluice check` knows a declared stream. */
    const struct sl_stream_def *stream = declare(x, cq, def, &err);
    if (!stream) {
        st = SL_ERROR;
        goto done;
    }
    if (x->check_only || !s->db)
        goto done;
    if (engine_find_query(s, name) >= 0) {
        if (!cq->if_not_exists) {
            char line[320];
            snprintf(line, sizeof line, "stream %s's query is already running", name);
            notice(x, line);
        }
        goto done;
    }
    char *saved;
    if (exec_saved_sql(s, DB_CATALOG_QUERY, name, &saved, &err) != SL_OK) {
        diags_add(x->diags, stmt->pos, 1, NULL, "%s", err.msg);
        st = SL_ERROR;
        goto done;
    }
    bool restart = saved != NULL;
    sl_free(saved);
    bool paused = false;
    if (restart && (st = exec_paused_start(x, &cq->name, false, &paused)) != SL_OK)
        goto done;
    if (paused)
        goto done;
    if (!restart && db_catalog_put(s->db, DB_CATALOG_QUERY, name, stmt->text, &err) != SL_OK) {
        diags_add(x->diags, stmt->pos, 1, NULL, "%s", err.msg);
        st = SL_ERROR;
        goto done;
    }
    plan->into_stream = stream;
    int64_t trigger = cq->trigger_us > 0 ? cq->trigger_us : s->opts.default_trigger_us;
    st = exec_start_query(x, cq->select, name, stmt->text, plan_arena, plan, trigger, restart,
                          NULL);
    plan_arena = NULL;
    if (st != SL_OK && !restart)
        db_catalog_delete(s->db, DB_CATALOG_QUERY, name, &err);
    if (st == SL_OK) {
        char line[320];
        snprintf(line, sizeof line, "stream %s %s: query %s writes its rows", name,
                 restart ? "resumed" : "created", name);
        notice(x, line);
    }
done:
    arena_destroy(plan_arena);
    return st;
}
