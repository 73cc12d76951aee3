/*
 * sink_kafka.h — private to connectors/: what the KAFKA sink's two files
 * share. sink_kafka.c is the connector, the producer and the messages (and
 * the at-least-once delivery); sink_kafka_txn.c delivers a batch as one
 * Kafka transaction (transactional = true).
 */
#ifndef SL_SINK_KAFKA_H
#define SL_SINK_KAFKA_H

#include <librdkafka/rdkafka.h>

#include "connectors/sink_impl.h"

/* The options' indices in the connector's table. */
enum kafka_sink_option {
    KAFKA_SINK_TRANSACTIONAL,
    KAFKA_SINK_TRANSACTIONAL_ID,
    KAFKA_SINK_TIMEOUT,
    KAFKA_SINK_PROPERTIES,
};

/* After the producer's own message timeout: time for the last reports to arrive. */
#define KAFKA_SINK_GRACE_MS 1000

/* What the delivery reports of one attempt at a batch say. */
struct kafka_attempt {
    bool collecting;    /* reports now belong to this attempt */
    uint32_t expected;  /* messages the batch needs (rows not refused before) */
    uint32_t acked;     /* reports of success */
    uint32_t refused;   /* rows the producer refused (too large) */
    uint32_t failed;    /* messages that failed otherwise (or were never produced) */
    rd_kafka_resp_err_t first_error;
    rd_kafka_resp_err_t stop_error; /* one that needs the user (authorisation, fencing) */
};

struct kafka_sink {
    struct sl_sink base;
    const struct sl_sink_spec *spec; /* lives as long as the sink */
    enum sl_sink_format format;
    int timeout_ms;
    bool transactional;
    char *transactional_id;
    rd_kafka_t *rk; /* NULL after a failure that needs a fresh producer */
    rd_kafka_topic_t *rkt;
    bool txn_ready;          /* init_transactions done on rk */
    bool abort_pending;      /* a failed transaction whose abort did not finish */
    int64_t commit_in_doubt; /* the batch whose commit timed out (it goes on); -1: none */
    /* Rows of batch refused_batch the producer refused (their error; 0: none). */
    int64_t refused_batch;
    rd_kafka_resp_err_t *refused;
    uint32_t nrefused;
    struct kafka_attempt attempt;
    /* librdkafka's last word on its brokers since the last delivery ("Connect to
     * ipv4#... failed: Connection refused"): what a timed-out message does not say. */
    char client_error[200];
    char batch_header[160]; /* sluice.batch of the batch being sent */
    struct sl_buf key, value;
};

/* " (librdkafka's last error about its brokers)", or "" when there was none. */
const char *sink_kafka_client_note(struct kafka_sink *s, char *note, size_t cap);
/* Milliseconds from now to deadline (monotonic microseconds), 0 when past. */
int sink_kafka_remaining_ms(int64_t deadline_us);
/* Errors no resend cures and the user must see: the sink stops (SL_ERROR). */
bool sink_kafka_needs_user(rd_kafka_resp_err_t e);
/* A producer for s (its settings, the delivery reports' callback); and its end. */
sl_status sink_kafka_producer_start(struct kafka_sink *s, struct sl_error *err);
void sink_kafka_producer_stop(struct kafka_sink *s);
/* Starts a new attempt and hands every row of b not refused before to the
 * producer (a row it refuses at once is refused; another error stops it). */
sl_status sink_kafka_produce_batch(struct kafka_sink *s, const struct sl_sink_batch *b,
                                   int64_t deadline_us, struct sl_error *err);
/* What the attempt's reports add up to: SL_ERROR (needs the user), SL_AGAIN
 * (something unacknowledged) or SL_OK, the refused rows rejected through ack. */
sl_status sink_kafka_outcome(struct kafka_sink *s, const struct sl_sink_batch *b,
                             struct sl_sink_ack *ack, struct sl_error *err);
/* Rows of b refused for good, rejected through ack. */
void sink_kafka_reject_refused(struct kafka_sink *s, const struct sl_sink_batch *b,
                               struct sl_sink_ack *ack);
/* transactional = true: the batch as one transaction (sink_kafka_txn.c). */
sl_status sink_kafka_deliver_txn(struct kafka_sink *s, const struct sl_sink_batch *b,
                                 struct sl_sink_ack *ack, struct sl_error *err);

#endif
