/* test_connectors_sink_file.c — INTO FILE (connectors/sink_file.c): rolling by size and by
 * age, CSV read back by FORMAT CSV, partition folders, and exactly-once across crashes (a
 * child process that delivers and dies without closing, its last state lost). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/arena.h"
#include "common/chunk.h"
#include "common/time.h"
#include "connectors/decoder.h"
#include "connectors/sink_file.h"
#include "connectors/sink_impl.h"

#define T0 (INT64_C(1767225600) * SL_US_PER_SEC) /* 2026-01-01 00:00:00 UTC */
#define MAX_IDS 400

static const char *const col_names[] = {"id", "word", "window_start"};
static const enum sl_type col_types[] = {SL_INT, SL_TEXT, SL_TIMESTAMP};

struct fx {
    char dir[64];
    struct sl_sink_spec spec;
    char rejected[256];
};

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/sink_file_XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    strcat(f->dir, "/out/"); /* made by the sink, with its parent */
    f->spec = (struct sl_sink_spec){.connector = &sink_file,
                                    .name = "t",
                                    .address = f->dir,
                                    .format = SL_SINK_FORMAT_JSON,
                                    .ncols = 3,
                                    .names = col_names,
                                    .types = col_types};
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *f = *state;
    char top[64];
    snprintf(top, sizeof top, "%.20s", f->dir); /* /tmp/sink_file_XXXXXX */
    nftw(top, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    for (size_t i = 0; i < SL_CONNECTOR_MAX_OPTIONS; i++)
        free(f->spec.options[i].text);
    free(f);
    return 0;
}

static void set_option(struct fx *f, const char *name, const char *text, int64_t num)
{
    int i = sink_connector_option_index(&sink_file, name);
    assert_true(i >= 0);
    f->spec.options[i].set = true;
    free(f->spec.options[i].text);
    f->spec.options[i].text = text ? strdup(text) : NULL;
    f->spec.options[i].num = num;
}

static struct sl_sink *open_sink(struct fx *f, const struct sl_buf *saved)
{
    struct sl_sink *s = NULL;
    struct sl_error err = {0};
    sl_status st = sink_file.open(&f->spec, saved ? saved->data : NULL, saved ? saved->len : 0,
                                  &s, &err);
    if (st != SL_OK)
        fail_msg("open: %s", err.msg);
    return s;
}

static void on_reject(void *ctx, uint32_t row, const char *reason)
{
    struct fx *f = ctx;
    size_t used = strlen(f->rejected);
    snprintf(f->rejected + used, sizeof f->rejected - used, "%u: %s\n", row, reason);
}

/* Delivers batch `batch` of rows id = first .. first+count-1 (word "w<id>", window_start
 * T0 + (id / per_window) minutes); the state it leaves goes to *state (when not NULL). */
static sl_status deliver_ids(struct fx *f, struct sl_sink *s, int64_t batch, int64_t committed,
                             int first, int count, int per_window, struct sl_buf *state)
{
    struct sl_value values[3 * 64];
    char words[64][16];
    assert_true(count <= 64);
    for (int i = 0; i < count; i++) {
        int id = first + i;
        snprintf(words[i], sizeof words[i], "w%d", id);
        values[3 * i] = (struct sl_value){.type = SL_INT, .u.i = id};
        values[3 * i + 1] =
            (struct sl_value){.type = SL_TEXT, .u.s = {words[i], (uint32_t)strlen(words[i])}};
        int64_t minute = per_window ? id / per_window : 0;
        values[3 * i + 2] =
            (struct sl_value){.type = SL_TIMESTAMP, .u.i = T0 + minute * 60 * SL_US_PER_SEC};
    }
    struct sl_sink_batch b = {.batch_id = batch, .committed_us = committed,
                              .nrows = (uint32_t)count, .values = values};
    struct sl_sink_ack ack = {.reject = on_reject, .ctx = f};
    struct sl_error err = {0};
    sl_status st = sink_deliver(s, &b, &ack, &err);
    if (state && ack.state.len) {
        buf_clear(state);
        buf_append(state, ack.state.data, ack.state.len);
    }
    buf_free(&ack.state);
    return st;
}

/* The names in folder (dot files too), sorted, one a line. */
static void list_folder(const char *folder, char *out, size_t cap)
{
    struct dirent **names;
    int n = scandir(folder, &names, NULL, alphasort);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, ".."))
            snprintf(out + strlen(out), cap - strlen(out), "%s\n", names[i]->d_name);
        free(names[i]);
    }
    free(names);
}

static char *read_whole(const char *path)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return NULL;
    char *text = calloc(1, 1 << 20);
    size_t n = fread(text, 1, (1 << 20) - 1, in);
    text[n] = '\0';
    fclose(in);
    return text;
}

/* Counts each "id" of the JSON lines in the finished files below folder, recursively. */
static void count_ids(const char *folder, int *counts)
{
    DIR *d = opendir(folder);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", folder, e->d_name);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        if (S_ISDIR(st.st_mode)) {
            count_ids(path, counts);
            continue;
        }
        char *text = read_whole(path);
        for (char *line = text; line && *line;) {
            int id;
            assert_int_equal(sscanf(line, "{\"id\":%d,", &id), 1);
            assert_true(id >= 0 && id < MAX_IDS);
            counts[id]++;
            char *nl = strchr(line, '\n');
            assert_non_null(nl);
            line = nl + 1;
        }
        free(text);
    }
    closedir(d);
}

/* Each id in [1, n] is in exactly one finished file, once; no other id is. */
static void assert_ids_once(const char *folder, int n)
{
    int counts[MAX_IDS] = {0};
    count_ids(folder, counts);
    for (int id = 0; id < MAX_IDS; id++)
        if (counts[id] != (id >= 1 && id <= n))
            fail_msg("id %d is in the finished files %d times", id, counts[id]);
}

static void test_roll_option(void **state)
{
    (void)state;
    struct file_roll r;
    assert_true(file_roll_parse("1 minute", &r));
    assert_int_equal(r.max_age_us, 60 * SL_US_PER_SEC);
    assert_int_equal(r.max_bytes, FILE_ROLL_DEFAULT_BYTES);
    assert_true(file_roll_parse(" 64 MB ", &r));
    assert_int_equal(r.max_bytes, 64 << 20);
    assert_int_equal(r.max_age_us, FILE_ROLL_DEFAULT_AGE_US);
    assert_true(file_roll_parse("2 Hours", &r));
    assert_int_equal(r.max_age_us, 7200 * SL_US_PER_SEC);
    assert_true(file_roll_parse("100 bytes", &r));
    assert_int_equal(r.max_bytes, 100);
    assert_true(file_roll_parse("1GB", &r));
    assert_int_equal(r.max_bytes, INT64_C(1) << 30);
    const char *bad[] = {"soon", "", "0 MB", "-1 minute", "5", "5 parsecs", "1 minute 2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(file_roll_parse(bad[i], &r));
    /* The binder refuses it through check_option, with the hint. */
    const char *hint = NULL;
    struct sl_option_value v = {.set = true, .text = "soon"};
    int roll = sink_connector_option_index(&sink_file, "roll");
    assert_non_null(sink_file.check_option((size_t)roll, &v, &hint));
    assert_non_null(strstr(hint, "'64 MB'"));
    assert_ptr_equal(sink_connector_find("file"), &sink_file);
    assert_true(sink_file.exactly_once);
}

static void test_roll_by_size(void **state)
{
    struct fx *f = *state;
    set_option(f, "roll", "150 bytes", 0);
    struct sl_sink *s = open_sink(f, NULL);
    char names[1024];
    /* Each row is 65 bytes of JSON: two fit, the third passes 150. */
    assert_int_equal(deliver_ids(f, s, 1, T0, 1, 2, 0, NULL), SL_OK);
    list_folder(f->dir, names, sizeof names);
    assert_string_equal(names, ".t-00000000000000000001.json.inprogress\n");
    assert_int_equal(deliver_ids(f, s, 2, T0, 3, 1, 0, NULL), SL_OK);
    list_folder(f->dir, names, sizeof names);
    assert_string_equal(names, "t-00000000000000000001-2.json\n");
    assert_int_equal(deliver_ids(f, s, 3, T0, 4, 1, 0, NULL), SL_OK);
    list_folder(f->dir, names, sizeof names);
    assert_string_equal(names, ".t-00000000000000000003.json.inprogress\n"
                               "t-00000000000000000001-2.json\n");
    sink_close(s); /* a close finishes what is in progress */
    list_folder(f->dir, names, sizeof names);
    assert_string_equal(names, "t-00000000000000000001-2.json\n"
                               "t-00000000000000000003-3.json\n");
    assert_ids_once(f->dir, 4);
}

static void test_roll_by_age(void **state)
{
    struct fx *f = *state;
    set_option(f, "roll", "1 minute", 0);
    struct sl_sink *s = open_sink(f, NULL);
    struct sl_error err;
    char names[1024];
    assert_int_equal(deliver_ids(f, s, 1, T0, 1, 3, 0, NULL), SL_OK);
    assert_int_equal(sink_idle(s, T0 + 59 * SL_US_PER_SEC, &err), SL_OK);
    list_folder(f->dir, names, sizeof names);
    assert_string_equal(names, ".t-00000000000000000001.json.inprogress\n");
    assert_int_equal(sink_idle(s, T0 + 60 * SL_US_PER_SEC, &err), SL_OK);
    list_folder(f->dir, names, sizeof names);
    assert_string_equal(names, "t-00000000000000000001-1.json\n");
    /* A batch that finds its file too old finishes it first and starts the next. */
    assert_int_equal(deliver_ids(f, s, 2, T0 + 120 * SL_US_PER_SEC, 4, 1, 0, NULL), SL_OK);
    assert_int_equal(deliver_ids(f, s, 3, T0 + 150 * SL_US_PER_SEC, 5, 1, 0, NULL), SL_OK);
    assert_int_equal(deliver_ids(f, s, 4, T0 + 185 * SL_US_PER_SEC, 6, 1, 0, NULL), SL_OK);
    list_folder(f->dir, names, sizeof names);
    assert_string_equal(names, ".t-00000000000000000004.json.inprogress\n"
                               "t-00000000000000000001-1.json\n"
                               "t-00000000000000000002-3.json\n");
    sink_close(s);
    assert_ids_once(f->dir, 6);
}

/* Reads a CSV file back with FORMAT CSV (header = true) into "cell|cell\n" lines. */
static void read_csv_back(const char *path, char *out, size_t cap)
{
    static const struct sl_column cols[] = {{"id", SL_INT}, {"word", SL_TEXT},
                                            {"window_start", SL_TIMESTAMP}, {"op", SL_TEXT}};
    const struct sl_schema schema = {4, cols};
    const enum sl_type types[] = {SL_INT, SL_TEXT, SL_TIMESTAMP, SL_TEXT};
    struct sl_format_spec spec = {.kind = SL_FORMAT_CSV, .header = true};
    struct sl_error err;
    struct sl_arena *arena = arena_create(0);
    struct sl_chunk *chunk;
    struct sl_decoder *dec;
    assert_int_equal(chunk_create(arena, 4, types, &chunk), SL_OK);
    assert_int_equal(decoder_create(&spec, &schema, NULL, NULL, &dec, &err), SL_OK);
    char *text = read_whole(path);
    assert_non_null(text);
    size_t consumed;
    assert_int_equal(decoder_decode(dec, text, strlen(text), &consumed, chunk, &err), SL_OK);
    assert_int_equal(consumed, strlen(text));
    assert_int_equal(decoder_finish(dec, chunk, &err), SL_OK);
    out[0] = '\0';
    for (uint32_t r = 0; r < chunk->count; r++)
        for (uint32_t c = 0; c < 4; c++) {
            struct sl_value v = vector_get(&chunk->cols[c], r);
            char cell[64];
            if (v.type == SL_NULL)
                snprintf(cell, sizeof cell, "NULL");
            else if (v.type == SL_INT)
                snprintf(cell, sizeof cell, "%lld", (long long)v.u.i);
            else if (v.type == SL_TIMESTAMP)
                sl_ts_format(v.u.i, cell);
            else
                snprintf(cell, sizeof cell, "<%.*s>", (int)v.u.s.len, v.u.s.ptr);
            snprintf(out + strlen(out), cap - strlen(out), "%s%s", cell, c == 3 ? "\n" : "|");
        }
    free(text);
    decoder_destroy(dec);
    arena_destroy(arena);
}

static void test_csv_round_trip(void **state)
{
    struct fx *f = *state;
    f->spec.format = SL_SINK_FORMAT_CSV;
    f->spec.changelog = true; /* an op column last */
    struct sl_sink *s = open_sink(f, NULL);
    const char *words[] = {"plain", "a, comma", "say \"hi\"", "two\nlines", " edges ", "", NULL};
    struct sl_value values[3 * 7];
    uint8_t kinds[7];
    for (int i = 0; i < 7; i++) {
        values[3 * i] = (struct sl_value){.type = SL_INT, .u.i = i};
        values[3 * i + 1] =
            words[i]
                ? (struct sl_value){.type = SL_TEXT, .u.s = {words[i], (uint32_t)strlen(words[i])}}
                : sl_null();
        values[3 * i + 2] = (struct sl_value){.type = SL_TIMESTAMP, .u.i = T0 + i};
        kinds[i] = (uint8_t)(i % 3);
    }
    struct sl_sink_batch b = {.batch_id = 7, .committed_us = T0, .nrows = 7, .values = values,
                              .kinds = kinds};
    struct sl_sink_ack ack = {0};
    struct sl_error err;
    assert_int_equal(sink_deliver(s, &b, &ack, &err), SL_OK);
    buf_free(&ack.state);
    sink_close(s);
    char path[128], rows[1024];
    snprintf(path, sizeof path, "%s/t-00000000000000000007-7.csv", f->dir);
    char *text = read_whole(path);
    assert_non_null(text);
    assert_true(strncmp(text, "id,word,window_start,op\n", 24) == 0);
    free(text);
    read_csv_back(path, rows, sizeof rows);
    assert_string_equal(rows, "0|<plain>|2026-01-01 00:00:00.000000|<insert>\n"
                              "1|<a, comma>|2026-01-01 00:00:00.000001|<update>\n"
                              "2|<say \"hi\">|2026-01-01 00:00:00.000002|<delete>\n"
                              "3|<two\nlines>|2026-01-01 00:00:00.000003|<insert>\n"
                              "4|< edges >|2026-01-01 00:00:00.000004|<update>\n"
                              "5|<>|2026-01-01 00:00:00.000005|<delete>\n"
                              "6|NULL|2026-01-01 00:00:00.000006|<insert>\n");
}

static void test_partition_folders(void **state)
{
    struct fx *f = *state;
    set_option(f, "partition_by", "window_start", 0);
    struct sl_sink *s = open_sink(f, NULL);
    struct sl_buf st;
    buf_init(&st);
    /* ids 1..9, 5 a window: windows 0 (1-4), 1 (5-9). */
    assert_int_equal(deliver_ids(f, s, 1, T0, 1, 9, 5, &st), SL_OK);
    char names[1024], path[256];
    list_folder(f->dir, names, sizeof names);
    assert_string_equal(names, "window_start=2026-01-01 00:00:00\n"
                               "window_start=2026-01-01 00:01:00\n");
    snprintf(path, sizeof path, "%s/window_start=2026-01-01 00:01:00", f->dir);
    list_folder(path, names, sizeof names);
    assert_string_equal(names, ".t-00000000000000000001.json.inprogress\n");
    /* The state holds one open file a folder. */
    assert_non_null(strstr(st.data, "window_start=2026-01-01 00:00:00/.t-00000000000000000001"));
    assert_non_null(strstr(st.data, "window_start=2026-01-01 00:01:00/.t-00000000000000000001"));
    assert_int_equal(deliver_ids(f, s, 2, T0, 10, 5, 5, &st), SL_OK); /* window 2 */
    sink_close(s);
    list_folder(path, names, sizeof names);
    assert_string_equal(names, "t-00000000000000000001-2.json\n");
    assert_ids_once(f->dir, 14);
    buf_free(&st);
}

static void test_partition_limits_and_names(void **state)
{
    struct fx *f = *state;
    set_option(f, "partition_by", "word", 0);
    set_option(f, "max_open_files", NULL, 2);
    struct sl_sink *s = open_sink(f, NULL);
    char names[1024], path[256];
    /* One folder an id (word w<id>): past two in progress, the least recently written is
     * finished. */
    assert_int_equal(deliver_ids(f, s, 1, T0, 1, 2, 0, NULL), SL_OK);
    assert_int_equal(deliver_ids(f, s, 2, T0, 3, 1, 0, NULL), SL_OK);
    snprintf(path, sizeof path, "%s/word=w1", f->dir);
    list_folder(path, names, sizeof names);
    assert_string_equal(names, "t-00000000000000000001-2.json\n");
    sink_close(s);
    assert_ids_once(f->dir, 3);
    /* Values made safe for a folder name; NULL as Hive writes it; too long: refused. */
    struct sl_buf folder;
    buf_init(&folder);
    struct sl_value v = {.type = SL_TEXT, .u.s = {"../a/b%c", 8}};
    assert_true(file_partition_folder(&folder, "word", &v));
    assert_string_equal(folder.data, "word=%2E.%2Fa%2Fb%25c");
    buf_clear(&folder);
    v = sl_null();
    assert_true(file_partition_folder(&folder, "word", &v));
    assert_string_equal(folder.data, "word=__HIVE_DEFAULT_PARTITION__");
    buf_clear(&folder);
    char long_text[300];
    memset(long_text, 'x', sizeof long_text);
    v = (struct sl_value){.type = SL_TEXT, .u.s = {long_text, sizeof long_text}};
    assert_false(file_partition_folder(&folder, "word", &v));
    buf_free(&folder);
}

static void test_partition_refused_row(void **state)
{
    struct fx *f = *state;
    set_option(f, "partition_by", "word", 0);
    struct sl_sink *s = open_sink(f, NULL);
    char long_text[300];
    memset(long_text, 'x', sizeof long_text);
    struct sl_value values[6] = {
        {.type = SL_INT, .u.i = 1}, {.type = SL_TEXT, .u.s = {long_text, sizeof long_text}},
        {.type = SL_NULL},          {.type = SL_INT, .u.i = 2},
        {.type = SL_TEXT, .u.s = {"ok", 2}}, {.type = SL_NULL}};
    struct sl_sink_batch b = {.batch_id = 1, .committed_us = T0, .nrows = 2, .values = values};
    struct sl_sink_ack ack = {.reject = on_reject, .ctx = f};
    struct sl_error err;
    assert_int_equal(sink_deliver(s, &b, &ack, &err), SL_OK);
    buf_free(&ack.state);
    assert_string_equal(f->rejected, "0: its partition_by value is too long for a folder name\n");
    sink_close(s);
    int counts[MAX_IDS] = {0};
    count_ids(f->dir, counts);
    assert_int_equal(counts[1], 0);
    assert_int_equal(counts[2], 1);
}

static void test_unknown_partition_column(void **state)
{
    struct fx *f = *state;
    set_option(f, "partition_by", "nope", 0);
    struct sl_sink *s = NULL;
    struct sl_error err;
    assert_int_equal(sink_file.open(&f->spec, NULL, 0, &s, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "(id, word, window_start)"));
}

static void test_same_batch_twice(void **state)
{
    struct fx *f = *state;
    struct sl_sink *s = open_sink(f, NULL);
    assert_int_equal(deliver_ids(f, s, 1, T0, 1, 3, 0, NULL), SL_OK);
    assert_int_equal(deliver_ids(f, s, 1, T0, 1, 3, 0, NULL), SL_OK);
    assert_int_equal(deliver_ids(f, s, 2, T0, 4, 1, 0, NULL), SL_OK);
    sink_close(s);
    assert_ids_once(f->dir, 4);
}

/*
 * A crash: a child process opens the sink with saved, delivers batches [from, to] (batch b
 * has ids 3b-2 .. 3b), sends the state the delivery of batch `kept` left, and dies without
 * closing; the states of the later batches are lost, as when SQLite did not commit them.
 */
static void crash_after(struct fx *f, struct sl_buf *saved, int from, int to, int kept)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        struct sl_sink *s = NULL;
        struct sl_error err;
        if (sink_file.open(&f->spec, saved->data, saved->len, &s, &err) != SL_OK)
            _exit(2);
        struct sl_buf st;
        buf_init(&st);
        for (int b = from; b <= to; b++) {
            if (deliver_ids(f, s, b, T0, 3 * b - 2, 3, 0, b == kept ? &st : NULL) != SL_OK)
                _exit(3);
        }
        if (write(fds[1], st.data, st.len) != (ssize_t)st.len)
            _exit(4);
        _exit(0);
    }
    close(fds[1]);
    char text[4096];
    ssize_t n, len = 0;
    while ((n = read(fds[0], text + len, sizeof text - (size_t)len)) > 0)
        len += n;
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    buf_clear(saved);
    buf_append(saved, text, (size_t)len);
}

static void test_crash_resend(void **state)
{
    struct fx *f = *state;
    struct sl_buf saved;
    buf_init(&saved);
    /* Batch 1's state kept, batch 2 written and lost: the file holds ids 1..6 when it dies. */
    crash_after(f, &saved, 1, 2, 1);
    assert_non_null(strstr(saved.data, "last 1\n"));
    struct sl_sink *s = open_sink(f, &saved); /* cuts batch 2 away */
    char names[256], path[256];
    snprintf(path, sizeof path, "%s/.t-00000000000000000001.json.inprogress", f->dir);
    char *text = read_whole(path);
#define ROW(n) "{\"id\":" #n ",\"word\":\"w" #n "\",\"window_start\":\"" TS "\"}\n"
#define TS "2026-01-01 00:00:00.000000"
    assert_string_equal(text, ROW(1) ROW(2) ROW(3));
#undef ROW
#undef TS
    free(text);
    assert_int_equal(deliver_ids(f, s, 1, T0, 1, 3, 0, NULL), SL_OK); /* no-op */
    assert_int_equal(deliver_ids(f, s, 2, T0, 4, 3, 0, NULL), SL_OK);
    sink_close(s);
    list_folder(f->dir, names, sizeof names);
    assert_string_equal(names, "t-00000000000000000001-2.json\n");
    assert_ids_once(f->dir, 6);
    buf_free(&saved);
}

static void test_crash_after_rename(void **state)
{
    struct fx *f = *state;
    set_option(f, "roll", "400 bytes", 0); /* 3 rows are 195 bytes: batch 3 finishes the file */
    struct sl_buf saved;
    buf_init(&saved);
    /* Dies with batch 3's rename done and its state lost: the state names a file that is gone. */
    crash_after(f, &saved, 1, 3, 2);
    char names[256];
    list_folder(f->dir, names, sizeof names);
    assert_string_equal(names, "t-00000000000000000001-3.json\n");
    /* The restart sees the finished file and writes batch 3 nowhere again. */
    struct sl_sink *s = open_sink(f, &saved);
    assert_int_equal(deliver_ids(f, s, 3, T0, 7, 3, 0, NULL), SL_OK);
    assert_int_equal(deliver_ids(f, s, 4, T0, 10, 3, 0, NULL), SL_OK);
    sink_close(s);
    list_folder(f->dir, names, sizeof names);
    assert_string_equal(names, "t-00000000000000000001-3.json\n"
                               "t-00000000000000000004-4.json\n");
    assert_ids_once(f->dir, 12);
    /* A new file finished before a crash: batch 5 alone passes the size. */
    buf_clear(&saved);
    set_option(f, "roll", "100 bytes", 0);
    crash_after(f, &saved, 4, 5, 4);
    s = open_sink(f, &saved);
    assert_int_equal(deliver_ids(f, s, 5, T0, 13, 3, 0, NULL), SL_OK);
    sink_close(s);
    assert_ids_once(f->dir, 15);
    buf_free(&saved);
}

/* No state saved at all, and a file finished with two batches before the crash: the first
 * batch finds it and neither is written again. */
static void test_finished_before_any_state(void **state)
{
    struct fx *f = *state;
    set_option(f, "roll", "300 bytes", 0);
    struct sl_buf saved;
    buf_init(&saved);
    crash_after(f, &saved, 1, 2, 0);
    assert_int_equal(saved.len, 0);
    char names[256];
    list_folder(f->dir, names, sizeof names);
    assert_string_equal(names, "t-00000000000000000001-2.json\n");
    struct sl_sink *s = open_sink(f, NULL);
    for (int b = 1; b <= 3; b++)
        assert_int_equal(deliver_ids(f, s, b, T0, 3 * b - 2, 3, 0, NULL), SL_OK);
    sink_close(s);
    list_folder(f->dir, names, sizeof names);
    assert_string_equal(names, "t-00000000000000000001-2.json\n"
                               "t-00000000000000000003-3.json\n");
    assert_ids_once(f->dir, 9);
    buf_free(&saved);
}

static void test_close_then_resume(void **state)
{
    struct fx *f = *state;
    struct sl_buf saved;
    buf_init(&saved);
    struct sl_sink *s = open_sink(f, NULL);
    assert_int_equal(deliver_ids(f, s, 1, T0, 1, 3, 0, &saved), SL_OK);
    sink_close(s); /* renamed, though the state still says in progress */
    s = open_sink(f, &saved);
    assert_int_equal(deliver_ids(f, s, 2, T0, 4, 3, 0, &saved), SL_OK);
    sink_close(s);
    char names[256];
    list_folder(f->dir, names, sizeof names);
    assert_string_equal(names, "t-00000000000000000001-1.json\n"
                               "t-00000000000000000002-2.json\n");
    assert_ids_once(f->dir, 6);
    buf_free(&saved);
}

static void test_gone_file_is_an_error(void **state)
{
    struct fx *f = *state;
    struct sl_buf saved;
    buf_init(&saved);
    crash_after(f, &saved, 1, 1, 1);
    char path[256];
    snprintf(path, sizeof path, "%s/.t-00000000000000000001.json.inprogress", f->dir);
    assert_int_equal(unlink(path), 0);
    struct sl_sink *s = NULL;
    struct sl_error err;
    assert_int_equal(sink_file.open(&f->spec, saved.data, saved.len, &s, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "is gone"));
    saved.data[0] = 'x';
    assert_int_equal(sink_file.open(&f->spec, saved.data, saved.len, &s, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "line 1"));
    buf_free(&saved);
}

/* A write that fails half way (the file size limit, as a full disk) is retried: the
 * file holds the batch once. */
static void test_failed_write_is_retried(void **state)
{
    struct fx *f = *state;
    struct sl_sink *s = open_sink(f, NULL);
    assert_int_equal(deliver_ids(f, s, 1, T0, 1, 3, 0, NULL), SL_OK); /* 195 bytes */
    struct rlimit old, small;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    small = old;
    small.rlim_cur = 200;
    void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    sl_status st = deliver_ids(f, s, 2, T0, 4, 3, 0, NULL);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, was);
    assert_int_equal(st, SL_AGAIN);
    assert_int_equal(deliver_ids(f, s, 2, T0, 4, 3, 0, NULL), SL_OK);
    sink_close(s);
    assert_ids_once(f->dir, 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roll_option),
        cmocka_unit_test_setup_teardown(test_roll_by_size, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_roll_by_age, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_csv_round_trip, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_partition_folders, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_partition_limits_and_names, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_partition_refused_row, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_unknown_partition_column, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_same_batch_twice, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_crash_resend, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_crash_after_rename, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_finished_before_any_state, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_close_then_resume, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_gone_file_is_an_error, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_failed_write_is_retried, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
