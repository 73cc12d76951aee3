/*
 * exec_progress.c — a committed batch's progress row handed to the
 * embedder's progress callback (sluice run --progress prints it), once per
 * batch, by the thread driving batches.
 */
#include "engine/exec/engine.h"

void engine_report_progress(struct sluice *s, struct sl_query *q)
{
    if (!q->progress_unreported)
        return;
    q->progress_unreported = false;
    if (!s->opts.progress)
        return;
    const struct db_progress *p = &q->last_progress;
    struct sluice_batch_progress out = {
        .query = q->name,
        .batch_id = p->batch_id,
        .rows_in = p->rows_in,
        .rows_out = p->rows_out,
        .duration_us = p->duration_us,
        .has_watermark = p->has_watermark,
        .watermark_us = p->watermark_us,
        .late_rows = p->late_rows,
        .dead_letters = p->dead_letters,
        .state_groups = p->state_groups,
    };
    s->opts.progress(s->opts.progress_ctx, &out);
}
