/*
 * exec_live.c — printing a live SELECT (the shell's SELECT over a stream)
 * after each of its batches, read back from its scratch table.
 */
#include "engine/exec/engine.h"

#include "common/buf.h"
#include "common/log.h"

#include <stdio.h>
#include <stdlib.h>

/* The largest rowid of a projection's table: the rows a batch appended end there. */
static void max_rowid_row(void *ctx, bool is_header, int ncols, const char *const *values)
{
    int64_t *max = ctx;
    if (!is_header && ncols == 1 && values[0])
        *max = strtoll(values[0], NULL, 10);
}

static void quoted_name(struct sl_buf *sql, const char *name)
{
    buf_putc(sql, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            buf_putc(sql, '"');
        buf_putc(sql, *p);
    }
    buf_putc(sql, '"');
}

/* ORDER BY and LIMIT of the live SELECT, over its table's columns; a
 * projection's rows keep their arrival order among equals. */
static void order_and_limit(const struct sl_plan *plan, struct sl_buf *sql)
{
    bool keyed = plan->aggregate;
    for (uint32_t i = 0; i < plan->norder; i++) {
        buf_puts(sql, i ? ", " : " ORDER BY ");
        quoted_name(sql, plan->order[i].name);
        if (plan->order[i].desc)
            buf_puts(sql, " DESC");
    }
    if (!keyed)
        buf_puts(sql, plan->norder ? ", rowid" : " ORDER BY rowid");
    if (plan->limit >= 0)
        buf_printf(sql, " LIMIT %lld", (long long)plan->limit);
}

/* Prints a live SELECT's table after a batch: the whole table for an
 * aggregation (it is updated in place), the rows appended since the last
 * batch for a projection; ordered and cut by its ORDER BY and LIMIT. */
void engine_print_live(struct sluice *s, struct sl_query *q, struct sl_live *live)
{
    if (!live->out.row)
        return;
    struct sl_buf sql;
    buf_init(&sql);
    struct sl_error err;
    int64_t upto = live->last_rowid;
    if (!q->plan->aggregate) {
        buf_puts(&sql, "SELECT max(rowid) FROM ");
        quoted_name(&sql, q->table_name);
        if (db_query_text(s->db, buf_str(&sql), max_rowid_row, &upto, &err) != SL_OK)
            goto fail;
        buf_clear(&sql);
    }
    buf_puts(&sql, "SELECT * FROM ");
    quoted_name(&sql, q->table_name);
    if (!q->plan->aggregate)
        buf_printf(&sql, " WHERE rowid > %lld AND rowid <= %lld", (long long)live->last_rowid,
                   (long long)upto);
    order_and_limit(q->plan, &sql);
    if (db_query_text(s->db, buf_str(&sql), live->out.row, live->out.ctx, &err) != SL_OK)
        goto fail;
    buf_free(&sql);
    live->last_rowid = upto;
    if (live->out.table_end) {
        char title[64];
        snprintf(title, sizeof title, "batch %lld", (long long)q->batch_id);
        live->out.table_end(live->out.ctx, title);
    }
    return;
fail:
    buf_free(&sql);
    sl_log(&s->log, SL_LOG_ERROR, "cannot print %s: %s", q->name, err.msg);
}
