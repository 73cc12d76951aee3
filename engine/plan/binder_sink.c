/*
 * binder_sink.c — binds CREATE SINK against the sink connectors
 * (connectors/sink.h): the connector's name, its address and target clause,
 * its FORMAT, KEY and options, with "did you mean" for misspelt names. The
 * query it reads is the engine's business (its columns are known once it runs).
 */
#include "engine/plan/binder.h"

#include "common/alloc.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>


void sink_def_free(struct sl_sink_def *def)
{
    if (!def)
        return;
    sl_free(def->name);
    sl_free(def->from);
    sl_free(def->sql);
    sl_free(def->address);
    sl_free(def->address_written);
    sl_free(def->target);
    for (uint32_t i = 0; i < def->nkey; i++)
        sl_free(def->key[i]);
    sl_free(def->key);
    for (size_t i = 0; i < SL_CONNECTOR_MAX_OPTIONS; i++) {
        sl_free(def->options[i].text);
        sl_free(def->options[i].written);
    }
    sl_free(def);
}

/* "an" before a name said with a vowel first (ELASTICSEARCH, HTTP), "a" before the others. */
static const char *article(const char *name)
{
    return strchr("AEIOU", name[0]) || strncmp(name, "HTTP", 4) == 0 ? "an" : "a";
}

static const struct sl_sink_connector *find_connector(const struct ast_name *name,
                                                      struct sl_diags *d)
{
    const struct sl_sink_connector *c = sink_connector_find(name->text);
    if (c)
        return c;
    const char *names[32];
    size_t n = 0;
    for (size_t i = 0; i < sink_connector_count() && n < 32; i++)
        names[n++] = sink_connector_at(i)->name;
    const char *best = name_nearest(name->text, names, n);
    char hint[300] = "sinks write to ";
    if (best) {
        snprintf(hint, sizeof hint, "did you mean %s?", best);
    } else {
        for (size_t i = 0; i < n; i++) {
            size_t used = strlen(hint);
            snprintf(hint + used, sizeof hint - used, "%s%s", i ? ", " : "", names[i]);
        }
    }
    diags_add(d, name->pos, name->span, hint, "unknown sink connector \"%s\"", name->text);
    return NULL;
}

static void bind_address(const struct ast_create_sink *cs, struct sl_sink_def *def,
                         struct sl_diags *d)
{
    const struct sl_sink_connector *c = def->connector;
    struct ast_name expanded = cs->address;
    const struct ast_name *a = &expanded;
    const char *hint = NULL, *bad = NULL;
    char *value = NULL;
    if (a->text && !bind_env_expand(a->text, a->pos, a->span, d, &value))
        return;
    if (value) {
        def->address_written = sl_strdup(a->text);
        expanded.text = value;
    }
    if (a->text && !c->address_doc)
        diags_add(d, a->pos, a->span, NULL, "%s %s sink takes no address", article(c->name),
                  c->name);
    else if (!a->text && c->address_doc)
        diags_add(d, cs->connector.pos, cs->connector.span, NULL,
                  "%s %s sink needs an address: INTO %s %s", article(c->name), c->name, c->name, c->address_doc);
    else if (a->text && c->check_address && (bad = c->check_address(a->text, &hint)))
        diags_add(d, a->pos, a->span, hint, "%s", bad);
    if (value)
        def->address = value;
    else if (a->text && !(def->address = sl_strdup(a->text)))
        diags_add(d, a->pos, a->span, NULL, "out of memory");
}

/* TABLE 'x', INDEX 'x' or TOPIC 'x': the one the connector names. */
static void bind_target(const struct ast_create_sink *cs, struct sl_sink_def *def,
                        struct sl_diags *d)
{
    const struct sl_sink_connector *c = def->connector;
    for (uint32_t i = 0; i < cs->nclauses; i++) {
        const struct ast_option *o = &cs->clauses[i];
        if (!c->target_word || strcasecmp(o->key.text, c->target_word) != 0) {
            char hint[128] = "";
            if (c->target_word)
                snprintf(hint, sizeof hint, "%s %s sink writes to %s '...'", article(c->name), c->name,
                         c->target_word);
            diags_add(d, o->key.pos, o->key.span, c->target_word ? hint : NULL,
                      "%s %s sink takes no %s", article(c->name), c->name, o->key.text);
        } else if (def->target) {
            diags_add(d, o->key.pos, o->key.span, NULL, "%s is given twice", c->target_word);
        } else if (!(def->target = sl_strndup(o->value->str, o->value->str_len))) {
            diags_add(d, o->key.pos, o->key.span, NULL, "out of memory");
        } else if (!def->target[0]) {
            diags_add(d, o->value->pos, o->value->span, NULL, "%s '' names nothing",
                      c->target_word);
        }
    }
    if (!def->target && c->target_required)
        diags_add(d, cs->connector.pos, cs->connector.span, NULL,
                  "%s %s sink needs %s 'name' after its address", article(c->name), c->name, c->target_word);
}

static void bind_format(const struct ast_create_sink *cs, struct sl_sink_def *def,
                        struct sl_diags *d)
{
    const struct sl_sink_connector *c = def->connector;
    def->format = c->default_format;
    if (!cs->format.text)
        return;
    enum sl_sink_format f;
    char names[64] = "";
    for (int k = SL_SINK_FORMAT_JSON; k <= SL_SINK_FORMAT_TABLE; k++)
        if (c->formats & 1u << k) {
            size_t used = strlen(names);
            snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "",
                     sink_format_name((enum sl_sink_format)k));
        }
    char hint[128];
    snprintf(hint, sizeof hint, "%s %s sink writes %s", article(c->name), c->name, c->formats ? names : "no FORMAT");
    if (cs->format.text[0] == '\0') /* FORMAT with no name after it */
        diags_add(d, cs->format.pos, cs->format.span, hint, "FORMAT needs the name of a format");
    else if (!sink_format_from_name(cs->format.text, &f) || !(c->formats & 1u << f))
        diags_add(d, cs->format.pos, cs->format.span, hint, "%s %s sink cannot write FORMAT %s", article(c->name),
                  c->name, cs->format.text);
    else
        def->format = f;
    if (cs->nformat_options)
        diags_add(d, cs->format_options[0].key.pos, cs->format_options[0].key.span,
                  "give a sink's options in WITH (...)", "a sink's FORMAT takes no options");
}

static void bind_key(const struct ast_create_sink *cs, struct sl_sink_def *def,
                     struct sl_diags *d)
{
    if (!cs->nkey)
        return;
    if (!def->connector->takes_key) {
        diags_add(d, cs->key[0].pos, cs->key[0].span,
                  "the query's own key (its GROUP BY columns) identifies its rows",
                  "%s %s sink takes no KEY", article(def->connector->name),
                  def->connector->name);
        return;
    }
    if (cs->nkey > SL_SINK_MAX_KEY) {
        diags_add(d, cs->key[0].pos, cs->key[0].span, NULL, "KEY takes at most %d columns",
                  SL_SINK_MAX_KEY);
        return;
    }
    def->key = sl_calloc(cs->nkey, sizeof *def->key);
    for (uint32_t i = 0; def->key && i < cs->nkey; i++)
        if ((def->key[i] = sl_strdup(cs->key[i].text)))
            def->nkey++;
    if (def->nkey != cs->nkey)
        diags_add(d, cs->key[0].pos, cs->key[0].span, NULL, "out of memory");
}

static void bind_options(const struct ast_create_sink *cs, struct sl_sink_def *def,
                         struct sl_diags *d)
{
    const struct sl_sink_connector *c = def->connector;
    struct sl_option_value engine[SL_SINK_DELIVERY_NOPTIONS] = {{0}};
    char owner[64];
    snprintf(owner, sizeof owner, "%s %s sink", article(c->name), c->name);
    for (uint32_t i = 0; i < cs->noptions; i++) {
        const struct ast_option *o = &cs->options[i];
        int k = sink_connector_option_index(c, o->key.text);
        int e = -1;
        for (int j = 0; j < SL_SINK_DELIVERY_NOPTIONS && k < 0 && e < 0; j++)
            if (strcasecmp(sink_delivery_options[j].name, o->key.text) == 0)
                e = j;
        struct sl_option_value *val = k >= 0 ? &def->options[k] : e >= 0 ? &engine[e] : NULL;
        if (!val) {
            bind_unknown_option(o, c->options, c->noptions, sink_delivery_options,
                                SL_SINK_DELIVERY_NOPTIONS, owner, d);
            continue;
        }
        if (val->set) {
            diags_add(d, o->key.pos, o->key.span, NULL, "option \"%s\" is given twice",
                      o->key.text);
            continue;
        }
        uint32_t errors = d->count;
        bind_option_value(k >= 0 ? &c->options[k] : &sink_delivery_options[e], o, val, d);
        if (d->count == errors)
            bind_option_env(o, val, d);
        const char *hint = NULL, *bad = NULL;
        if (k >= 0 && d->count == errors && c->check_option &&
            (bad = c->check_option((size_t)k, val, &hint)))
            diags_add(d, o->value->pos, o->value->span, hint, "%s", bad);
    }
    int64_t *dst[SL_SINK_DELIVERY_NOPTIONS] = {&def->max_outbox_rows, &def->retry_initial_us,
                                             &def->retry_max_us};
    for (int j = 0; j < SL_SINK_DELIVERY_NOPTIONS; j++)
        *dst[j] = engine[j].set ? engine[j].num : sink_delivery_options[j].default_num;
}

sl_status bind_create_sink(const struct ast_stmt *stmt, struct sl_diags *diags,
                           struct sl_sink_def **out)
{
    const struct ast_create_sink *cs = &stmt->u.create_sink;
    *out = NULL;
    uint32_t errors = diags->count;
    struct sl_sink_def *def = sl_calloc(1, sizeof *def);
    if (!def)
        return SL_NOMEM;
    def->name = sl_strdup(cs->name.text);
    def->from = sl_strdup(cs->from.text);
    def->sql = sl_strdup(stmt->text);
    if (!def->name || !def->from || !def->sql) {
        sink_def_free(def);
        return SL_NOMEM;
    }
    if (!(def->connector = find_connector(&cs->connector, diags))) {
        sink_def_free(def);
        return SL_ERROR;
    }
    bind_address(cs, def, diags);
    bind_target(cs, def, diags);
    bind_format(cs, def, diags);
    bind_key(cs, def, diags);
    bind_options(cs, def, diags);
    if (diags->count != errors) {
        sink_def_free(def);
        return SL_ERROR;
    }
    *out = def;
    return SL_OK;
}
