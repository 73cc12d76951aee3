/*
 * sink_def.h — what CREATE SINK bound to: the sink's name, the query whose
 * rows it sends, its connector (connectors/sink.h) with its address, target
 * and options, and the engine's own options for its delivery. Like a
 * stream's, it is persisted as its SQL text (_sluice_sinks), never as a
 * struct. The rows' columns come from the query when the sink starts.
 */
#ifndef SL_SINK_DEF_H
#define SL_SINK_DEF_H

#include "connectors/sink.h"

struct sl_sink_def {
    char *name;
    char *from; /* the query (or CREATE STREAM AS stream) whose rows it sends */
    char *sql;
    const struct sl_sink_connector *connector;
    char *address; /* NULL when the connector takes none */
    char *address_written; /* with ${NAME} references, as written (SHOW prints it); NULL: as address */
    char *target;  /* TABLE / INDEX / TOPIC 'x'; NULL when absent */
    enum sl_sink_format format;
    uint32_t nkey; /* KEY (col, ...): names, matched against the rows' columns at start */
    char **key;
    struct sl_option_value options[SL_CONNECTOR_MAX_OPTIONS];
    /* The delivery options (WITH, connectors/sink.h's sink_delivery_options): past max_outbox_rows rows waiting, the query's
     * batches wait; failed deliveries are tried again after retry_initial,
     * doubling up to retry_max. */
    int64_t max_outbox_rows;
    int64_t retry_initial_us, retry_max_us;
};

void sink_def_free(struct sl_sink_def *def);

#endif
