/*
 * kafka_impl.h — private to connectors/: what the KAFKA source's two files
 * share, and the KAFKA sink with them. kafka_config.c turns a stream's
 * options into librdkafka's settings and declares the connector (options,
 * checks, metadata columns); source_kafka.c is the consumer; sink_kafka.c
 * the producer, configured with the same helpers.
 */
#ifndef SL_KAFKA_IMPL_H
#define SL_KAFKA_IMPL_H

#include <librdkafka/rdkafka.h>

#include "connectors/source_impl.h"

/* The options' indices in the connector's table (kafka_config.c). */
enum kafka_option {
    KAFKA_TOPIC,
    KAFKA_START,
    KAFKA_PARTITIONS,
    KAFKA_GROUP,
    KAFKA_END,
    KAFKA_IDLE_TIMEOUT,
    KAFKA_PROPERTIES,
};

/* librdkafka's settings for a consumer of spec: its brokers, its group, no
 * automatic commits or offset resets, the `properties` passed through. */
sl_status kafka_configure(const struct sl_source_spec *spec, rd_kafka_conf_t *conf,
                          struct sl_error *err);

/* One librdkafka setting; an error names the setting, never its value (a password). */
sl_status kafka_conf_set(rd_kafka_conf_t *conf, const char *name, const char *value,
                         struct sl_error *err);
/* properties = 'key=value;key=value': librdkafka's settings, passed through. */
sl_status kafka_conf_properties(rd_kafka_conf_t *conf, const char *text, struct sl_error *err);
/* Checks of a `properties` text and of an address (the registry's check_*). */
const char *kafka_check_properties(const char *text, const char **hint);
const char *kafka_check_address(const char *address, const char **hint);
/* librdkafka's log callback that keeps its lines quiet (errors reach the state instead). */
void kafka_quiet_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf);

/* The connector's open (source_kafka.c). */
sl_status kafka_open(const struct sl_source_spec *spec, struct sl_source **out,
                     struct sl_error *err);

#endif
