/* row_codec.c — rows as bytes for the outbox (row_codec.h). */
#include "engine/values/row_codec.h"

#include <string.h>

#include "engine/values/rowsel.h"

static void put_value(struct sl_buf *out, const struct sl_value *v)
{
    buf_putc(out, (char)v->type);
    switch (v->type) {
    case SL_BOOL: buf_putc(out, v->u.b ? 1 : 0); break;
    case SL_INT:
    case SL_TIMESTAMP: buf_append(out, (const char *)&v->u.i, sizeof v->u.i); break;
    case SL_REAL: buf_append(out, (const char *)&v->u.r, sizeof v->u.r); break;
    case SL_TEXT:
        buf_append(out, (const char *)&v->u.s.len, sizeof v->u.s.len);
        buf_append(out, v->u.s.ptr, v->u.s.len);
        break;
    case SL_ARRAY: {
        uint32_t n = v->u.a ? v->u.a->count : 0;
        buf_append(out, (const char *)&n, sizeof n);
        for (uint32_t i = 0; i < n; i++)
            put_value(out, &v->u.a->items[i]);
        break;
    }
    default: break;
    }
}

void row_codec_append(struct sl_buf *out, const struct sl_chunk *chunk)
{
    const uint32_t *rows = rowsel_of(chunk);
    uint32_t n = chunk_active(chunk);
    for (uint32_t k = 0; k < n; k++) {
        buf_putc(out, (char)(chunk->row_kinds ? chunk->row_kinds[rows[k]] : SL_ROW_INSERT));
        for (uint32_t c = 0; c < chunk->ncols; c++) {
            struct sl_value v = vector_get(&chunk->cols[c], rows[k]);
            put_value(out, &v);
        }
    }
}

struct reader {
    const char *p, *end;
    struct sl_arena *arena;
};

static bool take(struct reader *r, void *dst, size_t n)
{
    if ((size_t)(r->end - r->p) < n)
        return false;
    memcpy(dst, r->p, n);
    r->p += n;
    return true;
}

/* depth bounds the recursion over arrays (split() makes flat ones). */
static bool get_value(struct reader *r, struct sl_value *v, int depth)
{
    uint8_t tag;
    if (!take(r, &tag, 1) || depth > 32)
        return false;
    memset(v, 0, sizeof *v);
    v->type = (enum sl_type)tag;
    switch (v->type) {
    case SL_NULL: return true;
    case SL_BOOL: {
        uint8_t b;
        if (!take(r, &b, 1) || b > 1)
            return false;
        v->u.b = b != 0;
        return true;
    }
    case SL_INT:
    case SL_TIMESTAMP: return take(r, &v->u.i, sizeof v->u.i);
    case SL_REAL: return take(r, &v->u.r, sizeof v->u.r);
    case SL_TEXT:
        if (!take(r, &v->u.s.len, sizeof v->u.s.len) || (size_t)(r->end - r->p) < v->u.s.len)
            return false;
        v->u.s.ptr = r->p;
        r->p += v->u.s.len;
        return true;
    case SL_ARRAY: {
        uint32_t n;
        /* Every item takes a byte at least: a count past what is left is corrupt. */
        if (!take(r, &n, sizeof n) || n > (size_t)(r->end - r->p))
            return false;
        struct sl_array *a = arena_alloc(r->arena, sizeof *a);
        struct sl_value *items = arena_alloc(r->arena, (n ? n : 1) * sizeof *items);
        if (!a || !items)
            return false;
        a->count = n;
        a->items = items;
        v->u.a = a;
        for (uint32_t i = 0; i < n; i++)
            if (!get_value(r, &items[i], depth + 1))
                return false;
        return true;
    }
    default: return false;
    }
}

bool row_codec_decode(const char *data, size_t len, uint32_t nrows, uint32_t ncols,
                      struct sl_value *values, uint8_t *kinds, struct sl_arena *arena)
{
    struct reader r = {data, data + len, arena};
    for (uint32_t row = 0; row < nrows; row++) {
        if (!take(&r, &kinds[row], 1) || kinds[row] > SL_ROW_DELETE)
            return false;
        for (uint32_t c = 0; c < ncols; c++)
            if (!get_value(&r, &values[(size_t)row * ncols + c], 0))
                return false;
    }
    return r.p == r.end;
}
