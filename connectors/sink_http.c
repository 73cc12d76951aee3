/*
 * sink_http.c — INTO HTTP 'http://host/path': each batch POSTed to the URL,
 * as a JSON array of row objects (FORMAT JSON, the default), NDJSON
 * (body = 'ndjson') or CSV with a header line (FORMAT CSV); rows that
 * change carry "op" (an op column in CSV). A batch larger than
 * max_request_bytes goes as several POSTs, one after the other.
 *
 * Every POST has the header Idempotency-Key: <sink>-<batch id>, with
 * -<part> (from 1) when the batch is cut in parts: a batch sent again (after
 * a failure or a crash) comes with the same keys, so a receiver that
 * remembers them can drop the repeat. 2xx is delivered; 408, 429, 5xx and
 * no answer are tried again later (Retry-After is reported, the engine's
 * backoff decides); any other status needs the user. When the same batch
 * comes again, the parts already answered 2xx are not posted again (the
 * sink remembers how many, in memory only; after a restart all are sent).
 */
#include "connectors/sink_impl.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/alloc.h"
#include "common/time.h"
#include "connectors/http_post.h"
#include "connectors/row_encode.h"
#include "connectors/url_headers.h"

/* Of an answer only an excerpt goes into a message. */
#define HOOK_MAX_REPLY_BYTES 4096

enum { HOOK_HEADERS, HOOK_TIMEOUT, HOOK_MAX_REQUEST_BYTES, HOOK_BODY };

enum hook_body { HOOK_ARRAY, HOOK_NDJSON, HOOK_CSV };

struct hook_sink {
    struct sl_sink base;
    const struct sl_sink_spec *spec;
    struct http_post *post;
    char where[600]; /* "HTTP <url without credentials>" */
    enum hook_body body_kind;
    size_t max_bytes;
    struct sl_buf body;
    /* The batch a delivery left unfinished, and how many of its parts were answered 2xx. */
    bool resuming;
    int64_t resume_batch;
    uint32_t parts_done;
};

static const char *const content_types[] = {
    [HOOK_ARRAY] = "application/json",
    [HOOK_NDJSON] = "application/x-ndjson",
    [HOOK_CSV] = "text/csv; charset=utf-8",
};

/* The part's beginning: "[" or the CSV header line. */
static void begin_part(struct hook_sink *h)
{
    buf_clear(&h->body);
    if (h->body_kind == HOOK_ARRAY) {
        buf_putc(&h->body, '[');
    } else if (h->body_kind == HOOK_CSV) {
        row_encode_csv_header(&h->body, h->spec);
        if (h->spec->changelog) {
            h->body.len--; /* the op column goes before the line's end */
            buf_puts(&h->body, h->spec->ncols ? ",op\n" : "op\n");
        }
    }
}

/* Row r appended to the part (the array's closing bracket excepted). */
static void append_row(struct hook_sink *h, const struct sl_sink_batch *b, uint32_t r, bool first)
{
    struct sl_buf *out = &h->body;
    switch (h->body_kind) {
    case HOOK_ARRAY:
        if (!first)
            buf_putc(out, ',');
        row_encode_json(out, h->spec, b, r, h->spec->changelog);
        break;
    case HOOK_NDJSON:
        row_encode_json(out, h->spec, b, r, h->spec->changelog);
        buf_putc(out, '\n');
        break;
    case HOOK_CSV:
        row_encode_csv(out, h->spec, b, r);
        if (h->spec->changelog) {
            out->len--;
            buf_printf(out, "%s%s\n", h->spec->ncols ? "," : "",
                       row_kind_name(b->kinds ? b->kinds[r] : SL_ROW_INSERT));
        }
        break;
    }
}

/* One POST of the part in h->body under this Idempotency-Key. */
static sl_status post_part(struct hook_sink *h, const char *key, struct sl_error *err)
{
    char key_header[300];
    snprintf(key_header, sizeof key_header, "Idempotency-Key: %s", key);
    const char *const extra[] = {key_header, NULL};
    struct http_post_reply reply;
    http_post_reply_init(&reply);
    sl_status st = http_post_send(h->post, h->spec->address,
                                  content_types[h->body_kind], extra, h->body.data, h->body.len,
                                  HOOK_MAX_REPLY_BYTES, &reply);
    char said[512];
    http_post_describe(&reply, said, sizeof said);
    if (st == SL_NOMEM)
        st = sl_error_set(err, SL_AGAIN, "%s: out of memory reading the answer", h->where);
    else if (st != SL_OK || http_post_transient(reply.status))
        st = sl_error_set(err, SL_AGAIN, "%s (Idempotency-Key %s): %s", h->where, key, said);
    else if (reply.status < 200 || reply.status >= 300)
        st = sl_error_set(err, SL_ERROR, "%s (Idempotency-Key %s): %s", h->where, key, said);
    http_post_reply_free(&reply);
    return st;
}

static sl_status hook_deliver(struct sl_sink *sink, const struct sl_sink_batch *b,
                              struct sl_sink_ack *ack, struct sl_error *err)
{
    (void)ack;
    struct hook_sink *h = (struct hook_sink *)sink;
    sl_status st = SL_OK;
    uint32_t part = 0;
    uint32_t done = h->resuming && h->resume_batch == b->batch_id ? h->parts_done : 0;
    for (uint32_t r = 0; st == SL_OK && r < b->nrows;) {
        begin_part(h);
        size_t empty = h->body.len;
        for (; r < b->nrows; r++) {
            size_t mark = h->body.len;
            append_row(h, b, r, mark == empty);
            /* room for the array's "]" too; a row alone goes however large it is */
            if (mark > empty && h->body.len + 1 > h->max_bytes) {
                h->body.len = mark;
                break;
            }
        }
        if (h->body_kind == HOOK_ARRAY)
            buf_putc(&h->body, ']');
        part++;
        char key[256];
        if (part == 1 && r == b->nrows)
            snprintf(key, sizeof key, "%s-%lld", h->spec->name, (long long)b->batch_id);
        else
            snprintf(key, sizeof key, "%s-%lld-%u", h->spec->name, (long long)b->batch_id, part);
        if (part <= done)
            continue;
        st = h->body.failed ? sl_error_set(err, SL_AGAIN, "%s: out of memory", h->where)
                            : post_part(h, key, err);
    }
    h->resuming = st != SL_OK;
    h->resume_batch = b->batch_id;
    h->parts_done = st == SL_OK ? 0 : part - 1;
    return st;
}

static void hook_close(struct sl_sink *sink)
{
    struct hook_sink *h = (struct hook_sink *)sink;
    http_post_destroy(h->post);
    buf_free(&h->body);
    sl_free(h);
}

static const struct sl_sink_ops hook_ops = {
    .deliver = hook_deliver,
    .close = hook_close,
};

static sl_status hook_open(const struct sl_sink_spec *spec, const char *saved, size_t saved_len,
                           struct sl_sink **out, struct sl_error *err)
{
    (void)saved;
    (void)saved_len;
    char address[512];
    http_post_safe_url(spec->address, address, sizeof address);
    const char *body = sink_option_text(spec, HOOK_BODY);
    if (spec->format == SL_SINK_FORMAT_CSV && body)
        return sl_error_set(err, SL_ERROR, "HTTP %s: body = '%s' is for FORMAT JSON; FORMAT CSV "
                            "sends text/csv", address, body);
    struct hook_sink *h = sl_calloc(1, sizeof *h);
    if (!h)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    h->base.ops = &hook_ops;
    h->spec = spec;
    h->body_kind = spec->format == SL_SINK_FORMAT_CSV                ? HOOK_CSV
                   : body && strcasecmp(body, "ndjson") == 0 ? HOOK_NDJSON
                                                                     : HOOK_ARRAY;
    h->max_bytes = (size_t)sink_option_num(spec, HOOK_MAX_REQUEST_BYTES);
    snprintf(h->where, sizeof h->where, "HTTP %s", address);
    buf_init(&h->body);
    sl_status st = http_post_create(sink_option_text(spec, HOOK_HEADERS),
                                    sink_option_num(spec, HOOK_TIMEOUT), &h->post, err);
    if (st != SL_OK) {
        hook_close(&h->base);
        return st;
    }
    *out = &h->base;
    return SL_OK;
}

static const char *hook_check_option(size_t i, const struct sl_option_value *v, const char **hint)
{
    if (i == HOOK_HEADERS)
        return url_headers_each(v->text, NULL, NULL);
    if (i == HOOK_BODY && strcasecmp(v->text, "array") != 0 && strcasecmp(v->text, "ndjson") != 0) {
        *hint = "'array' posts [{...},{...}], 'ndjson' one object a line";
        return "body is 'array' or 'ndjson'";
    }
    return NULL;
}

static const struct sl_option_def hook_options[] = {
    [HOOK_HEADERS] = {"headers", SL_OPTION_TEXT, 0, 0, 0, "none",
                      "request headers, 'Name: value' each, separated by ';' or a newline"},
    [HOOK_TIMEOUT] = {"timeout", SL_OPTION_DURATION, 100 * SL_US_PER_MS, 600 * SL_US_PER_SEC,
                      10 * SL_US_PER_SEC, "'10 seconds'",
                      "how long one POST may take, its connection at most 5 s of it"},
    [HOOK_MAX_REQUEST_BYTES] = {"max_request_bytes", SL_OPTION_SIZE, 1024, INT64_C(1) << 30,
                                INT64_C(5) << 20, "5242880 (5 MiB)",
                                "a larger batch is posted in parts of at most this size, each "
                                "with its own Idempotency-Key"},
    [HOOK_BODY] = {"body", SL_OPTION_TEXT, 0, 0, 0, "'array'",
                   "FORMAT JSON's body: 'array' (a JSON array of rows, application/json) or "
                   "'ndjson' (a row a line, application/x-ndjson)"},
};

const struct sl_sink_connector sink_http = {
    .name = "HTTP",
    .summary = "POSTs each batch to a URL (a webhook): a JSON array of rows, NDJSON or CSV, with "
               "an Idempotency-Key header naming the sink and the batch.",
    .guarantee = "at-least-once; exactly-once for receivers that honour Idempotency-Key (a "
                 "resent batch comes with the same key)",
    .exactly_once = false,
    .address_doc = "'http://host/path'",
    .check_address = http_post_check_url,
    .formats = 1u << SL_SINK_FORMAT_JSON | 1u << SL_SINK_FORMAT_CSV,
    .default_format = SL_SINK_FORMAT_JSON,
    .options = hook_options,
    .noptions = sizeof hook_options / sizeof hook_options[0],
    .check_option = hook_check_option,
    .open = hook_open,
};
