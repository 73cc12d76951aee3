/*
 * test_storage_result_table.c — result tables: creation (keyed, unkeyed,
 * quoted names), changelog row kinds including a NULL key, crash-replay
 * safety, value encoding of every type, and the update using the key index.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/chunk.h"
#include "common/time.h"
#include "storage/result_table.h"
#include "storage/result_table_internal.h"
#include "test_storage_util.h"

struct fixture {
    struct tmp_db tmp;
    struct sl_arena *arena;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    tmp_db_make_dir(&f->tmp);
    struct sl_error err = {0};
    if (db_open(f->tmp.path, NULL, &f->tmp.db, &err) != SL_OK)
        return -1;
    f->arena = arena_create(0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    arena_destroy(f->arena);
    db_close(f->tmp.db);
    tmp_db_remove_dir(&f->tmp);
    free(f);
    return 0;
}

static struct sl_str str(const char *s)
{
    struct sl_str out = {s, (uint32_t)strlen(s)};
    return out;
}

static struct sl_value v_int(int64_t i)
{
    struct sl_value v = {.type = SL_INT, .u.i = i};
    return v;
}

static struct sl_value v_text(const char *s)
{
    struct sl_value v = {.type = SL_TEXT, .u.s = str(s)};
    return v;
}

/* A (word TEXT, n INTEGER) chunk; word NULL when words[i] is NULL. */
static struct sl_chunk *word_chunk(struct fixture *f, uint32_t count, const char *const *words,
                                   const int64_t *ns, const uint8_t *kinds)
{
    const enum sl_type types[] = {SL_TEXT, SL_INT};
    struct sl_chunk *c = NULL;
    assert_int_equal(chunk_create(f->arena, 2, types, &c), SL_OK);
    for (uint32_t i = 0; i < count; i++) {
        vector_set(&c->cols[0], i, words[i] ? v_text(words[i]) : sl_null());
        vector_set(&c->cols[1], i, v_int(ns[i]));
    }
    c->count = count;
    if (kinds)
        c->row_kinds = arena_memdup(f->arena, kinds, count);
    return c;
}

static const struct sl_column word_cols[] = {{"word", SL_TEXT}, {"n", SL_INT}};
static const struct sl_schema word_schema = {2, word_cols};
static const bool word_key[] = {true, false};

static uint64_t write_ok(struct sl_result_table *t, const struct sl_chunk *c)
{
    struct sl_error err = {0};
    uint64_t written = 99;
    assert_int_equal(result_table_write(t, c, &written, &err), SL_OK);
    return written;
}

static void test_keyed_row_kinds_with_null_key(void **state)
{
    struct fixture *f = *state;
    struct sl_error err = {0};
    struct sl_result_table *t = NULL;
    assert_int_equal(result_table_open(f->tmp.db, "word_counts", &word_schema, word_key, &t, &err),
                     SL_OK);
    assert_true(db_table_exists(f->tmp.db, "WORD_COUNTS"));

    const char *w1[] = {"a", "b", NULL};
    const int64_t n1[] = {1, 1, 1};
    assert_int_equal(db_begin(f->tmp.db, &err), SL_OK);
    assert_int_equal(write_ok(t, word_chunk(f, 3, w1, n1, NULL)), 3);
    assert_int_equal(db_commit(f->tmp.db, &err), SL_OK);

    const char *w2[] = {"a", NULL, "b", "c"};
    const int64_t n2[] = {2, 5, 0, 0};
    const uint8_t k2[] = {SL_ROW_UPDATE, SL_ROW_UPDATE, SL_ROW_DELETE, SL_ROW_DELETE};
    assert_int_equal(write_ok(t, word_chunk(f, 4, w2, n2, k2)), 3); /* "c" was absent */

    struct rows_text r;
    assert_string_equal(rows_of(f->tmp.db, "SELECT word, n FROM word_counts ORDER BY word", &r),
                        "word|n\nNULL|5\na|2\n");

    /* An INSERT of a NULL key already present updates it (the PK lets NULLs repeat). */
    const char *w3[] = {NULL};
    const int64_t n3[] = {7};
    assert_int_equal(write_ok(t, word_chunk(f, 1, w3, n3, NULL)), 1);
    assert_string_equal(rows_of(f->tmp.db, "SELECT count(*), max(n) FROM word_counts"
                                           " WHERE word IS NULL", &r),
                        "count(*)|max(n)\n1|7\n");
    result_table_close(t);
}

/* Replaying after a crash: INSERT of an existing key updates, UPDATE of a missing key inserts. */
static void test_replay_safety(void **state)
{
    struct fixture *f = *state;
    struct sl_error err = {0};
    struct sl_result_table *t = NULL;
    assert_int_equal(result_table_open(f->tmp.db, "wc", &word_schema, word_key, &t, &err), SL_OK);
    const char *w[] = {"x"};
    const int64_t n1[] = {1}, n2[] = {2}, n3[] = {3};
    const uint8_t upd[] = {SL_ROW_UPDATE};
    assert_int_equal(write_ok(t, word_chunk(f, 1, w, n1, upd)), 1);
    assert_int_equal(write_ok(t, word_chunk(f, 1, w, n2, NULL)), 1);
    struct rows_text r;
    assert_string_equal(rows_of(f->tmp.db, "SELECT * FROM wc", &r), "word|n\nx|2\n");
    assert_int_equal(write_ok(t, word_chunk(f, 1, w, n3, upd)), 1);
    assert_string_equal(rows_of(f->tmp.db, "SELECT * FROM wc", &r), "word|n\nx|3\n");
    result_table_close(t);

    /* Reopening reuses the table as it is. */
    assert_int_equal(result_table_open(f->tmp.db, "wc", &word_schema, word_key, &t, &err), SL_OK);
    assert_string_equal(rows_of(f->tmp.db, "SELECT * FROM wc", &r), "word|n\nx|3\n");
    assert_int_equal(result_table_clear(t, &err), SL_OK);
    assert_string_equal(rows_of(f->tmp.db, "SELECT * FROM wc", &r), "word|n\n");
    result_table_close(t);
    assert_int_equal(result_table_drop(f->tmp.db, "wc", &err), SL_OK);
    assert_false(db_table_exists(f->tmp.db, "wc"));
    assert_int_equal(result_table_drop(f->tmp.db, "wc", &err), SL_OK);
}

static void test_unkeyed_appends_active_rows(void **state)
{
    struct fixture *f = *state;
    struct sl_error err = {0};
    struct sl_result_table *t = NULL;
    assert_int_equal(result_table_open(f->tmp.db, "proj", &word_schema, NULL, &t, &err), SL_OK);
    const char *w[] = {"a", "a", "b", "c"};
    const int64_t n[] = {1, 1, 2, 3};
    struct sl_chunk *c = word_chunk(f, 4, w, n, NULL);
    uint32_t sel[] = {0, 1, 3};
    c->sel = sel;
    c->nsel = 3;
    assert_int_equal(write_ok(t, c), 3);
    struct rows_text r;
    assert_string_equal(rows_of(f->tmp.db, "SELECT * FROM proj ORDER BY rowid", &r),
                        "word|n\na|1\na|1\nc|3\n");
    assert_string_equal(rows_of(f->tmp.db, "SELECT sql FROM sqlite_master WHERE name = 'proj'",
                                &r),
                        "sql\nCREATE TABLE \"proj\"(\"word\" TEXT, \"n\" INTEGER)\n");
    result_table_close(t);
}

/* Append-only rows go in groups of one INSERT each, then one by one: 100
 * active rows of 150 (a selection), each row's timestamp, text and NULLs
 * where they belong, the timestamps' text right within and across seconds
 * and before the epoch. */
static void test_unkeyed_many_rows(void **state)
{
    struct fixture *f = *state;
    struct sl_error err = {0};
    const struct sl_column cols[] = {{"i", SL_INT}, {"ts", SL_TIMESTAMP}, {"s", SL_TEXT}};
    const struct sl_schema schema = {3, cols};
    struct sl_result_table *t = NULL;
    assert_int_equal(result_table_open(f->tmp.db, "many", &schema, NULL, &t, &err), SL_OK);
    const enum sl_type types[] = {SL_INT, SL_TIMESTAMP, SL_TEXT};
    struct sl_chunk *c = NULL;
    assert_int_equal(chunk_create(f->arena, 3, types, &c), SL_OK);
    static char texts[150][8];
    uint32_t *sel = arena_alloc(f->arena, 100 * sizeof *sel);
    for (uint32_t i = 0; i < 150; i++) {
        snprintf(texts[i], sizeof texts[i], "r%u", i);
        /* 1.5 s before the epoch onwards, 0.3 s apart: rows share seconds and cross them. */
        struct sl_value ts = {.type = SL_TIMESTAMP, .u.i = -1500000 + (int64_t)i * 300001};
        vector_set(&c->cols[0], i, v_int(i));
        vector_set(&c->cols[1], i, i % 7 == 3 ? sl_null() : ts);
        vector_set(&c->cols[2], i, i % 5 == 4 ? sl_null() : v_text(texts[i]));
    }
    c->count = 150;
    uint32_t n = 0;
    for (uint32_t i = 0; i < 150; i++)
        if (i % 3 != 1)
            sel[n++] = i;
    c->sel = sel;
    c->nsel = n;
    assert_int_equal(n, 100);
    assert_int_equal(write_ok(t, c), 100);
    struct sl_buf want;
    buf_init(&want);
    buf_puts(&want, "i|ts|s\n");
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = sel[k];
        char ts[32];
        sl_ts_format(-1500000 + (int64_t)i * 300001, ts);
        buf_printf(&want, "%u|%s|%s\n", i, i % 7 == 3 ? "NULL" : ts,
                   i % 5 == 4 ? "NULL" : texts[i]);
    }
    struct rows_text r;
    assert_string_equal(rows_of(f->tmp.db, "SELECT * FROM many ORDER BY rowid", &r),
                        buf_str(&want));
    buf_free(&want);
    result_table_close(t);
}

/* The changelog applied row by row to a map of 46 keys ("k0".."k44", and
 * NULL as key 45): what the table must hold after it. */
struct key_map {
    bool present[46];
    int64_t n[46];
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Keyed rows go in groups of one upsert each where no DELETE or NULL key
 * breaks them, in order: keys repeated within a chunk and a group (the
 * later row wins), deletes and a NULL key among them, over three writes. */
static void test_keyed_many_rows(void **state)
{
    struct fixture *f = *state;
    struct sl_error err = {0};
    struct sl_result_table *t = NULL;
    assert_int_equal(result_table_open(f->tmp.db, "wc", &word_schema, word_key, &t, &err), SL_OK);
    static char names[45][8];
    for (int i = 0; i < 45; i++)
        snprintf(names[i], sizeof names[i], "k%d", i);
    struct key_map m = {0};
    for (int round = 0; round < 3; round++) {
        const char *words[70];
        int64_t ns[70];
        uint8_t kinds[70];
        for (int i = 0; i < 70; i++) {
            /* Round 2: only upserts, of keys written before and repeated within a group. */
            int key = round == 0   ? (i % 40 == 39 ? 45 : i % 40)
                      : round == 1 ? (i % 13 == 0 ? 45 : i % 45)
                                   : i % 20;
            kinds[i] = round == 0   ? SL_ROW_INSERT
                       : round == 1 ? (i % 9 == 4 ? SL_ROW_DELETE : SL_ROW_UPDATE)
                                    : (i % 2 ? SL_ROW_INSERT : SL_ROW_UPDATE);
            words[i] = key == 45 ? NULL : names[key];
            ns[i] = round * 1000 + i;
            m.present[key] = kinds[i] != SL_ROW_DELETE;
            m.n[key] = ns[i];
        }
        write_ok(t, word_chunk(f, 70, words, ns, kinds));
    }
    const char *sorted[45];
    int nsorted = 0;
    for (int i = 0; i < 45; i++)
        if (m.present[i])
            sorted[nsorted++] = names[i];
    qsort(sorted, (size_t)nsorted, sizeof *sorted, cmp_str);
    struct sl_buf want;
    buf_init(&want);
    buf_puts(&want, "word|n\n");
    if (m.present[45])
        buf_printf(&want, "NULL|%lld\n", (long long)m.n[45]);
    for (int i = 0; i < nsorted; i++)
        buf_printf(&want, "%s|%lld\n", sorted[i], (long long)m.n[atoi(sorted[i] + 1)]);
    struct rows_text r;
    assert_string_equal(rows_of(f->tmp.db, "SELECT word, n FROM wc ORDER BY word", &r),
                        buf_str(&want));
    buf_free(&want);
    result_table_close(t);
}

/* A sole INTEGER key must not become the rowid: NULL and text keys still work. */
static void test_sole_integer_key_is_not_rowid(void **state)
{
    struct fixture *f = *state;
    struct sl_error err = {0};
    const struct sl_column cols[] = {{"id", SL_INT}, {"v", SL_INT}};
    const struct sl_schema schema = {2, cols};
    const bool key[] = {true, false};
    struct sl_result_table *t = NULL;
    assert_int_equal(result_table_open(f->tmp.db, "ids", &schema, key, &t, &err), SL_OK);
    const enum sl_type types[] = {SL_INT, SL_INT};
    struct sl_chunk *c = NULL;
    assert_int_equal(chunk_create(f->arena, 2, types, &c), SL_OK);
    vector_set(&c->cols[0], 0, sl_null());
    vector_set(&c->cols[1], 0, v_int(1));
    vector_set(&c->cols[0], 1, sl_null());
    vector_set(&c->cols[1], 1, v_int(2));
    c->count = 2;
    assert_int_equal(write_ok(t, c), 2);
    struct rows_text r;
    assert_string_equal(rows_of(f->tmp.db, "SELECT id, v FROM ids", &r), "id|v\nNULL|2\n");
    result_table_close(t);
}

/* Key-only tables: an update of an existing key changes nothing and inserts nothing. */
static void test_key_only_table(void **state)
{
    struct fixture *f = *state;
    struct sl_error err = {0};
    const bool keys[] = {true, true};
    struct sl_result_table *t = NULL;
    assert_int_equal(result_table_open(f->tmp.db, "pairs", &word_schema, keys, &t, &err), SL_OK);
    const char *w[] = {"a", "a", NULL, NULL};
    const int64_t n[] = {1, 1, 1, 1};
    const uint8_t kinds[] = {SL_ROW_INSERT, SL_ROW_UPDATE, SL_ROW_UPDATE, SL_ROW_INSERT};
    assert_int_equal(write_ok(t, word_chunk(f, 4, w, n, kinds)), 4);
    struct rows_text r;
    assert_string_equal(rows_of(f->tmp.db, "SELECT * FROM pairs ORDER BY word", &r),
                        "word|n\nNULL|1\na|1\n");
    const uint8_t del[] = {SL_ROW_DELETE, SL_ROW_DELETE, SL_ROW_DELETE, SL_ROW_DELETE};
    assert_int_equal(write_ok(t, word_chunk(f, 4, w, n, del)), 2);
    assert_string_equal(rows_of(f->tmp.db, "SELECT * FROM pairs", &r), "word|n\n");
    result_table_close(t);
}

static void test_value_types_round_trip(void **state)
{
    struct fixture *f = *state;
    struct sl_error err = {0};
    const struct sl_column cols[] = {{"b", SL_BOOL},      {"i", SL_INT},   {"r", SL_REAL},
                                     {"t", SL_TEXT},      {"ts", SL_TIMESTAMP},
                                     {"arr", SL_ARRAY},   {"any", SL_ANY}};
    const struct sl_schema schema = {7, cols};
    const enum sl_type types[] = {SL_BOOL, SL_INT, SL_REAL, SL_TEXT, SL_TIMESTAMP, SL_ARRAY,
                                  SL_ANY};
    struct sl_result_table *t = NULL;
    assert_int_equal(result_table_open(f->tmp.db, "vals", &schema, NULL, &t, &err), SL_OK);

    struct sl_chunk *c = NULL;
    assert_int_equal(chunk_create(f->arena, 7, types, &c), SL_OK);
    struct sl_value items[6] = {v_text("he said \"hi\"\n\\"), v_int(-3), sl_null(),
                                {.type = SL_REAL, .u.r = 0.1}, {.type = SL_REAL, .u.r = 2.0},
                                {.type = SL_BOOL, .u.b = true}};
    struct sl_array arr = {6, items};
    struct sl_array empty = {0, NULL};
    struct sl_value row0[] = {{.type = SL_BOOL, .u.b = true}, v_int(INT64_MIN),
                              {.type = SL_REAL, .u.r = 1.5}, v_text("héllo"),
                              {.type = SL_TIMESTAMP, .u.i = INT64_C(1700000000000001)},
                              {.type = SL_ARRAY, .u.a = &arr}, v_int(42)};
    struct sl_value row1[] = {{.type = SL_BOOL, .u.b = false}, v_int(7),
                              {.type = SL_REAL, .u.r = -0.25}, v_text(""),
                              {.type = SL_TIMESTAMP, .u.i = -1},
                              {.type = SL_ARRAY, .u.a = &empty}, v_text("txt")};
    for (uint32_t col = 0; col < 7; col++) {
        vector_set(&c->cols[col], 0, row0[col]);
        vector_set(&c->cols[col], 1, row1[col]);
        vector_set(&c->cols[col], 2, sl_null());
    }
    struct sl_value any_ts = {.type = SL_TIMESTAMP, .u.i = 0};
    vector_set(&c->cols[6], 2, any_ts);
    c->count = 3;
    assert_int_equal(write_ok(t, c), 3);

    struct rows_text r;
    assert_string_equal(
        rows_of(f->tmp.db, "SELECT b, typeof(b), i, r, t, ts, arr, any, typeof(any)"
                           " FROM vals ORDER BY rowid", &r),
        "b|typeof(b)|i|r|t|ts|arr|any|typeof(any)\n"
        "1|integer|-9223372036854775808|1.5|héllo|2023-11-14 22:13:20.000001|"
        "[\"he said \\\"hi\\\"\\n\\\\\",-3,null,0.1,2.0,1]|42|integer\n"
        "0|integer|7|-0.25||1969-12-31 23:59:59.999999|[]|txt|text\n"
        "NULL|null|NULL|NULL|NULL|NULL|NULL|1970-01-01 00:00:00.000000|text\n");
    assert_string_equal(rows_of(f->tmp.db, "SELECT json_valid(arr), json_extract(arr, '$[0]')"
                                           " FROM vals WHERE rowid = 1", &r),
                        "json_valid(arr)|json_extract(arr, '$[0]')\n1|he said \"hi\"\n\\\n");
    assert_string_equal(rows_of(f->tmp.db, "SELECT sql FROM sqlite_master WHERE name = 'vals'",
                                &r),
                        "sql\nCREATE TABLE \"vals\"(\"b\" INTEGER, \"i\" INTEGER, \"r\" REAL, "
                        "\"t\" TEXT, \"ts\" TEXT, \"arr\" TEXT, \"any\")\n");
    result_table_close(t);
}

static void test_identifier_quoting(void **state)
{
    struct fixture *f = *state;
    struct sl_error err = {0};
    const struct sl_column cols[] = {{"select", SL_TEXT}, {"a \"b\"", SL_INT}};
    const struct sl_schema schema = {2, cols};
    struct sl_result_table *t = NULL;
    const char *name = "weird \"name\"";
    assert_int_equal(result_table_open(f->tmp.db, name, &schema, word_key, &t, &err), SL_OK);
    assert_true(db_table_exists(f->tmp.db, name));
    const char *w[] = {"k"};
    const int64_t n[] = {3};
    const uint8_t upd[] = {SL_ROW_UPDATE};
    assert_int_equal(write_ok(t, word_chunk(f, 1, w, n, NULL)), 1);
    assert_int_equal(write_ok(t, word_chunk(f, 1, w, n, upd)), 1);
    struct rows_text r;
    assert_string_equal(rows_of(f->tmp.db, "SELECT \"select\", \"a \"\"b\"\"\""
                                           " FROM \"weird \"\"name\"\"\"", &r),
                        "select|a \"b\"\nk|3\n");
    result_table_close(t);
    assert_int_equal(result_table_drop(f->tmp.db, name, &err), SL_OK);
    assert_false(db_table_exists(f->tmp.db, name));
}

/* The update and delete find their row through the primary key's index, not a scan. */
static void test_update_uses_key_index(void **state)
{
    struct fixture *f = *state;
    struct sl_error err = {0};
    const struct sl_column cols[] = {{"window_start", SL_TIMESTAMP}, {"auction", SL_INT},
                                     {"top", SL_INT}, {"bids", SL_INT}};
    const struct sl_schema schema = {4, cols};
    const bool key[] = {true, true, false, false};
    struct sl_result_table *t = NULL;
    assert_int_equal(result_table_open(f->tmp.db, "max_bid", &schema, key, &t, &err), SL_OK);
    const char *stmts[] = {sqlite3_sql(t->update), sqlite3_sql(t->remove)};
    for (size_t i = 0; i < 2; i++) {
        char sql[1024];
        snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", stmts[i]);
        sqlite3_stmt *plan = NULL;
        assert_int_equal(sqlite3_prepare_v2(f->tmp.db->conn, sql, -1, &plan, NULL), SQLITE_OK);
        char details[512] = "";
        while (sqlite3_step(plan) == SQLITE_ROW) {
            strncat(details, (const char *)sqlite3_column_text(plan, 3),
                    sizeof details - strlen(details) - 2);
            strcat(details, ";");
        }
        sqlite3_finalize(plan);
        assert_string_equal(details, "SEARCH max_bid USING INDEX sqlite_autoindex_max_bid_1 "
                                     "(window_start=? AND auction=?);");
    }
    result_table_close(t);
}

static void test_write_error_names_table(void **state)
{
    struct fixture *f = *state;
    struct sl_error err = {0};
    struct sl_result_table *t = NULL;
    assert_int_equal(result_table_open(f->tmp.db, "wc", &word_schema, word_key, &t, &err), SL_OK);
    sqlite3 *other = NULL;
    assert_int_equal(sqlite3_open(f->tmp.path, &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "CREATE TRIGGER no_x BEFORE INSERT ON wc "
                                         "BEGIN SELECT RAISE(ABORT, 'x is banned'); END",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(other);
    const char *w[] = {"x"};
    const int64_t n[] = {1};
    uint64_t written = 0;
    assert_int_equal(result_table_write(t, word_chunk(f, 1, w, n, NULL), &written, &err),
                     SL_ERROR);
    assert_string_equal(err.msg, "cannot write to result table 'wc': x is banned");
    assert_int_equal(written, 0);
    result_table_close(t);
}

static void test_open_error(void **state)
{
    struct fixture *f = *state;
    struct sl_error err = {0};
    struct sl_result_table *t = (struct sl_result_table *)1;
    const struct sl_column cols[] = {{"a", SL_INT}, {"A", SL_INT}};
    const struct sl_schema schema = {2, cols};
    assert_int_equal(result_table_open(f->tmp.db, "dup", &schema, NULL, &t, &err), SL_ERROR);
    assert_null(t);
    assert_string_equal(err.msg, "cannot create result table 'dup': duplicate column name: A");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_keyed_row_kinds_with_null_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replay_safety, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unkeyed_appends_active_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unkeyed_many_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyed_many_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sole_integer_key_is_not_rowid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_only_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_value_types_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_identifier_quoting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_uses_key_index, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_error_names_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_error, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
