/*
 * source_socket.c — a TCP client like Spark's socketTextStream. It connects
 * lazily with a non-blocking connect, so no call waits longer than its
 * timeout; refused or broken connections are retried with exponential
 * backoff (logged through sl_log); a clean close by the peer ends the stream.
 *
 * Records are lines, and a connection may break in the middle of one: the
 * bytes after the last newline are held back until their newline comes, so
 * that a break can drop them (a warning names them, and the stream's log
 * keeps them as a dead letter: source_take_dropped) instead of joining them
 * to the next connection's first bytes. A line longer than SOCK_HOLD_MAX
 * is handed on as it comes, unheld.
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
/* The longest partial line held back (the default max_record_bytes). */
#define SOCK_HOLD_MAX ((size_t)1 << 20)

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
    struct sl_buf held;    /* the partial line after the last newline handed out */
    bool unheld;           /* a line too long to hold is being handed on as it comes */
    struct sl_buf dropped; /* the partial line a break dropped, until taken */
    bool cut;              /* a break cut a record, until taken */
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

/* A connection broke: the partial line it left is dropped, never joined to the next one's. */
static void sock_drop_partial(struct source_socket *k, const char *reason)
{
    /* A line too long to hold went on as it came: the reader drops what it has of it. */
    k->cut = k->unheld || k->held.len;
    k->unheld = false;
    if (!k->held.len)
        return;
    char shown[100];
    source_show_bytes(k->held.data, k->held.len, shown, sizeof shown);
    sl_log(k->base.log, SL_LOG_WARN,
           "socket %s: the connection %s in the middle of a record: its %zu bytes received "
           "(\"%s\") are dropped, not joined to the next connection's",
           k->address, reason, k->held.len, shown);
    buf_clear(&k->dropped);
    buf_append(&k->dropped, k->held.data, k->held.len);
    buf_clear(&k->held);
}

/* A failed connect or a broken connection: try the next address, else back off (or give up). */
static void sock_fail(struct source_socket *k, int errnum)
{
    if (k->state == SOCK_CONNECTED) {
        char reason[128];
        sock_reason(errnum, reason, sizeof reason);
        char broke[160];
        snprintf(broke, sizeof broke, "broke (%s)", reason);
        sock_drop_partial(k, broke);
    }
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

/*
 * Hands out buf[0..total) (the held bytes, then those just read) up to its
 * last newline and holds the rest; a line past SOCK_HOLD_MAX, or one that
 * no longer fits the caller's buffer, goes on as it is. SL_AGAIN: all held.
 */
static sl_status sock_hand_out(struct source_socket *k, char *buf, size_t total, size_t cap,
                               size_t *n)
{
    size_t cut = total;
    while (cut > 0 && buf[cut - 1] != '\n')
        cut--;
    if (cut == 0 && (k->unheld || total >= SOCK_HOLD_MAX || total == cap)) {
        /* Too long to hold: on as it comes, until its newline. */
        k->unheld = true;
        *n = total;
        return SL_OK;
    }
    k->unheld = false;
    buf_append(&k->held, buf + cut, total - cut);
    *n = cut;
    return cut ? SL_OK : SL_AGAIN;
}

static sl_status sock_read_connected(struct source_socket *k, char *buf, size_t cap, size_t *n,
                                     int wait_ms)
{
    if (k->held.len >= cap) {
        /* Held more than the caller takes at once: on as it is. */
        memcpy(buf, k->held.data, cap);
        memmove(k->held.data, k->held.data + cap, k->held.len - cap);
        k->held.len -= cap;
        k->unheld = true;
        *n = cap;
        return SL_OK;
    }
    struct pollfd pfd = {.fd = k->fd, .events = POLLIN};
    if (poll(&pfd, 1, wait_ms) <= 0)
        return SL_AGAIN;
    /* What was held goes first, then what comes after it. */
    size_t have = k->held.len;
    ssize_t r = read(k->fd, buf + have, cap - have);
    int errnum = errno;
    if (r < 0 && (errnum == EINTR || errnum == EAGAIN || errnum == EWOULDBLOCK))
        return SL_AGAIN;
    if (r < 0) {
        sock_fail(k, errnum);
        return SL_AGAIN;
    }
    if (have)
        memcpy(buf, k->held.data, have);
    buf_clear(&k->held);
    if (r > 0)
        return sock_hand_out(k, buf, have + (size_t)r, cap, n);
    sl_log(k->base.log, SL_LOG_INFO, "socket %s: closed by peer; end of stream", k->address);
    sock_close_fd(k);
    k->state = SOCK_EOF;
    /* A last line without a newline is still a line. */
    *n = have;
    return have ? SL_OK : SL_EOF;
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
            /* After a break, the caller takes what it dropped before any new bytes come. */
            if (st != SL_AGAIN || k->state == SOCK_CONNECTED || k->cut ||
                sl_monotonic_us() >= deadline)
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
    buf_free(&k->held);
    buf_free(&k->dropped);
    sl_free(k->address);
    sl_free(k);
}

static bool source_socket_take_dropped(struct sl_source *s, struct sl_buf *out)
{
    struct source_socket *k = (struct source_socket *)s;
    bool cut = k->cut;
    if (k->dropped.len)
        buf_append(out, k->dropped.data, k->dropped.len);
    buf_clear(&k->dropped);
    k->cut = false;
    return cut;
}

static const struct sl_source_ops source_socket_ops = {
    .read = source_socket_read,
    .close = source_socket_close,
    .take_dropped = source_socket_take_dropped,
};

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
    buf_init(&k->held);
    buf_init(&k->dropped);
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
