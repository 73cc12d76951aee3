/*
 * exec_registry.c — the engine's running queries (named ones and the shell's
 * live SELECTs): adding, finding and removing one.
 */
#include "engine/exec/engine.h"

#include "common/alloc.h"
#include "common/log.h"

#include <string.h>
#include <strings.h>

sl_status engine_add_query(struct sluice *s, struct sl_query *q, struct sl_live *live)
{
    if (s->nqueries == s->qcap) {
        uint32_t cap = s->qcap ? s->qcap * 2 : 8;
        struct sl_query **qs = sl_realloc(s->queries, cap * sizeof *qs);
        if (!qs)
            return SL_NOMEM;
        s->queries = qs;
        struct sl_live **ls = sl_realloc(s->live, cap * sizeof *ls);
        if (!ls)
            return SL_NOMEM;
        s->live = ls;
        s->qcap = cap;
    }
    if (!live) {
        engine_attach_sinks(s, q);
        engine_start_forget(s, q->name);
    }
    s->queries[s->nqueries] = q;
    s->live[s->nqueries] = live;
    s->nqueries++;
    pthread_cond_broadcast(&s->wake);
    return SL_OK;
}

void engine_remove_query(struct sluice *s, uint32_t index)
{
    struct sl_query *q = s->queries[index];
    struct sl_error err;
    /* A failed query's memory is past its last commit: it never flushes again.
     * A live SELECT's batch would only go to the table dropped below. */
    if (q->status == SL_QUERY_RUNNING && q->in_batch && !s->live[index] &&
        query_finish_batch(q, &s->env, &err) != SL_OK)
        sl_log(&s->log, SL_LOG_ERROR, "query %s: %s", q->name, err.msg);
    if (s->live[index] && s->db) {
        char *table = sl_strdup(q->table_name);
        query_destroy(q);
        if (table && result_table_drop(s->db, table, &err) != SL_OK)
            sl_log(&s->log, SL_LOG_WARN, "cannot drop %s: %s", table, err.msg);
        sl_free(table);
    } else {
        query_destroy(q);
    }
    sl_free(s->live[index]);
    memmove(&s->queries[index], &s->queries[index + 1], (s->nqueries - index - 1) * sizeof *s->queries);
    memmove(&s->live[index], &s->live[index + 1], (s->nqueries - index - 1) * sizeof *s->live);
    s->nqueries--;
}

int engine_find_query(const struct sluice *s, const char *name)
{
    for (uint32_t i = 0; i < s->nqueries; i++)
        if (strcasecmp(s->queries[i]->name, name) == 0)
            return (int)i;
    return -1;
}
