/*
 * source_url.c — FROM URL 'http://host/stream': a long-lived HTTP GET whose
 * response is one record per line, read as it streams (Twitter's filtered
 * stream, NDJSON event APIs). Blank lines are keep-alives and are skipped.
 *
 * libcurl's multi interface, driven from the reads (no thread of its own):
 * each read performs the transfer and waits on its socket for at most its
 * timeout; the body goes into a line buffer whose complete lines are the
 * records. The buffer is bounded: past it the transfer is paused (curl
 * stops reading, TCP pushes back on the server) until the lines are taken,
 * and so it is while the source is paused.
 *
 * A response that ends, a dropped connection or an HTTP error status is
 * retried, as an EventSource does, with backoff and jitter
 * (connectors/retry.h; a Retry-After the server sends is honoured), logged
 * once per change of state; a 204 No Content ends the stream. The partial
 * line a drop cuts is discarded with a warning. With resume_field (a
 * top-level key or a path), the value it names in each record is the
 * record's event id, and a reconnection sends the last one handed out in
 * resume_header (Last-Event-ID), so a server that supports it resends from
 * there.
 */
#include "connectors/json_backend.h"
#include "connectors/line_buffer.h"
#include "connectors/retry.h"
#include "connectors/source_impl.h"
#include "connectors/url_headers.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"

/* Bytes of complete lines held beyond max_record_bytes before the transfer is paused. */
#define URL_BUFFER_SLACK (256 * 1024)
/* The longest event id kept for a resumption; a longer one is not sent. */
#define URL_MAX_EVENT_ID 512

enum url_state { URL_WAITING, URL_CONNECTING, URL_CONNECTED, URL_FAILED, URL_ENDED };

enum {
    URL_HEADERS,
    URL_RESUME_HEADER,
    URL_RESUME_FIELD,
    URL_MAX_RECORD_BYTES,
    URL_CONNECT_TIMEOUT,
    URL_STALL_TIMEOUT,
    URL_RETRY_FIRST, /* SL_RETRY_OPTION_DEFS: retry_initial, retry_max, retry_attempts */
};

struct source_url {
    struct sl_source base;
    char *url;
    CURLM *multi;
    CURL *easy;
    struct curl_slist *headers;      /* the headers option's */
    struct curl_slist *sent_headers; /* those, and the resumption's: the transfer's */
    char *resume_header;
    struct json_path resume_path;
    struct json_parser *resume_parser; /* NULL: no resume_field */
    char last_id[URL_MAX_EVENT_ID + 1];
    struct sl_linebuf lines;
    size_t high_water;
    struct sl_retry retry;
    enum url_state state;
    int64_t next_attempt_us;
    int64_t retry_after_us; /* the last response's Retry-After; 0: none */
    char reason[160];       /* the last failure, said once while it lasts */
    char state_text[224];
    atomic_bool paused;
    bool transfer_paused; /* curl_easy_pause(RECV) in effect, by us or by the body callback */
    bool ever_connected;
    uint64_t lines_this_connection;
    char curl_error[CURL_ERROR_SIZE];
};

static void url_set_state(struct source_url *u, enum url_state state, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void url_set_state(struct source_url *u, enum url_state state, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->state_text, sizeof u->state_text, fmt, ap);
    va_end(ap);
    u->state = state;
}

/* An event id from a record: the value at resume_field, a string or an integer, without control characters. */
static void url_take_event_id(struct source_url *u, const char *line, size_t len)
{
    char reason[8];
    struct jval v;
    if (json_parser_parse(u->resume_parser, line, len, reason, sizeof reason) != JSON_PARSED ||
        !json_parser_value(u->resume_parser, 0, false, &v))
        return;
    char id[URL_MAX_EVENT_ID + 1];
    if (v.kind == JVAL_STRING && v.len > 0 && v.len <= URL_MAX_EVENT_ID) {
        memcpy(id, v.s, v.len);
        id[v.len] = '\0';
    } else if (v.kind == JVAL_INT) {
        snprintf(id, sizeof id, "%lld", (long long)v.i);
    } else {
        return;
    }
    for (const char *c = id; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            return;
    memcpy(u->last_id, id, sizeof id);
}

/* Complete lines, up to cap; the first of a connection resets the backoff. */
static size_t url_gather(struct source_url *u, struct sl_record *out, size_t cap)
{
    size_t n = 0;
    const char *line;
    size_t len;
    while (n < cap && linebuf_next(&u->lines, &line, &len)) {
        if (len == 0)
            continue;
        if (u->resume_parser)
            url_take_event_id(u, line, len);
        out[n] = (struct sl_record){.value = line, .len = len, .partition = -1,
                                    .offset = (int64_t)(u->base.offset + n),
                                    .timestamp_us = INT64_MIN};
        n++;
    }
    if (n && u->lines_this_connection == 0)
        retry_succeeded(&u->retry);
    u->lines_this_connection += n;
    return n;
}

static size_t url_on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
    struct source_url *u = ctx;
    size_t len = size * nmemb;
    size_t held = linebuf_pending(&u->lines);
    if (held > 0 && held + len > u->high_water) {
        u->transfer_paused = true;
        return CURL_WRITEFUNC_PAUSE;
    }
    return linebuf_append(&u->lines, data, len) ? len : 0;
}

static void url_connected(struct source_url *u)
{
    if (u->ever_connected && u->last_id[0])
        sl_log(u->base.log, SL_LOG_INFO, "%s: reconnected, resuming after event id %s",
               u->base.description, u->last_id);
    else
        sl_log(u->base.log, SL_LOG_INFO, "%s: %s", u->base.description,
               u->ever_connected ? "reconnected" : "connected");
    u->ever_connected = true;
    u->reason[0] = '\0';
    url_set_state(u, URL_CONNECTED, "connected");
}

/* The status of each response (redirects included), Retry-After, and the end of the headers. */
static size_t url_on_header(char *data, size_t size, size_t nmemb, void *ctx)
{
    struct source_url *u = ctx;
    size_t len = size * nmemb;
    if (len >= 5 && strncmp(data, "HTTP/", 5) == 0)
        u->retry_after_us = 0;
    else if (len > 12 && strncasecmp(data, "retry-after:", 12) == 0)
        u->retry_after_us = strtoll(data + 12, NULL, 10) * SL_US_PER_SEC;
    else if ((len == 2 && data[0] == '\r') || (len == 1 && data[0] == '\n')) {
        long code = 0;
        curl_easy_getinfo(u->easy, CURLINFO_RESPONSE_CODE, &code);
        if (code >= 200 && code < 300 && u->state == URL_CONNECTING)
            url_connected(u);
    }
    return len;
}

/* The request's headers: the option's, and the last event id when there is one. */
static void url_build_headers(struct source_url *u)
{
    curl_slist_free_all(u->sent_headers);
    u->sent_headers = NULL;
    for (struct curl_slist *h = u->headers; h; h = h->next)
        url_header_to_curl(&u->sent_headers, h->data, strlen(h->data));
    if (u->resume_parser && u->last_id[0]) {
        char h[URL_MAX_EVENT_ID + 256];
        snprintf(h, sizeof h, "%s: %s", u->resume_header, u->last_id);
        url_header_to_curl(&u->sent_headers, h, strlen(h));
    }
}

static void url_start(struct source_url *u)
{
    u->lines_this_connection = 0;
    u->transfer_paused = false;
    u->curl_error[0] = '\0';
    url_build_headers(u);
    curl_easy_setopt(u->easy, CURLOPT_HTTPHEADER, u->sent_headers);
    curl_multi_add_handle(u->multi, u->easy);
    url_set_state(u, URL_CONNECTING, "connecting");
}

/* The transfer ended: why, in a few words. */
static void url_describe_end(struct source_url *u, CURLcode rc, char *out, size_t cap)
{
    long code = 0;
    curl_easy_getinfo(u->easy, CURLINFO_RESPONSE_CODE, &code);
    if (rc == CURLE_OK)
        snprintf(out, cap, "the server ended the response");
    else if (rc == CURLE_HTTP_RETURNED_ERROR)
        snprintf(out, cap, "HTTP %ld", code);
    else
        snprintf(out, cap, "%.150s", u->curl_error[0] ? u->curl_error : curl_easy_strerror(rc));
}

/* A drop or an error: wait (backoff with jitter, at least Retry-After) or give up. */
static void url_ended(struct source_url *u, CURLcode rc)
{
    curl_multi_remove_handle(u->multi, u->easy);
    long code = 0;
    curl_easy_getinfo(u->easy, CURLINFO_RESPONSE_CODE, &code);
    if (rc == CURLE_OK && code == 204) {
        url_set_state(u, URL_ENDED, "ended: the server answered 204 No Content");
        sl_log(u->base.log, SL_LOG_INFO, "%s: %s", u->base.description, u->state_text);
        return;
    }
    char why[160];
    url_describe_end(u, rc, why, sizeof why);
    char lost[128] = "";
    size_t cut = linebuf_drop_partial(&u->lines);
    if (cut)
        snprintf(lost, sizeof lost, " (a line cut short, %zu bytes, is discarded%s)", cut,
                 u->resume_parser ? ": the server resends it after the last event id" : "");
    int64_t wait_us;
    if (!retry_failed(&u->retry, &wait_us)) {
        url_set_state(u, URL_FAILED, "failed: %s%s; gave up after %lld attempts in a row", why, lost,
                      (long long)u->retry.attempts);
        sl_log(u->base.log, SL_LOG_ERROR, "%s: %s", u->base.description, u->state_text);
        return;
    }
    if (u->retry_after_us > wait_us && u->retry_after_us <= 3600 * SL_US_PER_SEC)
        wait_us = u->retry_after_us;
    u->next_attempt_us = sl_monotonic_us() + wait_us;
    bool news = u->state == URL_CONNECTED || strcmp(why, u->reason) != 0;
    char wait[32];
    if (wait_us < SL_US_PER_SEC)
        snprintf(wait, sizeof wait, "%lld ms", (long long)(wait_us / SL_US_PER_MS));
    else
        snprintf(wait, sizeof wait, "%.1f s", (double)wait_us / SL_US_PER_SEC);
    url_set_state(u, URL_WAITING, "retrying in %s: %s", wait, why);
    if (news || cut)
        sl_log(u->base.log, SL_LOG_WARN, "%s: %s%s; retrying in %s, with backoff while it lasts",
               u->base.description, why, lost, wait);
    snprintf(u->reason, sizeof u->reason, "%s", why);
}

/* One step of the transfer: wait for its socket (at most wait_ms), read, see whether it ended. */
static void url_step(struct source_url *u, int wait_ms)
{
    int running = 0;
    curl_multi_poll(u->multi, NULL, 0, wait_ms, NULL);
    curl_multi_perform(u->multi, &running);
    int left;
    CURLMsg *m;
    while ((m = curl_multi_info_read(u->multi, &left)))
        if (m->msg == CURLMSG_DONE)
            url_ended(u, m->data.result);
}

/* Pauses or continues curl's reading: paused by the stream, or waiting for room. */
static void url_apply_pause(struct source_url *u)
{
    bool want = atomic_load(&u->paused);
    if (u->state != URL_CONNECTING && u->state != URL_CONNECTED)
        return;
    if (u->transfer_paused && !want) {
        u->transfer_paused = false;
        curl_easy_pause(u->easy, CURLPAUSE_CONT);
    } else if (!u->transfer_paused && want) {
        u->transfer_paused = true;
        curl_easy_pause(u->easy, CURLPAUSE_RECV);
    }
}

static int ms_until(int64_t deadline_us, int64_t now_us)
{
    return deadline_us <= now_us ? 0 : (int)((deadline_us - now_us + SL_US_PER_MS - 1) / SL_US_PER_MS);
}

static sl_status url_read_records(struct sl_source *s, struct sl_record *out, size_t cap,
                                  size_t *n, int timeout_ms, struct sl_error *err)
{
    struct source_url *u = (struct source_url *)s;
    linebuf_release(&u->lines);
    url_apply_pause(u);
    if (atomic_load(&u->paused)) {
        curl_multi_poll(u->multi, NULL, 0, timeout_ms, NULL);
        return SL_AGAIN;
    }
    int64_t deadline = sl_monotonic_us() + (int64_t)timeout_ms * SL_US_PER_MS;
    for (;;) {
        if ((*n = url_gather(u, out, cap)) > 0)
            return SL_OK;
        if (u->state == URL_FAILED)
            return sl_error_set(err, SL_ERROR, "%s: %s", s->description, u->state_text);
        if (u->state == URL_ENDED)
            return SL_EOF;
        int64_t now = sl_monotonic_us();
        int wait_ms = ms_until(deadline, now);
        if (u->state == URL_WAITING && now >= u->next_attempt_us) {
            url_start(u);
        } else if (u->state == URL_WAITING) {
            if (wait_ms == 0)
                return SL_AGAIN;
            int until_next = ms_until(u->next_attempt_us, now);
            curl_multi_poll(u->multi, NULL, 0, until_next < wait_ms ? until_next : wait_ms, NULL);
            continue;
        }
        url_step(u, wait_ms);
        if (wait_ms == 0 || sl_monotonic_us() >= deadline) {
            *n = url_gather(u, out, cap);
            return *n ? SL_OK : SL_AGAIN;
        }
    }
}

static void url_pause(struct sl_source *s, bool paused)
{
    struct source_url *u = (struct source_url *)s;
    atomic_store(&u->paused, paused);
}

static const char *url_state(const struct sl_source *s)
{
    const struct source_url *u = (const struct source_url *)s;
    return u->state_text;
}

static void url_close(struct sl_source *s)
{
    struct source_url *u = (struct source_url *)s;
    if (u->multi && u->easy)
        curl_multi_remove_handle(u->multi, u->easy);
    if (u->easy)
        curl_easy_cleanup(u->easy);
    if (u->multi)
        curl_multi_cleanup(u->multi);
    curl_slist_free_all(u->headers);
    curl_slist_free_all(u->sent_headers);
    if (u->resume_parser)
        json_parser_destroy(u->resume_parser);
    json_path_free(&u->resume_path);
    linebuf_free(&u->lines);
    sl_free(u->resume_header);
    sl_free(u->url);
    sl_free(u);
}

static const struct sl_source_ops url_ops = {
    .close = url_close,
    .read_records = url_read_records,
    .pause = url_pause,
    .state = url_state,
};

/* resume_field as a path: '$.data.id', or a top-level key by its name. */
static bool url_resume_path(const char *field, struct json_path *path, struct json_parser **out)
{
    size_t at;
    const char *hint;
    bool ok = field[0] == '$' ? json_path_parse(field, path, &at, &hint) == NULL
                              : json_path_key(field, path);
    return ok && (*out = json_parser_create(path, 1)) != NULL;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void url_global_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* The transfer's options that stay the same from one connection to the next. */
static void url_configure(struct source_url *u, const struct sl_source_spec *spec)
{
    CURL *e = u->easy;
    curl_easy_setopt(e, CURLOPT_URL, u->url);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, url_on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, u);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, url_on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, u);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, u->curl_error);
    curl_easy_setopt(e, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_USERAGENT, "sluice");
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     (long)(source_option_num(spec, URL_CONNECT_TIMEOUT) / SL_US_PER_MS));
    int64_t stall_s = source_option_num(spec, URL_STALL_TIMEOUT) / SL_US_PER_SEC;
    if (stall_s > 0) {
        /* Less than a byte a second for that long: the connection is dead, though TCP has not said so. */
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, (long)stall_s);
    }
}

static sl_status url_open(const struct sl_source_spec *spec, struct sl_source **out,
                          struct sl_error *err)
{
    pthread_once(&curl_once, url_global_init);
    const struct sl_option_value *o = spec->options;
    struct source_url *u = sl_calloc(1, sizeof *u);
    if (!u)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    u->base.ops = &url_ops;
    atomic_init(&u->paused, false);
    size_t max_line = (size_t)source_option_num(spec, URL_MAX_RECORD_BYTES);
    linebuf_init(&u->lines, max_line);
    u->high_water = max_line + URL_BUFFER_SLACK;
    retry_init(&u->retry, spec, URL_RETRY_FIRST);
    url_set_state(u, URL_WAITING, "connecting");
    u->url = sl_strdup(spec->address);
    u->resume_header = sl_strdup(o[URL_RESUME_HEADER].set ? o[URL_RESUME_HEADER].text
                                                          : "Last-Event-ID");
    u->multi = curl_multi_init();
    u->easy = curl_easy_init();
    sl_status st = u->url && u->resume_header ? SL_OK : SL_NOMEM;
    const char *field = o[URL_RESUME_FIELD].set ? o[URL_RESUME_FIELD].text : "";
    if (st == SL_OK && field[0] && !url_resume_path(field, &u->resume_path, &u->resume_parser))
        st = SL_NOMEM;
    if (st == SL_OK && o[URL_HEADERS].set)
        url_headers_each(o[URL_HEADERS].text, url_header_to_curl, &u->headers);
    if (st == SL_OK && (!u->multi || !u->easy))
        st = SL_ERROR;
    if (st != SL_OK) {
        url_close(&u->base);
        return sl_error_set(err, st, st == SL_NOMEM ? "out of memory" : "URL: cannot set up libcurl");
    }
    url_configure(u, spec);
    *out = &u->base;
    return SL_OK;
}

static const char *url_check_address(const char *address, const char **hint)
{
    if (strncasecmp(address, "http://", 7) == 0 || strncasecmp(address, "https://", 8) == 0)
        return NULL;
    *hint = "write it as 'https://host/path'";
    return "a URL stream reads http:// or https:// addresses";
}

static const char *url_check_option(size_t i, const struct sl_option_value *v, const char **hint)
{
    if (i == URL_HEADERS)
        return url_headers_each(v->text, NULL, NULL);
    if (i == URL_RESUME_HEADER)
        return url_header_name_check(v->text);
    if (i == URL_RESUME_FIELD && v->text[0] == '$') {
        struct json_path path;
        size_t at;
        const char *bad = json_path_parse(v->text, &path, &at, hint);
        json_path_free(&path);
        return bad;
    }
    return NULL;
}

static const struct sl_option_def url_options[] = {
    [URL_HEADERS] = {"headers", SL_OPTION_TEXT, 0, 0, 0, "none",
                     "request headers, 'Name: value' each, separated by ';' or a newline"},
    [URL_RESUME_HEADER] = {"resume_header", SL_OPTION_TEXT, 0, 0, 0, "'Last-Event-ID'",
                           "the header a reconnection sends the last event id in"},
    [URL_RESUME_FIELD] = {"resume_field", SL_OPTION_TEXT, 0, 0, 0, "none",
                          "where each record's event id is: a top-level key, or a path "
                          "('$.data.id'); none: reconnections do not resume"},
    [URL_MAX_RECORD_BYTES] = {"max_record_bytes", SL_OPTION_SIZE, 1, INT64_C(1) << 30,
                              INT64_C(1) << 20, "1048576 (1 MiB)",
                              "a longer line is cut to this length, with a warning"},
    [URL_CONNECT_TIMEOUT] = {"connect_timeout", SL_OPTION_DURATION, SL_US_PER_MS,
                             3600 * SL_US_PER_SEC, 10 * SL_US_PER_SEC, "'10 seconds'",
                             "how long a connection may take to be made"},
    [URL_STALL_TIMEOUT] = {"stall_timeout", SL_OPTION_DURATION, 0, 3600 * SL_US_PER_SEC, 0,
                           "0 (none)",
                           "no byte (keep-alives count) for this long: reconnect; whole seconds"},
    SL_RETRY_OPTION_DEFS,
};

const struct sl_connector connector_url = {
    .name = "URL",
    .kind = SL_CONNECTOR_SOURCE,
    .summary = "A long-lived streaming HTTP response, one record per line (Twitter's filtered "
               "stream, NDJSON event APIs): reconnected with backoff after a drop or an error "
               "status, resuming from the last event id when the server supports it.",
    .replayable = false,
    .address_doc = "'http://host/path'",
    .check_address = url_check_address,
    .check_option = url_check_option,
    .options = url_options,
    .noptions = sizeof url_options / sizeof url_options[0],
    .open = url_open,
};
