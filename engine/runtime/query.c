/* query.c — a running query: building it, reading and pushing input, ending batches. */
#include "engine/runtime/query.h"
#include "engine/runtime/query_input.h"
#include "engine/runtime/query_side.h"

#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"
#include "engine/functions/clock.h"
#include "engine/runtime/ingest.h"
#include "engine/runtime/log_reader.h"
#include "engine/runtime/record_check.h"
#include "engine/ops/op_sink.h"
#include "engine/runtime/query_split.h"
#include "engine/runtime/query_state.h"
#include "engine/runtime/sink_runner.h"
#include "engine/runtime/stream_writer.h"
#include "storage/stream_log.h"
#include "storage/state.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Bytes read per step: large enough to amortise per-chunk work, small enough
 * that the work arena (reset after every step) stays a few MiB. */
#define READ_BUFFER_BYTES (1u << 20)
/* Output rows a batch keeps before it ends without waiting for its trigger. */
#define BATCH_ROWS_MAX_BYTES ((size_t)64 << 20)
/* Busy timeouts a COMMIT waits out before the batch is given up (a minute by default). */
#define COMMIT_BUSY_TRIES 12

/* The decoder's callback cannot fail: a dead letter it cannot keep marks the batch (dl_lost),
 * which write_dead_letters then fails, so no record leaves without a trace. */
static void on_dead_letter(void *ctx, const char *record, size_t len, uint64_t offset,
                           const char *reason)
{
    struct sl_query *q = ctx;
    /* Read from a push stream's log, the record's letter was kept as it was logged
     * (ingest_letters.h): counted in this query's progress, not kept again. */
    if (q->ingest && ingest_keeps_dead_letters(q->ingest)) {
        q->dead_letters++;
        return;
    }
    query_dead_letter(q, record, len, offset, reason);
}

void query_dead_letter(struct sl_query *q, const char *record, size_t len, uint64_t offset,
                       const char *reason)
{
    q->dead_letters++;
    if (q->ndl == q->cap_dl) {
        uint32_t cap = q->cap_dl ? q->cap_dl * 2 : 16;
        struct sl_query_dead_letter *dl = sl_realloc(q->dl, cap * sizeof *dl);
        if (!dl) {
            q->dl_lost = true;
            return;
        }
        q->dl = dl;
        q->cap_dl = cap;
    }
    struct sl_query_dead_letter *d = &q->dl[q->ndl];
    const struct sl_record *r = q->current_record;
    d->partition = r ? r->partition : -1;
    d->offset = r ? (uint64_t)r->offset : offset;
    d->len = len;
    d->record = arena_memdup(q->dl_arena, record, len ? len : 1);
    d->reason = arena_strndup(q->dl_arena, reason, strlen(reason));
    if (!d->record || !d->reason)
        q->dl_lost = true;
    else
        q->ndl++;
}

static sl_status write_dead_letters(struct sl_query *q, struct sl_error *err)
{
    if (q->dl_lost)
        return sl_error_set(err, SL_NOMEM, "out of memory keeping a dead letter");
    sl_status st = SL_OK;
    char where[512];
    /* Queries over a replayable source (FILE, KAFKA) see a record at the same
     * offset: its letter is kept once. A push stream's log keeps its letters
     * itself (on_dead_letter); a CREATE STREAM AS stream's log places them by
     * its group commits, shared by the records in them, and a source read
     * without a log gives each query records of its own: each query keeps its
     * letters. */
    bool own_records = q->plan->stream->log || !source_replayable(q->source);
    for (uint32_t i = 0; i < q->ndl && st == SL_OK; i++) {
        /* A record source's letters say their partition: "kafka:payments/2". */
        if (q->dl[i].partition >= 0)
            snprintf(where, sizeof where, "%s/%lld", source_describe(q->source),
                     (long long)q->dl[i].partition);
        else
            snprintf(where, sizeof where, "%s", source_describe(q->source));
        struct db_dead_letter dl = {.stream = q->plan->stream->name,
                                    .query = q->live ? NULL : q->name,
                                    .source = where,
                                    .offset = q->dl[i].offset,
                                    .record = q->dl[i].record,
                                    .len = q->dl[i].len,
                                    .reason = q->dl[i].reason,
                                    .each_row = own_records};
        st = db_dead_letter_record(q->db, &dl, err);
    }
    return st;
}

/* Forgets what the batch kept for its commit. */
static void discard_batch(struct sl_query *q)
{
    q->ndl = 0;
    if (q->side)
        q->side->ndl = 0;
    q->dl_lost = false;
    arena_reset(q->dl_arena);
    op_sink_discard(q->sink);
    if (q->late_sink)
        op_sink_discard(q->late_sink);
    query_sinks_reset(&q->sinks);
    if (q->writer)
        stream_writer_reset(q->writer);
    if (q->pipeline.exchange)
        op_exchange_discard(q->pipeline.exchange);
}

/* The rows the result sink's flush writes: into the stream's log (CREATE STREAM
 * AS) and the sinks' outboxes. */
static sl_status tap_rows(void *ctx, const struct sl_chunk *rows, struct sl_error *err)
{
    struct sl_query *q = ctx;
    sl_status st = q->writer ? stream_writer_tap(q->writer, rows, err) : SL_OK;
    return st == SL_OK ? query_sinks_tap(&q->sinks, rows, err) : st;
}

/* The table <name>_late (append-only) and the sink of the window's late rows. */
static sl_status open_late_table(struct sl_query *q, const struct sl_plan *plan,
                                 const struct sl_query_env *env, struct sl_error *err)
{
    struct sl_column *cols = arena_calloc(q->plan_arena, (plan->nkeys + 3) * sizeof *cols);
    bool *is_key = arena_calloc(q->plan_arena, (plan->nkeys + 3) * sizeof *is_key);
    enum sl_type *types = arena_calloc(q->plan_arena, (plan->nkeys + 3) * sizeof *types);
    const char **names = arena_calloc(q->plan_arena, (plan->nkeys + 3) * sizeof *names);
    size_t len = strlen(q->name) + sizeof "_late";
    q->late_name = sl_malloc(len);
    if (!cols || !is_key || !types || !names || !q->late_name)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    snprintf(q->late_name, len, "%s_late", q->name);
    struct sl_schema schema = {.ncols = planner_late_columns(plan, q->plan_arena, cols),
                               .cols = cols};
    if (!schema.ncols)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    for (uint32_t i = 0; i < schema.ncols; i++) {
        types[i] = cols[i].type;
        names[i] = cols[i].name;
    }
    sl_status st = result_table_open(env->db, q->late_name, &schema, is_key, &q->late_table, err);
    if (st == SL_OK && op_sink_create(env->work, q->late_table, schema.ncols, types, names,
                                      &q->late_sink) != SL_OK)
        st = sl_error_set(err, SL_NOMEM, "out of memory");
    return st;
}

/* The offset of the next byte the query's input hands out (of the next
 * record, counted over the query's life, for a record source). */
static uint64_t input_offset(const struct sl_query *q)
{
    if (source_has_records(q->source))
        return q->records_base + source_offset(q->source);
    return source_offset(q->source);
}

/* Moves the input to a checkpoint's offset: a file is checked to be the same
 * input; a record source (a stream's log) goes to its position; stdin read
 * directly cannot, and continues with what it sends now (at most once). */
static sl_status seek_input(struct sl_query *q, const struct db_checkpoint *c,
                            struct sl_error *err)
{
    if (source_has_records(q->source)) {
        q->records_base = c->offset;
        return c->position ? source_seek_position(q->source, c->position, err) : SL_OK;
    }
    if (!source_replayable(q->source)) {
        q->resumed_lossy = true;
        return SL_OK;
    }
    return source_seek(q->source, c->offset, c->identity ? c->identity : "", err);
}

/*
 * A saved query started again continues where its last committed batch
 * ended: its rows, its position and the groups its operators changed were
 * committed together. Sets *resumed. A query with an operator whose state
 * cannot be checkpointed starts over, and so does an aggregation whose
 * checkpoint has no plan fingerprint, or a windowed one whose checkpoint has
 * no state rows (an earlier version wrote them, with no state: a window
 * always writes its scalars' row). An input that changed since, a checkpoint
 * that is not valid or is another plan's, or state that does not decode is
 * an error.
 */
static sl_status resume_at(struct sl_query *q, const struct db_checkpoint *c, bool *resumed,
                           struct sl_error *err)
{
    sl_status st = SL_OK;
    if (!c->plan[0] && plan_changelog(q->plan))
        return st;
    if (c->plan[0] && strcmp(c->plan, q->fingerprint) != 0 &&
        strncmp(c->plan, q->fingerprint, FINGERPRINT_HASH_CHARS) == 0)
        return sl_error_set(err, SL_ERROR,
                            "the checkpoint of query %s holds its groups in %u partitions, and "
                            "this plan has %u (WITH (partitions = %u)): a group's state cannot "
                            "move to another partition; run it with partitions = %u (or without "
                            "the option), or drop it to start over",
                            q->name, query_state_partitions(c->plan),
                            query_state_partitions(q->fingerprint), q->plan->partitions,
                            query_state_partitions(c->plan));
    if (c->plan[0] && strcmp(c->plan, q->fingerprint) != 0)
        return sl_error_set(err, SL_ERROR,
                            "the checkpoint of query %s was written by another plan (fingerprint "
                            "%s, this plan's %s): its state cannot be read into this one",
                            q->name, c->plan, q->fingerprint);
    /* The state first: the source is not moved for a query that starts over. */
    uint64_t rows = 0;
    if ((plan_changelog(q->plan) || q->pipeline.join) &&
        (st = query_state_restore(q, &rows, err)) != SL_OK)
        return st;
    if (q->plan->window.kind && !rows)
        return SL_OK;
    st = seek_input(q, c, err);
    if (st != SL_OK)
        return st;
    if (!q->resumed_lossy && !source_has_records(q->source))
        decoder_resume(q->decoder, c->offset);
    uint64_t bytes;
    op_state_stats(q->pipeline.head, &q->restored_groups, &bytes);
    q->batch_id = c->batch_id;
    q->resumed_at = (int64_t)c->offset;
    q->committed_offset = q->resumed_lossy ? 0 : c->offset;
    *resumed = true;
    return SL_OK;
}

/* A join's right input (swapped in: query_side.h) continues at its own
 * checkpoint row, written with the left's. */
static sl_status resume_input(struct sl_query *q, struct sl_error *err)
{
    struct db_checkpoint c;
    bool found;
    sl_status st = db_checkpoint_get(q->db, q->name, &c, &found, err);
    if (st == SL_OK && !found)
        st = sl_error_set(err, SL_ERROR, "the checkpoint of query %s has no row for its right "
                          "input (%s): drop the query to start over", q->name, q->name);
    if (st == SL_OK)
        st = seek_input(q, &c, err);
    if (st == SL_OK && !q->resumed_lossy && !source_has_records(q->source))
        decoder_resume(q->decoder, c.offset);
    if (st == SL_OK)
        q->committed_offset = q->resumed_lossy ? 0 : c.offset;
    if (found) {
        sl_free(c.position);
        sl_free(c.identity);
    }
    return st;
}

static sl_status try_resume(struct sl_query *q, bool *resumed, struct sl_error *err)
{
    *resumed = false;
    if (!op_chain_restorable(q->pipeline.head))
        return SL_OK;
    struct db_checkpoint c;
    bool found;
    sl_status st = db_checkpoint_get(q->db, q->name, &c, &found, err);
    if (st == SL_OK && found)
        st = resume_at(q, &c, resumed, err);
    sl_free(c.position);
    sl_free(c.identity);
    if (st == SL_OK && *resumed && q->side) {
        query_side_enter(q, QUERY_RIGHT);
        st = resume_input(q, err);
        query_side_leave(q);
    }
    return st;
}

/* A saved query that does not resume: its tables, state and checkpoint go in
 * one transaction, so a crash before its first batch cannot leave a
 * checkpoint over an emptied table. */
static sl_status start_over(struct sl_query *q, struct sl_error *err)
{
    sl_status st = db_begin(q->db, err);
    if (st != SL_OK)
        return st;
    if ((q->table && (st = result_table_clear(q->table, err)) != SL_OK) ||
        (q->late_table && (st = result_table_clear(q->late_table, err)) != SL_OK) ||
        (st = db_state_delete(q->db, q->name, err)) != SL_OK ||
        (st = db_checkpoint_delete(q->db, q->name, err)) != SL_OK ||
        (q->side && (st = db_checkpoint_delete(q->db, q->side->name, err)) != SL_OK) ||
        (st = db_commit(q->db, err)) != SL_OK) {
        db_rollback(q->db);
        return st;
    }
    return SL_OK;
}

/* The first record no committed batch holds. */
static uint64_t checkpoint_offset(const struct sl_query *q)
{
    return input_offset(q) - decoder_pending(q->decoder);
}

/* The query's position, in the batch's transaction. */
static sl_status record_checkpoint(struct sl_query *q, struct sl_error *err)
{
    struct db_checkpoint c = {.batch_id = q->batch_id + 1};
    snprintf(c.source, sizeof c.source, "%s", source_describe(q->source));
    snprintf(c.plan, sizeof c.plan, "%s", q->fingerprint);
    c.offset = checkpoint_offset(q);
    if (source_has_records(q->source)) {
        struct sl_buf position;
        buf_init(&position);
        source_position(q->source, &position);
        c.position = position.failed ? NULL : (char *)buf_str(&position);
        sl_status st = position.failed ? sl_error_set(err, SL_NOMEM, "out of memory")
                                       : db_checkpoint_put(q->db, q->name, &c, err);
        buf_free(&position);
        return st;
    }
    if (!source_replayable(q->source))
        return db_checkpoint_put(q->db, q->name, &c, err);
    struct sl_buf id;
    buf_init(&id);
    sl_status st = source_identity(q->source, c.offset, &id, err);
    if (st == SL_OK && id.failed)
        st = sl_error_set(err, SL_NOMEM, "out of memory");
    if (st == SL_OK) {
        c.identity = (char *)buf_str(&id);
        st = db_checkpoint_put(q->db, q->name, &c, err);
    }
    buf_free(&id);
    return st;
}

/* A push stream is read from its log (its ingest started if it is not running); another directly. */
static sl_status open_input(struct sl_query *q, const struct sl_query_env *env,
                            struct sl_error *err)
{
    const struct sl_stream_def *stream = q->plan->stream;
    if (!stream->log) {
        sl_status st = source_open(&stream->source, &q->source, err);
        /* Read directly, a source that answers its senders still counts what they sent. */
        if (st == SL_OK)
            source_set_record_check(q->source, record_check, (void *)stream);
        return st;
    }
    q->ingests = env->ingests;
    sl_status st = ingest_acquire(env->ingests, stream, &q->ingest, err);
    const char *reader = q->live || q->plan->no_checkpoint ? NULL : q->name;
    return st == SL_OK ? log_reader_open(q->ingest, env->db, stream->name, reader, &q->source, err)
                       : st;
}

/* Whether the query is one of its log's readers: it holds the log's rows it has not committed. */
static bool reads_log(const struct sl_query *q)
{
    return q->ingest && !q->live && !q->plan->no_checkpoint;
}

/* The same for a join's right input. */
static bool reads_log_side(const struct sl_query *q)
{
    return q->side->ingest && !q->live && !q->plan->no_checkpoint;
}

/* A join of two streams: the right stream's source and decoder, opened as
 * the left's are, with its fields swapped in (query_side.h). */
static sl_status open_right_input(struct sl_query *q, const struct sl_query_env *env,
                                  struct sl_error *err)
{
    sl_status st = query_side_create(q, err);
    if (st != SL_OK)
        return st;
    query_side_enter(q, QUERY_RIGHT);
    const struct sl_stream_def *stream = q->plan->stream;
    struct sl_schema schema = stream_def_format_schema(stream);
    st = open_input(q, env, err);
    if (st == SL_OK)
        st = decoder_create(&stream->format, &schema, on_dead_letter, q, &q->decoder, err);
    if (st == SL_OK)
        source_set_log(q->source, q->log);
    query_side_leave(q);
    return st;
}

/* The threads an aggregation runs on: WITH (partitions = n); else, for a
 * saved query whose groups a checkpoint holds in partitions, as many (its
 * state cannot be split otherwise); else the machine's cores. */
static uint32_t query_threads(const struct sl_query *q, bool restart)
{
    const struct sl_plan *plan = q->plan;
    if (plan->partitions)
        return plan->partitions;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    uint32_t threads = cores < 1 ? 1 : cores > 64 ? 64 : (uint32_t)cores;
    if (!restart || q->live || plan->no_checkpoint || !plan_changelog(plan) ||
        !planner_partitions_groups(plan))
        return threads;
    struct db_checkpoint c;
    bool found = false;
    struct sl_error ignored;
    sl_error_clear(&ignored);
    /* A checkpoint that cannot be read is reported when the query resumes. */
    if (db_checkpoint_get(q->db, q->name, &c, &found, &ignored) == SL_OK && found && c.plan[0])
        threads = query_state_partitions(c.plan);
    if (found) {
        sl_free(c.position);
        sl_free(c.identity);
    }
    return threads;
}

/* Whether the result table has key columns (GROUP BY keys, a window's bounds). */
static bool has_key(const struct sl_plan *plan)
{
    for (uint32_t i = 0; i < plan->nout; i++)
        if (plan->out_is_key[i])
            return true;
    return false;
}

sl_status query_create(const char *name, const char *sql, bool live, struct sl_arena *plan_arena,
                       struct sl_plan *plan, int64_t trigger_us, bool restart,
                       const struct sl_query_env *env, struct sl_query **out,
                       struct sl_error *err)
{
    struct sl_query *q = sl_calloc(1, sizeof *q);
    if (!q) {
        arena_destroy(plan_arena);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    q->plan_arena = plan_arena;
    q->plan = plan;
    q->live = live;
    q->resumed_at = -1;
    q->db = env->db;
    q->clock = env->clock;
    q->log = env->log;
    q->trigger_us = trigger_us;
    q->name = sl_strdup(name);
    q->sql = sql ? sl_strdup(sql) : NULL;
    q->dl_arena = arena_create(64 * 1024);
    if (!q->name || (sql && !q->sql) || !q->dl_arena) {
        query_destroy(q);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    q->table_name = q->name;
    sl_status st;
    struct sl_column *cols = arena_calloc(plan_arena, (plan->nout + 1) * sizeof *cols);
    if (!cols) {
        query_destroy(q);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    for (uint32_t i = 0; i < plan->nout; i++) {
        cols[i].name = plan->out_names[i];
        cols[i].type = plan->out_types[i];
    }
    struct sl_schema out_schema = {.ncols = plan->nout, .cols = cols};
    struct sl_schema in_schema = stream_def_format_schema(plan->stream);
    bool resumed = false;
    /* The source first: a query that cannot read leaves no table behind. The
     * pipeline before resuming: its operators take the saved state. */
    if ((st = open_input(q, env, err)) != SL_OK ||
        (st = decoder_create(&plan->stream->format, &in_schema, on_dead_letter, q, &q->decoder,
                             err)) != SL_OK ||
        (plan->into_stream &&
         (st = stream_writer_open(env->ingests, plan->into_stream, &q->writer, err)) != SL_OK) ||
        (!plan->into_stream &&
         (st = result_table_open(env->db, q->table_name, &out_schema, plan->out_is_key,
                                 &q->table, err)) != SL_OK) ||
        (st = op_sink_create(env->work, q->table, plan->nout, plan->out_types, plan->out_names,
                             &q->sink)) != SL_OK ||
        (plan->late_table && (st = open_late_table(q, plan, env, err)) != SL_OK) ||
        (st = planner_build(plan, query_threads(q, restart), env->work, q->sink,
                            q->late_sink, q->clock, &q->pipeline, err)) != SL_OK)
        goto fail;
    if ((q->pipeline.right_head && (st = open_right_input(q, env, err)) != SL_OK) ||
        (st = query_split_create(q, err)) != SL_OK)
        goto fail;
    source_set_log(q->source, q->log);
    if (!live)
        op_sink_set_tap(q->sink, tap_rows, q);
    if (q->table && plan->aggregate && !has_key(plan))
        result_table_keep_one_row(q->table);
    query_state_fingerprint(q);
    if (!live && !plan->no_checkpoint && (st = query_state_attach(q, err)) != SL_OK)
        goto fail;
    bool resumable = restart && !live && !plan->no_checkpoint;
    if ((resumable && (st = try_resume(q, &resumed, err)) != SL_OK) ||
        (restart && !resumed && (st = start_over(q, err)) != SL_OK) ||
        (reads_log(q) && (st = log_reader_commit(q->source, q->db, plan->stream->name, q->name,
                                                 err)) != SL_OK))
        goto fail;
    if (q->side && reads_log_side(q) &&
        (st = log_reader_commit(q->side->source, q->db, q->side->plan.stream->name, q->side->name,
                                err)) != SL_OK)
        goto fail;
    *out = q;
    return SL_OK;

fail:
    if (st == SL_NOMEM)
        sl_error_set(err, SL_NOMEM, "out of memory");
    query_destroy(q);
    return st;
}

sl_status query_push_input(struct sl_query *q, struct sl_error *err)
{
    q->rows_in += q->input->count;
    sl_status st = op_push(q->pipeline.head, q->input, err);
    if (!q->pipeline.exchange) {
        chunk_reset(q->input);
        return st;
    }
    /* The exchange keeps the step's chunks until it drains them: a new one. */
    struct sl_chunk *used = q->input;
    enum sl_type types[used->ncols + 1];
    for (uint32_t i = 0; i < used->ncols; i++)
        types[i] = used->cols[i].type;
    if (st == SL_OK && chunk_create(used->arena, used->ncols, types, &q->input) != SL_OK)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    return st;
}

/* The pushed chunks, through an aggregation's partitions (a no-op without one). */
static sl_status drain_input(struct sl_query *q, struct sl_error *err)
{
    return q->pipeline.exchange ? op_exchange_drain(q->pipeline.exchange, err) : SL_OK;
}

sl_status query_push_chunk(struct sl_query *q, struct sl_chunk *chunk, struct sl_error *err)
{
    q->rows_in += chunk->count;
    return op_push(q->pipeline.head, chunk, err);
}

/* Decodes data[0..n) into chunks on this thread and pushes each one down the pipeline. */
static sl_status decode_seq(struct sl_query *q, const char *data, size_t n, struct sl_error *err)
{
    size_t off = 0;
    while (off < n) {
        size_t consumed = 0;
        sl_status st = decoder_decode(q->decoder, data + off, n - off, &consumed, q->input, err);
        if (st != SL_OK)
            return st;
        off += consumed;
        if (q->input->count == SL_CHUNK_CAP || (consumed == 0 && q->input->count > 0)) {
            if ((st = query_push_input(q, err)) != SL_OK)
                return st;
        } else if (consumed == 0) {
            return sl_error_set(err, SL_ERROR, "decoder made no progress");
        }
    }
    return q->input->count ? query_push_input(q, err) : SL_OK;
}

/* Decodes data[0..n), the bytes just read, and pushes the chunks: on the
 * exchange's threads when they can split them. */
static sl_status decode_and_push(struct sl_query *q, const char *data, size_t n,
                                 struct sl_error *err)
{
    if (!query_split_applies(q, data, n))
        return decode_seq(q, data, n, err);
    return query_split_decode(q, data, n, source_offset(q->source) - n, decode_seq, err);
}

static sl_status finish_input(struct sl_query *q, struct sl_error *err)
{
    sl_status st = decoder_finish(q->decoder, q->input, err);
    if (st == SL_OK && q->input->count)
        st = query_push_input(q, err);
    return st;
}

/* Whether a batch with no input must still flush: processing-time windows
 * close by the clock, and partitions going idle let event-time windows close. */
static bool flush_idle(const struct sl_query *q)
{
    return q->plan->window.kind && (!q->plan->time_expr || q->pipeline.time->nparts);
}

/*
 * A batch that did not commit: roll back and stop the query for good. Its
 * operators may have flushed (evicting closed windows, forgetting which
 * groups changed), so their memory no longer matches the database, but the
 * last committed checkpoint does: a restart continues from it.
 */
static sl_status batch_failed(struct sl_query *q, const struct sl_query_env *env, bool began,
                              sl_status st, struct sl_error *err)
{
    bool full = db_disk_full(env->db);
    if (st == SL_AGAIN) /* a lock stayed taken (at a stop, or through every COMMIT try) */
        st = SL_ERROR;
    if (began)
        db_rollback(env->db);
    q->status = SL_QUERY_FAILED;
    char cause[sizeof err->msg];
    snprintf(cause, sizeof cause, "%s", err->msg);
    long long id = (long long)q->batch_id;
    char last[96];
    if (id)
        snprintf(last, sizeof last, "its last committed batch (%lld)", id);
    else
        snprintf(last, sizeof last, "its start (no batch of it was committed)");
    if (full)
        sl_error_set(err, st, "the disk is full: batch %lld was not committed (%s); free some "
                     "space and run the query again: it continues from %s", id + 1, cause, last);
    else
        sl_error_set(err, st, "batch %lld was not committed (%s); %s is intact: %s", id + 1,
                     cause, last,
                     q->live ? "a live SELECT cannot resume"
                     : source_replayable(q->source)
                         ? "run the query again to continue from there"
                         : "run the query again to continue from there (what its source sent "
                           "since cannot be read again)");
    return st;
}

/*
 * A COMMIT that meets a lock (a reader's, in rollback-journal mode) keeps
 * its transaction open and is tried again: the operators have flushed, so
 * giving up would stop the query.
 */
static sl_status commit_batch(struct sl_query *q, const struct sl_query_env *env,
                              struct sl_error *err)
{
    sl_status st;
    for (int i = 0; (st = db_commit(env->db, err)) == SL_AGAIN && i < COMMIT_BUSY_TRIES; i++)
        if (!i)
            sl_log(q->log, SL_LOG_WARN, "query %s: %s; batch %lld tries again", q->name,
                   err->msg, (long long)q->batch_id + 1);
    return st;
}

/* The query's position in the batch's transaction: its checkpoint row and its log reader's. */
static sl_status record_position(struct sl_query *q, struct sl_error *err)
{
    sl_status st = record_checkpoint(q, err);
    if (st == SL_OK && reads_log(q))
        st = log_reader_commit(q->source, q->db, q->plan->stream->name, q->name, err);
    return st;
}

/* The batch committed: the input's position is the committed one. */
static sl_status input_committed(struct sl_query *q, struct sl_error *err)
{
    (void)err;
    q->committed_offset = checkpoint_offset(q);
    source_committed(q->source);
    return SL_OK;
}

/* The same without a checkpoint (a live SELECT, WITH (checkpoint = false)):
 * the source keeps what it would replay. */
static sl_status input_committed_unchecked(struct sl_query *q, struct sl_error *err)
{
    (void)err;
    q->committed_offset = checkpoint_offset(q);
    return SL_OK;
}

/* Runs fn for the query's input, then for a join's right input swapped in (query_side.h). */
static sl_status each_input(struct sl_query *q,
                            sl_status (*fn)(struct sl_query *, struct sl_error *),
                            struct sl_error *err)
{
    sl_status st = fn(q, err);
    if (st == SL_OK && q->side) {
        query_side_enter(q, QUERY_RIGHT);
        st = fn(q, err);
        query_side_leave(q);
    }
    return st;
}

/*
 * Ends the batch (see query_finish_batch). may_wait: when another
 * connection holds the write lock past the busy timeout, nothing has been
 * written, so the batch is kept for a later step to try again (SL_AGAIN).
 */
static sl_status finish_batch(struct sl_query *q, const struct sl_query_env *env, bool may_wait,
                              struct sl_error *err)
{
    sl_status st = SL_OK;
    if (q->in_batch && (q->had_input || flush_idle(q))) {
        int64_t now = clock_now_us(q->clock);
        struct sl_time_state *time = q->pipeline.time;
        /* Processing-time windows close by the clock at the batch's end. */
        time->now = now;
        st = db_begin(env->db, err);
        if (st == SL_AGAIN && may_wait) {
            if (!q->commit_waiting)
                sl_log(q->log, SL_LOG_WARN, "query %s: %s; batch %lld waits for it", q->name,
                       err->msg, (long long)q->batch_id + 1);
            q->commit_waiting = true;
            arena_reset(env->work);
            return SL_AGAIN;
        }
        bool began = st == SL_OK;
        bool checkpoint = !q->live && !q->plan->no_checkpoint;
        if (st == SL_OK && q->commit_us_pending)
            st = db_progress_set_commit_time(env->db, q->name, q->batch_id, q->last_commit_us,
                                             err);
        if (st == SL_OK && q->pipeline.right_head)
            st = op_flush(q->pipeline.right_head, err);
        if (st == SL_OK)
            st = op_flush(q->pipeline.head, err);
        if (st == SL_OK && q->late_sink)
            st = op_flush(q->late_sink, err);
        /* What the flush changed in the operators' state. Every flush (a
         * processing-time window's without input too) moves a window's
         * state, so each one writes it. */
        int64_t state_started = sl_monotonic_us();
        if (st == SL_OK && checkpoint)
            st = query_state_write(q, err);
        int64_t state_us = sl_monotonic_us() - state_started;
        if (st == SL_OK)
            st = each_input(q, write_dead_letters, err);
        if (st == SL_OK)
            st = query_sinks_write(&q->sinks, env->db, sl_clock_now_us(), err);
        if (st == SL_OK && q->writer)
            st = stream_writer_write(q->writer, env->db, err);
        uint64_t rows_out = op_sink_take_written(q->sink);
        bool recorded = false;
        q->last_batch = (struct sl_batch_summary){
            .rows_in = q->rows_in,
            .rows_out = rows_out,
            .duration_us = clock_now_us(q->clock) - q->batch_started_us,
            /* A top-N's window is its derived table's; a join's watermark is its own. */
            .has_watermark = ((q->plan->window.kind && q->plan->time_expr) ||
                              (q->plan->input && q->plan->input->rank &&
                               q->plan->input->window.kind && q->plan->input->time_expr) ||
                              q->pipeline.join) &&
                             time->watermark != INT64_MIN,
            .watermark_us = time->watermark,
            .late_rows = time->late_rows,
            .dead_letters = q->dead_letters,
        };
        if (st == SL_OK && !q->live && (q->had_input || rows_out || q->batch_gap)) {
            uint64_t groups, bytes;
            op_state_stats(q->pipeline.head, &groups, &bytes);
            struct db_progress p = {
                .query = q->name,
                .batch_id = q->batch_id + 1,
                .rows_in = (int64_t)q->last_batch.rows_in,
                .rows_out = (int64_t)rows_out,
                .started_us = q->batch_started_us,
                .duration_us = q->last_batch.duration_us,
                .late_rows = (int64_t)q->last_batch.late_rows,
                .has_watermark = q->last_batch.has_watermark,
                .watermark_us = q->last_batch.watermark_us,
                .state_groups = (int64_t)groups,
                .state_bytes = (int64_t)bytes,
                .offset = (int64_t)checkpoint_offset(q),
                .dead_letters = (int64_t)q->dead_letters,
                .state_us = state_us,
                .gap = (int64_t)q->batch_gap,
            };
            st = db_progress_record(env->db, &p, err);
            q->last_progress = p;
            recorded = st == SL_OK;
            if (st == SL_OK && checkpoint)
                st = each_input(q, record_position, err);
        }
        time->late_rows = 0;
        int64_t commit_started = sl_monotonic_us();
        if (st == SL_OK)
            st = commit_batch(q, env, err);
        q->last_commit_us = sl_monotonic_us() - commit_started;
        q->commit_us_pending = st == SL_OK && !q->live && (q->had_input || rows_out);
        if (st == SL_OK) {
            q->batch_id++;
            q->progress_unreported = recorded;
            query_sinks_committed(&q->sinks);
            if (q->writer)
                stream_writer_committed(q->writer, time->ended);
            each_input(q, checkpoint ? input_committed : input_committed_unchecked, err);
        } else {
            st = batch_failed(q, env, began, st, err);
        }
    }
    if (st == SL_OK && q->commit_waiting)
        sl_log(q->log, SL_LOG_INFO, "query %s: batch %lld committed after waiting for the lock",
               q->name, (long long)q->batch_id);
    q->commit_waiting = false;
    discard_batch(q);
    q->in_batch = false;
    q->had_input = false;
    arena_reset(env->work);
    return st;
}

sl_status query_finish_batch(struct sl_query *q, const struct sl_query_env *env,
                             struct sl_error *err)
{
    return finish_batch(q, env, false, err);
}

/* Ends the batch from a step: a batch waiting for the lock stays open (and
 * reads no more); a query whose input ended finishes with its last commit. */
static sl_status end_batch(struct sl_query *q, const struct sl_query_env *env, bool *batch_done,
                           struct sl_error *err)
{
    int64_t committed = q->batch_id;
    sl_status st = finish_batch(q, env, true, err);
    if (st == SL_AGAIN)
        return SL_OK;
    if (st != SL_OK)
        return st;
    *batch_done = q->batch_id != committed;
    if (q->pipeline.time->ended)
        q->status = SL_QUERY_FINISHED;
    return SL_OK;
}

static void begin_batch(struct sl_query *q)
{
    q->in_batch = true;
    q->had_input = false;
    q->rows_in = 0;
    q->batch_bytes = 0;
    q->dead_letters = 0;
    q->batch_gap = 0;
    q->batch_started_us = clock_now_us(q->clock);
    /* Rows of a processing-time window arrive at the batch's start. */
    if (q->pipeline.time->now < q->batch_started_us)
        q->pipeline.time->now = q->batch_started_us;
    q->batch_deadline_us = clock_deadline_us(q->clock) + q->trigger_us;
    q->pipeline.time->window_closed = false;
}

bool query_lag_bytes(const struct sl_query *q, uint64_t *lag)
{
    uint64_t end;
    if (!source_size(q->source, &end))
        return false;
    *lag = end > q->committed_offset ? end - q->committed_offset : 0;
    return true;
}

int64_t query_deadline(const struct sl_query *q)
{
    return q->in_batch ? q->batch_deadline_us : clock_deadline_us(q->clock) + q->trigger_us;
}

/* Reads what the source has now, up to one buffer, waiting at most timeout_ms for the first byte. */
static sl_status read_available(struct sl_query *q, char *buf, size_t cap, size_t *n,
                                int timeout_ms, struct sl_error *err)
{
    sl_status rs;
    *n = 0;
    for (;;) {
        size_t got = 0;
        rs = source_read(q->source, buf + *n, cap - *n, &got, timeout_ms, err);
        if (rs != SL_OK)
            return rs;
        *n += got;
        timeout_ms = 0;
        if (*n == cap)
            return SL_OK;
    }
}

/* What the query writes to is full: a sink's outbox, or its stream's log (CREATE
 * STREAM AS). It then reads nothing until there is room (a wait of at most
 * timeout_ms, so the loop goes on); logged once per wait. */
static bool wait_for_outputs(struct sl_query *q, int timeout_ms)
{
    struct sl_sink_runner *full = query_sinks_full(&q->sinks);
    bool log_full = !full && q->writer && stream_writer_full(q->writer, q->db);
    if (full && !q->sinks.waiting_for)
        sl_log(q->log, SL_LOG_WARN,
               "query %s: sink %s has %lld rows or more waiting in its outbox; the query's "
               "batches wait for it",
               q->name, sink_runner_def(full)->name,
               (long long)sink_runner_def(full)->max_outbox_rows);
    else if (!full && q->sinks.waiting_for)
        sl_log(q->log, SL_LOG_INFO, "query %s: sink %s has room again; the query goes on",
               q->name, sink_runner_def(q->sinks.waiting_for)->name);
    if (log_full != q->log_full)
        sl_log(q->log, log_full ? SL_LOG_WARN : SL_LOG_INFO,
               log_full ? "query %s: stream %s's log is over max_log_bytes unread; the query "
                          "waits for its readers"
                        : "query %s: stream %s's log has room again; the query goes on",
               q->name, q->name);
    q->sinks.waiting_for = full;
    q->log_full = log_full;
    if (full || log_full) {
        int ms = timeout_ms < 20 ? timeout_ms : 20;
        struct timespec ts = {0, (long)ms * 1000000L};
        nanosleep(&ts, NULL);
    }
    return full || log_full;
}

/*
 * A record a broken connection cut, on a source this query reads itself (a
 * SOCKET without a log): the source held it back from the decoder, warned,
 * and hands it over once as a dead letter, never joined to the next
 * connection's bytes (a logged stream's ingest does the same: ingest.c).
 */
static sl_status keep_cut_record(struct sl_query *q)
{
    struct sl_buf dropped;
    buf_init(&dropped);
    if (!source_take_dropped(q->source, &dropped)) {
        buf_free(&dropped);
        return SL_OK;
    }
    char reason[200];
    record_cut_reason(reason, sizeof reason, dropped.len);
    if (dropped.failed)
        q->dl_lost = true;
    else
        query_dead_letter(q, dropped.len ? dropped.data : "", dropped.len, checkpoint_offset(q),
                          reason);
    buf_free(&dropped);
    return SL_OK;
}

/*
 * Reads what the query's input has now (waiting at most timeout_ms) and
 * pushes it down the pipeline; at its end, the watermark goes to +infinity.
 * Returns SL_OK or a failure to allocate; *rs is the source's status (an
 * error described in read_err), *n what it read, *st the status of decoding
 * and pushing it (described in err).
 */
static sl_status read_input(struct sl_query *q, const struct sl_query_env *env, int timeout_ms,
                            size_t *n_out, sl_status *rs_out, struct sl_error *read_err,
                            sl_status *st_out, struct sl_error *err)
{
    enum sl_type *types = arena_alloc(env->work, (q->plan->stream->ncols + 1) * sizeof *types);
    if (!types)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    for (uint32_t i = 0; i < q->plan->stream->ncols; i++)
        types[i] = q->plan->stream->cols[i].type;
    if (chunk_create(env->work, q->plan->stream->ncols, types, &q->input) != SL_OK)
        return sl_error_set(err, SL_NOMEM, "out of memory");

    size_t n = 0;
    sl_status rs, st = SL_OK;
    uint64_t limit = q->plan->max_batch_bytes;
    /* Bytes that only lengthen a record still arriving (a long line) end no
     * record: they alone do not make a batch, which would commit rows_in = 0. */
    bool pending_only = false;
    if (source_has_records(q->source)) {
        rs = query_read_records(q, timeout_ms, limit, &n, read_err, &st, err);
    } else {
        struct sl_schema schema = stream_def_format_schema(q->plan->stream);
        bool rows = source_rows_fit(q->source, &schema, &q->plan->stream->format);
        /* Input decoded or made on several threads: a buffer's worth for each. */
        uint32_t lanes = query_split_lanes(q);
        size_t cap = READ_BUFFER_BYTES * (lanes ? lanes : 1);
        if (limit && limit - q->batch_bytes < cap)
            cap = (size_t)(limit - q->batch_bytes);
        if (q->step_cap_bytes && q->step_cap_bytes < cap)
            cap = q->step_cap_bytes;
        if (rows && lanes && source_rows_numbered(q->source)) {
            rs = query_split_read_rows(q, cap, &n, read_err, &st, err);
        } else if (rows) {
            rs = query_read_rows(q, timeout_ms, cap, &n, read_err, &st, err);
        } else {
            char *buf = arena_alloc(env->work, cap);
            if (!buf)
                return sl_error_set(err, SL_NOMEM, "out of memory");
            uint64_t before = checkpoint_offset(q);
            rs = read_available(q, buf, cap, &n, timeout_ms, read_err);
            if (n > 0)
                st = decode_and_push(q, buf, n, err);
            if (st == SL_OK)
                st = keep_cut_record(q);
            pending_only = n > 0 && rs != SL_EOF && checkpoint_offset(q) == before && !q->ndl;
        }
        q->batch_bytes += n;
    }
    if (n > 0 || rs == SL_EOF) {
        q->had_input = q->had_input || !pending_only;
        if (st == SL_OK && rs == SL_EOF)
            st = finish_input(q, err);
        if (st == SL_OK)
            st = drain_input(q, err);
        /* A bounded input is over: the watermark goes to +infinity. */
        if (rs == SL_EOF)
            q->pipeline.time->ended = true;
    }
    *n_out = n;
    *rs_out = rs;
    *st_out = st;
    return SL_OK;
}

/* read_input for one side of a join, its fields swapped in (query_side.h). */
static sl_status read_side(struct sl_query *q, const struct sl_query_env *env,
                           enum query_input_side side, int timeout_ms, size_t *n, sl_status *rs,
                           struct sl_error *read_err, sl_status *st, struct sl_error *err)
{
    query_side_enter(q, side);
    sl_status failed = read_input(q, env, timeout_ms, n, rs, read_err, st, err);
    query_side_leave(q);
    return failed;
}

sl_status query_step(struct sl_query *q, const struct sl_query_env *env, int timeout_ms,
                     bool *batch_done, struct sl_error *err)
{
    *batch_done = false;
    if (q->status != SL_QUERY_RUNNING)
        return SL_OK;
    if (q->commit_waiting)
        return end_batch(q, env, batch_done, err);
    if (!q->in_batch) {
        begin_batch(q);
        /* A lookup join's snapshot of its table is taken as the batch begins. */
        sl_status bs = op_begin_batch(q->pipeline.head, err);
        if (bs != SL_OK) {
            q->in_batch = false;
            return bs;
        }
    }
    if (wait_for_outputs(q, timeout_ms))
        return q->had_input && clock_deadline_us(q->clock) >= q->batch_deadline_us
                   ? end_batch(q, env, batch_done, err)
                   : SL_OK;
    size_t n = 0;
    struct sl_error read_err;
    sl_error_clear(&read_err);
    sl_status rs, st = SL_OK;
    if (!q->side) {
        sl_status failed = read_input(q, env, timeout_ms, &n, &rs, &read_err, &st, err);
        if (failed != SL_OK)
            return failed;
    } else {
        /* A join reads the side that is behind; the other only when that one has nothing now. */
        enum query_input_side side = query_side_pick(q);
        sl_status failed = read_side(q, env, side, timeout_ms, &n, &rs, &read_err, &st, err);
        enum query_input_side other = side == QUERY_LEFT ? QUERY_RIGHT : QUERY_LEFT;
        if (failed == SL_OK && st == SL_OK && n == 0 && rs != SL_EOF && rs != SL_ERROR &&
            !query_side_ended(q, other))
            failed = read_side(q, env, other, 0, &n, &rs, &read_err, &st, err);
        if (failed != SL_OK)
            return failed;
    }
    if (st != SL_OK) {
        discard_batch(q);
        q->in_batch = false;
        arena_reset(env->work);
        return st;
    }
    bool ended = rs == SL_EOF || rs == SL_ERROR;
    /* Rows kept for the commit are bounded: past this, the batch ends early. */
    size_t kept = op_sink_pending_bytes(q->sink) +
                  (q->late_sink ? op_sink_pending_bytes(q->late_sink) : 0);
    bool full = kept > BATCH_ROWS_MAX_BYTES ||
                (q->plan->max_batch_bytes && q->batch_bytes >= q->plan->max_batch_bytes);
    if (ended || full || q->pipeline.time->window_closed ||
        clock_deadline_us(q->clock) >= q->batch_deadline_us) {
        if ((st = end_batch(q, env, batch_done, err)) != SL_OK)
            return st;
    } else {
        /* Nothing in the work arena outlives a step; pushed rows were consumed. */
        arena_reset(env->work);
    }
    if (rs == SL_ERROR) {
        *err = read_err;
        return SL_ERROR;
    }
    return SL_OK;
}

void query_destroy(struct sl_query *q)
{
    if (!q)
        return;
    query_state_close(q);
    query_split_destroy(q->split);
    if (q->pipeline.head)
        planner_destroy(&q->pipeline);
    else if (q->sink)
        op_destroy_chain(q->sink);
    result_table_close(q->table);
    if (q->late_sink)
        op_destroy_chain(q->late_sink);
    result_table_close(q->late_table);
    sl_free(q->late_name);
    query_side_destroy(q);
    decoder_destroy(q->decoder);
    source_close(q->source);
    ingest_release(q->ingests, q->ingest);
    arena_destroy(q->plan_arena);
    arena_destroy(q->dl_arena);
    sl_free(q->dl);
    sl_free(q->records);
    query_sinks_free(&q->sinks);
    stream_writer_close(q->writer);
    sl_free(q->name);
    sl_free(q->sql);
    sl_free(q);
}
