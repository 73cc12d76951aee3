/* test_ops_hash_agg.c — the hash aggregate and the aggregate functions, checked against simple
 * references. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "engine/ops/ops.h"
#include "agg_call.h"
#include "engine/ops/state_delta.h"

/* A sink that records every row it receives (text copied into its arena). */
struct cap_row {
    struct sl_value v[6];
    uint8_t kind;
};

struct cap_op {
    struct sl_op base;
    struct sl_arena *arena;
    struct cap_row *rows;
    size_t n, cap;
};

static sl_status cap_push(struct sl_op *op, struct sl_chunk *c, struct sl_error *err)
{
    (void)err;
    struct cap_op *s = (struct cap_op *)op;
    for (uint32_t k = 0; k < chunk_active(c); k++) {
        uint32_t i = chunk_row(c, k);
        if (s->n == s->cap) {
            s->cap = s->cap ? 2 * s->cap : 256;
            s->rows = sl_realloc(s->rows, s->cap * sizeof *s->rows);
            assert_non_null(s->rows);
        }
        struct cap_row *r = &s->rows[s->n++];
        r->kind = c->row_kinds ? c->row_kinds[i] : SL_ROW_INSERT;
        for (uint32_t col = 0; col < c->ncols && col < 6; col++) {
            r->v[col] = vector_get(&c->cols[col], i);
            if (r->v[col].type == SL_TEXT)
                r->v[col].u.s.ptr =
                    arena_memdup(s->arena, r->v[col].u.s.ptr, r->v[col].u.s.len + 1);
        }
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
    struct cap_op *s = (struct cap_op *)op;
    arena_destroy(s->arena);
    sl_free(s->rows);
    op_fini(op);
    sl_free(s);
}

static const struct sl_op_vtable cap_vtable = {
    .name = "capture", .push = cap_push, .flush = cap_flush, .explain = cap_explain,
    .destroy = cap_destroy};

static struct cap_op *cap_create(struct sl_arena *batch)
{
    struct cap_op *s = sl_calloc(1, sizeof *s);
    assert_non_null(s);
    assert_int_equal(op_init(&s->base, &cap_vtable, batch, 0, NULL, NULL), SL_OK);
    s->arena = arena_create(0);
    return s;
}

static struct sl_str str(const char *s)
{
    return (struct sl_str){s, (uint32_t)strlen(s)};
}

/* Finds the captured row whose first column is the text key (NULL: a NULL key). */
static const struct cap_row *find(const struct cap_op *s, const char *key)
{
    for (size_t i = 0; i < s->n; i++) {
        const struct sl_value *k = &s->rows[i].v[0];
        if (!key ? k->type == SL_NULL
                 : k->type == SL_TEXT && k->u.s.len == strlen(key) &&
                       !memcmp(k->u.s.ptr, key, k->u.s.len))
            return &s->rows[i];
    }
    return NULL;
}

/* word, value: keys TEXT; count(*), sum(v), min(v), max(v), avg(v), min(word). */
static struct sl_op *make_agg(struct sl_arena *batch, struct cap_op **cap)
{
    enum sl_type kt = SL_TEXT;
    const char *kn = "word";
    struct sl_agg_spec specs[] = {
        {.fn = aggregate_lookup("count"), .arg_column = -1, .arg_type = SL_NULL, .result_type = SL_INT, .name = "n"},
        {.fn = aggregate_lookup("sum"), .arg_column = 1, .arg_type = SL_INT, .result_type = SL_INT, .name = "s"},
        {.fn = aggregate_lookup("min"), .arg_column = 1, .arg_type = SL_INT, .result_type = SL_INT, .name = "lo"},
        {.fn = aggregate_lookup("max"), .arg_column = 1, .arg_type = SL_INT, .result_type = SL_INT, .name = "hi"},
        {.fn = aggregate_lookup("avg"), .arg_column = 1, .arg_type = SL_INT, .result_type = SL_REAL, .name = "mean"},
    };
    struct sl_op *op;
    struct sl_error err;
    assert_int_equal(op_hash_agg_create(batch, 1, &kt, &kn, 5, specs, &op, &err), SL_OK);
    *cap = cap_create(batch);
    op->next = &(*cap)->base;
    return op;
}

static struct sl_chunk *word_chunk(struct sl_arena *a, const char *const *words,
                                   const int64_t *vals, uint32_t n)
{
    enum sl_type types[] = {SL_TEXT, SL_INT};
    struct sl_chunk *c;
    assert_int_equal(chunk_create(a, 2, types, &c), SL_OK);
    for (uint32_t i = 0; i < n; i++) {
        struct sl_value w =
            words[i] ? (struct sl_value){.type = SL_TEXT, .u.s = str(words[i])} : sl_null();
        vector_set(&c->cols[0], i, w);
        struct sl_value v =
            vals[i] == INT64_MIN ? sl_null() : (struct sl_value){.type = SL_INT, .u.i = vals[i]};
        vector_set(&c->cols[1], i, v);
    }
    c->count = n;
    return c;
}

static void check(const struct cap_row *r, int64_t n, int64_t s, int64_t lo, int64_t hi,
                  double mean, uint8_t kind)
{
    assert_non_null(r);
    assert_int_equal(r->kind, kind);
    assert_int_equal(r->v[1].u.i, n);
    assert_int_equal(r->v[2].u.i, s);
    assert_int_equal(r->v[3].u.i, lo);
    assert_int_equal(r->v[4].u.i, hi);
    assert_true(r->v[5].u.r == mean);
}

static void test_groups_and_changes(void **state)
{
    (void)state;
    struct sl_arena *batch = arena_create(0);
    struct cap_op *cap;
    struct sl_op *op = make_agg(batch, &cap);
    struct sl_error err;
    const char *w1[] = {"a", "b", "a", NULL, "c"};
    int64_t v1[] = {1, 10, 3, 7, INT64_MIN};
    const char *w2[] = {"b", NULL, "a"};
    int64_t v2[] = {-4, 9, 2};
    assert_int_equal(op_push(op, word_chunk(batch, w1, v1, 5), &err), SL_OK);
    assert_int_equal(op_push(op, word_chunk(batch, w2, v2, 3), &err), SL_OK);
    assert_int_equal(op_flush(op, &err), SL_OK);
    assert_int_equal(cap->n, 4);
    check(find(cap, "a"), 3, 6, 1, 3, 2.0, SL_ROW_INSERT);
    check(find(cap, "b"), 2, 6, -4, 10, 3.0, SL_ROW_INSERT);
    check(find(cap, NULL), 2, 16, 7, 9, 8.0, SL_ROW_INSERT);
    const struct cap_row *c = find(cap, "c");
    assert_int_equal(c->v[1].u.i, 1);
    assert_int_equal(c->v[2].type, SL_NULL); /* sum of only NULLs */
    assert_int_equal(c->v[3].type, SL_NULL);
    assert_int_equal(c->v[5].type, SL_NULL);
    uint64_t groups, bytes;
    op_state_stats(op, &groups, &bytes);
    assert_int_equal(groups, 4);
    assert_true(bytes > 0);

    /* Only the changed group comes again, as an UPDATE. */
    cap->n = 0;
    arena_reset(batch);
    const char *w3[] = {"b"};
    int64_t v3[] = {100};
    assert_int_equal(op_push(op, word_chunk(batch, w3, v3, 1), &err), SL_OK);
    assert_int_equal(op_flush(op, &err), SL_OK);
    assert_int_equal(cap->n, 1);
    check(find(cap, "b"), 3, 106, -4, 100, 106.0 / 3, SL_ROW_UPDATE);
    cap->n = 0;
    assert_int_equal(op_flush(op, &err), SL_OK);
    assert_int_equal(cap->n, 0);

    struct sl_buf b;
    buf_init(&b);
    op_explain_chain(op, &b);
    assert_string_equal(buf_str(&b),
                        "hash aggregate by word: count(*) AS n, sum(#1) AS s, min(#1) AS lo, "
                        "max(#1) AS hi, avg(#1) AS mean -> (word TEXT, n INTEGER, s INTEGER, "
                        "lo INTEGER, hi INTEGER, mean REAL)\ncapture -> ()\n");
    buf_free(&b);
    op_destroy_chain(op);
    arena_destroy(batch);
}

/* The rows a flush recorded, as the runtime would read them back. */
static sl_status restore_row(struct sl_op *op, const struct sl_state_delta *d, uint32_t i,
                             struct sl_error *err)
{
    const struct sl_state_row *r = &d->rows[i];
    return op_restore(op, 0, state_delta_key(d, r), r->key_len, state_delta_state(d, r),
                      r->state_len, err);
}

/* The groups a batch changed, marked by its flush at their group number,
 * their rows made by the snapshot hook (as the runtime writes them) and
 * restored into a fresh operator, carry on as if it had never stopped:
 * their next change is an UPDATE with the sums so far; bytes that do not
 * decode are refused. */
static void test_flush_records_restore(void **state)
{
    (void)state;
    struct sl_arena *batch = arena_create(0);
    struct cap_op *cap;
    struct sl_op *op = make_agg(batch, &cap);
    struct sl_error err;
    struct sl_state_delta marks, d;
    state_delta_init(&marks);
    state_delta_init(&d);
    op->delta = &marks;
    const char *w1[] = {"a", "a long key past twelve bytes", NULL, "a"};
    int64_t v1[] = {1, 10, 7, 3};
    assert_int_equal(op_push(op, word_chunk(batch, w1, v1, 4), &err), SL_OK);
    assert_true(op_chain_restorable(op));
    assert_int_equal(op_flush(op, &err), SL_OK);
    assert_int_equal(marks.nmarked, 3);
    assert_int_equal(marks.nrows, 0);
    assert_int_equal(marks.nranges, 0);
    for (uint32_t i = 0; i < marks.nmarked; i++) {
        assert_int_equal(marks.marked[i], i);
        assert_int_equal(op->vt->snapshot(op, marks.marked[i], &d, &err), SL_OK);
    }
    assert_int_equal(d.nrows, 3);
    for (uint32_t i = 0; i < d.nrows; i++)
        assert_int_equal(d.rows[i].pos, i);
    assert_int_equal(op->vt->snapshot(op, 3, &d, &err), SL_ERROR);
    state_delta_free(&marks);
    op_destroy_chain(op);

    op = make_agg(batch, &cap);
    for (uint32_t i = 0; i < d.nrows; i++)
        assert_int_equal(restore_row(op, &d, i, &err), SL_OK);
    uint64_t groups, bytes;
    op_state_stats(op, &groups, &bytes);
    assert_int_equal(groups, 3);
    const char *w2[] = {"a", "b"};
    int64_t v2[] = {5, 2};
    assert_int_equal(op_push(op, word_chunk(batch, w2, v2, 2), &err), SL_OK);
    assert_int_equal(op_flush(op, &err), SL_OK);
    assert_int_equal(cap->n, 2);
    check(find(cap, "a"), 3, 9, 1, 5, 3.0, SL_ROW_UPDATE);
    check(find(cap, "b"), 1, 2, 2, 2, 2.0, SL_ROW_INSERT);

    assert_int_equal(restore_row(op, &d, 0, &err), SL_ERROR);
    assert_string_equal(err.msg, "a group is there twice");
    const struct sl_state_row *r = &d.rows[0];
    assert_int_equal(op_restore(op, 0, (const unsigned char *)"\x04", 1, state_delta_state(&d, r),
                                r->state_len, &err),
                     SL_ERROR);
    assert_string_equal(err.msg, "a group's key does not decode");
    assert_int_equal(op_restore(op, 1, state_delta_key(&d, r), r->key_len,
                                state_delta_state(&d, r), r->state_len, &err),
                     SL_ERROR);
    assert_string_equal(err.msg, "operator 1 of the plan has no state");
    state_delta_free(&d);
    op_destroy_chain(op);
    arena_destroy(batch);
}

/* Keys that differ only slightly, and enough of them to make probe chains. */
static void test_similar_text_keys(void **state)
{
    (void)state;
    struct sl_arena *batch = arena_create(0);
    struct cap_op *cap;
    struct sl_op *op = make_agg(batch, &cap);
    struct sl_error err;
    enum { NKEYS = 3000 };
    static char keys[NKEYS][16];
    const char *w[SL_CHUNK_CAP];
    int64_t v[SL_CHUNK_CAP];
    for (int i = 0; i < NKEYS; i++)
        snprintf(keys[i], sizeof keys[i], i % 2 ? "k%d " : "k%d", i / 2);
    for (int round = 0; round < 3; round++) {
        for (int from = 0; from < NKEYS; from += SL_CHUNK_CAP) {
            uint32_t n = 0;
            for (int i = from; i < NKEYS && n < SL_CHUNK_CAP; i++, n++) {
                w[n] = keys[i];
                v[n] = i;
            }
            assert_int_equal(op_push(op, word_chunk(batch, w, v, n), &err), SL_OK);
        }
    }
    const char *empty[] = {""};
    int64_t zero[] = {0};
    assert_int_equal(op_push(op, word_chunk(batch, empty, zero, 1), &err), SL_OK);
    assert_int_equal(op_flush(op, &err), SL_OK);
    assert_int_equal(cap->n, NKEYS + 1);
    for (int i = 0; i < NKEYS; i++)
        check(find(cap, keys[i]), 3, 3 * i, i, i, i, SL_ROW_INSERT);
    assert_int_equal(find(cap, "")->v[1].u.i, 1);
    op_destroy_chain(op);
    arena_destroy(batch);
}

/* Text keys of every length around the inline limit (12 bytes), sharing
 * prefixes and differing only in the last byte, next to NULL and ''. */
static void test_text_key_forms(void **state)
{
    (void)state;
    struct sl_arena *batch = arena_create(0);
    struct cap_op *cap;
    struct sl_op *op = make_agg(batch, &cap);
    struct sl_error err;
    static const char alpha[] = "abcdefghijklmnopqrstuvwxyz0123456789ABCD";
    enum { MAXLEN = 40, NKEYS = 2 * (MAXLEN + 1) };
    static char keys[NKEYS][MAXLEN + 1];
    const char *w[NKEYS + 1];
    int64_t v[NKEYS + 1];
    for (int len = 0; len <= MAXLEN; len++) {
        memcpy(keys[2 * len], alpha, (size_t)len);
        memcpy(keys[2 * len + 1], alpha, (size_t)len);
        if (len)
            keys[2 * len + 1][len - 1] = '#';
    }
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < NKEYS; i++) {
            int j = round == 1 ? NKEYS - 1 - i : i; /* another order, same keys */
            w[i] = keys[j];
            v[i] = j;
        }
        w[NKEYS] = NULL;
        v[NKEYS] = 0;
        assert_int_equal(op_push(op, word_chunk(batch, w, v, NKEYS + 1), &err), SL_OK);
    }
    assert_int_equal(op_flush(op, &err), SL_OK);
    /* '' comes twice in keys (length 0, both forms): one group */
    assert_int_equal(cap->n, NKEYS - 1 + 1);
    for (int i = 2; i < NKEYS; i++) {
        const struct cap_row *r = find(cap, keys[i]);
        assert_non_null(r);
        assert_int_equal(r->v[1].u.i, 3);
        assert_int_equal(r->v[2].u.i, 3 * i);
    }
    assert_int_equal(find(cap, "")->v[1].u.i, 6);
    assert_int_equal(find(cap, NULL)->v[1].u.i, 3);
    op_destroy_chain(op);
    arena_destroy(batch);
}

/* Keys (TEXT, INT, TEXT): text cells and values side by side in one entry. */
static void test_mixed_keys(void **state)
{
    (void)state;
    struct sl_arena *batch = arena_create(0);
    enum sl_type kt[] = {SL_TEXT, SL_INT, SL_TEXT};
    const char *kn[] = {"a", "b", "c"};
    struct sl_agg_spec specs[] = {{.fn = aggregate_lookup("count"), .arg_column = -1, .arg_type = SL_NULL, .result_type = SL_INT, .name = "n"}};
    struct sl_op *op;
    struct sl_error err;
    assert_int_equal(op_hash_agg_create(batch, 3, kt, kn, 1, specs, &op, &err), SL_OK);
    struct cap_op *cap = cap_create(batch);
    op->next = &cap->base;
    const char *a[] = {"x", "x", NULL, "x", "a rather long key", "x"};
    int64_t b[] = {1, 2, 1, 1, 1, INT64_MIN};
    const char *c[] = {"a rather long key", "a rather long key", "y",
                       "a rather long kez", "x",                 NULL};
    struct sl_chunk *ch;
    assert_int_equal(chunk_create(batch, 3, kt, &ch), SL_OK);
    for (uint32_t i = 0; i < 6; i++) {
        vector_set(&ch->cols[0], i,
                   a[i] ? (struct sl_value){.type = SL_TEXT, .u.s = str(a[i])} : sl_null());
        vector_set(&ch->cols[1], i,
                   b[i] == INT64_MIN ? sl_null() : (struct sl_value){.type = SL_INT, .u.i = b[i]});
        vector_set(&ch->cols[2], i,
                   c[i] ? (struct sl_value){.type = SL_TEXT, .u.s = str(c[i])} : sl_null());
    }
    ch->count = 6;
    assert_int_equal(op_push(op, ch, &err), SL_OK);
    assert_int_equal(op_push(op, ch, &err), SL_OK);
    assert_int_equal(op_flush(op, &err), SL_OK);
    assert_int_equal(cap->n, 6);
    for (uint32_t r = 0; r < 6; r++) {
        const struct sl_value *k = cap->rows[r].v;
        uint32_t i = 0;
        while (i < 6 && !((a[i] ? k[0].type == SL_TEXT && k[0].u.s.len == strlen(a[i]) &&
                                      !memcmp(k[0].u.s.ptr, a[i], k[0].u.s.len)
                                : k[0].type == SL_NULL) &&
                          (b[i] == INT64_MIN ? k[1].type == SL_NULL : k[1].u.i == b[i]) &&
                          (c[i] ? k[2].type == SL_TEXT && k[2].u.s.len == strlen(c[i]) &&
                                      !memcmp(k[2].u.s.ptr, c[i], k[2].u.s.len)
                                : k[2].type == SL_NULL)))
            i++;
        assert_true(i < 6);
        assert_int_equal(k[3].u.i, 2);
    }
    op_destroy_chain(op);
    arena_destroy(batch);
}

/* 200k INT groups over many chunks and flushes, against arrays indexed by key. */
static void test_growth(void **state)
{
    (void)state;
    enum { NGROUPS = 200000, NROWS = 1000000 };
    struct sl_arena *batch = arena_create(0);
    enum sl_type kt = SL_INT;
    const char *kn = "k";
    struct sl_agg_spec specs[] = {
        {.fn = aggregate_lookup("count"), .arg_column = -1, .arg_type = SL_NULL, .result_type = SL_INT, .name = "n"},
        {.fn = aggregate_lookup("sum"), .arg_column = 1, .arg_type = SL_INT, .result_type = SL_INT, .name = "s"},
    };
    struct sl_op *op;
    struct sl_error err;
    assert_int_equal(op_hash_agg_create(batch, 1, &kt, &kn, 2, specs, &op, &err), SL_OK);
    struct cap_op *cap = cap_create(batch);
    op->next = &cap->base;
    int64_t *count = sl_calloc(NGROUPS, sizeof *count), *sum = sl_calloc(NGROUPS, sizeof *sum);
    uint8_t *seen = sl_calloc(NGROUPS, 1);
    enum sl_type types[] = {SL_INT, SL_INT};
    uint64_t x = 88172645463325252u;
    for (int row = 0; row < NROWS;) {
        struct sl_chunk *c;
        assert_int_equal(chunk_create(batch, 2, types, &c), SL_OK);
        for (c->count = 0; c->count < SL_CHUNK_CAP && row < NROWS; c->count++, row++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            int64_t k = (int64_t)(x % NGROUPS) - 1000, val = (int64_t)(x >> 40) % 1000;
            c->cols[0].data.i[c->count] = k;
            c->cols[1].data.i[c->count] = val;
            count[k + 1000]++;
            sum[k + 1000] += val;
        }
        assert_int_equal(op_push(op, c, &err), SL_OK);
        if (row % (200 * SL_CHUNK_CAP) == 0 || row == NROWS) {
            assert_int_equal(op_flush(op, &err), SL_OK);
            arena_reset(batch);
            for (size_t i = 0; i < cap->n; i++) {
                const struct cap_row *r = &cap->rows[i];
                int64_t k = r->v[0].u.i + 1000;
                assert_int_equal(r->kind, seen[k] ? SL_ROW_UPDATE : SL_ROW_INSERT);
                seen[k] = 1;
                assert_int_equal(r->v[1].u.i, count[k]);
                assert_int_equal(r->v[2].u.i, sum[k]);
            }
            cap->n = 0;
        }
    }
    uint64_t groups, bytes;
    op_state_stats(op, &groups, &bytes);
    uint64_t expect = 0;
    for (int k = 0; k < NGROUPS; k++) {
        expect += count[k] > 0;
        assert_int_equal(seen[k], count[k] > 0);
    }
    assert_int_equal(groups, expect);
    assert_true(groups > 100000);
    sl_free(count);
    sl_free(sum);
    sl_free(seen);
    op_destroy_chain(op);
    arena_destroy(batch);
}

/* combine(step(first half), step(second half)) == step(everything), for each aggregate. */
static void check_combine(const char *name, enum sl_type type, const struct sl_value *vals,
                          uint32_t n)
{
    const struct sl_agg_fn *fn = aggregate_lookup(name);
    struct sl_arena *a = arena_create(0);
    struct sl_vector v;
    assert_int_equal(vector_init(a, type, &v), SL_OK);
    for (uint32_t i = 0; i < n; i++)
        vector_set(&v, i, vals[i]);
    size_t size = fn->state_size(type);
    void *all = arena_alloc(a, size), *left = arena_alloc(a, size), *right = arena_alloc(a, size);
    fn->init(all, type, 0);
    fn->init(left, type, 0);
    fn->init(right, type, 0);
    void *states[16];
    uint32_t rows[16];
    for (uint32_t i = 0; i < n; i++) {
        rows[i] = i;
        states[i] = all;
    }
    fn->step(states, &v, NULL, rows, n, a);
    for (uint32_t i = 0; i < n; i++)
        states[i] = i < n / 2 ? left : right;
    fn->step(states, &v, NULL, rows, n, a);
    fn->combine(left, right, type, a);
    struct sl_value x = agg_value(fn, all, type, a), y = agg_value(fn, left, type, a);
    assert_int_equal(x.type, y.type);
    if (x.type == SL_TEXT) {
        assert_int_equal(x.u.s.len, y.u.s.len);
        assert_memory_equal(x.u.s.ptr, y.u.s.ptr, x.u.s.len);
    } else if (x.type == SL_REAL) {
        assert_true(x.u.r == y.u.r);
    } else if (x.type != SL_NULL) {
        assert_int_equal(x.u.i, y.u.i);
    }
    arena_destroy(a);
}

static void test_combine(void **state)
{
    (void)state;
    struct sl_value ints[6] = {{.type = SL_INT, .u.i = 5},  sl_null(),
                               {.type = SL_INT, .u.i = -2}, {.type = SL_INT, .u.i = 40},
                               {.type = SL_INT, .u.i = 1},  sl_null()};
    struct sl_value reals[4] = {{.type = SL_REAL, .u.r = 0.5},
                                {.type = SL_REAL, .u.r = 2.25},
                                sl_null(),
                                {.type = SL_REAL, .u.r = -1.0}};
    struct sl_value texts[5] = {{.type = SL_TEXT, .u.s = {"pear", 4}},
                                {.type = SL_TEXT, .u.s = {"apple", 5}},
                                sl_null(),
                                {.type = SL_TEXT, .u.s = {"zoo", 3}},
                                {.type = SL_TEXT, .u.s = {"app", 3}}};
    struct sl_value nulls[2] = {sl_null(), sl_null()};
    const char *names[] = {"count", "sum", "avg", "min", "max"};
    for (int i = 0; i < 5; i++) {
        check_combine(names[i], SL_INT, ints, 6);
        check_combine(names[i], SL_REAL, reals, 4);
        check_combine(names[i], SL_INT, nulls, 2);
    }
    check_combine("count", SL_TEXT, texts, 5);
    check_combine("min", SL_TEXT, texts, 5);
    check_combine("max", SL_TEXT, texts, 5);
}

static void test_sum_overflow_is_real(void **state)
{
    (void)state;
    const struct sl_agg_fn *fn = aggregate_lookup("sum");
    struct sl_arena *a = arena_create(0);
    struct sl_vector v;
    assert_int_equal(vector_init(a, SL_INT, &v), SL_OK);
    v.data.i[0] = INT64_MAX;
    v.data.i[1] = 1;
    v.nulls[0] = v.nulls[1] = 0;
    int64_t st[8];
    fn->init(st, SL_INT, 0);
    void *states[2] = {st, st};
    uint32_t rows[2] = {0, 1};
    fn->step(states, &v, NULL, rows, 2, a);
    struct sl_value r = agg_value(fn, st, SL_INT, a);
    assert_int_equal(r.type, SL_REAL);
    assert_true(r.u.r == 9223372036854775808.0);
    enum sl_type t;
    char why[64];
    assert_false(fn->infer(SL_TEXT, &t, why, sizeof why));
    assert_string_equal(why, "sum() expects a number, got TEXT");
    assert_null(aggregate_lookup("median"));
    arena_destroy(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groups_and_changes),
        cmocka_unit_test(test_flush_records_restore),
        cmocka_unit_test(test_similar_text_keys),
        cmocka_unit_test(test_text_key_forms),
        cmocka_unit_test(test_mixed_keys),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_combine),
        cmocka_unit_test(test_sum_overflow_is_real),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
