/* test_parser_lexer.c — token types, positions (UTF-8 columns), comments, strings, error tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "parser/lexer.h"

#define MAXTOK 64

struct lexed {
    int n;
    struct sl_token t[MAXTOK];
};

static void lex_all(const char *src, struct lexed *out)
{
    struct sl_lexer lx;
    lex_init(&lx, src, strlen(src));
    out->n = 0;
    while (out->n < MAXTOK && lex_next(&lx, &out->t[out->n]) != 0)
        out->n++;
}

static void assert_types(const char *src, const int *types, int n)
{
    struct lexed l;
    lex_all(src, &l);
    assert_int_equal(l.n, n);
    for (int i = 0; i < n; i++)
        assert_int_equal(l.t[i].type, types[i]);
}

static void test_keywords_any_case(void **state)
{
    (void)state;
    static const int want[] = {TK_SELECT, TK_FROM, TK_WHERE, TK_ID, TK_ID, TK_TRIGGER, TK_MILLISECONDS};
    assert_types("select FROM WhErE TEXT selects trigger Milliseconds", want, 7);
    assert_int_equal(lex_keyword("group", 5), TK_GROUP);
    assert_int_equal(lex_keyword("groups", 6), TK_ID);
    assert_int_equal(lex_keyword("GRO", 3), TK_ID);
}

static void test_operators(void **state)
{
    (void)state;
    static const int want[] = {TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_REM, TK_CONCAT,
                               TK_EQ, TK_EQ, TK_NE, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE,
                               TK_LP, TK_RP, TK_COMMA, TK_SEMI, TK_DOT};
    assert_types("+ - * / % || = == <> != < <= > >= ( ) , ; .", want, 19);
    struct lexed l;
    lex_all("a<=b", &l);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.t[1].len, 2);
    assert_int_equal(l.t[1].pos.col, 2);
    /* The bitwise and JSON operators; <<, >>, -> and ->> are one token each. */
    static const int bits[] = {TK_BITAND, TK_BITOR, TK_LSHIFT, TK_RSHIFT, TK_BITNOT, TK_PTR,
                               TK_PTR2, TK_MINUS, TK_GT, TK_LT, TK_LE, TK_GT, TK_GE};
    assert_types("& | << >> ~ -> ->> - > < <= > >=", bits, 13);
    static const int tight[] = {TK_ID, TK_LSHIFT, TK_INTEGER, TK_PTR2, TK_STRING, TK_RSHIFT,
                                TK_MINUS, TK_INTEGER};
    assert_types("a<<1->>'x'>>-1", tight, 8);
}

static void test_numbers(void **state)
{
    (void)state;
    static const int want[] = {TK_INTEGER, TK_FLOAT, TK_FLOAT, TK_FLOAT, TK_FLOAT, TK_FLOAT};
    assert_types("1 1.5 .5 1e3 1.5E-2 7.", want, 6);
    static const int dotted[] = {TK_ID, TK_DOT, TK_ID, TK_INTEGER, TK_ID};
    assert_types("t.a 1e x", (const int[]){TK_ID, TK_DOT, TK_ID, TK_ILLEGAL, TK_ID}, 5);
    assert_types("t.a 1 e", dotted, 5);
}

static void test_strings_and_quoted_identifiers(void **state)
{
    (void)state;
    struct lexed l;
    lex_all("'it''s' \"a \"\"b\"\"\" ''", &l);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.t[0].type, TK_STRING);
    assert_int_equal(l.t[0].len, 7);
    assert_int_equal(l.t[1].type, TK_ID);
    assert_int_equal(l.t[1].len, 9);
    assert_int_equal(l.t[2].type, TK_STRING);
    assert_int_equal(l.t[2].len, 2);
    assert_int_equal(l.t[2].pos.col, 19);
}

static void test_positions_count_code_points(void **state)
{
    (void)state;
    const char *src = "SELECT\n  h\xc3\xa9llo, x\n\t\xe2\x82\xac\xe2\x82\xac y";
    struct lexed l;
    lex_all(src, &l);
    assert_int_equal(l.n, 6);
    assert_int_equal(l.t[1].type, TK_ID); /* héllo: bytes >= 0x80 are identifier characters */
    assert_int_equal(l.t[1].pos.line, 2);
    assert_int_equal(l.t[1].pos.col, 3);
    assert_int_equal(l.t[1].len, 6);
    assert_int_equal(l.t[1].span, 5);
    assert_int_equal(l.t[2].pos.col, 8); /* the comma */
    assert_int_equal(l.t[3].pos.col, 10);
    assert_int_equal(l.t[3].pos.offset, (uint32_t)(strchr(src, 'x') - src));
    assert_int_equal(l.t[4].pos.line, 3);
    assert_int_equal(l.t[4].span, 2); /* €€ */
    assert_int_equal(l.t[4].pos.col, 2);
    assert_int_equal(l.t[5].pos.col, 5);
}

static void test_comments_skipped(void **state)
{
    (void)state;
    struct lexed l;
    lex_all("a -- one ; two\n b /* x\n y ; */ c --", &l);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.t[1].pos.line, 2);
    assert_int_equal(l.t[1].pos.col, 2);
    assert_int_equal(l.t[2].pos.line, 3);
    assert_int_equal(l.t[2].pos.col, 9);
    assert_memory_equal(l.t[2].text, "c", 1);
}

static void test_error_tokens(void **state)
{
    (void)state;
    struct lexed l;
    lex_all("a # b", &l);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.t[1].type, TK_ILLEGAL);
    assert_int_equal(l.t[1].err, LEX_BAD_CHAR);
    assert_int_equal(l.t[1].pos.col, 3);
    assert_int_equal(l.t[1].len, 1);

    lex_all("x = 'abc", &l);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.t[2].type, TK_ILLEGAL);
    assert_int_equal(l.t[2].err, LEX_UNTERM_STRING);
    assert_int_equal(l.t[2].pos.col, 5);

    lex_all("\"abc", &l);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.t[0].err, LEX_UNTERM_IDENT);

    lex_all("a\n  /* never closed", &l);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.t[1].type, TK_ILLEGAL);
    assert_int_equal(l.t[1].err, LEX_UNTERM_COMMENT);
    assert_int_equal(l.t[1].pos.line, 2);
    assert_int_equal(l.t[1].pos.col, 3);

    lex_all("! ^ 12abc", &l);
    assert_int_equal(l.n, 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(l.t[i].type, TK_ILLEGAL);
    assert_int_equal(l.t[2].len, 5);
    assert_string_equal(lex_error_message(LEX_UNTERM_STRING), "unterminated string literal");
}

static void test_end_of_input_repeats(void **state)
{
    (void)state;
    struct sl_lexer lx;
    struct sl_token t;
    lex_init(&lx, "a  ", 3);
    assert_int_equal(lex_next(&lx, &t), TK_ID);
    assert_int_equal(lex_next(&lx, &t), 0);
    assert_int_equal(lex_next(&lx, &t), 0);
    assert_int_equal(t.pos.offset, 3);
    /* The length bounds the input, not a NUL. */
    lex_init(&lx, "ab;cd", 2);
    assert_int_equal(lex_next(&lx, &t), TK_ID);
    assert_int_equal(t.len, 2);
    assert_int_equal(lex_next(&lx, &t), 0);
}

static void test_keyword_near(void **state)
{
    (void)state;
    assert_string_equal(lex_keyword_near("SELEC", 5), "SELECT");
    assert_string_equal(lex_keyword_near("form", 4), "FROM");
    assert_string_equal(lex_keyword_near("GROPU", 5), "GROUP");
    assert_null(lex_keyword_near("word", 4));
    assert_null(lex_keyword_near("ab", 2));
    assert_null(lex_keyword_near("SELECT", 6));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keywords_any_case),
        cmocka_unit_test(test_operators),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_strings_and_quoted_identifiers),
        cmocka_unit_test(test_positions_count_code_points),
        cmocka_unit_test(test_comments_skipped),
        cmocka_unit_test(test_error_tokens),
        cmocka_unit_test(test_end_of_input_repeats),
        cmocka_unit_test(test_keyword_near),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
