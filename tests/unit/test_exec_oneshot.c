/*
 * test_exec_oneshot.c — a one-shot SELECT SQLite answers runs without the
 * engine's lock (exec_script.c). One thread runs recursive CTEs over a
 * result table while another creates and drops queries and attaches and
 * detaches a database, and the batch thread commits a query's batches:
 * every statement succeeds, batches are committed while the SELECTs run,
 * and sluice_interrupt still stops an endless one. Run under ASan, this is
 * the test of what the lock no longer covers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/sluice.h"

static char dir[64];

/* The last value of the last row a SELECT gave. */
struct answer {
    char value[64];
};

static void keep_row(void *ctx, bool is_header, int ncols, const char *const *values)
{
    struct answer *a = ctx;
    if (!is_header && ncols > 0)
        snprintf(a->value, sizeof a->value, "%s", values[ncols - 1] ? values[ncols - 1] : "");
}

/* The threads' checks print and abort: cmocka's asserts may only fail on the main thread. */
static long long ask(struct sluice *s, const char *sql)
{
    struct answer a = {{0}};
    struct sluice_output out = {.row = keep_row, .ctx = &a};
    char *errors = NULL;
    sluice_status st = sluice_exec(s, "<test>", sql, &out, &errors);
    if (st != SLUICE_OK) {
        fprintf(stderr, "%s: %s", sql, errors ? errors : "");
        abort();
    }
    sluice_free(errors);
    return atoll(a.value);
}

static void run(struct sluice *s, const char *sql)
{
    char *errors = NULL;
    if (sluice_exec(s, "<test>", sql, NULL, &errors) != SLUICE_OK) {
        fprintf(stderr, "%s: %s", sql, errors ? errors : "");
        abort();
    }
    sluice_free(errors);
}

struct shared {
    struct sluice *s;
    atomic_bool done;
    long long during; /* batches of q committed while the SELECTs ran */
};

#define BATCHES "SELECT count(*) FROM _sluice_progress WHERE query = 'q';"

static void *select_loop(void *arg)
{
    struct shared *sh = arg;
    for (int i = 0; i < 6; i++) {
        long long before = ask(sh->s, BATCHES);
        long long n = ask(sh->s, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c"
                                 " WHERE x < 300000) SELECT count(*) + 0 * (SELECT count(*) FROM q)"
                                 " FROM c;");
        if (n != 300000) {
            fprintf(stderr, "the CTE counted %lld rows, not 300000\n", n);
            abort();
        }
        sh->during += ask(sh->s, BATCHES) - before;
    }
    atomic_store(&sh->done, true);
    return NULL;
}

static void *ddl_loop(void *arg)
{
    struct shared *sh = arg;
    char sql[512];
    for (int i = 0; !atomic_load(&sh->done); i++) {
        snprintf(sql, sizeof sql,
                 "CREATE QUERY r%d AS SELECT n FROM g TRIGGER EVERY 20 MILLISECONDS;\n"
                 "ATTACH '%s/other.db' AS other;\nDETACH other;\nDROP QUERY r%d;",
                 i, dir, i);
        run(sh->s, sql);
        usleep(20000);
    }
    return NULL;
}

struct endless {
    struct sluice *s;
    sluice_status st;
    char *errors;
    atomic_bool returned;
};

static void *endless_select(void *arg)
{
    struct endless *e = arg;
    e->st = sluice_exec(e->s, "<test>",
                        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
                        " SELECT count(*) FROM c;",
                        NULL, &e->errors);
    atomic_store(&e->returned, true);
    return NULL;
}

static void test_select_apart_from_batches(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/a.db", dir);
    struct sluice_options opts = {.db_path = path};
    struct shared sh = {0};
    char *errors = NULL;
    assert_int_equal(sluice_open(&opts, &sh.s, &errors), SLUICE_OK);
    run(sh.s, "CREATE STREAM g (n BIGINT) FROM GENERATOR WITH (rows = 100000000, rate = 5000);\n"
              "CREATE QUERY q AS SELECT n FROM g TRIGGER EVERY 20 MILLISECONDS;");
    assert_int_equal(sluice_start(sh.s, &errors), SLUICE_OK);
    while (ask(sh.s, BATCHES) == 0)
        usleep(10000);

    pthread_t selects, ddl;
    assert_int_equal(pthread_create(&selects, NULL, select_loop, &sh), 0);
    assert_int_equal(pthread_create(&ddl, NULL, ddl_loop, &sh), 0);
    pthread_join(selects, NULL);
    pthread_join(ddl, NULL);
    if (sh.during <= 0)
        fail_msg("no batch of q committed while the SELECTs ran");

    struct endless e = {.s = sh.s};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, endless_select, &e), 0);
    /* Asked again and again: sluice_exec clears the flag as it starts, which
     * under a loaded ASan build can be seconds after the thread is created. */
    for (int i = 0; !atomic_load(&e.returned); i++) {
        if (i == 3000) {
            fprintf(stderr, "sluice_interrupt did not stop the SELECT within a minute\n");
            abort();
        }
        usleep(20000);
        sluice_interrupt(sh.s);
    }
    pthread_join(t, NULL);
    assert_int_equal(e.st, SLUICE_ERROR);
    assert_non_null(e.errors);
    assert_non_null(strstr(e.errors, "interrupted"));
    sluice_free(e.errors);
    sluice_close(sh.s);
}

/* The first SELECT's row asks for the interrupt, as a Ctrl-C would between statements. */
static void interrupt_at_row(void *ctx, bool is_header, int ncols, const char *const *values)
{
    (void)ncols;
    (void)values;
    if (!is_header)
        sluice_interrupt(ctx);
}

/* An interrupt that comes after sluice_exec began, before its SELECT starts, is not lost:
 * the long count is stopped, not run to its end (it used to clear the flag as it began). */
static void test_interrupt_before_select(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/b.db", dir);
    struct sluice_options opts = {.db_path = path};
    struct sluice *s;
    char *errors = NULL;
    assert_int_equal(sluice_open(&opts, &s, &errors), SLUICE_OK);
    struct sluice_output out = {.row = interrupt_at_row, .ctx = s};
    sluice_status st = sluice_exec(s, "<test>",
                                   "SELECT 1;\n"
                                   "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c"
                                   " WHERE x < 50000000) SELECT count(*) FROM c;",
                                   &out, &errors);
    assert_int_equal(st, SLUICE_ERROR);
    assert_non_null(errors);
    assert_non_null(strstr(errors, "interrupted"));
    sluice_free(errors);
    /* The next sluice_exec starts afresh. */
    errors = NULL;
    assert_int_equal(sluice_exec(s, "<test>", "SELECT 2;", NULL, &errors), SLUICE_OK);
    sluice_close(s);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/sl_oneshot_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    static const char *const files[] = {"a.db", "a.db-wal", "a.db-shm", "a.db-owner",
                                        "b.db", "b.db-wal", "b.db-shm", "b.db-owner",
                                        "other.db", "other.db-wal", "other.db-shm"};
    char path[128];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select_apart_from_batches),
        cmocka_unit_test(test_interrupt_before_select),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
