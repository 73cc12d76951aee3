/*
 * test_exec_names.c — sluice_names, what the shell completes and lists
 * (.tables, .schema, \d): keywords, functions and aggregates, a stream with
 * its statement and columns, a saved query, the database's tables with their
 * CREATE TABLE and columns, and no table of SQLite's own; and sluice_exec_at
 * numbering a statement's lines from where it starts in its input.
 */
#include "exec_db.h"

#include "engine/sluice.h"

static char db_path[128];

/* Every name told, one "kind name [detail]" a line. */
static char seen[1 << 16];
static size_t seen_len;

static void collect(void *ctx, enum sluice_name_kind kind, const char *name, const char *detail)
{
    (void)ctx;
    static const char *const kinds[] = {"keyword", "function", "stream", "query",
                                        "sink",    "table",    "column"};
    int n = snprintf(seen + seen_len, sizeof seen - seen_len, "%s %s [%s]\n", kinds[kind], name,
                     detail ? detail : "");
    assert_true(n > 0 && (size_t)n < sizeof seen - seen_len);
    seen_len += (size_t)n;
}

static struct sluice *open_engine(void)
{
    struct sluice_options opts = {.db_path = db_path};
    struct sluice *s;
    char *errors;
    assert_int_equal(sluice_open(&opts, &s, &errors), SLUICE_OK);
    sluice_free(errors);
    return s;
}

static void exec_ok(struct sluice *s, const char *sql)
{
    char *errors;
    sluice_status st = sluice_exec(s, "test", sql, NULL, &errors);
    if (errors)
        fprintf(stderr, "%s", errors);
    sluice_free(errors);
    assert_int_equal(st, SLUICE_OK);
}

static void test_names(void **state)
{
    (void)state;
    struct sluice *s = open_engine();
    char sql[512];
    snprintf(sql, sizeof sql,
             "CREATE STREAM bids (auction INT, price INT) FROM FILE '%s/bids.csv' FORMAT CSV;\n"
             "CREATE QUERY top_bids AS SELECT auction, MAX(price) AS top FROM bids GROUP BY "
             "auction;\n",
             dir);
    exec_ok(s, sql);
    seen_len = 0;
    char *errors;
    assert_int_equal(sluice_names(s, collect, NULL, &errors), SLUICE_OK);
    assert_null(errors);
    seen[seen_len] = '\0';
    assert_non_null(strstr(seen, "keyword SELECT []\n"));
    assert_non_null(strstr(seen, "function split_part []\n"));
    assert_non_null(strstr(seen, "function count []\n"));
    assert_non_null(strstr(seen, "stream bids [CREATE STREAM bids (auction INT, price INT)"));
    assert_non_null(strstr(seen, "column auction [bids]\ncolumn price [bids]\n"));
    assert_non_null(strstr(seen, "query top_bids [CREATE QUERY top_bids AS SELECT"));
    assert_non_null(strstr(seen, "table top_bids [CREATE TABLE"));
    assert_non_null(strstr(seen, "column auction [top_bids]\ncolumn top [top_bids]\n"));
    assert_non_null(strstr(seen, "table _sluice_progress ["));
    assert_null(strstr(seen, "table sqlite_"));
    sluice_close(s);
}

static void test_exec_at_numbers_lines_of_the_input(void **state)
{
    (void)state;
    struct sluice *s = open_engine();
    char *errors;
    assert_int_equal(sluice_exec_at(s, "in.sql", 7, "CREATE QUERY q AS SELECT x\n  FROM nowhere;\n",
                                    NULL, &errors),
                     SLUICE_ERROR);
    assert_non_null(errors);
    assert_non_null(strstr(errors, "in.sql:8:8: error: unknown stream \"nowhere\"\n    8 |   FROM nowhere;\n"));
    sluice_free(errors);
    sluice_close(s);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/sl_names_XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    path_in_dir(db_path, sizeof db_path, "n.db");
    char csv[128];
    path_in_dir(csv, sizeof csv, "bids.csv");
    FILE *f = fopen(csv, "w");
    if (!f)
        return -1;
    fputs("1,10\n2,20\n", f);
    fclose(f);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char csv[128];
    path_in_dir(csv, sizeof csv, "bids.csv");
    unlink(csv);
    remove_db(db_path);
    rmdir(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_exec_at_numbers_lines_of_the_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
