/*
 * source_http.c — FROM HTTP LISTEN 'host:port' PATH '/ingest': a record
 * source whose records are the bodies senders POST (libmicrohttpd; the
 * request handling is in http_request.c). A sender is answered 200 only
 * once its body is committed (source_committed after the body was handed
 * out), with how many rows decoded and how many were dead letters; 503 with
 * Retry-After when the stream pushes back, is too far behind, or stops
 * before the commit. So every 200 is in the log or the results, and a body
 * answered otherwise is the sender's to send again: at least once.
 *
 * The server starts on the first read, not at open: by then the reading
 * side has set the record check the handler runs on each body.
 */
#include "connectors/http_impl.h"
#include "connectors/net_address.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"

/* How long closing waits for the handlers to answer their senders 503. */
#define HTTP_CLOSE_WAIT_MS 2000

enum http_status { HTTP_NOT_STARTED, HTTP_LISTENING, HTTP_FAILED };

struct source_http {
    struct sl_source base;
    char *address;
    struct http_config config;
    struct http_queue queue;
    struct http_server server;
    struct MHD_Daemon *daemon;
    enum http_status status;
    bool paused;
    char bound[128];       /* the address listened on, port 0 resolved */
    char state_text[600];  /* source_state */
    char fail_msg[512];
    struct http_body **held; /* handed out by the last read, freed by the next */
    size_t nheld, cap_held;
    uint64_t timed_out; /* server.timed_out when last logged */
};

enum {
    OPT_PATH,
    OPT_TOKEN,
    OPT_MAX_BODY_BYTES,
    OPT_MAX_QUEUED_BYTES,
    OPT_ACK_TIMEOUT,
    OPT_MAX_CONNECTIONS,
    OPT_IDLE_TIMEOUT,
};

static void http_set_state(struct source_http *h)
{
    switch (h->status) {
    case HTTP_NOT_STARTED:
        snprintf(h->state_text, sizeof h->state_text, "not listening yet");
        break;
    case HTTP_LISTENING:
        snprintf(h->state_text, sizeof h->state_text, "listening on %s%s", h->bound,
                 h->paused ? "; paused (answering 503)" : "");
        if (h->timed_out)
            snprintf(h->state_text + strlen(h->state_text),
                     sizeof h->state_text - strlen(h->state_text),
                     "; %llu timed out (idle_timeout)", (unsigned long long)h->timed_out);
        break;
    case HTTP_FAILED: snprintf(h->state_text, sizeof h->state_text, "failed: %s", h->fail_msg); break;
    }
}

static sl_status http_start(struct source_http *h, struct sl_error *err)
{
    h->server = (struct http_server){.config = &h->config, .queue = &h->queue,
                                     .check = h->base.check, .check_ctx = h->base.check_ctx};
    int fd;
    sl_status st = http_listen(h->address, &fd, h->bound, sizeof h->bound, err);
    if (st == SL_OK)
        st = http_server_start(&h->server, fd, &h->daemon, err);
    if (st != SL_OK) {
        snprintf(h->fail_msg, sizeof h->fail_msg, "%s", err->msg);
        sl_log(h->base.log, SL_LOG_ERROR, "%s", h->fail_msg);
        h->status = HTTP_FAILED;
        http_set_state(h);
        return st;
    }
    sl_log(h->base.log, SL_LOG_INFO, "http: listening on %s, path %s", h->bound, h->config.path);
    h->status = HTTP_LISTENING;
    http_set_state(h);
    return SL_OK;
}

static void http_release_held(struct source_http *h)
{
    for (size_t i = 0; i < h->nheld; i++)
        http_body_free(h->held[i]);
    h->nheld = 0;
}

/* Senders the server cut off mid-request since the last read: one warning for them all. */
static void http_note_timeouts(struct source_http *h)
{
    uint64_t now = atomic_load(&h->server.timed_out);
    if (now == h->timed_out)
        return;
    char timeout[48];
    sl_duration_format((int64_t)h->config.idle_timeout_s * SL_US_PER_SEC, timeout);
    sl_log(h->base.log, SL_LOG_WARN,
           "http %s: %llu sender%s stalled in the middle of a request past idle_timeout (%s): "
           "closed, the bodies dropped (%llu in all)",
           h->address, (unsigned long long)(now - h->timed_out), now - h->timed_out == 1 ? "" : "s",
           timeout, (unsigned long long)now);
    h->timed_out = now;
    http_set_state(h);
}

static sl_status http_read_records(struct sl_source *s, struct sl_record *out, size_t cap,
                                   size_t *n, int timeout_ms, struct sl_error *err)
{
    struct source_http *h = (struct source_http *)s;
    http_release_held(h);
    if (h->status == HTTP_FAILED)
        return sl_error_set(err, SL_ERROR, "%s", h->fail_msg);
    if (h->status == HTTP_NOT_STARTED && http_start(h, err) != SL_OK)
        return SL_ERROR;
    if (cap > h->cap_held) {
        struct http_body **held = sl_realloc(h->held, cap * sizeof *held);
        if (!held)
            return sl_error_set(err, SL_NOMEM, "out of memory");
        h->held = held;
        h->cap_held = cap;
    }
    h->nheld = http_queue_take(&h->queue, h->held, cap, timeout_ms);
    http_note_timeouts(h);
    for (size_t i = 0; i < h->nheld; i++)
        out[i] = (struct sl_record){.value = h->held[i]->data, .len = h->held[i]->len,
                                    .partition = -1, .offset = (int64_t)h->held[i]->seq,
                                    .timestamp_us = INT64_MIN};
    *n = h->nheld;
    return *n ? SL_OK : SL_AGAIN;
}

static void http_committed(struct sl_source *s)
{
    http_queue_committed(&((struct source_http *)s)->queue);
}

static void http_pause(struct sl_source *s, bool paused)
{
    struct source_http *h = (struct source_http *)s;
    if (paused == h->paused)
        return;
    h->paused = paused;
    http_queue_pause(&h->queue, paused);
    sl_log(h->base.log, paused ? SL_LOG_WARN : SL_LOG_INFO, "http %s: %s", h->address,
           paused ? "the stream is behind: senders are answered 503" : "taking bodies again");
    http_set_state(h);
}

static const char *http_state(const struct sl_source *s)
{
    return ((const struct source_http *)s)->state_text;
}

static void http_free(struct source_http *h)
{
    sl_free(h->held);
    sl_free(h->config.path);
    sl_free(h->config.token);
    sl_free(h->address);
    sl_free(h);
}

static void http_close(struct sl_source *s)
{
    struct source_http *h = (struct source_http *)s;
    http_queue_close(&h->queue, HTTP_CLOSE_WAIT_MS);
    if (h->daemon)
        MHD_stop_daemon(h->daemon);
    http_release_held(h);
    http_queue_destroy(&h->queue);
    http_free(h);
}

static const struct sl_source_ops http_ops = {
    .close = http_close,
    .read_records = http_read_records,
    .committed = http_committed,
    .pause = http_pause,
    .state = http_state,
};

static sl_status http_open(const struct sl_source_spec *spec, struct sl_source **out,
                           struct sl_error *err)
{
    struct source_http *h = sl_calloc(1, sizeof *h);
    if (!h)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    const struct sl_option_value *path = &spec->options[OPT_PATH];
    const struct sl_option_value *token = &spec->options[OPT_TOKEN];
    h->config = (struct http_config){
        .path = sl_strdup(path->set && path->text ? path->text : "/"),
        .token = token->set && token->text ? sl_strdup(token->text) : NULL,
        .max_body_bytes = (size_t)source_option_num(spec, OPT_MAX_BODY_BYTES),
        .max_queued_bytes = (size_t)source_option_num(spec, OPT_MAX_QUEUED_BYTES),
        .ack_timeout_us = source_option_num(spec, OPT_ACK_TIMEOUT),
        .max_connections = (unsigned)source_option_num(spec, OPT_MAX_CONNECTIONS),
        .idle_timeout_s = (unsigned)(source_option_num(spec, OPT_IDLE_TIMEOUT) / SL_US_PER_SEC),
    };
    h->address = sl_strdup(spec->address);
    if (h->config.max_queued_bytes < h->config.max_body_bytes) {
        http_free(h);
        return sl_error_set(err, SL_ERROR,
                            "HTTP LISTEN '%s': max_queued_bytes (%zu) is less than "
                            "max_body_bytes (%zu): a body that large could never be taken",
                            spec->address, (size_t)source_option_num(spec, OPT_MAX_QUEUED_BYTES),
                            (size_t)source_option_num(spec, OPT_MAX_BODY_BYTES));
    }
    if (!h->config.path || !h->address || (token->set && !h->config.token) ||
        http_queue_init(&h->queue, h->config.max_queued_bytes) != SL_OK) {
        http_free(h);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    h->base.ops = &http_ops;
    http_set_state(h);
    *out = &h->base;
    return SL_OK;
}

static const char *http_check_option(size_t i, const struct sl_option_value *v, const char **hint)
{
    if (i == OPT_PATH && (!v->text || v->text[0] != '/')) {
        *hint = "write PATH '/ingest'";
        return "an HTTP path starts with '/'";
    }
    if (i == OPT_TOKEN && (!v->text || !v->text[0])) {
        *hint = "leave the option out to take bodies without a token";
        return "the token is empty";
    }
    return NULL;
}

static const struct sl_option_def http_options[] = {
    [OPT_PATH] = {"path", SL_OPTION_TEXT, 0, 0, 0, "'/'",
                   "the path bodies are POSTed to (written PATH '/ingest'); others answer 404"},
    [OPT_TOKEN] = {"token", SL_OPTION_TEXT, 0, 0, 0, "none",
                    "a sender must show `Authorization: Bearer <token>`, or is answered 401"},
    [OPT_MAX_BODY_BYTES] = {"max_body_bytes", SL_OPTION_SIZE, 1, (int64_t)1 << 30,
                             (int64_t)16 << 20, "16777216 (16 MiB)",
                             "a larger body is answered 413"},
    [OPT_MAX_QUEUED_BYTES] = {"max_queued_bytes", SL_OPTION_SIZE, 1, (int64_t)1 << 34,
                               (int64_t)64 << 20, "67108864 (64 MiB)",
                               "bodies received and not yet committed, past which senders are "
                               "answered 503 (at least max_body_bytes)"},
    [OPT_ACK_TIMEOUT] = {"ack_timeout", SL_OPTION_DURATION, SL_US_PER_MS,
                          3600 * SL_US_PER_SEC, 30 * SL_US_PER_SEC, "'30 seconds'",
                          "a body not committed by then is answered 503 (it may still be "
                          "committed: a sender that sends it again may duplicate it)"},
    [OPT_MAX_CONNECTIONS] = {"max_connections", SL_OPTION_INT, 1, 10000, 256, "256",
                              "senders connected at once (a thread each); more are refused"},
    [OPT_IDLE_TIMEOUT] = {"idle_timeout", SL_OPTION_DURATION, SL_US_PER_SEC,
                           86400 * SL_US_PER_SEC, 60 * SL_US_PER_SEC, "'60 seconds'",
                           "a connection that sends nothing this long (between requests, or "
                           "stalled in one) is closed, its body dropped: its slot is free again"},
};

const struct sl_connector connector_http = {
    .name = "HTTP",
    .kind = SL_CONNECTOR_SOURCE,
    .summary = "Bodies that senders POST (webhooks, Flume's HTTP sink), each a record of lines "
               "in the stream's format. A sender is answered 200 with "
               "`{\"rows\":N,\"dead_letters\":M}` once its body is committed, 400 when nothing "
               "in it decodes, 413 past max_body_bytes, 401 without the token, and 503 with "
               "Retry-After while the stream is behind or stopping: at least once to the sender.",
    .replayable = false,
    .listens = true,
    .address_doc = "'[host:]port'",
    .check_address = net_check_listen_address,
    .options = http_options,
    .noptions = sizeof http_options / sizeof http_options[0],
    .check_option = http_check_option,
    .open = http_open,
};
