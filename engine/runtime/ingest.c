/* ingest.c — one thread per push stream, reading its source into its log (see ingest.h). */
#include "engine/runtime/ingest.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/alloc.h"
#include "common/buf.h"
#include "common/time.h"
#include "connectors/decoder.h"
#include "engine/runtime/ingest_letters.h"
#include "engine/runtime/log_frame.h"
#include "engine/runtime/record_check.h"
#include "storage/db.h"
#include "storage/stream_log.h"

/* A group commit: whichever comes first. */
#define GROUP_COMMIT_US (5 * SL_US_PER_MS)
#define GROUP_COMMIT_RECORDS 4096
#define GROUP_COMMIT_BYTES ((size_t)1 << 20)
/* How long a read waits when nothing is pending: bounds how late a stop is seen. */
#define IDLE_READ_MS 50
/* How often the log's size is looked at for back-pressure. */
#define LOG_SIZE_CHECK_US (100 * SL_US_PER_MS)
#define READ_BYTES ((size_t)256 << 10)
#define RECORDS_PER_READ 1024
/* The rate shown by SHOW STREAMS is over this window. */
#define RATE_WINDOW_US (2000 * SL_US_PER_MS)

struct sl_ingest {
    struct sl_ingests *all;
    const struct sl_stream_def *def;
    struct sl_db *db; /* the thread's own connection */
    struct sl_source *src;
    pthread_t thread;
    /* A CREATE STREAM AS stream's: no thread, no source; its query appends
     * to the log in its batches and calls ingest_appended. */
    bool passive;
    int refs;

    pthread_mutex_t mu; /* guards what follows; cv: a commit, the end or a failure */
    pthread_cond_t cv;
    bool stop;
    struct ingest_progress progress;
    bool paused;
    uint64_t log_bytes;
    double rows_per_s;
    char source_state[128];

    /* the thread's own */
    struct sl_buf frame;    /* records framed for the next commit */
    struct ingest_letters *letters; /* their dead letters, written with them */
    uint32_t pending;       /* records in frame */
    int64_t pending_since;  /* monotonic time of the first of them */
    struct sl_buf partial;  /* a byte source's last, unfinished line */
    /* A byte source's line past max_record_bytes: dropped up to its newline,
     * its head and size kept for its dead letter. */
    bool long_active;
    uint64_t long_bytes;
    struct sl_buf long_head;
    int64_t size_checked_us;
    bool warned_locked; /* the database's lock was waited for, and said so */
    uint64_t rate_count;
    int64_t rate_since_us;
};

struct sl_ingests {
    char *db_path;
    const struct sl_log *log;
    pthread_mutex_t mu;
    struct sl_ingest **items;
    uint32_t n, cap;
};

sl_status ingests_create(const char *db_path, const struct sl_log *log, struct sl_ingests **out,
                         struct sl_error *err)
{
    struct sl_ingests *all = sl_calloc(1, sizeof *all);
    if (!all || !(all->db_path = sl_strdup(db_path))) {
        sl_free(all);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    all->log = log;
    pthread_mutex_init(&all->mu, NULL);
    *out = all;
    return SL_OK;
}

static void set_failed(struct sl_ingest *in, const char *msg)
{
    pthread_mutex_lock(&in->mu);
    in->progress.failed = true;
    snprintf(in->progress.error, sizeof in->progress.error, "%s", msg);
    pthread_cond_broadcast(&in->cv);
    pthread_mutex_unlock(&in->mu);
}

static bool stop_requested(struct sl_ingest *in)
{
    pthread_mutex_lock(&in->mu);
    bool stop = in->stop;
    pthread_mutex_unlock(&in->mu);
    return stop;
}

/* Once per wait: the source is not read meanwhile, so it pushes back. */
static void warn_locked(struct sl_ingest *in)
{
    if (!in->warned_locked)
        sl_log(in->all->log, SL_LOG_WARN,
               "stream %s: the database is locked by another connection; its log waits",
               in->def->name);
    in->warned_locked = true;
}

/* Appends the pending records to the log in one transaction, then lets the source acknowledge them. */
static sl_status commit_pending(struct sl_ingest *in, struct sl_error *err)
{
    if (!in->pending)
        return SL_OK;
    if (in->frame.failed)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    uint64_t first = in->progress.next; /* only this thread writes next */
    /* Another process holding the write lock past the busy timeout: wait on, unless stopping. */
    sl_status st;
    while ((st = db_begin(in->db, err)) == SL_AGAIN && !stop_requested(in))
        warn_locked(in);
    if (st == SL_OK)
        st = db_log_append(in->db, in->def->name, first, in->pending, in->frame.data,
                           in->frame.len, err);
    if (st == SL_OK)
        st = ingest_letters_write(in->letters, in->db, source_describe(in->src), err);
    while (st == SL_OK && (st = db_commit(in->db, err)) == SL_AGAIN && !stop_requested(in))
        warn_locked(in);
    if (st != SL_OK) {
        db_rollback(in->db);
        return st == SL_AGAIN ? sl_error_set(err, SL_ERROR,
                                             "stopped while the database was locked: %u "
                                             "records read were not kept",
                                             in->pending)
                              : st;
    }
    in->warned_locked = false;
    ingest_letters_clear(in->letters);
    source_committed(in->src);
    pthread_mutex_lock(&in->mu);
    in->progress.next = first + in->pending;
    in->log_bytes += in->frame.len;
    pthread_cond_broadcast(&in->cv);
    pthread_mutex_unlock(&in->mu);
    in->rate_count += in->pending;
    buf_clear(&in->frame);
    in->pending = 0;
    return SL_OK;
}

static void add_record(struct sl_ingest *in, const struct sl_record *r)
{
    if (!in->pending)
        in->pending_since = sl_monotonic_us();
    log_frame_append(&in->frame, r);
    ingest_letters_decode(in->letters, r->value, r->len, in->progress.next + in->pending);
    in->pending++;
}

/* One dead letter of the stream itself (no query read it), committed after
 * what came before it, at the log position it would have taken. */
static sl_status keep_dead_letter(struct sl_ingest *in, const char *record, size_t len,
                                  const char *reason, struct sl_error *err)
{
    sl_status st = commit_pending(in, err);
    /* Each its own: two records cut in a row share the place, and nothing writes one twice. */
    struct db_dead_letter dl = {.stream = in->def->name, .source = source_describe(in->src),
                                .offset = in->progress.next, .record = record, .len = len,
                                .reason = reason, .each_row = true};
    while (st == SL_OK && (st = db_begin(in->db, err)) == SL_AGAIN && !stop_requested(in))
        warn_locked(in);
    if (st == SL_OK && (st = db_dead_letter_record(in->db, &dl, err)) == SL_OK)
        while ((st = db_commit(in->db, err)) == SL_AGAIN && !stop_requested(in))
            warn_locked(in);
    if (st != SL_OK)
        db_rollback(in->db);
    return st == SL_AGAIN ? sl_error_set(err, SL_ERROR, "stopped while the database was locked")
                          : st;
}

static size_t max_record(const struct sl_ingest *in)
{
    size_t max = in->def->format.max_record_bytes;
    return max ? max : SL_MAX_RECORD_BYTES;
}

/* A line grew past max_record_bytes: from now on only its size is counted. */
static void start_long(struct sl_ingest *in, const char *head, size_t len)
{
    in->long_active = true;
    in->long_bytes = len;
    buf_clear(&in->long_head);
    buf_append(&in->long_head, head, len < SL_DEAD_LETTER_BYTES ? len : SL_DEAD_LETTER_BYTES);
    sl_log(in->all->log, SL_LOG_WARN,
           "stream %s: a record longer than max_record_bytes (%zu) is arriving from %s: its "
           "bytes are dropped up to its newline, and it is kept as a dead letter (its first "
           "%zu bytes and its size)",
           in->def->name, max_record(in), source_describe(in->src), SL_DEAD_LETTER_BYTES);
}

static sl_status end_long(struct sl_ingest *in, const char *why, struct sl_error *err)
{
    char reason[200];
    snprintf(reason, sizeof reason, "a record of %llu bytes is longer than max_record_bytes (%zu)%s",
             (unsigned long long)in->long_bytes, max_record(in), why);
    in->long_active = false;
    return keep_dead_letter(in, in->long_head.data, in->long_head.len, reason, err);
}

/*
 * A byte source's bytes: its complete lines become one record; the rest
 * waits for its newline, up to max_record_bytes, past which the line is
 * dropped as it comes (memory stays bounded) and becomes one dead letter.
 */
static sl_status add_bytes(struct sl_ingest *in, const char *data, size_t n, bool at_end,
                           struct sl_error *err)
{
    if (in->long_active) {
        const char *nl = memchr(data, '\n', n);
        if (!nl) {
            in->long_bytes += n;
            return at_end ? end_long(in, ": the input ended before its newline", err) : SL_OK;
        }
        in->long_bytes += (size_t)(nl - data);
        n -= (size_t)(nl + 1 - data);
        data = nl + 1;
        sl_status st = end_long(in, "", err);
        if (st != SL_OK || (!n && !at_end))
            return st;
    }
    if (!in->partial.len && !at_end) {
        /* Nothing waits: frame the lines straight from the read, keep only the tail. */
        size_t cut = n;
        while (cut > 0 && data[cut - 1] != '\n')
            cut--;
        if (cut > 0) {
            struct sl_record r = {.value = data, .len = cut, .timestamp_us = INT64_MIN};
            add_record(in, &r);
        }
        if (n - cut > max_record(in))
            start_long(in, data + cut, n - cut);
        else
            buf_append(&in->partial, data + cut, n - cut);
        return SL_OK;
    }
    buf_append(&in->partial, data, n);
    size_t cut = in->partial.len;
    if (!at_end)
        while (cut > 0 && in->partial.data[cut - 1] != '\n')
            cut--;
    if (cut > 0) {
        struct sl_record r = {.value = in->partial.data, .len = cut, .timestamp_us = INT64_MIN};
        add_record(in, &r);
        memmove(in->partial.data, in->partial.data + cut, in->partial.len - cut);
        in->partial.len -= cut;
    }
    if (in->partial.len > max_record(in)) {
        start_long(in, in->partial.data, in->partial.len);
        buf_clear(&in->partial);
    }
    return SL_OK;
}

/*
 * A record a broken connection cut (source_take_dropped): what the source
 * held of it and what waited here, dropped and kept as one dead letter.
 */
static sl_status keep_dropped(struct sl_ingest *in, struct sl_error *err)
{
    struct sl_buf dropped;
    buf_init(&dropped);
    if (!source_take_dropped(in->src, &dropped)) {
        buf_free(&dropped);
        return SL_OK;
    }
    sl_status st;
    if (in->long_active) {
        in->long_bytes += dropped.len;
        st = end_long(in, ": the connection broke before its newline", err);
    } else {
        if (dropped.len)
            buf_append(&in->partial, dropped.data, dropped.len);
        char reason[160];
        record_cut_reason(reason, sizeof reason, in->partial.len);
        st = in->partial.failed ? sl_error_set(err, SL_NOMEM, "out of memory")
                                : keep_dead_letter(in, in->partial.data, in->partial.len, reason,
                                                   err);
        buf_clear(&in->partial);
    }
    buf_free(&dropped);
    return st;
}

/* Reads what the source has, waiting at most timeout_ms. */
static sl_status read_source(struct sl_ingest *in, char *buf, struct sl_record *recs,
                             int timeout_ms, struct sl_error *err)
{
    size_t n = 0;
    sl_status st;
    if (source_has_records(in->src)) {
        st = source_read_records(in->src, recs, RECORDS_PER_READ, &n, timeout_ms, err);
        for (size_t i = 0; i < n; i++)
            add_record(in, &recs[i]);
    } else {
        st = source_read(in->src, buf, READ_BYTES, &n, timeout_ms, err);
        sl_status added = n || st == SL_EOF ? add_bytes(in, buf, n, st == SL_EOF, err) : SL_OK;
        if (added != SL_OK)
            return added;
    }
    return st;
}

/* Pauses the source while the log holds more than max_log_bytes (looked at now and then). */
static sl_status check_log_size(struct sl_ingest *in, struct sl_error *err)
{
    int64_t now = sl_monotonic_us();
    if (now - in->size_checked_us < LOG_SIZE_CHECK_US)
        return SL_OK;
    in->size_checked_us = now;
    struct db_log_bounds b;
    sl_status st = db_log_bounds(in->db, in->def->name, &b, err);
    if (st != SL_OK)
        return st;
    bool paused = (int64_t)b.bytes > in->def->max_log_bytes;
    pthread_mutex_lock(&in->mu);
    bool was = in->paused;
    in->paused = paused;
    in->log_bytes = b.bytes;
    if (now - in->rate_since_us >= RATE_WINDOW_US) {
        in->rows_per_s = (double)in->rate_count * 1e6 / (double)(now - in->rate_since_us);
        in->rate_count = 0;
        in->rate_since_us = now;
    }
    const char *state = source_state(in->src);
    snprintf(in->source_state, sizeof in->source_state, "%s", state ? state : "");
    pthread_mutex_unlock(&in->mu);
    if (paused != was) {
        source_pause(in->src, paused);
        sl_log(in->all->log, paused ? SL_LOG_WARN : SL_LOG_INFO,
               paused ? "stream %s: its log holds %llu bytes no query has read, over "
                        "max_log_bytes: the source pushes back until queries catch up"
                      : "stream %s: its log is down to %llu bytes: reading again",
               in->def->name, (unsigned long long)b.bytes);
    }
    return SL_OK;
}

static bool is_paused(struct sl_ingest *in)
{
    pthread_mutex_lock(&in->mu);
    bool paused = in->paused;
    pthread_mutex_unlock(&in->mu);
    return paused;
}

/* Waits ms, or less if a stop is asked for (ingest_stop signals cv). */
static void sleep_unless_stopped(struct sl_ingest *in, int ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += (long)ms * 1000000L;
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    pthread_mutex_lock(&in->mu);
    if (!in->stop)
        pthread_cond_timedwait(&in->cv, &in->mu, &until);
    pthread_mutex_unlock(&in->mu);
}

static void *ingest_thread(void *arg)
{
    struct sl_ingest *in = arg;
    char *buf = sl_malloc(READ_BYTES);
    struct sl_record *recs = sl_malloc(RECORDS_PER_READ * sizeof *recs);
    struct sl_error err;
    sl_error_clear(&err);
    sl_status st = buf && recs ? SL_OK : sl_error_set(&err, SL_NOMEM, "out of memory");
    bool ended = false;
    in->rate_since_us = sl_monotonic_us();
    while (st == SL_OK && !ended && !stop_requested(in)) {
        if (is_paused(in)) {
            /* Not reading is the push-back: a socket's sender blocks, and push
             * sources answer their senders themselves (source_pause). */
            sleep_unless_stopped(in, IDLE_READ_MS);
            st = check_log_size(in, &err);
            continue;
        }
        int timeout_ms = IDLE_READ_MS;
        if (in->pending) {
            int64_t left = in->pending_since + GROUP_COMMIT_US - sl_monotonic_us();
            timeout_ms = left > 0 ? (int)(left / SL_US_PER_MS) : 0;
        }
        struct sl_error read_err;
        sl_error_clear(&read_err);
        sl_status rs = read_source(in, buf, recs, timeout_ms, &read_err);
        if (rs == SL_ERROR) {
            /* What was read before the failure is kept; then the stream fails. */
            if ((st = commit_pending(in, &err)) == SL_OK) {
                err = read_err;
                st = SL_ERROR;
            }
            break;
        }
        if ((st = keep_dropped(in, &err)) != SL_OK)
            break;
        ended = rs == SL_EOF;
        bool due = in->pending &&
                   (ended || in->pending >= GROUP_COMMIT_RECORDS ||
                    in->frame.len >= GROUP_COMMIT_BYTES ||
                    sl_monotonic_us() - in->pending_since >= GROUP_COMMIT_US);
        if (due)
            st = commit_pending(in, &err);
        if (st == SL_OK)
            st = check_log_size(in, &err);
    }
    /* Stopping: what the source handed out is committed before it closes, so it can acknowledge. */
    if (st == SL_OK)
        st = commit_pending(in, &err);
    if (st != SL_OK) {
        sl_log(in->all->log, SL_LOG_ERROR, "stream %s: %s", in->def->name, err.msg);
        set_failed(in, err.msg);
    }
    pthread_mutex_lock(&in->mu);
    in->progress.ended = ended;
    pthread_cond_broadcast(&in->cv);
    pthread_mutex_unlock(&in->mu);
    sl_free(buf);
    sl_free(recs);
    return NULL;
}

static void ingest_free(struct sl_ingest *in)
{
    source_close(in->src);
    ingest_letters_destroy(in->letters);
    db_close(in->db);
    buf_free(&in->frame);
    buf_free(&in->partial);
    buf_free(&in->long_head);
    pthread_cond_destroy(&in->cv);
    pthread_mutex_destroy(&in->mu);
    sl_free(in);
}

/* Starts def's ingest: a thread reading its source into the log, or for a CREATE
 * STREAM AS stream (passive) only the place its query's writer moves. */
static sl_status ingest_start(struct sl_ingests *all, const struct sl_stream_def *def,
                              struct sl_ingest **out, struct sl_error *err)
{
    struct sl_ingest *in = sl_calloc(1, sizeof *in);
    if (!in)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    in->all = all;
    in->def = def;
    in->passive = def->derived;
    pthread_mutex_init(&in->mu, NULL);
    pthread_cond_init(&in->cv, NULL);
    buf_init(&in->frame);
    buf_init(&in->partial);
    buf_init(&in->long_head);
    struct db_log_bounds b;
    sl_status st;
    if ((st = db_open(all->db_path, all->log, &in->db, err)) != SL_OK ||
        (st = db_log_bounds(in->db, def->name, &b, err)) != SL_OK ||
        (!in->passive && (st = source_open(&def->source, &in->src, err)) != SL_OK) ||
        (!in->passive && (st = ingest_letters_create(def, &in->letters, err)) != SL_OK)) {
        ingest_free(in);
        return st;
    }
    in->progress.next = in->progress.run_start = b.next;
    in->log_bytes = b.bytes;
    in->refs = 1;
    if (in->passive) {
        db_close(in->db); /* the writer appends on its query's connection */
        in->db = NULL;
        snprintf(in->source_state, sizeof in->source_state, "written by query %s", def->name);
        *out = in;
        return SL_OK;
    }
    source_set_log(in->src, all->log);
    source_set_record_check(in->src, record_check, (void *)def);
    if (pthread_create(&in->thread, NULL, ingest_thread, in) != 0) {
        ingest_free(in);
        return sl_error_set(err, SL_ERROR, "cannot start the ingest thread of stream %s",
                            def->name);
    }
    *out = in;
    return SL_OK;
}

bool ingest_keeps_dead_letters(const struct sl_ingest *in)
{
    return !in->passive;
}

void ingest_appended(struct sl_ingest *in, uint64_t next, uint64_t bytes, bool ended)
{
    pthread_mutex_lock(&in->mu);
    in->log_bytes += bytes;
    if (next > in->progress.next)
        in->progress.next = next;
    in->progress.ended = in->progress.ended || ended;
    pthread_cond_broadcast(&in->cv);
    pthread_mutex_unlock(&in->mu);
}

static int find_index(const struct sl_ingests *all, const char *stream)
{
    for (uint32_t i = 0; i < all->n; i++)
        if (strcasecmp(all->items[i]->def->name, stream) == 0)
            return (int)i;
    return -1;
}

sl_status ingest_acquire(struct sl_ingests *all, const struct sl_stream_def *def,
                         struct sl_ingest **out, struct sl_error *err)
{
    pthread_mutex_lock(&all->mu);
    sl_status st = SL_OK;
    int i = find_index(all, def->name);
    if (i >= 0) {
        all->items[i]->refs++;
        *out = all->items[i];
    } else if (all->n == all->cap) {
        uint32_t cap = all->cap ? all->cap * 2 : 4;
        struct sl_ingest **items = sl_realloc(all->items, cap * sizeof *items);
        if (!items)
            st = sl_error_set(err, SL_NOMEM, "out of memory");
        else {
            all->items = items;
            all->cap = cap;
        }
    }
    if (st == SL_OK && i < 0 && (st = ingest_start(all, def, out, err)) == SL_OK)
        all->items[all->n++] = *out;
    pthread_mutex_unlock(&all->mu);
    return st;
}

static void ingest_stop(struct sl_ingest *in)
{
    pthread_mutex_lock(&in->mu);
    in->stop = true;
    pthread_cond_broadcast(&in->cv);
    pthread_mutex_unlock(&in->mu);
    if (!in->passive)
        pthread_join(in->thread, NULL);
    ingest_free(in);
}

void ingest_release(struct sl_ingests *all, struct sl_ingest *in)
{
    if (!in)
        return;
    pthread_mutex_lock(&all->mu);
    bool last = --in->refs == 0;
    if (last) {
        int i = find_index(all, in->def->name);
        all->items[i] = all->items[--all->n];
    }
    pthread_mutex_unlock(&all->mu);
    if (last)
        ingest_stop(in);
}

void ingests_destroy(struct sl_ingests *all)
{
    if (!all)
        return;
    for (uint32_t i = 0; i < all->n; i++)
        ingest_stop(all->items[i]);
    pthread_mutex_destroy(&all->mu);
    sl_free(all->items);
    sl_free(all->db_path);
    sl_free(all);
}

void ingest_wait(struct sl_ingest *in, uint64_t pos, int timeout_ms, struct ingest_progress *out)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&in->mu);
    while (timeout_ms > 0 && in->progress.next <= pos && !in->progress.ended &&
           !in->progress.failed && pthread_cond_timedwait(&in->cv, &in->mu, &until) == 0)
        ;
    *out = in->progress;
    pthread_mutex_unlock(&in->mu);
}

bool ingests_describe(struct sl_ingests *all, const char *stream, struct ingest_info *out)
{
    pthread_mutex_lock(&all->mu);
    int i = find_index(all, stream);
    if (i >= 0) {
        struct sl_ingest *in = all->items[i];
        pthread_mutex_lock(&in->mu);
        const char *what = in->progress.failed ? "failed: "
                           : in->progress.ended ? "ended"
                           : in->paused         ? "paused: the log is over max_log_bytes"
                                                : "";
        snprintf(out->state, sizeof out->state, "%s%.120s%s%.60s", what,
                 in->progress.failed ? in->progress.error : "",
                 *what && in->source_state[0] ? "; " : "", in->source_state);
        out->rows_per_s = in->rows_per_s;
        out->log_bytes = in->log_bytes;
        pthread_mutex_unlock(&in->mu);
    }
    pthread_mutex_unlock(&all->mu);
    return i >= 0;
}
