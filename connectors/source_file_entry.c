/*
 * source_file_entry.c — one file of a FILE stream: its bytes from its
 * position on. A plain file is read with pread at the position, so what
 * is read but not handed out (a line not finished yet) is simply read
 * again; a .gz file is read through zlib, in order, and every byte read
 * is handed out. The entry keeps its first bytes for the checkpoint's
 * identity and to notice a file truncated and written again.
 */
#include "connectors/source_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/alloc.h"

/* How much of the head is compared before new bytes are read from a plain file. */
#define HEAD_CHECK_BYTES 256

bool file_is_gz(const char *path)
{
    size_t len = strlen(path);
    return len > 3 && strcmp(path + len - 3, ".gz") == 0;
}

struct file_entry *file_entry_open(const char *path, const struct stat *st, struct sl_error *err)
{
    struct file_entry *e = sl_calloc(1, sizeof *e);
    if (!e || !(e->path = sl_strdup(path))) {
        sl_free(e);
        sl_error_set(err, SL_NOMEM, "out of memory");
        return NULL;
    }
    /* Non-blocking: a FIFO put at a regular file's name since it was looked at
     * must not hold the process in open() waiting for a writer. */
    e->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (e->fd < 0) {
        file_error(err, path, errno, "cannot open file '%s'", path);
        file_entry_free(e);
        return NULL;
    }
    struct stat own;
    if (!st) {
        if (fstat(e->fd, &own) != 0) {
            sl_error_set(err, SL_ERROR, "cannot stat file '%s': %s", path, strerror(errno));
            file_entry_free(e);
            return NULL;
        }
        st = &own;
    }
    if (!S_ISREG(st->st_mode)) {
        sl_error_set(err, SL_ERROR, "'%s' is not a regular file", path);
        file_entry_free(e);
        return NULL;
    }
    e->dev = st->st_dev;
    e->ino = st->st_ino;
    e->seen_size = (uint64_t)st->st_size;
    e->seen_mtime = st->st_mtim;
    if (file_is_gz(path)) {
        int gz_fd = fcntl(e->fd, F_DUPFD_CLOEXEC, 0);
        e->gz = gz_fd >= 0 ? gzdopen(gz_fd, "rb") : NULL;
        if (!e->gz) {
            if (gz_fd >= 0)
                close(gz_fd);
            sl_error_set(err, SL_NOMEM, "cannot read file '%s' through zlib", path);
            file_entry_free(e);
            return NULL;
        }
    }
    return e;
}

void file_entry_close(struct file_entry *e)
{
    if (e->gz)
        gzclose(e->gz);
    e->gz = NULL;
    if (e->fd >= 0)
        close(e->fd);
    e->fd = -1;
}

void file_entry_free(struct file_entry *e)
{
    if (!e)
        return;
    file_entry_close(e);
    sl_free(e->path);
    sl_free(e);
}

/* A .gz file's next bytes; at the end of what was written, whether its stream is complete. */
static sl_status gz_peek(struct file_entry *e, char *buf, size_t cap, size_t *n,
                         struct sl_error *err)
{
    unsigned want = cap > (1u << 30) ? 1u << 30 : (unsigned)cap;
    int r = gzread(e->gz, buf, want);
    int zerr = Z_OK;
    const char *msg = r < 0 ? gzerror(e->gz, &zerr) : NULL;
    if (r < 0)
        return sl_error_set(err, SL_ERROR, "cannot read file '%s': %s", e->path, msg);
    *n = (size_t)r;
    if (r > 0)
        return SL_OK;
    gzerror(e->gz, &zerr);
    if (zerr == Z_OK) {
        e->gz_ended = true;
        return SL_OK;
    }
    /* Z_BUF_ERROR: the file ends inside its stream; a writer may still be at it. */
    gzclearerr(e->gz);
    return SL_AGAIN;
}

sl_status file_entry_peek(struct file_entry *e, char *buf, size_t cap, size_t *n,
                          struct sl_error *err)
{
    *n = 0;
    if (e->gz)
        return e->gz_ended ? SL_OK : gz_peek(e, buf, cap, n, err);
    ssize_t r;
    do {
        r = pread(e->fd, buf, cap, (off_t)e->pos);
    } while (r < 0 && errno == EINTR);
    if (r < 0)
        return sl_error_set(err, SL_ERROR, "cannot read file '%s': %s", e->path,
                            strerror(errno));
    *n = (size_t)r;
    return SL_OK;
}

void file_entry_advance(struct file_entry *e, const char *buf, size_t n)
{
    if (!n)
        return;
    if (e->head_len < FILE_HEAD_BYTES && e->pos == e->head_len) {
        size_t keep = FILE_HEAD_BYTES - e->head_len < n ? FILE_HEAD_BYTES - e->head_len : n;
        memcpy(e->head + e->head_len, buf, keep);
        e->head_len += keep;
    }
    e->pos += n;
    e->mid_line = buf[n - 1] != '\n';
}

bool file_entry_size(const struct file_entry *e, uint64_t *size)
{
    struct stat st;
    if (e->fd < 0 || fstat(e->fd, &st) != 0)
        return false;
    if (!e->gz) {
        *size = (uint64_t)st.st_size;
        return true;
    }
    /* gzip's trailer ends with the uncompressed size modulo 2^32 (ISIZE). */
    unsigned char isize[4];
    if (st.st_size < 18 || pread(e->fd, isize, 4, st.st_size - 4) != 4)
        return false;
    *size = (uint64_t)isize[0] | (uint64_t)isize[1] << 8 | (uint64_t)isize[2] << 16 |
            (uint64_t)isize[3] << 24;
    return true;
}

bool file_entry_changed(struct file_entry *e, uint64_t *size)
{
    struct stat st;
    if (e->fd < 0 || fstat(e->fd, &st) != 0)
        return false;
    *size = (uint64_t)st.st_size;
    bool changed = *size != e->seen_size || st.st_mtim.tv_sec != e->seen_mtime.tv_sec ||
                   st.st_mtim.tv_nsec != e->seen_mtime.tv_nsec;
    e->seen_size = *size;
    e->seen_mtime = st.st_mtim;
    return changed;
}

bool file_entry_head_intact(const struct file_entry *e)
{
    if (e->gz || !e->head_len)
        return true;
    char now[HEAD_CHECK_BYTES];
    size_t len = e->head_len < HEAD_CHECK_BYTES ? e->head_len : HEAD_CHECK_BYTES;
    return pread(e->fd, now, len, 0) == (ssize_t)len && memcmp(now, e->head, len) == 0;
}

sl_status file_entry_rewind(struct file_entry *e, struct sl_error *err)
{
    e->pos = 0;
    e->head_len = 0;
    e->mid_line = false;
    e->newline_added = false;
    e->gz_ended = false;
    if (e->gz && gzrewind(e->gz) != 0)
        return sl_error_set(err, SL_ERROR, "cannot read file '%s' again from its start",
                            e->path);
    return SL_OK;
}

sl_status file_entry_skip_to(struct file_entry *e, uint64_t pos, struct sl_error *err)
{
    sl_status st = file_entry_rewind(e, err);
    char buf[16384];
    while (st == SL_OK && e->pos < pos) {
        /* A plain file's head is all that needs reading: the rest is a jump. */
        if (!e->gz && e->head_len == FILE_HEAD_BYTES) {
            uint64_t size;
            char last;
            if (!file_entry_size(e, &size) || size < pos ||
                pread(e->fd, &last, 1, (off_t)pos - 1) != 1)
                return SL_EOF;
            e->pos = pos;
            e->mid_line = last != '\n';
            break;
        }
        size_t want = pos - e->pos < sizeof buf ? (size_t)(pos - e->pos) : sizeof buf;
        if (!e->gz && want > FILE_HEAD_BYTES - e->head_len)
            want = FILE_HEAD_BYTES - e->head_len;
        size_t n = 0;
        st = file_entry_peek(e, buf, want, &n, err);
        if (st == SL_AGAIN || (st == SL_OK && n == 0))
            return SL_EOF;
        if (st == SL_OK)
            file_entry_advance(e, buf, n);
    }
    return st;
}
