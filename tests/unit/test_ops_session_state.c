/*
 * test_ops_session_state.c — what the session aggregate's flush records in
 * its delta: the watermark, each key folded into, and each key whose
 * session closed since the last flush, in a push (by a later row's
 * watermark) as well as in the flush itself; and a flush whose rebuild of
 * the key table runs out of memory at any allocation fails cleanly; a key
 * with one session holds room for one.
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

/* A sink that drops what it is given. */
static sl_status drop_push(struct sl_op *op, struct sl_chunk *c, struct sl_error *err)
{
    (void)op, (void)c, (void)err;
    return SL_OK;
}

static sl_status drop_flush(struct sl_op *op, struct sl_error *err)
{
    (void)op, (void)err;
    return SL_OK;
}

static void drop_explain(const struct sl_op *op, struct sl_buf *out)
{
    (void)op;
    buf_puts(out, "drop");
}

static void drop_destroy(struct sl_op *op)
{
    op_fini(op);
    sl_free(op);
}

static const struct sl_op_vtable drop_vtable = {
    .name = "drop", .push = drop_push, .flush = drop_flush, .explain = drop_explain,
    .destroy = drop_destroy};

/* One row (k, ts seconds) as the session aggregate's input [k, ts]. */
static struct sl_chunk *row(struct sl_arena *a, const char *k, int64_t ts_s)
{
    enum sl_type types[] = {SL_TEXT, SL_TIMESTAMP};
    struct sl_chunk *c;
    assert_int_equal(chunk_create(a, 2, types, &c), SL_OK);
    vector_set(&c->cols[0], 0,
               (struct sl_value){.type = SL_TEXT, .u.s = {k, (uint32_t)strlen(k)}});
    vector_set(&c->cols[1], 0, (struct sl_value){.type = SL_TIMESTAMP, .u.i = ts_s * 1000000});
    c->count = 1;
    return c;
}

/* d's row whose key is key[0..len), or NULL. */
static const struct sl_state_row *find(const struct sl_state_delta *d, const unsigned char *key,
                                       uint32_t len)
{
    for (uint32_t i = 0; i < d->nrows; i++)
        if (d->rows[i].key_len == len && !memcmp(state_delta_key(d, &d->rows[i]), key, len))
            return &d->rows[i];
    return NULL;
}

static void test_closed_in_push_recorded(void **state)
{
    (void)state;
    struct sl_arena *batch = arena_create(0);
    struct sl_time_state time = {.watermark = INT64_MIN};
    enum sl_type types[] = {SL_TEXT, SL_TIMESTAMP};
    const char *names[] = {"k", "ts"};
    struct sl_agg_spec count = {.fn = aggregate_lookup("count"), .arg_column = -1,
                                .arg_type = SL_NULL, .result_type = SL_INT, .name = "n"};
    struct sl_window_def def = {.kind = SL_WINDOW_SESSION, .gap_us = 10 * 1000000, .time_col = 1};
    struct sl_op *wm, *sess, *sink = sl_calloc(1, sizeof *sink);
    struct sl_error err;
    assert_int_equal(op_watermark_create(batch, 1, -1, 0, &time, 2, types, names, &wm, &err), SL_OK);
    assert_int_equal(op_session_agg_create(batch, &def, &time, 1, types, names, 1, &count, &sess,
                                           &err),
                     SL_OK);
    assert_int_equal(op_init(sink, &drop_vtable, batch, 0, NULL, NULL), SL_OK);
    wm->next = sess;
    sess->next = sink;
    struct sl_state_delta d;
    state_delta_init(&d);
    sess->delta = &d;

    assert_int_equal(op_push(wm, row(batch, "a", 0), &err), SL_OK);
    assert_int_equal(op_flush(wm, &err), SL_OK);
    /* The watermark's row and key a's, with its open session. */
    assert_int_equal(d.nrows, 2);
    assert_int_equal(d.rows[0].key_len, 0);
    unsigned char key_a[64];
    uint32_t len_a = d.rows[1].key_len;
    assert_true(len_a <= sizeof key_a);
    memcpy(key_a, state_delta_key(&d, &d.rows[1]), len_a);
    uint32_t open_state_len = d.rows[1].state_len;
    state_delta_clear(&d);

    /* b's row moves the watermark past a's session, which closes before b folds. */
    assert_int_equal(op_push(wm, row(batch, "b", 100), &err), SL_OK);
    assert_int_equal(op_flush(wm, &err), SL_OK);
    assert_int_equal(d.nrows, 3);
    const struct sl_state_row *a = find(&d, key_a, len_a);
    assert_non_null(a);
    assert_true(a->state_len < open_state_len); /* no open session left */
    state_delta_clear(&d);

    /* Nothing folded or closed: only the watermark's row. */
    assert_int_equal(op_flush(wm, &err), SL_OK);
    assert_int_equal(d.nrows, 1);
    state_delta_free(&d);
    op_destroy_chain(wm);
    arena_destroy(batch);
}

/* Key names k0..k1999, for chunks that hold many keys. */
#define MANY_KEYS 2000
static char key_names[MANY_KEYS][8];

/* One row per key k<i>, i in [0, MANY_KEYS) stepping by step, at ts seconds. */
static struct sl_chunk *rows_every(struct sl_arena *a, uint32_t step, int64_t ts_s)
{
    enum sl_type types[] = {SL_TEXT, SL_TIMESTAMP};
    struct sl_chunk *c;
    assert_int_equal(chunk_create(a, 2, types, &c), SL_OK);
    uint32_t n = 0;
    for (uint32_t i = 0; i < MANY_KEYS; i += step, n++) {
        const char *k = key_names[i];
        vector_set(&c->cols[0], n,
                   (struct sl_value){.type = SL_TEXT, .u.s = {k, (uint32_t)strlen(k)}});
        vector_set(&c->cols[1], n, (struct sl_value){.type = SL_TIMESTAMP, .u.i = ts_s * 1000000});
    }
    c->count = n;
    return c;
}

/* watermark -> SESSION (GAP 10 SECONDS) count(*) by k -> a sink that drops: the chain of the
 * many-key tests, over rows_every's [k, ts]. */
static struct sl_op *count_per_key_sessions(struct sl_arena *batch, struct sl_time_state *time)
{
    static const enum sl_type types[] = {SL_TEXT, SL_TIMESTAMP};
    static const char *const names[] = {"k", "ts"};
    static const struct sl_window_def def = {.kind = SL_WINDOW_SESSION,
                                             .gap_us = 10 * 1000000, .time_col = 1};
    struct sl_agg_spec count = {.fn = aggregate_lookup("count"), .arg_column = -1,
                                .arg_type = SL_NULL, .result_type = SL_INT, .name = "n"};
    for (uint32_t i = 0; i < MANY_KEYS; i++)
        snprintf(key_names[i], sizeof key_names[i], "k%u", i);
    struct sl_op *wm, *sess, *sink = sl_calloc(1, sizeof *sink);
    struct sl_error err;
    assert_int_equal(op_watermark_create(batch, 1, -1, 0, time, 2, types, names, &wm, &err),
                     SL_OK);
    assert_int_equal(
        op_session_agg_create(batch, &def, time, 1, types, names, 1, &count, &sess, &err), SL_OK);
    assert_int_equal(op_init(sink, &drop_vtable, batch, 0, NULL, NULL), SL_OK);
    wm->next = sess;
    sess->next = sink;
    return wm;
}

/* 2000 keys open a session at 0 s; the even ones fold again at 1000 s, which
 * closes every first session: the flush rebuilds the key table without the
 * odd keys (dead keys are half). Each allocation of that flush fails in turn:
 * the flush fails with out of memory or succeeds, and the operator is then
 * destroyed without a double free or a leak (ASan). A rebuild that failed
 * half way used to have freed the sessions of the dead keys it had passed,
 * which the old table still held. */
static void test_compact_out_of_memory(void **state)
{
    (void)state;
    long failed = 0;
    bool done = false;
    for (long k = 1; k < 100000 && !done; k++) {
        struct sl_arena *batch = arena_create(0);
        struct sl_time_state time = {.watermark = INT64_MIN};
        struct sl_error err;
        struct sl_op *wm = count_per_key_sessions(batch, &time);
        assert_int_equal(op_push(wm, rows_every(batch, 1, 0), &err), SL_OK);
        assert_int_equal(op_flush(wm, &err), SL_OK);
        assert_int_equal(op_push(wm, rows_every(batch, 2, 1000), &err), SL_OK);
        sl_alloc_fail_after(k);
        sl_status st = op_flush(wm, &err);
        sl_alloc_fail_after(0);
        if (st == SL_OK) {
            uint64_t groups, bytes;
            op_state_stats(wm, &groups, &bytes);
            assert_int_equal(groups, MANY_KEYS / 2);
            done = true;
        } else {
            assert_int_equal(st, SL_NOMEM);
            failed++;
        }
        op_destroy_chain(wm);
        arena_destroy(batch);
    }
    assert_true(done);
    assert_true(failed > 0);
}

/* A key with one open session holds room for one, not sixteen: 2000 keys, one session each,
 * are counted at under 256 bytes a key (the key table's entry and one session's states;
 * room for sixteen made it about 900). */
static void test_one_session_one_slot(void **state)
{
    (void)state;
    struct sl_arena *batch = arena_create(0);
    struct sl_time_state time = {.watermark = INT64_MIN};
    struct sl_error err;
    struct sl_op *wm = count_per_key_sessions(batch, &time);
    assert_int_equal(op_push(wm, rows_every(batch, 1, 0), &err), SL_OK);
    assert_int_equal(op_flush(wm, &err), SL_OK);
    uint64_t groups, bytes;
    op_state_stats(wm, &groups, &bytes);
    assert_int_equal(groups, MANY_KEYS);
    if (bytes >= 256 * MANY_KEYS)
        fail_msg("%llu bytes a key with one session", (unsigned long long)(bytes / MANY_KEYS));
    op_destroy_chain(wm);
    arena_destroy(batch);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_closed_in_push_recorded),
        cmocka_unit_test(test_compact_out_of_memory),
        cmocka_unit_test(test_one_session_one_slot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
