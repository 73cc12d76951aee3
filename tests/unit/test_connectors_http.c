/* test_connectors_http.c — the HTTP LISTEN source: its queue's acknowledgement rules, the head's
 * verdicts, and the source itself through the source API with a raw-socket client: no 200
 * before source_committed, 503 at once while paused, 503 to a waiting sender on close. */
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
#include "common/time.h"
#include "connectors/http_impl.h"

static void test_queue_acks_only_committed(void **state)
{
    (void)state;
    struct http_queue q;
    assert_int_equal(http_queue_init(&q, 100), SL_OK);
    assert_true(http_queue_begin_request(&q, 0));
    assert_false(http_queue_begin_request(&q, 101)); /* its Content-Length cannot fit */
    assert_true(http_queue_reserve(&q, 60));
    assert_false(http_queue_reserve(&q, 50));
    uint64_t seq = http_queue_push(&q, sl_strdup("0123456789"), 60);
    assert_int_equal(seq, 1);
    /* Committed before it is handed out: nothing to acknowledge yet. */
    http_queue_committed(&q);
    assert_int_equal(http_queue_wait(&q, seq, sl_monotonic_us() + 1000), HTTP_ACK_TIMEOUT);
    struct http_body *got[4];
    assert_int_equal(http_queue_take(&q, got, 4, 0), 1);
    assert_int_equal(got[0]->seq, 1);
    assert_int_equal(http_queue_wait(&q, seq, sl_monotonic_us() + 1000), HTTP_ACK_TIMEOUT);
    http_queue_committed(&q);
    assert_int_equal(http_queue_wait(&q, seq, sl_monotonic_us() + 1000), HTTP_ACK_COMMITTED);
    http_body_free(got[0]);
    size_t held;
    bool paused;
    http_queue_stats(&q, &held, &paused);
    assert_int_equal(held, 0);
    http_queue_end_request(&q);

    /* Paused: no new request, nothing handed out; a pushed body waits for the end of the pause. */
    assert_true(http_queue_reserve(&q, 5));
    seq = http_queue_push(&q, sl_strdup("abcde"), 5);
    http_queue_pause(&q, true);
    assert_false(http_queue_begin_request(&q, 0));
    assert_false(http_queue_reserve(&q, 1));
    int64_t before = sl_monotonic_us();
    assert_int_equal(http_queue_take(&q, got, 4, 50), 0);
    assert_true(sl_monotonic_us() - before >= 50 * SL_US_PER_MS);
    http_queue_pause(&q, false);
    assert_int_equal(http_queue_take(&q, got, 4, 0), 1);
    /* Closed before the commit: the waiter is told to answer 503, never 200. */
    http_queue_close(&q, 0);
    assert_int_equal(http_queue_wait(&q, seq, sl_monotonic_us() + SL_US_PER_SEC), HTTP_ACK_CLOSED);
    assert_int_equal(http_queue_push(&q, sl_strdup("late"), 0), 0);
    http_body_free(got[0]);
    http_queue_destroy(&q);
}

static void test_head_verdicts(void **state)
{
    (void)state;
    struct http_config c = {.path = "/in", .token = "t0k", .max_body_bytes = 100};
    struct {
        struct http_head head;
        enum http_head_verdict want;
    } cases[] = {
        {{"/in", "POST", "10", "Bearer t0k"}, HTTP_HEAD_TAKE_BODY},
        {{"/in", "POST", NULL, "bearer   t0k"}, HTTP_HEAD_TAKE_BODY},
        {{"/in/", "POST", "10", "Bearer t0k"}, HTTP_HEAD_NOT_FOUND},
        {{"/in", "PUT", "10", "Bearer t0k"}, HTTP_HEAD_BAD_METHOD},
        {{"/in", "POST", "10", "Bearer t0", }, HTTP_HEAD_UNAUTHORIZED},
        {{"/in", "POST", "10", "Bearer t0kk"}, HTTP_HEAD_UNAUTHORIZED},
        {{"/in", "POST", "10", NULL}, HTTP_HEAD_UNAUTHORIZED},
        {{"/in", "GET", NULL, NULL}, HTTP_HEAD_UNAUTHORIZED},
        {{"/in", "GET", NULL, "Bearer t0k"}, HTTP_HEAD_HEALTH},
        {{"/in", "POST", "101", "Bearer t0k"}, HTTP_HEAD_TOO_LARGE},
        {{"/in", "POST", "99999999999999999999999", "Bearer t0k"}, HTTP_HEAD_TOO_LARGE},
        {{"/in", "POST", "-1", "Bearer t0k"}, HTTP_HEAD_BAD_LENGTH},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(http_judge_head(&c, &cases[i].head), cases[i].want);
    struct sl_buf b;
    buf_init(&b);
    http_json_error(&b, "a \"quote\"\n\xc3\xa9");
    assert_string_equal(buf_str(&b), "{\"error\":\"a \\\"quote\\\"\\u000a??\"}\n");
    buf_free(&b);
}

/* A sender: POSTs body to port and keeps the whole answer. */
struct sender {
    pthread_t thread;
    int port;
    const char *body;
    char answer[1024];
    bool done;
};

static void *send_body(void *arg)
{
    struct sender *s = arg;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
        char req[512];
        int n = snprintf(req, sizeof req,
                         "POST /in HTTP/1.1\r\nHost: x\r\nContent-Length: %zu\r\n"
                         "Connection: close\r\n\r\n%s", strlen(s->body), s->body);
        if (write(fd, req, (size_t)n) == n) {
            size_t len = 0;
            ssize_t r;
            while (len < sizeof s->answer - 1 &&
                   (r = read(fd, s->answer + len, sizeof s->answer - 1 - len)) > 0)
                len += (size_t)r;
            s->answer[len] = '\0';
        }
    }
    close(fd);
    __atomic_store_n(&s->done, true, __ATOMIC_RELEASE);
    return NULL;
}

static void start_sender(struct sender *s, int port, const char *body)
{
    *s = (struct sender){.port = port, .body = body};
    assert_int_equal(pthread_create(&s->thread, NULL, send_body, s), 0);
}

/* Reads until a record comes (a few seconds at most). */
static size_t read_some(struct sl_source *src, struct sl_record *out, size_t cap)
{
    struct sl_error err;
    size_t n = 0;
    for (int i = 0; i < 100 && n == 0; i++) {
        sl_status st = source_read_records(src, out, cap, &n, 100, &err);
        assert_true(st == SL_OK || st == SL_AGAIN);
    }
    return n;
}

static void test_source_answers_after_commit(void **state)
{
    (void)state;
    struct sl_source_spec spec = {.connector = connector_find("HTTP", true),
                                  .address = "127.0.0.1:0"};
    assert_non_null(spec.connector);
    int path = connector_option_index(spec.connector, "path");
    spec.options[path] = (struct sl_option_value){.set = true, .text = "/in"};
    struct sl_source *src;
    struct sl_error err;
    assert_int_equal(source_open(&spec, &src, &err), SL_OK);
    assert_string_equal(source_state(src), "not listening yet");
    struct sl_record rec[8];
    size_t n;
    assert_int_equal(source_read_records(src, rec, 8, &n, 0, &err), SL_AGAIN);
    int port = 0;
    assert_int_equal(sscanf(source_state(src), "listening on 127.0.0.1:%d", &port), 1);

    struct sender a;
    start_sender(&a, port, "{\"x\":1}\n{\"x\":2}\n");
    assert_int_equal(read_some(src, rec, 8), 1);
    assert_memory_equal(rec[0].value, "{\"x\":1}\n{\"x\":2}\n", rec[0].len);
    usleep(100 * 1000);
    assert_false(__atomic_load_n(&a.done, __ATOMIC_ACQUIRE)); /* no answer before the commit */
    source_committed(src);
    pthread_join(a.thread, NULL);
    assert_non_null(strstr(a.answer, "HTTP/1.1 200"));
    assert_non_null(strstr(a.answer, "{\"rows\":1,\"dead_letters\":0}"));

    /* Paused: 503 with Retry-After at once. */
    source_pause(src, true);
    assert_non_null(strstr(source_state(src), "paused"));
    start_sender(&a, port, "y\n");
    pthread_join(a.thread, NULL);
    assert_non_null(strstr(a.answer, "HTTP/1.1 503"));
    assert_non_null(strstr(a.answer, "Retry-After: 1"));
    assert_int_equal(source_read_records(src, rec, 8, &n, 0, &err), SL_AGAIN);
    source_pause(src, false);

    /* Handed out, never committed: closing answers 503. */
    start_sender(&a, port, "z\n");
    assert_int_equal(read_some(src, rec, 8), 1);
    source_close(src);
    pthread_join(a.thread, NULL);
    assert_non_null(strstr(a.answer, "HTTP/1.1 503"));
}

static void test_bind_failure_is_clear(void **state)
{
    (void)state;
    int fd;
    char bound[64];
    struct sl_error err;
    assert_int_equal(http_listen("127.0.0.1:0", &fd, bound, sizeof bound, &err), SL_OK);
    struct sl_source_spec spec = {.connector = connector_find("HTTP", true), .address = bound};
    struct sl_source *src;
    assert_int_equal(source_open(&spec, &src, &err), SL_OK);
    struct sl_record rec[1];
    size_t n;
    assert_int_equal(source_read_records(src, rec, 1, &n, 0, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "cannot listen: Address already in use"));
    assert_non_null(strstr(source_state(src), "failed"));
    source_close(src);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue_acks_only_committed),
        cmocka_unit_test(test_head_verdicts),
        cmocka_unit_test(test_source_answers_after_commit),
        cmocka_unit_test(test_bind_failure_is_clear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
