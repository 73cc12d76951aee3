/* test_connectors_sources.c — file, stdin and socket sources against real files, pipes and
 * listeners; a file read again from a checkpoint's offset. */
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

#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"
#include "connectors/source.h"

#define BIG (300 * 1000)

static char *make_payload(size_t n)
{
    char *p = sl_malloc(n);
    for (size_t i = 0; i < n; i++)
        p[i] = (char)('a' + i % 26);
    return p;
}

/* Reads until EOF (or error), returning what came; fails the test after a few seconds. */
static char *read_all(struct sl_source *s, size_t *total, int timeout_ms)
{
    size_t cap = BIG + 1024, len = 0;
    char *out = sl_malloc(cap);
    struct sl_error err;
    int64_t give_up = sl_monotonic_us() + 10 * SL_US_PER_SEC;
    for (;;) {
        size_t n = 0;
        sl_status st = source_read(s, out + len, cap - len > 4096 ? 4096 : cap - len, &n,
                                   timeout_ms, &err);
        if (st == SL_EOF)
            break;
        if (st == SL_ERROR)
            fail_msg("source_read: %s", err.msg);
        if (st == SL_OK)
            assert_true(n > 0);
        len += n;
        assert_true(sl_monotonic_us() < give_up);
    }
    *total = len;
    return out;
}

static void test_file_source(void **state)
{
    (void)state;
    char path[] = "/tmp/sluice_src_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    char *payload = make_payload(BIG);
    assert_int_equal(write(fd, payload, BIG), BIG);
    close(fd);

    struct sl_source_spec spec = {.connector = connector_find("FILE", false), .address = path};
    struct sl_source *s = NULL;
    struct sl_error err;
    assert_int_equal(source_open(&spec, &s, &err), SL_OK);
    char want[64];
    snprintf(want, sizeof want, "file:%s", path);
    assert_string_equal(source_describe(s), want);
    size_t total = 0;
    char *got = read_all(s, &total, 0);
    assert_int_equal(total, BIG);
    assert_memory_equal(got, payload, BIG);
    assert_int_equal(source_offset(s), BIG);
    size_t n = 1;
    assert_int_equal(source_read(s, got, 16, &n, 0, &err), SL_EOF);
    assert_int_equal(n, 0);
    source_close(s);
    unlink(path);
    sl_free(got);
    sl_free(payload);
}

/* Writes text to path (replacing it). */
static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Opens path, reads `upto` bytes and returns the checkpoint identity at that offset. */
static void checkpoint_at(const char *path, uint64_t upto, struct sl_buf *identity)
{
    struct sl_source_spec spec = {.connector = connector_find("FILE", false), .address = path};
    struct sl_source *s = NULL;
    struct sl_error err;
    assert_int_equal(source_open(&spec, &s, &err), SL_OK);
    assert_true(source_replayable(s));
    char buf[64];
    size_t n = 0;
    assert_int_equal(source_read(s, buf, (size_t)upto, &n, 0, &err), SL_OK);
    assert_int_equal(n, upto);
    buf_init(identity);
    assert_int_equal(source_identity(s, source_offset(s), identity, &err), SL_OK);
    source_close(s);
}

/* Reopens path and seeks to offset with identity: the status, the error text, the rest read. */
static sl_status resume_at(const char *path, uint64_t offset, const char *identity, char *rest,
                           size_t cap, struct sl_error *err)
{
    struct sl_source_spec spec = {.connector = connector_find("FILE", false), .address = path};
    struct sl_source *s = NULL;
    assert_int_equal(source_open(&spec, &s, err), SL_OK);
    sl_status st = source_seek(s, offset, identity, err);
    size_t n = 0;
    rest[0] = '\0';
    if (st == SL_OK) {
        assert_int_equal(source_offset(s), offset);
        if (source_read(s, rest, cap - 1, &n, 0, err) == SL_OK)
            rest[n] = '\0';
    }
    source_close(s);
    return st;
}

/* A file source continues at a checkpoint's offset, after the file grew; a
 * truncated or replaced file is refused with a message that says which. */
static void test_file_resume(void **state)
{
    (void)state;
    char path[] = "/tmp/sluice_resume_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    put_file(path, "line one\nline two\n");
    struct sl_buf id;
    checkpoint_at(path, 9, &id);
    struct sl_error err;
    char rest[64];

    put_file(path, "line one\nline two\nline three\n");
    assert_int_equal(resume_at(path, 9, buf_str(&id), rest, sizeof rest, &err), SL_OK);
    assert_string_equal(rest, "line two\nline three\n");

    put_file(path, "line");
    assert_int_equal(resume_at(path, 9, buf_str(&id), rest, sizeof rest, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "was truncated: it has 4 bytes, and 9 had been read"));

    put_file(path, "LINE ONE\nline two\n");
    assert_int_equal(resume_at(path, 9, buf_str(&id), rest, sizeof rest, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "was replaced: its first 9 bytes are not the ones read before"));

    assert_int_equal(resume_at(path, 9, "garbage", rest, sizeof rest, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "does not say which file it read"));
    buf_free(&id);
    unlink(path);

    /* stdin cannot be read again. */
    struct sl_source_spec spec = {.connector = connector_find("STDIN", false)};
    struct sl_source *s = NULL;
    assert_int_equal(source_open(&spec, &s, &err), SL_OK);
    assert_false(source_replayable(s));
    assert_int_equal(source_seek(s, 5, "x", &err), SL_ERROR);
    assert_string_equal(err.msg, "stdin cannot be read again from an offset");
    source_close(s);
}

static void test_file_missing(void **state)
{
    (void)state;
    struct sl_source_spec spec = {.connector = connector_find("FILE", false), .address = "/nonexistent/x.csv"};
    struct sl_source *s = NULL;
    struct sl_error err;
    assert_int_equal(source_open(&spec, &s, &err), SL_ERROR);
    assert_null(s);
    assert_string_equal(err.msg,
                        "cannot open file '/nonexistent/x.csv': No such file or directory");
}

static void test_stdin_source(void **state)
{
    (void)state;
    int saved = dup(0), p[2];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(dup2(p[0], 0), 0);
    close(p[0]);
    struct sl_source_spec spec = {.connector = connector_find("STDIN", false)};
    struct sl_source *s = NULL;
    struct sl_error err;
    assert_int_equal(source_open(&spec, &s, &err), SL_OK);
    assert_string_equal(source_describe(s), "stdin");
    char buf[16];
    size_t n = 0;
    assert_int_equal(source_read(s, buf, sizeof buf, &n, 10, &err), SL_AGAIN);
    assert_int_equal(write(p[1], "hello\n", 6), 6);
    close(p[1]);
    assert_int_equal(source_read(s, buf, sizeof buf, &n, 1000, &err), SL_OK);
    assert_int_equal(n, 6);
    assert_memory_equal(buf, "hello\n", 6);
    assert_int_equal(source_read(s, buf, sizeof buf, &n, 1000, &err), SL_EOF);
    assert_int_equal(source_read(s, buf, sizeof buf, &n, 1000, &err), SL_EOF);
    assert_int_equal(source_offset(s), 6);
    source_close(s);
    dup2(saved, 0);
    close(saved);
}

static void test_socket_bad_addresses(void **state)
{
    (void)state;
    const char *bad[] = {"localhost", "localhost:", "localhost:http", "::1:99", "[::1]99",
                         "no-such-host.invalid:9999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct sl_source_spec spec = {.connector = connector_find("SOCKET", false), .address = bad[i]};
        struct sl_source *s = NULL;
        struct sl_error err;
        assert_int_equal(source_open(&spec, &s, &err), SL_ERROR);
        assert_non_null(strstr(err.msg, bad[i]));
    }
}

/* A listener on 127.0.0.1; port 0 picks a free port. */
static int listen_on(uint16_t port, uint16_t *bound)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 4), 0);
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &len);
    *bound = ntohs(a.sin_port);
    return fd;
}

struct server {
    int listen_fd;
    const char *payload;
    size_t len;
    int reset_after; /* > 0: first connection gets this many bytes then a RST, once go_fd is readable */
    int go_fd;
};

/* Accepts and writes the payload in pieces, then closes cleanly. */
static void *server_main(void *arg)
{
    struct server *sv = arg;
    size_t off = 0;
    if (sv->reset_after > 0) {
        int c = accept(sv->listen_fd, NULL, NULL);
        off = (size_t)write(c, sv->payload, (size_t)sv->reset_after);
        char go;
        if (read(sv->go_fd, &go, 1) != 1)
            off = 0;
        struct linger lg = {.l_onoff = 1, .l_linger = 0};
        setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        close(c);
    }
    int c = accept(sv->listen_fd, NULL, NULL);
    while (off < sv->len) {
        size_t piece = sv->len - off < 7001 ? sv->len - off : 7001;
        ssize_t w = write(c, sv->payload + off, piece);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(c);
    return NULL;
}

static void test_socket_receives_then_eof(void **state)
{
    (void)state;
    uint16_t port;
    struct server sv = {.payload = make_payload(BIG), .len = BIG};
    sv.listen_fd = listen_on(0, &port);
    pthread_t th;
    pthread_create(&th, NULL, server_main, &sv);

    char addr[32];
    snprintf(addr, sizeof addr, "127.0.0.1:%u", port);
    struct sl_source_spec spec = {.connector = connector_find("SOCKET", false), .address = addr};
    struct sl_source *s = NULL;
    struct sl_error err;
    assert_int_equal(source_open(&spec, &s, &err), SL_OK);
    char want[48];
    snprintf(want, sizeof want, "socket:%s", addr);
    assert_string_equal(source_describe(s), want);
    size_t total = 0;
    char *got = read_all(s, &total, 200);
    assert_int_equal(total, BIG);
    assert_memory_equal(got, sv.payload, BIG);
    assert_int_equal(source_offset(s), BIG);
    size_t n;
    assert_int_equal(source_read(s, got, 16, &n, 0, &err), SL_EOF);
    pthread_join(th, NULL);
    close(sv.listen_fd);
    source_close(s);
    sl_free(got);
    sl_free((char *)sv.payload);
}

struct log_capture {
    char text[4096];
};

static void capture_log(enum sl_log_level level, const char *msg, void *ctx)
{
    struct log_capture *lc = ctx;
    size_t used = strlen(lc->text);
    snprintf(lc->text + used, sizeof lc->text - used, "%d %s\n", (int)level, msg);
}

/* A socket option by name, as the binder would set it from WITH (...). */
static void set_option(struct sl_source_spec *spec, const char *name, int64_t num)
{
    int i = connector_option_index(spec->connector, name);
    assert_true(i >= 0);
    spec->options[i] = (struct sl_option_value){.set = true, .num = num};
}

static uint16_t free_port(void)
{
    uint16_t port;
    close(listen_on(0, &port));
    return port;
}

static void test_socket_refused_then_connects(void **state)
{
    (void)state;
    struct log_capture lc = {""};
    struct sl_log log = {capture_log, &lc, SL_LOG_DEBUG};
    uint16_t port = free_port();
    char addr[32];
    snprintf(addr, sizeof addr, "127.0.0.1:%u", port);
    struct sl_source_spec spec = {.connector = connector_find("SOCKET", false), .address = addr};
    set_option(&spec, "retry_initial", 20 * SL_US_PER_MS);
    set_option(&spec, "retry_max", 50 * SL_US_PER_MS);
    struct sl_source *s = NULL;
    struct sl_error err;
    assert_int_equal(source_open(&spec, &s, &err), SL_OK);
    source_set_log(s, &log);
    char buf[64];
    size_t n;
    int64_t t0 = sl_monotonic_us();
    for (int i = 0; i < 5; i++)
        assert_int_equal(source_read(s, buf, sizeof buf, &n, 30, &err), SL_AGAIN);
    /* Five reads of at most 30 ms each: the source never sleeps past the timeout. */
    assert_true(sl_monotonic_us() - t0 < 5 * 30 * SL_US_PER_MS + 100 * SL_US_PER_MS);
    /* Each wait is drawn between half and all of the delay (test_connectors_retry.c). */
    char want[96];
    snprintf(want, sizeof want, "socket %s: connection refused; retrying in ", addr);
    const char *line = strstr(lc.text, want);
    assert_non_null(line);
    int first_wait = atoi(line + strlen(want));
    assert_true(first_wait >= 10 && first_wait <= 20);

    uint16_t same;
    struct server sv = {.payload = "late hello\n", .len = 11};
    sv.listen_fd = listen_on(port, &same);
    pthread_t th;
    pthread_create(&th, NULL, server_main, &sv);
    size_t total = 0;
    char *got = read_all(s, &total, 100);
    assert_int_equal(total, 11);
    assert_memory_equal(got, "late hello\n", 11);
    pthread_join(th, NULL);
    close(sv.listen_fd);
    source_close(s);
    sl_free(got);
}

static void test_socket_gives_up(void **state)
{
    (void)state;
    uint16_t port = free_port();
    char addr[32];
    snprintf(addr, sizeof addr, "127.0.0.1:%u", port);
    struct sl_source_spec spec = {.connector = connector_find("SOCKET", false), .address = addr};
    set_option(&spec, "reconnect_delay", 1 * SL_US_PER_MS);
    set_option(&spec, "reconnect_max_delay", 2 * SL_US_PER_MS);
    set_option(&spec, "reconnect_retries", 3);
    struct sl_source *s = NULL;
    struct sl_error err;
    assert_int_equal(source_open(&spec, &s, &err), SL_OK);
    char buf[16];
    size_t n;
    sl_status st = SL_AGAIN;
    for (int i = 0; i < 100 && st == SL_AGAIN; i++)
        st = source_read(s, buf, sizeof buf, &n, 20, &err);
    assert_int_equal(st, SL_ERROR);
    assert_non_null(strstr(err.msg, "gave up after 3 retries"));
    assert_int_equal(source_read(s, buf, sizeof buf, &n, 20, &err), SL_ERROR);
    source_close(s);
}

static void test_socket_reconnects_after_reset(void **state)
{
    (void)state;
    uint16_t port;
    const char *payload = "first part|second part\n";
    int go[2];
    assert_int_equal(pipe(go), 0);
    struct server sv = {.payload = payload, .len = strlen(payload), .reset_after = 11,
                        .go_fd = go[0]};
    sv.listen_fd = listen_on(0, &port);
    pthread_t th;
    pthread_create(&th, NULL, server_main, &sv);
    char addr[32];
    snprintf(addr, sizeof addr, "127.0.0.1:%u", port);
    struct sl_source_spec spec = {.connector = connector_find("SOCKET", false), .address = addr};
    set_option(&spec, "reconnect_delay", 10 * SL_US_PER_MS);
    struct sl_source *s = NULL;
    struct sl_error err;
    assert_int_equal(source_open(&spec, &s, &err), SL_OK);
    char buf[64];
    size_t got = 0, n;
    while (got < 11) {
        sl_status st = source_read(s, buf + got, 11 - got, &n, 1000, &err);
        assert_true(st == SL_OK || st == SL_AGAIN);
        got += st == SL_OK ? n : 0;
    }
    assert_int_equal(write(go[1], "g", 1), 1);
    size_t total = 0;
    char *rest = read_all(s, &total, 100);
    assert_int_equal(total, strlen(payload) - 11);
    assert_memory_equal(rest, payload + 11, total);
    assert_int_equal(source_offset(s), strlen(payload));
    pthread_join(th, NULL);
    close(sv.listen_fd);
    close(go[0]);
    close(go[1]);
    source_close(s);
    sl_free(rest);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_source),
        cmocka_unit_test(test_file_missing),
        cmocka_unit_test(test_file_resume),
        cmocka_unit_test(test_stdin_source),
        cmocka_unit_test(test_socket_bad_addresses),
        cmocka_unit_test(test_socket_receives_then_eof),
        cmocka_unit_test(test_socket_refused_then_connects),
        cmocka_unit_test(test_socket_gives_up),
        cmocka_unit_test(test_socket_reconnects_after_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
