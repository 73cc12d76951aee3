/*
 * test_exec_embed.c — two engines embedded in one process, through sluice.h
 * alone, each with its own database, clock and log sink. Both clocks are SET
 * before either engine runs, and both run at once on two threads: each
 * query's now(), 'now' and batch start must show its own engine's clock,
 * each database hold its own queries, and each sink receive only its own
 * engine's log lines (a socket that refuses, then the query that gives up).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/sluice.h"

static char dir[64];

/* One engine of the test and what it is told to do. */
struct embedded {
    const char *name; /* "a" or "b": its database, stream and query names */
    const char *clock; /* the TIMESTAMP its clock is stopped at */
    char db_path[128];
    struct sluice *s;
    char log[4096]; /* its sink's lines, one a line */
    size_t log_len;
    sluice_status run_status;
    char *run_errors;
};

static void capture_log(void *ctx, enum sluice_log_level level, const char *msg)
{
    struct embedded *e = ctx;
    (void)level;
    int n = snprintf(e->log + e->log_len, sizeof e->log - e->log_len, "%s\n", msg);
    if (n > 0 && (size_t)n < sizeof e->log - e->log_len)
        e->log_len += (size_t)n;
}

/* A TCP port on which nothing listens: bound, then closed. */
static unsigned refused_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

static void open_engine(struct embedded *e)
{
    snprintf(e->db_path, sizeof e->db_path, "%s/%s.db", dir, e->name);
    struct sluice_options opts = {.db_path = e->db_path, .log = capture_log, .log_ctx = e,
                                  .log_level = SLUICE_LOG_INFO};
    char *errors;
    assert_int_equal(sluice_open(&opts, &e->s, &errors), SLUICE_OK);
    assert_null(errors);
}

/* The engine's statements: its clock, a query stamped with now(), and a
 * socket query that fails after two refused retries. */
static void exec_engine(struct embedded *e)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "CREATE STREAM ev_%s (id INTEGER) FROM FILE '%s/ids.csv' FORMAT CSV (header = true);\n"
             "SET clock = TIMESTAMP '%s';\n"
             "CREATE QUERY stamped_%s AS SELECT id, now() AS at, datetime('now') AS text_at\n"
             "  FROM ev_%s;\n"
             "CREATE STREAM lines_%s (line TEXT) FROM SOCKET '127.0.0.1:%u' FORMAT TEXT\n"
             "  WITH (reconnect_delay = '10 milliseconds', reconnect_max_delay = '20 "
             "milliseconds', reconnect_retries = 2);\n"
             "CREATE QUERY gone_%s AS SELECT line FROM lines_%s;\n",
             e->name, dir, e->clock, e->name, e->name, e->name, refused_port(), e->name,
             e->name);
    struct sluice_output out = {0};
    char *errors;
    sluice_status st = sluice_exec(e->s, "embed.sql", sql, &out, &errors);
    if (st != SLUICE_OK)
        fail_msg("engine %s: %s", e->name, errors ? errors : "failed without a message");
    assert_null(errors);
}

static void *run_engine(void *arg)
{
    struct embedded *e = arg;
    e->run_status = sluice_run(e->s, &e->run_errors);
    return NULL;
}

/* The rows of sql over db_path as "a|b\n" text, into out. */
static void query_text(const char *db_path, const char *sql, char *out, size_t cap)
{
    sqlite3 *conn;
    sqlite3_stmt *stmt;
    assert_int_equal(sqlite3_open(db_path, &conn), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(conn, sql, -1, &stmt, NULL), SQLITE_OK);
    size_t len = 0;
    out[0] = '\0';
    while (sqlite3_step(stmt) == SQLITE_ROW)
        for (int i = 0; i < sqlite3_column_count(stmt); i++) {
            const char *v = (const char *)sqlite3_column_text(stmt, i);
            bool last = i + 1 == sqlite3_column_count(stmt);
            len += (size_t)snprintf(out + len, cap - len, "%s%s", v ? v : "NULL", last ? "\n" : "|");
        }
    sqlite3_finalize(stmt);
    sqlite3_close(conn);
}

/* What engine e wrote and logged is its own, and nothing of other's. */
static void assert_own(const struct embedded *e, const struct embedded *other)
{
    char sql[160], got[512], want[512];
    snprintf(sql, sizeof sql, "SELECT DISTINCT at, text_at FROM stamped_%s", e->name);
    query_text(e->db_path, sql, got, sizeof got);
    snprintf(want, sizeof want, "%s.000000|%s\n", e->clock, e->clock);
    assert_string_equal(got, want);
    snprintf(sql, sizeof sql, "SELECT started FROM _sluice_progress WHERE query = 'stamped_%s'",
             e->name);
    query_text(e->db_path, sql, got, sizeof got);
    snprintf(want, sizeof want, "%s.000000\n", e->clock);
    assert_string_equal(got, want);
    query_text(e->db_path, "SELECT name FROM _sluice_queries ORDER BY name", got, sizeof got);
    snprintf(want, sizeof want, "gone_%s\nstamped_%s\n", e->name, e->name);
    assert_string_equal(got, want);

    char gone[32], other_gone[32];
    snprintf(gone, sizeof gone, "query gone_%s failed", e->name);
    snprintf(other_gone, sizeof other_gone, "gone_%s", other->name);
    assert_int_equal(e->run_status, SLUICE_ERROR);
    assert_non_null(e->run_errors);
    assert_non_null(strstr(e->run_errors, gone));
    if (!strstr(e->log, "connection refused; retrying in") || !strstr(e->log, gone))
        fail_msg("engine %s logged:\n%s", e->name, e->log);
    if (strstr(e->log, other_gone) || strstr(e->run_errors, other_gone))
        fail_msg("engine %s has engine %s's lines:\n%s", e->name, other->name, e->log);
}

static void test_two_engines_apart(void **state)
{
    (void)state;
    struct embedded a = {.name = "a", .clock = "2026-03-01 08:30:00"};
    struct embedded b = {.name = "b", .clock = "2031-07-04 12:00:00"};
    open_engine(&a);
    open_engine(&b);
    exec_engine(&a);
    exec_engine(&b);
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, run_engine, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, run_engine, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    sluice_close(a.s);
    sluice_close(b.s);
    assert_own(&a, &b);
    assert_own(&b, &a);
    sluice_free(a.run_errors);
    sluice_free(b.run_errors);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/sl_embed_XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char path[128];
    snprintf(path, sizeof path, "%s/ids.csv", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("id\n1\n2\n3\n", f);
    fclose(f);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    static const char *const files[] = {"ids.csv", "a.db", "a.db-wal", "a.db-shm",
                                        "b.db",    "b.db-wal", "b.db-shm"};
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
        cmocka_unit_test(test_two_engines_apart),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
