/*
 * exec_show.c — SHOW STREAMS, SHOW QUERIES, SHOW CONNECTORS and DESCRIBE name (SHOW
 * TABLES and DESCRIBE of a table are exec_tables.c's), answered as
 * tables through the sluice_output row/table_end callbacks, the way a
 * SELECT handed to SQLite is answered. Live SELECTs (REPL scratch queries)
 * are not catalogued, so they are not shown.
 */
#include "engine/exec/exec.h"

#include "common/alloc.h"
#include "common/time.h"
#include "engine/runtime/ingest.h"
#include "storage/stream_log.h"

#include <inttypes.h>
#include <stdio.h>
#include <strings.h>

void exec_answer_row(const struct exec_ctx *x, bool is_header, int ncols,
                     const char *const *values)
{
    if (x->out && x->out->row)
        x->out->row(x->out->ctx, is_header, ncols, values);
}

void exec_answer_end(const struct exec_ctx *x)
{
    if (x->out && x->out->table_end)
        x->out->table_end(x->out->ctx, NULL);
}

void exec_source_text(const struct sl_stream_def *def, struct sl_buf *out)
{
    const struct sl_connector *c = def->source.connector;
    buf_puts(out, c->name);
    if (def->derived) {
        buf_printf(out, " %s", def->name); /* the query of its name writes it */
        return;
    }
    if (c->listens)
        buf_puts(out, " LISTEN");
    if (def->source.address) {
        buf_puts(out, " '");
        connector_address_redacted(def->source.address_written ? def->source.address_written
                                                                : def->source.address,
                                   out);
        buf_putc(out, '\'');
    }
    const char *sep = " WITH (";
    for (size_t i = 0; i < c->noptions; i++) {
        if (!def->source.options[i].set)
            continue;
        buf_printf(out, "%s%s = ", sep, c->options[i].name);
        connector_option_sql(&c->options[i], &def->source.options[i], out);
        sep = ", ";
    }
    if (def->log != stream_logs_by_default(c)) {
        buf_printf(out, "%slog = %s", sep, def->log ? "true" : "false");
        sep = ", ";
    }
    if (def->max_log_bytes != SL_DEFAULT_MAX_LOG_BYTES) {
        buf_printf(out, "%smax_log_bytes = %" PRId64, sep, def->max_log_bytes);
        sep = ", ";
    }
    if (*sep == ',')
        buf_putc(out, ')');
}

void exec_format_text(const struct sl_stream_def *def, struct sl_buf *out)
{
    const struct sl_format_spec *f = &def->format;
    if (f->kind == SL_FORMAT_TEXT) {
        buf_puts(out, "TEXT");
        if (f->max_record_bytes)
            buf_printf(out, " (max_record_bytes = %zu)", f->max_record_bytes);
        return;
    }
    if (f->kind == SL_FORMAT_JSON) {
        buf_printf(out, "JSON (json_cast = %s, max_record_bytes = %zu)",
                   f->json_cast ? "true" : "false",
                   f->max_record_bytes ? f->max_record_bytes : SL_MAX_RECORD_BYTES);
        return;
    }
    buf_printf(out, "CSV (header = %s, delimiter = '%c'", f->header ? "true" : "false",
               f->delimiter);
    if (f->null_marker)
        buf_printf(out, ", null = '%s'", f->null_marker);
    if (f->max_record_bytes)
        buf_printf(out, ", max_record_bytes = %zu", f->max_record_bytes);
    buf_putc(out, ')');
}

const struct sl_query *exec_find_named_query(const struct sluice *s, const char *name)
{
    int i = engine_find_query(s, name);
    return i >= 0 && !s->live[i] ? s->queries[i] : NULL;
}

/* What the sources of the running queries over a stream say they are doing
 * ("q: reading 4 partitions of topic 'payments'"), "; "-separated; for a
 * logged stream, what its ingest says, with its rate and its log's size. */
static void stream_state_text(const struct sluice *s, const struct sl_stream_def *def,
                              struct sl_buf *state, struct sl_buf *log_bytes,
                              struct sl_buf *rate)
{
    struct ingest_info info;
    if (def->log && s->env.ingests && ingests_describe(s->env.ingests, def->name, &info)) {
        buf_puts(state, info.state[0] ? info.state : "reading");
        buf_printf(log_bytes, "%" PRIu64, info.log_bytes);
        buf_printf(rate, "%.0f", info.rows_per_s);
        return;
    }
    struct db_log_bounds b;
    struct sl_error err;
    if (def->log && s->db && db_log_bounds(s->db, def->name, &b, &err) == SL_OK)
        buf_printf(log_bytes, "%" PRIu64, b.bytes);
    for (uint32_t i = 0; i < s->nqueries; i++) {
        const struct sl_query *q = s->queries[i];
        const char *text = q->status == SL_QUERY_RUNNING ? source_state(q->source) : NULL;
        if (!text || strcasecmp(q->plan->stream->name, def->name) != 0)
            continue;
        buf_printf(state, "%s%s: %s", state->len ? "; " : "", q->name, text);
    }
}

static void show_streams(const struct exec_ctx *x)
{
    static const char *const header[] = {"name", "source", "format", "state", "log_bytes",
                                         "rows_per_s"};
    exec_answer_row(x, true, 6, header);
    struct sl_buf text[5];
    for (int k = 0; k < 5; k++)
        buf_init(&text[k]);
    const struct sl_catalog *c = &x->s->catalog;
    for (uint32_t i = 0; i < c->nstreams; i++) {
        for (int k = 0; k < 5; k++)
            buf_clear(&text[k]);
        exec_source_text(c->streams[i], &text[0]);
        exec_format_text(c->streams[i], &text[1]);
        stream_state_text(x->s, c->streams[i], &text[2], &text[3], &text[4]);
        const char *row[6] = {c->streams[i]->name};
        for (int k = 0; k < 5; k++)
            row[k + 1] = text[k].len ? buf_str(&text[k]) : NULL;
        exec_answer_row(x, false, 6, row);
    }
    for (int k = 0; k < 5; k++)
        buf_free(&text[k]);
    exec_answer_end(x);
}

const char *exec_query_status(const struct sluice *s, const char *name, const struct sl_query *q,
                              const char **error)
{
    *error = NULL;
    bool paused = false;
    struct sl_error err;
    if (!q && exec_query_paused((struct sluice *)s, name, &paused, &err) == SL_OK && paused)
        return "PAUSED";
    if (!q) {
        *error = engine_start_failure(s, name);
        return *error ? "FAILED" : "STOPPED";
    }
    switch (q->status) {
    case SL_QUERY_RUNNING: return "RUNNING";
    case SL_QUERY_FINISHED: return "FINISHED";
    case SL_QUERY_FAILED: *error = q->error; return "FAILED";
    }
    return "?";
}

#define QUERY_COLUMNS 8

/* One SHOW QUERIES row: q is the engine's query of that name, or NULL when it only is saved. */
static void query_row(const struct exec_ctx *x, const char *name, const char *sql,
                      const struct sl_query *q)
{
    const struct sluice *s = x->s;
    char batch[24], lag[24], dead[24], committed[32];
    int64_t dead_letters = 0, last_batch = q ? q->batch_id : db_progress_last_batch(s->db, name);
    struct sl_error err;
    if (db_progress_summary(s->db, name, &dead_letters, committed, &err) != SL_OK)
        committed[0] = '\0';
    snprintf(batch, sizeof batch, "%lld", (long long)last_batch);
    snprintf(dead, sizeof dead, "%lld", (long long)dead_letters);
    uint64_t lag_bytes = 0;
    bool has_lag = q && query_lag_bytes(q, &lag_bytes);
    snprintf(lag, sizeof lag, "%llu", (unsigned long long)lag_bytes);
    const char *error;
    const char *status = exec_query_status(s, name, q, &error);
    /* batch_id counts committed batches: 0 means none yet, shown as NULL. */
    const char *row[QUERY_COLUMNS] = {name,
                                      status,
                                      error,
                                      last_batch ? batch : NULL,
                                      committed[0] ? committed : NULL,
                                      has_lag ? lag : NULL,
                                      dead,
                                      sql};
    exec_answer_row(x, false, QUERY_COLUMNS, row);
}

struct saved_rows {
    const struct exec_ctx *x;
};

static void saved_query_row(void *ctx, const char *name, const char *sql)
{
    const struct exec_ctx *x = ((struct saved_rows *)ctx)->x;
    const struct sl_query *q = exec_find_named_query(x->s, name);
    query_row(x, name, q && q->sql ? q->sql : sql, q);
}

/* Every saved query, in the order they were created, running or not; then any the engine
 * runs without having saved it. Live SELECTs are the shell's, not the catalog's. */
static void show_queries(const struct exec_ctx *x)
{
    static const char *const header[QUERY_COLUMNS] = {
        "name", "status", "error", "last_batch", "last_commit", "lag_bytes", "dead_letters", "sql"};
    exec_answer_row(x, true, QUERY_COLUMNS, header);
    const struct sluice *s = x->s;
    struct saved_rows rows = {x};
    struct sl_error err;
    if (s->db)
        db_catalog_list(s->db, DB_CATALOG_QUERY, saved_query_row, &rows, &err);
    for (uint32_t i = 0; i < s->nqueries; i++) {
        const struct sl_query *q = s->queries[i];
        char *saved = NULL;
        if (!s->live[i] && exec_saved_sql((struct sluice *)s, DB_CATALOG_QUERY, q->name, &saved,
                                          &err) == SL_OK && !saved)
            query_row(x, q->name, q->sql, q);
        sl_free(saved);
    }
    exec_answer_end(x);
}

/* The connector registry: one row per connector, its options by name. */
static void show_connectors(const struct exec_ctx *x)
{
    static const char *const header[] = {"name", "replays", "address", "format", "options"};
    exec_answer_row(x, true, 5, header);
    struct sl_buf options;
    buf_init(&options);
    for (size_t i = 0; i < connector_count(); i++) {
        const struct sl_connector *c = connector_at(i);
        buf_clear(&options);
        for (size_t k = 0; k < c->noptions; k++)
            buf_printf(&options, "%s%s", k ? ", " : "", c->options[k].name);
        if (!c->replayable)
            buf_printf(&options, "%slog, max_log_bytes", c->noptions ? ", " : "");
        char name[64];
        snprintf(name, sizeof name, "%s%s", c->name, c->listens ? " LISTEN" : "");
        const char *row[] = {name, c->replayable ? "yes" : "no", c->address_doc,
                             c->default_format, buf_str(&options)};
        exec_answer_row(x, false, 5, row);
    }
    buf_free(&options);
    exec_answer_end(x);
}

sl_status exec_show(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    static const struct {
        const char *what;
        void (*answer)(const struct exec_ctx *x);
    } shows[] = {{"STREAMS", show_streams}, {"QUERIES", show_queries},
                 {"CONNECTORS", show_connectors}, {"SINKS", exec_show_sinks},
                 {"TABLES", exec_show_tables}};
    const struct ast_name *what = &stmt->u.named.name;
    for (size_t i = 0; i < sizeof shows / sizeof shows[0]; i++) {
        if (strcasecmp(what->text, shows[i].what) != 0)
            continue;
        if (!x->check_only)
            shows[i].answer(x);
        return SL_OK;
    }
    diags_add(x->diags, what->pos, what->span,
              "SHOW STREAMS, SHOW QUERIES, SHOW SINKS, SHOW TABLES or SHOW CONNECTORS",
              "unknown SHOW \"%s\"", what->text);
    return SL_ERROR;
}

/* DESCRIBE's note on a stream's column: what a metadata column holds, its JSON PATH, or the
 * watermark. */
static void column_note(const struct sl_stream_def *def, uint32_t i, struct sl_buf *out)
{
    const struct sl_connector *c = def->source.connector;
    if (i >= def->ndeclared) {
        buf_printf(out, "%s%s metadata: %s", c->name, c->listens ? " LISTEN" : "",
                   c->metadata[i - def->ndeclared].doc);
    } else if (def->format.json_paths && def->format.json_paths[i]) {
        buf_printf(out, "PATH '%s'", def->format.json_paths[i]);
    }
    if ((int)i == def->time_column) {
        char delay[48];
        buf_puts(out, out->len ? "; " : "");
        sl_duration_format(def->watermark_delay_us, delay);
        buf_printf(out, "event time; watermark %s - INTERVAL '%s'", def->cols[i].name, delay);
    }
}

static void describe_stream(const struct exec_ctx *x, const struct sl_stream_def *def)
{
    static const char *const header[] = {"column", "type", "note"};
    exec_answer_row(x, true, 3, header);
    struct sl_buf note;
    buf_init(&note);
    for (uint32_t i = 0; i < def->ncols; i++) {
        buf_clear(&note);
        column_note(def, i, &note);
        const char *row[] = {def->cols[i].name, sl_type_name(def->cols[i].type),
                             note.len ? buf_str(&note) : NULL};
        exec_answer_row(x, false, 3, row);
    }
    buf_free(&note);
    exec_answer_end(x);
    static const char *const where[] = {"source", "format", "watermark"};
    exec_answer_row(x, true, 3, where);
    struct sl_buf source, format, watermark;
    buf_init(&source);
    buf_init(&format);
    buf_init(&watermark);
    exec_source_text(def, &source);
    exec_format_text(def, &format);
    if (def->time_column >= 0) {
        char delay[48];
        const char *ts = def->cols[def->time_column].name;
        sl_duration_format(def->watermark_delay_us, delay);
        buf_printf(&watermark, "WATERMARK FOR %s AS %s - INTERVAL '%s'", ts, ts, delay);
    } else {
        buf_puts(&watermark, "none (processing time)");
    }
    const char *row[] = {buf_str(&source), buf_str(&format), buf_str(&watermark)};
    exec_answer_row(x, false, 3, row);
    buf_free(&source);
    buf_free(&format);
    buf_free(&watermark);
    exec_answer_end(x);
}

void exec_describe_columns(const struct exec_ctx *x, const struct sl_plan *p)
{
    static const char *const header[] = {"column", "type", "key"};
    exec_answer_row(x, true, 3, header);
    for (uint32_t i = 0; i < p->nout; i++) {
        const char *row[] = {p->out_names[i], sl_type_name(p->out_types[i]),
                             p->out_is_key[i] ? "yes" : "no"};
        exec_answer_row(x, false, 3, row);
    }
    exec_answer_end(x);
}

sl_status exec_describe(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    const struct ast_name *name = &stmt->u.named.name;
    const struct sl_stream_def *def = catalog_find_stream(&x->s->catalog, name->text);
    const struct sl_query *q = def ? NULL : exec_find_named_query(x->s, name->text);
    /* `sluice check`, and statements after an error, start no query: a query's
     * name cannot be verified there. */
    if (x->check_only)
        return SL_OK;
    char *saved = NULL;
    struct sl_error err;
    if (stmt->u.named.extended && exec_find_named_query(x->s, name->text) == NULL &&
        exec_saved_sql(x->s, DB_CATALOG_QUERY, name->text, &saved, &err) != SL_OK) {
        diags_add(x->diags, name->pos, name->span, NULL, "%s", err.msg);
        return SL_ERROR;
    }
    bool is_query = saved || exec_find_named_query(x->s, name->text);
    sl_free(saved);
    /* EXTENDED is about a query (a CREATE STREAM AS stream's too); of anything else, the plain one. */
    if (stmt->u.named.extended && is_query)
        return exec_describe_extended(x, name);
    if (!def && !q) {
        bool table;
        sl_status st = exec_describe_table(x, name, &table);
        if (st != SL_OK || table)
            return st;
        diags_add(x->diags, name->pos, name->span,
                  "SHOW STREAMS, SHOW QUERIES and SHOW TABLES list them",
                  "unknown stream, query or table \"%s\"", name->text);
        return SL_ERROR;
    }
    if (def)
        describe_stream(x, def);
    else
        exec_describe_columns(x, q->plan);
    return SL_OK;
}
