/*
 * test_storage_state.c — operator state rows (_sluice_state): upsert,
 * iteration in (op, key) order with the bytes as written (the empty key
 * included), a failing callback stopping the walk, deletion per query; the
 * state log (each key's newest row, truncation, bounds); and
 * the checkpoint's plan fingerprint, written, read back, and added to a
 * checkpoint table from before it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "storage/state.h"
#include "test_storage_util.h"

struct seen {
    char text[512];
    size_t len;
    int stop_after; /* 0: never */
};

static sl_status collect(void *ctx, const char *table, int64_t op, const unsigned char *key,
                         size_t key_len, const unsigned char *state, size_t state_len,
                         struct sl_error *err)
{
    struct seen *s = ctx;
    if (strcmp(table, "_sluice_state") != 0)
        s->len += (size_t)snprintf(s->text + s->len, sizeof s->text - s->len, "log ");
    s->len += (size_t)snprintf(s->text + s->len, sizeof s->text - s->len, "%lld:%.*s=%.*s;",
                               (long long)op, (int)key_len, (const char *)key, (int)state_len,
                               (const char *)state);
    if (s->stop_after && --s->stop_after == 0)
        return sl_error_set(err, SL_ERROR, "stopped");
    return SL_OK;
}

static void test_put_each_delete(void **state)
{
    struct tmp_db *t = *state;
    struct sl_error err = {0};
    assert_int_equal(db_state_put(t->db, "q", 3, "b", 1, "1", 1, &err), SL_OK);
    assert_int_equal(db_state_put(t->db, "q", 3, "a", 1, "2", 1, &err), SL_OK);
    assert_int_equal(db_state_put(t->db, "q", 3, "b", 1, "33", 2, &err), SL_OK);
    assert_int_equal(db_state_put(t->db, "q", 1, NULL, 0, "x", 1, &err), SL_OK);
    assert_int_equal(db_state_put(t->db, "other", 3, "a", 1, "9", 1, &err), SL_OK);
    struct seen s = {0};
    assert_int_equal(db_state_each(t->db, "Q", collect, &s, &err), SL_OK);
    assert_string_equal(s.text, "1:=x;3:a=2;3:b=33;");
    struct seen stop = {.stop_after = 2};
    assert_int_equal(db_state_each(t->db, "q", collect, &stop, &err), SL_ERROR);
    assert_string_equal(err.msg, "stopped");
    assert_string_equal(stop.text, "1:=x;3:a=2;");
    assert_int_equal(db_state_delete(t->db, "q", &err), SL_OK);
    struct seen none = {0};
    assert_int_equal(db_state_each(t->db, "q", collect, &none, &err), SL_OK);
    assert_string_equal(none.text, "");
    struct seen kept = {0};
    assert_int_equal(db_state_each(t->db, "other", collect, &kept, &err), SL_OK);
    assert_string_equal(kept.text, "3:a=9;");
}

/* The log: each key's newest row is read back (beside the keyed table's
 * rows, in (op, key) order); truncating drops an operator's older rows;
 * bounds count rows and give the next seq; deleting the query's state empties it. */
/* One row into the log, one-letter key and state. */
static sl_status append1(struct sl_db *db, uint64_t seq, uint32_t op, const char *key,
                         const char *st, struct sl_error *err)
{
    struct db_state_row row = {key, strlen(key), st, strlen(st)};
    return db_state_log_append(db, "q", seq, op, &row, 1, err);
}

/* 70 rows in one call: two whole statements of DB_STATE_LOG_ROWS and six
 * rows one by one, each numbered in turn; the newest row of each key wins. */
static void test_state_log_many(void **state)
{
    struct tmp_db *t = *state;
    struct sl_error err = {0};
    struct db_state_row rows[70];
    static const char keys[] = "abcdefghij";
    char states[70][4];
    for (int i = 0; i < 70; i++) {
        snprintf(states[i], sizeof states[i], "%d", i);
        rows[i] = (struct db_state_row){&keys[i % 10], 1, states[i], strlen(states[i])};
    }
    assert_int_equal(db_state_log_append(t->db, "q", 100, 0, rows, 70, &err), SL_OK);
    uint64_t n, next;
    assert_int_equal(db_state_log_bounds(t->db, "q", &n, &next, &err), SL_OK);
    assert_true(n == 70 && next == 170);
    struct seen s = {0};
    assert_int_equal(db_state_each(t->db, "q", collect, &s, &err), SL_OK);
    assert_string_equal(s.text, "log 0:a=60;log 0:b=61;log 0:c=62;log 0:d=63;log 0:e=64;"
                                "log 0:f=65;log 0:g=66;log 0:h=67;log 0:i=68;log 0:j=69;");
}

static void test_state_log(void **state)
{
    struct tmp_db *t = *state;
    struct sl_error err = {0};
    uint64_t rows, next;
    assert_int_equal(db_state_log_bounds(t->db, "q", &rows, &next, &err), SL_OK);
    assert_true(rows == 0 && next == 0);
    assert_int_equal(append1(t->db, 0, 0, "b", "1", &err), SL_OK);
    assert_int_equal(append1(t->db, 1, 0, "a", "2", &err), SL_OK);
    assert_int_equal(append1(t->db, 2, 0, "b", "3", &err), SL_OK);
    assert_int_equal(append1(t->db, 3, 1, "c", "4", &err), SL_OK);
    assert_int_equal(db_state_put(t->db, "q", 0, "a", 1, "k", 1, &err), SL_OK);
    struct seen s = {0};
    assert_int_equal(db_state_each(t->db, "q", collect, &s, &err), SL_OK);
    assert_string_equal(s.text, "0:a=k;log 0:a=2;log 0:b=3;log 1:c=4;");
    assert_int_equal(db_state_log_bounds(t->db, "Q", &rows, &next, &err), SL_OK);
    assert_true(rows == 4 && next == 4);
    /* Operator 0 appended every group again at 4 and 5; what came before goes. */
    assert_int_equal(append1(t->db, 4, 0, "a", "5", &err), SL_OK);
    assert_int_equal(append1(t->db, 5, 0, "b", "6", &err), SL_OK);
    assert_int_equal(db_state_log_truncate(t->db, "q", 0, 4, &err), SL_OK);
    assert_int_equal(db_state_log_bounds(t->db, "q", &rows, &next, &err), SL_OK);
    assert_true(rows == 3 && next == 6);
    struct seen after = {0};
    assert_int_equal(db_state_delete(t->db, "q", &err), SL_OK);
    assert_int_equal(db_state_each(t->db, "q", collect, &after, &err), SL_OK);
    assert_string_equal(after.text, "");
    assert_int_equal(db_state_log_bounds(t->db, "q", &rows, &next, &err), SL_OK);
    assert_true(rows == 0 && next == 0);
}

static void test_checkpoint_plan(void **state)
{
    struct tmp_db *t = *state;
    struct sl_error err = {0};
    struct db_checkpoint c = {.batch_id = 4, .offset = 10};
    snprintf(c.plan, sizeof c.plan, "%s", "00ff");
    assert_int_equal(db_checkpoint_put(t->db, "q", &c, &err), SL_OK);
    struct db_checkpoint got;
    bool found;
    assert_int_equal(db_checkpoint_get(t->db, "q", &got, &found, &err), SL_OK);
    assert_true(found);
    assert_string_equal(got.plan, "00ff");
    c.plan[0] = '\0';
    assert_int_equal(db_checkpoint_put(t->db, "q", &c, &err), SL_OK);
    assert_int_equal(db_checkpoint_get(t->db, "q", &got, &found, &err), SL_OK);
    assert_string_equal(got.plan, "");
}

/* A checkpoint table from before the plan column gets it on open. */
static void test_checkpoint_upgrade(void **state)
{
    char path[128];
    struct sl_db *db = tmp_db_open_old(
        *state,
        "CREATE TABLE _sluice_checkpoints(query TEXT PRIMARY KEY COLLATE NOCASE, batch_id INTEGER "
        "NOT NULL, source TEXT, \"offset\" INTEGER NOT NULL, identity TEXT, committed TEXT);"
        "INSERT INTO _sluice_checkpoints VALUES ('q', 2, 's', 7, NULL, 'x');",
        path);
    assert_non_null(db);
    struct sl_error err = {0};
    struct db_checkpoint got;
    bool found;
    assert_int_equal(db_checkpoint_get(db, "q", &got, &found, &err), SL_OK);
    assert_true(found);
    assert_int_equal(got.offset, 7);
    assert_string_equal(got.plan, "");
    db_close(db);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_put_each_delete, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_state_log, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_state_log_many, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_checkpoint_plan, tmp_db_setup, tmp_db_teardown),
        cmocka_unit_test_setup_teardown(test_checkpoint_upgrade, tmp_db_setup, tmp_db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
