/*
 * test_exec_sqlite_rewrite.c — a SELECT handed to SQLite, in SQLite's terms
 * (engine/exec/sqlite_rewrite.c): text without Sluice's literals passes as
 * written; TIMESTAMP/INTERVAL literals, timestamp arithmetic and CAST AS
 * TIMESTAMP/BOOLEAN are rendered for SQLite, unaliased items keep their
 * source text as their name; what Sluice's grammar does not cover passes
 * with a hint; rendered offsets map back to the script.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/diag.h"
#include "engine/exec/sqlite_bridge.h"

struct rewritten {
    struct sqlite_rewrite rw;
    struct sl_diags diags;
    sl_status st;
};

static void rewrite(const char *sql, struct rewritten *r)
{
    diags_init(&r->diags, "t.sql", sql, strlen(sql));
    r->st = sqlite_rewrite_select(NULL, NULL, sql, 0, (uint32_t)strlen(sql), &r->diags, &r->rw);
}

static void done(struct rewritten *r)
{
    sqlite_rewrite_free(&r->rw);
    diags_free(&r->diags);
}

static void expect(const char *sql, const char *sqlite_text, bool rewritten)
{
    struct rewritten r;
    rewrite(sql, &r);
    assert_int_equal(r.st, SL_OK);
    assert_string_equal(buf_str(&r.rw.text), sqlite_text);
    assert_int_equal(r.rw.rewritten, rewritten);
    done(&r);
}

static void test_plain_text_passes_as_written(void **state)
{
    (void)state;
    expect("SELECT a+1, split_part(b, ' ', 2) FROM t ORDER BY 1",
           "SELECT a+1, split_part(b, ' ', 2) FROM t ORDER BY 1", false);
    expect("SELECT 1 + 1", "SELECT 1 + 1", false);
}

static void test_literals_and_timestamp_arithmetic(void **state)
{
    (void)state;
    expect("SELECT TIMESTAMP '2026-01-01' + INTERVAL '5' SECOND AS later",
           "SELECT _sluice_ts_arith('+', 1, 0, '2026-01-01 00:00:00.000000', 5000000) AS "
           "\"later\"",
           true);
    expect("SELECT INTERVAL '1 minute' * 2, x FROM t WHERE x > TIMESTAMP '2026-01-01T10:00Z'",
           "SELECT (60000000 * 2) AS \"INTERVAL '1 minute' * 2\", \"x\" FROM \"t\" WHERE "
           "(\"x\" > '2026-01-01 10:00:00.000000')",
           true);
    expect("SELECT to_timestamp(s) - TIMESTAMP '2026-01-01' AS d, CAST(b AS BOOLEAN) AS f, "
           "CAST(s AS TIMESTAMP) AS c FROM t",
           "SELECT _sluice_ts_arith('-', 1, 1, \"to_timestamp\"(\"s\"), "
           "'2026-01-01 00:00:00.000000') AS \"d\", CAST(\"b\" AS INTEGER) AS \"f\", "
           "_sluice_ts_cast(\"s\") AS \"c\" FROM \"t\"",
           true);
    /* A derived table's column keeps its type outside. */
    expect("SELECT t + 1 AS n FROM (SELECT TIMESTAMP '2026-01-01' AS t FROM x) AS d",
           "SELECT _sluice_ts_arith('+', 1, 0, \"t\", 1) AS \"n\" FROM (SELECT "
           "'2026-01-01 00:00:00.000000' AS \"t\" FROM \"x\") AS \"d\"",
           true);
}

static void test_invalid_literal_is_an_error(void **state)
{
    (void)state;
    struct rewritten r;
    rewrite("SELECT INTERVAL 'soon' AS x", &r);
    assert_int_equal(r.st, SL_ERROR);
    assert_int_equal(r.diags.count, 1);
    done(&r);
}

static void test_uncovered_sql_gets_a_hint(void **state)
{
    (void)state;
    struct rewritten r;
    rewrite("SELECT a.x FROM t AS a JOIN t AS b ON a.x = b.x WHERE a.x > TIMESTAMP '2026-01-01'",
            &r);
    assert_int_equal(r.st, SL_OK);
    assert_false(r.rw.rewritten);
    assert_non_null(r.rw.literal_hint);
    done(&r);
    rewrite("SELECT a.x FROM t AS a JOIN t AS b ON a.x = b.x", &r);
    assert_null(r.rw.literal_hint);
    done(&r);
}

static void test_offsets_map_back(void **state)
{
    (void)state;
    const char *sql = "SELECT INTERVAL '1' SECOND AS s,\n  nope AS n";
    struct rewritten r;
    rewrite(sql, &r);
    assert_int_equal(r.st, SL_OK);
    const char *at = strstr(buf_str(&r.rw.text), "\"nope\"");
    assert_non_null(at);
    uint32_t src = sqlite_rewrite_source(&r.rw, (uint32_t)(at - buf_str(&r.rw.text)));
    assert_int_equal(src, (uint32_t)(strstr(sql, "nope") - sql));
    done(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text_passes_as_written),
        cmocka_unit_test(test_literals_and_timestamp_arithmetic),
        cmocka_unit_test(test_invalid_literal_is_an_error),
        cmocka_unit_test(test_uncovered_sql_gets_a_hint),
        cmocka_unit_test(test_offsets_map_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
