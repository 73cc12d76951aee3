/*
 * exec_describe_extended.c — DESCRIBE EXTENDED query: what DESCRIBE says,
 * then how the query is doing (status and last error, batches, rows/s over
 * its last batches, lag, watermark, late rows, state size, dead letters),
 * then, for a query running here, its plan with each operator's rows in and
 * out, time and state since it started (Spark's query progress and Flink's
 * per-operator metrics, as tables).
 */
#include "engine/exec/exec.h"

#include "common/alloc.h"
#include "common/time.h"
#include "storage/progress_recent.h"

#include <inttypes.h>
#include <stdio.h>

/* The last batches DESCRIBE EXTENDED's rates are over. */
#define RECENT_BATCHES 10

static void field(const struct exec_ctx *x, const char *name, const char *value)
{
    const char *row[] = {name, value};
    exec_answer_row(x, false, 2, row);
}

static void field_int(const struct exec_ctx *x, const char *name, int64_t value)
{
    char text[24];
    snprintf(text, sizeof text, "%" PRId64, value);
    field(x, name, text);
}

/* The fields of how it is doing: from the engine when it runs here, from its progress rows. */
static void describe_progress(const struct exec_ctx *x, const char *name,
                              const struct sl_query *q, const char *sql)
{
    struct sluice *s = x->s;
    static const char *const header[] = {"field", "value"};
    exec_answer_row(x, true, 2, header);
    const char *error;
    field(x, "status", exec_query_status(s, name, q, &error));
    field(x, "error", error);
    struct sl_error err;
    int64_t dead_letters = 0;
    char committed[32] = "", text[160];
    db_progress_summary(s->db, name, &dead_letters, committed, &err);
    int64_t last_batch = q ? q->batch_id : db_progress_last_batch(s->db, name);
    if (last_batch)
        field_int(x, "last_batch", last_batch);
    else
        field(x, "last_batch", NULL);
    field(x, "last_commit", committed[0] ? committed : NULL);
    struct db_progress_recent recent;
    if (db_progress_recent(s->db, name, RECENT_BATCHES, &recent, &err) != SL_OK)
        recent.batches = 0;
    if (recent.batches && recent.seconds > 0)
        snprintf(text, sizeof text, "%.1f (last %" PRId64 " batches)",
                 (double)recent.rows_in / recent.seconds, recent.batches);
    field(x, "rows_per_s", recent.batches && recent.seconds > 0 ? text : NULL);
    snprintf(text, sizeof text, "%" PRId64 " in, %" PRId64 " out, %.1f ms a batch (last %" PRId64
             " batches)", recent.rows_in, recent.rows_out, recent.avg_ms, recent.batches);
    field(x, "rows", recent.batches ? text : NULL);
    uint64_t lag = 0;
    bool has_lag = q && query_lag_bytes(q, &lag);
    snprintf(text, sizeof text, "%" PRIu64, lag);
    field(x, "lag_bytes", has_lag ? text : NULL);
    field(x, "watermark", recent.watermark[0] ? recent.watermark : NULL);
    field_int(x, "late_rows", recent.late_rows);
    if (q) {
        uint64_t groups, bytes;
        op_state_stats(q->pipeline.head, &groups, &bytes);
        snprintf(text, sizeof text, "%" PRIu64 " groups, %" PRIu64 " bytes", groups, bytes);
        field(x, "state", text);
    } else {
        field(x, "state", NULL);
    }
    field_int(x, "dead_letters", dead_letters);
    if (q) {
        char trigger[48];
        sl_duration_format(q->trigger_us, trigger);
        field(x, "trigger", trigger);
        /* The partitions it runs with: WITH (partitions = n), or the default
         * (the cores, or its checkpoint's count) the planner was given. */
        field_int(x, "partitions",
                  q->pipeline.exchange ? op_exchange_parts(q->pipeline.exchange) : 1);
        const char *state = q->source ? source_state(q->source) : NULL;
        field(x, "source", state ? state : q->source ? source_describe(q->source) : NULL);
    }
    field(x, "sql", sql);
    exec_answer_end(x);
}

static void operator_row(void *ctx, const struct sl_op *op, const struct sl_op_counters *c,
                         uint64_t groups, uint64_t bytes)
{
    const struct exec_ctx *x = ctx;
    struct sl_buf what;
    buf_init(&what);
    op->vt->explain(op, &what);
    char in[24], out[24], ms[32], g[24], b[24];
    snprintf(in, sizeof in, "%" PRIu64, c->rows_in);
    snprintf(out, sizeof out, "%" PRIu64, c->rows_out);
    snprintf(ms, sizeof ms, "%.3f", (double)c->self_ns / 1e6);
    snprintf(g, sizeof g, "%" PRIu64, groups);
    snprintf(b, sizeof b, "%" PRIu64, bytes);
    bool stateful = op->vt->stats != NULL;
    /* The sink's rows go to the table (or log), not to another operator. */
    const char *row[] = {buf_str(&what), in, op->next ? out : NULL, ms,
                         stateful ? g : NULL, stateful ? b : NULL};
    exec_answer_row(x, false, 6, row);
    buf_free(&what);
}

/* The plan, one operator a row with what it did since the query started. */
static void describe_operators(const struct exec_ctx *x, const struct sl_query *q)
{
    static const char *const header[] = {"operator", "rows_in", "rows_out", "time_ms",
                                         "state_groups", "state_bytes"};
    exec_answer_row(x, true, 6, header);
    struct sl_buf scan;
    buf_init(&scan);
    buf_printf(&scan, "scan %s ", q->plan->stream->name);
    exec_source_text(q->plan->stream, &scan);
    char rows[24];
    snprintf(rows, sizeof rows, "%" PRIu64,
             q->pipeline.head ? q->pipeline.head->counters.rows_in : 0);
    const char *row[] = {buf_str(&scan), NULL, rows, NULL, NULL, NULL};
    exec_answer_row(x, false, 6, row);
    buf_free(&scan);
    op_profile_chain(q->pipeline.head, operator_row, (void *)x);
    exec_answer_end(x);
}

sl_status exec_describe_extended(struct exec_ctx *x, const struct ast_name *name)
{
    struct sluice *s = x->s;
    const struct sl_query *q = exec_find_named_query(s, name->text);
    char *saved = NULL;
    struct sl_error err;
    if (exec_saved_sql(s, DB_CATALOG_QUERY, name->text, &saved, &err) != SL_OK) {
        diags_add(x->diags, name->pos, name->span, NULL, "%s", err.msg);
        return SL_ERROR;
    }
    if (q) {
        exec_describe_columns(x, q->plan);
    } else {
        bool table; /* a query that never ran here has no table yet: no columns to show */
        exec_describe_table(x, name, &table);
    }
    describe_progress(x, name->text, q, q && q->sql ? q->sql : saved);
    if (q)
        describe_operators(x, q);
    sl_free(saved);
    return SL_OK;
}
