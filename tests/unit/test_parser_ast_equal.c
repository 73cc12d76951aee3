/*
 * test_parser_ast_equal.c — ast_expr_equal: the same expression written
 * differently (case, spacing, a column's qualifier) is equal; a different
 * operator, literal, argument or NOT is not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "parser/ast_equal.h"
#include "parser/parser.h"

/* Whether the first two select items of `SELECT <items> FROM s` are equal. */
static bool items_equal(const char *items)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT %s FROM s", items);
    struct sl_diags diags;
    diags_init(&diags, "q.sql", sql, strlen(sql));
    struct sl_parse_result r;
    assert_int_equal(parse_sql(sql, strlen(sql), &diags, &r), SL_OK);
    assert_int_equal(r.count, 1);
    const struct ast_select *sel = r.stmts[0]->u.select;
    assert_int_equal(sel->nitems, 2);
    bool equal = ast_expr_equal(sel->items[0].expr, sel->items[1].expr);
    parse_free(&r);
    diags_free(&diags);
    return equal;
}

static void test_equal(void **state)
{
    (void)state;
    assert_true(items_equal("a + 1, A+1"));
    assert_true(items_equal("s.word, word"));
    assert_true(items_equal("upper(w) || 'x', UPPER(w)||'x'"));
    assert_true(items_equal("count(DISTINCT w), count(distinct w)"));
    assert_true(items_equal("x IN (1, 2), x in (1,2)"));
    assert_true(items_equal("CASE WHEN a THEN 1 ELSE 2 END, case when a then 1 else 2 end"));
    assert_true(items_equal("CAST(a AS INTEGER), cast(a as integer)"));
}

static void test_not_equal(void **state)
{
    (void)state;
    assert_false(items_equal("a + 1, a - 1"));
    assert_false(items_equal("a + 1, a + 2"));
    assert_false(items_equal("'a', 'b'"));
    assert_false(items_equal("s.word, t.word"));
    assert_false(items_equal("count(w), count(DISTINCT w)"));
    assert_false(items_equal("x IN (1, 2), x IN (1, 2, 3)"));
    assert_false(items_equal("x IN (1, 2), x NOT IN (1, 2)"));
    assert_false(items_equal("a LIKE 'x', a LIKE 'x' ESCAPE '!'"));
    assert_false(items_equal("CAST(a AS INTEGER), CAST(a AS TEXT)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equal),
        cmocka_unit_test(test_not_equal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
