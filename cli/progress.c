/*
 * progress.c — `sluice run --progress`, after Spark's streaming progress
 * reports: the engine calls back after each committed batch of a query, and
 * a line goes to stderr (stdout keeps the results); at the end, a summary
 * line per query.
 */
#include "cli/progress.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* An event time as ISO-8601 UTC with milliseconds. */
static void format_time(int64_t us, char *buf, size_t size)
{
    time_t secs = (time_t)(us / 1000000);
    int64_t ms = (us % 1000000) / 1000;
    if (ms < 0) {
        secs--;
        ms += 1000;
    }
    struct tm tm;
    gmtime_r(&secs, &tm);
    size_t n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, size - n, ".%03" PRId64 "Z", ms);
}

static struct query_totals *totals_of(struct run_progress *p, const char *name)
{
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->queries[i].name, name) == 0)
            return &p->queries[i];
    if (p->n == p->cap) {
        int cap = p->cap ? p->cap * 2 : 8;
        struct query_totals *grown = realloc(p->queries, (size_t)cap * sizeof *grown);
        if (!grown)
            return NULL;
        p->queries = grown;
        p->cap = cap;
    }
    struct query_totals *t = &p->queries[p->n];
    *t = (struct query_totals){.name = strdup(name)};
    if (!t->name)
        return NULL;
    p->n++;
    return t;
}

/* ", watermark T" or "" */
static void watermark_clause(bool has, int64_t us, char *buf, size_t size)
{
    buf[0] = '\0';
    if (has) {
        char when[40];
        format_time(us, when, sizeof when);
        snprintf(buf, size, ", watermark %s", when);
    }
}

static void on_batch(void *ctx, const struct sluice_batch_progress *b)
{
    struct run_progress *p = ctx;
    char wm[64];
    watermark_clause(b->has_watermark, b->watermark_us, wm, sizeof wm);
    double secs = (double)b->duration_us / 1e6;
    fprintf(p->out, "progress: %s batch %" PRId64 ": %" PRId64 " rows in, %" PRId64
                    " out, %.1f ms (%.0f rows/s)%s, %" PRId64 " groups",
            b->query, b->batch_id, b->rows_in, b->rows_out, secs * 1000.0,
            secs > 0 ? (double)b->rows_in / secs : 0.0, wm, b->state_groups);
    if (b->late_rows)
        fprintf(p->out, ", %" PRId64 " late", b->late_rows);
    if (b->dead_letters)
        fprintf(p->out, ", %" PRId64 " dead letters", b->dead_letters);
    fputc('\n', p->out);
    fflush(p->out);
    struct query_totals *t = totals_of(p, b->query);
    if (!t)
        return;
    t->batches++;
    t->rows_in += b->rows_in;
    t->rows_out += b->rows_out;
    t->duration_us += b->duration_us;
    t->late_rows += b->late_rows;
    t->dead_letters += b->dead_letters;
    if (b->has_watermark) {
        t->has_watermark = true;
        t->watermark_us = b->watermark_us;
    }
}

void run_progress_attach(struct run_progress *p, FILE *out, struct sluice_options *opts)
{
    *p = (struct run_progress){.out = out};
    opts->progress = on_batch;
    opts->progress_ctx = p;
}

void run_progress_summary(const struct run_progress *p)
{
    if (p->n == 0)
        fprintf(p->out, "summary: no query committed a batch\n");
    for (int i = 0; i < p->n; i++) {
        const struct query_totals *t = &p->queries[i];
        char wm[64];
        watermark_clause(t->has_watermark, t->watermark_us, wm, sizeof wm);
        double secs = (double)t->duration_us / 1e6;
        fprintf(p->out, "summary: %s: %" PRId64 " batches, %" PRId64 " rows in, %" PRId64
                        " out, %.3f s in batches (%.0f rows/s)%s, %" PRId64 " late, %" PRId64
                        " dead letters\n",
                t->name, t->batches, t->rows_in, t->rows_out, secs,
                secs > 0 ? (double)t->rows_in / secs : 0.0, wm, t->late_rows, t->dead_letters);
    }
}

void run_progress_fini(struct run_progress *p)
{
    for (int i = 0; i < p->n; i++)
        free(p->queries[i].name);
    free(p->queries);
}
