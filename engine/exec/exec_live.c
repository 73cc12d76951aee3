/*
 * exec_live.c — printing a live SELECT (the shell's SELECT over a stream)
 * after each of its batches, read back from its scratch table by storage
 * (db_live.h), ordered and cut by the SELECT's ORDER BY and LIMIT.
 */
#include "engine/exec/engine.h"

#include "common/alloc.h"
#include "common/log.h"
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
    if (!plan->aggregate && db_table_max_rowid(s->db, q->table_name, upto, err) != SL_OK)
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
        .arrival_order = !plan->aggregate,
        .rowid_range = !plan->aggregate,
        .after_rowid = live->last_rowid,
        .upto_rowid = *upto,
        .limit = plan->limit,
    };
    sl_status st = db_live_read(s->db, &r, live->out.row, live->out.ctx, err);
    sl_free(order);
    return st;
}

void engine_print_live(struct sluice *s, struct sl_query *q, struct sl_live *live)
{
    if (!live->out.row)
        return;
    struct sl_error err;
    int64_t upto;
    if (read_live(s, q, live, &upto, &err) != SL_OK) {
        sl_log(&s->log, SL_LOG_ERROR, "cannot print %s: %s", q->name, err.msg);
        return;
    }
    live->last_rowid = upto;
    if (live->out.table_end) {
        char title[64];
        snprintf(title, sizeof title, "batch %lld", (long long)q->batch_id);
        live->out.table_end(live->out.ctx, title);
    }
}
