/*
 * test_runtime_journal.c — a query's journal (engine/runtime/journal.c over
 * storage/journal.c): what a source hands out is committed before it is
 * returned, offsets run on across runs, a resume replays from the
 * checkpoint's offset and drops an incomplete record at the end, a batch's
 * trim forgets what its checkpoint passed, a reset (starting over) forgets
 * it all, and an offset the journal does not hold is an error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "engine/runtime/journal.h"
#include "storage/journal.h"
#include "test_storage_util.h"

/* Reads the journal (then src, if not NULL) until nothing more comes; returns what it got. */
static const char *read_all(struct sl_journal *j, struct sl_source *src, char *out, size_t cap)
{
    size_t len = 0;
    struct sl_error err = {0};
    for (;;) {
        size_t n = 0;
        sl_status st = j->pos < j->end || src ? journal_read(j, src, out + len, 3, &n, 0, &err)
                                              : SL_EOF;
        if (st != SL_OK || n == 0)
            break;
        len += n;
        assert_true(len < cap);
    }
    out[len] = '\0';
    return out;
}

static void test_source_bytes_committed_before_use(void **state)
{
    struct tmp_db *t = *state;
    struct sl_error err = {0};
    char file[128], out[64];
    snprintf(file, sizeof file, "%s/in.txt", t->dir);
    FILE *f = fopen(file, "w");
    fputs("1\n22\n333\n", f);
    fclose(f);
    struct sl_source_spec spec = {.connector = connector_find("FILE", false), .address = file};
    struct sl_source *src;
    assert_int_equal(source_open(&spec, &src, &err), SL_OK);
    struct sl_journal *j;
    assert_int_equal(journal_open(t->db, "q", &j, &err), SL_OK);
    assert_string_equal(read_all(j, src, out, sizeof out), "1\n22\n333\n");
    uint64_t first, end;
    assert_int_equal(db_journal_bounds(t->db, "q", &first, &end, &err), SL_OK);
    assert_int_equal(first, 0);
    assert_int_equal(end, 9);
    /* A batch that committed up to byte 5 trims the rows ending there or before. */
    assert_int_equal(journal_trim(j, 5, &err), SL_OK);
    assert_int_equal(db_journal_bounds(t->db, "q", &first, &end, &err), SL_OK);
    assert_int_equal(first, 3);
    assert_int_equal(end, 9);
    journal_close(j);
    source_close(src);
}

static void test_resume_replays_and_drops_incomplete_record(void **state)
{
    struct tmp_db *t = *state;
    struct sl_error err = {0};
    char out[64];
    assert_int_equal(db_journal_append(t->db, "q", 100, "a\nbb", 4, &err), SL_OK);
    assert_int_equal(db_journal_append(t->db, "q", 104, "b\nc", 3, &err), SL_OK);
    assert_int_equal(db_journal_append(t->db, "q", 107, "cc", 2, &err), SL_OK);
    struct sl_journal *j;
    assert_int_equal(journal_open(t->db, "Q", &j, &err), SL_OK);
    uint64_t dropped;
    assert_int_equal(journal_seek(j, 102, &dropped, &err), SL_OK);
    assert_int_equal(dropped, 3);
    assert_string_equal(read_all(j, NULL, out, sizeof out), "bbb\n");
    uint64_t first, end;
    assert_int_equal(db_journal_bounds(t->db, "q", &first, &end, &err), SL_OK);
    assert_int_equal(end, 106);
    journal_close(j);

    /* Past its end, or before its first byte: refused. */
    assert_int_equal(journal_open(t->db, "q", &j, &err), SL_OK);
    assert_int_equal(journal_seek(j, 107, &dropped, &err), SL_ERROR);
    assert_non_null(strstr(err.msg, "holds bytes 100 to 106"));
    assert_int_equal(journal_seek(j, 99, &dropped, &err), SL_ERROR);
    /* A record with no newline after the checkpoint is all dropped. */
    assert_int_equal(journal_seek(j, 106, &dropped, &err), SL_OK);
    assert_int_equal(dropped, 0);
    journal_close(j);
}

static void test_empty_journal_starts_at_checkpoint(void **state)
{
    struct tmp_db *t = *state;
    struct sl_error err = {0};
    struct sl_journal *j;
    assert_int_equal(journal_open(t->db, "q", &j, &err), SL_OK);
    uint64_t dropped;
    assert_int_equal(journal_seek(j, 5000, &dropped, &err), SL_OK);
    assert_int_equal(j->pos, 5000);
    assert_int_equal(j->end, 5000);
    journal_close(j);
    /* A query that starts over forgets what its journal held. */
    assert_int_equal(db_journal_append(t->db, "q", 0, "x\n", 2, &err), SL_OK);
    assert_int_equal(journal_open(t->db, "q", &j, &err), SL_OK);
    assert_int_equal(j->end, 2);
    assert_int_equal(journal_reset(j, &err), SL_OK);
    assert_true(j->pos == 0 && j->end == 0);
    journal_close(j);
    uint64_t first, end;
    assert_int_equal(db_journal_bounds(t->db, "q", &first, &end, &err), SL_OK);
    assert_int_equal(end, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_source_bytes_committed_before_use, tmp_db_setup,
                                        tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_resume_replays_and_drops_incomplete_record,
                                        tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_empty_journal_starts_at_checkpoint, tmp_db_setup,
                                        tmp_db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
