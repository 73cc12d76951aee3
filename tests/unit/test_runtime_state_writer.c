/*
 * test_runtime_state_writer.c — the one writer of operator state: what a
 * flush recorded reaches the store (a log for a hash aggregate, compacted
 * in passes; sorted upserts and range deletes otherwise), and the deltas
 * are cleared after each write.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "engine/ops/ops.h"
#include "engine/ops/state_delta.h"
#include "engine/runtime/state_writer.h"

/* A store keeping what it is handed, in order, as text lines. */
struct mem_store {
    char log[16][24];
    uint32_t n;
    uint64_t appended;
    int64_t truncated_below; /* -1: never truncated */
};

static void note(struct mem_store *m, const char *what, const void *key, size_t key_len)
{
    assert_true(m->n < 16);
    snprintf(m->log[m->n++], sizeof m->log[0], "%s %.*s", what, (int)key_len, (const char *)key);
}

static sl_status mem_put(void *ctx, uint32_t op, const void *key, size_t key_len,
                         const void *state, size_t state_len, struct sl_error *err)
{
    (void)op, (void)state, (void)state_len, (void)err;
    note(ctx, "put", key, key_len);
    return SL_OK;
}

static sl_status mem_drop(void *ctx, uint32_t op, const void *lo, size_t lo_len, const void *hi,
                          size_t hi_len, struct sl_error *err)
{
    (void)op, (void)hi, (void)hi_len, (void)err;
    note(ctx, "drop", lo, lo_len);
    return SL_OK;
}

static sl_status mem_append(void *ctx, uint32_t op, uint64_t seq,
                            const struct db_state_row *rows, size_t n, struct sl_error *err)
{
    (void)op, (void)rows, (void)err;
    struct mem_store *m = ctx;
    assert_int_equal(seq, m->appended);
    m->appended += n;
    return SL_OK;
}

static sl_status mem_truncate(void *ctx, uint32_t op, uint64_t seq, struct sl_error *err)
{
    (void)op, (void)err;
    ((struct mem_store *)ctx)->truncated_below = (int64_t)seq;
    return SL_OK;
}

/* A stateful operator whose flush records three rows out of key order and a range. */
static sl_status rec_push(struct sl_op *op, struct sl_chunk *c, struct sl_error *err)
{
    (void)op, (void)c, (void)err;
    return SL_OK;
}

static sl_status rec_flush(struct sl_op *op, struct sl_error *err)
{
    (void)err;
    assert_true(state_delta_put(op->delta, "b", 1, "2", 1, 0));
    assert_true(state_delta_put(op->delta, "", 0, "0", 1, 0));
    assert_true(state_delta_put(op->delta, "a", 1, "1", 1, 0));
    assert_true(state_delta_drop(op->delta, "x", 1, "y", 1));
    return SL_OK;
}

static void rec_explain(const struct sl_op *op, struct sl_buf *out)
{
    (void)op;
    buf_puts(out, "recorder");
}

static void rec_destroy(struct sl_op *op)
{
    op_fini(op);
    sl_free(op);
}

static void rec_stats(const struct sl_op *op, uint64_t *groups, uint64_t *bytes)
{
    (void)op;
    *groups = *bytes = 0;
}

static sl_status rec_restore(struct sl_op *op, const unsigned char *key, size_t key_len,
                             const unsigned char *state, size_t state_len, struct sl_error *err)
{
    (void)op, (void)key, (void)key_len, (void)state, (void)state_len, (void)err;
    return SL_OK;
}

static const struct sl_op_vtable rec_vtable = {
    .name = "recorder",
    .push = rec_push,
    .flush = rec_flush,
    .explain = rec_explain,
    .destroy = rec_destroy,
    .stats = rec_stats,
    .restore = rec_restore,
};

/* A stateless sink: takes the aggregate's rows and keeps nothing. */
static sl_status sink_flush(struct sl_op *op, struct sl_error *err)
{
    (void)op, (void)err;
    return SL_OK;
}

static const struct sl_op_vtable sink_vtable = {
    .name = "sink",
    .push = rec_push,
    .flush = sink_flush,
    .explain = rec_explain,
    .destroy = rec_destroy,
};

static struct sl_state_store store_of(struct mem_store *m)
{
    return (struct sl_state_store){.put = mem_put,
                                   .drop = mem_drop,
                                   .append = mem_append,
                                   .truncate = mem_truncate,
                                   .ctx = m};
}

/* Without a snapshot hook: the ranges first, then the rows sorted by key
 * (the empty key first); a write with nothing recorded writes nothing. */
static void test_table_rows_sorted(void **state)
{
    (void)state;
    struct sl_op *op = sl_calloc(1, sizeof *op);
    assert_int_equal(op_init(op, &rec_vtable, NULL, 0, NULL, NULL), SL_OK);
    struct sl_error err;
    struct sl_state_writer *w;
    assert_int_equal(state_writer_create(op, &w, &err), SL_OK);
    assert_non_null(op->delta);
    struct mem_store m = {.truncated_below = -1};
    struct sl_state_store store = store_of(&m);
    assert_int_equal(op_flush(op, &err), SL_OK);
    assert_int_equal(state_writer_write(w, &store, &err), SL_OK);
    assert_int_equal(m.n, 4);
    assert_string_equal(m.log[0], "drop x");
    assert_string_equal(m.log[1], "put ");
    assert_string_equal(m.log[2], "put a");
    assert_string_equal(m.log[3], "put b");
    assert_int_equal(state_writer_write(w, &store, &err), SL_OK);
    assert_int_equal(m.n, 4);
    state_writer_destroy(w);
    op_destroy_chain(op);
}

static struct sl_chunk *word_chunk(struct sl_arena *a, const char *const *words, uint32_t n)
{
    enum sl_type type = SL_TEXT;
    struct sl_chunk *c;
    assert_int_equal(chunk_create(a, 1, &type, &c), SL_OK);
    for (uint32_t i = 0; i < n; i++)
        vector_set(&c->cols[0], i,
                   (struct sl_value){.type = SL_TEXT,
                                     .u.s = {words[i], (uint32_t)strlen(words[i])}});
    c->count = n;
    return c;
}

/* A hash aggregate's groups go to the log: the changed ones, then the
 * pass's share (as many unchanged as changed, at least one); once a pass
 * has covered every group, each write deletes twice as many of the rows
 * before it as it appended. */
static void test_log_compacted_in_passes(void **state)
{
    (void)state;
    struct sl_arena *batch = arena_create(0);
    enum sl_type kt = SL_TEXT;
    const char *kn = "word";
    struct sl_agg_spec spec = {.fn = aggregate_lookup("count"), .arg_column = -1,
                               .arg_type = SL_NULL, .result_type = SL_INT, .name = "n"};
    struct sl_op *op, *sink;
    struct sl_error err;
    assert_int_equal(op_hash_agg_create(batch, 1, &kt, &kn, 1, &spec, &op, &err), SL_OK);
    sink = sl_calloc(1, sizeof *sink);
    assert_int_equal(op_init(sink, &sink_vtable, batch, 0, NULL, NULL), SL_OK);
    op->next = sink;
    struct sl_state_writer *w;
    assert_int_equal(state_writer_create(op, &w, &err), SL_OK);
    assert_null(sink->delta);
    struct mem_store m = {.truncated_below = -1};
    struct sl_state_store store = store_of(&m);

    const char *words[] = {"a", "b", "c", "a"};
    assert_int_equal(op_push(op, word_chunk(batch, words, 4), &err), SL_OK);
    assert_int_equal(op_flush(op, &err), SL_OK);
    assert_int_equal(state_writer_write(w, &store, &err), SL_OK);
    /* The three changed groups; the pass had nothing more to append again. */
    assert_int_equal(m.appended, 3);
    assert_int_equal(m.truncated_below, -1);
    /* Nothing changed: each write appends the pass's next group. The third
     * ends a pass begun at seq 3, so the rows before it are superseded. */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(op_flush(op, &err), SL_OK);
        assert_int_equal(state_writer_write(w, &store, &err), SL_OK);
    }
    assert_int_equal(m.appended, 6);
    assert_int_equal(m.truncated_below, 2);
    assert_int_equal(op_flush(op, &err), SL_OK);
    assert_int_equal(state_writer_write(w, &store, &err), SL_OK);
    assert_int_equal(m.truncated_below, 3);
    assert_int_equal(state_writer_log_rows(w), 7 - 3);
    state_writer_destroy(w);
    op_destroy_chain(op);
    arena_destroy(batch);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_rows_sorted),
        cmocka_unit_test(test_log_compacted_in_passes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
