/* test_connectors_line_sources.c — the line-per-record push sources' parts: the line
 * buffer (pieces, "\r\n", cut lines, partial lines), the URL source's headers option,
 * SOCKET LISTEN against real senders (many at once, a last line without newline, pause
 * pushing back, max_senders, a taken port), and URL against a canned HTTP server (an
 * error status retried then given up on, lines streamed, pause, a 204 ending it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "common/time.h"
#include "connectors/line_buffer.h"
#include "connectors/source.h"
#include "connectors/url_headers.h"

static void feed(struct sl_linebuf *b, const char *text)
{
    assert_true(linebuf_append(b, text, strlen(text)));
}

static void expect_line(struct sl_linebuf *b, const char *want)
{
    const char *line;
    size_t len;
    assert_true(linebuf_next(b, &line, &len));
    assert_int_equal(len, strlen(want));
    assert_memory_equal(line, want, len);
}

static void test_linebuf_pieces(void **state)
{
    (void)state;
    struct sl_linebuf b;
    linebuf_init(&b, 100);
    feed(&b, "ab");
    const char *line;
    size_t len;
    assert_false(linebuf_next(&b, &line, &len));
    feed(&b, "c\r\nd\n\nef");
    expect_line(&b, "abc");
    expect_line(&b, "d");
    expect_line(&b, "");
    assert_false(linebuf_next(&b, &line, &len));
    linebuf_release(&b);
    feed(&b, "g");
    assert_int_equal(linebuf_take_partial(&b, &line), 3);
    assert_memory_equal(line, "efg", 3);
    assert_int_equal(linebuf_pending(&b), 0);
    linebuf_free(&b);
}

/* A line past max_line: its head comes out at once, the rest is dropped up to its newline. */
static void test_linebuf_cut(void **state)
{
    (void)state;
    struct sl_linebuf b;
    linebuf_init(&b, 4);
    feed(&b, "abcdef");
    expect_line(&b, "abcd");
    linebuf_release(&b);
    feed(&b, "ghij");
    const char *line;
    size_t len;
    assert_false(linebuf_next(&b, &line, &len));
    feed(&b, "kl\nmn\nopqrstu\nv");
    expect_line(&b, "mn");
    expect_line(&b, "opqr");
    assert_false(linebuf_next(&b, &line, &len));
    assert_int_equal(b.cut, 2);
    assert_int_equal(linebuf_take_partial(&b, &line), 1);
    linebuf_free(&b);
}

static void test_linebuf_drop_partial(void **state)
{
    (void)state;
    struct sl_linebuf b;
    linebuf_init(&b, 100);
    feed(&b, "one\ntwo\nthr");
    assert_int_equal(linebuf_drop_partial(&b), 3);
    feed(&b, "four\n");
    expect_line(&b, "one");
    expect_line(&b, "two");
    expect_line(&b, "four");
    linebuf_free(&b);
}

/* A backlog taken a line a read while more comes: every line comes out whole, in order,
 * and the buffer stays within twice what it holds. */
static void test_linebuf_backlog(void **state)
{
    (void)state;
    struct sl_linebuf b;
    linebuf_init(&b, 100);
    int next_in = 0, next_out = 0;
    char line[32];
    for (int round = 0; round < 2000; round++) {
        linebuf_release(&b);
        for (int i = 0; i < 3; i++) {
            snprintf(line, sizeof line, "line %d\n", next_in++);
            feed(&b, line);
        }
        for (int i = 0; i < 2; i++) {
            snprintf(line, sizeof line, "line %d", next_out++);
            expect_line(&b, line);
        }
    }
    assert_true(b.cap <= 4 * (b.len - b.released) + 4096);
    linebuf_free(&b);
}

static void collect(void *ctx, const char *header, size_t len)
{
    char *out = ctx;
    strncat(out, header, len);
    strcat(out, "|");
}

static void test_url_headers(void **state)
{
    (void)state;
    char got[256] = "";
    assert_null(url_headers_each("Authorization: Bearer x; Accept: text/plain; charset=utf-8\n"
                                 "X-A:1;X-B: 2 ;",
                                 collect, got));
    assert_string_equal(got, "Authorization: Bearer x|Accept: text/plain; charset=utf-8|X-A:1|"
                             "X-B: 2|");
    got[0] = '\0';
    assert_null(url_headers_each("Accept: a; q=1", collect, got));
    assert_string_equal(got, "Accept: a; q=1|");
    got[0] = '\0';
    assert_non_null(url_headers_each("no colon here", collect, got));
    assert_string_equal(got, "");
    assert_null(url_headers_each("", collect, got));
    assert_null(url_header_name_check("Last-Event-ID"));
    assert_non_null(url_header_name_check("Last Event"));
}

/* The log's last line, where SOCKET LISTEN says which port it bound. */
static char last_log[512];
static void keep_log(enum sl_log_level level, const char *msg, void *ctx)
{
    (void)level, (void)ctx;
    snprintf(last_log, sizeof last_log, "%s", msg);
}
static const struct sl_log test_log = {.fn = keep_log, .min_level = SL_LOG_DEBUG + 1};

static struct sl_source *open_listener(const char *address, int64_t max_senders, uint16_t *port)
{
    struct sl_source_spec spec = {.connector = connector_find("SOCKET", true), .address = address};
    assert_non_null(spec.connector);
    if (max_senders) {
        int i = connector_option_index(spec.connector, "max_senders");
        spec.options[i] = (struct sl_option_value){.set = true, .num = max_senders};
    }
    struct sl_source *s = NULL;
    struct sl_error err;
    assert_int_equal(source_open(&spec, &s, &err), SL_OK);
    source_set_log(s, &test_log);
    size_t n;
    struct sl_record r[1];
    assert_int_equal(source_read_records(s, r, 1, &n, 0, &err), SL_AGAIN);
    const char *colon = strrchr(last_log, ':');
    assert_non_null(strstr(last_log, "listening on 127.0.0.1:"));
    *port = (uint16_t)atoi(colon + 1);
    return s;
}

static int connect_to(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

/* Records until want arrived, as "sender-index:line" in arrival order per sender. */
static size_t read_lines(struct sl_source *s, size_t want, char lines[][32], char keys[][64])
{
    size_t got = 0;
    struct sl_error err;
    int64_t give_up = sl_monotonic_us() + 10 * SL_US_PER_SEC;
    while (got < want && sl_monotonic_us() < give_up) {
        struct sl_record r[8];
        size_t n;
        sl_status st = source_read_records(s, r, 8, &n, 50, &err);
        assert_true(st == SL_OK || st == SL_AGAIN);
        for (size_t i = 0; i < n && got < want; i++, got++) {
            snprintf(lines[got], 32, "%.*s", (int)r[i].len, r[i].value);
            snprintf(keys[got], 64, "%.*s", (int)r[i].key_len, r[i].key);
            assert_int_equal(r[i].partition, -1);
        }
    }
    return got;
}

static void test_listen_senders(void **state)
{
    (void)state;
    uint16_t port;
    struct sl_source *s = open_listener("127.0.0.1:0", 0, &port);
    int a = connect_to(port), b = connect_to(port);
    assert_int_equal(write(a, "a1\na2\r\na", 8), 8);
    assert_int_equal(write(b, "b1\n", 3), 3);
    char lines[8][32], keys[8][64];
    assert_int_equal(read_lines(s, 3, lines, keys), 3);
    assert_string_equal(source_state(s), "listening, 2 senders");
    assert_int_equal(write(a, "3", 1), 1);
    close(a); /* "a3" has no newline: it is the sender's last record */
    assert_int_equal(read_lines(s, 1, lines + 3, keys + 3), 1);
    assert_string_equal(lines[3], "a3");
    struct sockaddr_in local;
    socklen_t len = sizeof local;
    getsockname(b, (struct sockaddr *)&local, &len);
    char b_addr[64];
    snprintf(b_addr, sizeof b_addr, "127.0.0.1:%u", ntohs(local.sin_port));
    int seen_b = 0;
    for (int i = 0; i < 4; i++)
        if (strcmp(keys[i], b_addr) == 0) {
            assert_string_equal(lines[i], "b1");
            seen_b++;
        }
    assert_int_equal(seen_b, 1);
    assert_int_equal(source_offset(s), 4);
    close(b);
    source_close(s);
}

/* Paused, nothing is read (TCP pushes back); continued, everything sent comes. */
static void test_listen_pause(void **state)
{
    (void)state;
    uint16_t port;
    struct sl_source *s = open_listener("127.0.0.1:0", 0, &port);
    int a = connect_to(port);
    source_pause(s, true);
    assert_int_equal(write(a, "x\ny\n", 4), 4);
    struct sl_record r[4];
    size_t n;
    struct sl_error err;
    for (int i = 0; i < 5; i++)
        assert_int_equal(source_read_records(s, r, 4, &n, 20, &err), SL_AGAIN);
    assert_non_null(strstr(source_state(s), "paused"));
    source_pause(s, false);
    char lines[2][32], keys[2][64];
    assert_int_equal(read_lines(s, 2, lines, keys), 2);
    assert_string_equal(lines[1], "y");
    close(a);
    source_close(s);
}

/* Past max_senders a sender is closed at once; a taken port is a clear error. */
static void test_listen_limits(void **state)
{
    (void)state;
    uint16_t port;
    struct sl_source *s = open_listener("127.0.0.1:0", 1, &port);
    int a = connect_to(port), b = connect_to(port);
    char lines[1][32], keys[1][64];
    assert_int_equal(write(a, "ok\n", 3), 3);
    assert_int_equal(read_lines(s, 1, lines, keys), 1);
    char c;
    assert_int_equal(read(b, &c, 1), 0); /* closed by the listener */
    assert_non_null(strstr(source_state(s), "1 refused"));

    char address[32];
    snprintf(address, sizeof address, "127.0.0.1:%u", port);
    struct sl_source_spec spec = {.connector = connector_find("SOCKET", true), .address = address};
    struct sl_source *again = NULL;
    struct sl_error err;
    assert_int_equal(source_open(&spec, &again, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "cannot listen: Address already in use"));
    close(a);
    close(b);
    source_close(s);
}

/* A one-thread HTTP server: answers each connection with the next canned response,
 * keeping the last connection open until told, and keeps the requests it got. */
struct canned_server {
    int fd;
    uint16_t port;
    const char *const *responses;
    int nresponses;
    char requests[4][512];
    int conn;     /* the last connection, kept open */
    int more[2];  /* a pipe: bytes written to it go to the last connection */
    pthread_t thread;
};

static void *serve(void *arg)
{
    struct canned_server *c = arg;
    for (int i = 0; i < c->nresponses; i++) {
        int fd = accept(c->fd, NULL, NULL);
        ssize_t got = read(fd, c->requests[i % 4], sizeof c->requests[0] - 1);
        c->requests[i % 4][got > 0 ? got : 0] = '\0';
        assert_true(write(fd, c->responses[i], strlen(c->responses[i])) > 0);
        if (i + 1 < c->nresponses) {
            close(fd);
            continue;
        }
        char buf[256];
        ssize_t n;
        while ((n = read(c->more[0], buf, sizeof buf)) > 0)
            assert_int_equal(write(fd, buf, (size_t)n), n);
        close(fd);
    }
    return NULL;
}

static void server_start(struct canned_server *c, const char *const *responses, int n)
{
    *c = (struct canned_server){.responses = responses, .nresponses = n};
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(c->fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(c->fd, 8), 0);
    socklen_t len = sizeof a;
    getsockname(c->fd, (struct sockaddr *)&a, &len);
    c->port = ntohs(a.sin_port);
    assert_int_equal(pipe(c->more), 0);
    pthread_create(&c->thread, NULL, serve, c);
}

static void server_stop(struct canned_server *c)
{
    close(c->more[1]);
    pthread_join(c->thread, NULL);
    close(c->more[0]);
    close(c->fd);
}

static struct sl_source *open_url(uint16_t port, const char *headers, int64_t attempts,
                                   int64_t first_wait_us)
{
    static char address[64];
    snprintf(address, sizeof address, "http://127.0.0.1:%u/stream", port);
    struct sl_source_spec spec = {.connector = connector_find("URL", false), .address = address};
    int i = connector_option_index(spec.connector, "headers");
    spec.options[i] = (struct sl_option_value){.set = true, .text = (char *)headers};
    i = connector_option_index(spec.connector, "retry_initial");
    spec.options[i] = (struct sl_option_value){.set = true, .num = first_wait_us};
    i = connector_option_index(spec.connector, "retry_attempts");
    spec.options[i] = (struct sl_option_value){.set = true, .num = attempts};
    struct sl_source *s = NULL;
    struct sl_error err;
    assert_int_equal(source_open(&spec, &s, &err), SL_OK);
    source_set_log(s, &test_log);
    return s;
}

/* An error status is retried, the state says so, and retry_attempts ends it. */
static void test_url_error_status(void **state)
{
    (void)state;
    static const char *const responses[] = {
        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n",
    };
    struct canned_server c;
    server_start(&c, responses, 3);
    struct sl_source *s = open_url(c.port, "X-Test: 1", 2, 50 * SL_US_PER_MS);
    struct sl_record r[4];
    size_t n;
    struct sl_error err;
    sl_status st;
    bool saw_retrying = false;
    int64_t give_up = sl_monotonic_us() + 10 * SL_US_PER_SEC;
    while ((st = source_read_records(s, r, 4, &n, 20, &err)) == SL_AGAIN &&
           sl_monotonic_us() < give_up)
        saw_retrying |= strstr(source_state(s), ": HTTP 503") != NULL;
    assert_int_equal(st, SL_ERROR);
    assert_true(saw_retrying);
    assert_non_null(strstr(err.msg, "failed: HTTP 503; gave up after 2 attempts"));
    assert_non_null(strstr(c.requests[0], "\r\nX-Test: 1\r\n"));
    server_stop(&c);
    source_close(s);
}

/* Lines as they stream (blank keep-alives skipped); paused, none; continued, the rest. */
static void test_url_stream_pause(void **state)
{
    (void)state;
    static const char *const responses[] = {"HTTP/1.1 200 OK\r\n\r\na\r\n\r\nb\n"};
    struct canned_server c;
    server_start(&c, responses, 1);
    struct sl_source *s = open_url(c.port, "", 0, SL_US_PER_MS);
    struct sl_record r[4];
    size_t n = 0, got = 0;
    struct sl_error err;
    char lines[4][32];
    int64_t give_up = sl_monotonic_us() + 10 * SL_US_PER_SEC;
    while (got < 2 && sl_monotonic_us() < give_up)
        if (source_read_records(s, r, 4, &n, 20, &err) == SL_OK)
            for (size_t i = 0; i < n; i++)
                snprintf(lines[got++], 32, "%.*s", (int)r[i].len, r[i].value);
    assert_int_equal(got, 2);
    assert_string_equal(lines[0], "a");
    assert_string_equal(lines[1], "b");
    assert_string_equal(source_state(s), "connected");
    source_pause(s, true);
    assert_int_equal(write(c.more[1], "c\n", 2), 2);
    for (int i = 0; i < 5; i++)
        assert_int_equal(source_read_records(s, r, 4, &n, 20, &err), SL_AGAIN);
    source_pause(s, false);
    while (source_read_records(s, r, 4, &n, 20, &err) == SL_AGAIN && sl_monotonic_us() < give_up)
        ;
    assert_int_equal(n, 1);
    assert_memory_equal(r[0].value, "c", 1);
    server_stop(&c);
    source_close(s);
}

/* A response that ends is reconnected; a 204 No Content ends the stream. */
static void test_url_ends_on_204(void **state)
{
    (void)state;
    static const char *const responses[] = {
        "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nx\ny\n",
        "HTTP/1.1 204 No Content\r\n\r\n",
    };
    struct canned_server c;
    server_start(&c, responses, 2);
    struct sl_source *s = open_url(c.port, "", 0, SL_US_PER_MS);
    struct sl_record r[4];
    size_t n, got = 0;
    struct sl_error err;
    sl_status st;
    int64_t give_up = sl_monotonic_us() + 10 * SL_US_PER_SEC;
    while ((st = source_read_records(s, r, 4, &n, 20, &err)) != SL_EOF &&
           sl_monotonic_us() < give_up) {
        assert_int_not_equal(st, SL_ERROR);
        got += n;
    }
    assert_int_equal(st, SL_EOF);
    assert_int_equal(got, 2);
    assert_non_null(strstr(source_state(s), "204"));
    server_stop(&c);
    source_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linebuf_pieces),
        cmocka_unit_test(test_linebuf_cut),
        cmocka_unit_test(test_linebuf_drop_partial),
        cmocka_unit_test(test_linebuf_backlog),
        cmocka_unit_test(test_url_headers),
        cmocka_unit_test(test_listen_senders),
        cmocka_unit_test(test_listen_pause),
        cmocka_unit_test(test_listen_limits),
        cmocka_unit_test(test_url_error_status),
        cmocka_unit_test(test_url_stream_pause),
        cmocka_unit_test(test_url_ends_on_204),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
