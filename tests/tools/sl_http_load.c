/*
 * sl_http_load.c — load for an HTTP LISTEN stream (bench/http_ingest.sh):
 * CLIENTS threads, each with one kept-alive connection (libcurl), POST the
 * same body REQUESTS times in a row, and time each request from its start
 * to its answer: for Sluice, to the commit of the body's rows. A 503 is
 * retried after a millisecond and counted; any other answer than 200 ends
 * the run with an error.
 *
 *   sl_http_load URL BODY_FILE ROWS_PER_BODY CLIENTS REQUESTS
 *
 * Prints one line: "bodies B rows R seconds S rows_per_s X p50_ms A p99_ms B max_ms C retries N".
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct client {
    pthread_t thread;
    const char *url, *body;
    long body_len, requests;
    double *latency_ms; /* one per request */
    long retries;
    int failed;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * n;
}

static void *run_client(void *arg)
{
    struct client *c = arg;
    CURL *h = curl_easy_init();
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/x-ndjson");
    headers = curl_slist_append(headers, "Expect:"); /* no 100-continue round trip */
    curl_easy_setopt(h, CURLOPT_URL, c->url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, c->body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, c->body_len);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
    for (long i = 0; i < c->requests && !c->failed; i++) {
        double start = now_ms();
        for (;;) {
            long status = 0;
            CURLcode rc = curl_easy_perform(h);
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
            if (rc == CURLE_OK && status == 200)
                break;
            if (rc == CURLE_OK && status == 503) {
                c->retries++;
                usleep(1000);
                continue;
            }
            fprintf(stderr, "sl_http_load: %s: %s, status %ld\n", c->url, curl_easy_strerror(rc),
                    status);
            c->failed = 1;
            break;
        }
        c->latency_ms[i] = now_ms() - start;
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    return NULL;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static char *read_file(const char *path, long *len)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    if (f && fseek(f, 0, SEEK_END) == 0 && (*len = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (data = malloc((size_t)*len)) && fread(data, 1, (size_t)*len, f) != (size_t)*len) {
        free(data);
        data = NULL;
    }
    if (f)
        fclose(f);
    return data;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: sl_http_load URL BODY_FILE ROWS_PER_BODY CLIENTS REQUESTS\n");
        return 2;
    }
    long body_len = 0, rows = atol(argv[3]), nclients = atol(argv[4]), requests = atol(argv[5]);
    char *body = read_file(argv[2], &body_len);
    if (!body || nclients < 1 || requests < 1) {
        fprintf(stderr, "sl_http_load: cannot read %s, or no clients or requests\n", argv[2]);
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct client *clients = calloc((size_t)nclients, sizeof *clients);
    double *latency = calloc((size_t)(nclients * requests), sizeof *latency);
    if (!clients || !latency)
        return 2;
    double start = now_ms();
    for (long i = 0; i < nclients; i++) {
        clients[i] = (struct client){.url = argv[1], .body = body, .body_len = body_len,
                                     .requests = requests, .latency_ms = latency + i * requests};
        pthread_create(&clients[i].thread, NULL, run_client, &clients[i]);
    }
    long retries = 0;
    int failed = 0;
    for (long i = 0; i < nclients; i++) {
        pthread_join(clients[i].thread, NULL);
        retries += clients[i].retries;
        failed |= clients[i].failed;
    }
    double seconds = (now_ms() - start) / 1e3;
    long n = nclients * requests;
    qsort(latency, (size_t)n, sizeof *latency, by_value);
    printf("bodies %ld rows %ld seconds %.3f rows_per_s %.0f p50_ms %.1f p99_ms %.1f max_ms %.1f "
           "retries %ld\n", n, n * rows, seconds, n * rows / seconds, latency[n / 2],
           latency[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1], latency[n - 1], retries);
    free(latency);
    free(clients);
    free(body);
    curl_global_cleanup();
    return failed;
}
