/*
 * source_generator.c — GENERATOR: rows from a sequence, for demos and tests.
 * Row n (from 0) is the CSV record "n,ts" where ts = start + n / rate seconds,
 * or start + n microseconds when rate = 0 (as fast as possible): the rows are
 * a function of their number, so the source replays from any offset. Each
 * record has a fixed width (n right-aligned in 19 characters, which CSV
 * trims), so byte offset o is row o / 47: a checkpoint's offset is the rows
 * handed out times 47. start defaults to the wall-clock time of the first
 * open; the checkpoint's identity keeps it, so a resumed query goes on with
 * the same times. With rate > 0, row n is handed out no earlier than n / rate
 * seconds after the reading started (or resumed). A query reading the
 * records as CSV into (n BIGINT, ts TIMESTAMP) takes them as rows instead
 * (source_read_rows): the same values, no text written and parsed again.
 */
#include "connectors/source_impl.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/alloc.h"
#include "common/time.h"

enum { GENERATOR_ROWS, GENERATOR_RATE, GENERATOR_START };

#define GENERATOR_UNBOUNDED (-1)
/* "%19" PRId64 "," then the 26-character timestamp and '\n'. */
#define GENERATOR_RECORD 47

struct source_generator {
    struct sl_source base;
    int64_t rows;  /* GENERATOR_UNBOUNDED: never ends */
    int64_t rate;  /* rows per second; 0: as fast as possible */
    int64_t start; /* ts of row 0, microseconds */
    bool start_given;
    uint64_t pos;  /* the next byte to hand out */
    /* Pacing: row paced_row was due at paced_us (monotonic). */
    int64_t paced_row;
    int64_t paced_us;
};

static int64_t generator_ts(const struct source_generator *g, int64_t n)
{
    if (g->rate == 0)
        return g->start + n;
    return g->start + n / g->rate * SL_US_PER_SEC + n % g->rate * SL_US_PER_SEC / g->rate;
}

/* Rows that may be handed out now (all of them when unpaced); -1 when none is due yet,
 * with *wait_us until the next one is. */
static int64_t generator_due(const struct source_generator *g, int64_t next, int64_t *wait_us)
{
    if (g->rate == 0)
        return INT64_MAX;
    int64_t elapsed = sl_monotonic_us() - g->paced_us;
    int64_t due = g->paced_row + elapsed / SL_US_PER_SEC * g->rate +
                  elapsed % SL_US_PER_SEC * g->rate / SL_US_PER_SEC + 1;
    if (due > next)
        return due;
    int64_t behind = next - g->paced_row;
    *wait_us = behind / g->rate * SL_US_PER_SEC + behind % g->rate * SL_US_PER_SEC / g->rate -
               elapsed;
    return -1;
}

static void generator_sleep(int64_t us)
{
    struct timespec ts = {.tv_sec = us / SL_US_PER_SEC,
                          .tv_nsec = (long)(us % SL_US_PER_SEC) * 1000};
    nanosleep(&ts, NULL);
}

/* The rows from `row` that may be handed out now: up to *due (SL_OK); SL_AGAIN when none is due
 * within timeout_ms (waited out); SL_EOF past the last row. */
static sl_status generator_wait(const struct source_generator *g, int64_t row, int timeout_ms,
                                int64_t *due)
{
    if (g->rows != GENERATOR_UNBOUNDED && row >= g->rows)
        return SL_EOF;
    int64_t wait_us = 0;
    *due = generator_due(g, row, &wait_us);
    if (*due < 0) {
        int64_t limit = (int64_t)timeout_ms * SL_US_PER_MS;
        generator_sleep(wait_us < limit ? wait_us : limit);
        if (wait_us > limit || (*due = generator_due(g, row, &wait_us)) < 0)
            return SL_AGAIN;
    }
    if (g->rows != GENERATOR_UNBOUNDED && *due > g->rows)
        *due = g->rows;
    return SL_OK;
}

static sl_status source_generator_read(struct sl_source *s, char *buf, size_t cap, size_t *n,
                                       int timeout_ms, struct sl_error *err)
{
    (void)err;
    struct source_generator *g = (struct source_generator *)s;
    int64_t row = (int64_t)(g->pos / GENERATOR_RECORD), due;
    sl_status st = generator_wait(g, row, timeout_ms, &due);
    if (st != SL_OK)
        return st;
    size_t written = 0;
    /* Room for snprintf's worst case; a record written is GENERATOR_RECORD bytes. */
    char record[64], ts[32];
    while (written < cap && row < due) {
        sl_ts_format(generator_ts(g, row), ts);
        snprintf(record, sizeof record, "%19" PRId64 ",%s\n", row, ts);
        size_t skip = (size_t)(g->pos % GENERATOR_RECORD);
        size_t take = GENERATOR_RECORD - skip;
        if (take > cap - written)
            take = cap - written;
        memcpy(buf + written, record + skip, take);
        written += take;
        g->pos += take;
        row = (int64_t)(g->pos / GENERATOR_RECORD);
    }
    *n = written;
    return SL_OK;
}

/* Read as rows, the stream declares (n BIGINT, ts TIMESTAMP) and reads the records as plain CSV. */
static bool source_generator_rows_fit(const struct sl_source *s, const struct sl_schema *schema,
                                      const struct sl_format_spec *format)
{
    (void)s;
    return format->kind == SL_FORMAT_CSV && !format->header && format->delimiter == ',' &&
           !format->null_marker && !format->csv_libcsv_only &&
           (!format->max_record_bytes || format->max_record_bytes >= GENERATOR_RECORD) &&
           schema->ncols == 2 && schema->cols[0].type == SL_INT &&
           schema->cols[1].type == SL_TIMESTAMP;
}

static sl_status source_generator_read_rows(struct sl_source *s, struct sl_chunk *out, size_t cap,
                                            size_t *n, int timeout_ms, struct sl_error *err)
{
    struct source_generator *g = (struct source_generator *)s;
    if (g->pos % GENERATOR_RECORD)
        return sl_error_set(err, SL_ERROR,
                            "%s cannot hand out rows from byte %llu, inside a record of %d bytes",
                            s->description, (unsigned long long)g->pos, GENERATOR_RECORD);
    int64_t row = (int64_t)(g->pos / GENERATOR_RECORD), due;
    sl_status st = generator_wait(g, row, timeout_ms, &due);
    if (st != SL_OK)
        return st;
    int64_t count = (int64_t)(cap / GENERATOR_RECORD);
    if (count < 1)
        count = 1;
    if (count > due - row)
        count = due - row;
    if (count > SL_CHUNK_CAP - out->count)
        count = SL_CHUNK_CAP - out->count;
    for (int64_t i = 0; i < count; i++) {
        int64_t ts = generator_ts(g, row + i);
        /* As text, such a row would be a dead letter; as a row it cannot be one. Times only
         * grow: the rows before it go out, the next call fails on it. */
        if (ts < SL_TS_MIN_US || ts > SL_TS_MAX_US) {
            if (i > 0)
                break;
            return sl_error_set(err, SL_ERROR, "%s's row %lld has a time past year 9999",
                                s->description, (long long)(row + i));
        }
        out->cols[0].data.i[out->count] = row + i;
        out->cols[1].data.i[out->count++] = ts;
        *n += GENERATOR_RECORD;
        g->pos += GENERATOR_RECORD;
    }
    return SL_OK;
}

static void source_generator_close(struct sl_source *s)
{
    sl_free(s);
}

/* What a checkpoint keeps: the times and pace the rows were made with. */
static sl_status source_generator_identity(const struct sl_source *s, uint64_t offset,
                                           struct sl_buf *out, struct sl_error *err)
{
    (void)offset;
    const struct source_generator *g = (const struct source_generator *)s;
    buf_printf(out, "start=%" PRId64 " rate=%" PRId64, g->start, g->rate);
    return out->failed ? sl_error_set(err, SL_NOMEM, "out of memory") : SL_OK;
}

static sl_status source_generator_seek(struct sl_source *s, uint64_t offset,
                                       const char *identity, struct sl_error *err)
{
    struct source_generator *g = (struct source_generator *)s;
    int64_t start, rate;
    if (sscanf(identity, "start=%" SCNd64 " rate=%" SCNd64, &start, &rate) != 2)
        return sl_error_set(err, SL_ERROR, "the checkpoint of %s does not say how it generated",
                            s->description);
    if (rate != g->rate || (g->start_given && start != g->start))
        return sl_error_set(err, SL_ERROR,
                            "%s generated its checkpointed rows with another rate or start",
                            s->description);
    g->start = start;
    g->pos = offset;
    g->paced_row = (int64_t)(offset / GENERATOR_RECORD);
    g->paced_us = sl_monotonic_us();
    return SL_OK;
}

static bool source_generator_size(const struct sl_source *s, uint64_t *size)
{
    const struct source_generator *g = (const struct source_generator *)s;
    if (g->rows == GENERATOR_UNBOUNDED)
        return false;
    *size = (uint64_t)g->rows * GENERATOR_RECORD;
    return true;
}

static const struct sl_source_ops source_generator_ops = {
    .read = source_generator_read,
    .close = source_generator_close,
    .identity = source_generator_identity,
    .seek = source_generator_seek,
    .size = source_generator_size,
    .rows_fit = source_generator_rows_fit,
    .read_rows = source_generator_read_rows,
};

static sl_status source_generator_open(const struct sl_source_spec *spec, struct sl_source **out,
                                       struct sl_error *err)
{
    struct source_generator *g = sl_calloc(1, sizeof *g);
    if (!g)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    g->base.ops = &source_generator_ops;
    g->rows = source_option_num(spec, GENERATOR_ROWS);
    g->rate = source_option_num(spec, GENERATOR_RATE);
    g->start_given = spec->options[GENERATOR_START].set;
    g->start = g->start_given ? spec->options[GENERATOR_START].num : sl_clock_now_us();
    g->paced_us = sl_monotonic_us();
    *out = &g->base;
    return SL_OK;
}

/* Rows and times stay within what 19 digits and a 4-digit year can write. */
static const struct sl_option_def generator_options[] = {
    [GENERATOR_ROWS] = {"rows", SL_OPTION_INT, 0, INT64_C(1000000000000000),
                        GENERATOR_UNBOUNDED, "none (never ends)",
                        "rows before the stream ends"},
    [GENERATOR_RATE] = {"rate", SL_OPTION_INT, 0, 1000000, 0, "0 (as fast as possible)",
                        "rows per second, by wall-clock time; ts advances 1/rate second a row"},
    [GENERATOR_START] = {"start", SL_OPTION_TIMESTAMP, 0, 0, 0, "the time of the first run",
                         "ts of row 0; with rate = 0, ts advances 1 microsecond a row"},
};

const struct sl_connector connector_generator = {
    .name = "GENERATOR",
    .kind = SL_CONNECTOR_SOURCE,
    .summary = "Rows from a sequence, for demos and tests: declare it as "
               "`(n BIGINT, ts TIMESTAMP)`; n counts from 0 and ts is row n's time. A row is a "
               "function of its number, so the stream replays exactly; a checkpoint keeps the "
               "start time.",
    .replayable = true,
    .default_format = "CSV",
    .format_fixed = true,
    .options = generator_options,
    .noptions = sizeof generator_options / sizeof generator_options[0],
    .open = source_generator_open,
};
