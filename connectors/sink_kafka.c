/*
 * sink_kafka.c — INTO KAFKA 'brokers' TOPIC 't': each row of a delivered
 * batch becomes one message of librdkafka's idempotent producer (acks=all,
 * so its own retries never duplicate a message): FORMAT JSON (with "op" when
 * rows change) or CSV, keyed by the row's key columns, and the DELETE of a
 * key a tombstone (a message without value), which is what compacted topics
 * expect. Every message carries two headers, sluice.batch = "<sink>:<batch
 * id>" and sluice.row = its row in the batch, which identify it across the
 * resends a failure or a crash brings.
 *
 * A batch counts as delivered once every message's delivery report says so;
 * otherwise the engine sends it again, whole (at-least-once). A row too large
 * for a message is rejected alone. With transactional = true
 * (sink_kafka_txn.c) each batch is one Kafka transaction. This file holds the
 * connector, the producer, the messages and the at-least-once delivery.
 */
#include "connectors/sink_kafka.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/time.h"
#include "connectors/kafka_impl.h"
#include "connectors/row_encode.h"

int sink_kafka_remaining_ms(int64_t deadline_us)
{
    int64_t left = (deadline_us - sl_monotonic_us()) / SL_US_PER_MS;
    return left > 0 ? (int)left : 0;
}

/* What producev refuses about one message (it is larger than message.max.bytes)
 * no resend cures: that row alone is rejected. A broker's refusal comes for a
 * whole request of messages, innocent ones too: that one needs the user. */
static bool refuses_the_row(rd_kafka_resp_err_t e)
{
    return e == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE;
}

bool sink_kafka_needs_user(rd_kafka_resp_err_t e)
{
    switch (e) {
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
    case RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE:
    case RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION:
    case RD_KAFKA_RESP_ERR_PRODUCER_FENCED:
    case RD_KAFKA_RESP_ERR__FENCED:
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE: /* the topic's max.message.bytes is lower */
    case RD_KAFKA_RESP_ERR_INVALID_RECORD:     /* e.g. a message without key to a compacted topic */
    case RD_KAFKA_RESP_ERR_INVALID_MSG:
    case RD_KAFKA_RESP_ERR_POLICY_VIOLATION:
        return true;
    default:
        return false;
    }
}

/* Counts what the delivery reports of the current attempt say; a report of
 * an earlier, abandoned attempt (collecting is off) is not counted. */
static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk;
    struct kafka_sink *s = opaque;
    struct kafka_attempt *at = &s->attempt;
    if (!at->collecting)
        return;
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        at->acked++;
    } else {
        if (at->failed++ == 0)
            at->first_error = m->err;
        if (sink_kafka_needs_user(m->err))
            at->stop_error = m->err;
    }
}

/* librdkafka's errors about its connections (served by poll and flush on the
 * delivering thread), said once per outage: kept until a delivery succeeds. */
static void on_client_error(rd_kafka_t *rk, int code, const char *reason, void *opaque)
{
    (void)rk, (void)code;
    struct kafka_sink *s = opaque;
    snprintf(s->client_error, sizeof s->client_error, "%s", reason);
}

const char *sink_kafka_client_note(struct kafka_sink *s, char *note, size_t cap)
{
    if (!s->client_error[0])
        return "";
    snprintf(note, cap, " (%s)", s->client_error);
    return note;
}

sl_status sink_kafka_producer_start(struct kafka_sink *s, struct sl_error *err)
{
    const struct sl_sink_spec *spec = s->spec;
    char text[32], why[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (!conf)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    snprintf(text, sizeof text, "%d", s->timeout_ms);
    sl_status st;
    if ((st = kafka_conf_set(conf, "bootstrap.servers", spec->address, err)) != SL_OK ||
        (st = kafka_conf_set(conf, "enable.idempotence", "true", err)) != SL_OK ||
        (st = kafka_conf_set(conf, "acks", "all", err)) != SL_OK ||
        /* A message not acknowledged by then fails, so that a delivery ends in time. */
        (st = kafka_conf_set(conf, "message.timeout.ms", text, err)) != SL_OK ||
        (s->transactional &&
         (st = kafka_conf_set(conf, "transactional.id", s->transactional_id, err)) != SL_OK) ||
        (spec->options[KAFKA_SINK_PROPERTIES].set &&
         (st = kafka_conf_properties(conf, spec->options[KAFKA_SINK_PROPERTIES].text, err)) !=
             SL_OK)) {
        rd_kafka_conf_destroy(conf);
        return st;
    }
    rd_kafka_conf_set_log_cb(conf, kafka_quiet_log);
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    rd_kafka_conf_set_error_cb(conf, on_client_error);
    rd_kafka_conf_set_opaque(conf, s);
    s->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, why, sizeof why);
    if (!s->rk) {
        rd_kafka_conf_destroy(conf);
        return sl_error_set(err, SL_ERROR, "KAFKA sink %s: cannot make a producer: %s",
                            spec->name, why);
    }
    s->rkt = rd_kafka_topic_new(s->rk, spec->target, NULL);
    if (!s->rkt) {
        sink_kafka_producer_stop(s);
        return sl_error_set(err, SL_ERROR, "KAFKA sink %s: topic %s: %s", spec->name,
                            spec->target, rd_kafka_err2str(rd_kafka_last_error()));
    }
    s->txn_ready = false;
    s->abort_pending = false;
    s->commit_in_doubt = -1;
    return SL_OK;
}

void sink_kafka_producer_stop(struct kafka_sink *s)
{
    s->attempt.collecting = false;
    if (s->rkt)
        rd_kafka_topic_destroy(s->rkt);
    if (s->rk)
        rd_kafka_destroy(s->rk);
    s->rkt = NULL;
    s->rk = NULL;
}

/* The rows refused are remembered with their batch: a commit in doubt that
 * a later delivery of the batch finishes still rejects them. */
static sl_status refused_for(struct kafka_sink *s, const struct sl_sink_batch *b)
{
    if (s->refused_batch == b->batch_id && s->nrefused == b->nrows)
        return SL_OK;
    sl_free(s->refused);
    s->refused = sl_calloc(b->nrows ? b->nrows : 1, sizeof *s->refused);
    s->nrefused = s->refused ? b->nrows : 0;
    s->refused_batch = s->refused ? b->batch_id : -1;
    return s->refused ? SL_OK : SL_NOMEM;
}

/* Row r as a message; *tombstone when it is the DELETE of a key. */
static void encode_row(struct kafka_sink *s, const struct sl_sink_batch *b, uint32_t r,
                       bool *tombstone)
{
    const struct sl_sink_spec *spec = s->spec;
    uint8_t kind = b->kinds ? b->kinds[r] : SL_ROW_INSERT;
    buf_clear(&s->key);
    buf_clear(&s->value);
    if (spec->nkey)
        row_encode_key(&s->key, spec, b, r);
    *tombstone = spec->changelog && spec->nkey && kind == SL_ROW_DELETE;
    if (*tombstone)
        return;
    if (s->format == SL_SINK_FORMAT_CSV) {
        row_encode_csv(&s->value, spec, b, r);
        if (s->value.len && s->value.data[s->value.len - 1] == '\n')
            s->value.len--; /* a message is its own frame: one CSV record, no line end */
    } else {
        row_encode_json(&s->value, spec, b, r, spec->changelog);
    }
}

/* Hands row r to the producer; waits (polling its reports) while its queue is
 * full, until the deadline. */
static rd_kafka_resp_err_t produce_row(struct kafka_sink *s, uint32_t r, bool tombstone,
                                       int64_t deadline_us)
{
    char row_text[16];
    snprintf(row_text, sizeof row_text, "%u", r);
    /* rdkafka.h's macros cast their arguments unparenthesised: a conditional
     * written inside one would be cast before it is chosen. */
    const char *key = s->spec->nkey ? (s->key.data ? s->key.data : "") : NULL;
    void *value = tombstone ? NULL : (s->value.data ? s->value.data : "");
    size_t value_len = tombstone ? 0 : s->value.len;
    for (;;) {
        rd_kafka_resp_err_t e = rd_kafka_producev(
            s->rk, RD_KAFKA_V_RKT(s->rkt), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
            RD_KAFKA_V_KEY(key, s->key.len), RD_KAFKA_V_VALUE(value, value_len),
            RD_KAFKA_V_HEADER("sluice.batch", s->batch_header, -1),
            RD_KAFKA_V_HEADER("sluice.row", row_text, -1), RD_KAFKA_V_END);
        if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL || sl_monotonic_us() >= deadline_us)
            return e;
        rd_kafka_poll(s->rk, 50);
    }
}

sl_status sink_kafka_produce_batch(struct kafka_sink *s, const struct sl_sink_batch *b,
                                   int64_t deadline_us, struct sl_error *err)
{
    struct kafka_attempt *at = &s->attempt;
    if (refused_for(s, b) != SL_OK)
        return sl_error_set(err, SL_AGAIN, "out of memory sending a batch to Kafka");
    *at = (struct kafka_attempt){.collecting = true};
    snprintf(s->batch_header, sizeof s->batch_header, "%s:%lld", s->spec->name,
             (long long)b->batch_id);
    for (uint32_t r = 0; r < b->nrows; r++)
        at->expected += !s->refused[r];
    for (uint32_t r = 0; r < b->nrows; r++) {
        if (s->refused[r])
            continue;
        bool tombstone;
        encode_row(s, b, r, &tombstone);
        if (s->key.failed || s->value.failed)
            return sl_error_set(err, SL_AGAIN, "out of memory sending a batch to Kafka");
        rd_kafka_resp_err_t e = produce_row(s, r, tombstone, deadline_us);
        if (e == RD_KAFKA_RESP_ERR_NO_ERROR)
            continue;
        if (refuses_the_row(e)) {
            s->refused[r] = e;
            at->refused++;
            continue;
        }
        /* The rest is not sent: the batch goes again whole. */
        at->failed++;
        at->first_error = at->first_error ? at->first_error : e;
        if (sink_kafka_needs_user(e))
            at->stop_error = e;
        break;
    }
    return SL_OK;
}

sl_status sink_kafka_outcome(struct kafka_sink *s, const struct sl_sink_batch *b,
                             struct sl_sink_ack *ack, struct sl_error *err)
{
    const struct kafka_attempt *at = &s->attempt;
    const char *name = s->spec->name, *topic = s->spec->target;
    if (at->stop_error)
        return sl_error_set(err, SL_ERROR, "KAFKA sink %s: topic %s: %s", name, topic,
                            rd_kafka_err2str(at->stop_error));
    char note[sizeof s->client_error + 4];
    if (at->acked + at->refused < at->expected)
        return sl_error_set(err, SL_AGAIN,
                            "KAFKA sink %s: %u of %u messages to topic %s not acknowledged: %s%s",
                            name, at->expected - at->acked - at->refused, at->expected, topic,
                            at->first_error ? rd_kafka_err2str(at->first_error)
                                            : "no delivery report in time",
                            sink_kafka_client_note(s, note, sizeof note));
    s->client_error[0] = '\0';
    sink_kafka_reject_refused(s, b, ack);
    return SL_OK;
}

void sink_kafka_reject_refused(struct kafka_sink *s, const struct sl_sink_batch *b,
                               struct sl_sink_ack *ack)
{
    if (s->refused_batch != b->batch_id)
        return;
    for (uint32_t r = 0; r < b->nrows && ack && ack->reject; r++) {
        if (!s->refused[r])
            continue;
        char reason[160];
        snprintf(reason, sizeof reason,
                 "the row's message for topic %s is larger than message.max.bytes: %s",
                 s->spec->target, rd_kafka_err2str(s->refused[r]));
        ack->reject(ack->ctx, r, reason);
    }
}

/* At-least-once: produce the batch, wait for every report (bounded by the
 * producer's message timeout); what is still queued then is purged, and a
 * producer that still holds messages after that is replaced. */
static sl_status deliver_plain(struct kafka_sink *s, const struct sl_sink_batch *b,
                               struct sl_sink_ack *ack, struct sl_error *err)
{
    int64_t deadline = sl_monotonic_us() + (int64_t)s->timeout_ms * SL_US_PER_MS;
    sl_status st = sink_kafka_produce_batch(s, b, deadline, err);
    if (rd_kafka_flush(s->rk, sink_kafka_remaining_ms(deadline) + KAFKA_SINK_GRACE_MS)) {
        rd_kafka_purge(s->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        rd_kafka_flush(s->rk, KAFKA_SINK_GRACE_MS); /* serves the purged messages' reports */
    }
    s->attempt.collecting = false;
    if (st == SL_OK)
        st = sink_kafka_outcome(s, b, ack, err);
    rd_kafka_resp_err_t fatal = rd_kafka_fatal_error(s->rk, NULL, 0);
    if (fatal || rd_kafka_outq_len(s->rk) > 0)
        sink_kafka_producer_stop(s); /* the next delivery starts a fresh one */
    if (fatal && st != SL_ERROR)
        st = sl_error_set(err, sink_kafka_needs_user(fatal) ? SL_ERROR : SL_AGAIN,
                          "KAFKA sink %s: the producer failed: %s", s->spec->name,
                          rd_kafka_err2str(fatal));
    return st;
}

static sl_status kafka_sink_deliver(struct sl_sink *sink, const struct sl_sink_batch *b,
                                    struct sl_sink_ack *ack, struct sl_error *err)
{
    struct kafka_sink *s = (struct kafka_sink *)sink;
    sl_status st;
    if (!s->rk && (st = sink_kafka_producer_start(s, err)) != SL_OK)
        return st == SL_NOMEM ? sl_error_set(err, SL_AGAIN, "out of memory") : st;
    return s->transactional ? sink_kafka_deliver_txn(s, b, ack, err)
                            : deliver_plain(s, b, ack, err);
}

static void kafka_sink_close(struct sl_sink *sink)
{
    struct kafka_sink *s = (struct kafka_sink *)sink;
    sink_kafka_producer_stop(s);
    buf_free(&s->key);
    buf_free(&s->value);
    sl_free(s->refused);
    sl_free(s->transactional_id);
    sl_free(s);
}

static const struct sl_sink_ops kafka_sink_ops = {
    .deliver = kafka_sink_deliver,
    .close = kafka_sink_close,
};

static sl_status kafka_sink_open(const struct sl_sink_spec *spec, const char *saved,
                                 size_t saved_len, struct sl_sink **out, struct sl_error *err)
{
    (void)saved, (void)saved_len; /* nothing to resume: a resent batch is sent again */
    if (!spec->target || !spec->target[0])
        return sl_error_set(err, SL_ERROR, "KAFKA sink %s: no TOPIC 'name' to write to",
                            spec->name);
    struct kafka_sink *s = sl_calloc(1, sizeof *s);
    if (!s)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    s->base.ops = &kafka_sink_ops;
    s->spec = spec;
    s->format = spec->format ? spec->format : SL_SINK_FORMAT_JSON;
    s->timeout_ms = (int)(sink_option_num(spec, KAFKA_SINK_TIMEOUT) / SL_US_PER_MS);
    s->transactional = sink_option_num(spec, KAFKA_SINK_TRANSACTIONAL) != 0;
    const char *id = sink_option_text(spec, KAFKA_SINK_TRANSACTIONAL_ID);
    size_t id_len = id ? strlen(id) : strlen("sluice-") + strlen(spec->name);
    s->transactional_id = sl_malloc(id_len + 1);
    s->refused_batch = -1;
    s->commit_in_doubt = -1;
    buf_init(&s->key);
    buf_init(&s->value);
    if (!s->transactional_id) {
        kafka_sink_close(&s->base);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    snprintf(s->transactional_id, id_len + 1, "%s%s", id ? id : "sluice-", id ? "" : spec->name);
    sl_status st = sink_kafka_producer_start(s, err);
    if (st != SL_OK) {
        kafka_sink_close(&s->base);
        return st;
    }
    *out = &s->base;
    return SL_OK;
}

static const char *kafka_sink_check_address(const char *address, const char **hint)
{
    const char *why = kafka_check_address(address, hint);
    if (why)
        *hint = "e.g. INTO KAFKA '127.0.0.1:9092,10.0.0.2:9092'";
    return why;
}

static const char *kafka_sink_check_option(size_t i, const struct sl_option_value *v,
                                           const char **hint)
{
    if (i == KAFKA_SINK_PROPERTIES)
        return kafka_check_properties(v->text, hint);
    if (i == KAFKA_SINK_TRANSACTIONAL_ID && !v->text[0]) {
        *hint = "transactional_id = 'orders-to-kafka'";
        return "the transactional.id is empty";
    }
    return NULL;
}

static const struct sl_option_def kafka_sink_options[] = {
    [KAFKA_SINK_TRANSACTIONAL] = {"transactional", SL_OPTION_BOOL, 0, 1, 0, "false",
                                  "each batch one Kafka transaction: read_committed consumers "
                                  "see whole batches or nothing"},
    [KAFKA_SINK_TRANSACTIONAL_ID] = {"transactional_id", SL_OPTION_TEXT, 0, 0, 0,
                                     "'sluice-<sink>'",
                                     "the producer's transactional.id (one writer per id)"},
    [KAFKA_SINK_TIMEOUT] = {"timeout", SL_OPTION_DURATION, 100 * SL_US_PER_MS,
                            60 * SL_US_PER_SEC, 5 * SL_US_PER_SEC, "5 seconds",
                            "how long one delivery waits for the brokers' acknowledgements"},
    [KAFKA_SINK_PROPERTIES] = {"properties", SL_OPTION_TEXT, 0, 0, 0, "none",
                               "librdkafka settings, 'key=value;key=value' (security, "
                               "compression, batching)"},
};

const struct sl_sink_connector sink_kafka = {
    .name = "KAFKA",
    .summary = "Produces each row as one message to a Kafka topic (librdkafka's idempotent "
               "producer, acks=all), keyed by KEY (...) or the query's key, JSON or CSV; the "
               "DELETE of a key is a tombstone. Headers sluice.batch and sluice.row name "
               "each message's batch and row.",
    .guarantee = "at-least-once: a batch not acknowledged in full, or sent just before a "
                 "crash, is sent again whole (the same sluice.batch and sluice.row headers, "
                 "for consumers to drop repeats); with transactional = true, "
                 "read_committed consumers never see part of a batch",
    .exactly_once = false,
    .address_doc = "'host:port[,host:port...]'",
    .check_address = kafka_sink_check_address,
    .target_word = "TOPIC",
    .target_required = true,
    .formats = 1u << SL_SINK_FORMAT_JSON | 1u << SL_SINK_FORMAT_CSV,
    .default_format = SL_SINK_FORMAT_JSON,
    .takes_key = true,
    .options = kafka_sink_options,
    .noptions = sizeof kafka_sink_options / sizeof kafka_sink_options[0],
    .check_option = kafka_sink_check_option,
    .open = kafka_sink_open,
};
