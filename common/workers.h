/*
 * workers.h — a fixed team of threads that run one job at a time in
 * parallel: workers_run(w, job, ctx) calls job(ctx, i) for every lane i
 * (0 .. lanes - 1) at once, lane 0 on the caller's thread, and returns when
 * all have; nothing else is shared. A query's exchange owns one team and
 * lends it to the step's parallel decoding (op_exchange.h).
 */
#ifndef SL_WORKERS_H
#define SL_WORKERS_H

#include <stdint.h>

#include "common/status.h"

struct sl_workers;

typedef void (*sl_worker_job)(void *ctx, uint32_t lane);

/* lanes >= 1 (lanes - 1 threads are started); NULL when out of memory or threads. */
struct sl_workers *workers_create(uint32_t lanes);
/* Stops and joins the threads (NULL: nothing). */
void workers_destroy(struct sl_workers *w);
uint32_t workers_lanes(const struct sl_workers *w);
/* Runs job on every lane and waits for all of them. */
void workers_run(struct sl_workers *w, sl_worker_job job, void *ctx);

#endif
