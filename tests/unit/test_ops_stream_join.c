/*
 * test_ops_stream_join.c — the join of two streams (op_stream_join.c):
 * interval and window joins, INNER and LEFT, each side behind its own
 * watermark operator. Rows pairs once whichever side comes first; a LEFT
 * row that matches nothing goes out padded once the right's watermark
 * proves it, exactly once; a late row is counted, not joined; state leaves
 * as the watermarks pass; the downstream watermark is held back; and a join
 * restored from the state rows its flushes recorded goes on as if it had
 * never stopped.
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

/* A sink that keeps each row it is given as text, "k|ts|k|ts", NULL as "-". */
struct collect {
    struct sl_op base;
    char rows[64][96];
    int64_t marks[64];
    uint32_t n;
};

static sl_status collect_push(struct sl_op *op, struct sl_chunk *c, struct sl_error *err)
{
    (void)err;
    struct collect *s = (struct collect *)op;
    for (uint32_t k = 0; k < chunk_active(c); k++) {
        uint32_t i = chunk_row(c, k);
        char *out = s->rows[s->n];
        size_t at = 0;
        for (uint32_t col = 0; col < c->ncols; col++) {
            struct sl_value v = vector_get(&c->cols[col], i);
            const char *sep = col ? "|" : "";
            if (v.type == SL_NULL)
                at += (size_t)snprintf(out + at, 96 - at, "%s-", sep);
            else if (v.type == SL_TEXT)
                at += (size_t)snprintf(out + at, 96 - at, "%s%.*s", sep, (int)v.u.s.len,
                                       v.u.s.ptr);
            else
                at += (size_t)snprintf(out + at, 96 - at, "%s%lld", sep,
                                       (long long)(v.u.i / 1000000));
        }
        s->marks[s->n] = c->watermarks ? c->watermarks[i] : 0;
        assert_true(++s->n < 64);
    }
    return SL_OK;
}

static sl_status collect_flush(struct sl_op *op, struct sl_error *err)
{
    (void)op, (void)err;
    return SL_OK;
}

static void collect_destroy(struct sl_op *op)
{
    op_fini(op);
}

static const struct sl_op_vtable collect_vtable = {
    .name = "collect", .push = collect_push, .flush = collect_flush, .destroy = collect_destroy};

/* Whether the sink got row `text` (and how often). */
static int got(const struct collect *s, const char *text)
{
    int n = 0;
    for (uint32_t i = 0; i < s->n; i++)
        n += strcmp(s->rows[i], text) == 0;
    return n;
}

static const enum sl_type types[] = {SL_TEXT, SL_TIMESTAMP};
static const char *const lnames[] = {"k", "lt"};
static const char *const rnames[] = {"k2", "rt"};
static struct sl_expr key_expr = {.kind = EXPR_COLUMN, .type = SL_TEXT, .column = 0};
static const struct sl_expr *keys[] = {&key_expr};

struct rig {
    struct sl_arena *batch;
    struct sl_time_state out_time;
    struct sl_op *join, *port, *lwm, *rwm;
    struct collect sink;
    struct sl_state_delta delta;
};

/* A join of def behind a watermark operator on each side (delay 2 s). */
static void rig_open(struct rig *r, const struct sl_stream_join_def *def)
{
    struct sl_error err;
    memset(r, 0, sizeof *r);
    r->batch = arena_create(0);
    r->out_time.watermark = INT64_MIN;
    assert_int_equal(op_stream_join_create(r->batch, def, &r->out_time, &r->join, &r->port, &err),
                     SL_OK);
    uint32_t nout = r->join->nout;
    assert_int_equal(op_init(&r->sink.base, &collect_vtable, r->batch, nout, r->join->out_types,
                             (const char *const *)r->join->out_names),
                     SL_OK);
    r->join->next = &r->sink.base;
    assert_int_equal(op_watermark_create(r->batch, 1, -1, 2000000,
                                         op_stream_join_time(r->join, false), 2, types, lnames,
                                         &r->lwm, &err),
                     SL_OK);
    assert_int_equal(op_watermark_create(r->batch, 1, -1, 2000000,
                                         op_stream_join_time(r->join, true), 2, types, rnames,
                                         &r->rwm, &err),
                     SL_OK);
    r->lwm->next = r->join;
    r->rwm->next = r->port;
    state_delta_init(&r->delta);
    r->join->delta = &r->delta;
}

static void rig_close(struct rig *r)
{
    r->sink.base.vt->destroy(&r->sink.base);
    r->join->next = NULL;
    op_destroy_chain(r->rwm);
    op_destroy_chain(r->lwm);
    state_delta_free(&r->delta);
    arena_destroy(r->batch);
}

/* Pushes one row (k, ts seconds) into the left or the right side. */
static void push(struct rig *r, bool right, const char *k, int64_t ts_s)
{
    struct sl_chunk *c;
    struct sl_error err;
    assert_int_equal(chunk_create(r->batch, 2, types, &c), SL_OK);
    if (k)
        vector_set(&c->cols[0], 0,
                   (struct sl_value){.type = SL_TEXT, .u.s = {k, (uint32_t)strlen(k)}});
    else
        vector_set(&c->cols[0], 0, sl_null());
    vector_set(&c->cols[1], 0, (struct sl_value){.type = SL_TIMESTAMP, .u.i = ts_s * 1000000});
    c->count = 1;
    assert_int_equal(op_push(right ? r->rwm : r->lwm, c, &err), SL_OK);
}

static void flush(struct rig *r)
{
    struct sl_error err;
    assert_int_equal(op_flush(r->join, &err), SL_OK);
}

static struct sl_stream_join_def interval_def(bool left_outer)
{
    return (struct sl_stream_join_def){.kind = SL_STREAM_JOIN_INTERVAL,
                                       .left_outer = left_outer,
                                       .nleft = 2,
                                       .nright = 2,
                                       .left_types = types,
                                       .right_types = types,
                                       .left_names = lnames,
                                       .right_names = rnames,
                                       .nkeys = 1,
                                       .left_keys = keys,
                                       .right_keys = keys,
                                       .left_time_col = 1,
                                       .right_time_col = 1,
                                       .lower_us = 0,
                                       .upper_us = 10000000};
}

/* right.rt BETWEEN left.lt AND left.lt + 10 s: pairs found whichever side comes first. */
static void test_interval_inner(void **state)
{
    (void)state;
    struct sl_stream_join_def def = interval_def(false);
    struct rig r;
    rig_open(&r, &def);
    push(&r, false, "a", 100);
    push(&r, true, "a", 105); /* after its left row */
    push(&r, true, "b", 106);
    push(&r, true, "a", 111); /* outside [100, 110] */
    push(&r, false, "b", 99); /* before its right row; 106 - 99 = 7 */
    push(&r, false, "a", 104); /* 105 and 111 both in [104, 114] */
    flush(&r);
    assert_int_equal(got(&r.sink, "a|100|a|105"), 1);
    assert_int_equal(got(&r.sink, "b|99|b|106"), 1);
    assert_int_equal(got(&r.sink, "a|104|a|105"), 1);
    assert_int_equal(got(&r.sink, "a|104|a|111"), 1);
    assert_int_equal(r.sink.n, 4);
    rig_close(&r);
}

/* A LEFT row with no match goes out padded when the right's watermark
 * passes its upper bound, once; a matched one never does. */
static void test_interval_left_padded_once(void **state)
{
    (void)state;
    struct sl_stream_join_def def = interval_def(true);
    struct rig r;
    rig_open(&r, &def);
    push(&r, false, "a", 100);
    push(&r, false, "c", 101);
    push(&r, true, "a", 103);
    flush(&r);
    assert_int_equal(r.sink.n, 1);
    push(&r, true, "z", 112); /* right watermark 110: no right row <= 110 can come */
    assert_int_equal(r.sink.n, 1);
    push(&r, true, "z", 114); /* watermark 112: both left rows expire */
    assert_int_equal(got(&r.sink, "c|101|-|-"), 1);
    assert_int_equal(got(&r.sink, "a|100|-|-"), 0);
    flush(&r);
    push(&r, true, "z", 200);
    flush(&r);
    assert_int_equal(r.sink.n, 2);
    rig_close(&r);
}

/* A row behind its own side's watermark is late: counted, not joined. */
static void test_interval_late(void **state)
{
    (void)state;
    struct sl_stream_join_def def = interval_def(false);
    struct rig r;
    rig_open(&r, &def);
    push(&r, true, "a", 100);
    push(&r, false, "a", 100);
    push(&r, false, "x", 120); /* left watermark 118 */
    push(&r, false, "a", 101); /* late */
    assert_int_equal(r.out_time.late_rows, 1);
    assert_int_equal(got(&r.sink, "a|101|a|100"), 0);
    assert_int_equal(r.sink.n, 1);
    rig_close(&r);
}

/* The right's watermark evicts the left's rows, and the other way round;
 * the downstream watermark is the lower side's, less the upper bound. */
static void test_interval_state_evicted(void **state)
{
    (void)state;
    struct sl_stream_join_def def = interval_def(false);
    struct rig r;
    rig_open(&r, &def);
    for (int i = 0; i < 20; i++) {
        push(&r, false, "a", 100 + i);
        push(&r, true, "b", 100 + i);
    }
    uint64_t groups, bytes;
    r.join->vt->stats(r.join, &groups, &bytes);
    /* Left rows live until the right's watermark (117) passes lt + 10: 107..119;
     * right rows until the left's passes rt: 117..119. */
    assert_int_equal(groups, 16);
    assert_int_equal(r.out_time.watermark, (117 - 10) * 1000000);
    op_stream_join_time(r.join, false)->ended = true;
    op_stream_join_time(r.join, true)->ended = true;
    flush(&r);
    r.join->vt->stats(r.join, &groups, &bytes);
    assert_int_equal(groups, 0);
    rig_close(&r);
}

/* A window join pairs rows of the same tumbling window; a LEFT row alone in
 * its window goes out padded, with its window, when the window closes. */
static void test_window_left(void **state)
{
    (void)state;
    struct sl_stream_join_def def = interval_def(true);
    def.kind = SL_STREAM_JOIN_WINDOW;
    def.size_us = def.advance_us = 10000000;
    def.window_columns = true;
    struct rig r;
    rig_open(&r, &def);
    push(&r, false, "a", 101);
    push(&r, true, "a", 109);
    push(&r, true, "a", 110); /* the next window */
    push(&r, false, "c", 105);
    assert_int_equal(got(&r.sink, "a|101|a|109|100|110"), 1);
    assert_int_equal(r.sink.n, 1);
    push(&r, true, "z", 125); /* right watermark 123 closes [100, 110) */
    assert_int_equal(got(&r.sink, "c|105|-|-|100|110"), 1);
    assert_int_equal(r.sink.n, 2);
    rig_close(&r);
}

/* A hopping window join pairs two rows once per window both are in, each
 * window's copy of a row kept apart (a copy made while the row's bytes grow
 * must not read bytes the growth moved: ASan saw it). */
static void test_window_hopping(void **state)
{
    (void)state;
    struct sl_stream_join_def def = interval_def(false);
    def.kind = SL_STREAM_JOIN_WINDOW;
    def.size_us = 10000000;
    def.advance_us = 5000000;
    def.window_columns = true;
    struct rig r;
    rig_open(&r, &def);
    for (int i = 0; i < 40; i++) /* enough rows that the side's bytes grow under the copies */
        push(&r, false, "zzzzzzzzzzzzzzzzzzzz", 100 + i / 8);
    push(&r, false, "a", 107);
    push(&r, true, "a", 109); /* windows [100, 110) and [105, 115): both shared */
    assert_int_equal(got(&r.sink, "a|107|a|109|100|110"), 1);
    assert_int_equal(got(&r.sink, "a|107|a|109|105|115"), 1);
    push(&r, true, "a", 112); /* windows [105, 115) and [110, 120): [105, 115) shared */
    assert_int_equal(got(&r.sink, "a|107|a|112|105|115"), 1);
    assert_int_equal(r.sink.n, 3);
    rig_close(&r);
}

/* Replays what the rig's delta recorded into a fresh join. */
static void restore_into(struct rig *to, const struct sl_state_delta *d)
{
    struct sl_error err;
    /* Only rows: a test's single flush drops nothing it did not keep. */
    for (uint32_t i = 0; i < d->nrows; i++)
        if (!d->rows[i].key_len)
            assert_int_equal(op_restore(to->join, 0, state_delta_key(d, &d->rows[i]), 0,
                                        state_delta_state(d, &d->rows[i]), d->rows[i].state_len,
                                        &err),
                             SL_OK);
    for (uint32_t i = 0; i < d->nrows; i++)
        if (d->rows[i].key_len)
            assert_int_equal(op_restore(to->join, 0, state_delta_key(d, &d->rows[i]),
                                        d->rows[i].key_len, state_delta_state(d, &d->rows[i]),
                                        d->rows[i].state_len, &err),
                             SL_OK);
}

/* A LEFT join stopped after a flush and restored from its state rows emits
 * what the uninterrupted one does: the matched row is not padded again. */
static void test_restore_resumes(void **state)
{
    (void)state;
    struct sl_stream_join_def def = interval_def(true);
    struct rig a, b;
    rig_open(&a, &def);
    push(&a, false, "a", 100);
    push(&a, false, "c", 101);
    push(&a, true, "a", 103);
    flush(&a);
    assert_int_equal(a.sink.n, 1);
    rig_open(&b, &def);
    restore_into(&b, &a.delta);
    assert_int_equal(op_stream_join_time(b.join, false)->watermark, 99 * 1000000);
    push(&b, true, "c", 108);
    push(&b, true, "z", 200);
    flush(&b);
    assert_int_equal(got(&b.sink, "c|101|c|108"), 1);
    assert_int_equal(got(&b.sink, "a|100|-|-"), 0);
    assert_int_equal(b.sink.n, 1);
    rig_close(&a);
    rig_close(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interval_inner),
        cmocka_unit_test(test_interval_left_padded_once),
        cmocka_unit_test(test_interval_late),
        cmocka_unit_test(test_interval_state_evicted),
        cmocka_unit_test(test_window_left),
        cmocka_unit_test(test_window_hopping),
        cmocka_unit_test(test_restore_resumes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
