/*
 * exec_lifecycle.c — PAUSE QUERY and RESUME QUERY. A paused query is
 * stopped after committing the batch in progress, so its table, operator
 * state and checkpoint stay as they were, and it reads nothing; the paused
 * flag of its catalog row (db_query_set_paused) keeps it stopped across
 * restarts, until RESUME QUERY starts it again from its saved text, which
 * goes on from its checkpoint exactly as a restart does.
 */
#include "engine/exec/exec.h"

#include "common/alloc.h"
#include "parser/parser.h"

#include <stdio.h>
#include <string.h>

/* "query <name> <what>" as a notice. */
static void notice_query(const struct exec_ctx *x, const char *name, const char *what)
{
    if (!x->out || !x->out->notice)
        return;
    char text[512];
    snprintf(text, sizeof text, "query %s %s", name, what);
    x->out->notice(x->out->ctx, text);
}

sl_status exec_query_paused(struct sluice *s, const char *name, bool *paused,
                            struct sl_error *err)
{
    *paused = false;
    return s->db ? db_query_paused(s->db, name, paused, err) : SL_OK;
}

sl_status exec_paused_start(struct exec_ctx *x, const struct ast_name *name, bool changed,
                            bool *skip)
{
    bool paused;
    struct sl_error err;
    *skip = false;
    if (exec_query_paused(x->s, name->text, &paused, &err) != SL_OK) {
        diags_add(x->diags, name->pos, name->span, NULL, "%s", err.msg);
        return SL_ERROR;
    }
    if (!paused)
        return SL_OK;
    if (changed) {
        char hint[300];
        snprintf(hint, sizeof hint,
                 "RESUME QUERY %s first, or CREATE OR REPLACE QUERY to start it over", name->text);
        diags_add(x->diags, name->pos, name->span, hint,
                  "query \"%s\" is paused: its definition cannot change while it is paused",
                  name->text);
        return SL_ERROR;
    }
    *skip = true;
    char what[300];
    snprintf(what, sizeof what, "is paused: RESUME QUERY %s goes on from its last batch",
             name->text);
    notice_query(x, name->text, what);
    return SL_OK;
}

/* The running named query of that name (not a live SELECT), or -1. */
static int find_named(const struct sluice *s, const char *name)
{
    int index = engine_find_query(s, name);
    return index >= 0 && !s->live[index] ? index : -1;
}

/* The saved text of the query, or an "unknown query" error (*sql NULL). */
static sl_status saved_text(struct exec_ctx *x, const struct ast_stmt *stmt, char **sql)
{
    const struct ast_name *name = &stmt->u.named.name;
    struct sl_error err;
    if (exec_saved_sql(x->s, DB_CATALOG_QUERY, name->text, sql, &err) != SL_OK) {
        diags_add(x->diags, name->pos, name->span, NULL, "%s", err.msg);
        return SL_ERROR;
    }
    /* `sluice check` runs no CREATE QUERY, so it cannot tell which names a script made. */
    if (*sql || find_named(x->s, name->text) >= 0 || x->check_only)
        return SL_OK;
    diags_add(x->diags, name->pos, name->span, "SHOW QUERIES lists the queries",
              "unknown query \"%s\"", name->text);
    return SL_ERROR;
}

static sl_status set_paused(struct exec_ctx *x, const struct ast_stmt *stmt, bool paused)
{
    bool found;
    struct sl_error err;
    if (db_query_set_paused(x->s->db, stmt->u.named.name.text, paused, &found, &err) == SL_OK)
        return SL_OK;
    diags_add(x->diags, stmt->u.named.name.pos, stmt->u.named.name.span, NULL, "%s", err.msg);
    return SL_ERROR;
}

sl_status exec_pause_query(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    struct sluice *s = x->s;
    const char *name = stmt->u.named.name.text;
    char *sql;
    sl_status st = saved_text(x, stmt, &sql);
    sl_free(sql);
    if (st != SL_OK || x->check_only || !s->db)
        return st;
    bool paused;
    struct sl_error err;
    if ((st = exec_query_paused(s, name, &paused, &err)) != SL_OK) {
        diags_add(x->diags, stmt->pos, 1, NULL, "%s", err.msg);
        return st;
    }
    if (paused) {
        notice_query(x, name, "is already paused");
        return SL_OK;
    }
    /* Removing it commits the batch it is in: what it read is kept, nothing more is read. */
    int index = find_named(s, name);
    if (index >= 0)
        engine_remove_query(s, (uint32_t)index);
    if ((st = set_paused(x, stmt, true)) != SL_OK)
        return st;
    char what[300];
    snprintf(what, sizeof what, "paused after batch %lld: it reads nothing until RESUME QUERY %s",
             (long long)db_progress_last_batch(s->db, name), name);
    notice_query(x, name, what);
    return SL_OK;
}

/* Runs the query's saved statement; its errors are reported at the RESUME's name. */
static sl_status start_saved(struct exec_ctx *x, const struct ast_stmt *stmt, const char *sql)
{
    const struct ast_name *name = &stmt->u.named.name;
    char file[300];
    snprintf(file, sizeof file, "<saved query %s>", name->text);
    struct sl_diags diags;
    diags_init(&diags, file, sql, strlen(sql));
    struct sl_parse_result parsed;
    struct exec_ctx sx = *x;
    sx.diags = &diags;
    sl_status st = parse_sql(sql, strlen(sql), &diags, &parsed);
    for (uint32_t i = 0; st == SL_OK && i < parsed.count; i++)
        st = exec_stmt(&sx, parsed.stmts[i]);
    if (st != SL_OK && diags.count)
        diags_add(x->diags, name->pos, name->span, diags.items[0].hint,
                  "query %s cannot resume: %s", name->text, diags.items[0].msg);
    else if (st != SL_OK)
        diags_add(x->diags, name->pos, name->span, NULL, "query %s cannot resume", name->text);
    parse_free(&parsed);
    diags_free(&diags);
    return st == SL_NOMEM ? SL_NOMEM : st == SL_OK ? SL_OK : SL_ERROR;
}

sl_status exec_resume_query(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    struct sluice *s = x->s;
    const char *name = stmt->u.named.name.text;
    char *sql;
    sl_status st = saved_text(x, stmt, &sql);
    if (st != SL_OK || x->check_only || !s->db || !sql) {
        sl_free(sql);
        return st;
    }
    bool paused;
    struct sl_error err;
    if ((st = exec_query_paused(s, name, &paused, &err)) != SL_OK) {
        sl_free(sql);
        diags_add(x->diags, stmt->pos, 1, NULL, "%s", err.msg);
        return st;
    }
    int index = find_named(s, name);
    if (index >= 0 && s->queries[index]->status == SL_QUERY_RUNNING) {
        sl_free(sql);
        notice_query(x, name, "is already running");
        return SL_OK;
    }
    /* A failed or finished one starts again from its checkpoint, as a restart would. */
    if (index >= 0)
        engine_remove_query(s, (uint32_t)index);
    if (paused && (st = set_paused(x, stmt, false)) != SL_OK) {
        sl_free(sql);
        return st;
    }
    st = start_saved(x, stmt, sql);
    sl_free(sql);
    /* One that cannot start stays paused, as it was. */
    if (st != SL_OK && paused)
        set_paused(x, stmt, true);
    return st;
}
