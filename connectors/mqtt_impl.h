/*
 * mqtt_impl.h — private to connectors/: what the MQTT source's files share.
 * mqtt_config.c declares the connector (options, checks, the mqtt_topic
 * column) and derives what a stream's options leave implicit (the client id,
 * the topic filters, the broker's host and port); source_mqtt.c is the client;
 * mqtt_inbox.c keeps the messages between their arrival and their commit.
 */
#ifndef SL_MQTT_IMPL_H
#define SL_MQTT_IMPL_H

#include "connectors/source_impl.h"

/* The options' indices in the connector's table (mqtt_config.c). */
enum mqtt_option {
    MQTT_TOPIC,
    MQTT_QOS,
    MQTT_CLIENT_ID,
    MQTT_CLEAN_SESSION,
    MQTT_SESSION_EXPIRY,
    MQTT_KEEPALIVE,
    MQTT_USERNAME,
    MQTT_PASSWORD,
    MQTT_MAX_INFLIGHT,
    MQTT_RETRY_FIRST, /* SL_RETRY_OPTION_DEFS: retry_initial, retry_max, retry_attempts */
};

#define MQTT_DEFAULT_PORT 1883
/* "sluice-" and 16 hex digits: 23 characters, the most MQTT 3.1.1 obliges a broker to take. */
#define MQTT_CLIENT_ID_CAP 24

/* The client id of a stream that names none: "sluice-" and a hash of its
 * address and topic, the same on every run, so that the broker finds the
 * persistent session the last run left. */
void mqtt_default_client_id(const char *address, const char *topic,
                            char out[MQTT_CLIENT_ID_CAP]);

/* The topic option's comma-separated filters, each trimmed of spaces, as
 * NUL-terminated strings in one allocation (*filters, sl_free it); their
 * count, or 0 when one is empty or is not a valid filter (*bad says which). */
size_t mqtt_topic_filters(const char *text, char ***filters, const char **bad);

/* "host:port", "[v6]:port" or "host" (port 1883) into host and port; false if malformed. */
bool mqtt_split_address(const char *address, char *host, size_t host_cap, int *port);

/* The connector's open (source_mqtt.c). */
sl_status mqtt_open(const struct sl_source_spec *spec, struct sl_source **out,
                    struct sl_error *err);

#endif
