/*
 * sink.h — where a query's results go on from Sluice: PostgreSQL, files,
 * Elasticsearch, HTTP, Kafka, stdout. A sink connector knows nothing of
 * queries or SQLite: the engine hands it one committed batch at a time (the
 * rows the query emitted in that batch, each with its change kind) and it
 * answers once the target holds them.
 *
 * The engine keeps every batch in an outbox table until the sink says it is
 * delivered, and hands it again after a failure or a restart, so a batch can
 * arrive twice. A sink is exactly-once when delivering the same batch id
 * again leaves its target as it was (PostgreSQL's progress row, a file named
 * by batch, Elasticsearch's _id), at-least-once otherwise; each says which
 * (delivery) and docs/connectors.md prints it.
 *
 * Threads: each sink runs on its own delivery thread; its calls are never
 * concurrent. deliver may block (a network round trip) but must return within
 * about its own timeout so that a stop is not held up for long.
 */
#ifndef SL_SINK_H
#define SL_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/chunk.h"
#include "common/status.h"
#include "common/value.h"
#include "connectors/registry.h"

/* How a sink writes rows as bytes (FORMAT after the target); SL_SINK_FORMAT_DEFAULT: the
 * connector's. */
enum sl_sink_format {
    SL_SINK_FORMAT_DEFAULT = 0,
    SL_SINK_FORMAT_JSON,  /* one JSON object per row; "op" holds the change kind when rows change */
    SL_SINK_FORMAT_CSV,   /* RFC 4180; a header line where the target has a beginning (a file) */
    SL_SINK_FORMAT_TABLE, /* aligned columns for people (STDOUT) */
};

#define SL_SINK_MAX_KEY 16

struct sl_sink_spec {
    const struct sl_sink_connector *connector;
    const char *name;    /* the sink's name: in idempotency keys, file names, progress rows */
    const char *address; /* what follows INTO NAME; NULL when the connector takes none */
    const char *target;  /* TABLE / INDEX / TOPIC 'x'; NULL when not given */
    enum sl_sink_format format;
    /* The rows' columns, in order. */
    uint32_t ncols;
    const char *const *names;
    const enum sl_type *types;
    /* The columns that identify a row (the query's GROUP BY key with its window
     * bounds, or KEY (...)): upserts, document ids, message keys. nkey == 0: the
     * rows are append-only and have no key. */
    uint32_t nkey;
    uint32_t key[SL_SINK_MAX_KEY]; /* column indexes */
    /* Whether the rows can change (EMIT CHANGES over a key): then every row has a
     * change kind a target should carry (upsert / delete, a JSON "op"). */
    bool changelog;
    /* By index in connector->options; an unset one is the option's default. */
    struct sl_option_value options[SL_CONNECTOR_MAX_OPTIONS];
};

/* Option i of spec (a number), or its default. */
int64_t sink_option_num(const struct sl_sink_spec *spec, size_t i);
/* Option i of spec (TEXT), or NULL when not set. */
const char *sink_option_text(const struct sl_sink_spec *spec, size_t i);

/* One committed batch of a query's output, in the order the query emitted it. */
struct sl_sink_batch {
    int64_t batch_id;      /* the query's batch number: the same batch always has the same rows */
    int64_t committed_us;  /* when the query committed it (wall clock, microseconds) */
    uint32_t nrows;
    /* Row r, column c: values[r * ncols + c]; text lives as long as the batch. */
    const struct sl_value *values;
    const uint8_t *kinds;          /* enum sl_row_kind per row */
};

/* What a delivery tells the engine besides its status. */
struct sl_sink_ack {
    /* Rows the target refused for good (a mapping error, a document Elasticsearch
     * rejects): each becomes a dead letter of the sink, the rest count as delivered.
     * Called by deliver; ctx is the engine's. */
    void (*reject)(void *ctx, uint32_t row, const char *reason);
    void *ctx;
    /* What the sink must know after a restart (a file's name and length): set by
     * deliver, saved in the same SQLite transaction that marks the batch delivered
     * and handed to open next time. Left empty: the previous state stays. */
    struct sl_buf state;
};

struct sl_sink;

struct sl_sink_ops {
    /*
     * Delivers batch: SL_OK once the target holds it (or refused rows through
     * ack->reject); SL_AGAIN when trying later may work (the target is down, a
     * timeout, a 503), err saying why; SL_ERROR when it cannot work without the
     * user's help (the table has other columns, a 400 for every row).
     */
    sl_status (*deliver)(struct sl_sink *s, const struct sl_sink_batch *batch,
                         struct sl_sink_ack *ack, struct sl_error *err);
    /* Called when the outbox is empty and the engine is about to wait (a file
     * rolls by time, a producer flushes); may be NULL. SL_AGAIN/SL_ERROR as deliver. */
    sl_status (*idle)(struct sl_sink *s, int64_t now_us, struct sl_error *err);
    void (*close)(struct sl_sink *s);
};

struct sl_sink {
    const struct sl_sink_ops *ops;
};

struct sl_sink_connector {
    const char *name;    /* upper case, as the docs write it: "POSTGRES" */
    const char *summary; /* docs: where it writes, in a sentence */
    /* Docs: what a restart or a retry can do to the target (the guarantee table). */
    const char *guarantee;
    bool exactly_once; /* delivering a batch again leaves the target as it was */
    /* 'address' after INTO NAME: what it is, NULL when it takes none (STDOUT). */
    const char *address_doc;
    const char *(*check_address)(const char *address, const char **hint);
    /* The word before the target's 'name' (TABLE, INDEX, TOPIC), NULL when there is none;
     * target_required: a sink without it is refused. */
    const char *target_word;
    bool target_required;
    /* FORMATs it writes, as a bit set of 1 << enum sl_sink_format; 0: it takes no FORMAT. */
    unsigned formats;
    enum sl_sink_format default_format;
    bool takes_key; /* KEY (col, ...) means something to it (Kafka's message key) */
    const struct sl_option_def *options;
    size_t noptions;
    const char *(*check_option)(size_t i, const struct sl_option_value *v, const char **hint);
    /* saved: the state the last delivery left (sl_sink_ack.state), len 0 at first. */
    sl_status (*open)(const struct sl_sink_spec *spec, const char *saved, size_t saved_len,
                      struct sl_sink **out, struct sl_error *err);
};

/* The options every sink takes, which the engine's delivery loop reads (not the
 * connector): max_outbox_rows, retry_initial, retry_max. */
#define SL_SINK_DELIVERY_NOPTIONS 3
extern const struct sl_option_def sink_delivery_options[SL_SINK_DELIVERY_NOPTIONS];

/* Case-insensitive lookup by name; NULL if there is none. */
const struct sl_sink_connector *sink_connector_find(const char *name);
size_t sink_connector_count(void);
const struct sl_sink_connector *sink_connector_at(size_t i);
int sink_connector_option_index(const struct sl_sink_connector *c, const char *name);
/* "JSON", "CSV", "TABLE"; and back (false for an unknown name). */
const char *sink_format_name(enum sl_sink_format f);
bool sink_format_from_name(const char *name, enum sl_sink_format *out);

static inline sl_status sink_deliver(struct sl_sink *s, const struct sl_sink_batch *b,
                                     struct sl_sink_ack *ack, struct sl_error *err)
{
    return s->ops->deliver(s, b, ack, err);
}
static inline sl_status sink_idle(struct sl_sink *s, int64_t now_us, struct sl_error *err)
{
    return s->ops->idle ? s->ops->idle(s, now_us, err) : SL_OK;
}
static inline void sink_close(struct sl_sink *s)
{
    if (s)
        s->ops->close(s);
}

#endif
