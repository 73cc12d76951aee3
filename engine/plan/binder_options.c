/* binder_options.c — binds CREATE QUERY ... WITH (options): each known key, its value checked. */
#include "engine/plan/binder.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char OPTIONS_HINT[] = "query options are late ('drop' or 'table'), time "
                                   "('event' or 'processing'), max_batch_bytes (a number), "
                                   "checkpoint (true or false) and partitions (1 to 64)";

/* value must be one of a, b: sets *flag to (value == b). */
static void bind_choice(const struct ast_option *o, const char *a, const char *b, bool *flag,
                        struct sl_diags *diags)
{
    char text[256];
    if (bind_option_text(o, text, sizeof text) && strcasecmp(text, a) == 0) {
        *flag = false;
    } else if (bind_option_text(o, text, sizeof text) && strcasecmp(text, b) == 0) {
        *flag = true;
    } else {
        char hint[128];
        snprintf(hint, sizeof hint, "write %s = '%s' or %s = '%s'", o->key.text, a, o->key.text,
                 b);
        diags_add(diags, o->value->pos, o->value->span, hint, "option \"%s\" expects '%s' or '%s'",
                  o->key.text, a, b);
    }
}

/* max_batch_bytes = n, at least 1 KiB: like Spark's maxBytesPerTrigger, it
 * bounds what one batch reads, so a backlog is taken in steady batches. */
static void bind_max_bytes(const struct ast_option *o, uint64_t *out, struct sl_diags *diags)
{
    const struct ast_expr *v = o->value;
    if (v->kind != AST_INT || v->ival < 1024)
        diags_add(diags, v->pos, v->span, "e.g. max_batch_bytes = 1048576",
                  "option \"max_batch_bytes\" expects a whole number of bytes, at least 1024");
    else
        *out = (uint64_t)v->ival;
}

/* checkpoint = true | false. */
static void bind_checkpoint(const struct ast_option *o, bool *out, struct sl_diags *diags)
{
    if (o->value->kind != AST_BOOL)
        diags_add(diags, o->value->pos, o->value->span, "write checkpoint = false",
                  "option \"checkpoint\" is true or false");
    else
        *out = o->value->ival == 0;
}

/* partitions = n, 1 to 64: the threads (and group partitions) of an aggregation. */
static void bind_partitions(const struct ast_option *o, uint32_t *out, struct sl_diags *diags)
{
    const struct ast_expr *v = o->value;
    if (v->kind != AST_INT || v->ival < 1 || v->ival > 64)
        diags_add(diags, v->pos, v->span, "e.g. partitions = 2 (the default is the number of cores)",
                  "option \"partitions\" expects a whole number from 1 to 64");
    else
        *out = (uint32_t)v->ival;
}

void bind_query_options(const struct ast_create_query *cq, struct sl_diags *diags,
                        struct sl_query_options *out)
{
    *out = (struct sl_query_options){0};
    for (uint32_t i = 0; i < cq->noptions; i++) {
        const struct ast_option *o = &cq->options[i];
        for (uint32_t j = 0; j < i; j++)
            if (strcasecmp(cq->options[j].key.text, o->key.text) == 0)
                diags_add(diags, o->key.pos, o->key.span, NULL, "option \"%s\" is given twice",
                          o->key.text);
        if (strcasecmp(o->key.text, "late") == 0)
            bind_choice(o, "drop", "table", &out->late_table, diags);
        else if (strcasecmp(o->key.text, "max_batch_bytes") == 0)
            bind_max_bytes(o, &out->max_batch_bytes, diags);
        else if (strcasecmp(o->key.text, "time") == 0)
            bind_choice(o, "event", "processing", &out->processing_time, diags);
        else if (strcasecmp(o->key.text, "checkpoint") == 0)
            bind_checkpoint(o, &out->no_checkpoint, diags);
        else if (strcasecmp(o->key.text, "partitions") == 0)
            bind_partitions(o, &out->partitions, diags);
        else
            diags_add(diags, o->key.pos, o->key.span, OPTIONS_HINT, "unknown query option \"%s\"",
                      o->key.text);
    }
}
