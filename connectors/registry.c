/* registry.c — the lists of connectors and formats, lookup by name, and their docs as Markdown. */
#include "connectors/source_impl.h"

#include "connectors/sink.h"

#include <inttypes.h>
#include <string.h>
#include <strings.h>

#include "common/time.h"

static const struct sl_format *const formats[] = {
    &format_text,
    &format_csv,
    &format_json,
};

static const struct sl_connector *const connectors[] = {
    &connector_file,
    &connector_socket,
    &connector_socket_listen,
    &connector_stdin,
    &connector_generator,
    &connector_nexmark,
    &connector_kafka,
    &connector_url,
    &connector_http,
    &connector_mqtt,
};

size_t connector_count(void)
{
    return sizeof connectors / sizeof connectors[0];
}

const struct sl_connector *connector_at(size_t i)
{
    return i < connector_count() ? connectors[i] : NULL;
}

const struct sl_connector *connector_find(const char *name, bool listens)
{
    for (size_t i = 0; i < connector_count(); i++)
        if (connectors[i]->listens == listens && strcasecmp(connectors[i]->name, name) == 0)
            return connectors[i];
    return NULL;
}

static int option_index(const struct sl_option_def *options, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(options[i].name, name) == 0)
            return (int)i;
    return -1;
}

int connector_option_index(const struct sl_connector *c, const char *name)
{
    int i = option_index(c->options, c->noptions, name);
    for (size_t k = 0; i < 0 && c->old_option_names && k < c->noptions; k++)
        if (c->old_option_names[k] && strcasecmp(c->old_option_names[k], name) == 0)
            i = (int)k;
    return i;
}

size_t format_count(void)
{
    return sizeof formats / sizeof formats[0];
}

const struct sl_format *format_at(size_t i)
{
    return i < format_count() ? formats[i] : NULL;
}

const struct sl_format *format_find(const char *name)
{
    for (size_t i = 0; i < format_count(); i++)
        if (strcasecmp(formats[i]->name, name) == 0)
            return formats[i];
    return NULL;
}

int format_option_index(const struct sl_format *f, const char *name)
{
    return option_index(f->options, f->noptions, name);
}

/* n bytes of p inside an SQL string literal: a quote doubled. */
static void put_sql_text(const char *p, size_t n, struct sl_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\'')
            buf_putc(out, '\'');
        buf_putc(out, p[i]);
    }
}

/* Whether a setting's key names a credential (sasl.password, ssl.key.password, sasl.jaas.config,
 * an HTTP header Authorization or X-Api-Key). */
static bool key_is_secret(const char *key, size_t n)
{
    static const char *const words[] = {"password", "secret", "token", "jaas", "authorization",
                                        "api-key", "apikey"};
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        size_t len = strlen(words[w]);
        for (size_t i = 0; i + len <= n; i++)
            if (strncasecmp(key + i, words[w], len) == 0)
                return true;
    }
    return false;
}

/* text's words (cut at any of seps) as SQL text, the value of a `key<assign>value` word
 * whose key names a credential as *** (the catalog keeps it; a listing need not). */
static void redact_words(const char *text, const char *seps, const char *assign,
                         struct sl_buf *out)
{
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, seps);
        size_t key = strcspn(p, assign);
        if (key < n && key_is_secret(p, key)) {
            put_sql_text(p, key + 1, out);
            buf_puts(out, "***");
        } else {
            put_sql_text(p, n, out);
        }
        p += n;
        while (*p && strchr(seps, *p))
            buf_putc(out, *p++);
    }
}

/* An option's text for SHOW STREAMS: 'key=value;...' settings and 'Name: value;...' headers. */
static void text_redacted_sql(const char *text, struct sl_buf *out)
{
    redact_words(text, ";", "=:", out);
}

void connector_address_redacted(const char *address, struct sl_buf *out)
{
    /* scheme://user:password@host: the password goes. */
    const char *scheme = strstr(address, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    const char *slash = scheme ? strchr(scheme + 3, '/') : NULL;
    const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
    if (at && (!slash || at < slash) && colon && colon < at) {
        put_sql_text(address, (size_t)(colon + 1 - address), out);
        buf_puts(out, "***");
        address = at;
    }
    /* key=value words (a libpq conninfo, 'k=v;k=v' settings). */
    redact_words(address, " ;", "=", out);
}

void connector_option_sql(const struct sl_option_def *def, const struct sl_option_value *v,
                          struct sl_buf *out)
{
    char text[48];
    switch (def->type) {
    case SL_OPTION_BOOL: buf_puts(out, v->num ? "true" : "false"); break;
    case SL_OPTION_INT:
    case SL_OPTION_SIZE: buf_printf(out, "%" PRId64, v->num); break;
    case SL_OPTION_DURATION:
        sl_duration_format(v->num, text);
        buf_printf(out, "'%s'", text);
        break;
    case SL_OPTION_TIMESTAMP:
        sl_ts_format(v->num, text);
        buf_printf(out, "'%s'", text);
        break;
    case SL_OPTION_TEXT:
        buf_putc(out, '\'');
        if (key_is_secret(def->name, strlen(def->name)))
            buf_puts(out, "***"); /* an option that is a credential itself (MQTT's password) */
        else
            text_redacted_sql(v->written ? v->written : v->text ? v->text : "", out);
        buf_putc(out, '\'');
        break;
    }
}

/* "a duration from 1 MILLISECOND to 1 HOUR", "a whole number from 0 to 1000000", ... */
static void option_type_markdown(const struct sl_option_def *o, struct sl_buf *out)
{
    char lo[48], hi[48];
    switch (o->type) {
    case SL_OPTION_BOOL: buf_puts(out, "true or false"); break;
    case SL_OPTION_TEXT: buf_puts(out, "text"); break;
    case SL_OPTION_TIMESTAMP: buf_puts(out, "timestamp"); break;
    case SL_OPTION_INT:
        buf_printf(out, "whole number, %" PRId64 " to %" PRId64, o->min, o->max);
        break;
    case SL_OPTION_SIZE: buf_printf(out, "bytes, %" PRId64 " to %" PRId64, o->min, o->max); break;
    case SL_OPTION_DURATION:
        sl_duration_format(o->min, lo);
        sl_duration_format(o->max, hi);
        buf_printf(out, "duration, %s to %s", lo, hi);
        break;
    }
}

/* "- Options: none", or a table of the options. */
static void options_markdown(const struct sl_option_def *options, size_t n, struct sl_buf *out)
{
    if (!n) {
        buf_puts(out, "- Options: none\n\n");
        return;
    }
    buf_puts(out, "\n| option | value | default | what it does |\n|---|---|---|---|\n");
    for (size_t i = 0; i < n; i++) {
        const struct sl_option_def *o = &options[i];
        buf_printf(out, "| `%s` | ", o->name);
        option_type_markdown(o, out);
        buf_printf(out, " | %s | %s |\n", o->default_text, o->doc);
    }
    buf_putc(out, '\n');
}

/* The metadata columns every stream of a record source has, as a table. */
static void metadata_markdown(const struct sl_connector *c, struct sl_buf *out)
{
    if (!c->nmetadata)
        return;
    buf_printf(out, "Every %s%s stream also has these columns after its declared ones:\n\n"
                    "| column | type | what it holds |\n|---|---|---|\n", c->name,
               c->listens ? " LISTEN" : "");
    for (size_t m = 0; m < c->nmetadata; m++)
        buf_printf(out, "| `%s` | %s | %s |\n", c->metadata[m].name,
                   sl_type_name(c->metadata[m].type), c->metadata[m].doc);
    buf_putc(out, '\n');
}

static void connector_markdown(const struct sl_connector *c, struct sl_buf *out)
{
    buf_printf(out, "## %s%s\n\n%s\n\n", c->name, c->listens ? " LISTEN" : "", c->summary);
    if (c->address_doc)
        buf_printf(out, "- Written: `FROM %s%s %s`\n", c->name, c->listens ? " LISTEN" : "",
                   c->address_doc);
    else
        buf_printf(out, "- Written: `FROM %s` (no address)\n", c->name);
    if (c->nmetadata && c->replayable)
        buf_puts(out, "- Replays: yes. A resumed query reads again from its checkpoint's "
                      "offset in every partition: exactly once, no log needed.\n");
    else if (c->replayable)
        buf_puts(out, "- Replays: yes. A resumed query reads again from its checkpoint's "
                      "offset: exactly once, no log needed.\n");
    else if (c->reads_stdin)
        buf_puts(out, "- Replays: no. Read directly: at most once; `WITH (log = true)` reads "
                      "it into the stream's log first, and what the log holds is exactly once.\n");
    else
        buf_puts(out, "- Replays: no, so it is read once into the stream's log, which every "
                      "query over it reads: exactly once from what the log committed; "
                      "`WITH (log = false)`: each query reads it directly, at most once.\n");
    if (c->format_fixed) {
        buf_printf(out, "- Format: always %s (it makes its own records)\n", c->default_format);
    } else if (c->default_format) {
        buf_printf(out, "- Format: %s unless the stream names one\n", c->default_format);
    } else {
        buf_puts(out, "- Format: the stream names one (");
        for (size_t i = 0; i < format_count(); i++)
            buf_printf(out, "%s`FORMAT %s`", i == 0 ? "" : i + 1 < format_count() ? ", " : " or ",
                       formats[i]->name);
        buf_puts(out, ")\n");
    }
    options_markdown(c->options, c->noptions, out);
    const char *sep = "Earlier names, still accepted: ";
    for (size_t i = 0; c->old_option_names && i < c->noptions; i++) {
        if (!c->old_option_names[i])
            continue;
        buf_printf(out, "%s`%s` (`%s`)", sep, c->old_option_names[i], c->options[i].name);
        sep = ", ";
    }
    if (*sep == ',')
        buf_puts(out, ".\n\n");
    metadata_markdown(c, out);
}

static void format_markdown(const struct sl_format *f, struct sl_buf *out)
{
    buf_printf(out, "## FORMAT %s\n\n%s\n", f->name, f->summary);
    options_markdown(f->options, f->noptions, out);
}

static void sink_markdown(const struct sl_sink_connector *c, struct sl_buf *out)
{
    buf_printf(out, "## INTO %s\n\n%s\n\n- Written: `INTO %s%s%s", c->name, c->summary, c->name,
               c->address_doc ? " " : "", c->address_doc ? c->address_doc : "");
    if (c->target_word)
        buf_printf(out, " %s%s 'name'%s", c->target_required ? "" : "[", c->target_word,
                   c->target_required ? "" : "]");
    if (c->formats) {
        buf_puts(out, " [FORMAT ");
        for (int f = SL_SINK_FORMAT_JSON, n = 0; f <= SL_SINK_FORMAT_TABLE; f++)
            if (c->formats & 1u << f)
                buf_printf(out, "%s%s", n++ ? "|" : "", sink_format_name((enum sl_sink_format)f));
        buf_putc(out, ']');
    }
    if (c->takes_key)
        buf_puts(out, " [KEY (col, ...)]");
    buf_puts(out, "`\n");
    if (c->formats)
        buf_printf(out, "- Format: %s unless the sink names one\n",
                   sink_format_name(c->default_format));
    buf_printf(out, "- Guarantee: %s\n", c->guarantee);
    options_markdown(c->options, c->noptions, out);
}

void connectors_markdown(struct sl_buf *out)
{
    for (size_t i = 0; i < connector_count(); i++)
        connector_markdown(connectors[i], out);
    for (size_t i = 0; i < format_count(); i++)
        format_markdown(formats[i], out);
    for (size_t i = 0; i < sink_connector_count(); i++)
        sink_markdown(sink_connector_at(i), out);
    buf_puts(out, "## Options of every sink\n\nThe engine's delivery loop reads these, whatever "
                  "the sink's connector.\n");
    options_markdown(sink_delivery_options, SL_SINK_DELIVERY_NOPTIONS, out);
}
