/* source_file.c — a file read once from start to end (a regular file is always ready: no poll). */
#include "connectors/source_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "common/alloc.h"

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

static const struct sl_source_ops source_file_ops = {source_file_read, source_file_close};

sl_status source_file_open(const struct sl_source_spec *spec, struct sl_source **out,
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
