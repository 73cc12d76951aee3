/* test_functions_json.c — json_extract() (SQLite's types and paths; expected values
 * are sqlite3 3.40's) and the PCRE2 functions regexp_like() / regexp_extract(), including a
 * chunk whose rows change pattern, skip rows through a selection and carry a bad pattern. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "engine/functions/function.h"
#include "fn_call.h"

static void test_json_extract(void **state)
{
    (void)state;
    const char *doc = "{\"a\":{\"b\":[1,2.5,\"x\",true,false,null,{\"c\":[]}]},\"k.d\":7}";
    is_int(call("json_extract", 2, T(doc), T("$.a.b[0]")), 1);
    is_real(call("json_extract", 2, T(doc), T("$.a.b[1]")), 2.5);
    is_text(call("json_extract", 2, T(doc), T("$.a.b[2]")), "x");
    is_int(call("json_extract", 2, T(doc), T("$.a.b[3]")), 1);
    is_int(call("json_extract", 2, T(doc), T("$.a.b[4]")), 0);
    is_null(call("json_extract", 2, T(doc), T("$.a.b[5]")));
    is_text(call("json_extract", 2, T(doc), T("$.a.b[6]")), "{\"c\":[]}");
    is_text(call("json_extract", 2, T(doc), T("$.a.b[#-1]")), "{\"c\":[]}");
    is_null(call("json_extract", 2, T(doc), T("$.a.b[#]")));
    is_null(call("json_extract", 2, T(doc), T("$.a.b[99999999999999999999999]")));
    is_int(call("json_extract", 2, T(doc), T("$.\"k.d\"")), 7);
    is_text(call("json_extract", 2, T("[1, [2, 3.25, \"t\\n\"]]"), T("$[1]")),
            "[2,3.25,\"t\\n\"]");
    is_text(call("json_extract", 2, T("{\"r\":[100.0,0.1]}"), T("$.r")), "[100.0,0.1]");
    is_null(call("json_extract", 2, T(doc), T("$.nothere")));
    is_null(call("json_extract", 2, T(doc), T("$.a.b.c")));
    is_int(call("json_extract", 2, I(42), T("$")), 42);
    is_text(call("json_extract", 2, T("\"s\""), T("$")), "s");
    /* Where SQLite raises an error: NULL. */
    is_null(call("json_extract", 2, T("{\"a\":"), T("$.a")));
    is_null(call("json_extract", 2, T(doc), T("a.b")));
    is_null(call("json_extract", 2, T(doc), T("$.a[")));
    is_null(call("json_extract", 2, N, T("$")));
    is_null(call("json_extract", 2, T(doc), N));
}

static void test_regexp_single(void **state)
{
    (void)state;
    is_int(call("regexp_like", 2, T("hello world"), T("w.r")), 1);
    is_int(call("regexp_like", 2, T("hello"), T("^W")), 0);
    is_int(call("regexp_like", 2, I(12345), T("^\\d+$")), 1);
    is_null(call("regexp_like", 2, N, T("x")));
    is_null(call("regexp_like", 2, T("a"), T("(")));
    is_text(call("regexp_extract", 2, T("key=value"), T("(\\w+)=(\\w+)")), "key=value");
    is_text(call("regexp_extract", 3, T("key=value"), T("(\\w+)=(\\w+)"), I(2)), "value");
    is_text(call("regexp_extract", 2, T("Straße 12"), T("^\\w+")), "Straße");
    is_null(call("regexp_extract", 2, T("abc"), T("x")));
    is_null(call("regexp_extract", 3, T("abc"), T("(x)?b"), I(1))); /* group took no part */
    is_null(call("regexp_extract", 3, T("abc"), T("b"), I(1)));     /* no such group */
    is_null(call("regexp_extract", 3, T("abc"), T("b"), I(-1)));
}

/* Six rows, row 3 left out by the selection; patterns change between rows and one is bad. */
static void test_regexp_chunk(void **state)
{
    (void)state;
    const char *texts[] = {"a1", "b22", "c333", "skipped", "d4", NULL};
    const char *pats[] = {"\\d+", "\\d+", "[a-z]", "(", "(", "\\d"};
    struct sl_vector args[2], out;
    assert_int_equal(vector_init(A, SL_TEXT, &args[0]), SL_OK);
    assert_int_equal(vector_init(A, SL_TEXT, &args[1]), SL_OK);
    for (uint32_t i = 0; i < 6; i++) {
        vector_set(&args[0], i, texts[i] ? T(texts[i]) : N);
        vector_set(&args[1], i, T(pats[i]));
    }
    uint32_t sel[] = {0, 1, 2, 4, 5};
    struct sl_chunk rows = {.count = 6, .sel = sel, .nsel = 5, .arena = A};
    struct sl_error err = {0};
    const struct sl_scalar_fn *fn = function_lookup("regexp_extract");
    assert_int_equal(vector_init(A, SL_TEXT, &out), SL_OK);
    assert_int_equal(fn->eval(args, 2, &rows, &out, &err), SL_OK);
    is_text(vector_get(&out, 0), "1");
    is_text(vector_get(&out, 1), "22");
    is_text(vector_get(&out, 2), "c");
    assert_true(out.nulls[4]); /* bad pattern */
    assert_true(out.nulls[5]); /* NULL text */
    fn = function_lookup("regexp_like");
    assert_int_equal(vector_init(A, SL_BOOL, &out), SL_OK);
    assert_int_equal(fn->eval(args, 2, &rows, &out, &err), SL_OK);
    assert_true(out.data.b[0] && out.data.b[1] && out.data.b[2]);
    assert_true(out.nulls[4] && out.nulls[5]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_extract),
        cmocka_unit_test(test_regexp_single),
        cmocka_unit_test(test_regexp_chunk),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
