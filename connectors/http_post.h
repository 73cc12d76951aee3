/*
 * http_post.h — one HTTP POST and its answer, for the sinks that talk HTTP
 * (ELASTICSEARCH, HTTP): libcurl's easy interface, one handle per sink so
 * the connection is kept alive between batches, every wait bounded by the
 * sink's timeout. A request is one attempt: retrying is the engine's.
 */
#ifndef SL_HTTP_POST_H
#define SL_HTTP_POST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/status.h"

struct http_post;

/* What came back: status 0 means no response (refused, timed out, cut). */
struct http_post_reply {
    long status;
    struct sl_buf body;      /* the response body, its first max_body bytes */
    bool body_cut;           /* the body was longer than max_body */
    int64_t retry_after_s;   /* the Retry-After header in seconds; -1: none */
    char failure[256];       /* status 0: why, in curl's words */
};

/* A poster for a sink: headers_text is the `headers` option ('Name: value; ...',
 * checked already) or NULL; timeout_us bounds each request as a whole (the
 * connection's making at most 5 seconds of it). */
sl_status http_post_create(const char *headers_text, int64_t timeout_us, struct http_post **out,
                           struct sl_error *err);
void http_post_destroy(struct http_post *p);

/* POSTs body[0..len) to url with this Content-Type and the extra headers
 * ("Name: value", NULL-terminated list, may be NULL) after the user's; fills
 * reply (reply->body is reset first and keeps at most max_body bytes).
 * SL_OK when a response came (any status), SL_AGAIN when none did, SL_NOMEM. */
sl_status http_post_send(struct http_post *p, const char *url, const char *content_type,
                         const char *const *extra_headers, const char *body, size_t len,
                         size_t max_body, struct http_post_reply *reply);

void http_post_reply_init(struct http_post_reply *r);
void http_post_reply_free(struct http_post_reply *r);

/* Whether trying again later may help: 408, 429 and the 5xx statuses, or no response. */
bool http_post_transient(long status);

/* The answer in a line for an error message: "HTTP 503 (Retry-After: 5 s): <the
 * body's first 200 bytes, on one line>" or the failure of a request that got none. */
void http_post_describe(const struct http_post_reply *r, char *out, size_t cap);

/* A sink's address: NULL when it is an http:// or https:// URL, else the message and *hint. */
const char *http_post_check_url(const char *address, const char **hint);

/* url without a user:password@ part, for messages and listings. */
void http_post_safe_url(const char *url, char *out, size_t cap);

#endif
