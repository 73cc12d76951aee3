/*
 * source_kafka.c — FROM KAFKA 'brokers' TOPIC 't': a topic's partitions read
 * with librdkafka, assigned statically (never through a consumer group's
 * rebalancing), each from the position Sluice's checkpoint keeps. Offsets
 * are never committed to Kafka to be resumed from; `group` only mirrors the
 * committed position there for lag tools.
 *
 * The consumer connects lazily: the first reads fetch the topic's metadata
 * and its partitions' offsets (a bounded wait each, retried with backoff
 * while the brokers or the topic are missing) and assign the partitions.
 * librdkafka then reconnects by itself; errors it reports arrive on the
 * consumer queue and change the state SHOW STREAMS prints, logged once per
 * change. Offsets that fell out of retention are counted as a gap.
 */
#include "connectors/kafka_impl.h"
#include "connectors/kafka_partitions.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"

/* How long one metadata or offsets request may hold a step. */
#define KAFKA_REQUEST_MS 1000
#define KAFKA_BACKOFF_FIRST_MS 100
#define KAFKA_BACKOFF_MAX_MS 5000

enum kafka_state { KAFKA_CONNECTING, KAFKA_NO_BROKERS, KAFKA_NO_TOPIC, KAFKA_READING, KAFKA_DONE };

struct source_kafka {
    struct sl_source base;
    rd_kafka_t *rk;
    rd_kafka_queue_t *queue;
    char *topic;
    bool start_latest, bounded, commit_group;
    int32_t *wanted; /* the `partitions` option; NULL: all of the topic's */
    size_t nwanted;
    struct kafka_partition *parts;
    int32_t *ids; /* parts[i].id, for source_partitions */
    size_t nparts;
    char *resume_at; /* a checkpoint's position, applied when the partitions are assigned */
    rd_kafka_message_t **held; /* handed out by the last read, destroyed by the next */
    size_t nheld, cap_held;
    bool assigned; /* metadata and offsets known, partitions assigned: librdkafka reads */
    enum kafka_state state;
    char state_text[256];
    /* Since the last broker error: records it had fetched before (still
     * queued, read through the outage) and records read. More read than
     * were queued means the brokers answer again. */
    size_t queued_at_error, read_since_error;
    int64_t next_attempt_us;
    int backoff_ms;
    uint64_t gap;
    bool repositioned; /* source_take_repositioned */
};

/* Sets what SHOW STREAMS says. A change of state is logged (at level); the
 * same state again (another error of one outage) keeps its first words. */
static void kafka_vset_state(struct source_kafka *k, enum kafka_state state,
                             enum sl_log_level level, const char *fmt, va_list ap)
{
    if (state == k->state && k->state_text[0])
        return;
    vsnprintf(k->state_text, sizeof k->state_text, fmt, ap);
    k->state = state;
    sl_log(k->base.log, level, "%s: %s", k->base.description, k->state_text);
}

static void kafka_set_state(struct source_kafka *k, enum kafka_state state,
                            enum sl_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void kafka_set_state(struct source_kafka *k, enum kafka_state state,
                            enum sl_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kafka_vset_state(k, state, level, fmt, ap);
    va_end(ap);
}

/* A wait before the next attempt to connect, doubling up to the maximum. */
static void kafka_back_off(struct source_kafka *k)
{
    k->next_attempt_us = sl_monotonic_us() + (int64_t)k->backoff_ms * SL_US_PER_MS;
    k->backoff_ms = k->backoff_ms * 2 > KAFKA_BACKOFF_MAX_MS ? KAFKA_BACKOFF_MAX_MS
                                                             : k->backoff_ms * 2;
}

static struct kafka_partition *kafka_find(struct source_kafka *k, int32_t id)
{
    size_t lo = 0, hi = k->nparts;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (k->parts[mid].id == id)
            return &k->parts[mid];
        if (k->parts[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static void kafka_release_held(struct source_kafka *k)
{
    for (size_t i = 0; i < k->nheld; i++)
        rd_kafka_message_destroy(k->held[i]);
    k->nheld = 0;
}

/* The partitions to read, once the topic's count is known: all, or those the option names. */
static sl_status kafka_choose_partitions(struct source_kafka *k, int count, struct sl_error *err)
{
    size_t n = k->wanted ? k->nwanted : (size_t)count;
    if (k->wanted && k->wanted[k->nwanted - 1] >= count)
        return sl_error_set(err, SL_ERROR,
                            "%s: topic '%s' has %d partition%s (0-%d); partitions names %" PRId32,
                            k->base.description, k->topic, count, count == 1 ? "" : "s",
                            count - 1, k->wanted[k->nwanted - 1]);
    k->parts = sl_calloc(n ? n : 1, sizeof *k->parts);
    k->ids = sl_calloc(n ? n : 1, sizeof *k->ids);
    if (!k->parts || !k->ids)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        k->parts[i].id = k->wanted ? k->wanted[i] : (int32_t)i;
        k->parts[i].next = -1;
        k->parts[i].end = -1;
        k->ids[i] = k->parts[i].id;
    }
    k->nparts = n;
    return SL_OK;
}

static void kafka_resume_found(void *ctx, int32_t id, int64_t next)
{
    struct kafka_partition *p = kafka_find(ctx, id);
    if (p)
        p->next = next;
}

/*
 * Where partition p starts: its checkpointed offset, or by `start`. An
 * offset below the partition's first (deleted by retention) is a gap,
 * counted and logged; one past its end means the topic is not the one the
 * checkpoint read (deleted and created again), an error.
 */
static sl_status kafka_place(struct source_kafka *k, struct kafka_partition *p, int64_t low,
                             int64_t high, struct sl_error *err)
{
    if (p->next < 0) {
        p->next = k->start_latest ? high : low;
        /* 'latest' is a moment: the checkpoint must keep the offset it was. */
        k->repositioned |= k->start_latest && high > low;
    } else if (p->next < low) {
        uint64_t lost = (uint64_t)(low - p->next);
        k->gap += lost;
        k->repositioned = true;
        sl_log(k->base.log, SL_LOG_WARN,
               "%s: partition %" PRId32 " starts at offset %" PRId64 " but the query was at %" PRId64
               ": %" PRIu64 " records fell out of the topic's retention before they were read",
               k->base.description, p->id, low, p->next, lost);
        p->next = low;
    } else if (p->next > high) {
        return sl_error_set(err, SL_ERROR,
                            "%s: partition %" PRId32 " ends at offset %" PRId64 " but the "
                            "checkpoint is at %" PRId64 ": was the topic deleted and created "
                            "again? Start the query over (CREATE OR REPLACE QUERY)",
                            k->base.description, p->id, high, p->next);
    }
    /* The end is the one seen when the query started, not a later one. */
    if (k->bounded && p->end < 0)
        p->end = high;
    return SL_OK;
}

/* Assigns the partitions not yet done at their next offsets. */
static sl_status kafka_assign(struct source_kafka *k, struct sl_error *err)
{
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new((int)k->nparts);
    if (!list)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    for (size_t i = 0; i < k->nparts; i++) {
        struct kafka_partition *p = &k->parts[i];
        if (p->end >= 0 && p->next >= p->end)
            continue;
        rd_kafka_topic_partition_list_add(list, k->topic, p->id)->offset = p->next;
    }
    rd_kafka_resp_err_t e = rd_kafka_assign(k->rk, list);
    rd_kafka_topic_partition_list_destroy(list);
    if (e)
        return sl_error_set(err, SL_ERROR, "%s: cannot assign its partitions: %s",
                            k->base.description, rd_kafka_err2str(e));
    return SL_OK;
}

/* Metadata and offsets (a bounded wait each); SL_AGAIN to try again later. */
static sl_status kafka_connect(struct source_kafka *k, struct sl_error *err)
{
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(k->rk, k->topic, NULL);
    if (!rkt)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    rd_kafka_resp_err_t e = rd_kafka_metadata(k->rk, 0, rkt, &md, KAFKA_REQUEST_MS);
    rd_kafka_topic_destroy(rkt);
    if (e) {
        kafka_set_state(k, KAFKA_NO_BROKERS, SL_LOG_WARN,
                        "waiting for the brokers (%s); retrying with backoff", rd_kafka_err2str(e));
        return SL_AGAIN;
    }
    int count = md->topic_cnt == 1 && !md->topics[0].err ? md->topics[0].partition_cnt : 0;
    rd_kafka_resp_err_t topic_err = md->topic_cnt == 1 ? md->topics[0].err : 0;
    rd_kafka_metadata_destroy(md);
    if (count <= 0) {
        kafka_set_state(k, KAFKA_NO_TOPIC, SL_LOG_WARN,
                        "waiting for topic '%s' to exist (%s); retrying with backoff", k->topic,
                        topic_err ? rd_kafka_err2str(topic_err) : "it has no partitions");
        return SL_AGAIN;
    }
    sl_status st = SL_OK;
    if (!k->parts && (st = kafka_choose_partitions(k, count, err)) != SL_OK)
        return st;
    if (k->resume_at) {
        kafka_position_read(k->resume_at, kafka_resume_found, k);
        sl_free(k->resume_at);
        k->resume_at = NULL;
    }
    for (size_t i = 0; i < k->nparts; i++) {
        int64_t low, high;
        e = rd_kafka_query_watermark_offsets(k->rk, k->topic, k->parts[i].id, &low, &high,
                                             KAFKA_REQUEST_MS);
        if (e) {
            kafka_set_state(k, KAFKA_NO_BROKERS, SL_LOG_WARN,
                            "waiting for partition %" PRId32 "'s offsets (%s); retrying with "
                            "backoff", k->parts[i].id, rd_kafka_err2str(e));
            return SL_AGAIN;
        }
        if ((st = kafka_place(k, &k->parts[i], low, high, err)) != SL_OK)
            return st;
    }
    if ((st = kafka_assign(k, err)) != SL_OK)
        return st;
    kafka_set_state(k, KAFKA_READING, SL_LOG_INFO, "reading %zu partition%s of topic '%s'",
                    k->nparts, k->nparts == 1 ? "" : "s", k->topic);
    k->backoff_ms = KAFKA_BACKOFF_FIRST_MS;
    return SL_OK;
}

static bool kafka_all_done(const struct source_kafka *k)
{
    for (size_t i = 0; i < k->nparts; i++)
        if (k->parts[i].end < 0 || k->parts[i].next < k->parts[i].end)
            return false;
    return true;
}

/* Offsets gone from a partition while it was being read: the gap is counted, reading goes on. */
static sl_status kafka_out_of_range(struct source_kafka *k, int32_t id, struct sl_error *err)
{
    struct kafka_partition *p = kafka_find(k, id);
    int64_t low, high;
    if (!p || rd_kafka_query_watermark_offsets(k->rk, k->topic, id, &low, &high,
                                               KAFKA_REQUEST_MS))
        return SL_OK; /* asked again when the error comes again */
    sl_status st = kafka_place(k, p, low, high, err);
    return st == SL_OK ? kafka_assign(k, err) : st;
}

/* Reading stopped: librdkafka retries by itself (transport errors, brokers
 * down, leaders moving); what it had fetched before is still read meanwhile. */
static void kafka_lost(struct source_kafka *k, enum kafka_state state, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void kafka_lost(struct source_kafka *k, enum kafka_state state, const char *fmt, ...)
{
    if (state == k->state)
        return;
    k->queued_at_error = k->queue ? rd_kafka_queue_length(k->queue) : 0;
    k->read_since_error = 0;
    va_list ap;
    va_start(ap, fmt);
    kafka_vset_state(k, state, SL_LOG_WARN, fmt, ap);
    va_end(ap);
}

/* A message carrying an error rather than a record. */
static sl_status kafka_on_error(struct source_kafka *k, const rd_kafka_message_t *m,
                                struct sl_error *err)
{
    switch (m->err) {
    case RD_KAFKA_RESP_ERR__PARTITION_EOF:
        return SL_OK;
    case RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET:
    case RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE:
        return kafka_out_of_range(k, m->partition, err);
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
        kafka_lost(k, KAFKA_NO_TOPIC, "topic '%s' is gone (%s); waiting for it", k->topic,
                   rd_kafka_err2str(m->err));
        return SL_OK;
    default:
        kafka_lost(k, KAFKA_NO_BROKERS, "waiting for the brokers (%s)", rd_kafka_err2str(m->err));
        return SL_OK;
    }
}

/* Client-wide errors (a broker gone, all of them down), served while reading. */
static void kafka_client_error(rd_kafka_t *rk, int e, const char *reason, void *opaque)
{
    (void)rk, (void)e;
    kafka_lost(opaque, KAFKA_NO_BROKERS, "waiting for the brokers (%s)", reason);
}

/* A record while waiting: past the records queued before the error, the brokers answer. */
static void kafka_record_read(struct source_kafka *k)
{
    if (k->state == KAFKA_READING || ++k->read_since_error <= k->queued_at_error)
        return;
    kafka_set_state(k, KAFKA_READING, SL_LOG_INFO, "reading again");
}

static void kafka_to_record(const rd_kafka_message_t *m, struct sl_record *r)
{
    rd_kafka_timestamp_type_t type;
    int64_t ms = rd_kafka_message_timestamp(m, &type);
    *r = (struct sl_record){
        .value = m->payload ? (const char *)m->payload : "",
        .len = m->payload ? m->len : 0,
        .key = m->key,
        .key_len = m->key ? m->key_len : 0,
        .partition = m->partition,
        .offset = m->offset,
        .timestamp_us = ms >= 0 && ms <= INT64_MAX / SL_US_PER_MS ? ms * SL_US_PER_MS : INT64_MIN,
    };
}

static sl_status kafka_read_records(struct sl_source *s, struct sl_record *out, size_t cap,
                                    size_t *n, int timeout_ms, struct sl_error *err)
{
    struct source_kafka *k = (struct source_kafka *)s;
    kafka_release_held(k);
    if (k->state == KAFKA_DONE)
        return SL_EOF;
    if (!k->assigned) {
        int64_t now = sl_monotonic_us();
        if (k->next_attempt_us > now) {
            int64_t wait_ms = (k->next_attempt_us - now + SL_US_PER_MS - 1) / SL_US_PER_MS;
            usleep((useconds_t)(wait_ms < timeout_ms ? wait_ms : timeout_ms) * 1000);
            return SL_AGAIN;
        }
        sl_status st = kafka_connect(k, err);
        if (st == SL_AGAIN) {
            kafka_back_off(k);
            return SL_AGAIN;
        }
        if (st != SL_OK)
            return st;
        k->assigned = true;
    }
    if (k->bounded && kafka_all_done(k)) {
        k->state = KAFKA_DONE;
        return SL_EOF;
    }
    if (k->cap_held < cap) {
        rd_kafka_message_t **grown = sl_realloc(k->held, cap * sizeof *grown);
        if (!grown)
            return sl_error_set(err, SL_NOMEM, "out of memory");
        k->held = grown;
        k->cap_held = cap;
    }
    ssize_t got = rd_kafka_consume_batch_queue(k->queue, timeout_ms, k->held, cap);
    if (got < 0)
        return sl_error_set(err, SL_ERROR, "%s: cannot read: %s", s->description,
                            rd_kafka_err2str(rd_kafka_last_error()));
    k->nheld = (size_t)got;
    sl_status st = SL_OK;
    for (size_t i = 0; i < k->nheld && st == SL_OK; i++) {
        const rd_kafka_message_t *m = k->held[i];
        if (m->err) {
            st = kafka_on_error(k, m, err);
            continue;
        }
        struct kafka_partition *p = kafka_find(k, m->partition);
        /* A record from before a re-assignment, or past a bounded partition's end. */
        if (!p || m->offset < p->next || (p->end >= 0 && m->offset >= p->end))
            continue;
        kafka_record_read(k);
        kafka_to_record(m, &out[(*n)++]);
        p->next = m->offset + 1;
    }
    if (st != SL_OK)
        return st;
    return *n ? SL_OK : SL_AGAIN;
}

static void kafka_position(const struct sl_source *s, struct sl_buf *out)
{
    const struct source_kafka *k = (const struct source_kafka *)s;
    if (k->parts)
        kafka_position_write(k->parts, k->nparts, out);
    else if (k->resume_at)
        buf_puts(out, k->resume_at);
}

static void kafka_no_entry(void *ctx, int32_t id, int64_t next)
{
    (void)ctx, (void)id, (void)next;
}

static sl_status kafka_seek_position(struct sl_source *s, const char *position,
                                     struct sl_error *err)
{
    struct source_kafka *k = (struct source_kafka *)s;
    if (!kafka_position_read(position, kafka_no_entry, NULL))
        return sl_error_set(err, SL_ERROR, "the checkpoint of %s is not a Kafka position: '%s'",
                            s->description, position);
    char *copy = sl_strdup(position);
    if (!copy)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    sl_free(k->resume_at);
    k->resume_at = copy;
    return SL_OK;
}

static size_t kafka_partitions(const struct sl_source *s, const int32_t **ids)
{
    const struct source_kafka *k = (const struct source_kafka *)s;
    *ids = k->ids;
    return k->nparts;
}

static uint64_t kafka_take_gap(struct sl_source *s)
{
    struct source_kafka *k = (struct source_kafka *)s;
    uint64_t gap = k->gap;
    k->gap = 0;
    return gap;
}

static bool kafka_take_repositioned(struct sl_source *s)
{
    struct source_kafka *k = (struct source_kafka *)s;
    bool moved = k->repositioned;
    k->repositioned = false;
    return moved;
}

/* The committed position, mirrored to the consumer group (asynchronously: it is for lag tools). */
static void kafka_committed(struct sl_source *s)
{
    struct source_kafka *k = (struct source_kafka *)s;
    if (!k->commit_group || !k->parts)
        return;
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new((int)k->nparts);
    if (!list)
        return;
    for (size_t i = 0; i < k->nparts; i++)
        if (k->parts[i].next >= 0)
            rd_kafka_topic_partition_list_add(list, k->topic, k->parts[i].id)->offset =
                k->parts[i].next;
    if (list->cnt)
        rd_kafka_commit(k->rk, list, 1);
    rd_kafka_topic_partition_list_destroy(list);
}

static const char *kafka_state(const struct sl_source *s)
{
    const struct source_kafka *k = (const struct source_kafka *)s;
    return k->state_text[0] ? k->state_text : "connecting";
}

static void kafka_close(struct sl_source *s)
{
    struct source_kafka *k = (struct source_kafka *)s;
    kafka_release_held(k);
    if (k->queue)
        rd_kafka_queue_destroy(k->queue);
    /* No consumer close: nothing was subscribed, and it would wait for absent brokers. */
    if (k->rk)
        rd_kafka_destroy_flags(k->rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
    sl_free(k->held);
    sl_free(k->topic);
    sl_free(k->wanted);
    sl_free(k->parts);
    sl_free(k->ids);
    sl_free(k->resume_at);
    sl_free(k);
}

static const struct sl_source_ops kafka_ops = {
    .close = kafka_close,
    .read_records = kafka_read_records,
    .position = kafka_position,
    .seek_position = kafka_seek_position,
    .partitions = kafka_partitions,
    .take_gap = kafka_take_gap,
    .take_repositioned = kafka_take_repositioned,
    .committed = kafka_committed,
    .state = kafka_state,
};

sl_status kafka_open(const struct sl_source_spec *spec, struct sl_source **out,
                            struct sl_error *err)
{
    const struct sl_option_value *o = spec->options;
    if (!o[KAFKA_TOPIC].set || !o[KAFKA_TOPIC].text[0])
        return sl_error_set(err, SL_ERROR, "a KAFKA stream needs a topic: TOPIC 'name'");
    struct source_kafka *k = sl_calloc(1, sizeof *k);
    if (!k)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    k->base.ops = &kafka_ops;
    k->backoff_ms = KAFKA_BACKOFF_FIRST_MS;
    k->start_latest = o[KAFKA_START].set && strcasecmp(o[KAFKA_START].text, "latest") == 0;
    k->bounded = o[KAFKA_END].set && strcasecmp(o[KAFKA_END].text, "latest") == 0;
    k->commit_group = o[KAFKA_GROUP].set;
    k->topic = sl_strdup(o[KAFKA_TOPIC].text);
    size_t dlen = strlen(k->topic ? k->topic : "") + sizeof "kafka:";
    k->base.description = sl_malloc(dlen);
    if (!k->topic || !k->base.description) {
        sl_free(k->base.description);
        kafka_close(&k->base);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    snprintf(k->base.description, dlen, "kafka:%s", k->topic);
    const char *bad;
    if (o[KAFKA_PARTITIONS].set &&
        (bad = kafka_parse_partition_set(o[KAFKA_PARTITIONS].text, &k->wanted, &k->nwanted))) {
        sl_free(k->base.description);
        kafka_close(&k->base);
        return sl_error_set(err, SL_ERROR, "KAFKA: %s", bad);
    }
    char why[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    sl_status st = conf ? kafka_configure(spec, conf, err)
                        : sl_error_set(err, SL_NOMEM, "out of memory");
    if (st == SL_OK) {
        rd_kafka_conf_set_opaque(conf, k);
        rd_kafka_conf_set_error_cb(conf, kafka_client_error);
    }
    if (st == SL_OK && !(k->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, why, sizeof why)))
        st = sl_error_set(err, SL_ERROR, "KAFKA: %s", why);
    if (st != SL_OK) {
        if (conf && !k->rk)
            rd_kafka_conf_destroy(conf);
        sl_free(k->base.description);
        kafka_close(&k->base);
        return st;
    }
    /* Errors of the whole client (all brokers down) are served with the records. */
    rd_kafka_poll_set_consumer(k->rk);
    if (!(k->queue = rd_kafka_queue_get_consumer(k->rk))) {
        sl_free(k->base.description);
        kafka_close(&k->base);
        return sl_error_set(err, SL_ERROR, "KAFKA: no consumer queue");
    }
    *out = &k->base;
    return SL_OK;
}
