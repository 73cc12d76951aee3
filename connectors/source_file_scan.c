/*
 * source_file_scan.c — which files a FILE stream reads: the pattern matched
 * in name order (strcmp, whatever the locale), new files appended as they
 * appear, files whose name no longer leads to them marked rotated, and the
 * wait for any of that: inotify on the pattern's directory, with a rescan
 * every poll_interval as the fallback (no inotify, a directory made later,
 * a file rotated into another directory).
 */
#include "connectors/source_file.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <fnmatch.h>
#include <glob.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"

struct file_entry *file_find(const struct source_file *f, dev_t dev, ino_t ino)
{
    for (size_t i = 0; i < f->nfiles; i++)
        if (f->files[i]->dev == dev && f->files[i]->ino == ino)
            return f->files[i];
    return NULL;
}

bool file_append(struct source_file *f, struct file_entry *e)
{
    if (f->nfiles == f->cap_files) {
        size_t cap = f->cap_files ? f->cap_files * 2 : 8;
        struct file_entry **files = sl_realloc(f->files, cap * sizeof *files);
        if (!files)
            return false;
        f->files = files;
        f->cap_files = cap;
    }
    e->id = f->next_id++;
    f->files[f->nfiles++] = e;
    return true;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_wildcards(const char *s)
{
    return strpbrk(s, "*?[") != NULL;
}

/* The directory of path into dir ("." when it names none); false when it names none. */
static bool dir_of(const char *path, char *dir, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, cap, ".");
    else
        snprintf(dir, cap, "%.*s", slash > path ? (int)(slash - path) : 1, path);
    return slash != NULL;
}

/* name in dir, as path named it (relative stays relative); false if it does not fit. */
static bool join_path(const char *dir, bool named, const char *name, char *out, size_t cap)
{
    int len = snprintf(out, cap, "%s%s%s", named ? dir : "", named && strcmp(dir, "/") ? "/" : "",
                       name);
    return len > 0 && (size_t)len < cap;
}

bool file_find_in_dir(const char *path, uint64_t ino, char *found, size_t cap)
{
    char dir[PATH_MAX];
    bool named = dir_of(path, dir, sizeof dir);
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool hit = false;
    const struct dirent *de;
    while (!hit && (de = readdir(d)))
        if ((uint64_t)de->d_ino == ino)
            hit = join_path(dir, named, de->d_name, found, cap);
    closedir(d);
    struct stat st;
    return hit && stat(found, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_ino == ino;
}

void file_warn_unread_rotations(const struct source_file *f, const char *old_path,
                                const struct file_entry *rotated)
{
    char dir[PATH_MAX], path[PATH_MAX];
    bool named = dir_of(old_path, dir, sizeof dir);
    const char *base = named ? strrchr(old_path, '/') + 1 : old_path;
    struct stat was, st;
    DIR *d = opendir(dir);
    if (!d || fstat(rotated->fd, &was) != 0) {
        if (d)
            closedir(d);
        return;
    }
    const struct dirent *de;
    while ((de = readdir(d)))
        if (strncmp(de->d_name, base, strlen(base)) == 0 &&
            join_path(dir, named, de->d_name, path, sizeof path) && stat(path, &st) == 0 &&
            S_ISREG(st.st_mode) && st.st_ino != rotated->ino &&
            fnmatch(f->pattern, path, FNM_PATHNAME) != 0 &&
            (st.st_mtim.tv_sec > was.st_mtim.tv_sec ||
             (st.st_mtim.tv_sec == was.st_mtim.tv_sec && st.st_mtim.tv_nsec >= was.st_mtim.tv_nsec)))
            sl_log(f->base.log, SL_LOG_WARN,
                   "%s: %s was written after %s (rotated while the query was stopped) and the "
                   "pattern does not match it: its lines are not read (a pattern that matches "
                   "the rotated names reads them)",
                   f->base.description, path, rotated->path);
    closedir(d);
}

/* A finished entry met again under a glob name: still the same file unless
 * it changed size and its first bytes differ (its inode was reused). */
static bool still_same_file(const struct file_entry *e, const char *path, const struct stat *st)
{
    if ((uint64_t)st->st_size == e->seen_size || e->gz)
        return true;
    struct file_entry *probe = file_entry_open(path, st, &(struct sl_error){0});
    if (!probe)
        return true;
    char head[FILE_HEAD_BYTES];
    ssize_t r = pread(probe->fd, head, e->head_len, 0);
    bool same = r == (ssize_t)e->head_len && memcmp(head, e->head, e->head_len) == 0;
    file_entry_free(probe);
    return same;
}

/* One matched name: a file already tracked (perhaps under another name) or a new one. */
static sl_status scan_one(struct source_file *f, const char *path, bool announce,
                          struct sl_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (f->follow || has_wildcards(f->pattern))
            return SL_OK; /* gone since it matched */
        return file_error(err, path, errno, "cannot open file '%s'", path);
    }
    if (!S_ISREG(st.st_mode))
        return SL_OK;
    struct file_entry *known = file_find(f, st.st_dev, st.st_ino);
    if (known && known->finished && !still_same_file(known, path, &st))
        known->ino = 0; /* a new file took its inode: the old entry can never match again */
    else if (known) {
        if (strcmp(known->path, path) != 0) {
            char *renamed = sl_strdup(path);
            if (!renamed)
                return sl_error_set(err, SL_NOMEM, "out of memory");
            sl_log(f->base.log, SL_LOG_INFO, "%s: %s is now %s", f->base.description,
                   known->path, path);
            sl_free(known->path);
            known->path = renamed;
            known->rotated = false;
        }
        return SL_OK;
    }
    struct file_entry *e = file_entry_open(path, &st, err);
    if (!e)
        return f->follow && access(path, F_OK) != 0 ? SL_OK : SL_ERROR; /* gone since: skipped */
    e->grew_us = sl_monotonic_us();
    if (!file_append(f, e)) {
        file_entry_free(e);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    if (announce)
        sl_log(f->base.log, SL_LOG_INFO, "%s: new file %s", f->base.description, path);
    return SL_OK;
}

/*
 * FILE reads what it can read again from a checkpoint's offset: a pipe, a
 * device or a socket cannot be, and opening a FIFO would wait for a writer
 * (it used to, blocking every query and the stop signal). Refused, with the
 * sources that read such bytes.
 */
static sl_status refuse_not_regular(const char *path, const struct stat *st,
                                    struct sl_error *err)
{
    const char *what = S_ISFIFO(st->st_mode)  ? "a FIFO (named pipe)"
                       : S_ISCHR(st->st_mode) ? "a character device"
                       : S_ISBLK(st->st_mode) ? "a block device"
                       : S_ISSOCK(st->st_mode) ? "a socket"
                       : S_ISDIR(st->st_mode) ? "a directory"
                                               : "not a regular file";
    return sl_error_set(err, SL_ERROR,
                        "'%s' is %s: a FILE stream reads regular files, which it can read "
                        "again from a checkpoint\nhint: %s",
                        path, what,
                        S_ISDIR(st->st_mode)
                            ? "a glob reads the files in it: FROM FILE 'dir/*'"
                            : "send its bytes to `sluice run q.sql < PATH` and declare the "
                              "stream FROM STDIN");
}

sl_status file_scan(struct source_file *f, bool announce, struct sl_error *err)
{
    if (!has_wildcards(f->pattern)) {
        struct stat st;
        int r = stat(f->pattern, &st);
        if (r != 0 && errno == ENOENT && f->follow)
            return SL_OK; /* not there yet */
        if (r == 0 && !S_ISREG(st.st_mode))
            return refuse_not_regular(f->pattern, &st, err);
        return scan_one(f, f->pattern, announce, err);
    }
    glob_t g;
    int r = glob(f->pattern, GLOB_NOSORT, NULL, &g);
    if (r == GLOB_NOMATCH)
        return SL_OK;
    if (r != 0) {
        if (r != GLOB_NOSPACE)
            globfree(&g);
        return sl_error_set(err, r == GLOB_NOSPACE ? SL_NOMEM : SL_ERROR,
                            "cannot list the files matching '%s'", f->pattern);
    }
    qsort(g.gl_pathv, g.gl_pathc, sizeof *g.gl_pathv, compare_names);
    sl_status st = SL_OK;
    for (size_t i = 0; i < g.gl_pathc && st == SL_OK; i++)
        st = scan_one(f, g.gl_pathv[i], announce, err);
    globfree(&g);
    return st;
}

void file_check_rotation(struct source_file *f)
{
    for (size_t i = 0; i < f->nfiles; i++) {
        struct file_entry *e = f->files[i];
        if (e->finished || e->rotated)
            continue;
        struct stat st;
        if (stat(e->path, &st) == 0 && st.st_dev == e->dev && st.st_ino == e->ino)
            continue;
        e->rotated = true;
        e->grew_us = sl_monotonic_us();
        char now[PATH_MAX];
        char *renamed = file_find_in_dir(e->path, e->ino, now, sizeof now) ? sl_strdup(now) : NULL;
        sl_log(f->base.log, SL_LOG_INFO, "%s: %s was %s%s; reading it to its end",
               f->base.description, e->path, renamed ? "rotated to " : "rotated or deleted",
               renamed ? renamed : "");
        if (renamed) {
            sl_free(e->path);
            e->path = renamed;
        }
    }
}

/* Whether a finished entry's file can still be matched (exists, same inode, matches the pattern). */
static bool may_come_back(const struct source_file *f, const struct file_entry *e)
{
    struct stat st;
    return e->ino && stat(e->path, &st) == 0 && st.st_ino == e->ino && st.st_dev == e->dev &&
           fnmatch(f->pattern, e->path, FNM_PATHNAME) == 0;
}

void file_forget_finished(struct source_file *f)
{
    size_t kept = 0;
    for (size_t i = 0; i < f->nfiles; i++) {
        struct file_entry *e = f->files[i];
        if (e->finished && !may_come_back(f, e))
            file_entry_free(e);
        else
            f->files[kept++] = e;
    }
    f->nfiles = kept;
    if (f->current > kept)
        f->current = kept;
}

/* The pattern's directory, when it has no wildcard of its own: what inotify watches. */
static bool pattern_dir(const char *pattern, char *dir, size_t cap)
{
    const char *slash = strrchr(pattern, '/');
    size_t len = slash ? (size_t)(slash - pattern) : 1;
    if (len >= cap)
        return false;
    if (!slash)
        memcpy(dir, ".", 2);
    else {
        memcpy(dir, pattern, len ? len : 1);
        dir[len ? len : 1] = '\0';
    }
    return !has_wildcards(dir);
}

void file_watch_start(struct source_file *f)
{
    char dir[PATH_MAX];
    if (f->inotify_fd >= 0 || !pattern_dir(f->pattern, dir, sizeof dir))
        return;
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0)
        return;
    /* Any change in the directory wakes the reader; names that come, go or move rescan. */
    uint32_t mask = IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM |
                    IN_MOVED_TO | IN_ATTRIB;
    if (inotify_add_watch(fd, dir, mask) < 0) {
        close(fd);
        return;
    }
    f->inotify_fd = fd;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

void file_watch_wait(struct source_file *f, int timeout_ms)
{
    if (timeout_ms <= 0)
        return;
    if (f->inotify_fd < 0) {
        sleep_ms(timeout_ms);
        return;
    }
    struct pollfd p = {.fd = f->inotify_fd, .events = POLLIN};
    if (poll(&p, 1, timeout_ms) <= 0)
        return;
    char events[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t n;
    while ((n = read(f->inotify_fd, events, sizeof events)) > 0) {
        for (ssize_t at = 0; at < n;) {
            const struct inotify_event *ev = (const struct inotify_event *)(events + at);
            if (ev->mask & (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_Q_OVERFLOW |
                            IN_IGNORED))
                f->rescan = true;
            at += (ssize_t)(sizeof *ev + ev->len);
        }
    }
}
