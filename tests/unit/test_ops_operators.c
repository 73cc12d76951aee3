/* test_ops_operators.c — filter, project and unnest chained into a capturing test sink. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "common/alloc.h"
#include "engine/functions/function.h"
#include "engine/ops/ops.h"

/* A sink keeping, per pushed chunk, its active-row count, and every row's values. */
struct cap_op {
    struct sl_op base;
    uint32_t chunks;
    uint32_t n;
    struct sl_value rows[8192][3];
    uint8_t kinds[8192];
};

static sl_status cap_push(struct sl_op *op, struct sl_chunk *c, struct sl_error *err)
{
    (void)err;
    struct cap_op *s = (struct cap_op *)op;
    s->chunks++;
    assert_true(chunk_active(c) <= SL_CHUNK_CAP);
    for (uint32_t k = 0; k < chunk_active(c); k++) {
        uint32_t i = chunk_row(c, k);
        assert_true(s->n < 8192);
        for (uint32_t col = 0; col < c->ncols && col < 3; col++)
            s->rows[s->n][col] = vector_get(&c->cols[col], i);
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

static struct sl_arena *A;

static struct sl_expr *mk(enum sl_expr_kind kind, enum sl_type type, uint32_t nargs)
{
    struct sl_expr *e = arena_calloc(A, sizeof *e);
    e->kind = kind;
    e->type = type;
    e->nargs = nargs;
    e->args = arena_calloc(A, (nargs ? nargs : 1) * sizeof *e->args);
    return e;
}

static struct sl_expr *col(uint32_t c, enum sl_type t)
{
    struct sl_expr *e = mk(EXPR_COLUMN, t, 0);
    e->column = c;
    return e;
}

static struct sl_expr *ctext(const char *s)
{
    struct sl_expr *e = mk(EXPR_CONST, SL_TEXT, 0);
    e->value = (struct sl_value){.type = SL_TEXT, .u.s = {s, (uint32_t)strlen(s)}};
    return e;
}

static struct sl_expr *cint(int64_t i)
{
    struct sl_expr *e = mk(EXPR_CONST, SL_INT, 0);
    e->value = (struct sl_value){.type = SL_INT, .u.i = i};
    return e;
}

static struct sl_expr *bin(enum ast_op op, struct sl_expr *l, struct sl_expr *r)
{
    enum sl_type t;
    assert_true(expr_binary_type(op, l->type, r->type, &t));
    struct sl_expr *e = mk(EXPR_BINARY, t, 2);
    e->op = op;
    e->args[0] = l;
    e->args[1] = r;
    return e;
}

static struct sl_expr *call(const char *name, enum sl_type type, struct sl_expr *a,
                            struct sl_expr *b)
{
    struct sl_expr *e = mk(EXPR_CALL, type, b ? 2 : 1);
    e->fn = function_lookup(name);
    e->args[0] = a;
    e->args[1] = b;
    return e;
}

/* (id INT, line TEXT) -> unnest(split(line, ' ')) AS word -> filter word <> ''
 * -> project word, id * 10 AS tag, length(word) AS len -> capture */
static struct sl_op *make_chain(struct sl_arena *batch, struct cap_op **cap)
{
    enum sl_type in_types[] = {SL_INT, SL_TEXT};
    const char *in_names[] = {"id", "line"};
    enum sl_type un_types[] = {SL_INT, SL_TEXT, SL_TEXT};
    const char *un_names[] = {"id", "line", "word"};
    struct sl_error err;
    struct sl_op *unnest, *filter, *project;
    assert_int_equal(op_unnest_create(batch, call("split", SL_ARRAY, col(1, SL_TEXT), ctext(" ")),
                                      SL_TEXT, "word", 2, in_types, in_names, NULL, &unnest, &err),
                     SL_OK);
    assert_int_equal(op_filter_create(batch, bin(AST_OP_NE, col(2, SL_TEXT), ctext("")), 3,
                                      un_types, un_names, &filter, &err),
                     SL_OK);
    struct sl_expr *exprs[] = {col(2, SL_TEXT), bin(AST_OP_MUL, col(0, SL_INT), cint(10)),
                               call("length", SL_INT, col(2, SL_TEXT), NULL)};
    const char *names[] = {"word", "tag", "len"};
    assert_int_equal(op_project_create(batch, exprs, 3, names, &project, &err), SL_OK);
    *cap = sl_calloc(1, sizeof **cap);
    assert_int_equal(op_init(&(*cap)->base, &cap_vtable, batch, 0, NULL, NULL), SL_OK);
    unnest->next = filter;
    filter->next = project;
    project->next = &(*cap)->base;
    return unnest;
}

static struct sl_chunk *lines(struct sl_arena *a, const char *const *text, uint32_t n)
{
    enum sl_type types[] = {SL_INT, SL_TEXT};
    struct sl_chunk *c;
    assert_int_equal(chunk_create(a, 2, types, &c), SL_OK);
    for (uint32_t i = 0; i < n; i++) {
        vector_set(&c->cols[0], i, (struct sl_value){.type = SL_INT, .u.i = i + 1});
        struct sl_value v = sl_null();
        if (text[i])
            v = (struct sl_value){.type = SL_TEXT, .u.s = {text[i], (uint32_t)strlen(text[i])}};
        vector_set(&c->cols[1], i, v);
    }
    c->count = n;
    return c;
}

static void assert_row(const struct cap_op *cap, uint32_t r, const char *word, int64_t tag)
{
    assert_int_equal(cap->rows[r][0].type, SL_TEXT);
    assert_int_equal(cap->rows[r][0].u.s.len, strlen(word));
    assert_memory_equal(cap->rows[r][0].u.s.ptr, word, strlen(word));
    assert_int_equal(cap->rows[r][1].u.i, tag);
    assert_int_equal(cap->rows[r][2].u.i, (int64_t)strlen(word));
}

static void test_chain(void **state)
{
    (void)state;
    struct sl_arena *batch = arena_create(0);
    A = batch;
    struct cap_op *cap;
    struct sl_op *chain = make_chain(batch, &cap);
    struct sl_error err;
    const char *text[] = {"the  cat", NULL, "", "sat on", " the mat "};
    struct sl_chunk *c = lines(batch, text, 5);
    c->row_kinds = arena_calloc(batch, 5);
    c->row_kinds[3] = SL_ROW_UPDATE;
    assert_int_equal(op_push(chain, c, &err), SL_OK);
    assert_int_equal(op_flush(chain, &err), SL_OK);
    assert_int_equal(cap->n, 6);
    assert_row(cap, 0, "the", 10);
    assert_row(cap, 1, "cat", 10);
    assert_row(cap, 2, "sat", 40);
    assert_row(cap, 3, "on", 40);
    assert_row(cap, 4, "the", 50);
    assert_row(cap, 5, "mat", 50);
    assert_int_equal(cap->kinds[2], SL_ROW_UPDATE);
    assert_int_equal(cap->kinds[4], SL_ROW_INSERT);

    /* An input chunk with a selection: only the selected lines are unnested. */
    uint32_t sel[] = {4};
    c = lines(batch, text, 5);
    c->sel = sel;
    c->nsel = 1;
    cap->n = 0;
    assert_int_equal(op_push(chain, c, &err), SL_OK);
    assert_int_equal(cap->n, 2);
    assert_row(cap, 0, "the", 50);
    assert_row(cap, 1, "mat", 50);

    struct sl_buf b;
    buf_init(&b);
    op_explain_chain(chain, &b);
    assert_string_equal(buf_str(&b),
                        "unnest split(line, ' ') AS word -> (id INTEGER, line TEXT, word TEXT)\n"
                        "filter (word <> '') -> (id INTEGER, line TEXT, word TEXT)\n"
                        "project #2 AS word, (#0 * 10) AS tag, length(#2) AS len -> (word TEXT, "
                        "tag ANY, len INTEGER)\n"
                        "capture -> ()\n");
    buf_free(&b);
    op_destroy_chain(chain);
    arena_destroy(batch);
}

/* One line of 5000 words becomes three output chunks; an all-filtered chunk is not pushed. */
static void test_unnest_many_chunks(void **state)
{
    (void)state;
    struct sl_arena *batch = arena_create(0);
    A = batch;
    struct cap_op *cap;
    struct sl_op *chain = make_chain(batch, &cap);
    struct sl_error err;
    enum { WORDS = 5000 };
    char *line = arena_alloc(batch, 2 * WORDS);
    for (int i = 0; i < WORDS; i++) {
        line[2 * i] = (char)('a' + i % 26);
        line[2 * i + 1] = ' ';
    }
    line[2 * WORDS - 1] = '\0';
    const char *text[] = {line};
    assert_int_equal(op_push(chain, lines(batch, text, 1), &err), SL_OK);
    assert_int_equal(cap->n, WORDS);
    assert_int_equal(cap->chunks, 3);
    for (uint32_t i = 0; i < WORDS; i++)
        assert_int_equal(cap->rows[i][0].u.s.ptr[0], 'a' + i % 26);
    const char *blank[] = {"   ", ""};
    cap->chunks = 0;
    assert_int_equal(op_push(chain, lines(batch, blank, 2), &err), SL_OK);
    assert_int_equal(cap->chunks, 0);
    op_destroy_chain(chain);
    arena_destroy(batch);
}

/* Runs unnest(split(line, sep)) over lines with the given carry mask into a new capture. */
static struct cap_op *unnest_lines(struct sl_arena *batch, struct sl_expr *sep, const bool *carry,
                                   const char *const *text, uint32_t n)
{
    enum sl_type in_types[] = {SL_INT, SL_TEXT};
    const char *in_names[] = {"id", "line"};
    struct sl_error err;
    struct sl_op *unnest;
    assert_int_equal(op_unnest_create(batch, call("split", SL_ARRAY, col(1, SL_TEXT), sep),
                                      SL_TEXT, "word", 2, in_types, in_names, carry, &unnest,
                                      &err),
                     SL_OK);
    struct cap_op *cap = sl_calloc(1, sizeof *cap);
    assert_int_equal(op_init(&cap->base, &cap_vtable, batch, 0, NULL, NULL), SL_OK);
    unnest->next = &cap->base;
    assert_int_equal(op_push(unnest, lines(batch, text, n), &err), SL_OK);
    cap->base.next = NULL;
    unnest->next = NULL;
    op_destroy_chain(unnest);
    return cap;
}

/* split(line, ' ') is cut inside the unnest; split(line, +' ') goes through
 * split()'s arrays: both give the same rows. A column not carried is NULL. */
static void test_unnest_split_paths(void **state)
{
    (void)state;
    struct sl_arena *batch = arena_create(0);
    A = batch;
    static char long_line[301];
    for (int i = 0; i < 300; i++)
        long_line[i] = (char)(i % 7 == 0 || i % 11 == 0 ? ' ' : 'a' + i % 26);
    const char *text[] = {"",
                          " ",
                          "a",
                          "  a  b ",
                          "exactly8",
                          "exactly8 ",
                          NULL,
                          "0123456 89abcdef 0123456789abcdef0 x",
                          "日本 de  ü",
                          "        ",
                          long_line,
                          "sixteen bytes ok"};
    enum { NLINES = sizeof text / sizeof *text };
    struct sl_expr *plus = mk(EXPR_UNARY, SL_TEXT, 1);
    plus->op = AST_OP_PLUS;
    plus->args[0] = ctext(" ");
    bool carry_id[] = {true, false};
    struct cap_op *cut = unnest_lines(batch, ctext(" "), carry_id, text, NLINES);
    struct cap_op *arrays = unnest_lines(batch, plus, NULL, text, NLINES);
    uint32_t expect = 0;
    for (int i = 0; i < NLINES; i++) {
        for (const char *p = text[i]; p && *p; p++)
            expect += *p == ' ';
        expect += text[i] != NULL;
    }
    assert_int_equal(cut->n, expect);
    assert_int_equal(arrays->n, expect);
    for (uint32_t r = 0; r < expect; r++) {
        assert_int_equal(cut->rows[r][0].u.i, arrays->rows[r][0].u.i);
        assert_int_equal(cut->rows[r][1].type, SL_NULL);
        assert_int_equal(arrays->rows[r][1].type, SL_TEXT);
        struct sl_str a = cut->rows[r][2].u.s, b = arrays->rows[r][2].u.s;
        assert_int_equal(cut->rows[r][2].type, SL_TEXT);
        assert_int_equal(a.len, b.len);
        assert_ptr_equal(a.ptr, b.ptr);
        assert_null(memchr(a.ptr, ' ', a.len));
    }
    op_destroy_chain(&cut->base);
    op_destroy_chain(&arrays->base);
    arena_destroy(batch);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_unnest_many_chunks),
        cmocka_unit_test(test_unnest_split_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
