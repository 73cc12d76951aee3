/* test_ops_having.c — HAVING over the hash aggregate's changelog across batches: a failing
 * new group is dropped, a group that stops satisfying the condition becomes a DELETE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "common/alloc.h"
#include "engine/ops/ops.h"

/* A sink keeping the rows of the last flush: key text, count, row kind. */
struct cap_op {
    struct sl_op base;
    uint32_t n;
    char keys[16][8];
    int64_t counts[16];
    uint8_t kinds[16];
};

static sl_status cap_push(struct sl_op *op, struct sl_chunk *c, struct sl_error *err)
{
    (void)err;
    struct cap_op *s = (struct cap_op *)op;
    for (uint32_t k = 0; k < chunk_active(c); k++) {
        uint32_t i = chunk_row(c, k);
        assert_true(s->n < 16);
        struct sl_value key = vector_get(&c->cols[0], i);
        assert_true(key.type == SL_TEXT && key.u.s.len < 8);
        memcpy(s->keys[s->n], key.u.s.ptr, key.u.s.len);
        s->keys[s->n][key.u.s.len] = '\0';
        s->counts[s->n] = vector_get(&c->cols[1], i).u.i;
        s->kinds[s->n++] = c->row_kinds ? c->row_kinds[i] : SL_ROW_INSERT;
    }
    return SL_OK;
}

static sl_status cap_flush(struct sl_op *op, struct sl_error *err)
{
    (void)op, (void)err;
    return SL_OK;
}

static void cap_explain(const struct sl_op *op, struct sl_buf *out)
{
    (void)op;
    buf_puts(out, "capture");
}

static void cap_destroy(struct sl_op *op)
{
    op_fini(op);
    sl_free(op);
}

static const struct sl_op_vtable cap_vtable = {
    .name = "capture", .push = cap_push, .flush = cap_flush, .explain = cap_explain,
    .destroy = cap_destroy};

static struct sl_chunk *words(struct sl_arena *a, const char *const *w, uint32_t n)
{
    enum sl_type t = SL_TEXT;
    struct sl_chunk *c;
    assert_int_equal(chunk_create(a, 1, &t, &c), SL_OK);
    for (uint32_t i = 0; i < n; i++)
        vector_set(&c->cols[0], i,
                   (struct sl_value){.type = SL_TEXT, .u.s = {w[i], (uint32_t)strlen(w[i])}});
    c->count = n;
    return c;
}

/* The row for key in the capture, or -1. */
static int row_of(const struct cap_op *cap, const char *key)
{
    for (uint32_t i = 0; i < cap->n; i++)
        if (strcmp(cap->keys[i], key) == 0)
            return (int)i;
    return -1;
}

/* word -> hash aggregate count(*) AS n -> having n < 3 -> capture, over two batches. */
static void test_having_changelog(void **state)
{
    (void)state;
    struct sl_arena *batch = arena_create(0), *plan = arena_create(0);
    struct sl_error err;
    enum sl_type kt = SL_TEXT;
    const char *kn = "word";
    struct sl_agg_spec spec = {.fn = aggregate_lookup("count"), .arg_column = -1, .arg_type = SL_NULL, .result_type = SL_INT, .name = "n"};
    struct sl_op *agg, *having;
    assert_int_equal(op_hash_agg_create(batch, 1, &kt, &kn, 1, &spec, &agg, &err), SL_OK);

    /* n < 3, over [word, n] */
    struct sl_expr *n = arena_calloc(plan, sizeof *n), *three = arena_calloc(plan, sizeof *three);
    struct sl_expr *lt = arena_calloc(plan, sizeof *lt);
    n->kind = EXPR_COLUMN, n->type = SL_INT, n->column = 1;
    three->kind = EXPR_CONST, three->type = SL_INT;
    three->value = (struct sl_value){.type = SL_INT, .u.i = 3};
    struct sl_expr *args[] = {n, three};
    lt->kind = EXPR_BINARY, lt->op = AST_OP_LT, lt->nargs = 2, lt->args = args;
    assert_true(expr_binary_type(AST_OP_LT, SL_INT, SL_INT, &lt->type));
    enum sl_type types[] = {SL_TEXT, SL_INT};
    const char *names[] = {"word", "n"};
    assert_int_equal(op_having_create(batch, lt, 2, types, names, &having, &err), SL_OK);
    struct cap_op *cap = sl_calloc(1, sizeof *cap);
    assert_int_equal(op_init(&cap->base, &cap_vtable, batch, 0, NULL, NULL), SL_OK);
    agg->next = having;
    having->next = &cap->base;

    /* Batch 1: a (1) and b (2) pass, as INSERTs. */
    const char *b1[] = {"a", "b", "b"};
    assert_int_equal(op_push(agg, words(batch, b1, 3), &err), SL_OK);
    assert_int_equal(op_flush(agg, &err), SL_OK);
    assert_int_equal(cap->n, 2);
    assert_int_equal(cap->kinds[row_of(cap, "a")], SL_ROW_INSERT);
    assert_int_equal(cap->kinds[row_of(cap, "b")], SL_ROW_INSERT);

    /* Batch 2: b (3) stops passing: a DELETE of its key; c (3), new and failing, is dropped;
     * a (2) is an UPDATE that passes. */
    cap->n = 0;
    arena_reset(batch);
    const char *b2[] = {"b", "c", "c", "c", "a"};
    assert_int_equal(op_push(agg, words(batch, b2, 5), &err), SL_OK);
    assert_int_equal(op_flush(agg, &err), SL_OK);
    assert_int_equal(cap->n, 2);
    assert_int_equal(row_of(cap, "c"), -1);
    assert_int_equal(cap->kinds[row_of(cap, "b")], SL_ROW_DELETE);
    assert_int_equal(cap->kinds[row_of(cap, "a")], SL_ROW_UPDATE);
    assert_int_equal(cap->counts[row_of(cap, "a")], 2);

    struct sl_buf b;
    buf_init(&b);
    op_explain_chain(having, &b);
    assert_string_equal(buf_str(&b), "having (n < 3) -> (word TEXT, n INTEGER)\ncapture -> ()\n");
    buf_free(&b);
    op_destroy_chain(agg);
    arena_destroy(batch);
    arena_destroy(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_having_changelog),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
