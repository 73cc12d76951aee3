/*
 * sl_pacer — a steady stream of CSV records whose event time is the wall
 * clock, for the latency benchmark (bench/nexmark/latency.sh). The Nexmark
 * source emits as fast as it can, with event time from its rate; a latency
 * measured from a window's close needs input that arrives when it happens.
 *
 * Reads the lines of FILE (bids written by `sluice nexmark --format csv`, up
 * to a million of them, used again in a loop), then writes them to stdout at
 * RATE lines a second, RATE * SECONDS lines in all, field COLUMN (1-based) of each
 * replaced by the UTC wall clock at the moment it is written
 * ('YYYY-MM-DD HH:MM:SS.ffffff'). Every millisecond it writes the lines due
 * by then (a tick that comes late catches up) and flushes them. On exit it
 * says on stderr how many lines it wrote and how far behind its schedule it
 * fell after the first second, so a run on a busy machine says whether the input was steady.
 *
 *   sl_pacer RATE SECONDS COLUMN FILE | sluice run ...
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_LINES 1000000
#define TICK_US 1000

struct line {
    const char *text;
    size_t before; /* bytes before the replaced field */
    size_t after;  /* offset of what follows it (its comma or the end) */
    size_t len;
};

static int64_t clock_us(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger)
                free(buf);
            buf = bigger;
        }
    }
    fclose(f);
    *size = n;
    return buf;
}

/* Splits buf into lines and finds field `column` in each; fails on a line
 * without it or with a quote before its end (the bids have none). */
static size_t split_lines(char *buf, size_t size, int column, struct line *lines)
{
    size_t n = 0;
    char *p = buf, *end = buf + size;
    while (p < end && n < MAX_LINES) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char *field = p;
        for (int c = 1; c < column && field; c++) {
            field = memchr(field, ',', len - (size_t)(field - p));
            field = field ? field + 1 : NULL;
        }
        if (!field || memchr(p, '"', len))
            return 0;
        char *stop = memchr(field, ',', len - (size_t)(field - p));
        lines[n++] = (struct line){p, (size_t)(field - p), stop ? (size_t)(stop - p) : len, len};
        p += len + 1;
    }
    return n;
}

static void format_wall_clock(char out[32])
{
    int64_t us = clock_us(CLOCK_REALTIME);
    time_t secs = (time_t)(us / 1000000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%06d", (int)(us % 1000000));
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: sl_pacer RATE SECONDS COLUMN FILE\n");
        return 2;
    }
    double rate = atof(argv[1]), seconds = atof(argv[2]);
    int column = atoi(argv[3]);
    size_t size;
    char *buf = read_file(argv[4], &size);
    struct line *lines = malloc(MAX_LINES * sizeof *lines);
    size_t nlines = buf && lines && column > 0 ? split_lines(buf, size, column, lines) : 0;
    if (rate <= 0 || seconds <= 0 || !nlines) {
        fprintf(stderr, "sl_pacer: need a positive RATE and SECONDS and CSV lines in %s"
                        " with field %d and no quotes\n", argv[4], column);
        return 2;
    }
    static char out[1 << 20];
    setvbuf(stdout, out, _IOFBF, sizeof out);

    int64_t start = clock_us(CLOCK_MONOTONIC);
    uint64_t total = (uint64_t)(rate * seconds), sent = 0, next_line = 0;
    int64_t max_behind_us = 0;
    struct timespec tick = {0};
    for (int64_t due_at = start; sent < total; due_at += TICK_US) {
        tick.tv_sec = (time_t)(due_at / 1000000);
        tick.tv_nsec = (long)(due_at % 1000000) * 1000;
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &tick, NULL);
        int64_t now = clock_us(CLOCK_MONOTONIC);
        /* The first second is start-up: the pipe fills before sluice reads. */
        if (due_at - start >= 1000000 && now - due_at > max_behind_us)
            max_behind_us = now - due_at;
        uint64_t due = (uint64_t)((double)(now - start) * rate / 1e6);
        if (due > total)
            due = total;
        char stamp[32];
        format_wall_clock(stamp);
        for (; sent < due; sent++) {
            const struct line *l = &lines[next_line];
            next_line = (next_line + 1) % nlines;
            fwrite(l->text, 1, l->before, stdout);
            fputs(stamp, stdout);
            fwrite(l->text + l->after, 1, l->len - l->after, stdout);
            putchar('\n');
        }
        if (fflush(stdout) != 0) {
            perror("sl_pacer: stdout");
            return 1;
        }
    }
    fprintf(stderr, "sl_pacer: %llu lines in %.1f s, after the first second at most %.1f ms behind schedule\n",
            (unsigned long long)sent, seconds, (double)max_behind_us / 1000.0);
    free(lines);
    free(buf);
    return 0;
}
