/*
 * source_socket.c — a TCP client like Spark's socketTextStream. It connects
 * lazily with a non-blocking connect, so no call waits longer than its
 * timeout; refused or broken connections are retried with exponential
 * backoff (logged through sl_log); a clean close by the peer ends the stream.
 */
#include "connectors/source_impl.h"
#include "connectors/net_address.h"

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"
#include "connectors/retry.h"

#define SOCK_MAX_ADDRS 8

enum sock_state {
    SOCK_IDLE,       /* ready to try the next address */
    SOCK_CONNECTING, /* a non-blocking connect is in flight */
    SOCK_CONNECTED,
    SOCK_WAITING,    /* backing off until next_attempt_us */
    SOCK_EOF,
    SOCK_FAILED,     /* retries exhausted; fail_msg says why */
};

struct source_socket {
    struct sl_source base;
    char *address; /* "host:port" as the user wrote it */
    struct sockaddr_storage addrs[SOCK_MAX_ADDRS];
    socklen_t addr_lens[SOCK_MAX_ADDRS];
    int naddrs;
    int addr_idx;
    enum sock_state state;
    int fd;
    bool ever_connected;
    struct sl_retry retry;
    int64_t next_attempt_us;
    char fail_msg[256];
};

/* strerror() text with a lowercase first letter, to read well inside a sentence. */
static void sock_reason(int errnum, char *out, size_t cap)
{
    snprintf(out, cap, "%s", strerror(errnum));
    out[0] = (char)tolower((unsigned char)out[0]);
}

static sl_status sock_resolve(struct source_socket *k, struct sl_error *err)
{
    char host[256], port[16];
    sl_status st = net_split_address(k->address, host, sizeof host, port, sizeof port, err);
    if (st != SL_OK)
        return st;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0)
        return sl_error_set(err, SL_ERROR, "socket '%s': cannot resolve host '%s': %s", k->address,
                            host, gai_strerror(rc));
    /* Copied out so the rest of the source's life needs no libc-owned memory. */
    for (struct addrinfo *ai = res; ai && k->naddrs < SOCK_MAX_ADDRS; ai = ai->ai_next) {
        memcpy(&k->addrs[k->naddrs], ai->ai_addr, ai->ai_addrlen);
        k->addr_lens[k->naddrs++] = ai->ai_addrlen;
    }
    freeaddrinfo(res);
    if (k->naddrs == 0)
        return sl_error_set(err, SL_ERROR, "socket '%s': host '%s' has no address", k->address,
                            host);
    return SL_OK;
}

static void sock_close_fd(struct source_socket *k)
{
    if (k->fd >= 0)
        close(k->fd);
    k->fd = -1;
}

/* A failed connect or a broken connection: try the next address, else back off (or give up). */
static void sock_fail(struct source_socket *k, int errnum)
{
    sock_close_fd(k);
    if (k->addr_idx + 1 < k->naddrs) {
        k->addr_idx++;
        k->state = SOCK_IDLE;
        return;
    }
    k->addr_idx = 0;
    char reason[128];
    sock_reason(errnum, reason, sizeof reason);
    int64_t wait_us;
    if (!retry_failed(&k->retry, &wait_us)) {
        snprintf(k->fail_msg, sizeof k->fail_msg, "socket %s: %s; gave up after %lld retries",
                 k->address, reason, (long long)k->retry.attempts);
        sl_log(k->base.log, SL_LOG_ERROR, "%s", k->fail_msg);
        k->state = SOCK_FAILED;
        return;
    }
    sl_log(k->base.log, SL_LOG_WARN, "socket %s: %s; retrying in %lld ms", k->address, reason,
           (long long)(wait_us / SL_US_PER_MS));
    k->next_attempt_us = sl_monotonic_us() + wait_us;
    k->state = SOCK_WAITING;
}

static void sock_connected(struct source_socket *k)
{
    sl_log(k->base.log, SL_LOG_INFO, "socket %s: %s", k->address,
           k->ever_connected ? "reconnected" : "connected");
    k->ever_connected = true;
    k->state = SOCK_CONNECTED;
    k->addr_idx = 0;
    retry_succeeded(&k->retry);
}

static void sock_start_connect(struct source_socket *k)
{
    const struct sockaddr *sa = (const struct sockaddr *)&k->addrs[k->addr_idx];
    k->fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (k->fd < 0) {
        sock_fail(k, errno);
        return;
    }
    if (connect(k->fd, sa, k->addr_lens[k->addr_idx]) == 0)
        sock_connected(k);
    else if (errno == EINPROGRESS || errno == EINTR)
        k->state = SOCK_CONNECTING;
    else
        sock_fail(k, errno);
}

/* Milliseconds from now to deadline, rounded up so a wait never ends just short of it. */
static int sock_ms_until(int64_t deadline_us, int64_t now_us)
{
    if (deadline_us <= now_us)
        return 0;
    return (int)((deadline_us - now_us + SL_US_PER_MS - 1) / SL_US_PER_MS);
}

static sl_status sock_read_connected(struct source_socket *k, char *buf, size_t cap, size_t *n,
                                     int wait_ms)
{
    struct pollfd pfd = {.fd = k->fd, .events = POLLIN};
    int pr = poll(&pfd, 1, wait_ms);
    if (pr <= 0)
        return SL_AGAIN;
    ssize_t r = read(k->fd, buf, cap);
    if (r > 0) {
        *n = (size_t)r;
        return SL_OK;
    }
    if (r == 0) {
        sl_log(k->base.log, SL_LOG_INFO, "socket %s: closed by peer; end of stream", k->address);
        sock_close_fd(k);
        k->state = SOCK_EOF;
        return SL_EOF;
    }
    if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
        return SL_AGAIN;
    sock_fail(k, errno);
    return SL_AGAIN;
}

static sl_status source_socket_read(struct sl_source *s, char *buf, size_t cap, size_t *n,
                                    int timeout_ms, struct sl_error *err)
{
    struct source_socket *k = (struct source_socket *)s;
    int64_t deadline = sl_monotonic_us() + timeout_ms * SL_US_PER_MS;
    for (;;) {
        int64_t now = sl_monotonic_us();
        switch (k->state) {
        case SOCK_EOF: return SL_EOF;
        case SOCK_FAILED: return sl_error_set(err, SL_ERROR, "%s", k->fail_msg);
        case SOCK_WAITING:
            if (now >= k->next_attempt_us) {
                k->state = SOCK_IDLE;
                break;
            }
            if (now >= deadline)
                return SL_AGAIN;
            poll(NULL, 0, sock_ms_until(k->next_attempt_us < deadline ? k->next_attempt_us : deadline,
                                        now));
            break;
        case SOCK_IDLE: sock_start_connect(k); break;
        case SOCK_CONNECTING: {
            struct pollfd pfd = {.fd = k->fd, .events = POLLOUT};
            if (poll(&pfd, 1, sock_ms_until(deadline, now)) <= 0)
                return SL_AGAIN;
            int soerr = 0;
            socklen_t len = sizeof soerr;
            if (getsockopt(k->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
                soerr = errno;
            if (soerr)
                sock_fail(k, soerr);
            else
                sock_connected(k);
            break;
        }
        case SOCK_CONNECTED: {
            sl_status st = sock_read_connected(k, buf, cap, n, sock_ms_until(deadline, now));
            if (st != SL_AGAIN || k->state == SOCK_CONNECTED || sl_monotonic_us() >= deadline)
                return st;
            break;
        }
        }
    }
}

static void source_socket_close(struct sl_source *s)
{
    struct source_socket *k = (struct source_socket *)s;
    sock_close_fd(k);
    sl_free(k->address);
    sl_free(k);
}

static const struct sl_source_ops source_socket_ops = {.read = source_socket_read,
                                                       .close = source_socket_close};

/* The options: the retry ones first (retry.h). */
enum { SOCKET_RETRY };

static sl_status source_socket_open(const struct sl_source_spec *spec, struct sl_source **out,
                                    struct sl_error *err)
{
    struct source_socket *k = sl_calloc(1, sizeof *k);
    if (!k)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    k->base.ops = &source_socket_ops;
    k->fd = -1;
    k->state = SOCK_IDLE;
    retry_init(&k->retry, spec, SOCKET_RETRY);
    k->address = sl_strdup(spec->address);
    if (!k->address) {
        sl_free(k);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    sl_status st = sock_resolve(k, err);
    if (st != SL_OK) {
        source_socket_close(&k->base);
        return st;
    }
    *out = &k->base;
    return SL_OK;
}

static const struct sl_option_def socket_options[] = {SL_RETRY_OPTION_DEFS};
/* Their names before every network source had the same. */
static const char *const socket_old_option_names[] = {"reconnect_delay", "reconnect_max_delay",
                                                      "reconnect_retries"};

const struct sl_connector connector_socket = {
    .name = "SOCKET",
    .kind = SL_CONNECTOR_SOURCE,
    .summary = "Lines a TCP server writes, as a client (like Spark's socketTextStream); it "
               "ends when the peer closes cleanly, and a refused or reset connection is "
               "retried with exponential backoff.",
    .replayable = false,
    .address_doc = "'host:port'",
    .check_address = net_check_address,
    .options = socket_options,
    .noptions = sizeof socket_options / sizeof socket_options[0],
    .old_option_names = socket_old_option_names,
    .open = source_socket_open,
};
