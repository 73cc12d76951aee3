/* test_expr_eval.c — expression evaluation against SQLite's semantics, and the scalar functions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "common/buf.h"
#include "engine/expr/expr.h"
#include "engine/expr/expr_kernels.h"
#include "engine/functions/function.h"
#include "engine/values/sqlval.h"

static struct sl_arena *A;

static int setup(void **state)
{
    (void)state;
    A = arena_create(0);
    return A ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arena_destroy(A);
    return 0;
}

static struct sl_expr *mk(enum sl_expr_kind kind, enum sl_type type)
{
    struct sl_expr *e = arena_calloc(A, sizeof *e);
    e->kind = kind;
    e->type = type;
    return e;
}

static struct sl_expr *cval(struct sl_value v)
{
    struct sl_expr *e = mk(EXPR_CONST, v.type);
    e->value = v;
    return e;
}

static struct sl_expr *cint(int64_t i)
{
    return cval((struct sl_value){.type = SL_INT, .u.i = i});
}

static struct sl_expr *cdbl(double r)
{
    return cval((struct sl_value){.type = SL_REAL, .u.r = r});
}

static struct sl_expr *cbool(bool b)
{
    return cval((struct sl_value){.type = SL_BOOL, .u.b = b});
}

static struct sl_expr *ctext(const char *s)
{
    return cval((struct sl_value){.type = SL_TEXT, .u.s = {s, (uint32_t)strlen(s)}});
}

static struct sl_expr *cnull(void)
{
    return cval(sl_null());
}

static struct sl_expr *col(uint32_t c, enum sl_type t)
{
    struct sl_expr *e = mk(EXPR_COLUMN, t);
    e->column = c;
    return e;
}

static struct sl_expr *bin(enum ast_op op, struct sl_expr *l, struct sl_expr *r)
{
    enum sl_type t;
    assert_true(expr_binary_type(op, l->type, r->type, &t));
    struct sl_expr *e = mk(EXPR_BINARY, t);
    e->op = op;
    e->nargs = 2;
    e->args = arena_alloc(A, 2 * sizeof *e->args);
    e->args[0] = l;
    e->args[1] = r;
    return e;
}

static struct sl_expr *un(enum ast_op op, struct sl_expr *x)
{
    enum sl_type t;
    assert_true(expr_unary_type(op, x->type, &t));
    struct sl_expr *e = mk(EXPR_UNARY, t);
    e->op = op;
    e->nargs = 1;
    e->args = arena_alloc(A, sizeof *e->args);
    e->args[0] = x;
    return e;
}

static struct sl_expr *call(const char *name, struct sl_expr *a, struct sl_expr *b)
{
    const struct sl_scalar_fn *fn = function_lookup(name);
    assert_non_null(fn);
    struct sl_expr *e = mk(EXPR_CALL, SL_NULL);
    e->fn = fn;
    e->nargs = b ? 2 : 1;
    e->args = arena_alloc(A, 2 * sizeof *e->args);
    e->args[0] = a;
    e->args[1] = b;
    enum sl_type types[2] = {a->type, b ? b->type : SL_NULL};
    char why[128];
    assert_true(fn->infer(types, (int)e->nargs, &e->type, why, sizeof why));
    return e;
}

/* Evaluates e over a one-row chunk whose only column holds `in`. */
static struct sl_value eval_with(struct sl_expr *e, struct sl_value in, enum sl_type in_type)
{
    struct sl_chunk *c;
    assert_int_equal(chunk_create(A, 1, &in_type, &c), SL_OK);
    vector_set(&c->cols[0], 0, in);
    c->count = 1;
    struct sl_vector out;
    assert_int_equal(vector_init(A, e->type, &out), SL_OK);
    struct sl_error err;
    assert_int_equal(expr_eval(e, c, &out, &err), SL_OK);
    return vector_get(&out, 0);
}

static struct sl_value eval1(struct sl_expr *e)
{
    return eval_with(e, sl_null(), SL_INT);
}

static void assert_int_value(struct sl_value v, int64_t i)
{
    assert_int_equal(v.type, SL_INT);
    assert_int_equal(v.u.i, i);
}

static void assert_real_value(struct sl_value v, double r)
{
    assert_int_equal(v.type, SL_REAL);
    assert_true(v.u.r == r);
}

static void assert_bool_value(struct sl_value v, bool b)
{
    assert_int_equal(v.type, SL_BOOL);
    assert_int_equal(v.u.b, b);
}

static void assert_text_value(struct sl_value v, const char *s)
{
    assert_int_equal(v.type, SL_TEXT);
    assert_int_equal(v.u.s.len, strlen(s));
    assert_memory_equal(v.u.s.ptr, s, v.u.s.len);
}

static void test_arithmetic(void **state)
{
    (void)state;
    assert_int_value(eval1(bin(AST_OP_ADD, cint(2), cint(3))), 5);
    assert_int_value(eval1(bin(AST_OP_MUL, cint(-4), cint(3))), -12);
    assert_int_value(eval1(bin(AST_OP_DIV, cint(7), cint(2))), 3);
    assert_int_value(eval1(bin(AST_OP_DIV, cint(-7), cint(2))), -3);
    assert_int_value(eval1(bin(AST_OP_DIV, cint(7), cint(-2))), -3);
    assert_int_value(eval1(bin(AST_OP_MOD, cint(-7), cint(3))), -1);
    assert_int_value(eval1(bin(AST_OP_MOD, cint(7), cint(-3))), 1);
    assert_int_value(eval1(bin(AST_OP_MOD, cint(INT64_MIN), cint(-1))), 0);
    assert_real_value(eval1(bin(AST_OP_ADD, cint(1), cdbl(2.5))), 3.5);
    assert_real_value(eval1(bin(AST_OP_DIV, cdbl(1), cint(4))), 0.25);
    assert_real_value(eval1(bin(AST_OP_MOD, cdbl(5.5), cint(2))), 1.0);
    assert_int_value(eval1(bin(AST_OP_ADD, cbool(true), cint(1))), 2);
    assert_int_value(eval1(un(AST_OP_NEG, cint(5))), -5);
    assert_real_value(eval1(un(AST_OP_NEG, cdbl(1.5))), -1.5);
    assert_int_value(eval1(un(AST_OP_PLUS, cint(5))), 5);
}

static void test_null_and_division_by_zero(void **state)
{
    (void)state;
    assert_int_equal(eval1(bin(AST_OP_ADD, cint(1), cnull())).type, SL_NULL);
    assert_int_equal(eval1(bin(AST_OP_MUL, cnull(), cdbl(2))).type, SL_NULL);
    assert_int_equal(eval1(bin(AST_OP_DIV, cint(1), cint(0))).type, SL_NULL);
    assert_int_equal(eval1(bin(AST_OP_MOD, cint(1), cint(0))).type, SL_NULL);
    assert_int_equal(eval1(bin(AST_OP_DIV, cdbl(1), cdbl(0))).type, SL_NULL);
    assert_int_equal(eval1(un(AST_OP_NEG, cnull())).type, SL_NULL);
    /* A NULL column value propagates too. */
    assert_int_equal(eval_with(bin(AST_OP_ADD, col(0, SL_INT), cint(1)), sl_null(), SL_INT).type,
                     SL_NULL);
    assert_int_equal(eval_with(call("length", col(0, SL_TEXT), NULL), sl_null(), SL_TEXT).type,
                     SL_NULL);
}

static void test_overflow(void **state)
{
    (void)state;
    /* INT op INT is typed SL_ANY: an overflowing row is SQLite's REAL. */
    assert_int_equal(bin(AST_OP_ADD, cint(1), cint(1))->type, SL_ANY);
    assert_real_value(eval1(bin(AST_OP_ADD, cint(INT64_MAX), cint(1))), 9223372036854775808.0);
    assert_real_value(eval1(bin(AST_OP_SUB, cint(INT64_MIN), cint(1))), -9223372036854775808.0);
    assert_real_value(eval1(bin(AST_OP_MUL, cint(INT64_MAX), cint(2))), 18446744073709551614.0);
    assert_real_value(eval1(bin(AST_OP_DIV, cint(INT64_MIN), cint(-1))), 9223372036854775808.0);
    assert_real_value(eval1(un(AST_OP_NEG, cint(INT64_MIN))), 9223372036854775808.0);
    /* Rows that fit stay INT; % and BOOL op BOOL cannot overflow and stay typed. */
    assert_int_value(eval1(bin(AST_OP_MUL, cint(INT64_MAX / 2), cint(2))), INT64_MAX - 1);
    assert_int_value(eval1(bin(AST_OP_DIV, cint(7), cint(-2))), -3);
    assert_int_equal(bin(AST_OP_MOD, cint(1), cint(1))->type, SL_INT);
    assert_int_value(eval1(bin(AST_OP_MOD, cint(INT64_MIN), cint(-1))), 0);
    /* A column operand: the typed kernel writes the per-row result. */
    struct sl_value min = {.type = SL_INT, .u.i = INT64_MIN};
    assert_real_value(eval_with(bin(AST_OP_SUB, col(0, SL_INT), cint(1)), min, SL_INT),
                      -9223372036854775808.0);
    assert_int_value(eval_with(bin(AST_OP_ADD, col(0, SL_INT), cint(1)), min, SL_INT),
                     INT64_MIN + 1);
    /* Per-row typed (ANY) operands: SQLite's REAL fallback. */
    struct sl_value max = {.type = SL_INT, .u.i = INT64_MAX};
    struct sl_value v = eval_with(bin(AST_OP_ADD, col(0, SL_ANY), cint(1)), max, SL_ANY);
    assert_real_value(v, 9223372036854775808.0);
    v = eval_with(bin(AST_OP_SUB, col(0, SL_ANY), cint(1)), max, SL_ANY);
    assert_int_value(v, INT64_MAX - 1);
}

static void test_text_arithmetic(void **state)
{
    (void)state;
    struct sl_expr *e = bin(AST_OP_ADD, ctext("12abc"), cint(1));
    assert_int_equal(e->type, SL_ANY);
    assert_int_value(eval1(e), 13);
    assert_int_value(eval1(bin(AST_OP_ADD, ctext("abc"), cint(1))), 1);
    assert_real_value(eval1(bin(AST_OP_ADD, ctext(" 1e3"), cint(0))), 1000.0);
}

static void test_comparisons(void **state)
{
    (void)state;
    assert_bool_value(eval1(bin(AST_OP_LT, cint(1), cint(2))), true);
    assert_bool_value(eval1(bin(AST_OP_GE, cint(1), cint(2))), false);
    assert_bool_value(eval1(bin(AST_OP_EQ, cint(2), cdbl(2.0))), true);
    assert_bool_value(eval1(bin(AST_OP_GT, cdbl(2.5), cint(2))), true);
    assert_bool_value(eval1(bin(AST_OP_GT, cint(9007199254740993), cdbl(9007199254740992.0))),
                      true);
    assert_bool_value(eval1(bin(AST_OP_LT, cint(1), ctext("a"))), true);
    assert_bool_value(eval1(bin(AST_OP_GT, ctext("0"), cdbl(1e300))), true);
    assert_bool_value(eval1(bin(AST_OP_LT, ctext("a"), ctext("ab"))), true);
    assert_bool_value(eval1(bin(AST_OP_GT, ctext("b"), ctext("ab"))), true);
    assert_bool_value(eval1(bin(AST_OP_NE, ctext("x"), ctext(""))), true);
    assert_bool_value(eval1(bin(AST_OP_EQ, ctext(""), ctext(""))), true);
    assert_bool_value(eval1(bin(AST_OP_LE, cbool(false), cint(0))), true);
    assert_int_equal(eval1(bin(AST_OP_EQ, cnull(), cnull())).type, SL_NULL);
    assert_int_equal(eval1(bin(AST_OP_LT, cint(1), cnull())).type, SL_NULL);
    enum sl_type t;
    assert_false(expr_binary_type(AST_OP_EQ, SL_ARRAY, SL_TEXT, &t));
    assert_false(expr_binary_type(AST_OP_ADD, SL_ARRAY, SL_INT, &t));
    assert_true(expr_binary_type(AST_OP_LT, SL_INT, SL_REAL, &t));
    assert_int_equal(t, SL_BOOL);
}

static void test_three_valued_logic(void **state)
{
    (void)state;
    assert_bool_value(eval1(bin(AST_OP_AND, cbool(false), cnull())), false);
    assert_bool_value(eval1(bin(AST_OP_AND, cnull(), cbool(false))), false);
    assert_int_equal(eval1(bin(AST_OP_AND, cbool(true), cnull())).type, SL_NULL);
    assert_bool_value(eval1(bin(AST_OP_OR, cbool(true), cnull())), true);
    assert_bool_value(eval1(bin(AST_OP_OR, cnull(), cbool(true))), true);
    assert_int_equal(eval1(bin(AST_OP_OR, cbool(false), cnull())).type, SL_NULL);
    assert_bool_value(eval1(bin(AST_OP_AND, cbool(true), cbool(true))), true);
    assert_bool_value(eval1(bin(AST_OP_OR, cbool(false), cbool(false))), false);
    assert_bool_value(eval1(un(AST_OP_NOT, cbool(true))), false);
    assert_int_equal(eval1(un(AST_OP_NOT, cnull())).type, SL_NULL);
    assert_bool_value(eval1(bin(AST_OP_AND, cint(2), cdbl(0.5))), true);
    assert_bool_value(eval1(un(AST_OP_NOT, cint(0))), true);
}

static void test_concat(void **state)
{
    (void)state;
    assert_text_value(eval1(bin(AST_OP_CONCAT, ctext("a"), cint(1))), "a1");
    assert_text_value(eval1(bin(AST_OP_CONCAT, cdbl(1.0), ctext(""))), "1.0");
    assert_text_value(eval1(bin(AST_OP_CONCAT, cdbl(0.1), ctext(""))), "0.1");
    assert_text_value(eval1(bin(AST_OP_CONCAT, cdbl(1e20), ctext(""))), "1.0e+20");
    assert_text_value(eval1(bin(AST_OP_CONCAT, cdbl(1.5e-7), ctext(""))), "1.5e-07");
    assert_text_value(eval1(bin(AST_OP_CONCAT, cdbl(-0.0), ctext(""))), "0.0");
    assert_text_value(eval1(bin(AST_OP_CONCAT, cdbl(123456789012345678.0), ctext(""))),
                      "1.23456789012346e+17");
    assert_text_value(eval1(bin(AST_OP_CONCAT, cint(-5), cbool(true))), "-51");
    assert_text_value(eval1(bin(AST_OP_CONCAT, ctext(""), ctext(""))), "");
    struct sl_expr *e = bin(AST_OP_CONCAT, ctext("a"), cnull());
    assert_int_equal(eval1(e).type, SL_NULL);
    e = bin(AST_OP_CONCAT, ctext("x"), col(0, SL_TEXT));
    assert_int_equal(eval_with(e, sl_null(), SL_TEXT).type, SL_NULL);
}

static void test_case_and_length(void **state)
{
    (void)state;
    assert_text_value(eval1(call("lower", ctext("ABC\xc3\x89z"), NULL)), "abc\xc3\x89z");
    assert_text_value(eval1(call("UPPER", ctext("abc1\xc3\xa9"), NULL)), "ABC1\xc3\xa9");
    assert_text_value(eval1(call("upper", cint(12), NULL)), "12");
    assert_int_value(eval1(call("length", ctext("h\xc3\xa9llo"), NULL)), 5);
    assert_int_value(eval1(call("length", ctext(""), NULL)), 0);
    assert_int_value(eval1(call("length", cdbl(12.50), NULL)), 4);
    assert_int_value(eval1(call("length", cint(-123), NULL)), 4);
    assert_int_value(eval1(call("length", cdbl(-0.0), NULL)), 3);
    assert_int_equal(eval1(call("length", cnull(), NULL)).type, SL_NULL);
    assert_int_equal(eval1(call("lower", cnull(), NULL)).type, SL_NULL);
}

static void assert_split(const char *s, const char *sep, int n, const char *const *items)
{
    struct sl_value v = eval1(call("split", ctext(s), ctext(sep)));
    assert_int_equal(v.type, SL_ARRAY);
    assert_int_equal(v.u.a->count, n);
    for (int i = 0; i < n; i++)
        assert_text_value(v.u.a->items[i], items[i]);
}

static void test_split(void **state)
{
    (void)state;
    assert_split("a b c", " ", 3, (const char *const[]){"a", "b", "c"});
    assert_split("a  b", " ", 3, (const char *const[]){"a", "", "b"});
    assert_split(" a ", " ", 3, (const char *const[]){"", "a", ""});
    assert_split("", " ", 1, (const char *const[]){""});
    assert_split("abc", "", 1, (const char *const[]){"abc"});
    assert_split("abc", ",", 1, (const char *const[]){"abc"});
    assert_split("a--b----c", "--", 4, (const char *const[]){"a", "b", "", "c"});
    assert_int_equal(eval1(call("split", cnull(), ctext(" "))).type, SL_NULL);
    assert_int_equal(eval1(call("split", ctext("a"), cnull())).type, SL_NULL);
    /* Items are views into the input: no copy. */
    const char *line = "xy z";
    struct sl_value v = eval1(call("split", ctext(line), ctext(" ")));
    assert_ptr_equal(v.u.a->items[1].u.s.ptr, line + 3);
    enum sl_type types[2] = {SL_INT, SL_TEXT};
    enum sl_type t;
    char why[128];
    assert_false(function_lookup("split")->infer(types, 2, &t, why, sizeof why));
    assert_string_equal(why, "split() expects TEXT, got INTEGER");
}

static void test_registry(void **state)
{
    (void)state;
    assert_non_null(function_lookup("Length"));
    assert_null(function_lookup("nope"));
    assert_string_equal(function_suggest("lowr"), "lower");
    assert_string_equal(function_suggest("splitt"), "split");
    assert_null(function_suggest("xyzzy"));
}

/* Only active rows are computed, at their physical index. */
static void test_selection(void **state)
{
    (void)state;
    enum sl_type types[] = {SL_INT, SL_TEXT};
    struct sl_chunk *c;
    assert_int_equal(chunk_create(A, 2, types, &c), SL_OK);
    const char *words[] = {"a", "bb", "ccc", "dddd", "eeeee"};
    for (uint32_t i = 0; i < 5; i++) {
        vector_set(&c->cols[0], i, (struct sl_value){.type = SL_INT, .u.i = i});
        vector_set(
            &c->cols[1], i,
            (struct sl_value){.type = SL_TEXT, .u.s = {words[i], (uint32_t)strlen(words[i])}});
    }
    c->count = 5;
    uint32_t sel[] = {1, 3};
    c->sel = sel;
    c->nsel = 2;
    struct sl_expr *e = bin(AST_OP_ADD, col(0, SL_INT), call("length", col(1, SL_TEXT), NULL));
    struct sl_vector out;
    assert_int_equal(vector_init(A, e->type, &out), SL_OK);
    struct sl_error err;
    assert_int_equal(expr_eval(e, c, &out, &err), SL_OK);
    assert_int_value(vector_get(&out, 1), 3);
    assert_int_value(vector_get(&out, 3), 7);
}

static void test_render(void **state)
{
    (void)state;
    const char *names[] = {"word", "n"};
    struct sl_expr *e = bin(AST_OP_AND, bin(AST_OP_NE, col(0, SL_TEXT), ctext("it's")),
                            un(AST_OP_NOT, bin(AST_OP_GT, col(1, SL_INT), cdbl(1.0))));
    struct sl_buf b;
    buf_init(&b);
    expr_render(e, names, &b);
    assert_string_equal(buf_str(&b), "((word <> 'it''s') AND NOT (n > 1.0))");
    buf_clear(&b);
    expr_render(call("split", col(0, SL_TEXT), ctext(" ")), names, &b);
    assert_string_equal(buf_str(&b), "split(word, ' ')");
    buf_free(&b);
}

/* An IN / BETWEEN / LIKE / CASE / CAST node over the given operands. */
static struct sl_expr *node(enum sl_expr_kind kind, enum sl_type type, uint32_t n, ...)
{
    struct sl_expr *e = mk(kind, type);
    e->nargs = n;
    e->args = arena_alloc(A, n * sizeof *e->args);
    va_list ap;
    va_start(ap, n);
    for (uint32_t i = 0; i < n; i++)
        e->args[i] = va_arg(ap, struct sl_expr *);
    va_end(ap);
    return e;
}

static void assert_null_value(struct sl_value v)
{
    assert_int_equal(v.type, SL_NULL);
}

static bool like(const char *pat, const char *s)
{
    return expr_like_match(pat, (uint32_t)strlen(pat), s, (uint32_t)strlen(s), -1);
}

static bool glob(const char *pat, const char *s)
{
    return expr_glob_match(pat, (uint32_t)strlen(pat), s, (uint32_t)strlen(s));
}

static void test_like_glob_matchers(void **state)
{
    (void)state;
    assert_true(like("a%", "ABC"));
    assert_true(like("%", ""));
    assert_false(like("_", ""));
    assert_true(like("_", "\xc3\xa9"));        /* one character, two bytes */
    assert_false(like("\xc3\x89", "\xc3\xa9")); /* no case folding beyond ASCII */
    assert_true(like("%b%b%", "abxbz"));
    assert_false(like("%b%b%", "abxz"));
    assert_true(like("a%%c", "ac"));
    assert_true(expr_like_match("a\\%", 3, "a%", 2, '\\'));
    assert_false(expr_like_match("a\\%", 3, "ab", 2, '\\'));
    assert_false(expr_like_match("a\\", 2, "a", 1, '\\')); /* a trailing escape matches nothing */
    assert_true(glob("a*", "abc"));
    assert_false(glob("a*", "ABC"));
    assert_true(glob("?b?", "abc"));
    assert_true(glob("[a-c]x", "bx"));
    assert_false(glob("[^a-c]x", "bx"));
    assert_true(glob("[]a]", "]"));
    assert_true(glob("*[a-]", "x-"));
    assert_false(glob("[a", "a")); /* an unterminated class matches nothing */
    assert_true(glob("*.5", "2.5"));
    assert_true(glob("x[*]", "x*"));
}

static void test_predicates(void **state)
{
    (void)state;
    /* IS / IS NOT never give NULL */
    assert_bool_value(eval1(bin(AST_OP_IS, cnull(), cnull())), true);
    assert_bool_value(eval1(bin(AST_OP_IS, cint(1), cdbl(1.0))), true);
    assert_bool_value(eval1(bin(AST_OP_ISNOT, cint(1), cnull())), true);
    assert_bool_value(eval1(un(AST_OP_ISNULL, cnull())), true);
    assert_bool_value(eval1(un(AST_OP_NOTNULL, ctext(""))), true);
    assert_bool_value(eval_with(un(AST_OP_ISNULL, col(0, SL_INT)), sl_null(), SL_INT), true);
    /* IN: a NULL item makes a miss NULL, not FALSE; () is FALSE even for NULL */
    struct sl_expr *in = node(EXPR_IN, SL_BOOL, 3, cint(1), cint(2), cnull());
    assert_null_value(eval1(in));
    in = node(EXPR_IN, SL_BOOL, 3, cint(2), cint(2), cnull());
    assert_bool_value(eval1(in), true);
    in = node(EXPR_IN, SL_BOOL, 3, ctext("a"), cint(2), ctext("a"));
    in->negated = true;
    assert_bool_value(eval1(in), false);
    in = node(EXPR_IN, SL_BOOL, 1, cnull());
    assert_bool_value(eval1(in), false);
    in = node(EXPR_IN, SL_BOOL, 2, col(0, SL_INT), cint(7));
    assert_bool_value(eval_with(in, (struct sl_value){.type = SL_INT, .u.i = 7}, SL_INT), true);
    /* BETWEEN and NOT BETWEEN with a NULL bound */
    struct sl_expr *bt = node(EXPR_BETWEEN, SL_BOOL, 3, cint(0), cint(1), cnull());
    assert_bool_value(eval1(bt), false);
    bt = node(EXPR_BETWEEN, SL_BOOL, 3, cint(5), cint(1), cnull());
    assert_null_value(eval1(bt));
    bt->negated = true;
    assert_null_value(eval1(bt));
    bt = node(EXPR_BETWEEN, SL_BOOL, 3, cdbl(1.5), cint(1), cint(2));
    assert_bool_value(eval1(bt), true);
    /* LIKE over numbers uses their text; a NULL escape gives NULL */
    struct sl_expr *lk = node(EXPR_LIKE, SL_BOOL, 2, cdbl(2.5), ctext("%.5"));
    lk->op = AST_OP_LIKE;
    assert_bool_value(eval1(lk), true);
    lk = node(EXPR_LIKE, SL_BOOL, 3, ctext("a"), ctext("a"), cnull());
    lk->op = AST_OP_LIKE;
    assert_null_value(eval1(lk));
    lk = node(EXPR_LIKE, SL_BOOL, 2, ctext("abc"), ctext("A*"));
    lk->op = AST_OP_GLOB;
    lk->negated = true;
    assert_bool_value(eval1(lk), true);
}

static void test_case_and_cast(void **state)
{
    (void)state;
    enum sl_type mixed[] = {SL_INT, SL_REAL};
    assert_int_equal(expr_case_type(mixed, 2), SL_ANY);
    enum sl_type ints[] = {SL_NULL, SL_INT, SL_BOOL};
    assert_int_equal(expr_case_type(ints, 3), SL_INT);
    /* CASE WHEN c THEN 1 ELSE 'x' END over a column: per-row types */
    struct sl_expr *cs = node(EXPR_CASE, SL_ANY, 3, col(0, SL_INT), cint(1), ctext("x"));
    cs->has_else = true;
    assert_int_value(eval_with(cs, (struct sl_value){.type = SL_INT, .u.i = 3}, SL_INT), 1);
    assert_text_value(eval_with(cs, sl_null(), SL_INT), "x");
    /* CASE x WHEN NULL never matches; no ELSE gives NULL */
    cs = node(EXPR_CASE, SL_INT, 3, cnull(), cnull(), cint(1));
    cs->has_base = true;
    assert_null_value(eval1(cs));
    cs = node(EXPR_CASE, SL_TEXT, 5, col(0, SL_INT), cint(1), ctext("one"), cint(2), ctext("two"));
    cs->has_base = true;
    assert_text_value(eval_with(cs, (struct sl_value){.type = SL_INT, .u.i = 2}, SL_INT), "two");

    struct sl_expr *c = node(EXPR_CAST, SL_INT, 1, ctext(" -12.9e3x"));
    c->cast_to = SL_INT;
    assert_int_value(eval1(c), -12);
    c = node(EXPR_CAST, SL_INT, 1, ctext("99999999999999999999"));
    c->cast_to = SL_INT;
    assert_int_value(eval1(c), INT64_MAX);
    c = node(EXPR_CAST, SL_INT, 1, cdbl(-1e30));
    c->cast_to = SL_INT;
    assert_int_value(eval1(c), INT64_MIN);
    c = node(EXPR_CAST, SL_REAL, 1, ctext("1e3abc"));
    c->cast_to = SL_REAL;
    assert_real_value(eval1(c), 1000.0);
    c = node(EXPR_CAST, SL_TEXT, 1, cdbl(2.0));
    c->cast_to = SL_TEXT;
    assert_text_value(eval1(c), "2.0");
    c = node(EXPR_CAST, SL_TIMESTAMP, 1, ctext("1970-01-01 00:00:01"));
    c->cast_to = SL_TIMESTAMP;
    struct sl_value ts = eval1(c);
    assert_int_equal(ts.type, SL_TIMESTAMP);
    assert_int_equal(ts.u.i, 1000000);
    c = node(EXPR_CAST, SL_TIMESTAMP, 1, cint(5));
    c->cast_to = SL_TIMESTAMP;
    assert_null_value(eval1(c));
    enum sl_type t;
    assert_true(expr_cast_target("boolean", &t));
    assert_int_equal(t, SL_INT);
    assert_false(expr_cast_target("NUMERIC", &t));
}

/* l op r compared under comparison affinity aff, as the binder sets it up. */
static struct sl_expr *cmp_aff(enum ast_op op, struct sl_expr *l, struct sl_expr *r,
                               enum sl_affinity aff)
{
    struct sl_expr *e = bin(op, l, r);
    enum sl_affinity *a = arena_alloc(A, sizeof *a);
    *a = aff;
    e->cmp_aff = a;
    return e;
}

static void test_affinity(void **state)
{
    (void)state;
    /* SQLite's choice of comparison affinity (datatype3.html 4.2). */
    assert_int_equal(expr_compare_affinity(SL_AFF_NUMERIC, SL_AFF_TEXT), SL_AFF_NUMERIC);
    assert_int_equal(expr_compare_affinity(SL_AFF_NONE, SL_AFF_NUMERIC), SL_AFF_NUMERIC);
    assert_int_equal(expr_compare_affinity(SL_AFF_TEXT, SL_AFF_NONE), SL_AFF_TEXT);
    assert_int_equal(expr_compare_affinity(SL_AFF_NONE, SL_AFF_NONE), SL_AFF_NONE);
    assert_int_equal(expr_compare_affinity(SL_AFF_TIMESTAMP, SL_AFF_TEXT), SL_AFF_TIMESTAMP);
    assert_false(expr_affinity_converts(SL_AFF_NUMERIC, SL_INT));
    assert_true(expr_affinity_converts(SL_AFF_TEXT, SL_REAL));
    assert_false(expr_affinity_converts(SL_AFF_TEXT, SL_TEXT));
    /* NUMERIC: text that is entirely a number becomes it, spaces allowed. */
    struct sl_value seven = {.type = SL_TEXT, .u.s = {" 7.0 ", 5}};
    assert_true(eval_with(cmp_aff(AST_OP_EQ, col(0, SL_TEXT), cint(7), SL_AFF_NUMERIC), seven,
                          SL_TEXT).u.b);
    struct sl_value hex = {.type = SL_TEXT, .u.s = {"0x7", 3}};
    assert_false(eval_with(cmp_aff(AST_OP_EQ, col(0, SL_TEXT), cint(7), SL_AFF_NUMERIC), hex,
                           SL_TEXT).u.b);
    /* TEXT: the number becomes its text, so '10' < 9 as text. */
    struct sl_value ten = {.type = SL_TEXT, .u.s = {"10", 2}};
    assert_true(eval_with(cmp_aff(AST_OP_LT, col(0, SL_TEXT), cint(9), SL_AFF_TEXT), ten,
                          SL_TEXT).u.b);
    assert_true(eval_with(cmp_aff(AST_OP_IS, col(0, SL_TEXT), cdbl(10.0), SL_AFF_TEXT),
                          (struct sl_value){.type = SL_TEXT, .u.s = {"10.0", 4}}, SL_TEXT).u.b);
    /* Without affinity a number is below any text. */
    assert_false(eval_with(bin(AST_OP_LT, col(0, SL_TEXT), cint(9)), ten, SL_TEXT).u.b);
    /* The conversion of one value, as SQLite's NUMERIC affinity does it. */
    struct sl_value v;
    assert_int_equal(sqlval_text_number((struct sl_str){"1e3", 3}, A, &v), 1);
    assert_real_value(v, 1000.0);
    assert_int_equal(sqlval_text_number((struct sl_str){"-12", 3}, A, &v), 1);
    assert_int_value(v, -12);
    assert_int_equal(sqlval_text_number((struct sl_str){"99999999999999999999", 20}, A, &v), 1);
    assert_real_value(v, 1e20);
    assert_int_equal(sqlval_text_number((struct sl_str){"12ab", 4}, A, &v), 0);
    assert_int_equal(sqlval_text_number((struct sl_str){"1e", 2}, A, &v), 0);
    assert_int_equal(sqlval_text_number((struct sl_str){"", 0}, A, &v), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arithmetic),  cmocka_unit_test(test_null_and_division_by_zero),
        cmocka_unit_test(test_overflow),    cmocka_unit_test(test_text_arithmetic),
        cmocka_unit_test(test_comparisons), cmocka_unit_test(test_three_valued_logic),
        cmocka_unit_test(test_concat),      cmocka_unit_test(test_case_and_length),
        cmocka_unit_test(test_split),       cmocka_unit_test(test_registry),
        cmocka_unit_test(test_selection),   cmocka_unit_test(test_render),
        cmocka_unit_test(test_like_glob_matchers), cmocka_unit_test(test_predicates),
        cmocka_unit_test(test_case_and_cast), cmocka_unit_test(test_affinity),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
