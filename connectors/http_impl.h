/*
 * http_impl.h — private to the HTTP LISTEN source (source_http.c and the
 * http_*.c files it is split into): what the request handler decides from a
 * request's head (http_head.c), the queue of bodies between the server's
 * threads and the reading side (http_queue.c), the handler itself
 * (http_request.c) and the listening socket (http_listen.c).
 *
 * A body's life: the handler reserves its bytes in the queue as they
 * arrive, runs the record check on the whole body, pushes it (it gets a
 * sequence number) and waits; the reading side takes it and hands it out as
 * a record; source_committed marks every body handed out so far committed,
 * which wakes its handler to answer 200. Closing wakes every waiter to
 * answer 503: none is acknowledged without a commit.
 */
#ifndef SL_HTTP_IMPL_H
#define SL_HTTP_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/status.h"
#include "connectors/source_impl.h"

/* What the source was configured with (its options), read-only once open. */
struct http_config {
    char *path;              /* the one path that takes bodies: "/ingest" */
    char *token;             /* the bearer token senders must show; NULL: none */
    size_t max_body_bytes;   /* a larger body is refused with 413 */
    size_t max_queued_bytes; /* bodies held and not yet committed; past it, 503 */
    int64_t ack_timeout_us;  /* a body not committed by then is answered 503 */
    unsigned max_connections;
    unsigned idle_timeout_s; /* a connection silent this long is closed (whole seconds: libmicrohttpd's) */
};

/* ---- http_head.c: what a request's head alone decides ---- */

/* The headers of a request the handler looks at; NULL: absent. */
struct http_head {
    const char *url; /* the path, without the query string */
    const char *method;
    const char *content_length;
    const char *authorization;
};

enum http_head_verdict {
    HTTP_HEAD_TAKE_BODY,    /* a POST to the path, allowed: read its body */
    HTTP_HEAD_HEALTH,       /* GET or HEAD on the path: a small JSON of the source's state */
    HTTP_HEAD_NOT_FOUND,    /* 404: another path */
    HTTP_HEAD_BAD_METHOD,   /* 405: neither POST nor GET */
    HTTP_HEAD_UNAUTHORIZED, /* 401: a token is set and the request does not show it */
    HTTP_HEAD_TOO_LARGE,    /* 413: Content-Length past max_body_bytes */
    HTTP_HEAD_BAD_LENGTH,   /* 400: a Content-Length that is not a number */
};

enum http_head_verdict http_judge_head(const struct http_config *c, const struct http_head *h);

/* A Content-Length's value: digits only (no sign, no space); false otherwise.
 * A number past UINT64_MAX is read as UINT64_MAX: too large in any case. */
bool http_parse_length(const char *text, uint64_t *out);

/* Whether an Authorization header is "Bearer <token>" (the scheme in any
 * case). The token is compared in time that does not depend on where it
 * first differs, so a sender cannot find it a byte at a time. */
bool http_bearer_matches(const char *authorization, const char *token);

/* The answers' bodies, as JSON: {"rows":N,"dead_letters":M} and {"error":"..."}. */
void http_json_counts(struct sl_buf *out, uint64_t rows, uint64_t dead_letters);
void http_json_error(struct sl_buf *out, const char *reason);

/* ---- http_queue.c: bodies between the handlers and the reading side ---- */

struct http_body {
    struct http_body *next;
    uint64_t seq; /* 1, 2, ...: the order bodies were pushed in */
    char *data;
    size_t len;
};

enum http_ack { HTTP_ACK_COMMITTED, HTTP_ACK_CLOSED, HTTP_ACK_TIMEOUT };

struct http_queue {
    pthread_mutex_t mu;
    pthread_cond_t arrived; /* a body was pushed, or the queue closed */
    pthread_cond_t acked;   /* committed_seq moved, or the queue closed */
    pthread_cond_t drained; /* a request ended */
    struct http_body *head, *tail; /* pushed, not yet handed out */
    uint64_t pushed_seq, handed_seq, committed_seq;
    size_t held_bytes;   /* reserved by handlers + queued + handed out, until committed */
    size_t handed_bytes; /* of held_bytes: handed out, not yet committed */
    size_t max_held;
    unsigned requests;   /* taking a body or waiting for its commit */
    bool paused, closed;
};

sl_status http_queue_init(struct http_queue *q, size_t max_held);
/* Frees the bodies still queued; the handlers must be gone. */
void http_queue_destroy(struct http_queue *q);

/* Whether a new body of about expected bytes (its Content-Length; 0: not
 * known) may start: not paused, not closed, and room left for it. If so it
 * counts as a request until http_queue_end_request. */
bool http_queue_begin_request(struct http_queue *q, uint64_t expected);
void http_queue_end_request(struct http_queue *q);

/* Reserves n more bytes of a body being received; false (nothing reserved)
 * when they do not fit under max_held, or while paused or closed. */
bool http_queue_reserve(struct http_queue *q, size_t n);
void http_queue_release(struct http_queue *q, size_t n);

/* Queues a body whose len bytes are reserved; the queue owns data from now.
 * Returns its sequence number, or 0 when the queue is closed (data freed,
 * the reservation released). */
uint64_t http_queue_push(struct http_queue *q, char *data, size_t len);

/* Waits until body seq is committed, the queue closes, or deadline_us (monotonic). */
enum http_ack http_queue_wait(struct http_queue *q, uint64_t seq, int64_t deadline_us);

/* The reading side: up to cap bodies, waiting at most timeout_ms for the
 * first; none while paused (after the timeout). The caller owns them (http_body_free). */
size_t http_queue_take(struct http_queue *q, struct http_body **out, size_t cap, int timeout_ms);
void http_body_free(struct http_body *b);

/* Every body taken so far is committed: their handlers answer 200. */
void http_queue_committed(struct http_queue *q);
void http_queue_pause(struct http_queue *q, bool paused);

/* Wakes every waiter to answer 503 and refuses what comes later, then waits
 * up to wait_ms for the requests in flight to end. */
void http_queue_close(struct http_queue *q, int wait_ms);

/* For the health answer: bytes held and whether paused. */
void http_queue_stats(struct http_queue *q, size_t *held, bool *paused);

/* ---- http_request.c: the server's request handler ---- */

/* What the handler works with (the server's closure). check: the source's
 * record check, set before the server starts, so read without a lock. */
struct http_server {
    const struct http_config *config;
    struct http_queue *queue;
    sl_record_check_fn check;
    void *check_ctx;
    /* Requests cut off in the middle by idle_timeout: counted on the server's
     * threads, logged by the reader's (source_http.c). */
    atomic_uint_least64_t timed_out;
};

struct MHD_Daemon;
/* Starts libmicrohttpd on the listening socket fd (which it then owns). */
sl_status http_server_start(struct http_server *srv, int fd, struct MHD_Daemon **out,
                            struct sl_error *err);

/* ---- http_listen.c: the listening socket ---- */

/* Binds and listens on "host:port" ("[v6]:port"; port 0: any free one).
 * *fd is the socket; bound is the address it got ("127.0.0.1:41234"). */
sl_status http_listen(const char *address, int *fd, char *bound, size_t bound_cap,
                      struct sl_error *err);

#endif
