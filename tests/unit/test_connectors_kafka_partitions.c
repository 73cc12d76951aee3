/* Unit tests for a KAFKA stream's partition sets ('0-1,3') and checkpoint positions ("0:12,3:7"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/alloc.h"
#include "connectors/kafka_partitions.h"

static void test_partition_sets(void **state)
{
    (void)state;
    int32_t *ids;
    size_t n;
    assert_null(kafka_parse_partition_set("3, 0-1,1", &ids, &n));
    assert_int_equal(n, 3);
    assert_int_equal(ids[0], 0);
    assert_int_equal(ids[1], 1);
    assert_int_equal(ids[2], 3);
    sl_free(ids);
    assert_null(kafka_parse_partition_set("7", &ids, &n));
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], 7);
    sl_free(ids);
    static const char *const bad[] = {"", "a", "1-", "-1", "2-1", "1,", "1,,2", "1 2", "0-100000",
                                      "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_non_null(kafka_parse_partition_set(bad[i], &ids, &n));
        assert_null(ids);
        assert_int_equal(n, 0);
    }
}

struct found {
    int32_t ids[8];
    int64_t next[8];
    size_t n;
};

static void remember(void *ctx, int32_t id, int64_t next)
{
    struct found *f = ctx;
    f->ids[f->n] = id;
    f->next[f->n++] = next;
}

static void test_positions_round_trip(void **state)
{
    (void)state;
    const struct kafka_partition parts[] = {
        {.id = 0, .next = 12, .end = -1},
        {.id = 2, .next = -1, .end = -1}, /* not known yet: not written */
        {.id = 3, .next = INT64_MAX, .end = -1},
    };
    struct sl_buf text;
    buf_init(&text);
    kafka_position_write(parts, 3, &text);
    assert_string_equal(buf_str(&text), "0:12,3:9223372036854775807");
    struct found f = {0};
    assert_true(kafka_position_read(buf_str(&text), remember, &f));
    assert_int_equal(f.n, 2);
    assert_int_equal(f.ids[1], 3);
    assert_int_equal(f.next[1], INT64_MAX);
    buf_free(&text);
    assert_true(kafka_position_read("", remember, &f));
    static const char *const bad[] = {"0", "0:", ":1", "0:1,", "0:1;1:2", "0:-1",
                                      "0:9223372036854775808"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        f.n = 0;
        assert_false(kafka_position_read(bad[i], remember, &f));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partition_sets),
        cmocka_unit_test(test_positions_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
