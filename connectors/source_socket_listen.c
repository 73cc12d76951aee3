/*
 * source_socket_listen.c — FROM SOCKET LISTEN 'host:port': a TCP server that
 * many senders write lines to at once (a syslog or Flume-netcat style
 * receiver); each line is a record, with the sender's "ip:port" as its
 * `sender` column. It binds when opened, so a taken port is an error at once.
 *
 * No thread of its own: each read polls the listening socket and every
 * connection (non-blocking) for at most its timeout, accepts, reads what
 * came, and hands out complete lines, taking turns among the senders so one
 * fast sender cannot starve the rest. A partial line is kept per connection
 * until its newline; a sender that closes with one gets it handed out as its
 * last record (netcat sends the last line of a file without a newline). A
 * line longer than max_record_bytes is cut (connectors/line_buffer.h), with a
 * warning. While paused the connections are not read, so TCP pushes back on
 * the senders; past max_senders a new sender is accepted and closed at once.
 * A sender whose line stays unfinished for record_timeout (one that trickles
 * a byte now and then, or stops mid-line) is closed and the part dropped, so
 * slow senders cannot keep slots and partial lines for ever; a sender quiet
 * between lines holds nothing but its slot and stays.
 */
#include "connectors/line_buffer.h"
#include "connectors/net_address.h"
#include "connectors/source_impl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"

/* What one read(2) of a connection takes at most: a turn's worth for one sender. */
#define LISTEN_READ_BYTES 65536

struct listen_conn {
    int fd;
    bool closed; /* the peer closed (or reset) it: its partial line goes out, then it goes */
    bool done;   /* all handed out: freed at the next read, when its records are released */
    bool warned_cut;
    bool reset; /* closed by an error (a reset): its partial line is dropped, not handed out */
    bool timed_out;      /* closed by us: its line stayed unfinished past record_timeout */
    int64_t partial_us;  /* when its unfinished line was first seen (0: none) */
    char sender[64]; /* "ip:port", the records' key */
    struct sl_linebuf lines;
};

struct source_listen {
    struct sl_source base;
    int fd;
    char bound[80]; /* the address really bound (port 0 picks one) */
    size_t max_senders, max_line;
    int64_t record_timeout_us;
    struct listen_conn **conns;
    size_t nconns, cap_conns;
    size_t turn; /* the connection whose lines go first in the next read */
    struct pollfd *pfds;
    size_t cap_pfds;
    atomic_bool paused;
    bool announced; /* "listening on ..." logged (the log is set after the open) */
    bool at_limit;
    bool was_paused; /* unfinished lines are timed again from the resume: we did not read them */
    uint64_t refused, cut, timed_out;
    struct sl_buf dropped; /* partial lines of senders whose connection broke, until taken */
    bool broke;
    char state[128];
    /* Where a connection's bytes are read to: a sender's buffer grows by what it sent, not by a read's room. */
    char scratch[LISTEN_READ_BYTES];
};

static void listen_update_state(struct source_listen *k)
{
    int n = snprintf(k->state, sizeof k->state, "listening, %zu sender%s%s", k->nconns,
                     k->nconns == 1 ? "" : "s", atomic_load(&k->paused) ? ", paused" : "");
    if (k->refused && n > 0 && (size_t)n < sizeof k->state)
        n += snprintf(k->state + n, sizeof k->state - (size_t)n, ", %llu refused (max_senders)",
                      (unsigned long long)k->refused);
    if (k->cut && n > 0 && (size_t)n < sizeof k->state)
        n += snprintf(k->state + n, sizeof k->state - (size_t)n, ", %llu line%s cut",
                      (unsigned long long)k->cut, k->cut == 1 ? "" : "s");
    if (k->timed_out && n > 0 && (size_t)n < sizeof k->state)
        snprintf(k->state + n, sizeof k->state - (size_t)n, ", %llu timed out (record_timeout)",
                 (unsigned long long)k->timed_out);
}

static void conn_free(struct listen_conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    linebuf_free(&c->lines);
    sl_free(c);
}

/* "ip:port" of a peer, IPv6 in brackets. */
static void format_peer(const struct sockaddr_storage *sa, char *out, size_t cap)
{
    char ip[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    if (sa->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
        port = ntohs(in->sin_port);
        snprintf(out, cap, "%s:%u", ip, port);
    } else {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
        port = ntohs(in6->sin6_port);
        snprintf(out, cap, "[%s]:%u", ip, port);
    }
}

static void listen_add(struct source_listen *k, int fd, const struct sockaddr_storage *peer)
{
    struct listen_conn *c = NULL;
    if (k->nconns == k->cap_conns) {
        size_t cap = k->cap_conns ? k->cap_conns * 2 : 8;
        struct listen_conn **grown = sl_realloc(k->conns, cap * sizeof *grown);
        if (grown) {
            k->conns = grown;
            k->cap_conns = cap;
        }
    }
    if (k->nconns == k->cap_conns || !(c = sl_calloc(1, sizeof *c))) {
        sl_log(k->base.log, SL_LOG_WARN, "%s: out of memory: a sender is turned away",
               k->base.description);
        close(fd);
        return;
    }
    c->fd = fd;
    format_peer(peer, c->sender, sizeof c->sender);
    linebuf_init(&c->lines, k->max_line);
    k->conns[k->nconns++] = c;
    sl_log(k->base.log, SL_LOG_DEBUG, "%s: sender %s connected", k->base.description, c->sender);
}

/* Takes every sender waiting to connect; past max_senders, closes them at once. */
static void listen_accept(struct source_listen *k)
{
    for (;;) {
        struct sockaddr_storage peer;
        socklen_t len = sizeof peer;
        int fd = accept4(k->fd, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED)
                sl_log(k->base.log, SL_LOG_WARN, "%s: accept: %s", k->base.description,
                       strerror(errno));
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            return;
        }
        if (k->nconns < k->max_senders) {
            if (k->at_limit)
                sl_log(k->base.log, SL_LOG_INFO, "%s: below max_senders (%zu) again",
                       k->base.description, k->max_senders);
            k->at_limit = false;
            listen_add(k, fd, &peer);
            continue;
        }
        close(fd);
        k->refused++;
        if (!k->at_limit)
            sl_log(k->base.log, SL_LOG_WARN,
                   "%s: %zu senders are connected (max_senders): new ones are closed at once",
                   k->base.description, k->max_senders);
        k->at_limit = true;
    }
}

/* One read(2) of a connection that poll found ready; a close or an error ends it. */
static void listen_read_conn(struct source_listen *k, struct listen_conn *c)
{
    ssize_t r = read(c->fd, k->scratch, sizeof k->scratch);
    if (r > 0 && linebuf_append(&c->lines, k->scratch, (size_t)r))
        return;
    if (r > 0) {
        sl_log(k->base.log, SL_LOG_WARN, "%s: out of memory: sender %s is cut off",
               k->base.description, c->sender);
        r = 0;
    }
    if (r < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
        return;
    sl_log(k->base.log, SL_LOG_DEBUG, "%s: sender %s %s", k->base.description, c->sender,
           r == 0 ? "closed its connection" : strerror(errno));
    close(c->fd);
    c->fd = -1;
    c->closed = true;
    c->reset = r < 0;
}

/* Waits up to wait_ms for senders, new ones or lines; paused: for new senders only. */
static void listen_poll(struct source_listen *k, int wait_ms, bool paused)
{
    size_t want = 1 + k->nconns;
    if (want > k->cap_pfds) {
        struct pollfd *grown = sl_realloc(k->pfds, want * sizeof *grown);
        if (!grown) {
            poll(NULL, 0, wait_ms);
            return;
        }
        k->pfds = grown;
        k->cap_pfds = want;
    }
    size_t n = 0;
    k->pfds[n++] = (struct pollfd){.fd = k->fd, .events = POLLIN};
    for (size_t i = 0; i < k->nconns && !paused; i++)
        if (!k->conns[i]->closed)
            k->pfds[n++] = (struct pollfd){.fd = k->conns[i]->fd, .events = POLLIN};
    if (poll(k->pfds, (nfds_t)n, wait_ms) <= 0)
        return;
    /* The pollfds after the first are the open connections, in order. */
    for (size_t i = 0, p = 1; i < k->nconns && p < n; i++) {
        struct listen_conn *c = k->conns[i];
        if (c->closed)
            continue;
        if (k->pfds[p++].revents)
            listen_read_conn(k, c);
    }
    if (k->pfds[0].revents)
        listen_accept(k);
}

static void listen_emit(struct source_listen *k, struct listen_conn *c, const char *line,
                        size_t len, struct sl_record *out, size_t *n)
{
    out[*n] = (struct sl_record){.value = line, .len = len, .key = c->sender,
                                 .key_len = strlen(c->sender), .partition = -1,
                                 .offset = (int64_t)(k->base.offset + *n),
                                 .timestamp_us = INT64_MIN};
    (*n)++;
}

/* A sender's lines were cut: said once per sender, counted for SHOW STREAMS. */
static void listen_note_cut(struct source_listen *k, struct listen_conn *c, uint64_t before)
{
    if (c->lines.cut == before)
        return;
    k->cut += c->lines.cut - before;
    if (!c->warned_cut)
        sl_log(k->base.log, SL_LOG_WARN,
               "%s: sender %s sent a line longer than max_record_bytes (%zu): cut to that length",
               k->base.description, c->sender, k->max_line);
    c->warned_cut = true;
}

/* A sender whose connection broke (reset) or timed out left a partial line:
 * dropped with a warning naming it, and kept for the stream's dead letter (take_dropped). */
static void listen_drop(struct source_listen *k, const struct listen_conn *c, const char *line,
                        size_t len)
{
    char shown[100];
    source_show_bytes(line, len, shown, sizeof shown);
    if (!c->timed_out) /* said when it was closed (listen_time_partial) */
        sl_log(k->base.log, SL_LOG_WARN,
               "%s: sender %s's connection broke in the middle of a record: its %zu bytes "
               "received (\"%s\") are dropped",
               k->base.description, c->sender, len, shown);
    if (k->dropped.len)
        buf_putc(&k->dropped, '\n');
    buf_append(&k->dropped, line, len);
    k->broke = true;
}

/* Every complete line of an open sender handed out: the rest, if any, is an
 * unfinished line (or a cut one being skipped), timed from when it was first
 * seen; past record_timeout the sender is closed as if reset (the part dropped). */
static void listen_time_partial(struct source_listen *k, struct listen_conn *c, bool ended,
                                int64_t now)
{
    if (ended || (!linebuf_pending(&c->lines) && !c->lines.skipping)) {
        c->partial_us = 0;
        if (linebuf_pending(&c->lines) || c->lines.skipping)
            c->partial_us = now;
        return;
    }
    if (!c->partial_us) {
        c->partial_us = now;
        return;
    }
    if (now - c->partial_us < k->record_timeout_us)
        return;
    char timeout[48];
    sl_duration_format(k->record_timeout_us, timeout);
    sl_log(k->base.log, SL_LOG_WARN,
           "%s: sender %s left a record unfinished past record_timeout (%s): its connection is "
           "closed, the %zu bytes of it held are dropped",
           k->base.description, c->sender, timeout, linebuf_pending(&c->lines));
    close(c->fd);
    c->fd = -1;
    c->closed = c->reset = c->timed_out = true;
    k->timed_out++;
}

/* Complete lines, up to cap, a sender at a time from k->turn on; a closed sender's partial last. */
static size_t listen_gather(struct source_listen *k, struct sl_record *out, size_t cap)
{
    size_t n = 0;
    int64_t now = sl_monotonic_us();
    for (size_t i = 0; i < k->nconns && n < cap; i++) {
        struct listen_conn *c = k->conns[(k->turn + i) % k->nconns];
        uint64_t cut_before = c->lines.cut;
        size_t first = n;
        const char *line;
        size_t len;
        while (n < cap && linebuf_next(&c->lines, &line, &len))
            listen_emit(k, c, line, len, out, &n);
        listen_note_cut(k, c, cut_before);
        if (n < cap && !c->closed)
            listen_time_partial(k, c, n > first, now);
        if (n < cap && c->closed && !c->done) {
            if ((len = linebuf_take_partial(&c->lines, &line)) > 0 && c->reset)
                listen_drop(k, c, line, len);
            else if (len > 0)
                listen_emit(k, c, line, len, out, &n);
            c->done = true;
        }
    }
    if (k->nconns)
        k->turn = (k->turn + 1) % k->nconns;
    return n;
}

/* What the last read handed out is released: its room reused, finished senders freed. */
static void listen_release(struct source_listen *k)
{
    size_t kept = 0;
    for (size_t i = 0; i < k->nconns; i++) {
        struct listen_conn *c = k->conns[i];
        if (c->done) {
            conn_free(c);
            continue;
        }
        linebuf_release(&c->lines);
        k->conns[kept++] = c;
    }
    k->nconns = kept;
    if (k->turn >= kept)
        k->turn = 0;
}

static int ms_until(int64_t deadline_us)
{
    int64_t left = deadline_us - sl_monotonic_us();
    return left <= 0 ? 0 : (int)((left + SL_US_PER_MS - 1) / SL_US_PER_MS);
}

static sl_status listen_read_records(struct sl_source *s, struct sl_record *out, size_t cap,
                                     size_t *n, int timeout_ms, struct sl_error *err)
{
    (void)err;
    struct source_listen *k = (struct source_listen *)s;
    if (!k->announced)
        sl_log(s->log, SL_LOG_INFO, "%s: listening on %s", s->description, k->bound);
    k->announced = true;
    listen_release(k);
    int64_t deadline = sl_monotonic_us() + (int64_t)timeout_ms * SL_US_PER_MS;
    if (atomic_load(&k->paused)) {
        listen_poll(k, timeout_ms, true);
        listen_update_state(k);
        k->was_paused = true;
        return SL_AGAIN;
    }
    for (size_t i = 0; i < k->nconns && k->was_paused; i++)
        k->conns[i]->partial_us = 0;
    k->was_paused = false;
    for (;;) {
        *n = listen_gather(k, out, cap);
        int wait_ms = ms_until(deadline);
        if (*n || wait_ms == 0)
            break;
        listen_poll(k, wait_ms, false);
    }
    listen_update_state(k);
    return *n ? SL_OK : SL_AGAIN;
}

static void listen_pause(struct sl_source *s, bool paused)
{
    struct source_listen *k = (struct source_listen *)s;
    atomic_store(&k->paused, paused);
}

static const char *listen_state(const struct sl_source *s)
{
    const struct source_listen *k = (const struct source_listen *)s;
    return k->state;
}

static void listen_close(struct sl_source *s)
{
    struct source_listen *k = (struct source_listen *)s;
    for (size_t i = 0; i < k->nconns; i++)
        conn_free(k->conns[i]);
    if (k->fd >= 0)
        close(k->fd);
    sl_free(k->conns);
    sl_free(k->pfds);
    buf_free(&k->dropped);
    sl_free(k);
}

static bool listen_take_dropped(struct sl_source *s, struct sl_buf *out)
{
    struct source_listen *k = (struct source_listen *)s;
    bool broke = k->broke;
    if (k->dropped.len)
        buf_append(out, k->dropped.data, k->dropped.len);
    buf_clear(&k->dropped);
    k->broke = false;
    return broke;
}

static const struct sl_source_ops listen_ops = {
    .close = listen_close,
    .read_records = listen_read_records,
    .take_dropped = listen_take_dropped,
    .pause = listen_pause,
    .state = listen_state,
};

/* A socket bound to the first of address's addresses that takes it, listening. */
static sl_status listen_bind(struct source_listen *k, const char *address, struct sl_error *err)
{
    sl_status st = net_listen("SOCKET LISTEN", address, SOCK_NONBLOCK, SOMAXCONN, &k->fd, err);
    if (st != SL_OK)
        return st;
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    if (getsockname(k->fd, (struct sockaddr *)&sa, &len) == 0)
        format_peer(&sa, k->bound, sizeof k->bound);
    return SL_OK;
}

enum { LISTEN_MAX_SENDERS, LISTEN_MAX_RECORD_BYTES, LISTEN_RECORD_TIMEOUT };

static sl_status listen_open(const struct sl_source_spec *spec, struct sl_source **out,
                             struct sl_error *err)
{
    struct source_listen *k = sl_calloc(1, sizeof *k);
    const char *prefix = "socket listen:";
    size_t dlen = strlen(prefix) + strlen(spec->address) + 1;
    if (!k || !(k->base.description = sl_malloc(dlen))) {
        sl_free(k);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    snprintf(k->base.description, dlen, "%s%s", prefix, spec->address);
    k->base.ops = &listen_ops;
    k->fd = -1;
    k->max_senders = (size_t)source_option_num(spec, LISTEN_MAX_SENDERS);
    k->max_line = (size_t)source_option_num(spec, LISTEN_MAX_RECORD_BYTES);
    k->record_timeout_us = source_option_num(spec, LISTEN_RECORD_TIMEOUT);
    atomic_init(&k->paused, false);
    snprintf(k->bound, sizeof k->bound, "%s", spec->address);
    sl_status st = listen_bind(k, spec->address, err);
    if (st != SL_OK) {
        sl_free(k->base.description);
        listen_close(&k->base);
        return st;
    }
    listen_update_state(k);
    *out = &k->base;
    return SL_OK;
}

static const struct sl_option_def listen_options[] = {
    [LISTEN_MAX_SENDERS] = {"max_senders", SL_OPTION_INT, 1, 65536, 1024, "1024",
                            "senders connected at once; one more is closed as it connects"},
    [LISTEN_MAX_RECORD_BYTES] = {"max_record_bytes", SL_OPTION_SIZE, 1, INT64_C(1) << 30,
                                 INT64_C(1) << 20, "1048576 (1 MiB)",
                                 "a longer line is cut to this length, with a warning: a "
                                 "sender's memory stays bounded"},
    [LISTEN_RECORD_TIMEOUT] = {"record_timeout", SL_OPTION_DURATION, SL_US_PER_MS,
                               INT64_C(86400) * SL_US_PER_SEC, 60 * SL_US_PER_SEC, "1 minute",
                               "a sender whose line stays unfinished this long is closed and the "
                               "part dropped (a dead letter): slow senders do not keep slots"},
};

static const struct sl_metadata_def listen_metadata[] = {
    {"sender", SL_TEXT, SL_FIELD_KEY, "the sender's address, 'ip:port'"},
};

const struct sl_connector connector_socket_listen = {
    .name = "SOCKET",
    .kind = SL_CONNECTOR_SOURCE,
    .summary = "Lines that many TCP senders write at once, as a server (a syslog or "
               "Flume-netcat style receiver): each line is a record, with its sender's "
               "address in the `sender` column.",
    .replayable = false,
    .listens = true,
    .address_doc = "'[host:]port'",
    .check_address = net_check_listen_address,
    .options = listen_options,
    .noptions = sizeof listen_options / sizeof listen_options[0],
    .metadata = listen_metadata,
    .nmetadata = sizeof listen_metadata / sizeof listen_metadata[0],
    .open = listen_open,
};
