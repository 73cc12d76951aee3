/*
 * http_request.c — the HTTP LISTEN source's request handler, run by
 * libmicrohttpd on a thread per connection (so a handler may wait for its
 * body's commit without holding up the others). A request is refused from
 * its head when it can be (404, 405, 401, 413, and 503 while paused or
 * full, before its body is read); otherwise its body is gathered (refused
 * with 413 or 503 as soon as it is too large or the queue too full, and the
 * rest read into nothing), checked, queued, and answered once committed.
 */
#include "connectors/http_impl.h"

#include <microhttpd.h>
#include <string.h>

#include "common/alloc.h"
#include "common/time.h"

/* A request whose body is being taken (the handler's con_cls). */
struct http_request {
    char *data;
    size_t len, cap;
    size_t reserved;   /* bytes of data reserved in the queue */
    size_t discarded;  /* bytes read into nothing after a refusal */
    unsigned refusal;  /* the status to answer once the body is in; 0: none */
    const char *refusal_reason;
};

/* Answers status with body text (JSON) and, for 503, a Retry-After. */
static enum MHD_Result answer(struct MHD_Connection *conn, unsigned status, struct sl_buf *body)
{
    const char *text = buf_str(body);
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    buf_free(body);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "1");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "POST, GET, HEAD");
    if (status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result answer_error(struct MHD_Connection *conn, unsigned status,
                                    const char *reason)
{
    struct sl_buf body;
    buf_init(&body);
    http_json_error(&body, reason);
    return answer(conn, status, &body);
}

static enum MHD_Result answer_health(struct http_server *srv, struct MHD_Connection *conn)
{
    size_t held;
    bool paused;
    http_queue_stats(srv->queue, &held, &paused);
    struct sl_buf body;
    buf_init(&body);
    buf_printf(&body, "{\"status\":\"%s\",\"held_bytes\":%zu}\n",
               paused ? "paused" : "listening", held);
    return answer(conn, MHD_HTTP_OK, &body);
}

/* A request's head: answered at once, or a struct http_request to take its body into. */
static enum MHD_Result on_head(struct http_server *srv, struct MHD_Connection *conn,
                               const char *url, const char *method, void **con_cls)
{
    const struct http_config *c = srv->config;
    struct http_head head = {
        .url = url,
        .method = method,
        .content_length =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH),
        .authorization =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
    };
    switch (http_judge_head(c, &head)) {
    case HTTP_HEAD_NOT_FOUND: return answer_error(conn, MHD_HTTP_NOT_FOUND, "no such path");
    case HTTP_HEAD_BAD_METHOD:
        return answer_error(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "POST records to this path");
    case HTTP_HEAD_UNAUTHORIZED:
        return answer_error(conn, MHD_HTTP_UNAUTHORIZED, "a bearer token is required");
    case HTTP_HEAD_BAD_LENGTH:
        return answer_error(conn, MHD_HTTP_BAD_REQUEST, "Content-Length is not a number");
    case HTTP_HEAD_TOO_LARGE:
        return answer_error(conn, MHD_HTTP_CONTENT_TOO_LARGE, "the body is over max_body_bytes");
    case HTTP_HEAD_HEALTH: return answer_health(srv, conn);
    case HTTP_HEAD_TAKE_BODY: break;
    }
    uint64_t expected = 0;
    if (head.content_length)
        http_parse_length(head.content_length, &expected);
    if (!http_queue_begin_request(srv->queue, expected))
        return answer_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
                            "the stream is behind; try again later");
    struct http_request *req = sl_calloc(1, sizeof *req);
    if (!req) {
        http_queue_end_request(srv->queue);
        return MHD_NO;
    }
    *con_cls = req;
    return MHD_YES;
}

/* Stops keeping the body: it is answered with status once it is all in. */
static void refuse(struct http_server *srv, struct http_request *req, unsigned status,
                   const char *reason)
{
    req->refusal = status;
    req->refusal_reason = reason;
    http_queue_release(srv->queue, req->reserved);
    req->reserved = 0;
    sl_free(req->data);
    req->data = NULL;
    req->len = req->cap = 0;
}

/* Room for n more bytes of data: doubling, at most max_body_bytes. */
static bool grow(struct http_request *req, size_t n, size_t max)
{
    if (req->len + n <= req->cap)
        return true;
    size_t cap = req->cap ? req->cap : 64 * 1024;
    while (cap < req->len + n)
        cap *= 2;
    if (cap > max)
        cap = max;
    char *data = sl_realloc(req->data, cap);
    if (!data)
        return false;
    req->data = data;
    req->cap = cap;
    return true;
}

/* A piece of the body: kept, or read into nothing once the body is refused. */
static enum MHD_Result on_upload(struct http_server *srv, struct http_request *req,
                                 const char *data, size_t n)
{
    size_t max = srv->config->max_body_bytes;
    if (req->refusal) {
        /* A sender that goes on long after a refusal is cut off. */
        req->discarded += n;
        return req->discarded > max ? MHD_NO : MHD_YES;
    }
    if (n > max - req->len)
        refuse(srv, req, MHD_HTTP_CONTENT_TOO_LARGE, "the body is over max_body_bytes");
    else if (!http_queue_reserve(srv->queue, n))
        refuse(srv, req, MHD_HTTP_SERVICE_UNAVAILABLE, "the stream is behind; try again later");
    else if ((req->reserved += n, !grow(req, n, max)))
        refuse(srv, req, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory; try again later");
    else {
        memcpy(req->data + req->len, data, n);
        req->len += n;
    }
    return MHD_YES;
}

/* The whole body: checked, queued, and answered when committed (or not). */
static enum MHD_Result on_body(struct http_server *srv, struct MHD_Connection *conn,
                               struct http_request *req)
{
    if (req->refusal)
        return answer_error(conn, req->refusal, req->refusal_reason);
    if (!req->len)
        return answer_error(conn, MHD_HTTP_BAD_REQUEST, "the body is empty");
    struct sl_record_verdict verdict = {.rows = 1};
    if (srv->check)
        srv->check(srv->check_ctx, req->data, req->len, &verdict);
    if (!verdict.rows)
        return answer_error(conn, MHD_HTTP_BAD_REQUEST,
                            verdict.reason[0] ? verdict.reason : "no record in the body decodes");
    uint64_t seq = http_queue_push(srv->queue, req->data, req->len);
    req->data = NULL;
    req->reserved = 0; /* the queue holds the bytes until their commit */
    if (!seq)
        return answer_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "the stream is closing");
    int64_t deadline = sl_monotonic_us() + srv->config->ack_timeout_us;
    switch (http_queue_wait(srv->queue, seq, deadline)) {
    case HTTP_ACK_COMMITTED: break;
    case HTTP_ACK_CLOSED:
        return answer_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
                            "the stream closed before the body was committed; send it again");
    case HTTP_ACK_TIMEOUT:
        return answer_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
                            "the body was not committed within ack_timeout; send it again");
    }
    struct sl_buf body;
    buf_init(&body);
    http_json_counts(&body, verdict.rows, verdict.dead_letters);
    return answer(conn, MHD_HTTP_OK, &body);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    struct http_server *srv = cls;
    struct http_request *req = *con_cls;
    if (!req)
        return on_head(srv, conn, url, method, con_cls);
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        return on_upload(srv, req, upload_data, n);
    }
    return on_body(srv, conn, req);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    struct http_server *srv = cls;
    struct http_request *req = *con_cls;
    if (!req)
        return;
    *con_cls = NULL;
    if (toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED)
        atomic_fetch_add(&srv->timed_out, 1);
    http_queue_release(srv->queue, req->reserved);
    sl_free(req->data);
    sl_free(req);
    http_queue_end_request(srv->queue);
}

sl_status http_server_start(struct http_server *srv, int fd, struct MHD_Daemon **out,
                            struct sl_error *err)
{
    *out = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL_INTERNAL_THREAD, 0, NULL, NULL, on_request,
        srv, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_CONNECTION_LIMIT, srv->config->max_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, srv->config->idle_timeout_s, MHD_OPTION_END);
    if (!*out)
        return sl_error_set(err, SL_ERROR, "the HTTP server did not start");
    return SL_OK;
}
