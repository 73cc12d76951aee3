/*
 * exec_loop.c — the batch loop: steps every running query in turn (each step
 * waiting no longer than query_step_wait_ms allows), prints live SELECTs
 * after each of their batches, and records the queries that fail; run in
 * the foreground (sluice_run) or on a thread (sluice_start).
 */
#include "engine/exec/engine.h"

#include "common/buf.h"
#include "common/log.h"
#include "engine/runtime/query_wait.h"

#include <stdio.h>

static void record_failure(struct sluice *s, struct sl_query *q, const struct sl_error *err)
{
    q->status = SL_QUERY_FAILED;
    snprintf(q->error, sizeof q->error, "%s", err->msg);
    buf_printf(&s->failures, "query %s failed: %s\n", q->name, err->msg);
    sl_log(&s->log, SL_LOG_ERROR, "query %s failed: %s", q->name, err->msg);
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
    /* After a Ctrl-C on a live SELECT the round ends, so the shell gets the lock at once. */
    for (uint32_t i = 0; i < s->nqueries && !s->stop_requested && !s->live_interrupted; i++) {
        struct sl_query *q = s->queries[i];
        if (q->status != SL_QUERY_RUNNING)
            continue;
        int timeout_ms = query_step_wait_ms(q, running);
        q->step_cap_bytes = engine_step_cap(s);
        bool done = false;
        struct sl_error err;
        sl_error_clear(&err);
        if (query_step(q, &s->env, timeout_ms, &done, &err) != SL_OK)
            record_failure(s, q, &err);
        if (done && s->live[i])
            engine_print_live(s, q, s->live[i]);
        engine_report_progress(s, q);
        int removed = engine_enforce_memory(s);
        if (removed >= 0 && (uint32_t)removed <= i)
            i--; /* the next query moved into the removed one's place */
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
        engine_report_progress(s, q);
    }
    pthread_mutex_unlock(&s->lock);
}

sl_status engine_run(struct sluice *s, struct sl_buf *errors)
{
    while (!s->stop_requested && sluice_running_queries(s) > 0)
        run_round(s);
    finish_all(s);
    /* A bounded input's run ends once its sinks delivered what it committed. */
    engine_wait_sinks(s);
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
        /* sluice_cancel_live wakes it once the interrupted live SELECTs are gone. */
        while (!s->closing && (count_running(s) == 0 || s->live_interrupted))
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
