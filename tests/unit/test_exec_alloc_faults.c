/*
 * test_exec_alloc_faults.c — a query whose memory runs out fails loudly or
 * not at all. For a GROUP BY, a HOPPING window, a SESSION window and a
 * DISTINCT / collect_list aggregation, each over a CSV file with a dead
 * letter in it, the whole run (open, CREATE, the batches, close) is first run
 * clean to count its allocations (common/alloc.h: a few hundred, as arenas
 * take memory in blocks); then each of them, every one, fails in turn (once).
 * Each faulty run either ends with exactly the clean run's table, rows read
 * and dead letters, or stops with an error that says memory ran out: never a
 * wrong number, never a crash, and (under ASan) never a leak. SQLite's and
 * jansson's own allocations are not injected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/buf.h"
#include "engine/exec/engine.h"
#include "storage/db_internal.h"
#include "exec_db.h"

struct scenario {
    const char *name;
    const char *data;  /* file name in the test's directory */
    const char *sql;   /* %s: the data file's path (a printf format) */
    const char *check; /* what must equal the clean run's */
};

#define STREAM_SQL                                                                             \
    "CREATE STREAM s (k TEXT, x INTEGER, ts TIMESTAMP,\n"                                      \
    "                 WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)\n"                         \
    "  FROM FILE '%s' FORMAT CSV;\n"

static const struct scenario scenarios[] = {
    {"group_by", "ev.csv",
     STREAM_SQL "CREATE QUERY q AS SELECT k, count(*) AS c, sum(x) AS t, min(k || x) AS m,\n"
                "  latest(x) AS l FROM s GROUP BY k\n"
                "  TRIGGER EVERY 60 SECONDS WITH (max_batch_bytes = 2048);\n",
     "SELECT * FROM q ORDER BY k"},
    {"hopping", "ev.csv",
     STREAM_SQL "CREATE QUERY q AS SELECT k, count(*) AS c, max(x) AS mx, avg(x) AS a,\n"
                "  count(DISTINCT x %% 11) AS d, collect_list(x) AS l FROM s\n"
                "  GROUP BY k WINDOW HOPPING (SIZE 4 SECONDS, ADVANCE BY 2 SECONDS)\n"
                "  TRIGGER EVERY 60 SECONDS WITH (max_batch_bytes = 2048);\n",
     "SELECT * FROM q ORDER BY 1, 2, 3"},
    {"session", "ev.csv",
     STREAM_SQL "CREATE QUERY q AS SELECT k, count(*) AS c, sum(x) AS t, earliest(k || x) AS e\n"
                "  FROM s GROUP BY k WINDOW SESSION (GAP 1500 MILLISECONDS)\n"
                "  TRIGGER EVERY 60 SECONDS WITH (max_batch_bytes = 2048);\n",
     "SELECT * FROM q ORDER BY 1, 2, 3"},
    {"distinct", "many.csv",
     STREAM_SQL "CREATE QUERY q AS SELECT k, count(DISTINCT x) AS d,\n"
                "  sum(DISTINCT x %% 5) AS sd, collect_list(x %% 3) AS l,\n"
                "  approx_count_distinct(x) AS h, approx_percentile(x, 0.5) AS p\n"
                "  FROM s GROUP BY k\n"
                "  TRIGGER EVERY 60 SECONDS WITH (max_batch_bytes = 262144);\n",
     "SELECT * FROM q ORDER BY k"},
};

static char fault_db_path[128];

/* ev.csv: 400 rows over 13 keys, 100 ms apart and moved by up to 1.2 s either way (some late),
 * one in 97 with an x that is not an INTEGER (a dead letter). many.csv: 24000 rows over 2 keys,
 * each x its own, so a group's DISTINCT set and list outgrow the group table's first arena
 * block (1 MiB) and their growth asks for memory. */
static void write_data(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "many.csv");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 24000; i++) {
        if (i % 9973 == 0)
            fprintf(f, "k%d,oops,2026-01-01 00:00:00\n", i % 2);
        else
            fprintf(f, "k%d,%d,2026-01-01 00:00:%02d\n", i % 2, i, i / 1000);
    }
    fclose(f);
    path_in_dir(path, sizeof path, "ev.csv");
    f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 100; i < 500; i++) {
        int t = i * 100 + ((i * 7919) % 25 - 12) * 100;
        if (i % 97 == 0)
            fprintf(f, "k%d,oops,2026-01-01 00:00:%02d\n", i % 13, t / 1000 % 60);
        else
            fprintf(f, "k%d,%d,2026-01-01 00:%02d:%02d.%03d\n", i * 7 % 13, (i * 13) % 100,
                    t / 60000, t / 1000 % 60, t % 1000);
    }
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/sl_alloc_XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    path_in_dir(fault_db_path, sizeof fault_db_path, "f.db");
    write_data();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char path[128];
    path_in_dir(path, sizeof path, "ev.csv");
    unlink(path);
    path_in_dir(path, sizeof path, "many.csv");
    unlink(path);
    remove_db(fault_db_path);
    rmdir(dir);
    return 0;
}

/* Runs sql into a new f.db until its input ends, allocation k failing (0: none); the errors
 * into msg. True when every step succeeded. */
static bool run_script(const char *sql, long k, struct sl_buf *msg)
{
    remove_db(fault_db_path);
    struct sluice_options opts = {.db_path = fault_db_path};
    struct sluice_output out = {0};
    struct sluice *s = NULL;
    struct sl_error err;
    sl_error_clear(&err);
    sl_alloc_fail_after(k);
    bool ran = false;
    if (engine_open(&opts, &s, &err) != SL_OK) {
        buf_puts(msg, err.msg);
    } else {
        /* Hundreds of runs: what they commit need not reach the disk. */
        assert_int_equal(sqlite3_exec(s->db->conn, "PRAGMA synchronous = OFF", NULL, NULL, NULL),
                         SQLITE_OK);
        ran = engine_exec(s, "alloc.sql", sql, &out, msg) == SL_OK && engine_run(s, msg) == SL_OK;
    }
    if (s)
        sluice_close(s);
    sl_alloc_fail_after(0);
    return ran;
}

/* The table and the bookkeeping of the run in f.db, as one text. */
static char *outcome(const struct scenario *sc)
{
    char *table = query_text(fault_db_path, sc->check), *counts = query_text(fault_db_path, bookkeeping);
    size_t cap = strlen(table) + strlen(counts) + 2;
    char *both = malloc(cap);
    assert_non_null(both);
    snprintf(both, cap, "%s-\n%s", table, counts);
    free(table);
    free(counts);
    return both;
}

static void every_allocation_fails(void **state)
{
    const struct scenario *sc = *state;
    char data[128];
    path_in_dir(data, sizeof data, sc->data);
    char sql[1024];
    snprintf(sql, sizeof sql, sc->sql, data);

    struct sl_buf msg;
    buf_init(&msg);
    long before = sl_alloc_count();
    if (!run_script(sql, 0, &msg))
        fail_msg("%s: the clean run failed: %s", sc->name, buf_str(&msg));
    long allocations = sl_alloc_count() - before;
    char *want = outcome(sc);
    /* Rows, and a dead letter: the paths the faults are meant for. */
    const char *counts = strstr(want, "\n-\n");
    assert_non_null(counts);
    assert_null(strstr(counts, "|0\n"));

    long runs = 0, failed = 0;
    for (long k = 1; k <= allocations; k++) {
        buf_clear(&msg);
        runs++;
        if (!run_script(sql, k, &msg)) {
            failed++;
            if (!strstr(buf_str(&msg), "out of memory"))
                fail_msg("%s: allocation %ld of %ld failed with an unclear error: '%s'",
                         sc->name, k, allocations, buf_str(&msg));
            continue;
        }
        char *got = outcome(sc);
        if (strcmp(got, want) != 0)
            fail_msg("%s: allocation %ld of %ld failed, the run went on and its result "
                     "differs:\n%s\nwanted:\n%s",
                     sc->name, k, allocations, got, want);
        free(got);
    }
    print_message("%s: %ld allocations, %ld faulty runs, %ld stopped with an error\n", sc->name,
                  allocations, runs, failed);
    free(want);
    buf_free(&msg);
}

int main(void)
{
    struct CMUnitTest tests[sizeof scenarios / sizeof *scenarios];
    for (size_t i = 0; i < sizeof scenarios / sizeof *scenarios; i++)
        tests[i] = (struct CMUnitTest){.name = scenarios[i].name,
                                       .test_func = every_allocation_fails,
                                       .initial_state = (void *)&scenarios[i]};
    return cmocka_run_group_tests(tests, setup, teardown);
}
