/*
 * sink_runner.c — a sink's delivery thread (see sink_runner.h): read the
 * oldest batch of the outbox, deliver it, mark it delivered; back off and try
 * again on failure; roll by the connector's idle() while nothing waits.
 */
#include "engine/runtime/sink_runner.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "common/alloc.h"
#include "common/arena.h"
#include "common/time.h"
#include "connectors/retry.h"
#include "connectors/row_encode.h"
#include "engine/values/row_codec.h"
#include "storage/db.h"
#include "storage/outbox.h"

/* How long the thread sleeps with nothing to deliver before calling the sink's idle(). */
#define IDLE_WAIT_US (200 * SL_US_PER_MS)

struct sl_sink_runner {
    struct sl_sink_def *def;
    struct sl_sink_spec spec;
    const char **names; /* the spec's, owned */
    enum sl_type *types;
    const struct sl_log *log;
    struct sl_db *db; /* the thread's own connection */
    struct sl_sink *sink;
    struct sl_retry retry;
    struct sl_arena *arena; /* a batch's decoded rows */
    struct sl_buf data;     /* a batch's parts as read from the outbox */

    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv; /* a batch committed, a batch delivered, stop */
    bool stop;
    int64_t next_batch; /* written by the query's thread (under mu), read by both */
    uint64_t waiting_rows, waiting_batches;
    struct sink_runner_info info; /* under mu */
};

const struct sl_sink_def *sink_runner_def(const struct sl_sink_runner *r)
{
    return r->def;
}

bool sink_runner_fits(const struct sl_sink_runner *r, const struct sl_plan *plan)
{
    if (r->spec.ncols != plan->nout)
        return false;
    for (uint32_t i = 0; i < plan->nout; i++)
        if (r->types[i] != plan->out_types[i] || strcasecmp(r->names[i], plan->out_names[i]) != 0)
            return false;
    return true;
}

int64_t sink_runner_next_batch(const struct sl_sink_runner *r)
{
    return r->next_batch;
}

void sink_runner_committed(struct sl_sink_runner *r, int64_t batch_id, uint64_t rows)
{
    pthread_mutex_lock(&r->mu);
    r->next_batch = batch_id + 1;
    r->waiting_rows += rows;
    r->waiting_batches++;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

bool sink_runner_full(struct sl_sink_runner *r)
{
    pthread_mutex_lock(&r->mu);
    bool full = r->waiting_rows >= (uint64_t)r->def->max_outbox_rows;
    pthread_mutex_unlock(&r->mu);
    return full;
}

void sink_runner_describe(struct sl_sink_runner *r, struct sink_runner_info *out)
{
    pthread_mutex_lock(&r->mu);
    *out = r->info;
    out->waiting_rows = r->waiting_rows;
    out->waiting_batches = r->waiting_batches;
    pthread_mutex_unlock(&r->mu);
}

static void set_state(struct sl_sink_runner *r, const char *state)
{
    pthread_mutex_lock(&r->mu);
    snprintf(r->info.state, sizeof r->info.state, "%s", state);
    pthread_mutex_unlock(&r->mu);
}

/* Sleeps up to us, or until woken (a commit) or stopped; false once stopping. */
static bool wait_for(struct sl_sink_runner *r, int64_t us, bool wake_on_commit)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    int64_t ns = until.tv_nsec + (us % SL_US_PER_SEC) * 1000;
    until.tv_sec += (time_t)(us / SL_US_PER_SEC + ns / 1000000000);
    until.tv_nsec = ns % 1000000000;
    pthread_mutex_lock(&r->mu);
    uint64_t batches = r->waiting_batches;
    while (!r->stop && !(wake_on_commit && r->waiting_batches != batches) &&
           pthread_cond_timedwait(&r->cv, &r->mu, &until) == 0)
        ;
    bool go_on = !r->stop;
    pthread_mutex_unlock(&r->mu);
    return go_on;
}

/* A failed delivery (or open): the state says why and when it is tried again. */
static bool failed(struct sl_sink_runner *r, sl_status st, const struct sl_error *err)
{
    int64_t wait_us = r->retry.max_us;
    if (st != SL_ERROR)
        retry_failed(&r->retry, &wait_us);
    else
        r->retry.failures++;
    char when[48], state[sizeof r->info.state];
    sl_duration_format(wait_us, when);
    snprintf(state, sizeof state, "%s (tried again in %s): %.200s",
             st == SL_ERROR ? "failed" : "retrying", when, err->msg);
    pthread_mutex_lock(&r->mu);
    bool news = strcmp(r->info.last_error, err->msg) != 0;
    r->info.failed = st == SL_ERROR;
    snprintf(r->info.state, sizeof r->info.state, "%s", state);
    snprintf(r->info.last_error, sizeof r->info.last_error, "%s", err->msg);
    pthread_mutex_unlock(&r->mu);
    /* Once per outage, or when the reason changes: not on every retry. */
    if (r->retry.failures == 1 || news)
        sl_log(r->log, st == SL_ERROR ? SL_LOG_ERROR : SL_LOG_WARN,
               "sink %s: %s; its rows wait in the outbox and delivery is tried again",
               r->def->name, err->msg);
    return wait_for(r, wait_us, false);
}

static void recovered(struct sl_sink_runner *r)
{
    pthread_mutex_lock(&r->mu);
    r->info.failed = false;
    pthread_mutex_unlock(&r->mu);
    if (r->retry.failures)
        sl_log(r->log, SL_LOG_INFO, "sink %s: delivering again after %lld failed tries",
               r->def->name, (long long)r->retry.failures);
    retry_succeeded(&r->retry);
}

/* The rows a delivery's target refused for good, and why: written as the
 * sink's dead letters in the transaction that marks the batch delivered. */
struct rejects {
    uint32_t n, cap;
    uint32_t *rows;
    struct sl_buf reasons; /* n NUL-terminated reasons */
    bool lost;             /* out of memory keeping one */
};

static void reject_row(void *ctx, uint32_t row, const char *reason)
{
    struct rejects *rj = ctx;
    if (rj->n == rj->cap) {
        uint32_t cap = rj->cap ? rj->cap * 2 : 16;
        uint32_t *rows = sl_realloc(rj->rows, cap * sizeof *rows);
        if (!rows) {
            rj->lost = true;
            return;
        }
        rj->rows = rows;
        rj->cap = cap;
    }
    rj->rows[rj->n++] = row;
    buf_append(&rj->reasons, reason, strlen(reason) + 1);
}

static sl_status write_rejects(struct sl_sink_runner *r, const struct sl_sink_batch *b,
                               const struct rejects *rj, struct sl_error *err)
{
    if (rj->lost || rj->reasons.failed)
        return sl_error_set(err, SL_NOMEM, "out of memory keeping the rows a target refused");
    char source[300];
    snprintf(source, sizeof source, "sink %s", r->def->name);
    struct sl_buf json;
    buf_init(&json);
    sl_status st = SL_OK;
    const char *reason = rj->reasons.data;
    for (uint32_t i = 0; st == SL_OK && i < rj->n; i++, reason += strlen(reason) + 1) {
        if (rj->rows[i] >= b->nrows)
            continue;
        buf_clear(&json);
        row_encode_json(&json, &r->spec, b, rj->rows[i], r->spec.changelog);
        struct db_dead_letter dl = {.stream = r->def->from,
                                    .query = r->def->name,
                                    .source = source,
                                    .offset = (uint64_t)b->batch_id,
                                    .record = json.data ? json.data : "",
                                    .len = json.len,
                                    .reason = reason,
                                    .each_row = true};
        st = db_dead_letter_record(r->db, &dl, err);
    }
    buf_free(&json);
    return st;
}

/* The outbox parts ([u32 rows][u32 len][bytes] each) as one batch of decoded rows. */
static sl_status decode_batch(struct sl_sink_runner *r, struct sl_sink_batch *b,
                              struct sl_error *err)
{
    arena_reset(r->arena);
    uint32_t ncols = r->spec.ncols;
    uint64_t total = 0;
    const char *p = r->data.data, *end = p + r->data.len;
    for (const char *q = p; q + 8 <= end;) {
        uint32_t rows, len;
        memcpy(&rows, q, 4);
        memcpy(&len, q + 4, 4);
        total += rows;
        q += 8 + (size_t)len;
    }
    struct sl_value *values = arena_alloc(r->arena, (total * ncols + 1) * sizeof *values);
    uint8_t *kinds = arena_alloc(r->arena, total + 1);
    if (!values || !kinds)
        return sl_error_set(err, SL_NOMEM, "out of memory decoding batch %lld",
                            (long long)b->batch_id);
    uint64_t at = 0;
    while (p + 8 <= end) {
        uint32_t rows, len;
        memcpy(&rows, p, 4);
        memcpy(&len, p + 4, 4);
        p += 8;
        if ((size_t)(end - p) < len ||
            !row_codec_decode(p, len, rows, ncols, values + at * ncols, kinds + at, r->arena))
            return sl_error_set(err, SL_ERROR,
                                "batch %lld in the outbox is not rows of this sink's %u columns "
                                "(the query changed its columns?): DROP SINK and create it again",
                                (long long)b->batch_id, ncols);
        p += len;
        at += rows;
    }
    b->nrows = (uint32_t)total;
    b->values = values;
    b->kinds = kinds;
    return SL_OK;
}

/* Deletes the delivered batch from the outbox, with the sink's progress and
 * dead letters, in one transaction; the database busy: try again, unless stopping. */
static sl_status mark_delivered(struct sl_sink_runner *r, const struct sl_sink_batch *b,
                                const struct sl_sink_ack *ack, const struct rejects *rj,
                                struct sl_error *err)
{
    sl_status st;
    while ((st = db_begin(r->db, err)) == SL_AGAIN)
        if (!wait_for(r, 10 * SL_US_PER_MS, false))
            return st;
    if (st == SL_OK)
        st = write_rejects(r, b, rj, err);
    if (st == SL_OK)
        st = db_outbox_delivered(r->db, r->def->name, b->batch_id, b->nrows, rj->n,
                                 ack->state.len ? ack->state.data : NULL, ack->state.len, err);
    while (st == SL_OK && (st = db_commit(r->db, err)) == SL_AGAIN)
        if (!wait_for(r, 10 * SL_US_PER_MS, false))
            break;
    if (st != SL_OK)
        db_rollback(r->db);
    return st;
}

/* One batch: read, deliver, mark. SL_EOF when none waits. */
static sl_status deliver_next(struct sl_sink_runner *r, struct sl_error *err)
{
    struct sl_sink_batch b = {0};
    bool found;
    sl_status st = db_outbox_next(r->db, r->def->name, &b.batch_id, &b.committed_us, &r->data,
                                  &found, err);
    if (st != SL_OK || !found)
        return st != SL_OK ? st : SL_EOF;
    /* A batch committed but not yet counted by sink_runner_committed waits for it: delivered
     * first, the count would go up after it came down and a drain would wait forever. */
    pthread_mutex_lock(&r->mu);
    bool counted = b.batch_id < r->next_batch;
    pthread_mutex_unlock(&r->mu);
    if (!counted)
        return SL_EOF;
    if ((st = decode_batch(r, &b, err)) != SL_OK)
        return st;
    set_state(r, "delivering");
    struct rejects rj = {0};
    buf_init(&rj.reasons);
    struct sl_sink_ack ack = {.reject = reject_row, .ctx = &rj};
    buf_init(&ack.state);
    st = sink_deliver(r->sink, &b, &ack, err);
    if (st == SL_OK)
        st = mark_delivered(r, &b, &ack, &rj, err);
    uint32_t rejected = rj.n;
    buf_free(&ack.state);
    buf_free(&rj.reasons);
    sl_free(rj.rows);
    if (st != SL_OK)
        return st;
    pthread_mutex_lock(&r->mu);
    r->waiting_rows -= b.nrows <= r->waiting_rows ? b.nrows : r->waiting_rows;
    r->waiting_batches -= r->waiting_batches > 0;
    r->info.delivered_batch = b.batch_id;
    r->info.delivered_rows += b.nrows - rejected;
    r->info.rejected_rows += rejected;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    return SL_OK;
}

static sl_status open_sink(struct sl_sink_runner *r, struct sl_error *err)
{
    struct db_sink_progress p;
    struct sl_buf state;
    buf_init(&state);
    bool found;
    sl_status st = db_sink_progress_get(r->db, r->def->name, &p, &state, &found, err);
    if (st == SL_OK)
        st = r->def->connector->open(&r->spec, state.data ? state.data : "", state.len, &r->sink,
                                     err);
    buf_free(&state);
    return st;
}

static void *runner_thread(void *arg)
{
    struct sl_sink_runner *r = arg;
    struct sl_error err;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        bool stop = r->stop;
        pthread_mutex_unlock(&r->mu);
        if (stop)
            break;
        sl_error_clear(&err);
        sl_status st = r->sink ? deliver_next(r, &err) : open_sink(r, &err);
        if (st == SL_OK) {
            recovered(r);
            continue;
        }
        if (st == SL_EOF) {
            recovered(r);
            set_state(r, "idle");
            if (!wait_for(r, IDLE_WAIT_US, true))
                break;
            if ((st = sink_idle(r->sink, sl_clock_now_us(), &err)) == SL_OK)
                continue;
        }
        if (!failed(r, st, &err))
            break;
    }
    return NULL;
}

static void runner_free(struct sl_sink_runner *r)
{
    sink_close(r->sink);
    db_close(r->db);
    arena_destroy(r->arena);
    buf_free(&r->data);
    for (uint32_t i = 0; r->names && i < r->spec.ncols; i++)
        sl_free((char *)r->names[i]);
    sl_free(r->names);
    sl_free(r->types);
    sink_def_free(r->def);
    pthread_cond_destroy(&r->cv);
    pthread_mutex_destroy(&r->mu);
    sl_free(r);
}

/* The spec the connector sees: the rows' columns and key, the definition's target and options. */
static sl_status build_spec(struct sl_sink_runner *r, const struct sl_plan *plan,
                            struct sl_error *err)
{
    struct sl_sink_def *def = r->def;
    struct sl_sink_spec *spec = &r->spec;
    r->names = sl_calloc(plan->nout + 1, sizeof *r->names);
    r->types = sl_calloc(plan->nout + 1, sizeof *r->types);
    if (!r->names || !r->types)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    spec->connector = def->connector;
    spec->name = def->name;
    spec->address = def->address;
    spec->target = def->target;
    spec->format = def->format;
    spec->names = r->names;
    spec->types = r->types;
    memcpy(spec->options, def->options, sizeof spec->options);
    for (uint32_t i = 0; i < plan->nout; i++, spec->ncols++) {
        /* The query (and its plan) may go before the sink: the names are copied. */
        if (!(r->names[i] = sl_strdup(plan->out_names[i])))
            return sl_error_set(err, SL_NOMEM, "out of memory");
        r->types[i] = plan->out_types[i];
        if (!def->nkey && plan->out_is_key[i] && spec->nkey < SL_SINK_MAX_KEY)
            spec->key[spec->nkey++] = i;
    }
    /* A top-N's rows change too (issue 16): a row leaving the top N is a DELETE,
     * except when each window's top is written once (EMIT FINAL). */
    spec->changelog = plan->aggregate ? !plan->emit_final
                                      : plan_changelog(plan) && !plan->input->rank->final;
    for (uint32_t k = 0; k < def->nkey; k++) {
        uint32_t i = 0;
        while (i < plan->nout && strcasecmp(plan->out_names[i], def->key[k]) != 0)
            i++;
        if (i == plan->nout)
            return sl_error_set(err, SL_ERROR, "KEY column \"%s\" is not a column of %s",
                                def->key[k], def->from);
        spec->key[spec->nkey++] = i;
    }
    return SL_OK;
}

sl_status sink_runner_start(struct sl_sink_def *def, const struct sl_plan *plan,
                            const char *db_path, const struct sl_log *log,
                            struct sl_sink_runner **out, struct sl_error *err)
{
    struct sl_sink_runner *r = sl_calloc(1, sizeof *r);
    if (!r) {
        sink_def_free(def);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    r->def = def;
    r->log = log;
    pthread_mutex_init(&r->mu, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&r->cv, &attr);
    pthread_condattr_destroy(&attr);
    buf_init(&r->data);
    retry_init_values(&r->retry, def->retry_initial_us, def->retry_max_us, 0);
    snprintf(r->info.state, sizeof r->info.state, "starting");
    struct db_sink_progress p;
    struct sl_buf state;
    buf_init(&state);
    bool found;
    sl_status st = build_spec(r, plan, err);
    if (st == SL_OK && !(r->arena = arena_create(1 << 20)))
        st = sl_error_set(err, SL_NOMEM, "out of memory");
    if (st == SL_OK)
        st = db_open(db_path, log, &r->db, err);
    if (st == SL_OK)
        st = db_sink_progress_get(r->db, def->name, &p, &state, &found, err);
    int64_t last_waiting = 0;
    if (st == SL_OK)
        st = db_outbox_count(r->db, def->name, &r->waiting_batches, &r->waiting_rows,
                             &last_waiting, err);
    buf_free(&state);
    if (st == SL_OK) {
        /* The next id follows the last delivered and the last waiting. A sink new to
         * this database starts at the clock's microseconds: a sink of the name that
         * wrote to the same target from another database (or one deleted) used smaller
         * ids, so (sink, batch id) never names other rows there either. */
        int64_t last = found ? p.batch_id : 0;
        r->next_batch = (last > last_waiting ? last : last_waiting) + 1;
        if (!found && !last_waiting)
            r->next_batch = sl_clock_now_us();
        r->info.delivered_batch = last;
        r->info.delivered_rows = found ? p.rows - p.rejected : 0;
        r->info.rejected_rows = found ? p.rejected : 0;
    }
    if (st == SL_OK && pthread_create(&r->thread, NULL, runner_thread, r) != 0)
        st = sl_error_set(err, SL_ERROR, "cannot start the delivery thread of sink %s",
                          def->name);
    if (st != SL_OK) {
        runner_free(r);
        return st;
    }
    *out = r;
    return SL_OK;
}

uint64_t sink_runner_drain(struct sl_sink_runner *r, int64_t timeout_us)
{
    int64_t until = sl_monotonic_us() + timeout_us;
    pthread_mutex_lock(&r->mu);
    while (r->waiting_batches > 0 && !r->stop) {
        int64_t left = until - sl_monotonic_us();
        if (left <= 0)
            break;
        pthread_mutex_unlock(&r->mu);
        wait_for(r, left < 50 * SL_US_PER_MS ? left : 50 * SL_US_PER_MS, true);
        pthread_mutex_lock(&r->mu);
    }
    uint64_t rows = r->waiting_rows;
    pthread_mutex_unlock(&r->mu);
    return rows;
}

void sink_runner_stop(struct sl_sink_runner *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->mu);
    r->stop = true;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->thread, NULL);
    runner_free(r);
}
