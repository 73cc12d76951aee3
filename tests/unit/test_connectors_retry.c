/* test_connectors_retry.c — backoff with jitter (connectors/retry.c): bounds, doubling, the cap, giving up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "connectors/retry.h"

static struct sl_retry make_retry(int64_t initial_us, int64_t max_us, int64_t attempts)
{
    struct sl_retry r = {.initial_us = initial_us, .max_us = max_us, .attempts = attempts,
                         .delay_us = initial_us, .seed = 12345};
    return r;
}

static void test_waits_double_within_jitter(void **state)
{
    (void)state;
    struct sl_retry r = make_retry(100, 1000, 0);
    int64_t bound = 100;
    for (int i = 0; i < 40; i++) {
        int64_t wait;
        assert_true(retry_failed(&r, &wait));
        assert_true(wait >= bound / 2 && wait <= bound);
        bound = bound * 2 > 1000 ? 1000 : bound * 2;
    }
}

static void test_jitter_spreads(void **state)
{
    (void)state;
    /* Many clients cut off together: their first waits must not all be equal. */
    int64_t lo = INT64_MAX, hi = 0;
    for (int i = 0; i < 50; i++) {
        struct sl_retry r = make_retry(1000000, 5000000, 0);
        r.seed = 0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1);
        int64_t wait;
        assert_true(retry_failed(&r, &wait));
        lo = wait < lo ? wait : lo;
        hi = wait > hi ? wait : hi;
    }
    assert_true(hi - lo > 100000);
}

static void test_gives_up_and_success_resets(void **state)
{
    (void)state;
    struct sl_retry r = make_retry(10, 100, 3);
    int64_t wait;
    for (int i = 0; i < 3; i++)
        assert_true(retry_failed(&r, &wait));
    assert_false(retry_failed(&r, &wait));
    retry_succeeded(&r);
    assert_true(retry_failed(&r, &wait));
    assert_true(wait >= 5 && wait <= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_waits_double_within_jitter),
        cmocka_unit_test(test_jitter_spreads),
        cmocka_unit_test(test_gives_up_and_success_resets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
