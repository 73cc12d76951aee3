/*
 * sink_elasticsearch.c — INTO ELASTICSEARCH 'http://host:9200' INDEX 'name':
 * each batch as _bulk requests (NDJSON: an action line, then the document).
 * A row with a key is the document whose _id is its key: an insert or an
 * update indexes it whole, a delete deletes it. A row without a key gets
 * the _id "<sink>-<batch id>-<row>", so a batch sent again overwrites its
 * own documents rather than adding copies; either way a resent batch leaves
 * the index as one delivery would.
 *
 * A delivery is one attempt: an item refused for now (429, 5xx) or a failed
 * request makes it SL_AGAIN and the engine hands the batch again later;
 * items refused for good (a mapping error) become the sink's dead letters,
 * but only once nothing else in the batch is to be tried again, so a row is
 * never reported twice. A large batch is cut into requests of at most
 * max_bulk_bytes.
 *
 * When the same batch comes again, the sink starts at the first row that
 * was not done (it remembers that row, in memory only): every row before it
 * is in the index, and sending the rest in order keeps a key's changes in
 * order. Starting over instead, a batch of a few hundred rows would rarely
 * get through while a share of items is refused (ES's 429s under load).
 * After a restart the whole batch is sent, which the _ids make harmless.
 */
#include "connectors/sink_impl.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/alloc.h"
#include "common/time.h"
#include "connectors/es_reply.h"
#include "connectors/http_post.h"
#include "connectors/row_encode.h"
#include "connectors/url_headers.h"

/* Elasticsearch refuses a longer _id (and the whole request with it). */
#define ES_MAX_ID_BYTES 512
/* A _bulk answer is some 200 bytes an item; more than this is not one. */
#define ES_MAX_REPLY_BYTES (64u << 20)

enum { ES_HEADERS, ES_TIMEOUT, ES_MAX_BULK_BYTES, ES_REFRESH };

/* A row refused for good, reported once the batch is through. */
struct es_refusal {
    uint32_t row;
    char *reason;
};

struct es_sink {
    struct sl_sink base;
    const struct sl_sink_spec *spec;
    struct http_post *post;
    char *url;         /* .../_bulk[?refresh=...] */
    char *where;       /* "Elasticsearch at <address without credentials>, index 'x'" */
    size_t max_bytes;
    struct sl_buf body, id;
    uint32_t *item_rows; /* the row of each item of the request being sent */
    uint32_t item_cap;
    struct es_refusal *refusals; /* of the batch being delivered, by row */
    size_t nrefusals, refusal_cap;
    /* The batch a delivery left unfinished, and its first row not done. */
    bool resuming;
    int64_t resume_batch;
    uint32_t resume_row;
};

static bool add_refusal(struct es_sink *s, uint32_t row, const char *reason)
{
    if (s->nrefusals == s->refusal_cap) {
        size_t cap = s->refusal_cap ? s->refusal_cap * 2 : 16;
        struct es_refusal *grown = sl_realloc(s->refusals, cap * sizeof *grown);
        if (!grown)
            return false;
        s->refusals = grown;
        s->refusal_cap = cap;
    }
    char *copy = sl_strdup(reason);
    if (!copy)
        return false;
    s->refusals[s->nrefusals++] = (struct es_refusal){row, copy};
    return true;
}

/* Forgets the refusals of rows from row on (they are sent again). */
static void drop_refusals(struct es_sink *s, uint32_t row)
{
    size_t kept = 0;
    for (size_t i = 0; i < s->nrefusals; i++) {
        if (s->refusals[i].row < row)
            s->refusals[kept++] = s->refusals[i];
        else
            sl_free(s->refusals[i].reason);
    }
    s->nrefusals = kept;
}

static bool on_item_refused(void *ctx, size_t item, const char *reason)
{
    struct es_sink *s = ctx;
    return add_refusal(s, s->item_rows[item], reason);
}

/* Row r's _id into s->id: its key, or "<sink>-<batch>-<row>" for a row without one. */
static void row_id(struct es_sink *s, const struct sl_sink_batch *b, uint32_t r)
{
    buf_clear(&s->id);
    if (s->spec->nkey)
        row_encode_key(&s->id, s->spec, b, r);
    else
        buf_printf(&s->id, "%s-%lld-%u", s->spec->name, (long long)b->batch_id, r);
}

/* Row r's action line, and its document unless it is a delete. */
static void append_row(struct es_sink *s, const struct sl_sink_batch *b, uint32_t r)
{
    bool del = s->spec->nkey && b->kinds && b->kinds[r] == SL_ROW_DELETE;
    buf_puts(&s->body, del ? "{\"delete\":{\"_index\":" : "{\"index\":{\"_index\":");
    json_encode_string(&s->body, s->spec->target, strlen(s->spec->target));
    buf_puts(&s->body, ",\"_id\":");
    json_encode_string(&s->body, s->id.data ? s->id.data : "", s->id.len);
    buf_puts(&s->body, "}}\n");
    if (!del) {
        row_encode_json(&s->body, s->spec, b, r, false);
        buf_putc(&s->body, '\n');
    }
}

/* Sends the request in s->body (nitems actions). SL_OK when every item is done or
 * refused for good; else *undone is the request's first item not done. */
static sl_status send_bulk(struct es_sink *s, uint32_t nitems, uint32_t *undone,
                           struct sl_error *err)
{
    *undone = 0;
    struct http_post_reply reply;
    http_post_reply_init(&reply);
    static const char *const accept[] = {"Accept: application/json", NULL};
    sl_status st = http_post_send(s->post, s->url, "application/x-ndjson", accept, s->body.data,
                                  s->body.len, ES_MAX_REPLY_BYTES, &reply);
    char said[512];
    http_post_describe(&reply, said, sizeof said);
    if (st == SL_NOMEM) {
        st = sl_error_set(err, SL_AGAIN, "%s: out of memory reading the answer", s->where);
    } else if (st != SL_OK || http_post_transient(reply.status)) {
        st = sl_error_set(err, SL_AGAIN, "%s: %s", s->where, said);
    } else if (reply.status == 413) {
        st = sl_error_set(err, SL_ERROR, "%s: %s (a request of %zu bytes is too large: lower "
                          "max_bulk_bytes)", s->where, said, s->body.len);
    } else if (reply.status < 200 || reply.status >= 300) {
        st = sl_error_set(err, SL_ERROR, "%s: %s", s->where, said);
    } else {
        struct es_reply r = {.refused = on_item_refused, .ctx = s};
        char why[256];
        st = es_reply_read(reply.body.data, reply.body.len, nitems, &r, why, sizeof why);
        if (st == SL_NOMEM)
            st = sl_error_set(err, SL_AGAIN, "%s: out of memory reading the answer", s->where);
        else if (st != SL_OK)
            st = sl_error_set(err, SL_ERROR, "%s: the answer to _bulk is %s", s->where, why);
        else if (r.retry) {
            *undone = (uint32_t)r.first_retry;
            st = sl_error_set(err, SL_AGAIN, "%s: %zu of %u documents refused for now (%s); "
                              "sent again from the first of them", s->where, r.retry, nitems,
                              r.retry_reason);
        }
    }
    http_post_reply_free(&reply);
    return st;
}

static sl_status es_deliver(struct sl_sink *sink, const struct sl_sink_batch *b,
                            struct sl_sink_ack *ack, struct sl_error *err)
{
    struct es_sink *s = (struct es_sink *)sink;
    uint32_t start = s->resuming && s->resume_batch == b->batch_id ? s->resume_row : 0;
    drop_refusals(s, start);
    if (b->nrows > s->item_cap) {
        uint32_t *grown = sl_realloc(s->item_rows, (size_t)b->nrows * sizeof *grown);
        if (!grown)
            return sl_error_set(err, SL_AGAIN, "%s: out of memory", s->where);
        s->item_rows = grown;
        s->item_cap = b->nrows;
    }
    sl_status st = SL_OK;
    for (uint32_t r = start; st == SL_OK && r < b->nrows;) {
        buf_clear(&s->body);
        uint32_t nitems = 0;
        for (; r < b->nrows; r++) {
            row_id(s, b, r);
            if (s->id.len > ES_MAX_ID_BYTES) {
                char why[96];
                snprintf(why, sizeof why, "its key is %zu bytes as an _id; Elasticsearch "
                         "takes at most %d", s->id.len, ES_MAX_ID_BYTES);
                if (!add_refusal(s, r, why))
                    s->body.failed = true;
                continue;
            }
            size_t mark = s->body.len;
            append_row(s, b, r);
            if (nitems > 0 && s->body.len > s->max_bytes) {
                s->body.len = mark; /* this row starts the next request */
                break;
            }
            s->item_rows[nitems++] = r;
        }
        uint32_t undone = 0;
        if (s->body.failed || s->id.failed)
            st = sl_error_set(err, SL_AGAIN, "%s: out of memory", s->where);
        else if (nitems)
            st = send_bulk(s, nitems, &undone, err);
        if (st != SL_OK) {
            s->resuming = true;
            s->resume_batch = b->batch_id;
            s->resume_row = nitems ? s->item_rows[undone] : r;
            drop_refusals(s, s->resume_row);
        }
    }
    if (st == SL_OK) {
        s->resuming = false;
        for (size_t i = 0; ack->reject && i < s->nrefusals; i++)
            ack->reject(ack->ctx, s->refusals[i].row, s->refusals[i].reason);
        drop_refusals(s, 0);
    }
    return st;
}

static void es_close(struct sl_sink *sink)
{
    struct es_sink *s = (struct es_sink *)sink;
    http_post_destroy(s->post);
    drop_refusals(s, 0);
    sl_free(s->refusals);
    sl_free(s->item_rows);
    buf_free(&s->body);
    buf_free(&s->id);
    sl_free(s->url);
    sl_free(s->where);
    sl_free(s);
}

static const struct sl_sink_ops es_ops = {
    .deliver = es_deliver,
    .close = es_close,
};

/* Why Elasticsearch would refuse this index name (its rules), or NULL. */
static const char *index_name_problem(const char *name)
{
    if (!name[0] || strlen(name) > 255)
        return "is empty or longer than 255 bytes";
    if (strchr("-_+", name[0]) || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return "starts with '-', '_' or '+', or is '.' or '..'";
    for (const char *c = name; *c; c++) {
        if (*c >= 'A' && *c <= 'Z')
            return "has upper-case letters";
        if (strchr("\\/*?\"<>| ,#:", *c))
            return "has one of \\ / * ? \" < > | , # : or a space";
    }
    return NULL;
}

static sl_status es_open(const struct sl_sink_spec *spec, const char *saved, size_t saved_len,
                         struct sl_sink **out, struct sl_error *err)
{
    (void)saved;
    (void)saved_len;
    char address[512];
    http_post_safe_url(spec->address, address, sizeof address);
    const char *problem = index_name_problem(spec->target ? spec->target : "");
    if (problem)
        return sl_error_set(err, SL_ERROR, "Elasticsearch at %s: the index name '%s' %s, which "
                            "Elasticsearch refuses", address, spec->target ? spec->target : "",
                            problem);
    struct es_sink *s = sl_calloc(1, sizeof *s);
    if (!s)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    s->base.ops = &es_ops;
    s->spec = spec;
    s->max_bytes = (size_t)sink_option_num(spec, ES_MAX_BULK_BYTES);
    buf_init(&s->body);
    buf_init(&s->id);
    struct sl_buf text;
    buf_init(&text);
    size_t len = strlen(spec->address);
    while (len && spec->address[len - 1] == '/')
        len--;
    const char *refresh = sink_option_text(spec, ES_REFRESH);
    buf_printf(&text, "%.*s/_bulk%s%s", (int)len, spec->address, refresh ? "?refresh=" : "",
               refresh ? refresh : "");
    s->url = text.failed ? NULL : sl_strdup(buf_str(&text));
    buf_clear(&text);
    buf_printf(&text, "Elasticsearch at %s, index '%s'", address, spec->target);
    s->where = text.failed ? NULL : sl_strdup(buf_str(&text));
    buf_free(&text);
    sl_status st = s->url && s->where ? SL_OK : sl_error_set(err, SL_NOMEM, "out of memory");
    if (st == SL_OK)
        st = http_post_create(sink_option_text(spec, ES_HEADERS),
                              sink_option_num(spec, ES_TIMEOUT), &s->post, err);
    if (st != SL_OK) {
        es_close(&s->base);
        return st;
    }
    *out = &s->base;
    return SL_OK;
}

static const char *es_check_option(size_t i, const struct sl_option_value *v, const char **hint)
{
    if (i == ES_HEADERS)
        return url_headers_each(v->text, NULL, NULL);
    if (i == ES_REFRESH && strcmp(v->text, "true") != 0 && strcmp(v->text, "wait_for") != 0 &&
        strcmp(v->text, "false") != 0) {
        *hint = "'wait_for' returns once the documents are searchable";
        return "refresh is 'true', 'wait_for' or 'false'";
    }
    return NULL;
}

static const struct sl_option_def es_options[] = {
    [ES_HEADERS] = {"headers", SL_OPTION_TEXT, 0, 0, 0, "none",
                    "request headers, 'Name: value' each, separated by ';' or a newline "
                    "(Authorization: ApiKey ...)"},
    [ES_TIMEOUT] = {"timeout", SL_OPTION_DURATION, 100 * SL_US_PER_MS, 600 * SL_US_PER_SEC,
                    10 * SL_US_PER_SEC, "'10 seconds'",
                    "how long one _bulk request may take, its connection at most 5 s of it"},
    [ES_MAX_BULK_BYTES] = {"max_bulk_bytes", SL_OPTION_SIZE, 1024, INT64_C(100) << 20,
                           INT64_C(5) << 20, "5242880 (5 MiB)",
                           "a larger batch is sent as several _bulk requests of at most this size"},
    [ES_REFRESH] = {"refresh", SL_OPTION_TEXT, 0, 0, 0, "none",
                    "the _bulk refresh parameter: 'wait_for' delivers once the documents are "
                    "searchable, 'true' refreshes at once"},
};

const struct sl_sink_connector sink_elasticsearch = {
    .name = "ELASTICSEARCH",
    .summary = "Indexes each row as a document through Elasticsearch's _bulk API: _id from the "
               "query's key (an update replaces the document, a delete deletes it), or sink, "
               "batch and row for append-only rows.",
    .guarantee = "exactly-once: every document has a deterministic _id (the row's key, or "
                 "sink-batch-row for append-only rows), so a resent batch overwrites what it "
                 "wrote; documents Elasticsearch refuses for good are dead letters",
    .exactly_once = true,
    .address_doc = "'http://host:9200'",
    .check_address = http_post_check_url,
    .target_word = "INDEX",
    .target_required = true,
    .formats = 1u << SL_SINK_FORMAT_JSON,
    .default_format = SL_SINK_FORMAT_JSON,
    .options = es_options,
    .noptions = sizeof es_options / sizeof es_options[0],
    .check_option = es_check_option,
    .open = es_open,
};
