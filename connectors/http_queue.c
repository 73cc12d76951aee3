/*
 * http_queue.c — the bodies between the HTTP server's threads (which push
 * them and wait for their commit) and the reading side (which takes them and
 * says when what it took is committed). Sequence numbers make the commit a
 * single comparison: a body is committed once committed_seq reaches its seq.
 * Bytes are counted from the first byte received to the commit, so what the
 * queue lets in bounds the memory that bodies hold.
 */
#include "connectors/http_impl.h"

#include <time.h>

#include "common/alloc.h"
#include "common/time.h"

sl_status http_queue_init(struct http_queue *q, size_t max_held)
{
    *q = (struct http_queue){.max_held = max_held};
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0)
        return SL_NOMEM;
    /* Waits are bounded by deadlines on the monotonic clock, as sl_monotonic_us. */
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    bool ok = pthread_mutex_init(&q->mu, NULL) == 0;
    ok = ok && pthread_cond_init(&q->arrived, &attr) == 0;
    ok = ok && pthread_cond_init(&q->acked, &attr) == 0;
    ok = ok && pthread_cond_init(&q->drained, &attr) == 0;
    pthread_condattr_destroy(&attr);
    return ok ? SL_OK : SL_NOMEM;
}

void http_body_free(struct http_body *b)
{
    if (!b)
        return;
    sl_free(b->data);
    sl_free(b);
}

void http_queue_destroy(struct http_queue *q)
{
    for (struct http_body *b = q->head, *next; b; b = next) {
        next = b->next;
        http_body_free(b);
    }
    q->head = q->tail = NULL;
    pthread_cond_destroy(&q->arrived);
    pthread_cond_destroy(&q->acked);
    pthread_cond_destroy(&q->drained);
    pthread_mutex_destroy(&q->mu);
}

/* Waits on cond until deadline_us (monotonic); false once it has passed. */
static bool wait_until(pthread_cond_t *cond, pthread_mutex_t *mu, int64_t deadline_us)
{
    if (sl_monotonic_us() >= deadline_us)
        return false;
    struct timespec ts = {.tv_sec = deadline_us / SL_US_PER_SEC,
                          .tv_nsec = (long)(deadline_us % SL_US_PER_SEC) * 1000};
    pthread_cond_timedwait(cond, mu, &ts);
    return true;
}

bool http_queue_begin_request(struct http_queue *q, uint64_t expected)
{
    pthread_mutex_lock(&q->mu);
    bool ok = !q->paused && !q->closed && q->held_bytes < q->max_held &&
              expected <= q->max_held - q->held_bytes;
    if (ok)
        q->requests++;
    pthread_mutex_unlock(&q->mu);
    return ok;
}

void http_queue_end_request(struct http_queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->requests--;
    pthread_cond_broadcast(&q->drained);
    pthread_mutex_unlock(&q->mu);
}

bool http_queue_reserve(struct http_queue *q, size_t n)
{
    pthread_mutex_lock(&q->mu);
    bool ok = !q->paused && !q->closed && n <= q->max_held - q->held_bytes;
    if (ok)
        q->held_bytes += n;
    pthread_mutex_unlock(&q->mu);
    return ok;
}

void http_queue_release(struct http_queue *q, size_t n)
{
    pthread_mutex_lock(&q->mu);
    q->held_bytes -= n;
    pthread_mutex_unlock(&q->mu);
}

uint64_t http_queue_push(struct http_queue *q, char *data, size_t len)
{
    struct http_body *b = sl_calloc(1, sizeof *b);
    pthread_mutex_lock(&q->mu);
    uint64_t seq = 0;
    if (b && !q->closed) {
        b->seq = seq = ++q->pushed_seq;
        b->data = data;
        b->len = len;
        if (q->tail)
            q->tail->next = b;
        else
            q->head = b;
        q->tail = b;
        pthread_cond_signal(&q->arrived);
    } else {
        q->held_bytes -= len;
    }
    pthread_mutex_unlock(&q->mu);
    if (!seq) {
        sl_free(b);
        sl_free(data);
    }
    return seq;
}

enum http_ack http_queue_wait(struct http_queue *q, uint64_t seq, int64_t deadline_us)
{
    pthread_mutex_lock(&q->mu);
    enum http_ack ack = HTTP_ACK_TIMEOUT;
    for (;;) {
        if (q->committed_seq >= seq) {
            ack = HTTP_ACK_COMMITTED;
            break;
        }
        if (q->closed) {
            ack = HTTP_ACK_CLOSED;
            break;
        }
        if (!wait_until(&q->acked, &q->mu, deadline_us))
            break;
    }
    pthread_mutex_unlock(&q->mu);
    return ack;
}

size_t http_queue_take(struct http_queue *q, struct http_body **out, size_t cap, int timeout_ms)
{
    int64_t deadline = sl_monotonic_us() + (int64_t)timeout_ms * SL_US_PER_MS;
    size_t n = 0;
    pthread_mutex_lock(&q->mu);
    /* Paused, it still waits out the timeout: the reader calls again at once otherwise. */
    while ((!q->head || q->paused) && !q->closed && wait_until(&q->arrived, &q->mu, deadline))
        ;
    while (n < cap && q->head && !q->paused && !q->closed) {
        struct http_body *b = q->head;
        q->head = b->next;
        if (!q->head)
            q->tail = NULL;
        b->next = NULL;
        q->handed_seq = b->seq;
        q->handed_bytes += b->len;
        out[n++] = b;
    }
    pthread_mutex_unlock(&q->mu);
    return n;
}

void http_queue_committed(struct http_queue *q)
{
    pthread_mutex_lock(&q->mu);
    if (q->committed_seq != q->handed_seq) {
        q->committed_seq = q->handed_seq;
        q->held_bytes -= q->handed_bytes;
        q->handed_bytes = 0;
        pthread_cond_broadcast(&q->acked);
    }
    pthread_mutex_unlock(&q->mu);
}

void http_queue_pause(struct http_queue *q, bool paused)
{
    pthread_mutex_lock(&q->mu);
    q->paused = paused;
    pthread_mutex_unlock(&q->mu);
}

void http_queue_close(struct http_queue *q, int wait_ms)
{
    int64_t deadline = sl_monotonic_us() + (int64_t)wait_ms * SL_US_PER_MS;
    pthread_mutex_lock(&q->mu);
    q->closed = true;
    pthread_cond_broadcast(&q->acked);
    pthread_cond_broadcast(&q->arrived);
    while (q->requests && wait_until(&q->drained, &q->mu, deadline))
        ;
    pthread_mutex_unlock(&q->mu);
}

void http_queue_stats(struct http_queue *q, size_t *held, bool *paused)
{
    pthread_mutex_lock(&q->mu);
    *held = q->held_bytes;
    *paused = q->paused;
    pthread_mutex_unlock(&q->mu);
}
