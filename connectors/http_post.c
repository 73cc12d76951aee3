/* http_post.c — one HTTP POST over libcurl for the HTTP-speaking sinks (http_post.h). */
#include "connectors/http_post.h"
#include "connectors/url_headers.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/alloc.h"
#include "common/time.h"

/* Making a connection takes at most this long, however long the request may take. */
#define HTTP_POST_CONNECT_MAX_US (5 * SL_US_PER_SEC)
/* The body's bytes an error message quotes. */
#define HTTP_POST_EXCERPT 200

struct http_post {
    CURL *easy;
    struct curl_slist *user_headers; /* the headers option's */
    char curl_error[CURL_ERROR_SIZE];
};

/* Where the callbacks write the answer being received. */
struct http_post_receipt {
    struct http_post_reply *reply;
    size_t max_body;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void global_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

sl_status http_post_create(const char *headers_text, int64_t timeout_us, struct http_post **out,
                           struct sl_error *err)
{
    pthread_once(&curl_once, global_init);
    struct http_post *p = sl_calloc(1, sizeof *p);
    if (!p)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    p->easy = curl_easy_init();
    if (!p->easy) {
        sl_free(p);
        return sl_error_set(err, SL_ERROR, "cannot set up libcurl");
    }
    if (headers_text)
        url_headers_each(headers_text, url_header_to_curl, &p->user_headers);
    int64_t connect_us = timeout_us < HTTP_POST_CONNECT_MAX_US ? timeout_us : HTTP_POST_CONNECT_MAX_US;
    CURL *e = p->easy;
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, p->curl_error);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "sluice");
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(timeout_us / SL_US_PER_MS));
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)(connect_us / SL_US_PER_MS));
    *out = p;
    return SL_OK;
}

void http_post_destroy(struct http_post *p)
{
    if (!p)
        return;
    curl_easy_cleanup(p->easy);
    curl_slist_free_all(p->user_headers);
    sl_free(p);
}

void http_post_reply_init(struct http_post_reply *r)
{
    memset(r, 0, sizeof *r);
    buf_init(&r->body);
    r->retry_after_s = -1;
}

void http_post_reply_free(struct http_post_reply *r)
{
    buf_free(&r->body);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
    struct http_post_receipt *rc = ctx;
    size_t len = size * nmemb;
    struct sl_buf *b = &rc->reply->body;
    size_t room = b->len < rc->max_body ? rc->max_body - b->len : 0;
    if (len > room)
        rc->reply->body_cut = true;
    buf_append(b, data, len < room ? len : room);
    return len;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ctx)
{
    struct http_post_receipt *rc = ctx;
    size_t len = size * nmemb;
    if (len >= 5 && strncmp(data, "HTTP/", 5) == 0)
        rc->reply->retry_after_s = -1; /* a new response (after a 100 Continue) */
    else if (len > 12 && strncasecmp(data, "retry-after:", 12) == 0) {
        char *end;
        long long s = strtoll(data + 12, &end, 10);
        if (end != data + 12 && s >= 0)
            rc->reply->retry_after_s = s; /* an HTTP date is not worth parsing here */
    }
    return len;
}

sl_status http_post_send(struct http_post *p, const char *url, const char *content_type,
                         const char *const *extra_headers, const char *body, size_t len,
                         size_t max_body, struct http_post_reply *reply)
{
    buf_clear(&reply->body);
    reply->body_cut = false;
    reply->status = 0;
    reply->retry_after_s = -1;
    reply->failure[0] = '\0';
    struct curl_slist *headers = NULL;
    for (struct curl_slist *h = p->user_headers; h; h = h->next)
        url_header_to_curl(&headers, h->data, strlen(h->data));
    char line[128];
    snprintf(line, sizeof line, "Content-Type: %s", content_type);
    url_header_to_curl(&headers, line, strlen(line));
    /* curl would wait a second for a 100 Continue before a large body: no server needs it */
    url_header_to_curl(&headers, "Expect:", 7);
    for (size_t i = 0; extra_headers && extra_headers[i]; i++)
        url_header_to_curl(&headers, extra_headers[i], strlen(extra_headers[i]));
    struct http_post_receipt rc = {reply, max_body};
    CURL *e = p->easy;
    p->curl_error[0] = '\0';
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &rc);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &rc);
    CURLcode code = curl_easy_perform(e);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(headers);
    if (reply->body.failed)
        return SL_NOMEM;
    if (code != CURLE_OK) {
        snprintf(reply->failure, sizeof reply->failure, "%s",
                 p->curl_error[0] ? p->curl_error : curl_easy_strerror(code));
        return SL_AGAIN;
    }
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &reply->status);
    return SL_OK;
}

bool http_post_transient(long status)
{
    return status == 0 || status == 408 || status == 429 || status >= 500;
}

void http_post_describe(const struct http_post_reply *r, char *out, size_t cap)
{
    if (r->status == 0) {
        snprintf(out, cap, "%s", r->failure[0] ? r->failure : "no response");
        return;
    }
    char excerpt[HTTP_POST_EXCERPT + 4];
    size_t n = r->body.len < HTTP_POST_EXCERPT ? r->body.len : HTTP_POST_EXCERPT;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)r->body.data[i];
        excerpt[i] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
    }
    strcpy(excerpt + n, r->body.len > n || r->body_cut ? "..." : "");
    char retry[48] = "";
    if (r->retry_after_s >= 0)
        snprintf(retry, sizeof retry, " (Retry-After: %lld s)", (long long)r->retry_after_s);
    snprintf(out, cap, "HTTP %ld%s%s%s", r->status, retry, n ? ": " : "", excerpt);
}

void http_post_safe_url(const char *url, char *out, size_t cap)
{
    const char *host = strstr(url, "://");
    host = host ? host + 3 : url;
    size_t authority = strcspn(host, "/?#");
    const char *at = NULL; /* the last '@' before the path: a password may hold one */
    for (size_t i = 0; i < authority; i++)
        if (host[i] == '@')
            at = host + i;
    if (!at) {
        snprintf(out, cap, "%s", url);
        return;
    }
    snprintf(out, cap, "%.*s%s", (int)(host - url), url, at + 1);
}

const char *http_post_check_url(const char *address, const char **hint)
{
    if (strncasecmp(address, "http://", 7) == 0 || strncasecmp(address, "https://", 8) == 0)
        return NULL;
    *hint = "write it as 'http://host:port/path'";
    return "the address is an http:// or https:// URL";
}
