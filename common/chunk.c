/* chunk.c — allocating chunks and vectors in a batch arena; value access by row. */
#include "common/chunk.h"

#include <string.h>

static size_t type_width(enum sl_type t)
{
    switch (t) {
    case SL_BOOL: return sizeof(uint8_t);
    case SL_INT:
    case SL_TIMESTAMP: return sizeof(int64_t);
    case SL_REAL: return sizeof(double);
    case SL_TEXT: return sizeof(struct sl_str);
    case SL_ARRAY: return sizeof(struct sl_array *);
    case SL_NULL:
    case SL_ANY: return sizeof(struct sl_value);
    }
    return sizeof(struct sl_value);
}

sl_status vector_init(struct sl_arena *arena, enum sl_type type, struct sl_vector *v)
{
    v->type = type;
    v->data.raw = arena_alloc(arena, type_width(type) * SL_CHUNK_CAP);
    v->nulls = arena_calloc(arena, SL_CHUNK_CAP);
    return v->data.raw && v->nulls ? SL_OK : SL_NOMEM;
}

sl_status chunk_create(struct sl_arena *arena, uint32_t ncols, const enum sl_type *types,
                       struct sl_chunk **out)
{
    struct sl_chunk *c = arena_calloc(arena, sizeof *c);
    if (!c)
        return SL_NOMEM;
    c->cols = arena_calloc(arena, (ncols ? ncols : 1) * sizeof *c->cols);
    if (!c->cols)
        return SL_NOMEM;
    c->ncols = ncols;
    c->arena = arena;
    for (uint32_t i = 0; i < ncols; i++) {
        if (vector_init(arena, types[i], &c->cols[i]) != SL_OK)
            return SL_NOMEM;
    }
    *out = c;
    return SL_OK;
}

void chunk_reset(struct sl_chunk *c)
{
    for (uint32_t i = 0; i < c->ncols; i++)
        memset(c->cols[i].nulls, 0, c->count);
    c->count = 0;
    c->sel = NULL;
    c->nsel = 0;
    c->row_kinds = NULL;
    c->watermarks = NULL;
}

bool chunk_selection_valid(const struct sl_chunk *c)
{
    if (!c->sel)
        return true;
    if (c->nsel > c->count)
        return false;
    for (uint32_t k = 0; k < c->nsel; k++)
        if (c->sel[k] >= c->count || (k && c->sel[k] <= c->sel[k - 1]))
            return false;
    return true;
}

struct sl_value vector_get(const struct sl_vector *v, uint32_t row)
{
    struct sl_value out = {.type = SL_NULL};
    if (v->nulls[row])
        return out;
    out.type = v->type;
    switch (v->type) {
    case SL_BOOL: out.u.b = v->data.b[row] != 0; break;
    case SL_INT:
    case SL_TIMESTAMP: out.u.i = v->data.i[row]; break;
    case SL_REAL: out.u.r = v->data.r[row]; break;
    case SL_TEXT: out.u.s = v->data.s[row]; break;
    case SL_ARRAY: out.u.a = v->data.a[row]; break;
    case SL_ANY: return v->data.v[row];
    case SL_NULL: out.type = SL_NULL; break;
    }
    return out;
}

void vector_set(struct sl_vector *v, uint32_t row, struct sl_value value)
{
    if (value.type == SL_NULL) {
        v->nulls[row] = 1;
        if (v->type == SL_ANY)
            v->data.v[row] = value;
        return;
    }
    v->nulls[row] = 0;
    switch (v->type) {
    case SL_BOOL: v->data.b[row] = value.u.b; break;
    case SL_INT:
    case SL_TIMESTAMP: v->data.i[row] = value.u.i; break;
    case SL_REAL: v->data.r[row] = value.u.r; break;
    case SL_TEXT: v->data.s[row] = value.u.s; break;
    case SL_ARRAY: v->data.a[row] = value.u.a; break;
    case SL_ANY: v->data.v[row] = value; break;
    case SL_NULL: v->nulls[row] = 1; break;
    }
}
