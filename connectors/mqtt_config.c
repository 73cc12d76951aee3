/*
 * mqtt_config.c — the MQTT connector's entry in the registry (its options,
 * their checks, the mqtt_topic column) and what a stream's options leave
 * implicit: the client id, the topic filters, the broker's host and port.
 */
#include "connectors/mqtt_impl.h"

#include <mosquitto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/hash.h"
#include "common/time.h"
#include "connectors/retry.h"

void mqtt_default_client_id(const char *address, const char *topic,
                            char out[MQTT_CLIENT_ID_CAP])
{
    uint64_t h = sl_hash_bytes(address, strlen(address), 0);
    h = sl_hash_bytes(topic, strlen(topic), h);
    snprintf(out, MQTT_CLIENT_ID_CAP, "sluice-%016llx", (unsigned long long)h);
}

size_t mqtt_topic_filters(const char *text, char ***filters, const char **bad)
{
    static _Thread_local char why[160];
    *filters = NULL;
    size_t count = 1, len = strlen(text);
    for (const char *p = text; *p; p++)
        count += *p == ',';
    /* The pointers, then a copy of the text that the filters are cut from. */
    char **list = sl_malloc(count * sizeof *list + len + 1);
    if (!list) {
        *bad = "out of memory";
        return 0;
    }
    char *copy = memcpy((char *)(list + count), text, len + 1);
    char *save = NULL;
    size_t n = 0;
    for (char *item = copy;; item = NULL) {
        char *f = strtok_r(item, ",", &save);
        if (!f)
            break;
        f += strspn(f, " \t");
        size_t flen = strlen(f);
        while (flen && (f[flen - 1] == ' ' || f[flen - 1] == '\t'))
            f[--flen] = '\0';
        if (!flen || mosquitto_sub_topic_check(f) != MOSQ_ERR_SUCCESS) {
            snprintf(why, sizeof why, "'%.100s' is not an MQTT topic filter", f);
            *bad = why;
            sl_free(list);
            return 0;
        }
        list[n++] = f;
    }
    if (n != count) {
        *bad = "a topic filter is empty";
        sl_free(list);
        return 0;
    }
    *filters = list;
    return n;
}

bool mqtt_split_address(const char *address, char *host, size_t host_cap, int *port)
{
    const char *h = address, *h_end, *p = NULL;
    if (address[0] == '[') {
        h = address + 1;
        if (!(h_end = strchr(h, ']')) || (h_end[1] && h_end[1] != ':'))
            return false;
        p = h_end[1] ? h_end + 2 : NULL;
    } else {
        h_end = strchr(address, ':');
        if (h_end && strchr(h_end + 1, ':'))
            return false; /* a bare IPv6 address: written [addr]:port */
        p = h_end ? h_end + 1 : NULL;
        h_end = h_end ? h_end : address + strlen(address);
    }
    size_t hlen = (size_t)(h_end - h);
    if (!hlen || hlen >= host_cap)
        return false;
    *port = MQTT_DEFAULT_PORT;
    if (p) {
        char *end;
        long v = strtol(p, &end, 10);
        if (!*p || *end || v < 1 || v > 65535)
            return false;
        *port = (int)v;
    }
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    return true;
}

static const char *mqtt_check_address(const char *address, const char **hint)
{
    char host[256];
    int port;
    if (mqtt_split_address(address, host, sizeof host, &port))
        return NULL;
    *hint = "e.g. FROM MQTT '127.0.0.1:1883' (an IPv6 address as '[::1]:1883')";
    return "an MQTT address is host:port, or a host alone for port 1883";
}

static const char *mqtt_check_option(size_t i, const struct sl_option_value *v, const char **hint)
{
    char **filters;
    const char *bad = NULL;
    switch (i) {
    case MQTT_TOPIC:
        if (!mqtt_topic_filters(v->text, &filters, &bad)) {
            *hint = "e.g. TOPIC 'sensors/#' or TOPIC 'sensors/+/temp, alarms/#'";
            return bad;
        }
        sl_free(filters);
        return NULL;
    case MQTT_CLIENT_ID:
        if (v->text[0] && strlen(v->text) <= 65535)
            return NULL;
        *hint = "leave it out for one derived from the address and the topic";
        return "client_id is empty";
    default:
        return NULL;
    }
}

static const struct sl_option_def mqtt_options[] = {
    [MQTT_TOPIC] = {"topic", SL_OPTION_TEXT, 0, 0, 0, "none (required)",
                    "the topic filters to subscribe to, comma-separated (also written TOPIC "
                    "'sensors/#')"},
    [MQTT_QOS] = {"qos", SL_OPTION_INT, 0, 2, 1, "1",
                  "the subscription's quality of service: 0 at most once, 1 at least once, 2"},
    [MQTT_CLIENT_ID] = {"client_id", SL_OPTION_TEXT, 0, 0, 0,
                        "'sluice-' and a hash of address and topic",
                        "the id the broker keeps the session under: one client per id"},
    [MQTT_CLEAN_SESSION] = {"clean_session", SL_OPTION_BOOL, 0, 1, 0, "false",
                            "true: no session survives a disconnection (what was sent "
                            "meanwhile is lost)"},
    [MQTT_SESSION_EXPIRY] = {"session_expiry", SL_OPTION_DURATION, SL_US_PER_SEC,
                             INT64_C(4294967294) * SL_US_PER_SEC,
                             INT64_C(7) * 86400 * SL_US_PER_SEC, "7 days",
                             "how long the broker keeps the session, queueing messages, while "
                             "Sluice is away"},
    [MQTT_KEEPALIVE] = {"keepalive", SL_OPTION_DURATION, 5 * SL_US_PER_SEC,
                        65535 * SL_US_PER_SEC, 60 * SL_US_PER_SEC, "60 seconds",
                        "how often the connection is checked when nothing else is sent"},
    [MQTT_USERNAME] = {"username", SL_OPTION_TEXT, 0, 0, 0, "none", "the user to log in as"},
    [MQTT_PASSWORD] = {"password", SL_OPTION_TEXT, 0, 0, 0, "none",
                       "the user's password (SHOW STREAMS prints ***)"},
    [MQTT_MAX_INFLIGHT] = {"max_inflight", SL_OPTION_INT, 1, 65535, 10000, "10000",
                           "messages received and not yet committed (the MQTT 5 receive "
                           "maximum): the broker sends no more until a commit acknowledges some"},
    SL_RETRY_OPTION_DEFS,
};

static const struct sl_metadata_def mqtt_metadata[] = {
    {"mqtt_topic", SL_TEXT, SL_FIELD_KEY, "the topic the message was published to"},
};

const struct sl_connector connector_mqtt = {
    .name = "MQTT",
    .kind = SL_CONNECTOR_SOURCE,
    .summary = "Messages an MQTT broker delivers to a persistent session (libmosquitto, "
               "MQTT 5), each one record in the FORMAT, its topic in `mqtt_topic`; a QoS 1 "
               "message is acknowledged to the broker only once it is committed (to the "
               "stream's log), so what the broker took is neither lost nor counted twice when "
               "the broker restarts or the connection drops, and a crash of Sluice loses none "
               "of it (at least once).",
    .replayable = false,
    .address_doc = "'host:port'",
    .check_address = mqtt_check_address,
    .options = mqtt_options,
    .noptions = sizeof mqtt_options / sizeof mqtt_options[0],
    .check_option = mqtt_check_option,
    .metadata = mqtt_metadata,
    .nmetadata = sizeof mqtt_metadata / sizeof mqtt_metadata[0],
    .open = mqtt_open,
};
