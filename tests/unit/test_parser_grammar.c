/*
 * test_parser_grammar.c — parse_sql on every statement form, operator
 * precedence (through ast_expr_render), statement text and positions, syntax
 * errors with their positions and hints, recovery, parse_is_complete, and
 * robustness (every prefix, random bytes, token soup, allocation failures).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/alloc.h"
#include "common/buf.h"
#include "parser/parser.h"

struct parsed {
    struct sl_diags diags;
    struct sl_parse_result r;
    sl_status rc;
};

static void parse(struct parsed *p, const char *sql)
{
    diags_init(&p->diags, "q.sql", sql, strlen(sql));
    p->rc = parse_sql(sql, strlen(sql), &p->diags, &p->r);
}

static void release(struct parsed *p)
{
    parse_free(&p->r);
    diags_free(&p->diags);
}

/* Parses sql expecting no error and exactly n statements. */
static void parse_ok(struct parsed *p, const char *sql, uint32_t n)
{
    parse(p, sql);
    if (p->diags.count) {
        struct sl_buf b;
        buf_init(&b);
        diags_render(&p->diags, &b);
        fprintf(stderr, "%s", buf_str(&b));
        buf_free(&b);
    }
    assert_int_equal(p->rc, SL_OK);
    assert_int_equal(p->diags.count, 0);
    assert_int_equal(p->r.count, n);
}

static void assert_render(const struct ast_expr *e, const char *want)
{
    struct sl_buf b;
    buf_init(&b);
    ast_expr_render(e, &b);
    if (strcmp(buf_str(&b), want) != 0)
        fprintf(stderr, "rendered %s, want %s\n", buf_str(&b), want);
    assert_string_equal(buf_str(&b), want);
    buf_free(&b);
}

/* ---- statement forms ------------------------------------------------------ */

static void test_create_stream_socket(void **state)
{
    (void)state;
    struct parsed p;
    parse_ok(&p, "CREATE STREAM lines (line TEXT) FROM SOCKET 'localhost:9999' FORMAT TEXT;", 1);
    const struct ast_stmt *s = p.r.stmts[0];
    assert_int_equal(s->kind, AST_CREATE_STREAM);
    const struct ast_create_stream *cs = &s->u.create_stream;
    assert_string_equal(cs->name.text, "lines");
    assert_int_equal(cs->name.pos.col, 15);
    assert_int_equal(cs->name.span, 5);
    assert_int_equal(cs->ncols, 1);
    assert_string_equal(cs->cols[0].name.text, "line");
    assert_string_equal(cs->cols[0].type_name.text, "TEXT");
    assert_string_equal(cs->connector.text, "SOCKET");
    assert_string_equal(cs->address.text, "localhost:9999");
    assert_string_equal(cs->format.text, "TEXT");
    assert_int_equal(cs->nformat_options, 0);
    assert_string_equal(s->text,
                        "CREATE STREAM lines (line TEXT) FROM SOCKET 'localhost:9999' FORMAT TEXT");
    release(&p);
}

static void test_create_stream_file_with_options(void **state)
{
    (void)state;
    struct parsed p;
    parse_ok(&p,
             "CREATE STREAM bids (auction BIGINT, price BIGINT, \"my \"\"col\"\"\" TEXT)\n"
             "  FROM FILE 'data/bi''ds.csv' FORMAT CSV (header = true, delimiter = ';',\n"
             "  skip = -2, ratio = 1.5, mode = strict, quote = NULL)",
             1);
    const struct ast_create_stream *cs = &p.r.stmts[0]->u.create_stream;
    assert_int_equal(cs->ncols, 3);
    assert_string_equal(cs->cols[1].name.text, "price");
    assert_string_equal(cs->cols[1].type_name.text, "BIGINT");
    assert_string_equal(cs->cols[2].name.text, "my \"col\"");
    assert_string_equal(cs->connector.text, "FILE");
    assert_string_equal(cs->address.text, "data/bi'ds.csv");
    assert_int_equal(cs->address.pos.line, 2);
    assert_int_equal(cs->address.pos.col, 13);
    assert_string_equal(cs->format.text, "CSV");
    assert_int_equal(cs->nformat_options, 6);
    assert_string_equal(cs->format_options[0].key.text, "header");
    assert_int_equal(cs->format_options[0].value->kind, AST_BOOL);
    assert_int_equal(cs->format_options[0].value->ival, 1);
    assert_int_equal(cs->format_options[1].value->kind, AST_STRING);
    assert_string_equal(cs->format_options[1].value->str, ";");
    assert_int_equal(cs->format_options[2].value->kind, AST_INT);
    assert_int_equal(cs->format_options[2].value->ival, -2);
    assert_int_equal(cs->format_options[3].value->kind, AST_REAL);
    assert_true(cs->format_options[3].value->rval == 1.5);
    assert_int_equal(cs->format_options[4].value->kind, AST_COLUMN);
    assert_string_equal(cs->format_options[4].value->name.text, "strict");
    assert_int_equal(cs->format_options[5].value->kind, AST_NULL);
    release(&p);
}

static void test_create_stream_stdin_lowercase(void **state)
{
    (void)state;
    struct parsed p;
    parse_ok(&p, "create stream s (a integer, b text) from stdin format text", 1);
    const struct ast_create_stream *cs = &p.r.stmts[0]->u.create_stream;
    assert_string_equal(cs->connector.text, "stdin");
    assert_null(cs->address.text);
    assert_string_equal(cs->format.text, "text");
    assert_string_equal(cs->cols[1].type_name.text, "text");
    release(&p);
}

static void test_keywords_as_names(void **state)
{
    (void)state;
    struct parsed p;
    parse_ok(&p,
             "CREATE STREAM stream (text TEXT, file TEXT, format TEXT, query INT, \"trigger\" INT,\n"
             "  every INT, seconds INT, socket INT, stdin INT, unnest INT) FROM STDIN FORMAT CSV;\n"
             "SELECT text, file, format, stream.every, seconds AS second FROM stream;\n"
             "CREATE QUERY query AS SELECT every FROM stream TRIGGER EVERY 1 SECOND;",
             3);
    assert_string_equal(p.r.stmts[0]->u.create_stream.name.text, "stream");
    assert_int_equal(p.r.stmts[0]->u.create_stream.ncols, 10);
    const struct ast_select *sel = p.r.stmts[1]->u.select;
    assert_int_equal(sel->nitems, 5);
    assert_render(sel->items[3].expr, "stream.every");
    assert_string_equal(sel->items[4].alias.text, "second");
    const struct ast_create_query *cq = &p.r.stmts[2]->u.create_query;
    assert_string_equal(cq->name.text, "query");
    assert_null(cq->select->from_alias.text);
    assert_int_equal(cq->trigger_us, 1000000);
    release(&p);
}

static void test_create_query_word_count(void **state)
{
    (void)state;
    struct parsed p;
    parse_ok(&p,
             "CREATE QUERY word_counts AS                      -- results live in table word_counts\n"
             "  SELECT word, COUNT(*) AS n\n"
             "  FROM lines, UNNEST(split(line, ' ')) AS word\n"
             "  WHERE word <> ''\n"
             "  GROUP BY word\n"
             "  TRIGGER EVERY 500 MILLISECONDS;",
             1);
    const struct ast_stmt *s = p.r.stmts[0];
    assert_int_equal(s->kind, AST_CREATE_QUERY);
    const struct ast_create_query *cq = &s->u.create_query;
    assert_string_equal(cq->name.text, "word_counts");
    assert_int_equal(cq->trigger_us, 500000);
    assert_int_equal(cq->trigger_pos.line, 6);
    assert_int_equal(cq->trigger_pos.col, 3);
    const struct ast_select *sel = cq->select;
    assert_int_equal(sel->pos.line, 2);
    assert_int_equal(sel->pos.col, 3);
    assert_int_equal(sel->nitems, 2);
    assert_render(sel->items[0].expr, "word");
    assert_null(sel->items[0].alias.text);
    assert_render(sel->items[1].expr, "COUNT(*)");
    assert_true(sel->items[1].expr->star_arg);
    assert_null(sel->items[1].expr->args);
    assert_string_equal(sel->items[1].alias.text, "n");
    assert_string_equal(sel->from.text, "lines");
    assert_null(sel->from_alias.text);
    assert_render(sel->unnest, "split(line, ' ')");
    assert_string_equal(sel->unnest_alias.text, "word");
    assert_render(sel->where, "(word <> '')");
    assert_int_equal(sel->group_by->count, 1);
    assert_render(sel->group_by->items[0], "word");
    assert_true(strncmp(s->text, "CREATE QUERY word_counts AS", 27) == 0);
    assert_true(strstr(s->text, "MILLISECONDS") != NULL);
    assert_int_equal(s->text[strlen(s->text) - 1], 'S');
    release(&p);
}

static void test_trigger_units(void **state)
{
    (void)state;
    struct parsed p;
    parse_ok(&p,
             "CREATE QUERY a AS SELECT x FROM s TRIGGER EVERY 2 SECONDS;\n"
             "CREATE QUERY b AS SELECT x FROM s TRIGGER EVERY 1 millisecond;\n"
             "CREATE QUERY c AS SELECT x FROM s",
             3);
    assert_int_equal(p.r.stmts[0]->u.create_query.trigger_us, 2000000);
    assert_int_equal(p.r.stmts[1]->u.create_query.trigger_us, 1000);
    assert_int_equal(p.r.stmts[2]->u.create_query.trigger_us, 0);
    release(&p);
}

static void test_order_limit_set(void **state)
{
    (void)state;
    struct parsed p;
    parse_ok(&p,
             "SELECT a, b FROM s ORDER BY b DESC, 1 ASC, a LIMIT 3;\n"
             "SET trigger = '500 milliseconds';\n"
             "SET other = INTERVAL '2' MINUTES;\n"
             "CREATE QUERY q AS SELECT x FROM s TRIGGER EVERY 3 MINUTES",
             4);
    const struct ast_select *sel = p.r.stmts[0]->u.select;
    assert_int_equal(sel->norder, 3);
    assert_true(sel->order_by[0].desc);
    assert_false(sel->order_by[1].desc);
    assert_false(sel->order_by[2].desc);
    assert_render(sel->order_by[1].expr, "1");
    assert_render(sel->limit, "3");
    assert_string_equal(sel->order_kw.text, "ORDER");
    assert_int_equal(p.r.stmts[1]->kind, AST_SET);
    assert_string_equal(p.r.stmts[1]->u.set.name.text, "trigger");
    assert_render(p.r.stmts[1]->u.set.value, "'500 milliseconds'");
    assert_render(p.r.stmts[2]->u.set.value, "INTERVAL '2' MINUTE");
    assert_int_equal(p.r.stmts[3]->u.create_query.trigger_us, INT64_C(180000000));
    release(&p);
}

static void test_drop(void **state)
{
    (void)state;
    struct parsed p;
    parse_ok(&p, "DROP QUERY word_counts; drop stream \"Lines\";", 2);
    assert_int_equal(p.r.stmts[0]->kind, AST_DROP_QUERY);
    assert_string_equal(p.r.stmts[0]->u.named.name.text, "word_counts");
    assert_int_equal(p.r.stmts[1]->kind, AST_DROP_STREAM);
    assert_string_equal(p.r.stmts[1]->u.named.name.text, "Lines");
    assert_int_equal(p.r.stmts[1]->u.named.name.pos.col, 37);
    assert_int_equal(p.r.stmts[1]->u.named.name.span, 7);
    release(&p);
}

static void test_statement_forms(void **state)
{
    (void)state;
    struct parsed p;
    parse_ok(&p,
             "DROP STREAM IF EXISTS s; SHOW streams; DESCRIBE q; EXPLAIN q;\n"
             "EXPLAIN SELECT x FROM s CROSS JOIN UNNEST(split(x, ' ')) AS w;\n"
             "CREATE OR REPLACE QUERY q AS SELECT x, count(*) FROM s GROUP BY 1 HAVING count(*) > 1;\n"
             "CREATE QUERY IF NOT EXISTS q AS SELECT replace(x, 'a', 'b') AS show FROM s;\n"
             "CREATE STREAM IF NOT EXISTS s (x TEXT) FROM STDIN FORMAT TEXT",
             8);
    assert_true(p.r.stmts[0]->u.named.if_exists);
    assert_int_equal(p.r.stmts[1]->kind, AST_SHOW);
    assert_string_equal(p.r.stmts[1]->u.named.name.text, "streams");
    assert_int_equal(p.r.stmts[2]->kind, AST_DESCRIBE);
    assert_int_equal(p.r.stmts[3]->kind, AST_EXPLAIN);
    assert_null(p.r.stmts[3]->u.explain.select);
    assert_string_equal(p.r.stmts[3]->u.explain.query.text, "q");
    assert_non_null(p.r.stmts[4]->u.explain.select->unnest);
    const struct ast_create_query *cq = &p.r.stmts[5]->u.create_query;
    assert_true(cq->or_replace && !cq->if_not_exists);
    assert_int_equal(cq->select->group_by->items[0]->kind, AST_INT);
    assert_non_null(cq->select->having);
    assert_true(p.r.stmts[6]->u.create_query.if_not_exists);
    assert_true(p.r.stmts[7]->u.create_stream.if_not_exists);
    release(&p);
}

static void test_select_forms(void **state)
{
    (void)state;
    struct parsed p;
    parse_ok(&p,
             "SELECT * FROM s;\n"
             "SELECT l.*, l.a x, b AS y FROM lines AS l;\n"
             "SELECT a FROM lines l, UNNEST(f(a)) w WHERE a > 1 AND b GROUP BY a, b % 2",
             3);
    const struct ast_select *s0 = p.r.stmts[0]->u.select;
    assert_int_equal(p.r.stmts[0]->kind, AST_SELECT);
    assert_int_equal(s0->items[0].expr->kind, AST_STAR);
    assert_null(s0->items[0].expr->qualifier.text);
    assert_null(s0->where);
    assert_null(s0->group_by);
    assert_null(s0->unnest);

    const struct ast_select *s1 = p.r.stmts[1]->u.select;
    assert_int_equal(s1->nitems, 3);
    assert_int_equal(s1->items[0].expr->kind, AST_STAR);
    assert_string_equal(s1->items[0].expr->qualifier.text, "l");
    assert_render(s1->items[0].expr, "l.*");
    assert_render(s1->items[1].expr, "l.a");
    assert_string_equal(s1->items[1].alias.text, "x");
    assert_string_equal(s1->items[2].alias.text, "y");
    assert_string_equal(s1->from_alias.text, "l");

    const struct ast_select *s2 = p.r.stmts[2]->u.select;
    assert_string_equal(s2->from_alias.text, "l");
    assert_string_equal(s2->unnest_alias.text, "w");
    assert_render(s2->where, "((a > 1) AND b)");
    assert_int_equal(s2->group_by->count, 2);
    assert_render(s2->group_by->items[1], "(b % 2)");
    release(&p);
}

/* FROM (SELECT ...) [AS] t: a derived table, nested or not, alias optional. */
static void test_derived_tables(void **state)
{
    (void)state;
    struct parsed p;
    parse_ok(&p,
             "SELECT t.a, b FROM (SELECT a, b + 1 AS b FROM s WHERE a > 0) AS t WHERE b < 3;\n"
             "SELECT * FROM (SELECT * FROM (SELECT x FROM s) u), UNNEST(f(x)) w",
             2);
    const struct ast_select *s0 = p.r.stmts[0]->u.select;
    assert_null(s0->from.text);
    assert_string_equal(s0->from_alias.text, "t");
    assert_non_null(s0->from_select);
    assert_string_equal(s0->from_select->from.text, "s");
    assert_render(s0->from_select->where, "(a > 0)");
    assert_render(s0->where, "(b < 3)");

    const struct ast_select *s1 = p.r.stmts[1]->u.select;
    assert_null(s1->from_alias.text);
    assert_string_equal(s1->unnest_alias.text, "w");
    assert_string_equal(s1->from_select->from_alias.text, "u");
    assert_string_equal(s1->from_select->from_select->from.text, "s");
    release(&p);
}

/* The outline names what a SELECT reads: the stream or table under its derived tables. */
static void test_outline_from(void **state)
{
    (void)state;
    const char *sql = "SELECT a FROM t;\n"
                      "SELECT * FROM (SELECT (SELECT 1 FROM x) FROM (SELECT a FROM inner_t) v) w;\n"
                      "SELECT (SELECT 1 FROM x) FROM y";
    struct sl_stmt_outline *o;
    uint32_t n;
    assert_int_equal(parse_outline(sql, strlen(sql), &o, &n), SL_OK);
    assert_int_equal(n, 3);
    assert_string_equal(o[0].from, "t");
    assert_string_equal(o[1].from, "inner_t");
    assert_string_equal(o[2].from, "y");
    sl_free(o);
}

/* WITH names the first FROM that is not one of its own names (a stream it would read, or a
 * table for SQLite); "" when it reads only its own names or nothing. */
static void test_outline_with(void **state)
{
    (void)state;
    const char *sql = "WITH big AS (SELECT * FROM bids WHERE p > 1) SELECT * FROM big;\n"
                      "WITH a AS (SELECT 1), b AS (SELECT * FROM a) SELECT * FROM b, \"T 2\";\n"
                      "WITH RECURSIVE c(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM c) "
                      "SELECT x FROM c;\n"
                      "VALUES (1)";
    struct sl_stmt_outline *o;
    uint32_t n;
    assert_int_equal(parse_outline(sql, strlen(sql), &o, &n), SL_OK);
    assert_int_equal(n, 4);
    assert_true(o[0].is_select);
    assert_string_equal(o[0].from, "bids");
    assert_string_equal(o[1].from, "");
    assert_string_equal(o[2].from, "");
    assert_string_equal(o[3].from, "");
    sl_free(o);
}

/* ---- expressions ---------------------------------------------------------- */

static void check_expr(const char *expr, const char *want)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT %s FROM s", expr);
    struct parsed p;
    parse_ok(&p, sql, 1);
    assert_render(p.r.stmts[0]->u.select->items[0].expr, want);
    release(&p);
}

static void test_precedence(void **state)
{
    (void)state;
    check_expr("(a + 1) * b", "((a + 1) * b)");
    check_expr("a + 1 * b", "(a + (1 * b))");
    check_expr("a - b - c", "((a - b) - c)");
    check_expr("a % b / c", "((a % b) / c)");
    check_expr("a OR b AND c", "(a OR (b AND c))");
    check_expr("a AND NOT b OR c", "((a AND (NOT b)) OR c)");
    check_expr("NOT a = b", "(NOT (a = b))");
    check_expr("NOT NOT a", "(NOT (NOT a))");
    check_expr("a = b < c", "(a = (b < c))");
    check_expr("a == b <> c != d", "(((a = b) <> c) <> d)");
    check_expr("a < b + c", "(a < (b + c))");
    check_expr("a <= b AND c >= d OR e > f", "(((a <= b) AND (c >= d)) OR (e > f))");
    check_expr("a || b * c", "((a || b) * c)");
    check_expr("a + b || c", "(a + (b || c))");
    check_expr("-a * b", "((-a) * b)");
    check_expr("- a || b", "((-a) || b)");
    check_expr("+a - -b", "((+a) - (-b))");
    check_expr("((a))", "a");
}

/* & | << >> share one level (left to right) between + - and the comparisons;
 * ~ binds as tightly as unary minus; -9223372036854775808 is one INTEGER. */
static void test_bitwise_precedence(void **state)
{
    (void)state;
    check_expr("a & b | c << d >> e", "((((a & b) | c) << d) >> e)");
    check_expr("a + b & c - d", "((a + b) & (c - d))");
    check_expr("a < b & c", "(a < (b & c))");
    check_expr("a & b = c", "((a & b) = c)");
    check_expr("a * b << c || d", "((a * b) << (c || d))");
    check_expr("~a + ~-b", "((~a) + (~(-b)))");
    check_expr("- ~a", "(-(~a))");
    check_expr("NOT a | b", "(NOT (a | b))");
    check_expr("a LIKE b & c ESCAPE d | e", "(a LIKE (b & c) ESCAPE (d | e))");
    check_expr("d -> 'a' ->> 0 || 'x'", "(((d -> 'a') ->> 0) || 'x')");
    check_expr("-9223372036854775808", "-9223372036854775808");
    check_expr("- 9223372036854775808", "-9223372036854775808");
    check_expr("-(009223372036854775808)", "-9223372036854775808");
    check_expr("9223372036854775808", "9.22337203685478e+18");
    check_expr("-9223372036854775809", "(-9.22337203685478e+18)");
    check_expr("- -9223372036854775808", "(--9223372036854775808)");
    check_expr("-+9223372036854775808", "(-(+9.22337203685478e+18))");
}

/* ->> sits with || (left to right), above * and below unary minus, as in SQLite 3.40. */
static void test_arrow_and_time_literals(void **state)
{
    (void)state;
    check_expr("d ->> 'a' || 'b'", "((d ->> 'a') || 'b')");
    check_expr("'b' || d ->> 'a'", "(('b' || d) ->> 'a')");
    check_expr("1 + d ->> 'a' * 2", "(1 + ((d ->> 'a') * 2))");
    check_expr("-d ->> 0", "((-d) ->> 0)");
    check_expr("d->>'a'->>1", "((d ->> 'a') ->> 1)");
    check_expr("ts + INTERVAL '5' SECONDS", "(ts + INTERVAL '5' SECOND)");
    check_expr("ts - INTERVAL '1 minute'", "(ts - INTERVAL '1 minute')");
    check_expr("INTERVAL '2' days", "INTERVAL '2' DAY");
    check_expr("TIMESTAMP '2026-01-01' - timestamp", "(TIMESTAMP '2026-01-01' - timestamp)");
    check_expr("timestamp + day", "(timestamp + day)");
    check_expr("s.timestamp", "s.timestamp");
}

/* SQLite's levels: IS, IN, LIKE, GLOB, BETWEEN, ISNULL sit with = (below <). */
static void test_predicate_precedence(void **state)
{
    (void)state;
    check_expr("a IS NULL", "(a IS NULL)");
    check_expr("a ISNULL", "(a IS NULL)");
    check_expr("a NOTNULL", "(a IS NOT NULL)");
    check_expr("a NOT NULL", "(a IS NOT NULL)");
    check_expr("a IS NOT NULL AND b", "((a IS NOT NULL) AND b)");
    check_expr("NOT a IS NULL", "(NOT (a IS NULL))");
    check_expr("a = b IS c", "((a = b) IS c)");
    check_expr("a < b IS c", "((a < b) IS c)");
    check_expr("a IS b < c", "(a IS (b < c))");
    check_expr("a IS NOT b + 1", "(a IS NOT (b + 1))");
    check_expr("a IS DISTINCT FROM b", "(a IS NOT b)");
    check_expr("a IS NOT DISTINCT FROM b", "(a IS b)");
    check_expr("a IN (1, b + 2)", "(a IN (1, (b + 2)))");
    check_expr("a NOT IN ()", "(a NOT IN ())");
    check_expr("a + 1 IN (2) = c", "(((a + 1) IN (2)) = c)");
    check_expr("a < 1 IN (b)", "((a < 1) IN (b))");
    check_expr("a BETWEEN 1 AND 2 AND b", "((a BETWEEN 1 AND 2) AND b)");
    check_expr("a NOT BETWEEN b + 1 AND c * 2", "(a NOT BETWEEN (b + 1) AND (c * 2))");
    check_expr("a BETWEEN 1 AND 2 = b", "((a BETWEEN 1 AND 2) = b)");
    check_expr("a < b BETWEEN c AND d", "((a < b) BETWEEN c AND d)");
    check_expr("a LIKE 'x%' OR b", "((a LIKE 'x%') OR b)");
    check_expr("a NOT LIKE b || 'c'", "(a NOT LIKE (b || 'c'))");
    check_expr("a LIKE 'x!%' ESCAPE '!'", "(a LIKE 'x!%' ESCAPE '!')");
    check_expr("a GLOB '*' = 1", "((a GLOB '*') = 1)");
    check_expr("a NOT GLOB b < c", "(a NOT GLOB (b < c))");
    check_expr("NOT a LIKE b", "(NOT (a LIKE b))");
    check_expr("CASE WHEN a THEN 1 ELSE 2 END + 1", "(CASE WHEN a THEN 1 ELSE 2 END + 1)");
    check_expr("CASE a + 1 WHEN 1 THEN 'x' WHEN 2 THEN 'y' END",
               "CASE (a + 1) WHEN 1 THEN 'x' WHEN 2 THEN 'y' END");
    check_expr("CASE WHEN a IS NULL OR b THEN c END", "CASE WHEN ((a IS NULL) OR b) THEN c END");
    check_expr("CAST(a + 1 AS REAL) * 2", "(CAST((a + 1) AS REAL) * 2)");
    check_expr("cast(a as text) || 'x'", "(CAST(a AS text) || 'x')");
}

static void test_literals_and_calls(void **state)
{
    (void)state;
    check_expr("1.5", "1.5");
    check_expr(".5", "0.5");
    check_expr("1e3", "1000.0");
    check_expr("9223372036854775807", "9223372036854775807");
    check_expr("9223372036854775808", "9.22337203685478e+18");
    check_expr("'it''s'", "'it''s'");
    check_expr("NULL", "NULL");
    check_expr("true OR FALSE", "(TRUE OR FALSE)");
    check_expr("count(*)", "count(*)");
    check_expr("COUNT(DISTINCT x)", "COUNT(DISTINCT x)");
    check_expr("now()", "now()");
    check_expr("split(line, ' ')", "split(line, ' ')");
    check_expr("lower(t.a) || upper(\"b\")", "(lower(t.a) || upper(b))");
    check_expr("sum(length(a) * 2)", "sum((length(a) * 2))");

    struct parsed p;
    parse_ok(&p, "SELECT f() FROM s", 1);
    const struct ast_expr *e = p.r.stmts[0]->u.select->items[0].expr;
    assert_int_equal(e->kind, AST_CALL);
    assert_null(e->args);
    assert_false(e->star_arg);
    release(&p);

    parse_ok(&p, "SELECT 'a''b' FROM s", 1);
    e = p.r.stmts[0]->u.select->items[0].expr;
    assert_int_equal(e->kind, AST_STRING);
    assert_int_equal(e->str_len, 3);
    assert_string_equal(e->str, "a'b");
    release(&p);
}

static void test_expression_positions(void **state)
{
    (void)state;
    struct parsed p;
    parse_ok(&p, "SELECT a + foo(b), 'h\xc3\xa9', \xc3\xbc, t.c FROM s", 1);
    const struct ast_select *sel = p.r.stmts[0]->u.select;
    const struct ast_expr *plus = sel->items[0].expr;
    assert_int_equal(plus->pos.col, 10);
    assert_int_equal(plus->span, 1);
    assert_int_equal(plus->left->pos.col, 8);
    assert_int_equal(plus->left->name.span, 1);
    assert_int_equal(plus->right->pos.col, 12);
    assert_int_equal(plus->right->span, 3);
    assert_int_equal(plus->right->name.pos.col, 12);
    assert_int_equal(sel->items[1].expr->span, 4);
    const struct ast_expr *u = sel->items[2].expr;
    assert_int_equal(u->pos.col, 26);
    assert_int_equal(u->pos.offset, 26);
    const struct ast_expr *tc = sel->items[3].expr;
    assert_int_equal(tc->pos.col, 31); /* the column, not the qualifier */
    assert_int_equal(tc->qualifier.pos.col, 29);
    release(&p);
}

/* ---- statement text, several statements ------------------------------------ */

static void test_statement_text_and_pos(void **state)
{
    (void)state;
    struct parsed p;
    parse_ok(&p,
             "  SELECT a\n FROM s  ;\n"
             "DROP QUERY q -- gone\n;;\n"
             "/* c */ SELECT b FROM t /* end */",
             3);
    assert_string_equal(p.r.stmts[0]->text, "SELECT a\n FROM s");
    assert_int_equal(p.r.stmts[0]->pos.line, 1);
    assert_int_equal(p.r.stmts[0]->pos.col, 3);
    assert_int_equal(p.r.stmts[0]->pos.offset, 2);
    assert_string_equal(p.r.stmts[1]->text, "DROP QUERY q");
    assert_int_equal(p.r.stmts[1]->pos.line, 3);
    assert_string_equal(p.r.stmts[2]->text, "SELECT b FROM t");
    assert_int_equal(p.r.stmts[2]->pos.line, 5);
    assert_int_equal(p.r.stmts[2]->pos.col, 9);
    release(&p);

    parse_ok(&p, "", 0);
    release(&p);
    parse_ok(&p, " ;; -- nothing\n", 0);
    release(&p);
}

/* ---- errors ------------------------------------------------------------------ */

static void assert_diag(const struct parsed *p, uint32_t i, uint32_t line, uint32_t col,
                        uint32_t span, const char *msg, const char *hint)
{
    assert_true(i < p->diags.count);
    const struct sl_diag *d = &p->diags.items[i];
    if (strcmp(d->msg, msg) != 0)
        fprintf(stderr, "message: %s\n", d->msg);
    assert_string_equal(d->msg, msg);
    assert_int_equal(d->pos.line, line);
    assert_int_equal(d->pos.col, col);
    assert_int_equal(d->span, span);
    if (hint)
        assert_string_equal(d->hint, hint);
    else
        assert_null(d->hint);
}

static void test_error_misspelled_keyword(void **state)
{
    (void)state;
    struct parsed p;
    parse(&p, "SELEC word FROM lines;");
    assert_int_equal(p.rc, SL_ERROR);
    assert_int_equal(p.r.count, 0);
    assert_int_equal(p.diags.count, 1);
    assert_diag(&p, 0, 1, 1, 5, "syntax error near \"SELEC\"", "did you mean SELECT?");
    struct sl_buf b;
    buf_init(&b);
    diags_render(&p.diags, &b);
    assert_string_equal(buf_str(&b), "q.sql:1:1: error: syntax error near \"SELEC\"\n"
                                     "    1 | SELEC word FROM lines;\n"
                                     "      | ^~~~~\n"
                                     "hint: did you mean SELECT?\n");
    buf_free(&b);
    release(&p);

    /* FORM parses as an alias, so the error is on the next word; the hint names FORM. */
    parse(&p, "SELECT word FORM lines;");
    assert_int_equal(p.diags.count, 1);
    assert_diag(&p, 0, 1, 18, 5, "syntax error near \"lines\"",
                "did you mean FROM instead of \"FORM\"?");
    release(&p);
}

static void test_error_positions(void **state)
{
    (void)state;
    struct parsed p;
    parse(&p, "SELECT a FROM s WHERE;");
    assert_diag(&p, 0, 1, 22, 1, "syntax error near \";\"", NULL);
    release(&p);

    parse(&p, "SELECT a\nFROM");
    assert_int_equal(p.diags.count, 1);
    assert_diag(&p, 0, 2, 5, 1, "syntax error: unexpected end of input", NULL);
    release(&p);

    parse(&p, "SELECT a FROM s WHERE a = 'abc");
    assert_int_equal(p.diags.count, 1);
    assert_diag(&p, 0, 1, 27, 1, "unterminated string literal", NULL);
    release(&p);

    parse(&p, "SELECT a # b FROM s;");
    assert_int_equal(p.diags.count, 1);
    assert_diag(&p, 0, 1, 10, 1, "unrecognized token \"#\"", NULL);
    release(&p);

    parse(&p, "SELECT '\xc3\xa9' x y FROM s;");
    assert_diag(&p, 0, 1, 14, 1, "syntax error near \"y\"", NULL);
    release(&p);

    parse(&p, "CREATE QUERY q AS SELECT a FROM s TRIGGER EVERY 0 SECONDS;");
    assert_int_equal(p.r.count, 0);
    assert_diag(&p, 0, 1, 49, 1, "trigger interval out of range", NULL);
    release(&p);

    parse(&p, "CREATE STREAM s (a) FROM STDIN FORMAT TEXT;");
    assert_diag(&p, 0, 1, 19, 1, "syntax error near \")\"", NULL);
    release(&p);

    parse(&p, "SELECT a FROM s WHERE b = 'a very long string literal that goes on and on';");
    assert_int_equal(p.diags.count, 0);
    release(&p);
    parse(&p, "SELECT a FROM s 'a very long string literal that goes on and on';");
    assert_diag(&p, 0, 1, 17, 48, "syntax error near \"'a very long string literal that goes on...\"",
                NULL);
    release(&p);
}

static void test_error_recovery(void **state)
{
    (void)state;
    struct parsed p;
    parse(&p, "SELEC a FROM s;\n"
              "SELECT b FROM t;\n"
              "SELECT FROM u; SELECT c FROM v\n"
              "  GROUP word;\n"
              "DROP QUERY q;\n"
              "SELECT");
    assert_int_equal(p.rc, SL_ERROR);
    assert_int_equal(p.diags.count, 4);
    assert_diag(&p, 0, 1, 1, 5, "syntax error near \"SELEC\"", "did you mean SELECT?");
    assert_diag(&p, 1, 3, 8, 4, "syntax error near \"FROM\"", NULL);
    assert_diag(&p, 2, 4, 9, 4, "syntax error near \"word\"", NULL);
    assert_diag(&p, 3, 6, 7, 1, "syntax error: unexpected end of input", NULL);
    assert_int_equal(p.r.count, 2);
    assert_string_equal(p.r.stmts[0]->text, "SELECT b FROM t");
    assert_string_equal(p.r.stmts[1]->text, "DROP QUERY q");
    release(&p);

    /* A bad token between statements keeps the statement before it. */
    parse(&p, "SELECT a FROM s; # ; SELECT b FROM t");
    assert_int_equal(p.diags.count, 1);
    assert_int_equal(p.r.count, 2);
    release(&p);

    parse(&p, "SELECT a FROM s # ; SELECT b FROM t");
    assert_int_equal(p.diags.count, 1);
    assert_int_equal(p.r.count, 1);
    assert_string_equal(p.r.stmts[0]->text, "SELECT b FROM t");
    release(&p);
}

static void test_nested_too_deeply(void **state)
{
    (void)state;
    enum { DEPTH = 3000 };
    static char sql[2 * DEPTH + 64];
    size_t n = 0;
    n += (size_t)snprintf(sql, sizeof sql, "SELECT ");
    for (int i = 0; i < DEPTH; i++)
        sql[n++] = '(';
    sql[n++] = 'a';
    for (int i = 0; i < DEPTH; i++)
        sql[n++] = ')';
    snprintf(sql + n, sizeof sql - n, " FROM s; SELECT b FROM t");
    struct parsed p;
    parse(&p, sql);
    assert_int_equal(p.rc, SL_ERROR);
    assert_int_equal(p.diags.count, 1);
    assert_string_equal(p.diags.items[0].msg, "nested too deeply");
    assert_int_equal(p.r.count, 1);
    release(&p);

    /* Moderate nesting is fine. */
    check_expr("((((((((((((((((((((a))))))))))))))))))))", "a");
}

/* ---- parse_is_complete ------------------------------------------------------- */

static bool complete(const char *s)
{
    return parse_is_complete(s, strlen(s));
}

static void test_is_complete(void **state)
{
    (void)state;
    assert_false(complete(""));
    assert_false(complete("SELECT a FROM s"));
    assert_true(complete("SELECT a FROM s;"));
    assert_true(complete("SELECT a\nFROM s\n;\n"));
    assert_false(complete("SELECT ';'"));
    assert_false(complete("SELECT 'it'';"));
    assert_true(complete("SELECT 'it'';';"));
    assert_false(complete("SELECT \"a;b\""));
    assert_false(complete("-- ;\nSELECT"));
    assert_false(complete("SELECT /* ; */ a"));
    assert_false(complete("SELECT /* ; "));
    assert_true(complete("SELECT # ;"));
    assert_false(complete("SELECT 1; SELECT"));
    assert_true(complete("SELECT 1; SELECT\n2; -- done\n"));
}

/* ---- robustness ---------------------------------------------------------------- */

static const char script[] =
    "CREATE STREAM lines (line TEXT) FROM SOCKET 'localhost:9999' FORMAT TEXT;\n"
    "CREATE STREAM bids (auction BIGINT, \"p\"\"x\" BIGINT) FROM FILE 'b.csv' FORMAT CSV "
    "(header = true, sep = ';', n = -1.5);\n"
    "/* word count */ CREATE QUERY wc AS SELECT word, COUNT(*) AS n, count(DISTINCT x), f()\n"
    "  FROM lines l, UNNEST(split(line, ' ')) AS word -- words\n"
    "  WHERE NOT word <> '' AND (a + 1) * -b >= 2.5e1 OR c || 'x' = 'y'\n"
    "  GROUP BY word, l.a TRIGGER EVERY 500 MILLISECONDS;\n"
    "SELECT l.*, * FROM lines; DROP QUERY wc; DROP STREAM lines";

static void test_every_prefix(void **state)
{
    (void)state;
    size_t len = strlen(script);
    for (size_t n = 0; n <= len; n++) {
        struct sl_diags d;
        struct sl_parse_result r;
        diags_init(&d, "p.sql", script, n);
        sl_status rc = parse_sql(script, n, &d, &r);
        assert_true(rc == SL_OK || rc == SL_ERROR);
        assert_true(rc == SL_OK ? d.count == 0 : d.count > 0);
        struct sl_buf b;
        buf_init(&b);
        diags_render(&d, &b);
        buf_free(&b);
        parse_free(&r);
        diags_free(&d);
    }
    struct parsed p;
    parse_ok(&p, script, 6);
    release(&p);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 32);
}

static void parse_and_drop(const char *buf, size_t n)
{
    struct sl_diags d;
    struct sl_parse_result r;
    diags_init(&d, "fuzz.sql", buf, n);
    sl_status rc = parse_sql(buf, n, &d, &r);
    assert_true(rc == SL_OK || rc == SL_ERROR);
    struct sl_buf b;
    buf_init(&b);
    diags_render(&d, &b);
    for (uint32_t i = 0; i < r.count; i++)
        for (uint32_t k = 0; r.stmts[i]->kind == AST_SELECT && k < r.stmts[i]->u.select->nitems; k++)
            ast_expr_render(r.stmts[i]->u.select->items[k].expr, &b);
    buf_free(&b);
    parse_free(&r);
    diags_free(&d);
    parse_is_complete(buf, n);
}

static void test_random_bytes(void **state)
{
    (void)state;
    char buf[256];
    for (int round = 0; round < 3000; round++) {
        size_t n = rng() % sizeof buf;
        for (size_t i = 0; i < n; i++)
            buf[i] = (char)(rng() & 0xFF);
        parse_and_drop(buf, n);
    }
}

static void test_token_soup(void **state)
{
    (void)state;
    static const char *const words[] = {
        "SELECT ", "FROM ", "WHERE ", "GROUP ", "BY ", "AS ", "AND ", "OR ", "NOT ", "NULL ",
        "TRUE ", "CREATE ", "STREAM ", "QUERY ", "DROP ", "SOCKET ", "FILE ", "STDIN ",
        "FORMAT ", "TRIGGER ", "EVERY ", "SECONDS ", "UNNEST ", "DISTINCT ", "a ", "b ", "t.",
        "1 ", "2.5 ", "'s' ", "\"q\" ", "( ", ") ", ", ", "; ", "* ", "+ ", "- ", "|| ", "= ",
        "<> ", "< ", ">= ", "% ", "/ ", "count(", "x) ", "'", "/*", "#", "->> ", "->",
        "TIMESTAMP ", "INTERVAL ", "MINUTES ", "ORDER ", "LIMIT ", "DESC ", "SET "};
    char buf[512];
    for (int round = 0; round < 5000; round++) {
        size_t n = 0;
        int count = (int)(rng() % 40);
        for (int i = 0; i < count; i++) {
            const char *w = words[rng() % (sizeof words / sizeof words[0])];
            size_t wl = strlen(w);
            if (n + wl >= sizeof buf)
                break;
            memcpy(buf + n, w, wl);
            n += wl;
        }
        parse_and_drop(buf, n);
    }
}

/* Every allocation failure point ends in SL_NOMEM (or success) without a leak. */
static void test_allocation_failures(void **state)
{
    (void)state;
    const char *sql = script;
    bool saw_ok = false;
    for (long k = 1; k < 200 && !saw_ok; k++) {
        struct sl_diags d;
        struct sl_parse_result r;
        diags_init(&d, "oom.sql", sql, strlen(sql));
        sl_alloc_fail_after(k);
        sl_status rc = parse_sql(sql, strlen(sql), &d, &r);
        sl_alloc_fail_after(0);
        assert_true(rc == SL_OK || rc == SL_NOMEM);
        saw_ok = rc == SL_OK;
        if (saw_ok)
            assert_int_equal(r.count, 6);
        parse_free(&r);
        diags_free(&d);
    }
    assert_true(saw_ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_stream_socket),
        cmocka_unit_test(test_create_stream_file_with_options),
        cmocka_unit_test(test_create_stream_stdin_lowercase),
        cmocka_unit_test(test_keywords_as_names),
        cmocka_unit_test(test_arrow_and_time_literals),
        cmocka_unit_test(test_order_limit_set),
        cmocka_unit_test(test_create_query_word_count),
        cmocka_unit_test(test_trigger_units),
        cmocka_unit_test(test_drop),
        cmocka_unit_test(test_statement_forms),
        cmocka_unit_test(test_select_forms),
        cmocka_unit_test(test_precedence), cmocka_unit_test(test_bitwise_precedence),
        cmocka_unit_test(test_predicate_precedence),
        cmocka_unit_test(test_literals_and_calls),
        cmocka_unit_test(test_expression_positions),
        cmocka_unit_test(test_statement_text_and_pos),
        cmocka_unit_test(test_error_misspelled_keyword),
        cmocka_unit_test(test_error_positions),
        cmocka_unit_test(test_error_recovery),
        cmocka_unit_test(test_nested_too_deeply),
        cmocka_unit_test(test_derived_tables),
        cmocka_unit_test(test_outline_from),
        cmocka_unit_test(test_outline_with),
        cmocka_unit_test(test_is_complete),
        cmocka_unit_test(test_every_prefix),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_token_soup),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
