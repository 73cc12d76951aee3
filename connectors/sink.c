/* sink.c — the list of sink connectors, lookup by name, and their options (sink.h). */
#include "connectors/sink_impl.h"

#include <string.h>
#include <strings.h>

#include "common/time.h"

static const struct sl_sink_connector *const sink_connectors[] = {
    &sink_stdout,
    &sink_file,
    &sink_postgres,
    &sink_elasticsearch,
    &sink_http,
    &sink_kafka,
};

size_t sink_connector_count(void)
{
    return sizeof sink_connectors / sizeof sink_connectors[0];
}

const struct sl_sink_connector *sink_connector_at(size_t i)
{
    return i < sink_connector_count() ? sink_connectors[i] : NULL;
}

const struct sl_sink_connector *sink_connector_find(const char *name)
{
    for (size_t i = 0; i < sink_connector_count(); i++)
        if (strcasecmp(sink_connectors[i]->name, name) == 0)
            return sink_connectors[i];
    return NULL;
}

int sink_connector_option_index(const struct sl_sink_connector *c, const char *name)
{
    for (size_t i = 0; i < c->noptions; i++)
        if (strcasecmp(c->options[i].name, name) == 0)
            return (int)i;
    return -1;
}

const struct sl_option_def sink_delivery_options[SL_SINK_DELIVERY_NOPTIONS] = {
    {"max_outbox_rows", SL_OPTION_INT, 1, INT64_C(1) << 40, 1000000, "1000000",
     "past this many rows waiting in the outbox, the query's batches wait for the sink"},
    {"retry_initial", SL_OPTION_DURATION, SL_US_PER_MS, 3600 * SL_US_PER_SEC,
     100 * SL_US_PER_MS, "100 milliseconds",
     "the first wait before a failed delivery is tried again; it doubles on each failure in a "
     "row, each wait drawn between half and all of it"},
    {"retry_max", SL_OPTION_DURATION, SL_US_PER_MS, 24 * 3600 * SL_US_PER_SEC,
     30 * SL_US_PER_SEC, "30 seconds", "the longest wait between tries"},
};

int64_t sink_option_num(const struct sl_sink_spec *spec, size_t i)
{
    return spec->options[i].set ? spec->options[i].num : spec->connector->options[i].default_num;
}

const char *sink_option_text(const struct sl_sink_spec *spec, size_t i)
{
    return spec->options[i].set ? spec->options[i].text : NULL;
}

static const char *const format_names[] = {
    [SL_SINK_FORMAT_JSON] = "JSON",
    [SL_SINK_FORMAT_CSV] = "CSV",
    [SL_SINK_FORMAT_TABLE] = "TABLE",
};

const char *sink_format_name(enum sl_sink_format f)
{
    return f > SL_SINK_FORMAT_DEFAULT && f <= SL_SINK_FORMAT_TABLE ? format_names[f] : "";
}

bool sink_format_from_name(const char *name, enum sl_sink_format *out)
{
    for (int f = SL_SINK_FORMAT_JSON; f <= SL_SINK_FORMAT_TABLE; f++)
        if (strcasecmp(format_names[f], name) == 0) {
            *out = (enum sl_sink_format)f;
            return true;
        }
    return false;
}
