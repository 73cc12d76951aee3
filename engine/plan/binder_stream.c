/* binder_stream.c — binds CREATE STREAM: column types, format options and watermark;
 * the source and its WITH options are checked against the registry (binder_connector.c). */
#include "engine/plan/binder.h"

#include "common/alloc.h"
#include "connectors/json_path.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char TYPE_HINT[] = "column types are BOOLEAN, INTEGER, BIGINT, REAL, DOUBLE, TEXT, TIMESTAMP";

/* Where in a PATH string the character `at` of its text is: after the opening quote,
 * when no doubled quote before it moves it. */
static struct sl_pos path_char_pos(const struct ast_name *path, size_t at, uint32_t *span)
{
    struct sl_pos pos = path->pos;
    *span = path->span;
    if (path->span == strlen(path->text) + 2 && at < strlen(path->text)) {
        pos.col += 1 + (uint32_t)at;
        pos.offset += 1 + (uint32_t)at;
        *span = 1;
    }
    return pos;
}

/* Columns' PATH '$.a.b': checked and kept for a FORMAT JSON stream, an error on any other. */
static sl_status bind_json_paths(const struct ast_create_stream *cs, const struct sl_format *f,
                                 struct sl_stream_def *def, struct sl_diags *d)
{
    for (uint32_t i = 0; i < cs->ncols; i++) {
        const struct ast_name *path = &cs->cols[i].path;
        if (!path->text)
            continue;
        if (f->kind != SL_FORMAT_JSON) {
            diags_add(d, path->pos, path->span,
                      "PATH names where a column is in a JSON record: FORMAT JSON",
                      "column \"%s\" has a PATH, but the stream's format is %s",
                      cs->cols[i].name.text, f->name);
            continue;
        }
        struct json_path parsed;
        size_t at;
        const char *hint;
        const char *bad = json_path_parse(path->text, &parsed, &at, &hint);
        if (bad == json_path_nomem)
            return SL_NOMEM;
        if (bad) {
            uint32_t span;
            struct sl_pos pos = path_char_pos(path, at, &span);
            diags_add(d, pos, span, hint, "column \"%s\": bad JSON path '%s': %s",
                      cs->cols[i].name.text, path->text, bad);
            continue;
        }
        json_path_free(&parsed);
        if (!def->format.json_paths &&
            !(def->format.json_paths = sl_calloc(cs->ncols, sizeof *def->format.json_paths)))
            return SL_NOMEM;
        def->format.njson_paths = cs->ncols;
        if (!(def->format.json_paths[i] = sl_strdup(path->text)))
            return SL_NOMEM;
    }
    return SL_OK;
}

/* FORMAT f [(options)], or the connector's own format when the stream names none;
 * each option is checked against the format's entry in the registry. */
static sl_status bind_format(const struct ast_create_stream *cs, const struct sl_connector *c,
                             struct sl_stream_def *def, struct sl_diags *d)
{
    struct ast_name where = cs->format.text ? cs->format : cs->connector;
    def->format.delimiter = ',';
    if (!cs->format.text && !(c && c->default_format)) {
        if (c) {
            char list[200], hint[300];
            bind_format_names(list, sizeof list);
            snprintf(hint, sizeof hint, "add FORMAT f; formats are %s", list);
            diags_add(d, where.pos, where.span, hint, "a %s stream needs a FORMAT", c->name);
        }
        return SL_OK;
    }
    struct ast_name name = where;
    if (!cs->format.text)
        name.text = c->default_format;
    const struct sl_format *f = bind_format_find(&name, d);
    if (!f)
        return SL_OK;
    if (c && c->format_fixed && f != format_find(c->default_format)) {
        char hint[160];
        snprintf(hint, sizeof hint, "leave FORMAT out: a %s stream is always %s", c->name,
                 c->default_format);
        diags_add(d, where.pos, where.span, hint, "a %s stream makes %s records, not %s",
                  c->name, c->default_format, f->name);
        return SL_OK;
    }
    def->format.kind = f->kind;
    if (f->kind == SL_FORMAT_TEXT && (def->ndeclared != 1 || def->cols[0].type != SL_TEXT))
        diags_add(d, where.pos, where.span,
                  "declare the stream as (line TEXT): each line becomes one row",
                  "a FORMAT TEXT stream has exactly one TEXT column");
    char owner[64];
    snprintf(owner, sizeof owner, "FORMAT %s", f->name);
    struct sl_option_value given[SL_CONNECTOR_MAX_OPTIONS] = {0};
    for (uint32_t i = 0; i < cs->nformat_options; i++) {
        const struct ast_option *o = &cs->format_options[i];
        int k = format_option_index(f, o->key.text);
        if (k < 0) {
            bind_unknown_option(o, f->options, f->noptions, NULL, 0, owner, d);
            continue;
        }
        uint32_t errors = d->count;
        bind_option_value(&f->options[k], o, &given[k], d);
        const char *hint = NULL, *bad = NULL;
        if (d->count == errors && (bad = f->set_option(&def->format, (size_t)k, &given[k], &hint)))
            diags_add(d, o->value->pos, o->value->span, hint, "%s", bad);
    }
    for (size_t k = 0; k < SL_CONNECTOR_MAX_OPTIONS; k++)
        sl_free(given[k].text);
    return bind_json_paths(cs, f, def, d);
}

/* The connector's metadata columns (kafka_key ...) after the declared ones;
 * a declared column may not take one's name. */
static sl_status add_metadata_columns(const struct ast_create_stream *cs,
                                      const struct sl_connector *c, struct sl_stream_def *def,
                                      struct sl_diags *d)
{
    for (size_t m = 0; m < c->nmetadata && m < SL_CONNECTOR_MAX_METADATA; m++) {
        const struct sl_metadata_def *meta = &c->metadata[m];
        char hint[160];
        snprintf(hint, sizeof hint,
                 "every %s%s stream has it already: select it without declaring it", c->name,
                 c->listens ? " LISTEN" : "");
        for (uint32_t i = 0; i < cs->ncols; i++)
            if (strcasecmp(cs->cols[i].name.text, meta->name) == 0)
                diags_add(d, cs->cols[i].name.pos, cs->cols[i].name.span, hint,
                          "column \"%s\" is a %s%s metadata column: %s", meta->name, c->name,
                          c->listens ? " LISTEN" : "", meta->doc);
        if (!(def->cols[def->ncols].name = sl_strdup(meta->name)))
            return SL_NOMEM;
        def->cols[def->ncols++].type = meta->type;
    }
    return SL_OK;
}

/* WATERMARK FOR col AS col [- INTERVAL 'n' unit]: the event-time column and the delay. */
static void bind_watermark(const struct ast_create_stream *cs, struct sl_stream_def *def,
                           struct sl_diags *diags)
{
    def->time_column = -1;
    if (!cs->watermark_col.text)
        return;
    const struct ast_name *col = &cs->watermark_col;
    int found = -1;
    for (uint32_t i = 0; i < def->ncols; i++)
        if (strcasecmp(def->cols[i].name, col->text) == 0)
            found = (int)i;
    if (found < 0) {
        diags_add(diags, col->pos, col->span, "the event-time column is one of the stream's columns",
                  "WATERMARK FOR names unknown column \"%s\"", col->text);
        return;
    }
    if (def->cols[found].type != SL_TIMESTAMP) {
        diags_add(diags, col->pos, col->span, "declare it as TIMESTAMP; to_timestamp() reads numbers",
                  "the event-time column \"%s\" is %s, not TIMESTAMP", col->text,
                  sl_type_name(def->cols[found].type));
        return;
    }
    const struct ast_expr *e = cs->watermark;
    const struct ast_expr *base = e;
    int64_t delay = 0;
    bool ok = true;
    if (e->kind == AST_BINARY && e->op == AST_OP_SUB && e->right->kind == AST_INTERVAL) {
        base = e->left;
        ok = bind_duration_text(e->right->str, e->right->str_len, e->right->ival, &delay) &&
             delay >= 0 && delay <= AST_DURATION_MAX_US;
    }
    if (!ok || base->kind != AST_COLUMN || base->qualifier.text ||
        strcasecmp(base->name.text, col->text) != 0) {
        char hint[300];
        snprintf(hint, sizeof hint, "write WATERMARK FOR %s AS %s - INTERVAL '5' SECOND", col->text,
                 col->text);
        diags_add(diags, e->pos, e->span, hint,
                  "a watermark is the event-time column minus an interval of 0 to 36500 days");
        return;
    }
    def->time_column = found;
    def->watermark_delay_us = delay;
}

/* A connector with fixed fields (NEXMARK) says whether the declared columns are they. */
static sl_status check_columns(const struct ast_create_stream *cs, const struct sl_connector *c,
                               const struct sl_stream_def *def, struct sl_diags *d)
{
    if (!c->check_columns || def->ndeclared == 0)
        return SL_OK;
    const char **names = sl_calloc(def->ndeclared, sizeof *names);
    if (!names)
        return SL_NOMEM;
    for (uint32_t i = 0; i < def->ndeclared; i++)
        names[i] = def->cols[i].name;
    char msg[256], hint[400];
    if (!c->check_columns(def->source.options, names, def->ndeclared, msg, sizeof msg, hint,
                          sizeof hint))
        diags_add(d, cs->name.pos, cs->name.span, hint, "%s", msg);
    sl_free(names);
    return SL_OK;
}

sl_status bind_create_stream(const struct ast_stmt *stmt, struct sl_diags *diags,
                             struct sl_stream_def **out)
{
    const struct ast_create_stream *cs = &stmt->u.create_stream;
    uint32_t errors_before = diags->count;
    struct sl_stream_def *def = sl_calloc(1, sizeof *def);
    if (!def)
        return SL_NOMEM;
    def->name = sl_strdup(cs->name.text);
    def->sql = sl_strdup(stmt->text);
    /* Room for the connector's metadata columns after the declared ones. */
    def->cols = sl_calloc(cs->ncols + SL_CONNECTOR_MAX_METADATA + 1, sizeof *def->cols);
    if (!def->name || !def->sql || !def->cols) {
        stream_def_free(def);
        return SL_NOMEM;
    }
    for (uint32_t i = 0; i < cs->ncols; i++) {
        const struct ast_column_def *c = &cs->cols[i];
        for (uint32_t j = 0; j < i; j++)
            if (strcasecmp(cs->cols[j].name.text, c->name.text) == 0)
                diags_add(diags, c->name.pos, c->name.span, NULL, "duplicate column \"%s\"",
                          c->name.text);
        enum sl_type t = SL_TEXT;
        if (!sl_type_from_name(c->type_name.text, strlen(c->type_name.text), &t))
            diags_add(diags, c->type_name.pos, c->type_name.span, TYPE_HINT,
                      "unknown type \"%s\"", c->type_name.text);
        def->cols[i].type = t;
        def->cols[i].name = sl_strdup(c->name.text);
        def->ncols++;
        if (!def->cols[i].name) {
            stream_def_free(def);
            return SL_NOMEM;
        }
    }
    if (cs->ncols == 0)
        diags_add(diags, cs->name.pos, cs->name.span, "e.g. CREATE STREAM lines (line TEXT) ...",
                  "stream \"%s\" declares no columns", cs->name.text);
    def->ndeclared = def->ncols;
    const struct sl_connector *connector = bind_connector(cs, def, diags);
    if (connector && (add_metadata_columns(cs, connector, def, diags) != SL_OK ||
                      check_columns(cs, connector, def, diags) != SL_OK)) {
        stream_def_free(def);
        return SL_NOMEM;
    }
    if (bind_format(cs, connector, def, diags) != SL_OK) {
        stream_def_free(def);
        return SL_NOMEM;
    }
    bind_watermark(cs, def, diags);
    if (diags->count > errors_before) {
        stream_def_free(def);
        return SL_ERROR;
    }
    *out = def;
    return SL_OK;
}
