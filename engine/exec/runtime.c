/*
 * runtime.c — the batch loop: steps every running query in turn, each step
 * reading what its source has (waiting no longer than the nearest trigger
 * deadline allows), and prints live SELECTs after each of their batches.
 */
#include "engine/exec/engine.h"

#include "common/alloc.h"
#include "common/buf.h"
#include "common/log.h"
#include "common/time.h"
#include "engine/functions/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* A step waits at most this long, so the lock is released often enough for
 * the REPL and a stop request is seen promptly. */
#define MAX_STEP_WAIT_MS 100
/* With several queries, each waits less so none starves the others. */
#define SHARED_STEP_WAIT_MS 10

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
    /* A failed query's memory is past its last commit: it never flushes again. */
    if (q->status == SL_QUERY_RUNNING && q->in_batch &&
        query_finish_batch(q, &s->env, &err) != SL_OK)
        sl_log(SL_LOG_ERROR, "query %s: %s", q->name, err.msg);
    if (s->live[index] && s->db) {
        char *table = sl_strdup(q->table_name);
        query_destroy(q);
        if (table && result_table_drop(s->db, table, &err) != SL_OK)
            sl_log(SL_LOG_WARN, "cannot drop %s: %s", table, err.msg);
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

/* The largest rowid of a projection's table: the rows a batch appended end there. */
static void max_rowid_row(void *ctx, bool is_header, int ncols, const char *const *values)
{
    int64_t *max = ctx;
    if (!is_header && ncols == 1 && values[0])
        *max = strtoll(values[0], NULL, 10);
}

static void quoted_name(struct sl_buf *sql, const char *name)
{
    buf_putc(sql, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            buf_putc(sql, '"');
        buf_putc(sql, *p);
    }
    buf_putc(sql, '"');
}

/* ORDER BY and LIMIT of the live SELECT, over its table's columns; a
 * projection's rows keep their arrival order among equals. */
static void order_and_limit(const struct sl_plan *plan, struct sl_buf *sql)
{
    bool keyed = plan->aggregate;
    for (uint32_t i = 0; i < plan->norder; i++) {
        buf_puts(sql, i ? ", " : " ORDER BY ");
        quoted_name(sql, plan->order[i].name);
        if (plan->order[i].desc)
            buf_puts(sql, " DESC");
    }
    if (!keyed)
        buf_puts(sql, plan->norder ? ", rowid" : " ORDER BY rowid");
    if (plan->limit >= 0)
        buf_printf(sql, " LIMIT %lld", (long long)plan->limit);
}

/* Prints a live SELECT's table after a batch: the whole table for an
 * aggregation (it is updated in place), the rows appended since the last
 * batch for a projection; ordered and cut by its ORDER BY and LIMIT. */
static void print_live(struct sluice *s, struct sl_query *q, struct sl_live *live)
{
    if (!live->out.row)
        return;
    struct sl_buf sql;
    buf_init(&sql);
    struct sl_error err;
    int64_t upto = live->last_rowid;
    if (!q->plan->aggregate) {
        buf_puts(&sql, "SELECT max(rowid) FROM ");
        quoted_name(&sql, q->table_name);
        if (db_query_text(s->db, buf_str(&sql), max_rowid_row, &upto, &err) != SL_OK)
            goto fail;
        buf_clear(&sql);
    }
    buf_puts(&sql, "SELECT * FROM ");
    quoted_name(&sql, q->table_name);
    if (!q->plan->aggregate)
        buf_printf(&sql, " WHERE rowid > %lld AND rowid <= %lld", (long long)live->last_rowid,
                   (long long)upto);
    order_and_limit(q->plan, &sql);
    if (db_query_text(s->db, buf_str(&sql), live->out.row, live->out.ctx, &err) != SL_OK)
        goto fail;
    buf_free(&sql);
    live->last_rowid = upto;
    if (live->out.table_end) {
        char title[64];
        snprintf(title, sizeof title, "batch %lld", (long long)q->batch_id);
        live->out.table_end(live->out.ctx, title);
    }
    return;
fail:
    buf_free(&sql);
    sl_log(SL_LOG_ERROR, "cannot print %s: %s", q->name, err.msg);
}

static void record_failure(struct sluice *s, struct sl_query *q, const struct sl_error *err)
{
    q->status = SL_QUERY_FAILED;
    snprintf(q->error, sizeof q->error, "%s", err->msg);
    buf_printf(&s->failures, "query %s failed: %s\n", q->name, err->msg);
    sl_log(SL_LOG_ERROR, "query %s failed: %s", q->name, err->msg);
}

static uint32_t count_running(const struct sluice *s)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->nqueries; i++)
        n += s->queries[i]->status == SL_QUERY_RUNNING;
    return n;
}

uint32_t sluice_running_queries(struct sluice *s)
{
    pthread_mutex_lock(&s->lock);
    uint32_t n = count_running(s);
    pthread_mutex_unlock(&s->lock);
    return n;
}

/* One round over the running queries; the lock is held per step only. */
static void run_round(struct sluice *s)
{
    pthread_mutex_lock(&s->lock);
    uint32_t running = count_running(s);
    for (uint32_t i = 0; i < s->nqueries && !s->stop_requested; i++) {
        struct sl_query *q = s->queries[i];
        if (q->status != SL_QUERY_RUNNING)
            continue;
        int64_t wait_us = query_deadline(q) - clock_deadline_us();
        int64_t cap_ms = running > 1 ? SHARED_STEP_WAIT_MS : MAX_STEP_WAIT_MS;
        int timeout_ms = wait_us <= 0 ? 0 : (int)(wait_us / 1000 < cap_ms ? wait_us / 1000 : cap_ms);
        bool done = false;
        struct sl_error err;
        sl_error_clear(&err);
        if (query_step(q, &s->env, timeout_ms, &done, &err) != SL_OK)
            record_failure(s, q, &err);
        if (done && s->live[i])
            print_live(s, q, s->live[i]);
        /* Let a waiting REPL statement in between steps. */
        pthread_mutex_unlock(&s->lock);
        pthread_mutex_lock(&s->lock);
    }
    pthread_mutex_unlock(&s->lock);
}

/* Ends every batch in progress (graceful stop). */
static void finish_all(struct sluice *s)
{
    pthread_mutex_lock(&s->lock);
    for (uint32_t i = 0; i < s->nqueries; i++) {
        struct sl_query *q = s->queries[i];
        struct sl_error err;
        if (q->status == SL_QUERY_RUNNING && q->in_batch &&
            query_finish_batch(q, &s->env, &err) != SL_OK)
            record_failure(s, q, &err);
    }
    pthread_mutex_unlock(&s->lock);
}

sl_status engine_run(struct sluice *s, struct sl_buf *errors)
{
    while (!s->stop_requested && sluice_running_queries(s) > 0)
        run_round(s);
    finish_all(s);
    pthread_mutex_lock(&s->lock);
    bool failed = s->failures.len > 0;
    if (errors && failed)
        buf_append(errors, buf_str(&s->failures), s->failures.len);
    buf_clear(&s->failures);
    pthread_mutex_unlock(&s->lock);
    return failed ? SL_ERROR : SL_OK;
}

static void *background_loop(void *arg)
{
    struct sluice *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->lock);
        while (!s->closing && count_running(s) == 0)
            pthread_cond_wait(&s->wake, &s->lock);
        bool closing = s->closing;
        pthread_mutex_unlock(&s->lock);
        if (closing)
            break;
        run_round(s);
    }
    return NULL;
}

sl_status engine_start(struct sluice *s, struct sl_error *err)
{
    if (s->thread_started)
        return SL_OK;
    if (pthread_create(&s->thread, NULL, background_loop, s) != 0)
        return sl_error_set(err, SL_ERROR, "cannot start the batch thread");
    s->thread_started = true;
    return SL_OK;
}

void sluice_stop(struct sluice *s)
{
    s->stop_requested = 1;
}
