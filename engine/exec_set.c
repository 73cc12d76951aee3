/*
 * exec_set.c — SET name = value: the session's options. `trigger` is the
 * trigger interval of queries (and live SELECTs) created after it; a query
 * keeps the interval it was created with, as TRIGGER EVERY fixes it.
 */
#include "engine/exec.h"

#include "engine/binder.h"

#include <stdio.h>
#include <strings.h>

#define KNOWN_OPTIONS "the session options are: trigger (e.g. SET trigger = '500 milliseconds')"

/* '500 milliseconds', INTERVAL '500' MILLISECONDS or INTERVAL '500 milliseconds'. */
static sl_status set_trigger(struct exec_ctx *x, const struct ast_expr *v)
{
    int64_t us = 0;
    bool text = v->kind == AST_STRING || v->kind == AST_INTERVAL;
    int64_t unit = v->kind == AST_INTERVAL ? v->ival : 0;
    if (!text || !bind_duration_text(v->str, v->str_len, unit, &us)) {
        diags_add(x->diags, v->pos, v->span, bind_duration_hint(unit != 0),
                  "trigger expects a duration such as '500 milliseconds'");
        return SL_ERROR;
    }
    if (us <= 0) {
        diags_add(x->diags, v->pos, v->span, NULL, "trigger interval must be positive");
        return SL_ERROR;
    }
    if (x->check_only)
        return SL_OK;
    x->s->opts.default_trigger_us = us;
    if (x->out && x->out->notice) {
        char text_us[96];
        snprintf(text_us, sizeof text_us, "trigger set to %lld ms for the queries created from now on",
                 (long long)(us / 1000));
        x->out->notice(x->out->ctx, text_us);
    }
    return SL_OK;
}

sl_status exec_set(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    const struct ast_set *set = &stmt->u.set;
    if (strcasecmp(set->name.text, "trigger") == 0)
        return set_trigger(x, set->value);
    diags_add(x->diags, set->name.pos, set->name.span, KNOWN_OPTIONS, "unknown session option \"%s\"",
              set->name.text);
    return SL_ERROR;
}
