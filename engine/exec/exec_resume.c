/*
 * exec_resume.c — starting the queries a database holds, as `sluice run
 * --db F` without a script and the REPL do when they open it: each saved
 * CREATE QUERY runs again with its own text, so it resumes from its
 * checkpoint exactly as if the script that made it were run again.
 */
#include "engine/exec/engine.h"

#include <stdio.h>

#include "common/alloc.h"

struct saved_queries {
    char **names, **sqls;
    uint32_t n, cap;
    bool failed;
};

static void collect(void *ctx, const char *name, const char *sql)
{
    struct saved_queries *sq = ctx;
    if (sq->failed)
        return;
    if (sq->n == sq->cap) {
        uint32_t cap = sq->cap ? sq->cap * 2 : 8;
        char **names = sl_realloc(sq->names, cap * sizeof *names);
        if (names)
            sq->names = names;
        char **sqls = names ? sl_realloc(sq->sqls, cap * sizeof *sqls) : NULL;
        if (!sqls) {
            sq->failed = true;
            return;
        }
        sq->sqls = sqls;
        sq->cap = cap;
    }
    sq->names[sq->n] = sl_strdup(name);
    sq->sqls[sq->n] = sl_strdup(sql);
    sq->n++;
    sq->failed = !sq->names[sq->n - 1] || !sq->sqls[sq->n - 1];
}

sl_status engine_resume(struct sluice *s, const struct sluice_output *out, struct sl_buf *errors,
                        uint32_t *saved)
{
    *saved = 0;
    /* Read-only, a query could not write its results. */
    if (!s->db || s->opts.readonly)
        return SL_OK;
    struct saved_queries sq = {0};
    struct sl_error err;
    pthread_mutex_lock(&s->lock);
    sl_status st = db_catalog_list(s->db, DB_CATALOG_QUERY, collect, &sq, &err);
    pthread_mutex_unlock(&s->lock);
    if (st != SL_OK)
        buf_printf(errors, "%s\n", err.msg);
    else if (sq.failed)
        st = SL_NOMEM;
    bool failed = false;
    for (uint32_t i = 0; st == SL_OK && i < sq.n; i++) {
        pthread_mutex_lock(&s->lock);
        bool running = engine_find_query(s, sq.names[i]) >= 0;
        pthread_mutex_unlock(&s->lock);
        (*saved)++;
        char file[300];
        snprintf(file, sizeof file, "<saved query %s>", sq.names[i]);
        /* One query that cannot resume does not keep the others from it. */
        if (!running && engine_exec(s, file, sq.sqls[i], out, errors) != SL_OK)
            failed = true;
    }
    if (st == SL_OK && failed)
        st = SL_ERROR;
    for (uint32_t i = 0; i < sq.n; i++) {
        sl_free(sq.names[i]);
        sl_free(sq.sqls[i]);
    }
    sl_free(sq.names);
    sl_free(sq.sqls);
    return st;
}
