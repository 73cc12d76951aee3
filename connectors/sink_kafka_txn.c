/*
 * sink_kafka_txn.c — KAFKA's transactional = true: each batch is one Kafka
 * transaction (begin, produce every row, commit), so a read_committed
 * consumer sees a batch whole or not at all. transactional.id is
 * 'sluice-<sink>' unless given: one writer at a time, a second one fences
 * the first (which then stops with the error).
 *
 * The transaction and the outbox are not one commit: a batch whose
 * transaction committed just before a crash is sent again after the restart,
 * in a new transaction (the same sluice.batch header tells the repeat).
 * A commit that times out goes on in the background and is finished by the
 * next delivery before anything else; if it was the same batch's (the engine
 * resends in order), that batch is then delivered without a second copy.
 */
#include "connectors/sink_kafka.h"

#include "common/time.h"

/* Every wait of one delivery ends by its deadline; an abort gets a little more. */
static int txn_wait_ms(int64_t deadline_us)
{
    return sink_kafka_remaining_ms(deadline_us) + KAFKA_SINK_GRACE_MS;
}

/* Abort the open transaction; when that does not finish now the next delivery does it. */
static void abort_transaction(struct kafka_sink *s, int64_t deadline_us)
{
    rd_kafka_error_t *e = rd_kafka_abort_transaction(s->rk, txn_wait_ms(deadline_us));
    s->abort_pending = e != NULL;
    if (e && rd_kafka_error_is_fatal(e))
        sink_kafka_producer_stop(s);
    if (e)
        rd_kafka_error_destroy(e);
}

/* What a failed step of a transaction means for the batch: fatal (fenced by
 * another producer, not authorised) stops the sink; abortable aborts and the
 * batch goes again; retriable is resumed by the next delivery; anything else
 * gets a fresh producer. Consumes e. */
static sl_status txn_failed(struct kafka_sink *s, rd_kafka_error_t *e, const char *step,
                            int64_t deadline_us, struct sl_error *err)
{
    const char *name = s->spec->name;
    sl_status st;
    rd_kafka_poll(s->rk, 0); /* the transactional calls leave librdkafka's own errors queued */
    if (rd_kafka_error_is_fatal(e) || s->attempt.stop_error) {
        st = sl_error_set(err, SL_ERROR, "KAFKA sink %s: transaction %s (transactional.id %s): %s",
                          name, step, s->transactional_id,
                          s->attempt.stop_error ? rd_kafka_err2str(s->attempt.stop_error)
                                                : rd_kafka_error_string(e));
        sink_kafka_producer_stop(s);
    } else if (rd_kafka_error_txn_requires_abort(e)) {
        st = sl_error_set(err, SL_AGAIN, "KAFKA sink %s: transaction aborted at %s: %s", name,
                          step, rd_kafka_error_string(e));
        abort_transaction(s, deadline_us);
    } else if (rd_kafka_error_is_retriable(e)) {
        char note[sizeof s->client_error + 4];
        st = sl_error_set(err, SL_AGAIN, "KAFKA sink %s: transaction %s: %s%s", name, step,
                          rd_kafka_error_string(e), sink_kafka_client_note(s, note, sizeof note));
    } else {
        st = sl_error_set(err, SL_AGAIN, "KAFKA sink %s: transaction %s: %s", name, step,
                          rd_kafka_error_string(e));
        sink_kafka_producer_stop(s);
    }
    s->attempt.collecting = false;
    rd_kafka_error_destroy(e);
    return st;
}

/* Brings the producer to where a new transaction can begin: transactions
 * initialised, a commit in doubt finished (*done: it was b's), an abort done. */
static sl_status txn_prepare(struct kafka_sink *s, const struct sl_sink_batch *b,
                             int64_t deadline_us, bool *done, struct sl_error *err)
{
    rd_kafka_error_t *e;
    *done = false;
    if (!s->txn_ready) {
        if ((e = rd_kafka_init_transactions(s->rk, sink_kafka_remaining_ms(deadline_us))))
            return txn_failed(s, e, "init", deadline_us, err);
        s->txn_ready = true;
    }
    if (s->commit_in_doubt >= 0) {
        if ((e = rd_kafka_commit_transaction(s->rk, sink_kafka_remaining_ms(deadline_us)))) {
            if (!rd_kafka_error_is_retriable(e))
                s->commit_in_doubt = -1;
            return txn_failed(s, e, "commit", deadline_us, err);
        }
        *done = s->commit_in_doubt == b->batch_id;
        s->commit_in_doubt = -1;
    }
    if (s->abort_pending) {
        if ((e = rd_kafka_abort_transaction(s->rk, sink_kafka_remaining_ms(deadline_us))))
            return txn_failed(s, e, "abort", deadline_us, err);
        s->abort_pending = false;
    }
    return SL_OK;
}

sl_status sink_kafka_deliver_txn(struct kafka_sink *s, const struct sl_sink_batch *b,
                                 struct sl_sink_ack *ack, struct sl_error *err)
{
    int64_t deadline = sl_monotonic_us() + (int64_t)s->timeout_ms * SL_US_PER_MS;
    bool done;
    sl_status st = txn_prepare(s, b, deadline, &done, err);
    if (st != SL_OK || done) {
        if (done)
            sink_kafka_reject_refused(s, b, ack);
        return st;
    }
    rd_kafka_error_t *e = rd_kafka_begin_transaction(s->rk);
    if (e)
        return txn_failed(s, e, "begin", deadline, err);
    st = sink_kafka_produce_batch(s, b, deadline, err);
    if (st != SL_OK || s->attempt.failed) {
        /* Part of the batch is not in the transaction: it must not commit. */
        s->attempt.collecting = false;
        abort_transaction(s, deadline);
        return st != SL_OK ? st : sink_kafka_outcome(s, b, ack, err);
    }
    if ((e = rd_kafka_commit_transaction(s->rk, sink_kafka_remaining_ms(deadline)))) {
        if (rd_kafka_error_is_retriable(e) && !rd_kafka_error_txn_requires_abort(e))
            s->commit_in_doubt = b->batch_id;
        return txn_failed(s, e, "commit", deadline, err);
    }
    s->attempt.collecting = false;
    return sink_kafka_outcome(s, b, ack, err);
}
