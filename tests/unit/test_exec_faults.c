/*
 * test_exec_faults.c — a query over a file whose database fails to write
 * (fault_vfs.h: the Nth write call fails, as an I/O error or a disk that
 * stays full) stops cleanly, leaves a sound database, and, run again,
 * continues from its last committed batch to exactly the tables of an
 * uninterrupted run. A lock another connection holds only delays the
 * batches (or, at a stop, loses the open one).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/log.h"
#include "common/time.h"
#include "engine/exec/engine.h"
#include "storage/db_internal.h"
#include "exec_db.h"
#include "fault_vfs.h"

/* Every write call of the first batches fails in turn, then one in STRIDE
 * (a batch is some forty writes), up to the first N the run never reaches:
 * some eighty runs per test, each with the run that resumes. */
#define EVERY_WRITE_UP_TO 50
#define STRIDE 17
/* SQLite's page cache (its pages): so small that a batch's statements spill
 * pages to the WAL, and a failing write lands inside them (the operator
 * state, the result rows the flush writes, the progress row, ...), not only
 * at COMMIT, where the engine's 32 MiB cache writes every page. */
#define CACHE_PAGES 10

struct scenario {
    const char *name;
    const char *data;  /* file name in the test's directory */
    const char *sql;   /* %s: the data file's path */
    const char *check; /* what must equal the uninterrupted run's */
};

static const struct scenario group_by = {
    "group_by",
    "kx.csv",
    "CREATE STREAM s (k TEXT, x INTEGER) FROM FILE '%s' FORMAT CSV;\n"
    "CREATE QUERY q AS SELECT k, count(*) AS c, sum(x) AS t FROM s GROUP BY k\n"
    "  TRIGGER EVERY 60 SECONDS WITH (max_batch_bytes = 2048);\n",
    "SELECT k, c, t FROM q ORDER BY k",
};

static const struct scenario tumbling = {
    "tumbling",
    "ev.csv",
    "CREATE STREAM s (k TEXT, x INTEGER, ts TIMESTAMP,\n"
    "                 WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)\n"
    "  FROM FILE '%s' FORMAT CSV;\n"
    "CREATE QUERY w AS SELECT k, count(*) AS c, sum(x) AS t FROM s GROUP BY k\n"
    "  WINDOW TUMBLING (SIZE 10 SECONDS) EMIT FINAL\n"
    "  TRIGGER EVERY 60 SECONDS WITH (max_batch_bytes = 8192);\n",
    "SELECT * FROM w ORDER BY 1, 2, 3",
};

/* kx.csv: 3000 rows over 600 keys, one in 250 with an x that is not an
 * INTEGER (a dead letter). ev.csv: 3000 rows over 211 keys, 100 ms apart,
 * moved by up to 2.5 s either way, so some arrive after the watermark
 * closed their window. Enough groups that a batch writes many pages. */
static void write_data(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "kx.csv");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 1; i <= 3000; i++) {
        if (i % 250 == 0)
            fprintf(f, "k%d,oops\n", i % 40);
        else
            fprintf(f, "k%d,%d\n", (i * 7) % 600, i % 1000);
    }
    fclose(f);
    path_in_dir(path, sizeof path, "ev.csv");
    f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 100; i < 3100; i++) {
        int t = i * 100 + ((i * 7919) % 51 - 25) * 100;
        int s = t / 1000;
        fprintf(f, "k%d,%d,2026-01-01 %02d:%02d:%02d.%03d\n", i * 7 % 211, (i * 13) % 1000,
                s / 3600, s / 60 % 60, s % 60, t % 1000);
    }
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/sl_faults_XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    write_data();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char path[128];
    static const char *const files[] = {"kx.csv", "ev.csv"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        path_in_dir(path, sizeof path, files[i]);
        unlink(path);
    }
    path_in_dir(path, sizeof path, "f.db");
    remove_db(path);
    rmdir(dir);
    return 0;
}

static char *script_for(const struct scenario *sc)
{
    char data[128];
    path_in_dir(data, sizeof data, sc->data);
    size_t cap = strlen(sc->sql) + strlen(data) + 1;
    char *sql = malloc(cap);
    assert_non_null(sql);
    snprintf(sql, cap, sc->sql, data);
    return sql;
}

enum stage { RAN, OPEN_FAILED, EXEC_FAILED, RUN_FAILED };

/* Opens db_path, runs sql until its input ends, closes; errors into msg. */
static enum stage run_script(const char *db_path, const char *sql, struct sl_buf *msg)
{
    struct sluice_options opts = {.db_path = db_path};
    struct sluice_output out = {0};
    struct sluice *s = NULL;
    struct sl_error err;
    sl_error_clear(&err);
    if (engine_open(&opts, &s, &err) != SL_OK) {
        buf_puts(msg, err.msg);
        return OPEN_FAILED;
    }
    char pragma[48];
    snprintf(pragma, sizeof pragma, "PRAGMA cache_size = %d", CACHE_PAGES);
    assert_int_equal(sqlite3_exec(s->db->conn, pragma, NULL, NULL, NULL), SQLITE_OK);
    enum stage stage = RAN;
    if (engine_exec(s, "faults.sql", sql, &out, msg) != SL_OK)
        stage = EXEC_FAILED;
    else if (engine_run(s, msg) != SL_OK)
        stage = RUN_FAILED;
    sluice_close(s);
    return stage;
}

struct outcome {
    char *table;
    char *bookkeeping;
};

static struct outcome outcome_of(const char *db_path, const struct scenario *sc)
{
    return (struct outcome){query_text(db_path, sc->check), query_text(db_path, bookkeeping)};
}

static void outcome_free(struct outcome *o)
{
    free(o->table);
    free(o->bookkeeping);
}

/* The uninterrupted run's outcome; *writes: the write calls it made. */
static struct outcome reference(const struct scenario *sc, const char *sql, long *writes)
{
    char db_path[128];
    path_in_dir(db_path, sizeof db_path, "f.db");
    remove_db(db_path);
    struct sl_buf msg;
    buf_init(&msg);
    fault_vfs_arm(0, FAULT_IOERR);
    assert_int_equal(run_script(db_path, sql, &msg), RAN);
    *writes = fault_vfs.writes;
    buf_free(&msg);
    struct outcome o = outcome_of(db_path, sc);
    assert_non_null(strchr(o.table, '\n'));
    return o;
}

static void assert_integrity(const char *db_path)
{
    char *ok = query_text(db_path, "PRAGMA integrity_check");
    assert_string_equal(ok, "ok\n");
    free(ok);
}

/* One faulty run at write n, then the run that continues; false once the
 * fault was never reached. */
static bool run_with_fault(const struct scenario *sc, const char *sql, long n,
                           enum fault_kind kind, const struct outcome *want)
{
    char db_path[128];
    path_in_dir(db_path, sizeof db_path, "f.db");
    remove_db(db_path);
    struct sl_buf msg;
    buf_init(&msg);
    fault_vfs_arm(n, kind);
    enum stage stage = run_script(db_path, sql, &msg);
    bool fired = fault_vfs.fired;
    fault_vfs_disarm();
    if (!fired) {
        assert_int_equal(stage, RAN);
        buf_free(&msg);
        return false;
    }
    /* SQLite absorbs a few failed writes (while a new database turns to
     * WAL); a failure it reports is reported, and a batch that did not
     * commit says so and what to do. */
    if (stage != RAN && msg.len == 0)
        fail_msg("%s: write %ld failed silently (stage %d)", sc->name, n, stage);
    if (stage == RUN_FAILED) {
        const char *text = buf_str(&msg);
        if (!strstr(text, "was not committed") ||
            (kind == FAULT_FULL ? !strstr(text, "the disk is full")
                                : !strstr(text, "is intact")))
            fail_msg("%s: write %ld: unexpected message: %s", sc->name, n, text);
    }
    assert_integrity(db_path);
    buf_clear(&msg);
    if (run_script(db_path, sql, &msg) != RAN)
        fail_msg("%s: after write %ld failed, the run again failed: %s", sc->name, n,
                 buf_str(&msg));
    buf_free(&msg);
    struct outcome got = outcome_of(db_path, sc);
    if (strcmp(got.table, want->table) != 0 || strcmp(got.bookkeeping, want->bookkeeping) != 0)
        fail_msg("%s: after write %ld failed (stage %d), the resumed run's tables differ",
                 sc->name, n, stage);
    outcome_free(&got);
    return true;
}

static void fault_every_write(const struct scenario *sc, enum fault_kind kind)
{
    char *sql = script_for(sc);
    fault_vfs_install();
    long writes;
    struct outcome want = reference(sc, sql, &writes);
    long n = 1, faults = 0;
    while (run_with_fault(sc, sql, n, kind, &want)) {
        faults++;
        n += n < EVERY_WRITE_UP_TO ? 1 : STRIDE;
    }
    /* Batches are cut by bytes, never by time, but the count still varies by
     * a few writes: _sluice_progress keeps each batch's durations, and a REAL
     * that happens to be whole is stored in fewer bytes, which moves where
     * pages split. The loop must have come to the run's end all the same. */
    assert_true(faults > 0 && n > writes - writes / 50);
    print_message("%s, %s: %ld faulty runs over %ld writes\n", sc->name,
                  kind == FAULT_FULL ? "disk full" : "I/O error", faults, writes);
    fault_vfs_uninstall();
    outcome_free(&want);
    free(sql);
}

/* A scenario under one kind of fault: the test's prestate. */
struct fault_case {
    const struct scenario *scenario;
    enum fault_kind kind;
};

static void every_write_fails(void **state)
{
    const struct fault_case *c = *state;
    fault_every_write(c->scenario, c->kind);
}

/* Another connection holding a lock from before the first batch (lock_sql:
 * the write lock, or a read transaction, which blocks a COMMIT in
 * rollback-journal mode), released by a thread after hold_ms;
 * stop_after_ms > 0: that thread first asks the run to stop. */
struct locker {
    const char *lock_sql;
    bool rollback_journal;
    int hold_ms, stop_after_ms;
    sqlite3 *conn;
    struct sluice *s;
};

static void sleep_ms(int ms)
{
    struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};
    nanosleep(&t, NULL);
}

static void *release_later(void *arg)
{
    struct locker *l = arg;
    if (l->stop_after_ms) {
        sleep_ms(l->stop_after_ms);
        sluice_stop(l->s);
    }
    sleep_ms(l->hold_ms - l->stop_after_ms);
    sqlite3_exec(l->conn, "COMMIT", NULL, NULL, NULL);
    return NULL;
}

static int busy_warnings;

static void count_busy(enum sl_log_level level, const char *msg, void *ctx)
{
    (void)ctx;
    if (level == SL_LOG_WARN && strstr(msg, "database is locked"))
        busy_warnings++;
}

/* Runs sql with the locker's lock held from before the first batch:
 * returns what engine_run returned, errors into msg. */
static sl_status run_locked(const char *db_path, const char *sql, struct locker *l,
                            struct sl_buf *msg)
{
    struct sluice_options opts = {.db_path = db_path};
    struct sluice_output out = {0};
    struct sl_error err;
    assert_int_equal(engine_open(&opts, &l->s, &err), SL_OK);
    l->s->log = (struct sl_log){count_busy, NULL, SL_LOG_WARN};
    if (l->rollback_journal)
        assert_int_equal(sqlite3_exec(l->s->db->conn, "PRAGMA journal_mode = DELETE", NULL,
                                      NULL, NULL), SQLITE_OK);
    assert_int_equal(engine_exec(l->s, "busy.sql", sql, &out, msg), SL_OK);
    /* Waiting 5 s per try would only make the test slow. */
    db_set_busy_timeout(l->s->db, 20);
    assert_int_equal(sqlite3_open(db_path, &l->conn), SQLITE_OK);
    assert_int_equal(sqlite3_exec(l->conn, l->lock_sql, NULL, NULL, NULL), SQLITE_OK);
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, release_later, l), 0);
    sl_status st = engine_run(l->s, msg);
    pthread_join(thread, NULL);
    sluice_close(l->s);
    sqlite3_close(l->conn);
    return st;
}

/* The GROUP BY scenario's tables in db_path equal want's (which is freed). */
static void assert_outcome(const char *db_path, struct outcome *want)
{
    struct outcome got = outcome_of(db_path, &group_by);
    assert_string_equal(got.table, want->table);
    assert_string_equal(got.bookkeeping, want->bookkeeping);
    outcome_free(&got);
    outcome_free(want);
}

/* The GROUP BY scenario's script and uninterrupted outcome, and a fresh database path for a locked run. */
static char *prepare_lock_run(char db_path[128], struct outcome *want)
{
    char *sql = script_for(&group_by);
    long writes;
    fault_vfs_install();
    *want = reference(&group_by, sql, &writes);
    fault_vfs_uninstall();
    path_in_dir(db_path, 128, "f.db");
    remove_db(db_path);
    return sql;
}

/* The run with l's lock held waits for it (one warning), fails nothing,
 * and ends with the uninterrupted run's tables. */
static void assert_lock_only_delays(struct locker *l)
{
    char db_path[128];
    struct outcome want;
    char *sql = prepare_lock_run(db_path, &want);
    struct sl_buf msg;
    buf_init(&msg);
    busy_warnings = 0;
    int64_t started = sl_monotonic_us();
    sl_status st = run_locked(db_path, sql, l, &msg);
    if (st != SL_OK)
        fail_msg("a held lock failed the query: %s", buf_str(&msg));
    /* Nothing could commit before the lock was released. */
    assert_true(sl_monotonic_us() - started >= l->hold_ms * SL_US_PER_MS);
    assert_int_equal(busy_warnings, 1);
    assert_outcome(db_path, &want);
    buf_free(&msg);
    free(sql);
}

/* BEGIN IMMEDIATE meets the lock: the batch stays open, later steps retry. */
static void busy_lock_waits(void **state)
{
    (void)state;
    struct locker l = {.lock_sql = "BEGIN IMMEDIATE", .hold_ms = 300};
    assert_lock_only_delays(&l);
}

/* In rollback-journal mode a reader's lock makes the COMMIT busy: it is
 * tried again with its transaction open (12 tries of 20 ms outlast 150 ms). */
static void busy_commit_retried(void **state)
{
    (void)state;
    struct locker l = {.lock_sql = "BEGIN; SELECT count(*) FROM _sluice_queries",
                       .rollback_journal = true,
                       .hold_ms = 150};
    assert_lock_only_delays(&l);
}

/* Stopped while the lock is still held: the batch cannot commit, the run
 * says so, and the next run continues from the last committed batch. */
static void busy_lock_at_stop(void **state)
{
    (void)state;
    char db_path[128];
    struct outcome want;
    char *sql = prepare_lock_run(db_path, &want);
    struct sl_buf msg;
    buf_init(&msg);
    struct locker l = {.lock_sql = "BEGIN IMMEDIATE", .hold_ms = 400, .stop_after_ms = 100};
    assert_int_equal(run_locked(db_path, sql, &l, &msg), SL_ERROR);
    if (!strstr(buf_str(&msg), "batch 1 was not committed (cannot begin a transaction: "
                               "database is locked); its start (no batch of it was committed)"
                               " is intact: run the query again to continue from there"))
        fail_msg("unexpected message: %s", buf_str(&msg));
    buf_clear(&msg);
    assert_int_equal(run_script(db_path, sql, &msg), RAN);
    assert_outcome(db_path, &want);
    buf_free(&msg);
    free(sql);
}

int main(void)
{
    struct fault_case cases[] = {{&group_by, FAULT_IOERR},
                                 {&group_by, FAULT_FULL},
                                 {&tumbling, FAULT_IOERR},
                                 {&tumbling, FAULT_FULL}};
    const struct CMUnitTest tests[] = {
        {"group_by_io_error", every_write_fails, NULL, NULL, &cases[0]},
        {"group_by_disk_full", every_write_fails, NULL, NULL, &cases[1]},
        {"tumbling_io_error", every_write_fails, NULL, NULL, &cases[2]},
        {"tumbling_disk_full", every_write_fails, NULL, NULL, &cases[3]},
        cmocka_unit_test(busy_lock_waits),
        cmocka_unit_test(busy_commit_retried),
        cmocka_unit_test(busy_lock_at_stop),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
