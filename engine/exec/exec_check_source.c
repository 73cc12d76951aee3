/*
 * exec_check_source.c — `sluice check` reports what `run` would when a query
 * starts and its source cannot open (a FILE path that matches nothing):
 * for a connector whose open only looks at local files, the source is opened
 * and closed again; others (sockets, brokers) are left to run.
 */
#include "engine/exec/exec.h"

#include "connectors/source.h"

sl_status exec_check_source(struct exec_ctx *x, const struct ast_select *sel,
                            const struct sl_plan *plan)
{
    const struct sl_source_spec *spec = &plan->stream->source;
    if (!x->check_only || !spec->connector || !spec->connector->check_opens)
        return SL_OK;
    struct sl_source *source;
    struct sl_error err;
    sl_error_clear(&err);
    if (source_open(spec, &source, &err) == SL_OK) {
        source_close(source);
        return SL_OK;
    }
    while (sel->from_select)
        sel = sel->from_select;
    diags_add(x->diags, sel->from.pos, sel->from.span, NULL, "%s", err.msg);
    return SL_ERROR;
}
