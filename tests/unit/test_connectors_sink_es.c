/*
 * The ELASTICSEARCH sink against tests/tools/fake_es.py: documents keyed by
 * the query's key (upsert, delete, a delete of a missing one), append-only
 * rows with sink-batch-row ids, the same batch twice and after a reopen,
 * a batch cut into several _bulk requests, the server away and back, items
 * refused for now (the batch again) and for good (dead letters), and the
 * statuses that need the user.
 */
#include "fake_server.h"

#include "common/time.h"
#include "connectors/sink_impl.h"

#define MAX_ROWS 64

static struct fake_server es;

/* The rows: user (the key), n, note. */
static const char *const names[] = {"user", "n", "note"};
static const enum sl_type types[] = {SL_TEXT, SL_INT, SL_TEXT};

struct test_batch {
    struct sl_value values[MAX_ROWS * 3];
    uint8_t kinds[MAX_ROWS];
    char text[MAX_ROWS][2][32];
    struct sl_sink_batch b;
};

static void add_row(struct test_batch *t, uint8_t kind, const char *user, int64_t n, const char *note)
{
    uint32_t r = t->b.nrows++;
    snprintf(t->text[r][0], sizeof t->text[r][0], "%s", user);
    snprintf(t->text[r][1], sizeof t->text[r][1], "%s", note);
    struct sl_value *row = &t->values[r * 3];
    row[0] = (struct sl_value){.type = SL_TEXT, .u.s = {t->text[r][0], (uint32_t)strlen(user)}};
    row[1] = (struct sl_value){.type = SL_INT, .u.i = n};
    row[2] = (struct sl_value){.type = SL_TEXT, .u.s = {t->text[r][1], (uint32_t)strlen(note)}};
    t->kinds[r] = kind;
    t->b.values = t->values;
    t->b.kinds = t->kinds;
}

static void spec_init(struct sl_sink_spec *spec, char *address, bool keyed)
{
    memset(spec, 0, sizeof *spec);
    snprintf(address, 64, "http://127.0.0.1:%d/", es.port);
    spec->connector = &sink_elasticsearch;
    spec->name = "es";
    spec->address = address;
    spec->target = "alerts";
    spec->format = SL_SINK_FORMAT_JSON;
    spec->ncols = 3;
    spec->names = names;
    spec->types = types;
    spec->nkey = keyed ? 1 : 0;
    spec->key[0] = 0;
    spec->changelog = keyed;
}

static void set_option(struct sl_sink_spec *spec, const char *name, int64_t num, char *text)
{
    int i = sink_connector_option_index(&sink_elasticsearch, name);
    assert_true(i >= 0);
    spec->options[i] = (struct sl_option_value){.set = true, .num = num, .text = text};
}

struct rejections {
    uint32_t n;
    uint32_t rows[MAX_ROWS];
    char reasons[MAX_ROWS][256];
};

static void on_reject(void *ctx, uint32_t row, const char *reason)
{
    struct rejections *rj = ctx;
    rj->rows[rj->n] = row;
    snprintf(rj->reasons[rj->n++], sizeof rj->reasons[0], "%s", reason);
}

static sl_status deliver(struct sl_sink *s, const struct test_batch *t, struct rejections *rj,
                         struct sl_error *err)
{
    struct sl_sink_ack ack = {.reject = on_reject, .ctx = rj};
    buf_init(&ack.state);
    sl_error_clear(err);
    sl_status st = sink_deliver(s, &t->b, &ack, err);
    assert_int_equal(ack.state.len, 0);
    buf_free(&ack.state);
    return st;
}

static struct sl_sink *open_sink(const struct sl_sink_spec *spec)
{
    struct sl_sink *s = NULL;
    struct sl_error err;
    sl_status st = spec->connector->open(spec, NULL, 0, &s, &err);
    if (st != SL_OK)
        fail_msg("open: %s", err.msg);
    return s;
}

/* The documents of index alerts as {_id: _source}. */
static json_t *documents(void)
{
    json_t *answer = fake_server_call(&es, "/alerts/_search?size=1000", false);
    json_t *docs = json_object();
    size_t i;
    json_t *hit;
    json_array_foreach(json_object_get(json_object_get(answer, "hits"), "hits"), i, hit)
        json_object_set(docs, json_string_value(json_object_get(hit, "_id")),
                        json_object_get(hit, "_source"));
    json_decref(answer);
    return docs;
}

static long long stat_of(const char *name)
{
    json_t *stats = fake_server_call(&es, "/_fake/stats", false);
    long long v = json_integer_value(json_object_get(stats, name));
    json_decref(stats);
    return v;
}

static long long doc_n(json_t *docs, const char *id)
{
    json_t *doc = json_object_get(docs, id);
    assert_non_null(doc);
    return json_integer_value(json_object_get(doc, "n"));
}

static int start(void **state)
{
    (void)state;
    static const char *const args[] = {"--poison", "note=bad", NULL};
    fake_server_start(&es, "fake_es.py", 0, args);
    return 0;
}

static int stop(void **state)
{
    (void)state;
    fake_server_free(&es);
    return 0;
}

static void test_keyed_upserts_and_deletes(void **state)
{
    (void)state;
    char address[64];
    struct sl_sink_spec spec;
    spec_init(&spec, address, true);
    struct sl_sink *s = open_sink(&spec);
    struct test_batch t = {.b.batch_id = 1};
    add_row(&t, SL_ROW_INSERT, "ann", 1, "x");
    add_row(&t, SL_ROW_INSERT, "bob", 2, "x");
    add_row(&t, SL_ROW_INSERT, "a|b\\\"c", 3, "quote and bar");
    struct rejections rj = {0};
    struct sl_error err;
    assert_int_equal(deliver(s, &t, &rj, &err), SL_OK);
    /* the same batch again (a crash before the outbox knew): nothing changes */
    assert_int_equal(deliver(s, &t, &rj, &err), SL_OK);
    json_t *docs = documents();
    assert_int_equal(json_object_size(docs), 3);
    assert_int_equal(doc_n(docs, "ann"), 1);
    assert_int_equal(doc_n(docs, "a\\|b\\\\\"c"), 3); /* row_encode_key's escapes */
    assert_null(json_object_get(json_object_get(docs, "ann"), "op"));
    json_decref(docs);

    struct test_batch u = {.b.batch_id = 2};
    add_row(&u, SL_ROW_UPDATE, "ann", 10, "x");
    add_row(&u, SL_ROW_DELETE, "bob", 2, "x");
    add_row(&u, SL_ROW_DELETE, "nobody", 0, "x"); /* not there: 404 not_found is done */
    assert_int_equal(deliver(s, &u, &rj, &err), SL_OK);
    sink_close(s);
    /* reopened after a "crash": the batch again leaves the same index */
    s = open_sink(&spec);
    assert_int_equal(deliver(s, &u, &rj, &err), SL_OK);
    docs = documents();
    assert_int_equal(json_object_size(docs), 2);
    assert_int_equal(doc_n(docs, "ann"), 10);
    assert_null(json_object_get(docs, "bob"));
    json_decref(docs);
    assert_int_equal(rj.n, 0);
    /* clean up for the next test */
    struct test_batch d = {.b.batch_id = 3};
    add_row(&d, SL_ROW_DELETE, "ann", 0, "");
    add_row(&d, SL_ROW_DELETE, "a|b\\\"c", 0, "");
    assert_int_equal(deliver(s, &d, &rj, &err), SL_OK);
    sink_close(s);
}

static void test_append_only_ids_and_split(void **state)
{
    (void)state;
    char address[64];
    struct sl_sink_spec spec;
    spec_init(&spec, address, false);
    set_option(&spec, "max_bulk_bytes", 1024, NULL);
    struct sl_sink *s = open_sink(&spec);
    struct test_batch t = {.b.batch_id = 7};
    for (int i = 0; i < 40; i++)
        add_row(&t, SL_ROW_INSERT, "same", i, "some words to make it longer");
    struct rejections rj = {0};
    struct sl_error err;
    long long before = stat_of("requests");
    assert_int_equal(deliver(s, &t, &rj, &err), SL_OK);
    long long requests = stat_of("requests") - before;
    assert_true(requests >= 4); /* 40 rows of ~110 bytes in requests of at most 1 KiB */
    assert_int_equal(deliver(s, &t, &rj, &err), SL_OK);
    json_t *docs = documents();
    assert_int_equal(json_object_size(docs), 40);
    assert_int_equal(doc_n(docs, "es-7-0"), 0);
    assert_int_equal(doc_n(docs, "es-7-39"), 39);
    json_decref(docs);
    assert_int_equal(stat_of("bad_requests"), 0);
    sink_close(s);
    /* clean up: the same ids as deletes */
    spec.nkey = 1;
    spec.changelog = true;
    s = open_sink(&spec);
    for (uint32_t i = 0; i < 40; i++) {
        snprintf(t.text[i][0], sizeof t.text[0][0], "es-7-%u", i);
        t.values[i * 3].u.s.len = (uint32_t)strlen(t.text[i][0]);
        t.kinds[i] = SL_ROW_DELETE;
    }
    assert_int_equal(deliver(s, &t, &rj, &err), SL_OK);
    docs = documents();
    assert_int_equal(json_object_size(docs), 0);
    json_decref(docs);
    sink_close(s);
}

/* A batch whose second request fails is taken up again at that request's first
 * row; a new sink (after a restart) sends it whole. */
static void test_resumes_at_the_first_row_not_done(void **state)
{
    (void)state;
    char address[64];
    struct sl_sink_spec spec;
    spec_init(&spec, address, true);
    set_option(&spec, "max_bulk_bytes", 1024, NULL);
    struct sl_sink *s = open_sink(&spec);
    struct test_batch t = {.b.batch_id = 8};
    for (int i = 0; i < 40; i++) {
        char user[16];
        snprintf(user, sizeof user, "r%d", i);
        add_row(&t, SL_ROW_INSERT, user, i, "some words to make it longer");
    }
    struct rejections rj = {0};
    struct sl_error err;
    long long before = stat_of("bulk_items");
    fake_server_post(&es, "/_fake/fail_next?status=503&after=1");
    assert_int_equal(deliver(s, &t, &rj, &err), SL_AGAIN);
    long long first = stat_of("bulk_items") - before;
    assert_true(first > 0 && first < 40);
    assert_int_equal(deliver(s, &t, &rj, &err), SL_OK);
    assert_int_equal(stat_of("bulk_items") - before, 40); /* no row sent twice */
    sink_close(s);
    s = open_sink(&spec);
    assert_int_equal(deliver(s, &t, &rj, &err), SL_OK);
    assert_int_equal(stat_of("bulk_items") - before, 80);
    json_t *docs = documents();
    assert_int_equal(json_object_size(docs), 40);
    json_decref(docs);
    for (uint32_t i = 0; i < 40; i++)
        t.kinds[i] = SL_ROW_DELETE;
    assert_int_equal(deliver(s, &t, &rj, &err), SL_OK);
    sink_close(s);
}

static void test_refused_items(void **state)
{
    (void)state;
    char address[64];
    struct sl_sink_spec spec;
    spec_init(&spec, address, true);
    struct sl_sink *s = open_sink(&spec);
    struct test_batch t = {.b.batch_id = 11};
    add_row(&t, SL_ROW_INSERT, "r0", 0, "fine");
    add_row(&t, SL_ROW_INSERT, "r1", 1, "bad"); /* the fake's mapper_parsing_exception */
    add_row(&t, SL_ROW_INSERT, "r2", 2, "fine");
    struct rejections rj = {0};
    struct sl_error err;
    /* refused for now: the first item 429, so the batch is tried again, nothing is dead yet */
    fake_server_post(&es, "/_fake/fail_next_items?count=1");
    assert_int_equal(deliver(s, &t, &rj, &err), SL_AGAIN);
    assert_non_null(strstr(err.msg, "429 es_rejected_execution_exception"));
    assert_non_null(strstr(err.msg, "index 'alerts'"));
    assert_int_equal(rj.n, 0);
    assert_int_equal(deliver(s, &t, &rj, &err), SL_OK);
    assert_int_equal(rj.n, 1);
    assert_int_equal(rj.rows[0], 1);
    assert_non_null(strstr(rj.reasons[0], "mapper_parsing_exception: failed to parse field [note]"));
    json_t *docs = documents();
    assert_int_equal(json_object_size(docs), 2);
    json_decref(docs);
    sink_close(s);
}

static void test_long_key_is_a_dead_letter(void **state)
{
    (void)state;
    char address[64];
    struct sl_sink_spec spec;
    spec_init(&spec, address, true);
    struct sl_sink *s = open_sink(&spec);
    struct test_batch t = {.b.batch_id = 12};
    add_row(&t, SL_ROW_INSERT, "short", 0, "fine");
    add_row(&t, SL_ROW_INSERT, "long", 1, "fine");
    static char long_key[600];
    memset(long_key, 'k', sizeof long_key);
    t.values[3].u.s = (struct sl_str){long_key, sizeof long_key};
    struct rejections rj = {0};
    struct sl_error err;
    assert_int_equal(deliver(s, &t, &rj, &err), SL_OK);
    assert_int_equal(rj.n, 1);
    assert_int_equal(rj.rows[0], 1);
    assert_non_null(strstr(rj.reasons[0], "at most 512"));
    sink_close(s);
}

static void test_http_statuses(void **state)
{
    (void)state;
    char address[64];
    struct sl_sink_spec spec;
    spec_init(&spec, address, true);
    set_option(&spec, "headers", 0, "Authorization: ApiKey c2VjcmV0");
    struct sl_sink *s = open_sink(&spec);
    struct test_batch t = {.b.batch_id = 20};
    add_row(&t, SL_ROW_INSERT, "h", 1, "x");
    struct rejections rj = {0};
    struct sl_error err;
    fake_server_post(&es, "/_fake/fail_next?status=503");
    assert_int_equal(deliver(s, &t, &rj, &err), SL_AGAIN);
    assert_non_null(strstr(err.msg, "HTTP 503"));
    assert_non_null(strstr(err.msg, "fake failure"));
    fake_server_post(&es, "/_fake/fail_next?status=401");
    assert_int_equal(deliver(s, &t, &rj, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "HTTP 401"));
    fake_server_post(&es, "/_fake/fail_next?status=400");
    assert_int_equal(deliver(s, &t, &rj, &err), SL_ERROR);
    assert_int_equal(deliver(s, &t, &rj, &err), SL_OK);
    json_t *stats = fake_server_call(&es, "/_fake/stats", false);
    json_t *headers = json_object_get(stats, "last_headers");
    assert_string_equal(json_string_value(json_object_get(headers, "authorization")),
                        "ApiKey c2VjcmV0");
    assert_string_equal(json_string_value(json_object_get(headers, "content-type")),
                        "application/x-ndjson");
    json_decref(stats);
    sink_close(s);
}

static void test_server_away_and_back(void **state)
{
    (void)state;
    char address[64];
    struct sl_sink_spec spec;
    spec_init(&spec, address, true);
    set_option(&spec, "timeout", 2 * SL_US_PER_SEC, NULL);
    struct sl_sink *s = open_sink(&spec);
    struct test_batch t = {.b.batch_id = 30};
    add_row(&t, SL_ROW_INSERT, "away", 5, "x");
    struct rejections rj = {0};
    struct sl_error err;
    int port = es.port;
    fake_server_stop(&es);
    assert_int_equal(deliver(s, &t, &rj, &err), SL_AGAIN);
    assert_non_null(strstr(err.msg, "Elasticsearch at http://127.0.0.1:"));
    static const char *const args[] = {"--poison", "note=bad", NULL};
    fake_server_start(&es, "fake_es.py", port, args);
    assert_int_equal(deliver(s, &t, &rj, &err), SL_OK);
    json_t *docs = documents();
    assert_int_equal(doc_n(docs, "away"), 5);
    json_decref(docs);
    sink_close(s);
}

/* Many batches of upserts and deletes against a fake failing requests and items
 * at random, each delivered until it is taken (the engine's retries), one of them
 * again after a reopen: the index ends as the rows say, one document per key. */
static void test_random_faults_converge(void **state)
{
    (void)state;
    struct fake_server faulty = {0};
    static const char *const args[] = {"--seed", "9", "--fail-requests", "0.3",
                                       "--fail-items", "0.05", NULL};
    fake_server_start(&faulty, "fake_es.py", 0, args);
    struct fake_server saved = es;
    es = faulty; /* documents() and stat_of() read this one */
    char address[64];
    struct sl_sink_spec spec;
    spec_init(&spec, address, true);
    set_option(&spec, "max_bulk_bytes", 1024, NULL);
    struct sl_sink *s = open_sink(&spec);
    int64_t model[40];
    for (int k = 0; k < 40; k++)
        model[k] = -1; /* no document */
    unsigned seed = 1;
    struct rejections rj = {0};
    struct sl_error err;
    int again = 0;
    for (int64_t batch = 1; batch <= 30; batch++) {
        struct test_batch t = {.b.batch_id = batch};
        for (int i = 0; i < 30; i++) {
            seed = seed * 1103515245u + 12345u;
            int k = (int)((seed >> 8) % 40);
            char user[16];
            snprintf(user, sizeof user, "k%d", k);
            bool del = model[k] >= 0 && (seed >> 20) % 4 == 0;
            add_row(&t, del ? SL_ROW_DELETE : model[k] >= 0 ? SL_ROW_UPDATE : SL_ROW_INSERT, user,
                    batch * 100 + i, "x");
            model[k] = del ? -1 : batch * 100 + i;
        }
        sl_status st;
        int attempts = 0;
        while ((st = deliver(s, &t, &rj, &err)) == SL_AGAIN && ++attempts < 200)
            again++;
        if (st != SL_OK)
            fail_msg("batch %lld: %s", (long long)batch, err.msg);
        if (batch == 15) { /* a crash after delivery, before the outbox knew: sent again */
            sink_close(s);
            s = open_sink(&spec);
            while ((st = deliver(s, &t, &rj, &err)) == SL_AGAIN)
                again++;
            assert_int_equal(st, SL_OK);
        }
    }
    sink_close(s);
    assert_int_equal(rj.n, 0);
    assert_true(again > 0);
    assert_true(stat_of("failed_items") > 0);
    json_t *docs = documents();
    size_t expected = 0;
    for (int k = 0; k < 40; k++) {
        char user[16];
        snprintf(user, sizeof user, "k%d", k);
        if (model[k] < 0) {
            assert_null(json_object_get(docs, user));
            continue;
        }
        expected++;
        assert_int_equal(doc_n(docs, user), model[k]);
    }
    assert_int_equal(json_object_size(docs), expected);
    json_decref(docs);
    assert_int_equal(stat_of("bad_requests"), 0);
    fake_server_free(&faulty);
    es = saved;
}

/* 100,000 keyed rows in one batch (20 _bulk requests of 5 MiB), timed; then deleted. */
static void test_speed(void **state)
{
    (void)state;
    char address[64];
    struct sl_sink_spec spec;
    spec_init(&spec, address, true);
    spec.target = "speed";
    /* The fake parses each 5 MiB request in Python: on a loaded machine, under ASan, that
     * passed the default 10 s. The figure printed is for reading, not a limit. */
    set_option(&spec, "timeout", 300 * SL_US_PER_SEC, NULL);
    struct sl_sink *s = open_sink(&spec);
    struct speed_batch t;
    speed_batch_init(&t, 100000);
    struct rejections rj = {0};
    struct sl_sink_ack ack = {.reject = on_reject, .ctx = &rj};
    speed_report("ELASTICSEARCH (fake_es.py), keyed", s, &t, &ack);
    assert_int_equal(rj.n, 0);
    json_t *count = fake_server_call(&es, "/speed/_count", false);
    assert_int_equal(json_integer_value(json_object_get(count, "count")), 100000);
    json_decref(count);
    uint8_t *kinds = malloc(100000);
    memset(kinds, SL_ROW_DELETE, 100000);
    t.b.kinds = kinds;
    speed_report("ELASTICSEARCH (fake_es.py), deletes", s, &t, &ack);
    free(kinds);
    count = fake_server_call(&es, "/speed/_count", false);
    assert_int_equal(json_integer_value(json_object_get(count, "count")), 0);
    json_decref(count);
    speed_batch_free(&t);
    sink_close(s);
}

static void test_bad_index_name(void **state)
{
    (void)state;
    char address[64];
    struct sl_sink_spec spec;
    spec_init(&spec, address, true);
    spec.target = "Alerts";
    struct sl_sink *s = NULL;
    struct sl_error err;
    assert_int_equal(sink_elasticsearch.open(&spec, NULL, 0, &s, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "upper-case"));
    const char *hint = NULL;
    assert_non_null(sink_elasticsearch.check_address("127.0.0.1:9200", &hint));
    assert_null(sink_elasticsearch.check_address("https://es:9200", &hint));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keyed_upserts_and_deletes),
        cmocka_unit_test(test_append_only_ids_and_split),
        cmocka_unit_test(test_resumes_at_the_first_row_not_done),
        cmocka_unit_test(test_refused_items),
        cmocka_unit_test(test_long_key_is_a_dead_letter),
        cmocka_unit_test(test_http_statuses),
        cmocka_unit_test(test_server_away_and_back),
        cmocka_unit_test(test_random_faults_converge),
        cmocka_unit_test(test_speed),
        cmocka_unit_test(test_bad_index_name),
    };
    return cmocka_run_group_tests(tests, start, stop);
}
