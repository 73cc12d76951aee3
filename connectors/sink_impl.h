/*
 * sink_impl.h — what sink connectors implement: each file sink_*.c defines
 * one struct sl_sink_connector, listed in sink.c.
 */
#ifndef SL_SINK_IMPL_H
#define SL_SINK_IMPL_H

#include "connectors/sink.h"

extern const struct sl_sink_connector sink_stdout;
extern const struct sl_sink_connector sink_file;
extern const struct sl_sink_connector sink_postgres;
extern const struct sl_sink_connector sink_elasticsearch;
extern const struct sl_sink_connector sink_http;
extern const struct sl_sink_connector sink_kafka;

#endif
