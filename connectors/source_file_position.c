/*
 * source_file_position.c — where a FILE stream is, as the checkpoint's
 * identity text, and a resume from it. The checkpoint's offset stays the
 * count of bytes handed out (lag and progress read it); the identity says
 * how far each file was read at that offset, one line a file, in reading
 * order:
 *
 *   files <count>
 *   file <inode> <bytes read> <head length>:<head hash> <flags> <path>
 *
 * flags: 'f' finished (never read again), 'n' a '\n' was handed out after
 * its last line, '-' neither; the path has '%', spaces and control
 * characters as %XX. The head hash covers the file's first
 * min(bytes read, 4096) bytes, so a resume tells the same file (grown) from
 * one truncated or replaced. A resume finds each file by inode among the
 * files of its directory (a rotated file under its new name); without
 * follow, a file at its old path with another inode is refused, even with
 * the same first bytes (a replaced file). The identity of earlier versions, one file's
 * "inode=N head=L:H", is still read.
 */
#include "connectors/source_file.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/alloc.h"
#include "common/hash.h"
#include "common/log.h"
#include "common/time.h"

/* Bytes of e handed out up to stream offset `at` (its '\n' included); false
 * when `at` is older than the runs kept. */
static bool handed_at(const struct source_file *f, const struct file_entry *e, uint64_t at,
                      uint64_t *handed)
{
    uint64_t after = 0;
    if (at < f->base.offset && (!f->nruns || f->runs[0].start > at))
        return false;
    for (size_t i = 0; i < f->nruns; i++) {
        const struct file_run *r = &f->runs[i];
        uint64_t end = r->start + r->len;
        if (r->entry_id == e->id && end > at)
            after += end - (r->start > at ? r->start : at);
    }
    *handed = e->pos + e->newline_added - after;
    return true;
}

/* path with '%', spaces and control characters as %XX, so it is one word on one line. */
static void put_escaped(struct sl_buf *out, const char *path)
{
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (*p == '%' || *p <= ' ')
            buf_printf(out, "%%%02X", *p);
        else
            buf_printf(out, "%c", *p);
    }
}

sl_status file_identity(const struct sl_source *s, uint64_t offset, struct sl_buf *out,
                        struct sl_error *err)
{
    const struct source_file *f = (const struct source_file *)s;
    buf_printf(out, "files %zu\n", f->nfiles);
    for (size_t i = 0; i < f->nfiles; i++) {
        const struct file_entry *e = f->files[i];
        uint64_t handed;
        if (!handed_at(f, e, offset, &handed))
            return sl_error_set(err, SL_ERROR,
                                "%s cannot say which file byte %" PRIu64 " of its input was in",
                                s->description, offset);
        uint64_t read = handed < e->pos ? handed : e->pos;
        bool newline = handed > e->pos;
        bool finished = e->finished && handed == e->pos + e->newline_added;
        size_t head = read < e->head_len ? (size_t)read : e->head_len;
        buf_printf(out, "file %" PRIu64 " %" PRIu64 " %zu:%016" PRIx64 " %s%s%s ",
                   (uint64_t)e->ino, read, head, sl_hash_bytes(e->head, head, 0),
                   finished ? "f" : "", newline ? "n" : "", finished || newline ? "" : "-");
        put_escaped(out, e->path);
        buf_printf(out, "\n");
    }
    return out->failed ? sl_error_set(err, SL_NOMEM, "out of memory") : SL_OK;
}

/* One file as a checkpoint recorded it. */
struct file_record {
    uint64_t ino, read, hash;
    size_t head;
    bool finished, newline;
    char path[PATH_MAX];
};

static bool unescape(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (; *in && *in != '\n'; in++) {
        unsigned v;
        if (n + 1 >= cap)
            return false;
        if (*in == '%') {
            if (sscanf(in + 1, "%2X", &v) != 1)
                return false;
            out[n++] = (char)v;
            in += 2;
        } else {
            out[n++] = *in;
        }
    }
    out[n] = '\0';
    return n > 0;
}

/* The records of an identity; *n of them, sl_free'd by the caller. */
static sl_status parse_identity(const struct source_file *f, uint64_t offset, const char *identity,
                                struct file_record **out, size_t *n, struct sl_error *err)
{
    size_t lines = 1;
    for (const char *p = identity; *p; p++)
        lines += *p == '\n';
    struct file_record *recs = sl_calloc(lines, sizeof *recs);
    if (!recs)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    *out = recs;
    *n = 0;
    size_t files;
    bool valid = false;
    struct file_record *r = recs;
    if (sscanf(identity, "inode=%" SCNu64 " head=%zu:%" SCNx64, &r->ino, &r->head, &r->hash) ==
        3) {
        r->read = offset;
        snprintf(r->path, sizeof r->path, "%s", f->pattern);
        *n = 1;
        valid = r->head <= FILE_HEAD_BYTES && r->head <= offset;
    } else if (sscanf(identity, "files %zu", &files) == 1 && files < lines) {
        const char *line = strchr(identity, '\n');
        for (line = line ? line + 1 : ""; *line && *n < files; r++) {
            char flags[8];
            int at = 0;
            if (sscanf(line, "file %" SCNu64 " %" SCNu64 " %zu:%" SCNx64 " %7s %n", &r->ino,
                       &r->read, &r->head, &r->hash, flags, &at) != 5 ||
                !at || r->head > FILE_HEAD_BYTES || r->head > r->read ||
                !unescape(line + at, r->path, sizeof r->path))
                break;
            r->finished = strchr(flags, 'f') != NULL;
            r->newline = strchr(flags, 'n') != NULL;
            (*n)++;
            const char *next = strchr(line, '\n');
            line = next ? next + 1 : line + strlen(line);
        }
        valid = *n == files;
    }
    if (!valid)
        return sl_error_set(err, SL_ERROR, "the checkpoint of %s does not say which file it read",
                            f->base.description);
    return SL_OK;
}

/* Whether e begins with the bytes r's hash covers (left at its start). */
static bool same_head(struct file_entry *e, const struct file_record *r)
{
    struct sl_error ignored;
    bool same = file_entry_skip_to(e, r->head, &ignored) == SL_OK &&
                sl_hash_bytes(e->head, r->head, 0) == r->hash;
    file_entry_rewind(e, &ignored);
    return same;
}

/* The entry a record names: one of the files the scan at open found (not
 * taken by an earlier record) with its inode, at its path or beginning as it
 * did; or a file of its directory with its inode that begins as it did
 * (rotated while Sluice was down); or (without follow) whatever file is at
 * its path, which file_seek refuses when its inode is another. An inode
 * alone proves nothing: a deleted file's is reused.
 * NULL: gone. */
static struct file_entry *locate(struct source_file *f, const struct file_record *r,
                                 const bool *taken, bool *opened, struct sl_error *err)
{
    *opened = false;
    for (size_t i = 0; i < f->nfiles; i++)
        if (!taken[i] && (uint64_t)f->files[i]->ino == r->ino &&
            (strcmp(f->files[i]->path, r->path) == 0 || same_head(f->files[i], r)))
            return f->files[i];
    char path[PATH_MAX];
    struct file_entry *e = file_find_in_dir(r->path, r->ino, path, sizeof path)
                               ? file_entry_open(path, NULL, err)
                               : NULL;
    if (e && same_head(e, r)) {
        /* No longer at a name the pattern matches: rotated, and watched rotate_wait from now. */
        e->rotated = f->follow;
        e->grew_us = sl_monotonic_us();
        *opened = true;
        if (f->follow)
            file_warn_unread_rotations(f, r->path, e);
        return e;
    }
    file_entry_free(e);
    for (size_t i = 0; !f->follow && i < f->nfiles; i++)
        if (!taken[i] && strcmp(f->files[i]->path, r->path) == 0)
            return f->files[i];
    return NULL;
}

/* Puts e where r left it: the same file, read up to r->read. A file that is
 * shorter or begins otherwise fails without follow, and is read from its
 * start with follow (copytruncate while Sluice was down). */
static sl_status place(struct source_file *f, struct file_entry *e, const struct file_record *r,
                       struct sl_error *err)
{
    sl_status st = file_entry_skip_to(e, r->read, err);
    if (st == SL_ERROR)
        return st;
    const char *what = NULL;
    uint64_t size = 0;
    if (st == SL_EOF) {
        file_entry_size(e, &size);
        what = "truncated";
    } else if (sl_hash_bytes(e->head, r->head, 0) != r->hash) {
        what = "replaced";
    }
    if (!what) {
        e->newline_added = r->newline;
        e->mid_line = e->mid_line && !r->newline;
        return SL_OK;
    }
    if (!f->follow && st == SL_EOF)
        return sl_error_set(err, SL_ERROR,
                            "file:%s was truncated: it has %" PRIu64 " bytes, and %" PRIu64
                            " had been read",
                            e->path, size, r->read);
    if (r->head == 0)
        return sl_error_set(err, SL_ERROR,
                            "file:%s: the checkpoint's hash of no bytes is wrong: the "
                            "checkpoint is corrupt",
                            e->path);
    if (!f->follow)
        return sl_error_set(err, SL_ERROR,
                            "file:%s was replaced: its first %zu bytes are not the ones read "
                            "before",
                            e->path, r->head);
    sl_log(f->base.log, SL_LOG_WARN,
           "%s: %s was %s while the query was stopped (%" PRIu64
           " bytes of it had been read): reading it again from its start; what it held past "
           "them before that is lost",
           f->base.description, e->path, what, r->read);
    return file_entry_rewind(e, err);
}

/* Without follow, a file at the checkpoint's path that is another file (a new
 * inode) is refused even when it begins with the same bytes: `cp v2 data.new
 * && mv data.new data.csv` keeps the head, and resuming at the old offset
 * would mix two files' rows. (With follow a new inode at the path is a
 * rotation: the new file is read from its start.) */
static sl_status refuse_replaced(const struct file_entry *e, const struct file_record *r,
                                 struct sl_error *err)
{
    return sl_error_set(err, SL_ERROR,
                        "file:%s was replaced: it is another file (inode %" PRIu64
                        ", the one read was inode %" PRIu64 "), so where the query stopped in "
                        "it is unknown (%" PRIu64 " bytes of the old one had been read)\nhint: "
                        "put the file that was read back in its place to resume",
                        e->path, (uint64_t)e->ino, r->ino, r->read);
}

/* A checkpoint is always where a record starts: after a newline. */
static sl_status refuse_mid_line(const struct file_entry *e, const struct file_record *r,
                                 struct sl_error *err)
{
    return sl_error_set(err, SL_ERROR,
                        "file:%s: the checkpoint puts the query at byte %" PRIu64
                        ", in the middle of a line (the byte before it is not a newline): "
                        "the checkpoint is corrupt or the file was rewritten",
                        e->path, r->read);
}

/* Finished in the checkpoint: kept (closed) so the glob does not read it
 * again, its head read for the next checkpoint. False when its first bytes
 * differ: another file took the inode. */
static bool mark_finished(struct file_entry *e, const struct file_record *r)
{
    struct sl_error ignored;
    if (file_entry_skip_to(e, r->head, &ignored) != SL_OK ||
        sl_hash_bytes(e->head, r->head, 0) != r->hash)
        return false;
    e->pos = r->read;
    e->newline_added = r->newline;
    e->finished = true;
    file_entry_close(e);
    return true;
}

static void report_gone(const struct source_file *f, const struct file_record *r)
{
    if (r->finished)
        return;
    sl_log(f->base.log, SL_LOG_WARN,
           "%s: %s (inode %" PRIu64 "), read up to byte %" PRIu64
           ", is gone: whatever was written to it after that was not read",
           f->base.description, r->path, r->ino, r->read);
}

/* Entry i of the scan at open, as taken by a record. */
static void take(const struct source_file *f, const struct file_entry *e, bool *taken)
{
    for (size_t i = 0; i < f->nfiles; i++)
        if (f->files[i] == e)
            taken[i] = true;
}

/* The files in their new order: the records', then the others the scan found. */
static void reorder(struct source_file *f, struct file_entry **order, size_t norder,
                    const bool *taken, size_t cap)
{
    for (size_t i = 0; i < f->nfiles; i++)
        if (!taken[i])
            order[norder++] = f->files[i];
    sl_free(f->files);
    f->files = order;
    f->nfiles = norder;
    f->cap_files = cap;
    f->next_id = 0;
    for (size_t i = 0; i < norder; i++)
        order[i]->id = f->next_id++;
    f->current = 0;
    f->nruns = 0;
    f->eof = false;
}

sl_status file_seek(struct sl_source *s, uint64_t offset, const char *identity,
                    struct sl_error *err)
{
    struct source_file *f = (struct source_file *)s;
    struct file_record *recs = NULL;
    size_t nrecs = 0, norder = 0, cap = 0;
    sl_status st = parse_identity(f, offset, identity, &recs, &nrecs, err);
    cap = nrecs + f->nfiles;
    struct file_entry **order = st == SL_OK ? sl_calloc(cap, sizeof *order) : NULL;
    bool *taken = st == SL_OK ? sl_calloc(f->nfiles + 1, sizeof *taken) : NULL;
    bool *opened = st == SL_OK ? sl_calloc(cap, sizeof *opened) : NULL;
    if (st == SL_OK && (!order || !taken || !opened))
        st = sl_error_set(err, SL_NOMEM, "out of memory");
    for (size_t i = 0; st == SL_OK && i < nrecs; i++) {
        const struct file_record *r = &recs[i];
        struct file_entry *e = locate(f, r, taken, &opened[norder], err);
        if (!e) {
            if (!f->follow && !r->finished)
                st = file_error(err, r->path, ENOENT, "cannot open file '%s'", r->path);
            else
                report_gone(f, r);
            continue;
        }
        if (r->finished && !mark_finished(e, r)) {
            if (opened[norder])
                file_entry_free(e);
            else
                file_entry_rewind(e, err);
            continue;
        }
        order[norder++] = e;
        take(f, e, taken);
        if (!r->finished)
            st = place(f, e, r, err);
        /* Long enough, and beginning as the one read: only its inode tells it apart. */
        if (st == SL_OK && !f->follow && !r->finished && (uint64_t)e->ino != r->ino)
            st = refuse_replaced(e, r, err);
        else if (st == SL_OK && !r->finished && r->read > 0 && e->pos == r->read &&
                 e->mid_line && !r->newline)
            st = refuse_mid_line(e, r, err);
    }
    if (st == SL_OK)
        reorder(f, order, norder, taken, cap);
    else if (order)
        for (size_t i = 0; i < norder; i++)
            if (opened[i])
                file_entry_free(order[i]);
    if (st != SL_OK)
        sl_free(order);
    sl_free(taken);
    sl_free(opened);
    sl_free(recs);
    return st;
}
