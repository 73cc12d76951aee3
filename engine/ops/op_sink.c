/*
 * op_sink.c — the last operator: keeps the batch's rows (a changelog) and
 * writes them to the query's result table when the batch ends. Queries
 * share one SQLite connection, so a query may hold a transaction only
 * while it commits its batch: rows pushed during the batch are copied
 * (compact, text included) into the sink's own arena until the flush,
 * column by column: typed arrays gathered, each column's text in one block.
 */
#include "engine/ops/op_sink.h"

#include <string.h>

#include "common/alloc.h"
#include "engine/values/rowsel.h"

struct sink_op {
    struct sl_op base;
    struct sl_result_table *table; /* not owned */
    uint64_t rows_written;
    struct sl_arena *pending_arena; /* the batch's rows until they are written */
    struct sl_chunk **pending;
    uint32_t npending, cap_pending;
    size_t pending_bytes; /* about what the kept rows take */
    op_sink_tap tap;      /* sees every row written (sinks' outboxes, a stream's log) */
    void *tap_ctx;
};

/* v with its text and arrays copied into arena; false when out of memory. */
static bool copy_value(struct sl_arena *arena, struct sl_value *v, size_t *bytes)
{
    if (v->type == SL_TEXT) {
        *bytes += v->u.s.len;
        if (v->u.s.len) {
            v->u.s.ptr = arena_memdup(arena, v->u.s.ptr, v->u.s.len);
            return v->u.s.ptr != NULL;
        }
        return true;
    }
    if (v->type != SL_ARRAY || !v->u.a)
        return true;
    struct sl_array *a = arena_alloc(arena, sizeof *a);
    if (!a)
        return false;
    a->count = v->u.a->count;
    *bytes += sizeof *a + a->count * sizeof *a->items;
    a->items = arena_memdup(arena, v->u.a->items, (a->count ? a->count : 1) * sizeof *a->items);
    if (!a->items)
        return false;
    for (uint32_t i = 0; i < a->count; i++)
        if (!copy_value(arena, &a->items[i], bytes))
            return false;
    v->u.a = a;
    return true;
}

/* The n text values of src at rows into dst, their bytes in one block of arena. */
static bool copy_texts(struct sl_arena *arena, const struct sl_vector *src,
                       const uint32_t *rows, uint32_t n, struct sl_vector *dst, size_t *bytes)
{
    size_t total = 0;
    for (uint32_t k = 0; k < n; k++)
        total += src->nulls[rows[k]] ? 0 : src->data.s[rows[k]].len;
    *bytes += total;
    char *block = total ? arena_alloc(arena, total) : NULL;
    if (total && !block)
        return false;
    for (uint32_t k = 0; k < n; k++) {
        struct sl_str str = src->data.s[rows[k]];
        if (src->nulls[rows[k]] || !str.len) {
            dst->data.s[k] = (struct sl_str){NULL, 0};
            continue;
        }
        memcpy(block, str.ptr, str.len);
        dst->data.s[k] = (struct sl_str){block, str.len};
        block += str.len;
    }
    return true;
}

/* Column src's active rows into dst: typed arrays gathered, text copied
 * into arena, arrays, ANY and a vector of another type value by value. */
static bool copy_column(struct sl_arena *arena, const struct sl_vector *src,
                        const uint32_t *rows, uint32_t n, struct sl_vector *dst, size_t *bytes)
{
    for (uint32_t k = 0; k < n; k++)
        dst->nulls[k] = src->nulls[rows[k]];
    switch (src->type == dst->type ? src->type : SL_ANY) {
    case SL_BOOL:
        for (uint32_t k = 0; k < n; k++)
            dst->data.b[k] = src->data.b[rows[k]];
        return true;
    case SL_INT:
    case SL_TIMESTAMP:
        for (uint32_t k = 0; k < n; k++)
            dst->data.i[k] = src->data.i[rows[k]];
        return true;
    case SL_REAL:
        for (uint32_t k = 0; k < n; k++)
            dst->data.r[k] = src->data.r[rows[k]];
        return true;
    case SL_TEXT:
        return copy_texts(arena, src, rows, n, dst, bytes);
    default:
        for (uint32_t k = 0; k < n; k++) {
            struct sl_value v = vector_get(src, rows[k]);
            if (!copy_value(arena, &v, bytes))
                return false;
            vector_set(dst, k, v);
        }
        return true;
    }
}

static sl_status sink_push(struct sl_op *op, struct sl_chunk *chunk, struct sl_error *err)
{
    struct sink_op *s = (struct sink_op *)op;
    if (!s->table && !s->tap)
        return sl_error_set(err, SL_ERROR, "rows pushed into a sink connected to no table");
    if (s->npending == s->cap_pending) {
        uint32_t cap = s->cap_pending ? s->cap_pending * 2 : 64;
        struct sl_chunk **pending = sl_realloc(s->pending, cap * sizeof *pending);
        if (!pending)
            return sl_error_set(err, SL_NOMEM, "out of memory keeping the batch's rows");
        s->pending = pending;
        s->cap_pending = cap;
    }
    const uint32_t *rows = rowsel_of(chunk);
    uint32_t n = chunk_active(chunk);
    struct sl_chunk *c;
    if (chunk_create(s->pending_arena, op->nout, op->out_types, &c) != SL_OK ||
        (chunk->row_kinds && !(c->row_kinds = arena_alloc(s->pending_arena, n ? n : 1))))
        return sl_error_set(err, SL_NOMEM, "out of memory keeping the batch's rows");
    for (uint32_t col = 0; col < op->nout; col++)
        if (!copy_column(s->pending_arena, &chunk->cols[col], rows, n, &c->cols[col],
                         &s->pending_bytes))
            return sl_error_set(err, SL_NOMEM, "out of memory keeping the batch's rows");
    for (uint32_t k = 0; chunk->row_kinds && k < n; k++)
        c->row_kinds[k] = chunk->row_kinds[rows[k]];
    c->count = n;
    s->pending_bytes += (size_t)n * (op->nout * (sizeof(struct sl_value) + 1) + 1);
    s->pending[s->npending++] = c;
    return SL_OK;
}

static sl_status sink_flush(struct sl_op *op, struct sl_error *err)
{
    struct sink_op *s = (struct sink_op *)op;
    sl_status st = SL_OK;
    for (uint32_t i = 0; i < s->npending && st == SL_OK; i++) {
        uint64_t written = s->pending[i]->count;
        if (s->table)
            st = result_table_write(s->table, s->pending[i], &written, err);
        if (st == SL_OK && s->tap)
            st = s->tap(s->tap_ctx, s->pending[i], err);
        s->rows_written += written;
    }
    op_sink_discard(op);
    return st;
}

static void sink_explain(const struct sl_op *op, struct sl_buf *out)
{
    const struct sink_op *s = (const struct sink_op *)op;
    buf_puts(out, s->table ? "sink result table" : "sink (not connected)");
}

static void sink_destroy(struct sl_op *op)
{
    struct sink_op *s = (struct sink_op *)op;
    arena_destroy(s->pending_arena);
    sl_free(s->pending);
    op_fini(op);
    sl_free(op);
}

static const struct sl_op_vtable sink_vtable = {
    .name = "sink",
    .push = sink_push,
    .flush = sink_flush,
    .explain = sink_explain,
    .destroy = sink_destroy,
};

sl_status op_sink_create(struct sl_arena *work, struct sl_result_table *table, uint32_t ncols,
                         const enum sl_type *types, const char *const *names, struct sl_op **out)
{
    struct sink_op *s = sl_calloc(1, sizeof *s);
    if (!s)
        return SL_NOMEM;
    s->pending_arena = arena_create(1024 * 1024);
    if (!s->pending_arena || op_init(&s->base, &sink_vtable, work, ncols, types, names) != SL_OK) {
        arena_destroy(s->pending_arena);
        sl_free(s);
        return SL_NOMEM;
    }
    s->table = table;
    *out = &s->base;
    return SL_OK;
}

void op_sink_set_tap(struct sl_op *op, op_sink_tap tap, void *ctx)
{
    struct sink_op *s = (struct sink_op *)op;
    s->tap = tap;
    s->tap_ctx = ctx;
}

uint64_t op_sink_take_written(struct sl_op *op)
{
    struct sink_op *s = (struct sink_op *)op;
    uint64_t n = s->rows_written;
    s->rows_written = 0;
    return n;
}

size_t op_sink_pending_bytes(const struct sl_op *op)
{
    return ((const struct sink_op *)op)->pending_bytes;
}

void op_sink_discard(struct sl_op *op)
{
    struct sink_op *s = (struct sink_op *)op;
    s->npending = 0;
    s->pending_bytes = 0;
    arena_reset(s->pending_arena);
}
