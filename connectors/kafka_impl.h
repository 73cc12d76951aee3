/*
 * kafka_impl.h — private to connectors/: what the KAFKA source's two files
 * share. kafka_config.c turns a stream's options into librdkafka's settings
 * and declares the connector (options, checks, metadata columns);
 * source_kafka.c is the consumer.
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

/* The connector's open (source_kafka.c). */
sl_status kafka_open(const struct sl_source_spec *spec, struct sl_source **out,
                     struct sl_error *err);

#endif
