/*
 * exec_start_failures.c — the saved queries that could not start in this
 * engine (their stream was dropped by hand, their input was replaced, ...),
 * or that failed and were removed (past the memory budget: exec_memory.c),
 * each with its error, so SHOW QUERIES can say FAILED and why rather than
 * leave the query out. A query that starts, or is dropped, is forgotten here.
 */
#include "engine/exec/exec.h"

#include "common/alloc.h"

#include <string.h>
#include <strings.h>

struct start_failure {
    char *name;
    char *error;
};

static int find(const struct sluice *s, const char *name)
{
    for (uint32_t i = 0; i < s->nstart_failures; i++)
        if (strcasecmp(s->start_failures[i].name, name) == 0)
            return (int)i;
    return -1;
}

void engine_start_forget(struct sluice *s, const char *name)
{
    int i = find(s, name);
    if (i < 0)
        return;
    sl_free(s->start_failures[i].name);
    sl_free(s->start_failures[i].error);
    s->start_failures[i] = s->start_failures[--s->nstart_failures];
}

const char *engine_start_failure(const struct sluice *s, const char *name)
{
    int i = find(s, name);
    return i >= 0 ? s->start_failures[i].error : NULL;
}

void engine_start_failures_free(struct sluice *s)
{
    while (s->nstart_failures)
        engine_start_forget(s, s->start_failures[0].name);
    sl_free(s->start_failures);
    s->start_failures = NULL;
}

/* Keeps error as name's (out of memory: SHOW QUERIES then says STOPPED, no worse). */
static void remember(struct sluice *s, const char *name, const char *error)
{
    engine_start_forget(s, name);
    struct start_failure *grown =
        sl_realloc(s->start_failures, (s->nstart_failures + 1) * sizeof *grown);
    if (!grown)
        return;
    s->start_failures = grown;
    struct start_failure f = {sl_strdup(name), sl_strdup(error)};
    if (!f.name || !f.error) {
        sl_free(f.name);
        sl_free(f.error);
        return;
    }
    s->start_failures[s->nstart_failures++] = f;
}

void engine_note_failure(struct sluice *s, const char *name, const char *error)
{
    remember(s, name, error);
}

sl_status exec_note_start(struct exec_ctx *x, const struct ast_stmt *stmt,
                          uint32_t errors_before, sl_status st)
{
    const char *name = stmt->u.create_query.name.text;
    if (st != SL_ERROR || x->check_only || !x->s->db || x->diags->count <= errors_before)
        return st;
    /* Only the saved text itself failing to start: another definition of the name
     * failing says nothing about the saved query. */
    char *saved;
    struct sl_error err;
    if (exec_saved_sql(x->s, DB_CATALOG_QUERY, name, &saved, &err) == SL_OK && saved &&
        strcmp(saved, stmt->text) == 0)
        remember(x->s, name, x->diags->items[errors_before].msg);
    sl_free(saved);
    return st;
}
