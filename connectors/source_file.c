/*
 * source_file.c — a file read once from start to end (a regular file is
 * always ready: no poll). It can be read again from an offset: a checkpoint
 * records the file's identity (inode, and a hash of its first bytes up to
 * 4 KiB) so that a resume tells a file that grew (fine) from one truncated
 * or replaced (reported, never read from a wrong position).
 */
#include "connectors/source_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/hash.h"

/* How much of a file's start its identity hashes. */
#define HEAD_BYTES 4096

struct source_file {
    struct sl_source base;
    int fd;
    bool eof;
};

static sl_status source_file_read(struct sl_source *s, char *buf, size_t cap, size_t *n,
                                  int timeout_ms, struct sl_error *err)
{
    struct source_file *f = (struct source_file *)s;
    (void)timeout_ms;
    if (f->eof)
        return SL_EOF;
    ssize_t r;
    do {
        r = read(f->fd, buf, cap);
    } while (r < 0 && errno == EINTR);
    if (r < 0)
        return sl_error_set(err, SL_ERROR, "cannot read %s: %s", s->description, strerror(errno));
    if (r == 0) {
        f->eof = true;
        return SL_EOF;
    }
    *n = (size_t)r;
    return SL_OK;
}

static void source_file_close(struct sl_source *s)
{
    struct source_file *f = (struct source_file *)s;
    close(f->fd);
    sl_free(f);
}

/* Hash of the file's first len bytes; false (with err) when they cannot be read. */
static bool head_hash(const struct source_file *f, size_t len, uint64_t *hash,
                      struct sl_error *err)
{
    char buf[HEAD_BYTES];
    size_t got = 0;
    while (got < len) {
        ssize_t r = pread(f->fd, buf + got, len - got, (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            sl_error_set(err, SL_ERROR, "cannot read %s: %s", f->base.description,
                         r < 0 ? strerror(errno) : "shorter than its checkpoint");
            return false;
        }
        got += (size_t)r;
    }
    *hash = sl_hash_bytes(buf, len, 0);
    return true;
}

static sl_status source_file_identity(const struct sl_source *s, uint64_t offset,
                                      struct sl_buf *out, struct sl_error *err)
{
    const struct source_file *f = (const struct source_file *)s;
    struct stat st;
    if (fstat(f->fd, &st) != 0)
        return sl_error_set(err, SL_ERROR, "cannot stat %s: %s", s->description, strerror(errno));
    size_t len = offset < HEAD_BYTES ? (size_t)offset : HEAD_BYTES;
    uint64_t hash;
    if (!head_hash(f, len, &hash, err))
        return SL_ERROR;
    buf_printf(out, "inode=%" PRIu64 " head=%zu:%016" PRIx64, (uint64_t)st.st_ino, len, hash);
    return out->failed ? sl_error_set(err, SL_NOMEM, "out of memory") : SL_OK;
}

static sl_status source_file_seek(struct sl_source *s, uint64_t offset, const char *identity,
                                  struct sl_error *err)
{
    struct source_file *f = (struct source_file *)s;
    uint64_t inode, want;
    size_t len;
    if (sscanf(identity, "inode=%" SCNu64 " head=%zu:%" SCNx64, &inode, &len, &want) != 3 ||
        len > HEAD_BYTES || len > offset)
        return sl_error_set(err, SL_ERROR, "the checkpoint of %s does not say which file it read",
                            s->description);
    struct stat st;
    if (fstat(f->fd, &st) != 0)
        return sl_error_set(err, SL_ERROR, "cannot stat %s: %s", s->description, strerror(errno));
    if ((uint64_t)st.st_size < offset)
        return sl_error_set(err, SL_ERROR,
                            "%s was truncated: it has %" PRIu64 " bytes, and %" PRIu64
                            " had been read",
                            s->description, (uint64_t)st.st_size, offset);
    uint64_t hash;
    if (!head_hash(f, len, &hash, err))
        return SL_ERROR;
    if (hash != want)
        return sl_error_set(err, SL_ERROR,
                            "%s was replaced: its first %zu bytes are not the ones read before",
                            s->description, len);
    if (lseek(f->fd, (off_t)offset, SEEK_SET) < 0)
        return sl_error_set(err, SL_ERROR, "cannot seek in %s: %s", s->description,
                            strerror(errno));
    f->eof = false;
    return SL_OK;
}

static bool source_file_size(const struct sl_source *s, uint64_t *size)
{
    const struct source_file *f = (const struct source_file *)s;
    struct stat st;
    if (fstat(f->fd, &st) != 0)
        return false;
    *size = (uint64_t)st.st_size;
    return true;
}

static const struct sl_source_ops source_file_ops = {
    .read = source_file_read,
    .close = source_file_close,
    .identity = source_file_identity,
    .seek = source_file_seek,
    .size = source_file_size,
};

static sl_status source_file_open(const struct sl_source_spec *spec, struct sl_source **out,
                                  struct sl_error *err)
{
    int fd = open(spec->address, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sl_error_set(err, SL_ERROR, "cannot open file '%s': %s", spec->address,
                            strerror(errno));
    struct source_file *f = sl_calloc(1, sizeof *f);
    if (!f) {
        close(fd);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    f->base.ops = &source_file_ops;
    f->fd = fd;
    *out = &f->base;
    return SL_OK;
}

const struct sl_connector connector_file = {
    .name = "FILE",
    .kind = SL_CONNECTOR_SOURCE,
    .summary = "A file read to its end; lines appended before a resume are read then.",
    .replayable = true,
    .address_doc = "'path'",
    .open = source_file_open,
};
