/*
 * exec_changed.c — what differs between a saved query's plan and a new
 * definition under its name, and whether its checkpoint can carry on. The
 * state's layout (the stream, GROUP BY keys, aggregates, WINDOW and EMIT) and
 * the table's columns must be the same; anything else (WHERE, HAVING, the
 * expressions of the columns, TRIGGER, options) is a stateless change, and
 * the query goes on from its checkpoint with its state and offsets, as a
 * Spark query restarted from its checkpoint with a changed filter does.
 */
#include "engine/exec/exec_changed.h"

#include <string.h>
#include <strings.h>

#include "common/time.h"

static void key_list(const struct sl_plan *p, struct sl_buf *out)
{
    if (!p->aggregate) {
        buf_puts(out, "none");
        return;
    }
    size_t start = out->len;
    /* A window's bounds are keys the window operator computes (keys[i] NULL): the WINDOW's part. */
    for (uint32_t i = 0; i < p->nkeys; i++)
        if (p->keys[i])
            buf_printf(out, "%s%s", out->len > start ? ", " : "", p->key_names[i]);
    if (out->len == start)
        buf_puts(out, "none, one group");
}

static void agg_list(const struct sl_plan *p, struct sl_buf *out)
{
    for (uint32_t i = 0; i < p->naggs; i++)
        buf_printf(out, "%s%s", i ? ", " : "", p->aggs[i].text);
    if (!p->naggs)
        buf_puts(out, "none");
}

static void window_text(const struct sl_plan *p, struct sl_buf *out)
{
    static const char *const kinds[] = {"none", "TUMBLING", "HOPPING", "SESSION"};
    const struct sl_window_spec *w = &p->window;
    buf_puts(out, kinds[w->kind]);
    if (!w->kind)
        return;
    char a[48], b[48], grace[48];
    sl_duration_format(w->kind == SL_WINDOW_SESSION ? w->gap_us : w->size_us, a);
    sl_duration_format(w->advance_us, b);
    sl_duration_format(w->grace_us, grace);
    if (w->kind == SL_WINDOW_SESSION)
        buf_printf(out, " (GAP %s", a);
    else if (w->kind == SL_WINDOW_HOPPING)
        buf_printf(out, " (SIZE %s, ADVANCE BY %s", a, b);
    else
        buf_printf(out, " (SIZE %s", a);
    if (w->grace_us)
        buf_printf(out, ", GRACE PERIOD %s", grace);
    buf_printf(out, ") on %s time, EMIT %s", p->time_expr ? "event" : "processing",
               p->emit_final ? "FINAL" : "CHANGES");
}

static void column_list(const struct sl_plan *p, struct sl_buf *out)
{
    for (uint32_t i = 0; i < p->nout; i++)
        buf_printf(out, "%s%s %s", i ? ", " : "", p->out_names[i], sl_type_name(p->out_types[i]));
}

/* Appends "<what> differ (saved: ...; now: ...)" when the two descriptions do. */
static bool differs(const struct sl_plan *saved, const struct sl_plan *now, const char *what,
                    void (*describe)(const struct sl_plan *, struct sl_buf *), struct sl_buf *why)
{
    struct sl_buf a, b;
    buf_init(&a);
    buf_init(&b);
    describe(saved, &a);
    describe(now, &b);
    bool diff = strcmp(buf_str(&a), buf_str(&b)) != 0;
    if (diff)
        buf_printf(why, "%s%s (saved: %s; now: %s)", why->len ? "; " : "", what, buf_str(&a),
                   buf_str(&b));
    buf_free(&a);
    buf_free(&b);
    return diff;
}

static bool same_columns(const struct sl_plan *a, const struct sl_plan *b)
{
    if (a->nout != b->nout)
        return false;
    for (uint32_t i = 0; i < a->nout; i++)
        if (strcasecmp(a->out_names[i], b->out_names[i]) != 0 ||
            a->out_types[i] != b->out_types[i] || a->out_is_key[i] != b->out_is_key[i])
            return false;
    return true;
}

bool exec_change_keeps_state(const struct sl_plan *saved, const struct sl_plan *now,
                             struct sl_buf *why)
{
    bool kept = true;
    if (strcasecmp(saved->stream->name, now->stream->name) != 0) {
        buf_printf(why, "it reads stream %s where the saved query read %s", now->stream->name,
                   saved->stream->name);
        kept = false;
    }
    kept &= !differs(saved, now, "GROUP BY keys differ", key_list, why);
    kept &= !differs(saved, now, "aggregates differ", agg_list, why);
    kept &= !differs(saved, now, "WINDOW differs", window_text, why);
    if (!kept)
        buf_puts(why, ": state cannot be reused");
    if (!same_columns(saved, now)) {
        size_t at = why->len;
        differs(saved, now, "columns differ", column_list, why);
        /* Same names and types may still differ in which are keys. */
        if (why->len == at)
            buf_printf(why, "%sthe table's key columns differ", why->len ? "; " : "");
        buf_puts(why, ": the table cannot hold both");
        kept = false;
    }
    return kept;
}
