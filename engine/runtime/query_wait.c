/*
 * query_wait.c — the wait a query step is allowed (see query_wait.h).
 */
#include "engine/runtime/query_wait.h"

#include "engine/functions/clock.h"

/* A step waits at most this long, so the lock is released often enough for
 * the REPL and a stop request is seen promptly. */
#define MAX_STEP_WAIT_MS 100
/* With several queries, each waits less so none starves the others. */
#define SHARED_STEP_WAIT_MS 10

int query_step_wait_ms(const struct sl_query *q, uint32_t running)
{
    int64_t wait_us = query_deadline(q) - clock_deadline_us(q->clock);
    int64_t cap_ms = running > 1 ? SHARED_STEP_WAIT_MS : MAX_STEP_WAIT_MS;
    return wait_us <= 0 ? 0 : (int)(wait_us / 1000 < cap_ms ? wait_us / 1000 : cap_ms);
}
