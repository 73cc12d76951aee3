/*
 * exec_live.c — printing a live SELECT (the shell's SELECT over a stream)
 * after each of its batches, read back from its scratch table by storage
 * (db_live.h), ordered and cut by the SELECT's ORDER BY and LIMIT, under a
 * header line saying how the query goes: batch, rows/s, watermark, late rows
 * and dead letters.
 */
#include "engine/exec/engine.h"

#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"
#include "storage/db_live.h"

#include <stdio.h>

/* Reads the rows to print: the whole table for an aggregation (it is updated
 * in place), the rows appended since the last batch for a projection, whose
 * rows keep their arrival order among equals. */
static sl_status read_live(struct sluice *s, struct sl_query *q, struct sl_live *live,
                           int64_t *upto, struct sl_error *err)
{
    const struct sl_plan *plan = q->plan;
    *upto = live->last_rowid;
    if (!plan_changelog(plan) && db_table_max_rowid(s->db, q->table_name, upto, err) != SL_OK)
        return SL_ERROR;
    struct db_order_term *order = sl_calloc(plan->norder + 1, sizeof *order);
    if (!order)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    for (uint32_t i = 0; i < plan->norder; i++)
        order[i] = (struct db_order_term){.column = plan->order[i].name, .desc = plan->order[i].desc};
    struct db_live_read r = {
        .table = q->table_name,
        .order = order,
        .norder = plan->norder,
        .arrival_order = !plan_changelog(plan),
        .rowid_range = !plan_changelog(plan),
        .after_rowid = live->last_rowid,
        .upto_rowid = *upto,
        .limit = plan->limit,
    };
    sl_status st = db_live_read(s->db, &r, live->out.row, live->out.ctx, err);
    sl_free(order);
    return st;
}

/* "batch 3 | 1200 rows/s | watermark 2026-01-01 00:00:05 | late rows 0 | dead letters 0":
 * the rate and watermark of the batch just committed, late rows and dead
 * letters since the SELECT started. */
static void header_line(const struct sl_query *q, const struct sl_live *live, char *out,
                        size_t cap)
{
    const struct sl_batch_summary *b = &q->last_batch;
    char rate[32] = "- rows/s";
    if (b->duration_us > 0)
        snprintf(rate, sizeof rate, "%.0f rows/s", (double)b->rows_in * 1e6 / (double)b->duration_us);
    char watermark[32] = "none";
    if (b->has_watermark)
        sl_ts_format(b->watermark_us, watermark);
    snprintf(out, cap, "batch %lld | %s | watermark %s | late rows %llu | dead letters %llu",
             (long long)q->batch_id, rate, watermark, (unsigned long long)live->late_rows,
             (unsigned long long)live->dead_letters);
}

void engine_print_live(struct sluice *s, struct sl_query *q, struct sl_live *live)
{
    live->late_rows += q->last_batch.late_rows;
    live->dead_letters += q->last_batch.dead_letters;
    if (!live->out.row || s->live_interrupted)
        return;
    struct sl_error err;
    int64_t upto;
    if (read_live(s, q, live, &upto, &err) != SL_OK) {
        sl_log(&s->log, SL_LOG_ERROR, "cannot print %s: %s", q->name, err.msg);
        return;
    }
    live->last_rowid = upto;
    if (live->out.table_end) {
        char title[192];
        header_line(q, live, title, sizeof title);
        live->out.table_end(live->out.ctx, title);
    }
}
