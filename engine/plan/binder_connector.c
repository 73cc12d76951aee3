/*
 * binder_connector.c — binds what CREATE STREAM says about its source against
 * the connector registry (connectors/registry.h): the connector's name, its
 * address, and each option (WITH (...) or a TOPIC/LISTEN/PATH clause) by the
 * type the connector declares, with "did you mean" for misspelt names.
 */
#include "engine/plan/binder.h"

#include "common/alloc.h"
#include "common/time.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* A duration as the docs and errors write it: "1 millisecond". */
static void duration_words(int64_t us, char out[48])
{
    sl_duration_format(us, out);
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
}

static bool bind_number_in(const struct sl_option_def *def, const struct ast_expr *v,
                           int64_t *out)
{
    if (v->kind != AST_INT || v->ival < def->min || v->ival > def->max)
        return false;
    *out = v->ival;
    return true;
}

static bool bind_duration_in(const struct sl_option_def *def, const struct ast_expr *v,
                             int64_t *out)
{
    bool text = v->kind == AST_STRING || v->kind == AST_INTERVAL;
    int64_t unit = v->kind == AST_INTERVAL ? v->ival : 0;
    return text && bind_duration_text(v->str, v->str_len, unit, out) && *out >= def->min &&
           *out <= def->max;
}

static bool bind_timestamp(const struct ast_expr *v, int64_t *out)
{
    return (v->kind == AST_STRING || v->kind == AST_TIMESTAMP) &&
           sl_ts_parse(v->str, v->str_len, out);
}

/* true/false, or text that reads as one ('yes', 1): as FORMAT CSV (header = ...) always took. */
static bool bind_bool(const struct ast_option *o, int64_t *out)
{
    char text[16];
    bool b;
    if (o->value->kind == AST_BOOL)
        b = o->value->ival != 0;
    else if (!bind_option_text(o, text, sizeof text) || !sl_parse_bool(text, strlen(text), &b))
        return false;
    *out = b;
    return true;
}

void bind_option_value(const struct sl_option_def *def, const struct ast_option *o,
                       struct sl_option_value *val, struct sl_diags *d)
{
    const struct ast_expr *v = o->value;
    char hint[160], lo[48], hi[48];
    switch (def->type) {
    case SL_OPTION_BOOL:
        if (bind_bool(o, &val->num))
            break;
        snprintf(hint, sizeof hint, "write %s = true", def->name);
        diags_add(d, v->pos, v->span, hint, "option \"%s\" is true or false", def->name);
        return;
    case SL_OPTION_INT:
    case SL_OPTION_SIZE:
        if (bind_number_in(def, v, &val->num))
            break;
        snprintf(hint, sizeof hint, "the default is %s", def->default_text);
        diags_add(d, v->pos, v->span, hint,
                  "option \"%s\" expects a whole number%s from %" PRId64 " to %" PRId64,
                  def->name, def->type == SL_OPTION_SIZE ? " of bytes" : "", def->min, def->max);
        return;
    case SL_OPTION_DURATION:
        if (bind_duration_in(def, v, &val->num))
            break;
        duration_words(def->min, lo);
        duration_words(def->max, hi);
        snprintf(hint, sizeof hint, "e.g. %s = '%s'", def->name, def->default_text);
        diags_add(d, v->pos, v->span, hint, "option \"%s\" expects a duration from %s to %s",
                  def->name, lo, hi);
        return;
    case SL_OPTION_TIMESTAMP:
        if (bind_timestamp(v, &val->num))
            break;
        snprintf(hint, sizeof hint, "e.g. %s = '2026-01-01 00:00:00'", def->name);
        diags_add(d, v->pos, v->span, hint, "option \"%s\" expects a timestamp", def->name);
        return;
    case SL_OPTION_TEXT: {
        char text[1024];
        if (!bind_option_text(o, text, sizeof text)) {
            diags_add(d, v->pos, v->span, NULL, "option \"%s\" needs a literal value", def->name);
            return;
        }
        sl_free(val->text);
        if (!(val->text = sl_strdup(text))) {
            diags_add(d, v->pos, v->span, NULL, "out of memory");
            return;
        }
        break;
    }
    }
    val->set = true;
}

/* "a, b and c". */
static void name_list(const char *const *names, size_t n, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && used < cap; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? " and " : ", ";
        int w = snprintf(out + used, cap - used, "%s%s", sep, names[i]);
        used += w > 0 ? (size_t)w : 0;
    }
}

void bind_format_names(char *out, size_t cap)
{
    const char *names[SL_CONNECTOR_MAX_OPTIONS];
    size_t n = 0;
    for (size_t i = 0; i < format_count() && n < SL_CONNECTOR_MAX_OPTIONS; i++)
        names[n++] = format_at(i)->name;
    name_list(names, n, out, cap);
}

const struct sl_format *bind_format_find(const struct ast_name *name, struct sl_diags *d)
{
    const struct sl_format *f = format_find(name->text);
    if (f)
        return f;
    const char *names[SL_CONNECTOR_MAX_OPTIONS];
    size_t n = 0;
    for (size_t i = 0; i < format_count() && n < SL_CONNECTOR_MAX_OPTIONS; i++)
        names[n++] = format_at(i)->name;
    char hint[300], list[200];
    name_list(names, n, list, sizeof list);
    /* FORMAT with nothing after it: the parser leaves an empty name at the keyword. */
    if (name->text[0] == '\0') {
        snprintf(hint, sizeof hint, "write FORMAT and a format's name: %s", list);
        diags_add(d, name->pos, name->span, hint, "FORMAT needs the name of a format");
        return NULL;
    }
    const char *best = name_nearest(name->text, names, n);
    if (best)
        snprintf(hint, sizeof hint, "did you mean %s?", best);
    else
        snprintf(hint, sizeof hint, "formats are %s", list);
    diags_add(d, name->pos, name->span, hint, "unknown format \"%s\"", name->text);
    return NULL;
}

void bind_unknown_option(const struct ast_option *o, const struct sl_option_def *options,
                         size_t noptions, const struct sl_option_def *extra, size_t nextra,
                         const char *owner, struct sl_diags *d)
{
    const char *names[SL_CONNECTOR_MAX_OPTIONS + 2] = {0};
    size_t n = 0;
    for (size_t i = 0; i < noptions && n < SL_CONNECTOR_MAX_OPTIONS; i++)
        names[n++] = options[i].name;
    for (size_t i = 0; i < nextra && i < 2; i++)
        names[n++] = extra[i].name;
    const char *best = name_nearest(o->key.text, names, n);
    char hint[400], list[300];
    name_list(names, n, list, sizeof list);
    /* A format's option in WITH (json_cast, header): say where it goes. */
    const struct sl_format *format = NULL;
    for (size_t i = 0; i < format_count() && !format; i++)
        if (format_at(i)->options != options &&
            format_option_index(format_at(i), o->key.text) >= 0)
            format = format_at(i);
    if (format)
        snprintf(hint, sizeof hint, "\"%s\" is an option of FORMAT %s: FORMAT %s (%s = ...)",
                 o->key.text, format->name, format->name, o->key.text);
    else if (best)
        snprintf(hint, sizeof hint, "did you mean \"%s\"?", best);
    else if (n)
        snprintf(hint, sizeof hint, "options of %s: %s", owner, list);
    else
        snprintf(hint, sizeof hint, "%s takes no options", owner);
    diags_add(d, o->key.pos, o->key.span, hint, "unknown option \"%s\" for %s", o->key.text,
              owner);
}

/* The stream-level options of a source that cannot replay: its log (journal is the old name). */
static const struct sl_option_def log_options[] = {
    {"log", SL_OPTION_BOOL, 0, 1, 1, "true (false for STDIN)",
     "read the source once into the stream's log, which every query reads (exactly-once); "
     "false: each query reads the source itself (at most once)"},
    {"max_log_bytes", SL_OPTION_SIZE, 1 << 20, INT64_C(1) << 50, SL_DEFAULT_MAX_LOG_BYTES,
     "268435456", "past this many bytes in the log not read by every query, the source pushes back"},
};

static void bind_log_option(const struct sl_connector *c, const struct ast_option *o, size_t k,
                            struct sl_stream_def *def, bool *log_set, struct sl_diags *d)
{
    if (c->replayable) {
        diags_add(d, o->key.pos, o->key.span,
                  "a query over it resumes at its checkpoint's offset without one",
                  "a %s stream needs no log: it replays by itself", c->name);
        return;
    }
    struct sl_option_value v = {0};
    uint32_t errors = d->count;
    struct sl_option_def as_written = log_options[k]; /* errors name journal as journal */
    as_written.name = o->key.text;
    bind_option_value(&as_written, o, &v, d);
    if (d->count != errors)
        return;
    if (k == 0) {
        def->log = v.num != 0;
        *log_set = true;
    } else {
        def->max_log_bytes = v.num;
    }
}

/* An option's value by its type, then by the connector's own check. */
static void bind_checked_option(const struct sl_connector *c, size_t k, const struct ast_option *o,
                                struct sl_option_value *val, struct sl_diags *d)
{
    uint32_t errors = d->count;
    struct sl_option_def as_written = c->options[k]; /* an old name's errors say the old name */
    as_written.name = o->key.text;
    bind_option_value(&as_written, o, val, d);
    if (d->count == errors)
        bind_option_env(o, val, d);
    const char *hint = NULL, *bad = NULL;
    if (d->count == errors && c->check_option && (bad = c->check_option(k, val, &hint)))
        diags_add(d, o->value->pos, o->value->span, hint, "%s", bad);
}

static void bind_connector_options(const struct sl_connector *c, const struct ast_option *opts,
                                   uint32_t n, struct sl_stream_def *def, bool *log_set,
                                   struct sl_diags *d)
{
    char owner[64];
    snprintf(owner, sizeof owner, "a %s stream", c->name);
    for (uint32_t i = 0; i < n; i++) {
        const struct ast_option *o = &opts[i];
        int k = connector_option_index(c, o->key.text);
        if (k >= 0 && def->source.options[k].set)
            diags_add(d, o->key.pos, o->key.span, NULL, "option \"%s\" is given twice",
                      o->key.text);
        else if (k >= 0)
            bind_checked_option(c, (size_t)k, o, &def->source.options[k], d);
        else if (strcasecmp(o->key.text, "log") == 0 || strcasecmp(o->key.text, "journal") == 0)
            bind_log_option(c, o, 0, def, log_set, d);
        else if (strcasecmp(o->key.text, "max_log_bytes") == 0)
            bind_log_option(c, o, 1, def, log_set, d);
        else
            bind_unknown_option(o, c->options, c->noptions, log_options,
                                c->replayable ? 0 : sizeof log_options / sizeof *log_options,
                                owner, d);
    }
}

const struct sl_connector *bind_connector(const struct ast_create_stream *cs,
                                          struct sl_stream_def *def, struct sl_diags *d)
{
    /* FROM NAME LISTEN 'address' names a listening connector; its LISTEN clause is the address. */
    const struct ast_option *clauses = cs->clauses;
    uint32_t nclauses = cs->nclauses;
    struct ast_name address = cs->address;
    bool listens = !address.text && nclauses > 0 &&
                   strcasecmp(clauses[0].key.text, "listen") == 0 &&
                   clauses[0].value->kind == AST_STRING &&
                   connector_find(cs->connector.text, true);
    if (listens) {
        address = (struct ast_name){.text = clauses[0].value->str,
                                    .pos = clauses[0].value->pos,
                                    .span = clauses[0].value->span};
        clauses++;
        nclauses--;
    }
    const struct sl_connector *c = connector_find(cs->connector.text, listens);
    const struct sl_connector *listener = connector_find(cs->connector.text, true);
    if (!c && listener) {
        diags_add(d, cs->connector.pos, cs->connector.span, NULL,
                  "a %s stream listens: write FROM %s LISTEN %s", listener->name, listener->name,
                  listener->address_doc);
        return NULL;
    }
    if (!c) {
        const char *names[32];
        size_t n = 0;
        for (size_t i = 0; i < connector_count() && n < 32; i++)
            names[n++] = connector_at(i)->name;
        const char *best = name_nearest(cs->connector.text, names, n);
        char hint[300];
        if (best)
            snprintf(hint, sizeof hint, "did you mean %s?", best);
        else
            snprintf(hint, sizeof hint, "SHOW CONNECTORS lists them");
        diags_add(d, cs->connector.pos, cs->connector.span, hint, "unknown connector \"%s\"",
                  cs->connector.text);
        return NULL;
    }
    def->source.connector = c;
    const char *hint = NULL, *bad = NULL;
    char *value = NULL;
    if (address.text && !bind_env_expand(address.text, address.pos, address.span, d, &value))
        return c;
    if (value) {
        def->source.address_written = sl_strdup(address.text);
        address.text = value;
    }
    if (address.text && !c->address_doc)
        diags_add(d, address.pos, address.span, NULL, "a %s stream takes no address",
                  c->name);
    else if (!address.text && c->address_doc)
        diags_add(d, cs->connector.pos, cs->connector.span, NULL,
                  "a %s stream needs an address: FROM %s%s %s", c->name, c->name,
                  c->listens ? " LISTEN" : "", c->address_doc);
    else if (address.text && c->check_address && (bad = c->check_address(address.text, &hint)))
        diags_add(d, address.pos, address.span, hint, "%s", bad);
    if (value)
        def->source.address = value;
    else if (address.text && !(def->source.address = sl_strdup(address.text)))
        diags_add(d, address.pos, address.span, NULL, "out of memory");
    bool log_set = false;
    def->max_log_bytes = SL_DEFAULT_MAX_LOG_BYTES;
    bind_connector_options(c, clauses, nclauses, def, &log_set, d);
    bind_connector_options(c, cs->options, cs->noptions, def, &log_set, d);
    if (!log_set)
        def->log = stream_logs_by_default(c);
    return c;
}
