/*
 * agg_call.h — shared by the aggregate unit tests: an aggregate's final value, checked to have
 * been computed (final says SL_NOMEM only when memory runs out, which these tests do not cause).
 */
#ifndef SL_TEST_AGG_CALL_H
#define SL_TEST_AGG_CALL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/aggregates/aggregate.h"

static inline struct sl_value agg_value(const struct sl_agg_fn *fn, const void *state,
                                        enum sl_type arg, struct sl_arena *out)
{
    struct sl_value v = {.type = SL_NULL};
    assert_int_equal(fn->final(state, arg, out, &v), SL_OK);
    return v;
}

#endif
