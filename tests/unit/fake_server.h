/*
 * fake_server.h — the HTTP sinks' unit tests run a python3 stand-in for their
 * target (tests/tools/fake_es.py, http_receiver.py) as a child process on
 * 127.0.0.1, and read back what it holds as JSON. The child dies with the test
 * (PR_SET_PDEATHSIG), so a failing or crashing test leaves no server behind.
 * Also a large batch for the speed tests, and its timing.
 */
#ifndef SL_TEST_FAKE_SERVER_H
#define SL_TEST_FAKE_SERVER_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "connectors/sink.h"

struct fake_server {
    pid_t pid;
    int port;
    char dir[64];
};

/* tests/tools/<script>, found from this header's own path. */
static inline void fake_server_script(const char *script, char *out, size_t cap)
{
    const char *unit = strstr(__FILE__, "unit/fake_server.h");
    snprintf(out, cap, "%.*stools/%s", unit ? (int)(unit - __FILE__) : 0, __FILE__, script);
}

/* Starts python3 tools/<script> --port-file ... [--port port] args... (NULL-terminated)
 * and waits up to 30 s for its port; port 0: any free one. */
static inline void fake_server_start(struct fake_server *f, const char *script, int port,
                                     const char *const *args)
{
    char path[512], port_file[128], port_text[16];
    fake_server_script(script, path, sizeof path);
    if (!f->dir[0]) {
        strcpy(f->dir, "/tmp/sl_fake_XXXXXX");
        assert_non_null(mkdtemp(f->dir));
    }
    snprintf(port_file, sizeof port_file, "%s/port", f->dir);
    unlink(port_file);
    snprintf(port_text, sizeof port_text, "%d", port);
    const char *argv[32] = {"python3", path, "--port-file", port_file, "--port", port_text};
    size_t n = 6;
    for (size_t i = 0; args && args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    f->pid = fork();
    assert_true(f->pid >= 0);
    if (f->pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (!freopen("/dev/null", "w", stdout))
            _exit(127);
        execvp("python3", (char *const *)argv);
        _exit(127);
    }
    for (int tries = 0; tries < 3000; tries++) {
        FILE *pf = fopen(port_file, "r");
        if (pf) {
            int ok = fscanf(pf, "%d", &f->port);
            fclose(pf);
            if (ok == 1)
                return;
        }
        int status;
        assert_int_equal(waitpid(f->pid, &status, WNOHANG), 0); /* it did not die */
        struct timespec ten_ms = {0, 10 * 1000 * 1000};
        nanosleep(&ten_ms, NULL);
    }
    fail_msg("%s did not start within 30 s", script);
}

static inline void fake_server_stop(struct fake_server *f)
{
    if (f->pid > 0) {
        kill(f->pid, SIGTERM);
        waitpid(f->pid, NULL, 0);
    }
    f->pid = 0;
}

/* Stops it and removes its folder. */
static inline void fake_server_free(struct fake_server *f)
{
    fake_server_stop(f);
    char port_file[128];
    snprintf(port_file, sizeof port_file, "%s/port", f->dir);
    unlink(port_file);
    rmdir(f->dir);
    f->dir[0] = '\0';
}

static size_t fake_server_collect(char *data, size_t size, size_t nmemb, void *ctx)
{
    buf_append(ctx, data, size * nmemb);
    return size * nmemb;
}

/* GET (post false) or POST path; the answer parsed as JSON (json_decref it). */
static inline json_t *fake_server_call(const struct fake_server *f, const char *path, bool post)
{
    char url[512];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", f->port, path);
    struct sl_buf body;
    buf_init(&body);
    CURL *e = curl_easy_init();
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, fake_server_collect);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(e, CURLOPT_TIMEOUT, 30L);
    if (post)
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
    assert_int_equal(curl_easy_perform(e), CURLE_OK);
    curl_easy_cleanup(e);
    json_error_t jerr;
    json_t *v = json_loadb(body.data ? body.data : "", body.len, 0, &jerr);
    if (!v)
        fail_msg("%s: not JSON: %s", path, buf_str(&body));
    buf_free(&body);
    return v;
}

/* A batch of n rows (user TEXT 'u<i>', n INT i, note TEXT) for the speed tests; free() it. */
struct speed_batch {
    struct sl_sink_batch b;
    struct sl_value *values;
    char (*users)[16];
};

static inline void speed_batch_init(struct speed_batch *t, uint32_t n)
{
    static const char note[] = "a few words of a note";
    t->values = calloc((size_t)n * 3, sizeof *t->values);
    t->users = calloc(n, sizeof *t->users);
    assert_non_null(t->values);
    assert_non_null(t->users);
    for (uint32_t r = 0; r < n; r++) {
        snprintf(t->users[r], sizeof t->users[r], "u%u", r);
        struct sl_value *row = &t->values[(size_t)r * 3];
        row[0] = (struct sl_value){.type = SL_TEXT, .u.s = {t->users[r], (uint32_t)strlen(t->users[r])}};
        row[1] = (struct sl_value){.type = SL_INT, .u.i = r};
        row[2] = (struct sl_value){.type = SL_TEXT, .u.s = {note, sizeof note - 1}};
    }
    t->b = (struct sl_sink_batch){.batch_id = 1000, .nrows = n, .values = t->values};
}

static inline void speed_batch_free(struct speed_batch *t)
{
    free(t->values);
    free(t->users);
}

/* Delivers t once and prints its wall and CPU time (this process's: the sink's and libcurl's,
 * not the fake's), for bench/RESULTS.md. */
static inline void speed_report(const char *what, struct sl_sink *s, struct speed_batch *t,
                                struct sl_sink_ack *ack)
{
    struct timespec w0, w1, c0, c1;
    struct sl_error err;
    clock_gettime(CLOCK_MONOTONIC, &w0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    sl_status st = sink_deliver(s, &t->b, ack, &err);
    clock_gettime(CLOCK_MONOTONIC, &w1);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    if (st != SL_OK)
        fail_msg("%s: %s", what, err.msg);
    double wall = (double)(w1.tv_sec - w0.tv_sec) + (double)(w1.tv_nsec - w0.tv_nsec) / 1e9;
    double cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
    print_message("%s: %u rows in %.2f s (%.0f rows/s); the sink's CPU %.2f s (%.0f rows/s)\n",
                  what, t->b.nrows, wall, t->b.nrows / wall, cpu, t->b.nrows / cpu);
}

/* POSTs to one of the fake's control paths (/_fake/fail_next?status=503). */
static inline void fake_server_post(const struct fake_server *f, const char *path)
{
    json_decref(fake_server_call(f, path, true));
}

#endif
