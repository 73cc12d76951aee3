/*
 * fn_call.h — shared by the function unit tests: calls a scalar function from
 * the registry on one row of literal values, as the binder and a chunk would,
 * and checks the value (and type) it returns. One arena per test group.
 */
#ifndef SL_TEST_FN_CALL_H
#define SL_TEST_FN_CALL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "engine/functions/function.h"

static struct sl_arena *A;

static inline int setup(void **state)
{
    (void)state;
    A = arena_create(0);
    return A ? 0 : -1;
}

static inline int teardown(void **state)
{
    (void)state;
    arena_destroy(A);
    return 0;
}

static inline struct sl_value I(int64_t i)
{
    return (struct sl_value){.type = SL_INT, .u.i = i};
}

static inline struct sl_value R(double r)
{
    return (struct sl_value){.type = SL_REAL, .u.r = r};
}

static inline struct sl_value T(const char *s)
{
    return (struct sl_value){.type = SL_TEXT, .u.s = {s, (uint32_t)strlen(s)}};
}

static const struct sl_value N = {.type = SL_NULL};

/* Calls fn over a one-row chunk whose argument vectors have the arguments' own static types
 * (NULL arguments typed SL_NULL), as the binder would. */
static inline struct sl_value call(const char *name, int nargs, ...)
{
    const struct sl_scalar_fn *fn = function_lookup(name);
    assert_non_null(fn);
    struct sl_vector args[16];
    enum sl_type types[16];
    va_list ap;
    va_start(ap, nargs);
    for (int a = 0; a < nargs; a++) {
        struct sl_value v = va_arg(ap, struct sl_value);
        types[a] = v.type;
        assert_int_equal(vector_init(A, v.type, &args[a]), SL_OK);
        vector_set(&args[a], 0, v);
    }
    va_end(ap);
    enum sl_type rt;
    char why[128];
    assert_true(fn->infer(types, nargs, &rt, why, sizeof why));
    struct sl_chunk rows = {.count = 1, .arena = A};
    struct sl_vector out;
    assert_int_equal(vector_init(A, rt, &out), SL_OK);
    struct sl_error err = {0};
    assert_int_equal(fn->eval(args, nargs, &rows, &out, &err), SL_OK);
    if (out.type != SL_ANY && out.nulls[0])
        return N;
    struct sl_value v = vector_get(&out, 0);
    if (v.type == SL_BOOL)
        v = I(v.u.b);
    return v;
}

static inline void is_text(struct sl_value v, const char *want)
{
    assert_int_equal(v.type, SL_TEXT);
    assert_int_equal(v.u.s.len, strlen(want));
    assert_memory_equal(v.u.s.ptr, want, v.u.s.len);
}

static inline void is_int(struct sl_value v, int64_t want)
{
    assert_int_equal(v.type, SL_INT);
    assert_true(v.u.i == want);
}

static inline void is_real(struct sl_value v, double want)
{
    assert_int_equal(v.type, SL_REAL);
    assert_true(v.u.r == want);
}

static inline void is_null(struct sl_value v)
{
    assert_int_equal(v.type, SL_NULL);
}

#endif
