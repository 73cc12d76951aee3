/* test_storage_stream_log.c — a push stream's log rows, its readers and its trim (storage/stream_log.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "storage/stream_log.h"
#include "test_storage_util.h"

static void append(struct sl_db *db, const char *stream, uint64_t first, uint32_t records,
                   const char *data)
{
    struct sl_error err = {0};
    assert_int_equal(db_log_append(db, stream, first, records, data, strlen(data), &err), SL_OK);
}

static void test_rows_by_position(void **state)
{
    struct tmp_db *t = *state;
    struct sl_error err = {0};
    append(t->db, "s", 0, 3, "abc");
    append(t->db, "s", 3, 2, "de");
    append(t->db, "other", 0, 9, "x");
    struct db_log_bounds b;
    assert_int_equal(db_log_bounds(t->db, "s", &b, &err), SL_OK);
    assert_int_equal(b.first, 0);
    assert_int_equal(b.next, 5);
    assert_int_equal(b.bytes, 5);

    struct sl_buf out;
    buf_init(&out);
    uint64_t first;
    uint32_t records;
    bool found;
    /* A position inside a row finds that row; its end finds the next; past the end, none. */
    const uint64_t positions[] = {0, 2, 3, 4, 5};
    const uint64_t firsts[] = {0, 0, 3, 3};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(db_log_row(t->db, "s", positions[i], &first, &records, &out, &found, &err),
                         SL_OK);
        assert_int_equal(found, i < 4);
        if (found) {
            assert_int_equal(first, firsts[i]);
            assert_int_equal(out.len, first == 0 ? 3 : 2);
        }
    }
    buf_free(&out);
}

static void test_trim_waits_for_every_reader(void **state)
{
    struct tmp_db *t = *state;
    struct sl_error err = {0};
    append(t->db, "s", 0, 3, "abc");
    append(t->db, "s", 3, 2, "de");
    append(t->db, "s", 5, 1, "f");
    assert_int_equal(db_log_reader_commit(t->db, "s", "fast", 6, &err), SL_OK);
    struct rows_text r;
    /* One reader alone: every row it passed goes. */
    assert_string_equal(rows_of(t->db, "SELECT first FROM _sluice_log", &r), "first\n");
    append(t->db, "s", 6, 2, "gh");
    append(t->db, "s", 8, 2, "ij");
    assert_int_equal(db_log_reader_commit(t->db, "s", "slow", 7, &err), SL_OK);
    assert_int_equal(db_log_reader_commit(t->db, "s", "fast", 10, &err), SL_OK);
    /* The slow reader is inside the row at 6: it stays, and what follows. */
    assert_string_equal(rows_of(t->db, "SELECT first FROM _sluice_log ORDER BY first", &r),
                        "first\n6\n8\n");
    uint64_t next = 0;
    bool found;
    assert_int_equal(db_log_reader_get(t->db, "s", "SLOW", &next, &found, &err), SL_OK);
    assert_true(found);
    assert_int_equal(next, 7);
    /* A reader forgotten (DROP QUERY) holds nothing back any more. */
    assert_int_equal(db_log_reader_delete(t->db, "slow", &err), SL_OK);
    assert_int_equal(db_log_reader_commit(t->db, "s", "fast", 10, &err), SL_OK);
    assert_string_equal(rows_of(t->db, "SELECT count(*) FROM _sluice_log", &r), "count(*)\n0\n");
    /* An emptied log still counts on from its readers' place. */
    struct db_log_bounds b;
    assert_int_equal(db_log_bounds(t->db, "s", &b, &err), SL_OK);
    assert_int_equal(b.next, 10);
    assert_int_equal(b.first, 10);
    assert_int_equal(b.bytes, 0);
    /* DROP STREAM: its log and readers go. */
    assert_int_equal(db_log_delete(t->db, "s", &err), SL_OK);
    assert_string_equal(rows_of(t->db, "SELECT count(*) FROM _sluice_log_readers", &r),
                        "count(*)\n0\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rows_by_position, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_trim_waits_for_every_reader, tmp_db_setup,
                                        tmp_db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
