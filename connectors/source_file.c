/*
 * source_file.c — the FILE connector: the files a path or a glob names,
 * read in name order to their end (then EOF), or with follow = true tailed
 * for ever: new files are picked up, a rotated file is read to its end
 * before the one that replaced it, a truncated one is read again from its
 * start. Which file hands out what is decided here; source_file.h says how
 * the other parts share the work.
 */
#include "connectors/source_file.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"

enum { OPT_FOLLOW, OPT_POLL_INTERVAL, OPT_ROTATE_WAIT };

static const struct sl_option_def file_options[] = {
    [OPT_FOLLOW] = {"follow", SL_OPTION_BOOL, 0, 1, 0, "false",
                    "keep reading: new lines, new files, rotated and truncated files; never ends"},
    [OPT_POLL_INTERVAL] = {"poll_interval", SL_OPTION_DURATION, 10000, 3600 * SL_US_PER_SEC,
                           SL_US_PER_SEC, "1 second",
                           "with follow: how often files are looked at when inotify says nothing"},
    [OPT_ROTATE_WAIT] = {"rotate_wait", SL_OPTION_DURATION, 1000, 3600 * SL_US_PER_SEC,
                         5 * SL_US_PER_SEC, "5 seconds",
                         "with follow: how long a rotated file is watched for late lines"},
};

/* Remembers that bytes [offset, offset + n) of the stream came from e. */
static void note_run(struct source_file *f, const struct file_entry *e, size_t n)
{
    struct file_run *last = f->nruns ? &f->runs[f->nruns - 1] : NULL;
    if (last && last->entry_id == e->id && last->start + last->len == f->base.offset) {
        last->len += n;
        return;
    }
    if (f->nruns == FILE_RUNS) {
        memmove(f->runs, f->runs + 1, (FILE_RUNS - 1) * sizeof *f->runs);
        f->nruns--;
    }
    f->runs[f->nruns++] = (struct file_run){.entry_id = e->id, .start = f->base.offset, .len = n};
}

static sl_status hand_out(struct source_file *f, struct file_entry *e, const char *buf, size_t n,
                          size_t *out)
{
    file_entry_advance(e, buf, n);
    note_run(f, e, n);
    *out = n;
    return SL_OK;
}

/* The '\n' a file's unfinished last line gets when another file follows it. */
static sl_status hand_out_newline(struct source_file *f, struct file_entry *e, char *buf,
                                  size_t *out)
{
    buf[0] = '\n';
    e->newline_added = true;
    e->mid_line = false;
    note_run(f, e, 1);
    *out = 1;
    return SL_OK;
}

static void finish(struct source_file *f, struct file_entry *e, const char *why)
{
    e->finished = true;
    file_entry_close(e);
    if (why)
        sl_log(f->base.log, SL_LOG_INFO, "%s: %s %s", f->base.description, e->path, why);
}

static void set_state(struct source_file *f)
{
    size_t open = 0;
    for (size_t i = 0; i < f->nfiles; i++)
        open += !f->files[i]->finished;
    if (f->follow)
        snprintf(f->state, sizeof f->state, "following %zu file%s", open, open == 1 ? "" : "s");
    else
        snprintf(f->state, sizeof f->state, "reading file %zu of %zu",
                 f->current < f->nfiles ? f->current + 1 : f->nfiles, f->nfiles);
}

/* Without follow: each file to its end, in order; EOF after the last. */
static sl_status read_in_order(struct source_file *f, char *buf, size_t cap, size_t *n,
                               struct sl_error *err)
{
    while (f->current < f->nfiles) {
        struct file_entry *e = f->files[f->current];
        bool last = f->current + 1 == f->nfiles;
        if (e->finished) {
            f->current++;
            continue;
        }
        size_t got = 0;
        sl_status st = file_entry_peek(e, buf, cap, &got, err);
        if (st == SL_AGAIN)
            return sl_error_set(err, SL_ERROR, "file '%s' ends in the middle of its gzip stream",
                                e->path);
        if (st != SL_OK)
            return st;
        if (got)
            return hand_out(f, e, buf, got, n);
        if (last)
            break;
        if (e->mid_line)
            return hand_out_newline(f, e, buf, n);
        finish(f, e, NULL);
        f->current++;
        set_state(f);
    }
    f->eof = true;
    return SL_EOF;
}

/* A followed file whose size changed: truncated (copytruncate) means from its start again. */
static sl_status check_truncation(struct source_file *f, struct file_entry *e, int64_t now,
                                  struct sl_error *err)
{
    uint64_t size;
    if (e->gz || !file_entry_changed(e, &size))
        return SL_OK;
    bool shorter = size < e->pos;
    e->grew_us = now;
    if (!shorter && file_entry_head_intact(e))
        return SL_OK;
    sl_log(f->base.log, SL_LOG_WARN,
           "%s: %s was truncated (%" PRIu64 " bytes of it had been read, it has %" PRIu64
           "): reading it again from its start",
           f->base.description, e->path, e->pos, size);
    return file_entry_rewind(e, err);
}

/* The last '\n' in buf[0, n) and what precedes it: the whole lines. */
static size_t whole_lines(const char *buf, size_t n)
{
    while (n && buf[n - 1] != '\n')
        n--;
    return n;
}

/* Whole lines of e, or SL_AGAIN when it has none now (finishing it once a rotated one is done). */
static sl_status follow_entry(struct source_file *f, struct file_entry *e, char *buf, size_t cap,
                              size_t *n, int64_t now, struct sl_error *err)
{
    sl_status st = check_truncation(f, e, now, err);
    size_t got = 0;
    if (st == SL_OK)
        st = file_entry_peek(e, buf, cap, &got, err);
    if (st != SL_OK)
        return st;
    /* A .gz file is read through: what zlib gave cannot be read again. */
    size_t lines = e->gz ? got : whole_lines(buf, got);
    if (lines || got == cap)
        return hand_out(f, e, buf, lines ? lines : got, n);
    bool done = e->gz ? e->gz_ended
                      : e->rotated && now - e->grew_us >= f->rotate_wait_us;
    if (!done)
        return SL_AGAIN;
    if (got)
        return hand_out(f, e, buf, got, n);
    if (e->mid_line)
        return hand_out_newline(f, e, buf, n);
    finish(f, e, e->gz ? "read to its end" : "read to its end after its rotation");
    set_state(f);
    return SL_AGAIN;
}

/* The first file with whole lines, in the order the files were found; a file
 * in the middle of a long line goes on alone until the line ends. */
static sl_status follow_step(struct source_file *f, char *buf, size_t cap, size_t *n,
                             int64_t now, struct sl_error *err)
{
    for (size_t i = 0; i < f->nfiles; i++)
        if (!f->files[i]->finished && f->files[i]->mid_line)
            return follow_entry(f, f->files[i], buf, cap, n, now, err);
    for (size_t i = 0; i < f->nfiles; i++) {
        struct file_entry *e = f->files[i];
        if (e->finished)
            continue;
        sl_status st = follow_entry(f, e, buf, cap, n, now, err);
        if (st != SL_AGAIN)
            return st;
    }
    return SL_AGAIN;
}

static sl_status rescan(struct source_file *f, int64_t now, struct sl_error *err)
{
    f->rescan = false;
    f->next_scan_us = now + f->poll_us;
    file_watch_start(f);
    sl_status st = file_scan(f, true, err);
    if (st != SL_OK)
        return st;
    file_check_rotation(f);
    file_forget_finished(f);
    set_state(f);
    return SL_OK;
}

static sl_status read_following(struct source_file *f, char *buf, size_t cap, size_t *n,
                                int timeout_ms, struct sl_error *err)
{
    int64_t deadline = sl_monotonic_us() + (int64_t)timeout_ms * 1000;
    for (;;) {
        int64_t now = sl_monotonic_us();
        sl_status st = SL_OK;
        if (f->rescan || now >= f->next_scan_us)
            st = rescan(f, now, err);
        if (st == SL_OK)
            st = follow_step(f, buf, cap, n, now, err);
        if (st != SL_AGAIN || now >= deadline)
            return st;
        int64_t until = deadline < f->next_scan_us ? deadline : f->next_scan_us;
        file_watch_wait(f, (int)((until - now + 999) / 1000));
    }
}

static sl_status source_file_read(struct sl_source *s, char *buf, size_t cap, size_t *n,
                                  int timeout_ms, struct sl_error *err)
{
    struct source_file *f = (struct source_file *)s;
    if (f->eof)
        return SL_EOF;
    return f->follow ? read_following(f, buf, cap, n, timeout_ms, err)
                     : read_in_order(f, buf, cap, n, err);
}

static void source_file_close(struct sl_source *s)
{
    struct source_file *f = (struct source_file *)s;
    for (size_t i = 0; i < f->nfiles; i++)
        file_entry_free(f->files[i]);
    sl_free(f->files);
    if (f->inotify_fd >= 0)
        close(f->inotify_fd);
    sl_free(f->pattern);
    sl_free(f);
}

/* What has been handed out, and what the files not finished hold beyond their positions. */
static bool source_file_size(const struct sl_source *s, uint64_t *size)
{
    const struct source_file *f = (const struct source_file *)s;
    uint64_t total = s->offset;
    for (size_t i = 0; i < f->nfiles; i++) {
        const struct file_entry *e = f->files[i];
        uint64_t end;
        if (!e->finished && file_entry_size(e, &end) && end > e->pos)
            total += end - e->pos;
    }
    *size = total;
    return true;
}

static const char *source_file_state(const struct sl_source *s)
{
    const struct source_file *f = (const struct source_file *)s;
    /* One file read to its end has nothing to say beyond the stream's source. */
    return f->follow || f->nfiles > 1 ? f->state : NULL;
}

static const struct sl_source_ops source_file_ops = {
    .read = source_file_read,
    .close = source_file_close,
    .identity = file_identity,
    .seek = file_seek,
    .size = source_file_size,
    .state = source_file_state,
};

static sl_status source_file_open(const struct sl_source_spec *spec, struct sl_source **out,
                                  struct sl_error *err)
{
    struct source_file *f = sl_calloc(1, sizeof *f);
    if (!f || !(f->pattern = sl_strdup(spec->address))) {
        sl_free(f);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    f->base.ops = &source_file_ops;
    f->inotify_fd = -1;
    f->follow = source_option_num(spec, OPT_FOLLOW) != 0;
    f->poll_us = source_option_num(spec, OPT_POLL_INTERVAL);
    f->rotate_wait_us = source_option_num(spec, OPT_ROTATE_WAIT);
    sl_status st = file_scan(f, false, err);
    if (st == SL_OK && !f->nfiles && !f->follow)
        st = file_error(err, spec->address, 0, "no file matches '%s'", spec->address);
    if (st != SL_OK) {
        source_file_close(&f->base);
        return st;
    }
    if (f->follow)
        file_watch_start(f);
    f->next_scan_us = sl_monotonic_us() + f->poll_us;
    set_state(f);
    *out = &f->base;
    return SL_OK;
}

const struct sl_connector connector_file = {
    .name = "FILE",
    .kind = SL_CONNECTOR_SOURCE,
    .summary = "The files a path or a glob names, in name order (.gz ones uncompressed), read "
               "to their end; with follow, tailed through rotation and truncation, never ending.",
    .replayable = true,
    .address_doc = "'path or glob'",
    .options = file_options,
    .noptions = sizeof file_options / sizeof *file_options,
    .open = source_file_open,
    .check_opens = true,
};
