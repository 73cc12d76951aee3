/*
 * sl_kafka_mock — a Kafka cluster for the e2e tests: librdkafka's mock
 * cluster with N brokers listening on 127.0.0.1, driven by one command a
 * line on stdin, each answered by exactly one line on stdout, "ok[ detail]"
 * or "error <why>". The first stdout line is "bootstrap HOST:PORT,...".
 *
 *   sl_kafka_mock [--brokers N]            (default 3)
 *
 *   topic NAME PARTITIONS          create a topic (replication factor min(3, N))
 *   produce NAME FILE [PARTITION]  each line of FILE is one message, keyed by
 *                                  its first CSV field; without PARTITION the
 *                                  default partitioner places it by key;
 *                                  answers "ok COUNT" once all are acknowledged
 *   down BROKER | up BROKER        take a broker (1..N) off the network, or back
 *   leader NAME PARTITION BROKER   move a partition's leadership
 *   rtt BROKER MS                  delay the broker's every response by MS
 *                                  (slows a consumer down to a known pace)
 *   hide NAME                      make topic NAME (not created yet) look absent
 *                                  ("unknown topic") until `topic NAME 4` creates it
 *   committed GROUP NAME PARTITIONS
 *                                  the offsets GROUP committed for partitions
 *                                  0..PARTITIONS-1: "ok 10,12,-1001,..." (-1001: none)
 *   consume NAME PARTITIONS FILE   every message of partitions 0..PARTITIONS-1,
 *                                  each partition's in offset order, one
 *                                  line each in FILE: "partition TAB batch TAB row
 *                                  TAB key TAB value" (batch and row: the headers
 *                                  sluice.batch and sluice.row; a missing key or
 *                                  value, a tombstone's, is \N); "ok COUNT", or an
 *                                  error when the mock's retention (5 MiB a
 *                                  partition) dropped a partition's first messages
 *   quit                           (or EOF) destroy the cluster and exit 0
 *
 * It exits when stdin closes, so a test that dies does not leave it behind.
 * librdkafka's own log lines go to stderr.
 */
#define _POSIX_C_SOURCE 200809L
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 5
#define MAX_HIDDEN 16
#define MAX_CONSUME_PARTITIONS 256
/* The partitions of a topic the mock cluster creates by itself (librdkafka's default). */
#define MOCK_DEFAULT_PARTITIONS 4

/* What the delivery reports of one produce command add up to. */
struct deliveries {
    long acked, failed;
    rd_kafka_resp_err_t first_error;
};

struct mock {
    rd_kafka_t *host; /* owns the cluster (librdkafka's bookkeeping) */
    rd_kafka_mock_cluster_t *cluster;
    rd_kafka_t *producer; /* a client of the cluster, like any other */
    int brokers;
    struct deliveries deliveries;
    char *hidden[MAX_HIDDEN]; /* topics that look absent until `topic` creates them */
};

static void answer(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *msg, void *opaque)
{
    (void)rk;
    struct deliveries *d = opaque;
    if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        d->acked++;
    } else if (d->failed++ == 0) {
        d->first_error = msg->err;
    }
}

static int set(rd_kafka_conf_t *conf, const char *name, const char *value)
{
    char err[256];
    if (rd_kafka_conf_set(conf, name, value, err, sizeof err) == RD_KAFKA_CONF_OK)
        return 0;
    fprintf(stderr, "sl_kafka_mock: %s: %s\n", name, err);
    return -1;
}

/* The producer batches (linger) so that 200,000 messages take well under a
 * second, in batches of at most 250 messages: a fetch returns whole batches,
 * so a consumer's fetch.message.max.bytes can hold it to small steps.
 * Idempotence keeps a retried batch from landing twice. */
static rd_kafka_t *new_producer(const char *bootstrap, struct deliveries *deliveries)
{
    char err[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (set(conf, "bootstrap.servers", bootstrap) || set(conf, "linger.ms", "20") ||
        set(conf, "batch.num.messages", "250") ||
        set(conf, "queue.buffering.max.messages", "1000000") ||
        set(conf, "enable.idempotence", "true") || set(conf, "message.timeout.ms", "30000")) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    rd_kafka_conf_set_opaque(conf, deliveries);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!rk) {
        fprintf(stderr, "sl_kafka_mock: producer: %s\n", err);
        rd_kafka_conf_destroy(conf);
    }
    return rk;
}

static int mock_start(struct mock *m, int brokers)
{
    char err[256];
    m->brokers = brokers;
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    /* The host never connects anywhere: quiet its notice that it has no bootstrap.servers. */
    if (set(conf, "log_level", "4")) {
        rd_kafka_conf_destroy(conf);
        return -1;
    }
    m->host = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!m->host) {
        fprintf(stderr, "sl_kafka_mock: %s\n", err);
        rd_kafka_conf_destroy(conf);
        return -1;
    }
    m->cluster = rd_kafka_mock_cluster_new(m->host, brokers);
    if (!m->cluster) {
        fprintf(stderr, "sl_kafka_mock: cannot start a mock cluster of %d brokers\n", brokers);
        return -1;
    }
    m->producer = new_producer(rd_kafka_mock_cluster_bootstraps(m->cluster), &m->deliveries);
    return m->producer ? 0 : -1;
}

static void mock_stop(struct mock *m)
{
    for (int i = 0; i < MAX_HIDDEN; i++)
        free(m->hidden[i]);
    if (m->producer)
        rd_kafka_destroy(m->producer);
    if (m->cluster)
        rd_kafka_mock_cluster_destroy(m->cluster);
    if (m->host)
        rd_kafka_destroy(m->host);
}

/* A whole number from text, or -1 when the text is not one. */
static long number(const char *text)
{
    char *end;
    long n = strtol(text, &end, 10);
    return *text && !*end && n >= 0 ? n : -1;
}

static char **hidden_slot(struct mock *m, const char *name)
{
    for (int i = 0; i < MAX_HIDDEN; i++)
        if (m->hidden[i] && !strcmp(m->hidden[i], name))
            return &m->hidden[i];
    return NULL;
}

/* The mock cluster creates any topic a client asks about (it speaks Metadata
 * v2, too old to carry a consumer's "do not create"), so a topic that does
 * not exist yet is one that exists with an error its metadata answers. */
static void cmd_hide(struct mock *m, char **w)
{
    if (hidden_slot(m, w[1])) {
        answer("error %s is hidden already", w[1]);
        return;
    }
    char **slot = NULL;
    for (int i = 0; i < MAX_HIDDEN && !slot; i++)
        if (!m->hidden[i])
            slot = &m->hidden[i];
    if (!slot || !(*slot = strdup(w[1]))) {
        answer("error too many hidden topics");
        return;
    }
    rd_kafka_mock_topic_set_error(m->cluster, w[1], RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
    answer("ok");
}

/* Creating a hidden topic clears its error: it has the partitions the mock gave it. */
static void create_hidden(struct mock *m, char **slot, long partitions)
{
    if (partitions != MOCK_DEFAULT_PARTITIONS) {
        answer("error a hidden topic is created with %d partitions", MOCK_DEFAULT_PARTITIONS);
        return;
    }
    rd_kafka_mock_topic_set_error(m->cluster, *slot, RD_KAFKA_RESP_ERR_NO_ERROR);
    free(*slot);
    *slot = NULL;
    answer("ok");
}

static void cmd_topic(struct mock *m, char **w)
{
    long partitions = number(w[2]);
    if (partitions < 1) {
        answer("error PARTITIONS must be a positive number");
        return;
    }
    char **hidden = hidden_slot(m, w[1]);
    if (hidden) {
        create_hidden(m, hidden, partitions);
        return;
    }
    int replicas = m->brokers < 3 ? m->brokers : 3;
    rd_kafka_resp_err_t err =
        rd_kafka_mock_topic_create(m->cluster, w[1], (int)partitions, replicas);
    if (err)
        answer("error %s", rd_kafka_err2str(err));
    else
        answer("ok");
}

/* One message: the line (without its newline), keyed by the text before its
 * first ','. Waits for room in the producer's queue when it is full. */
static int produce_line(struct mock *m, rd_kafka_topic_t *topic, int32_t partition, char *line,
                        size_t len)
{
    char *comma = memchr(line, ',', len);
    size_t key_len = comma ? (size_t)(comma - line) : len;
    while (rd_kafka_produce(topic, partition, RD_KAFKA_MSG_F_COPY, line, len, line, key_len,
                            NULL) == -1) {
        if (rd_kafka_last_error() != RD_KAFKA_RESP_ERR__QUEUE_FULL)
            return -1;
        rd_kafka_poll(m->producer, 100);
    }
    rd_kafka_poll(m->producer, 0);
    return 0;
}

static void cmd_produce(struct mock *m, char **w)
{
    int32_t partition = RD_KAFKA_PARTITION_UA;
    if (w[3]) {
        long p = number(w[3]);
        if (p < 0) {
            answer("error PARTITION must be a number");
            return;
        }
        partition = (int32_t)p;
    }
    FILE *in = fopen(w[2], "r");
    if (!in) {
        answer("error cannot open %s", w[2]);
        return;
    }
    rd_kafka_topic_t *topic = rd_kafka_topic_new(m->producer, w[1], NULL);
    m->deliveries = (struct deliveries){0};
    long sent = 0;
    int produce_failed = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while (!produce_failed && (len = getline(&line, &cap, in)) >= 0) {
        if (len > 0 && line[len - 1] == '\n')
            len--;
        produce_failed = produce_line(m, topic, partition, line, (size_t)len) != 0;
        sent += !produce_failed;
    }
    free(line);
    fclose(in);
    rd_kafka_resp_err_t flushed = rd_kafka_flush(m->producer, 60000);
    rd_kafka_topic_destroy(topic);
    if (produce_failed)
        answer("error message %ld: %s", sent + 1, rd_kafka_err2str(rd_kafka_last_error()));
    else if (flushed)
        answer("error %ld of %ld messages unacknowledged: %s", sent - m->deliveries.acked, sent,
               rd_kafka_err2str(flushed));
    else if (m->deliveries.failed)
        answer("error %ld of %ld messages failed: %s", m->deliveries.failed, sent,
               rd_kafka_err2str(m->deliveries.first_error));
    else
        answer("ok %ld", m->deliveries.acked);
}

/* A broker id 1..N from text, or -1 (after answering the error). */
static int broker_id(struct mock *m, const char *text)
{
    long id = number(text);
    if (id < 1 || id > m->brokers) {
        answer("error BROKER must be 1..%d", m->brokers);
        return -1;
    }
    return (int)id;
}

static void answer_status(rd_kafka_resp_err_t err)
{
    if (err)
        answer("error %s", rd_kafka_err2str(err));
    else
        answer("ok");
}

static void cmd_down(struct mock *m, char **w)
{
    int id = broker_id(m, w[1]);
    if (id > 0)
        answer_status(rd_kafka_mock_broker_set_down(m->cluster, id));
}

static void cmd_up(struct mock *m, char **w)
{
    int id = broker_id(m, w[1]);
    if (id > 0)
        answer_status(rd_kafka_mock_broker_set_up(m->cluster, id));
}

static void cmd_rtt(struct mock *m, char **w)
{
    int id = broker_id(m, w[1]);
    long ms = number(w[2]);
    if (id > 0 && ms < 0)
        answer("error MS must be a number");
    else if (id > 0)
        answer_status(rd_kafka_mock_broker_set_rtt(m->cluster, id, (int)ms));
}

static void cmd_leader(struct mock *m, char **w)
{
    long partition = number(w[2]);
    if (partition < 0) {
        answer("error PARTITION must be a number");
        return;
    }
    int id = broker_id(m, w[3]);
    if (id > 0)
        answer_status(
            rd_kafka_mock_partition_set_leader(m->cluster, w[1], (int32_t)partition, id));
}

/* A group's committed offsets, read the way a lag tool reads them: by a
 * consumer of that group that subscribes to nothing. */
static void cmd_committed(struct mock *m, char **w)
{
    long partitions = number(w[3]);
    if (partitions < 1) {
        answer("error PARTITIONS must be a positive number");
        return;
    }
    char err[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_t *rk = NULL;
    if (!set(conf, "bootstrap.servers", rd_kafka_mock_cluster_bootstraps(m->cluster)) &&
        !set(conf, "group.id", w[1]) && !set(conf, "log_level", "3"))
        rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        answer("error cannot make a consumer of group %s", w[1]);
        return;
    }
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new((int)partitions);
    for (int32_t p = 0; p < partitions; p++)
        rd_kafka_topic_partition_list_add(list, w[2], p);
    rd_kafka_resp_err_t e = rd_kafka_committed(rk, list, 10000);
    if (e) {
        answer("error %s", rd_kafka_err2str(e));
    } else {
        char offsets[1024] = "";
        size_t len = 0;
        for (int i = 0; i < list->cnt && len < sizeof offsets; i++)
            len += (size_t)snprintf(offsets + len, sizeof offsets - len, "%s%lld", i ? "," : "",
                                    (long long)list->elems[i].offset);
        answer("ok %s", offsets);
    }
    rd_kafka_topic_partition_list_destroy(list);
    rd_kafka_destroy_flags(rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
}

/* A message's field for `consume`: \N when absent, tabs and newlines as spaces. */
static void put_field(FILE *out, const void *data, size_t len)
{
    if (!data) {
        fputs("\\N", out);
        return;
    }
    for (size_t i = 0; i < len; i++) {
        char c = ((const char *)data)[i];
        fputc(c == '\t' || c == '\n' ? ' ' : c, out);
    }
}

static void put_header(FILE *out, rd_kafka_message_t *msg, const char *name)
{
    rd_kafka_headers_t *headers = NULL;
    const void *value = NULL;
    size_t len = 0;
    if (rd_kafka_message_headers(msg, &headers) || !headers ||
        rd_kafka_header_get_last(headers, name, &value, &len))
        value = NULL;
    put_field(out, value, len);
}

/* One message as a `consume` line. */
static void put_message(FILE *out, rd_kafka_message_t *msg)
{
    fprintf(out, "%d\t", (int)msg->partition);
    put_header(out, msg, "sluice.batch");
    fputc('\t', out);
    put_header(out, msg, "sluice.row");
    fputc('\t', out);
    put_field(out, msg->key, msg->key_len);
    fputc('\t', out);
    put_field(out, msg->payload, msg->len);
    fputc('\n', out);
}

/* Reads partitions 0..n-1 of topic together, each from offset 0 to the high
 * watermark it had first, into out; -1 on an error. The mock cluster keeps
 * 5 MiB a partition and drops the oldest messages past that: a partition
 * that no longer starts at 0 is an error, never a silently shorter answer. */
static long consume_topic(rd_kafka_t *rk, const char *topic, int32_t n, FILE *out)
{
    int64_t next[MAX_CONSUME_PARTITIONS], high[MAX_CONSUME_PARTITIONS], low;
    int32_t done = 0;
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(n);
    for (int32_t p = 0; p < n; p++) {
        if (rd_kafka_query_watermark_offsets(rk, topic, p, &low, &high[p], 10000) || low > 0) {
            rd_kafka_topic_partition_list_destroy(list);
            return -1;
        }
        next[p] = 0;
        done += high[p] == 0;
        rd_kafka_topic_partition_list_add(list, topic, p)->offset = 0;
    }
    int assigned = rd_kafka_assign(rk, list) == RD_KAFKA_RESP_ERR_NO_ERROR;
    rd_kafka_topic_partition_list_destroy(list);
    long count = 0;
    for (int idle = 0; assigned && done < n && idle < 300;) {
        rd_kafka_message_t *msg = rd_kafka_consumer_poll(rk, 100);
        if (!msg) {
            idle++;
            continue;
        }
        idle = 0;
        int32_t p = msg->partition;
        if (!msg->err && p >= 0 && p < n && next[p] < high[p]) {
            put_message(out, msg);
            count++;
            next[p] = msg->offset + 1;
            done += next[p] >= high[p];
        }
        rd_kafka_message_destroy(msg);
    }
    rd_kafka_assign(rk, NULL);
    return assigned && done == n ? count : -1;
}

/* What a sink wrote to a topic, read back by a consumer of its own. */
static void cmd_consume(struct mock *m, char **w)
{
    long partitions = number(w[2]);
    if (partitions < 1 || partitions > MAX_CONSUME_PARTITIONS) {
        answer("error PARTITIONS must be 1..%d", MAX_CONSUME_PARTITIONS);
        return;
    }
    FILE *out = fopen(w[3], "w");
    if (!out) {
        answer("error cannot write %s", w[3]);
        return;
    }
    char err[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_t *rk = NULL;
    if (!set(conf, "bootstrap.servers", rd_kafka_mock_cluster_bootstraps(m->cluster)) &&
        !set(conf, "group.id", "sl_kafka_mock") && !set(conf, "enable.auto.commit", "false") &&
        !set(conf, "log_level", "3"))
        rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        fclose(out);
        answer("error cannot make a consumer");
        return;
    }
    long total = consume_topic(rk, w[1], (int32_t)partitions, out);
    rd_kafka_destroy_flags(rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
    if (fclose(out) || total < 0)
        answer("error cannot read %s from its first message to its end", w[1]);
    else
        answer("ok %ld", total);
}

static const struct command {
    const char *name;
    int min_args, max_args;
    void (*run)(struct mock *, char **words);
    const char *usage;
} commands[] = {
    {"topic", 2, 2, cmd_topic, "topic NAME PARTITIONS"},
    {"produce", 2, 3, cmd_produce, "produce NAME FILE [PARTITION]"},
    {"down", 1, 1, cmd_down, "down BROKER"},
    {"up", 1, 1, cmd_up, "up BROKER"},
    {"leader", 3, 3, cmd_leader, "leader NAME PARTITION BROKER"},
    {"rtt", 2, 2, cmd_rtt, "rtt BROKER MS"},
    {"hide", 1, 1, cmd_hide, "hide NAME"},
    {"committed", 3, 3, cmd_committed, "committed GROUP NAME PARTITIONS"},
    {"consume", 3, 3, cmd_consume, "consume NAME PARTITIONS FILE"},
};

/* Runs one command line; returns 0 on "quit". */
static int run_line(struct mock *m, char *line)
{
    char *words[MAX_WORDS + 1] = {0};
    int n = 0;
    for (char *w = strtok(line, " \t\r\n"); w; w = strtok(NULL, " \t\r\n")) {
        if (n == MAX_WORDS) {
            answer("error too many words");
            return 1;
        }
        words[n++] = w;
    }
    if (n == 0) {
        answer("error empty command");
        return 1;
    }
    if (!strcmp(words[0], "quit")) {
        answer("ok");
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        const struct command *c = &commands[i];
        if (strcmp(words[0], c->name))
            continue;
        if (n - 1 < c->min_args || n - 1 > c->max_args)
            answer("error usage: %s", c->usage);
        else
            c->run(m, words);
        return 1;
    }
    answer("error unknown command %s", words[0]);
    return 1;
}

int main(int argc, char **argv)
{
    int brokers = 3;
    if (argc == 3 && !strcmp(argv[1], "--brokers"))
        brokers = (int)number(argv[2]);
    else if (argc != 1)
        brokers = -1;
    if (brokers < 1) {
        fprintf(stderr, "usage: sl_kafka_mock [--brokers N]   (N >= 1)\n");
        return 2;
    }
    struct mock m = {0};
    if (mock_start(&m, brokers)) {
        mock_stop(&m);
        return 1;
    }
    answer("bootstrap %s", rd_kafka_mock_cluster_bootstraps(m.cluster));
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, stdin) >= 0 && run_line(&m, line))
        ;
    free(line);
    mock_stop(&m);
    return 0;
}
