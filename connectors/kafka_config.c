/*
 * kafka_config.c — the KAFKA connector's entry in the registry (its options,
 * their checks, its metadata columns) and the librdkafka settings a
 * stream's options give its consumer; the settings' helpers (one setting,
 * `properties`, their checks) serve the KAFKA sink's producer too.
 */
#include "connectors/kafka_impl.h"
#include "connectors/kafka_partitions.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/alloc.h"
#include "common/time.h"

/* librdkafka's own log lines stay quiet: what matters reaches the source's state and sl_log. */
void kafka_quiet_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
    (void)rk, (void)level, (void)fac, (void)buf;
}

sl_status kafka_conf_set(rd_kafka_conf_t *conf, const char *name, const char *value,
                         struct sl_error *err)
{
    char why[256];
    if (rd_kafka_conf_set(conf, name, value, why, sizeof why) != RD_KAFKA_CONF_OK)
        /* The value is not repeated: it may be a password. */
        return sl_error_set(err, SL_ERROR, "KAFKA property %s: %s", name, why);
    return SL_OK;
}

sl_status kafka_conf_properties(rd_kafka_conf_t *conf, const char *text, struct sl_error *err)
{
    char *copy = sl_strdup(text);
    if (!copy)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    sl_status st = SL_OK;
    char *save = NULL;
    for (char *item = strtok_r(copy, ";", &save); item && st == SL_OK;
         item = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(item, '=');
        if (!eq) {
            st = sl_error_set(err, SL_ERROR, "KAFKA properties: '%s' is not key=value", item);
            break;
        }
        *eq = '\0';
        st = kafka_conf_set(conf, item, eq + 1, err);
    }
    sl_free(copy);
    return st;
}

sl_status kafka_configure(const struct sl_source_spec *spec, rd_kafka_conf_t *conf,
                          struct sl_error *err)
{
    const struct sl_option_value *o = spec->options;
    const char *group = o[KAFKA_GROUP].set ? o[KAFKA_GROUP].text : "sluice";
    sl_status st;
    if ((st = kafka_conf_set(conf, "bootstrap.servers", spec->address, err)) != SL_OK ||
        (st = kafka_conf_set(conf, "group.id", group, err)) != SL_OK ||
        (st = kafka_conf_set(conf, "enable.auto.commit", "false", err)) != SL_OK ||
        (st = kafka_conf_set(conf, "enable.auto.offset.store", "false", err)) != SL_OK ||
        (st = kafka_conf_set(conf, "enable.partition.eof", "false", err)) != SL_OK ||
        /* A position out of range is reported, never silently moved. */
        (st = kafka_conf_set(conf, "auto.offset.reset", "error", err)) != SL_OK ||
        /* librdkafka 2.0 stops fetching a partition whose prefetch holds this many
         * messages and looks again a second later: at the default (100,000) a
         * backlog read faster than fetched waits out that second again and again
         * (bench/RESULTS.md, "Kafka in"). Memory stays bounded by
         * queued.max.messages.kbytes. */
        (st = kafka_conf_set(conf, "queued.min.messages", "1000000", err)) != SL_OK ||
        (o[KAFKA_PROPERTIES].set &&
         (st = kafka_conf_properties(conf, o[KAFKA_PROPERTIES].text, err)) != SL_OK))
        return st;
    rd_kafka_conf_set_log_cb(conf, kafka_quiet_log);
    return SL_OK;
}

/* Tried on a configuration of its own: librdkafka says what it refuses. */
const char *kafka_check_properties(const char *text, const char **hint)
{
    static _Thread_local char why[sizeof ((struct sl_error *)0)->msg];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    struct sl_error err;
    sl_status st = conf ? kafka_conf_properties(conf, text, &err)
                        : sl_error_set(&err, SL_NOMEM, "out of memory");
    if (conf)
        rd_kafka_conf_destroy(conf);
    if (st == SL_OK)
        return NULL;
    snprintf(why, sizeof why, "%s", err.msg);
    *hint = "librdkafka's settings, 'key=value;key=value' (its CONFIGURATION.md lists them)";
    return why;
}

static const char *kafka_check_option(size_t i, const struct sl_option_value *v, const char **hint)
{
    int32_t *ids;
    size_t n;
    const char *bad;
    switch (i) {
    case KAFKA_START:
    case KAFKA_END:
        if (strcasecmp(v->text, "latest") == 0 ||
            (i == KAFKA_START && strcasecmp(v->text, "earliest") == 0))
            return NULL;
        *hint = i == KAFKA_START ? "start = 'earliest' or start = 'latest'" : "end = 'latest'";
        return i == KAFKA_START ? "start is 'earliest' or 'latest'"
                                : "end is 'latest' (read what the topic holds at the start, then end)";
    case KAFKA_PARTITIONS:
        if ((bad = kafka_parse_partition_set(v->text, &ids, &n)) != NULL) {
            *hint = "e.g. partitions = '0-1,3'";
            return bad;
        }
        sl_free(ids);
        return NULL;
    case KAFKA_TOPIC:
        if (v->text[0])
            return NULL;
        *hint = "TOPIC 'payments'";
        return "the topic's name is empty";
    case KAFKA_PROPERTIES:
        return kafka_check_properties(v->text, hint);
    default:
        return NULL;
    }
}

const char *kafka_check_address(const char *address, const char **hint)
{
    if (address[0] && !strchr(address, ' '))
        return NULL;
    *hint = "e.g. FROM KAFKA '127.0.0.1:9092,10.0.0.2:9092'";
    return "a KAFKA address is a comma-separated list of host:port brokers";
}

static const struct sl_option_def kafka_options[] = {
    [KAFKA_TOPIC] = {"topic", SL_OPTION_TEXT, 0, 0, 0, "none (required)",
                     "the topic to read (also written TOPIC 'name')"},
    [KAFKA_START] = {"start", SL_OPTION_TEXT, 0, 0, 0, "earliest",
                     "where a query without a checkpoint starts: 'earliest' or 'latest'"},
    [KAFKA_PARTITIONS] = {"partitions", SL_OPTION_TEXT, 0, 0, 0, "all of the topic's",
                          "the partitions to read, e.g. '0-1,3' (one instance's share)"},
    [KAFKA_GROUP] = {"group", SL_OPTION_TEXT, 0, 0, 0, "none",
                     "a consumer group that gets the committed offsets, for lag tools"},
    [KAFKA_END] = {"end", SL_OPTION_TEXT, 0, 0, 0, "none (never ends)",
                   "'latest': end at the partitions' end offsets seen at the start"},
    [KAFKA_IDLE_TIMEOUT] = {"idle_timeout", SL_OPTION_DURATION, SL_US_PER_MS,
                            INT64_C(86400) * SL_US_PER_SEC, 10 * SL_US_PER_SEC, "10 seconds",
                            "a partition without records for this long holds back no watermark"},
    [KAFKA_PROPERTIES] = {"properties", SL_OPTION_TEXT, 0, 0, 0, "none",
                          "librdkafka settings, 'key=value;key=value' (security, timeouts)"},
};

static const struct sl_metadata_def kafka_metadata[] = {
    {"kafka_key", SL_TEXT, SL_FIELD_KEY, "the message key (NULL when it has none)"},
    {"kafka_partition", SL_INT, SL_FIELD_PARTITION, "the partition the message came from"},
    {"kafka_offset", SL_INT, SL_FIELD_OFFSET, "the message's offset in its partition"},
    {"kafka_timestamp", SL_TIMESTAMP, SL_FIELD_TIMESTAMP,
     "the message's timestamp (producer's or broker's)"},
};

const struct sl_connector connector_kafka = {
    .name = "KAFKA",
    .kind = SL_CONNECTOR_SOURCE,
    .summary = "A Kafka topic's partitions (librdkafka), each message one record in the "
               "FORMAT; the checkpoint keeps every partition's next offset in the batch's "
               "transaction, so results are exactly once. Brokers that go away are waited for.",
    .replayable = true,
    .address_doc = "'host:port[,host:port...]'",
    .check_address = kafka_check_address,
    .options = kafka_options,
    .noptions = sizeof kafka_options / sizeof kafka_options[0],
    .check_option = kafka_check_option,
    .metadata = kafka_metadata,
    .nmetadata = sizeof kafka_metadata / sizeof kafka_metadata[0],
    .open = kafka_open,
};
