/*
 * exec_set.c — SET name = value: the session's options. `trigger` is the
 * trigger interval of queries (and live SELECTs) created after it; a query
 * keeps the interval it was created with, as TRIGGER EVERY fixes it.
 * `clock` is the processing-time clock (engine/functions/clock.h): 'system', or
 * stopped ('manual', or a timestamp) for tests to move by hand.
 * `synchronous` is the database's PRAGMA synchronous: 'normal' or 'full'.
 * `sink_drain_timeout` is how long a graceful stop waits for the sinks to
 * deliver what their outboxes hold. `memory_limit` is the bytes of operator
 * state all queries may hold together (exec_memory.c).
 */
#include "engine/exec/exec.h"

#include "common/time.h"
#include "engine/plan/binder.h"
#include "engine/functions/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define KNOWN_OPTIONS                                                                              \
    "the session options are trigger (e.g. SET trigger = '500 milliseconds'), clock "             \
    "('system', 'manual' or a TIMESTAMP), synchronous ('normal' or 'full'), "                     \
    "sink_drain_timeout (e.g. SET sink_drain_timeout = '30 seconds') and memory_limit (e.g. "     \
    "SET memory_limit = '2 GB')"

/* '500 milliseconds', INTERVAL '500' MILLISECONDS or INTERVAL '500 milliseconds' into *us. */
static sl_status bind_setting_duration(struct exec_ctx *x, const char *name,
                                       const struct ast_expr *v, int64_t *us)
{
    bool text = v->kind == AST_STRING || v->kind == AST_INTERVAL;
    int64_t unit = v->kind == AST_INTERVAL ? v->ival : 0;
    if (text && bind_duration_text(v->str, v->str_len, unit, us))
        return SL_OK;
    diags_add(x->diags, v->pos, v->span, bind_duration_hint(unit != 0),
              "%s expects a duration such as '500 milliseconds'", name);
    return SL_ERROR;
}

static sl_status set_trigger(struct exec_ctx *x, const struct ast_expr *v)
{
    int64_t us = 0;
    if (bind_setting_duration(x, "trigger", v, &us) != SL_OK)
        return SL_ERROR;
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

/* 'system' | 'manual' (stopped at the current time) | TIMESTAMP '...' or its text (stopped there). */
static sl_status set_clock(struct exec_ctx *x, const struct ast_expr *v)
{
    bool text = v->kind == AST_STRING || v->kind == AST_TIMESTAMP;
    bool manual = true;
    int64_t at = clock_now_us(&x->s->clock);
    if (text && v->kind == AST_STRING && strcasecmp(v->str, "system") == 0)
        manual = false;
    else if (!text || !((v->kind == AST_STRING && strcasecmp(v->str, "manual") == 0) ||
                        sl_ts_parse(v->str, v->str_len, &at))) {
        diags_add(x->diags, v->pos, v->span,
                  "SET clock = 'system', 'manual', or TIMESTAMP '2026-01-01 12:00:00' to stop it "
                  "there", "clock expects 'system', 'manual' or a timestamp");
        return SL_ERROR;
    }
    if (x->check_only)
        return SL_OK;
    clock_set(&x->s->clock, manual, at);
    if (x->out && x->out->notice) {
        char when[32], line[96];
        sl_ts_format(at, when);
        snprintf(line, sizeof line, manual ? "clock stopped at %s" : "clock follows the system%s",
                 manual ? when : "");
        x->out->notice(x->out->ctx, line);
    }
    return SL_OK;
}

/* 'normal' (a commit survives the process crashing) | 'full' (it survives power loss too). */
static sl_status set_synchronous(struct exec_ctx *x, const struct ast_expr *v)
{
    bool full = v->kind == AST_STRING && strcasecmp(v->str, "full") == 0;
    if (v->kind != AST_STRING || (!full && strcasecmp(v->str, "normal") != 0)) {
        diags_add(x->diags, v->pos, v->span,
                  "'normal' (the default) survives a crash of the process; 'full' survives a power "
                  "cut too, at the cost of a sync per commit",
                  "synchronous expects 'normal' or 'full'");
        return SL_ERROR;
    }
    if (x->check_only || !x->s->db)
        return SL_OK;
    struct sl_error err;
    if (db_set_synchronous(x->s->db, full, &err) != SL_OK) {
        diags_add(x->diags, v->pos, v->span, NULL, "%s", err.msg);
        return SL_ERROR;
    }
    if (x->out && x->out->notice)
        x->out->notice(x->out->ctx, full ? "synchronous = full: each batch's commit is synced to disk"
                                         : "synchronous = normal: each batch's commit survives a crash of the process");
    return SL_OK;
}

static sl_status set_sink_drain_timeout(struct exec_ctx *x, const struct ast_expr *v)
{
    int64_t us = 0;
    if (bind_setting_duration(x, "sink_drain_timeout", v, &us) != SL_OK)
        return SL_ERROR;
    if (us < 0) {
        diags_add(x->diags, v->pos, v->span, NULL, "sink_drain_timeout cannot be negative");
        return SL_ERROR;
    }
    if (!x->check_only)
        x->s->sink_drain_timeout_us = us;
    return SL_OK;
}

/* '2 GB', '512 MB', '64KB' (units of 1024, KiB too) or a number of bytes into *bytes. */
static bool parse_size(const struct ast_expr *v, int64_t *bytes)
{
    if (v->kind == AST_INT) {
        *bytes = v->ival;
        return v->ival > 0;
    }
    if (v->kind != AST_STRING)
        return false;
    static const struct {
        const char *name;
        int shift;
    } units[] = {{"", 0},   {"b", 0},   {"bytes", 0}, {"kb", 10}, {"kib", 10}, {"mb", 20},
                 {"mib", 20}, {"gb", 30}, {"gib", 30},   {"tb", 40}, {"tib", 40}};
    char *end;
    double n = strtod(v->str, &end);
    while (*end == ' ')
        end++;
    for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
        if (strcasecmp(end, units[i].name) != 0)
            continue;
        double b = n * (double)(INT64_C(1) << units[i].shift);
        if (!(b >= 1 && b < 9.2e18))
            return false;
        *bytes = (int64_t)b;
        return true;
    }
    return false;
}

static sl_status set_memory_limit(struct exec_ctx *x, const struct ast_expr *v)
{
    int64_t bytes;
    if (!parse_size(v, &bytes)) {
        char def[32], hint[160];
        engine_memory_text(engine_default_memory_limit(), def);
        snprintf(hint, sizeof hint,
                 "e.g. SET memory_limit = '2 GB' (units B, KB, MB, GB, TB); the default is half "
                 "of physical memory, here %s", def);
        diags_add(x->diags, v->pos, v->span, hint, "memory_limit expects a size such as '2 GB'");
        return SL_ERROR;
    }
    if (x->check_only)
        return SL_OK;
    x->s->memory_limit = bytes;
    if (x->out && x->out->notice) {
        char text[32], line[128];
        engine_memory_text(bytes, text);
        snprintf(line, sizeof line,
                 "memory_limit set to %s: past it, the query holding the most state fails", text);
        x->out->notice(x->out->ctx, line);
    }
    return SL_OK;
}

sl_status exec_set(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    const struct ast_set *set = &stmt->u.set;
    if (strcasecmp(set->name.text, "trigger") == 0)
        return set_trigger(x, set->value);
    if (strcasecmp(set->name.text, "clock") == 0)
        return set_clock(x, set->value);
    if (strcasecmp(set->name.text, "synchronous") == 0)
        return set_synchronous(x, set->value);
    if (strcasecmp(set->name.text, "sink_drain_timeout") == 0)
        return set_sink_drain_timeout(x, set->value);
    if (strcasecmp(set->name.text, "memory_limit") == 0)
        return set_memory_limit(x, set->value);
    diags_add(x->diags, set->name.pos, set->name.span, KNOWN_OPTIONS, "unknown session option \"%s\"",
              set->name.text);
    return SL_ERROR;
}
