/* source_stdin.c — standard input (fd 0) read to EOF, waiting with poll() up to the timeout. */
#include "connectors/source_impl.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "common/alloc.h"

struct source_stdin {
    struct sl_source base;
    bool eof;
};

static sl_status source_stdin_read(struct sl_source *s, char *buf, size_t cap, size_t *n,
                                   int timeout_ms, struct sl_error *err)
{
    struct source_stdin *in = (struct source_stdin *)s;
    if (in->eof)
        return SL_EOF;
    struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
    int pr = poll(&pfd, 1, timeout_ms);
    if (pr < 0 && errno == EINTR)
        return SL_AGAIN;
    if (pr < 0)
        return sl_error_set(err, SL_ERROR, "cannot poll stdin: %s", strerror(errno));
    if (pr == 0)
        return SL_AGAIN;
    ssize_t r = read(STDIN_FILENO, buf, cap);
    if (r < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
        return SL_AGAIN;
    if (r < 0)
        return sl_error_set(err, SL_ERROR, "cannot read stdin: %s", strerror(errno));
    if (r == 0) {
        in->eof = true;
        return SL_EOF;
    }
    *n = (size_t)r;
    return SL_OK;
}

static void source_stdin_close(struct sl_source *s)
{
    sl_free(s);
}

static const struct sl_source_ops source_stdin_ops = {.read = source_stdin_read,
                                                      .close = source_stdin_close};

static sl_status source_stdin_open(const struct sl_source_spec *spec, struct sl_source **out,
                                   struct sl_error *err)
{
    (void)spec;
    struct source_stdin *in = sl_calloc(1, sizeof *in);
    if (!in)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    in->base.ops = &source_stdin_ops;
    *out = &in->base;
    return SL_OK;
}

const struct sl_connector connector_stdin = {
    .name = "STDIN",
    .kind = SL_CONNECTOR_SOURCE,
    .summary = "The standard input of `sluice run`, read to its end.",
    .replayable = false,
    .reads_stdin = true,
    .open = source_stdin_open,
};
