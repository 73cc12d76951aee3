/* workers.c — the thread team (see workers.h): a generation counter under one
 * lock starts a job on every thread, a countdown ends it. */
#include "common/workers.h"

#include <pthread.h>
#include <stdbool.h>

#include "common/alloc.h"

struct sl_workers {
    uint32_t lanes, started;
    pthread_t *threads;
    pthread_mutex_t lock;
    pthread_cond_t go, done;
    uint64_t generation;
    uint32_t running;
    sl_worker_job job;
    void *ctx;
    bool quit;
};

static void *worker_main(void *arg)
{
    struct sl_workers *w = arg;
    pthread_mutex_lock(&w->lock);
    uint32_t lane = ++w->started;
    /* The generation the team was made with: a job started before this thread
     * took the lock is still this thread's to run. */
    uint64_t seen = 0;
    for (;;) {
        while (!w->quit && w->generation == seen)
            pthread_cond_wait(&w->go, &w->lock);
        if (w->quit)
            break;
        seen = w->generation;
        sl_worker_job job = w->job;
        void *ctx = w->ctx;
        pthread_mutex_unlock(&w->lock);
        job(ctx, lane);
        pthread_mutex_lock(&w->lock);
        if (--w->running == 0)
            pthread_cond_signal(&w->done);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

struct sl_workers *workers_create(uint32_t lanes)
{
    struct sl_workers *w = sl_calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->lanes = lanes ? lanes : 1;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->go, NULL);
    pthread_cond_init(&w->done, NULL);
    w->threads = sl_calloc(w->lanes, sizeof *w->threads);
    if (!w->threads) {
        workers_destroy(w);
        return NULL;
    }
    for (uint32_t t = 0; t + 1 < w->lanes; t++) {
        if (pthread_create(&w->threads[t], NULL, worker_main, w) != 0) {
            w->lanes = t + 1; /* the threads started so far are joined */
            workers_destroy(w);
            return NULL;
        }
    }
    return w;
}

void workers_destroy(struct sl_workers *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->quit = true;
    pthread_cond_broadcast(&w->go);
    pthread_mutex_unlock(&w->lock);
    for (uint32_t t = 0; w->threads && t + 1 < w->lanes; t++)
        pthread_join(w->threads[t], NULL);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->go);
    pthread_cond_destroy(&w->done);
    sl_free(w->threads);
    sl_free(w);
}

uint32_t workers_lanes(const struct sl_workers *w)
{
    return w->lanes;
}

void workers_run(struct sl_workers *w, sl_worker_job job, void *ctx)
{
    if (w->lanes > 1) {
        pthread_mutex_lock(&w->lock);
        w->job = job;
        w->ctx = ctx;
        w->running = w->lanes - 1;
        w->generation++;
        pthread_cond_broadcast(&w->go);
        pthread_mutex_unlock(&w->lock);
    }
    job(ctx, 0);
    if (w->lanes > 1) {
        pthread_mutex_lock(&w->lock);
        while (w->running)
            pthread_cond_wait(&w->done, &w->lock);
        pthread_mutex_unlock(&w->lock);
    }
}
