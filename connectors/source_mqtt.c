/*
 * source_mqtt.c — FROM MQTT 'host:port' TOPIC 'filters': an MQTT 5 client
 * (libmosquitto) with a persistent session, each message one record.
 *
 * Acknowledged after the commit. libmosquitto 2.0 queues a QoS 1 message's
 * PUBACK before it calls on_message and has no call to acknowledge later.
 * But a client marked threaded (mosquitto_threaded_set) only queues its
 * packets: they leave when mosquitto_loop_write runs. So this source drives
 * the client itself, on the reading thread, and writes only while the
 * queue holds no acknowledgement of a message that no commit covers yet
 * (mqtt_may_write): right after source_committed, or while nothing arrived.
 * A message whose PUBACK never left is sent again by the broker on the next
 * connection; the inbox drops such repeats (mqtt_inbox.h). At most
 * max_inflight messages wait for a commit: it is the receive maximum the
 * broker is asked to keep to, and the source stops reading when it is
 * reached (mosquitto 2.0.11's broker lets more through after a PUBACK). The
 * push back of a pause, or of that limit, is to stop reading and
 * acknowledging.
 *
 * The first connection is made with mosquitto_connect_bind_v5, the only
 * call that carries the session expiry interval (kept for the reconnections,
 * which are asynchronous); it connects blocking, so an asynchronous probe of
 * the address must have answered first. Reconnections back off with jitter
 * (connectors/retry.h); each change of state is logged once.
 */
#include "connectors/mqtt_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"
#include "connectors/mqtt_inbox.h"
#include "connectors/retry.h"

enum mqtt_state {
    MQTT_IDLE,       /* to connect at next_attempt_us */
    MQTT_PROBING,    /* the first connection's probe is in flight */
    MQTT_CONNECTING, /* the client's socket is open, CONNACK not yet in */
    MQTT_CONNECTED,
    MQTT_FAILED,     /* retries exhausted, or the broker refused what retrying cannot change */
};

/* What SHOW STREAMS and the log say: a change of it is logged once. */
enum mqtt_report { REPORT_NONE, REPORT_CONNECTED, REPORT_RETRYING, REPORT_FAILED };

struct source_mqtt {
    struct sl_source base;
    struct mosquitto *mosq;
    char host[256];
    int port;
    char **filters;
    size_t nfilters;
    int qos, keepalive_s;
    uint32_t session_expiry_s;
    size_t max_inflight;
    bool session_set; /* mosquitto_connect_bind_v5 was called: connections are asynchronous */
    /* The acks: messages with a packet id, not repeats, that no commit covers
     * yet (handed out since the last, or waiting), and whether the client's
     * queue may hold an ack (such a message arrived, or a repeat, since the
     * acks last left or the connection was made). */
    size_t uncovered;
    bool acks_queued;
    bool closing; /* mosquitto_destroy calls on_disconnect: no state to change then */
    atomic_bool paused;
    int probe_fd;
    int64_t next_attempt_us;
    struct sl_retry retry;
    struct mqtt_inbox inbox;
    sl_status inbox_status; /* SL_NOMEM if a message could not be kept */
    enum mqtt_state state;
    enum mqtt_report reported;
    bool reconnecting; /* connected before: a session must be waiting on the broker */
    /* What SHOW STREAMS prints, read on another thread: the text shown is
     * never the one written (a pointer to it stays good until the next change). */
    char state_texts[2][256];
    atomic_int shown;
    char fail_msg[256];
};

static pthread_once_t mqtt_lib_once = PTHREAD_ONCE_INIT;

static void mqtt_lib_init(void)
{
    mosquitto_lib_init();
}

/* Sets what SHOW STREAMS says, logged when the report changes (the same
 * report again, another error of one outage, keeps its first words). */
static void mqtt_report(struct source_mqtt *m, enum mqtt_report report, enum sl_log_level level,
                        const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void mqtt_report(struct source_mqtt *m, enum mqtt_report report, enum sl_log_level level,
                        const char *fmt, ...)
{
    if (report == m->reported)
        return;
    int shown = atomic_load(&m->shown);
    char *text = m->state_texts[!shown];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof m->state_texts[0], fmt, ap);
    va_end(ap);
    atomic_store(&m->shown, !shown);
    m->reported = report;
    sl_log(m->base.log, level, "%s: %s", m->base.description, text);
}

/* A connection that failed or was lost: wait with backoff, or give up. */
static void mqtt_failed(struct source_mqtt *m, const char *reason)
{
    int64_t wait_us;
    if (!retry_failed(&m->retry, &wait_us)) {
        snprintf(m->fail_msg, sizeof m->fail_msg, "%.100s: %.100s; gave up after %lld attempts",
                 m->base.description, reason, (long long)m->retry.attempts);
        m->state = MQTT_FAILED;
        mqtt_report(m, REPORT_FAILED, SL_LOG_ERROR, "failed: %.240s", reason);
        return;
    }
    m->next_attempt_us = sl_monotonic_us() + wait_us;
    m->state = MQTT_IDLE;
    mqtt_report(m, REPORT_RETRYING, SL_LOG_WARN, "retrying: %.240s", reason);
}

/* The broker refused something retrying cannot change (a topic not allowed). */
static void mqtt_fail_now(struct source_mqtt *m, const char *reason)
{
    snprintf(m->fail_msg, sizeof m->fail_msg, "%.100s: %.150s", m->base.description, reason);
    m->state = MQTT_FAILED;
    mqtt_report(m, REPORT_FAILED, SL_LOG_ERROR, "failed: %.240s", reason);
}

static void mqtt_on_connect(struct mosquitto *mosq, void *obj, int rc, int flags,
                            const mosquitto_property *props)
{
    (void)props;
    struct source_mqtt *m = obj;
    if (rc != 0) {
        char reason[160];
        snprintf(reason, sizeof reason, "the broker refused the connection (%s)",
                 mosquitto_reason_string(rc));
        mqtt_failed(m, reason);
        return;
    }
    if (!(flags & 1))
        inbox_session_lost(&m->inbox);
    if (m->reconnecting && m->session_expiry_s && !(flags & 1))
        sl_log(m->base.log, SL_LOG_WARN,
               "%s: the broker kept no session for this client (expired, or the broker lost "
               "it): what was published while it was away is lost", m->base.description);
    m->reconnecting = true;
    /* The session may hold the subscriptions already; subscribing again is
     * harmless, but must not send the topics' retained messages again. */
    rc = mosquitto_subscribe_multiple(mosq, NULL, (int)m->nfilters, m->filters, m->qos,
                                      MQTT_SUB_OPT_SEND_RETAIN_NEW, NULL);
    if (rc != MOSQ_ERR_SUCCESS) {
        mqtt_fail_now(m, mosquitto_strerror(rc));
        return;
    }
    retry_succeeded(&m->retry);
    m->state = MQTT_CONNECTED;
    mqtt_report(m, REPORT_CONNECTED, SL_LOG_INFO, "connected");
}

static void mqtt_on_subscribe(struct mosquitto *mosq, void *obj, int mid, int count,
                              const int *granted)
{
    (void)mosq, (void)mid;
    struct source_mqtt *m = obj;
    for (int i = 0; i < count && i < (int)m->nfilters; i++)
        if (granted[i] >= 0x80) {
            char reason[320];
            snprintf(reason, sizeof reason, "the broker refused the subscription to '%s' (%s)",
                     m->filters[i], mosquitto_reason_string(granted[i]));
            mqtt_fail_now(m, reason);
            return;
        }
}

static void mqtt_on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *msg)
{
    (void)mosq;
    struct source_mqtt *m = obj;
    sl_status st;
    bool kept = inbox_add(&m->inbox, msg->qos == 1 ? msg->mid : 0, msg->topic, msg->payload,
                          msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0, sl_clock_now_us(),
                          &st);
    if (st != SL_OK)
        m->inbox_status = st;
    if (msg->qos == 0)
        return;
    /* A repeat's ack may leave with the others: its first copy is covered by
     * a commit already, or counts in uncovered until one is. */
    m->uncovered += kept;
    m->acks_queued = true;
}

static void mqtt_on_disconnect(struct mosquitto *mosq, void *obj, int rc)
{
    (void)mosq;
    struct source_mqtt *m = obj;
    if (m->closing || m->state == MQTT_FAILED || m->state == MQTT_IDLE)
        return;
    char reason[160];
    snprintf(reason, sizeof reason, "%s (%s)",
             m->state == MQTT_CONNECTED ? "connection lost" : "cannot connect",
             rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
    /* The reconnection drops the client's queue, acks and all: the broker
     * sends those messages again (uncovered stays: their repeats' acks must wait as theirs did). */
    m->acks_queued = false;
    inbox_connection_lost(&m->inbox);
    mqtt_failed(m, reason);
}

/* The first connection's probe: a non-blocking connect to the address (SL_OK when it answered). */
static sl_status mqtt_probe(struct source_mqtt *m, int wait_ms, char *reason, size_t cap)
{
    if (m->probe_fd < 0) {
        char port[16];
        snprintf(port, sizeof port, "%d", m->port);
        struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
        struct addrinfo *res = NULL;
        int rc = getaddrinfo(m->host, port, &hints, &res);
        if (rc != 0) {
            snprintf(reason, cap, "cannot resolve '%.100s': %s", m->host, gai_strerror(rc));
            return SL_ERROR;
        }
        m->probe_fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (m->probe_fd >= 0 && connect(m->probe_fd, res->ai_addr, res->ai_addrlen) != 0 &&
            errno != EINPROGRESS) {
            close(m->probe_fd);
            m->probe_fd = -1;
        }
        freeaddrinfo(res);
        if (m->probe_fd < 0) {
            snprintf(reason, cap, "%s", strerror(errno));
            return SL_ERROR;
        }
    }
    struct pollfd pfd = {.fd = m->probe_fd, .events = POLLOUT};
    if (poll(&pfd, 1, wait_ms) <= 0)
        return SL_AGAIN;
    int soerr = 0;
    socklen_t len = sizeof soerr;
    if (getsockopt(m->probe_fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
        soerr = errno;
    close(m->probe_fd);
    m->probe_fd = -1;
    if (soerr) {
        snprintf(reason, cap, "%s", strerror(soerr));
        return SL_ERROR;
    }
    return SL_OK;
}

/* An attempt to connect, once the backoff is over; waits at most wait_ms. */
static void mqtt_connect(struct source_mqtt *m, int wait_ms)
{
    char reason[256];
    int rc;
    if (m->session_set) {
        rc = mosquitto_reconnect_async(m->mosq);
    } else {
        sl_status st = mqtt_probe(m, wait_ms, reason, sizeof reason);
        if (st == SL_AGAIN) {
            m->state = MQTT_PROBING;
            return;
        }
        if (st != SL_OK) {
            mqtt_failed(m, reason);
            return;
        }
        mosquitto_property *props = NULL;
        rc = mosquitto_property_add_int32(&props, MQTT_PROP_SESSION_EXPIRY_INTERVAL,
                                          m->session_expiry_s);
        if (rc == MOSQ_ERR_SUCCESS)
            rc = mosquitto_connect_bind_v5(m->mosq, m->host, m->port, m->keepalive_s, NULL, props);
        mosquitto_property_free_all(&props);
        /* The properties are kept even if this attempt failed: the next ones are asynchronous. */
        m->session_set = true;
    }
    if (rc != MOSQ_ERR_SUCCESS) {
        snprintf(reason, sizeof reason, "%s",
                 rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
        mqtt_failed(m, reason);
        return;
    }
    /* The client's queue was emptied: it holds the CONNECT alone. */
    m->acks_queued = false;
    m->state = MQTT_CONNECTING;
}

/* Whether the client's queue holds no ack that a commit does not cover. */
static bool mqtt_may_write(const struct source_mqtt *m)
{
    return !m->acks_queued || !m->uncovered;
}

static void mqtt_write(struct source_mqtt *m)
{
    if (!mqtt_may_write(m) || !mosquitto_want_write(m->mosq))
        return;
    mosquitto_loop_write(m->mosq, 1);
    if (m->acks_queued)
        inbox_acks_written(&m->inbox);
    m->acks_queued = false;
}

/* Whether to read more messages: not while paused, nor with max_inflight waiting for a commit. */
static bool mqtt_taking(const struct source_mqtt *m)
{
    return !atomic_load(&m->paused) && m->uncovered < m->max_inflight &&
           inbox_waiting(&m->inbox) < m->max_inflight;
}

/* One round on the connection: keepalive, writes if allowed, then one
 * packet read if one arrives within wait_ms. */
static void mqtt_pump(struct source_mqtt *m, int wait_ms)
{
    mosquitto_loop_misc(m->mosq);
    mqtt_write(m);
    int fd = mosquitto_socket(m->mosq);
    if (fd < 0 || m->state == MQTT_IDLE || m->state == MQTT_FAILED)
        return;
    struct pollfd pfd = {.fd = fd, .events = 0};
    if (mqtt_taking(m) || m->state == MQTT_CONNECTING)
        pfd.events |= POLLIN;
    if (mqtt_may_write(m) && mosquitto_want_write(m->mosq))
        pfd.events |= POLLOUT;
    if (poll(&pfd, 1, wait_ms) <= 0)
        return;
    if (pfd.revents & POLLOUT)
        mqtt_write(m);
    if (pfd.revents & (POLLIN | POLLERR | POLLHUP) && mosquitto_socket(m->mosq) >= 0)
        mosquitto_loop_read(m->mosq, 1);
}

static int ms_until(int64_t deadline_us)
{
    int64_t left = deadline_us - sl_monotonic_us();
    return left <= 0 ? 0 : (int)((left + SL_US_PER_MS - 1) / SL_US_PER_MS);
}

static sl_status mqtt_read_records(struct sl_source *s, struct sl_record *out, size_t cap,
                                   size_t *n, int timeout_ms, struct sl_error *err)
{
    struct source_mqtt *m = (struct source_mqtt *)s;
    inbox_release(&m->inbox);
    int64_t deadline = sl_monotonic_us() + (int64_t)timeout_ms * SL_US_PER_MS;
    for (;;) {
        if (m->inbox_status != SL_OK)
            return sl_error_set(err, m->inbox_status, "out of memory keeping an MQTT message");
        if (m->state == MQTT_FAILED)
            return sl_error_set(err, SL_ERROR, "%s", m->fail_msg);
        /* Once something can be handed out, only what arrives at once is waited for. */
        bool ready = !atomic_load(&m->paused) && inbox_waiting(&m->inbox) > 0;
        int wait_ms = ready ? 0 : ms_until(deadline);
        size_t before = inbox_waiting(&m->inbox);
        if (m->state != MQTT_IDLE && m->state != MQTT_PROBING)
            mqtt_pump(m, wait_ms);
        else if (sl_monotonic_us() >= m->next_attempt_us)
            mqtt_connect(m, wait_ms);
        else if (!ready)
            poll(NULL, 0, ms_until(m->next_attempt_us < deadline ? m->next_attempt_us : deadline));
        bool more = inbox_waiting(&m->inbox) > before;
        bool late = sl_monotonic_us() >= deadline;
        if (ready && (!more || late || inbox_waiting(&m->inbox) >= cap))
            break;
        if (!ready && !more && late)
            break;
    }
    if (atomic_load(&m->paused))
        return SL_AGAIN;
    *n = inbox_hand_out(&m->inbox, out, cap);
    return *n ? SL_OK : SL_AGAIN;
}

/* Everything handed out is committed: the acks may leave, unless some are
 * of messages still waiting to be handed out (a pause). */
static void mqtt_committed(struct sl_source *s)
{
    struct source_mqtt *m = (struct source_mqtt *)s;
    m->uncovered = inbox_waiting(&m->inbox);
    if (m->state == MQTT_CONNECTING || m->state == MQTT_CONNECTED)
        mqtt_write(m);
}

static void mqtt_pause(struct sl_source *s, bool paused)
{
    atomic_store(&((struct source_mqtt *)s)->paused, paused);
}

static const char *mqtt_state(const struct sl_source *s)
{
    struct source_mqtt *m = (struct source_mqtt *)s;
    const char *text = m->state_texts[atomic_load(&m->shown)];
    return text[0] ? text : "connecting";
}

static void mqtt_close(struct sl_source *s)
{
    struct source_mqtt *m = (struct source_mqtt *)s;
    if (m->mosq) {
        /* A clean goodbye only when it acknowledges nothing uncommitted. */
        m->closing = true;
        if (m->state == MQTT_CONNECTED && mqtt_may_write(m) &&
            mosquitto_disconnect(m->mosq) == MOSQ_ERR_SUCCESS)
            mosquitto_loop_write(m->mosq, 1);
        mosquitto_destroy(m->mosq);
    }
    if (m->probe_fd >= 0)
        close(m->probe_fd);
    inbox_free(&m->inbox);
    sl_free(m->filters);
    sl_free(m);
}

static const struct sl_source_ops mqtt_ops = {
    .close = mqtt_close,
    .read_records = mqtt_read_records,
    .committed = mqtt_committed,
    .pause = mqtt_pause,
    .state = mqtt_state,
};

/* The libmosquitto client of spec's options; SL_OK or an error that says what libmosquitto refused. */
static sl_status mqtt_client(struct source_mqtt *m, const struct sl_source_spec *spec,
                             struct sl_error *err)
{
    const struct sl_option_value *o = spec->options;
    char derived[MQTT_CLIENT_ID_CAP];
    mqtt_default_client_id(spec->address, o[MQTT_TOPIC].text, derived);
    bool clean = source_option_num(spec, MQTT_CLEAN_SESSION) != 0;
    m->mosq = mosquitto_new(o[MQTT_CLIENT_ID].set ? o[MQTT_CLIENT_ID].text : derived, clean, m);
    if (!m->mosq)
        return sl_error_set(err, errno == ENOMEM ? SL_NOMEM : SL_ERROR,
                            "MQTT '%s': cannot make a client: %s", spec->address,
                            strerror(errno));
    int rc;
    if ((rc = mosquitto_int_option(m->mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5)) ||
        (rc = mosquitto_int_option(m->mosq, MOSQ_OPT_RECEIVE_MAXIMUM, (int)m->max_inflight)) ||
        (rc = mosquitto_threaded_set(m->mosq, true)) ||
        (o[MQTT_USERNAME].set &&
         (rc = mosquitto_username_pw_set(m->mosq, o[MQTT_USERNAME].text,
                                         o[MQTT_PASSWORD].set ? o[MQTT_PASSWORD].text : NULL))))
        return sl_error_set(err, SL_ERROR, "MQTT '%s': %s", spec->address,
                            mosquitto_strerror(rc));
    mosquitto_connect_v5_callback_set(m->mosq, mqtt_on_connect);
    mosquitto_subscribe_callback_set(m->mosq, mqtt_on_subscribe);
    mosquitto_message_callback_set(m->mosq, mqtt_on_message);
    mosquitto_disconnect_callback_set(m->mosq, mqtt_on_disconnect);
    return SL_OK;
}

sl_status mqtt_open(const struct sl_source_spec *spec, struct sl_source **out,
                    struct sl_error *err)
{
    pthread_once(&mqtt_lib_once, mqtt_lib_init);
    struct source_mqtt *m = sl_calloc(1, sizeof *m);
    if (!m)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    m->base.ops = &mqtt_ops;
    m->probe_fd = -1;
    m->qos = (int)source_option_num(spec, MQTT_QOS);
    m->keepalive_s = (int)(source_option_num(spec, MQTT_KEEPALIVE) / SL_US_PER_SEC);
    m->session_expiry_s = source_option_num(spec, MQTT_CLEAN_SESSION)
                              ? 0
                              : (uint32_t)(source_option_num(spec, MQTT_SESSION_EXPIRY) /
                                           SL_US_PER_SEC);
    m->max_inflight = (size_t)source_option_num(spec, MQTT_MAX_INFLIGHT);
    retry_init(&m->retry, spec, MQTT_RETRY_FIRST);
    const char *bad = "no topic";
    sl_status st = SL_OK;
    if (!mqtt_split_address(spec->address, m->host, sizeof m->host, &m->port))
        st = sl_error_set(err, SL_ERROR, "MQTT address '%s' is not host:port", spec->address);
    else if (!spec->options[MQTT_TOPIC].set ||
             !(m->nfilters = mqtt_topic_filters(spec->options[MQTT_TOPIC].text, &m->filters, &bad)))
        st = sl_error_set(err, SL_ERROR, "an MQTT stream needs TOPIC 'filter': %s", bad);
    /* Repeats are of messages since the acks left before last: about twice
     * max_inflight; room for more, so that a pause does not overflow it. */
    else if (inbox_init(&m->inbox, 4 * m->max_inflight) != SL_OK)
        st = sl_error_set(err, SL_NOMEM, "out of memory");
    else
        st = mqtt_client(m, spec, err);
    if (st != SL_OK) {
        mqtt_close(&m->base);
        return st;
    }
    *out = &m->base;
    return SL_OK;
}
