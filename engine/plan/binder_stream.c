/* binder_stream.c — binds CREATE STREAM: column types, format options and watermark;
 * the source and its WITH options are checked against the registry (binder_connector.c). */
#include "engine/plan/binder.h"

#include "common/alloc.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char TYPE_HINT[] = "column types are BOOLEAN, INTEGER, BIGINT, REAL, DOUBLE, TEXT, TIMESTAMP";

static void bind_csv_option(const struct ast_option *o, struct sl_format_spec *fmt,
                            struct sl_diags *d)
{
    char text[256];
    if (!bind_option_text(o, text, sizeof text)) {
        diags_add(d, o->value->pos, o->value->span, NULL, "option \"%s\" needs a literal value",
                  o->key.text);
        return;
    }
    if (strcasecmp(o->key.text, "header") == 0) {
        if (!sl_parse_bool(text, strlen(text), &fmt->header))
            diags_add(d, o->value->pos, o->value->span, "write header = true or header = false",
                      "option \"header\" expects a boolean, got '%s'", text);
    } else if (strcasecmp(o->key.text, "delimiter") == 0) {
        if (strlen(text) != 1)
            diags_add(d, o->value->pos, o->value->span, "for a tab, write delimiter = '\t'",
                      "option \"delimiter\" expects one character, got '%s'", text);
        else
            fmt->delimiter = text[0];
    } else if (strcasecmp(o->key.text, "null") == 0) {
        sl_free((char *)fmt->null_marker);
        fmt->null_marker = sl_strdup(text);
    } else {
        diags_add(d, o->key.pos, o->key.span, "CSV options are header, delimiter and null",
                  "unknown CSV option \"%s\"", o->key.text);
    }
}

/* FORMAT f [(options)], or the connector's own format when the stream names none. */
static void bind_format(const struct ast_create_stream *cs, const struct sl_connector *c,
                        struct sl_stream_def *def, struct sl_diags *d)
{
    struct ast_name where = cs->format.text ? cs->format : cs->connector;
    const char *fmt = cs->format.text ? cs->format.text : c ? c->default_format : "";
    def->format.delimiter = ',';
    if (!fmt) {
        diags_add(d, where.pos, where.span, "add FORMAT TEXT (a row per line) or FORMAT CSV",
                  "a %s stream needs a FORMAT", c->name);
    } else if (strcasecmp(fmt, "TEXT") == 0) {
        def->format.kind = SL_FORMAT_TEXT;
        if (def->ncols != 1 || def->cols[0].type != SL_TEXT)
            diags_add(d, where.pos, where.span,
                      "declare the stream as (line TEXT): each line becomes one row",
                      "a FORMAT TEXT stream has exactly one TEXT column");
        if (cs->nformat_options)
            diags_add(d, cs->format_options[0].key.pos, cs->format_options[0].key.span, NULL,
                      "FORMAT TEXT takes no options");
    } else if (strcasecmp(fmt, "CSV") == 0) {
        def->format.kind = SL_FORMAT_CSV;
        for (uint32_t i = 0; i < cs->nformat_options; i++)
            bind_csv_option(&cs->format_options[i], &def->format, d);
    } else if (*fmt) {
        diags_add(d, where.pos, where.span, "formats are TEXT and CSV", "unknown format \"%s\"",
                  fmt);
    }
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
    def->cols = sl_calloc(cs->ncols ? cs->ncols : 1, sizeof *def->cols);
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
    const struct sl_connector *connector = bind_connector(cs, def, diags);
    bind_format(cs, connector, def, diags);
    bind_watermark(cs, def, diags);
    if (diags->count > errors_before) {
        stream_def_free(def);
        return SL_ERROR;
    }
    *out = def;
    return SL_OK;
}
