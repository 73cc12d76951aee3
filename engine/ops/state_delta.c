/* state_delta.c — what a flush changed in an operator's state (see state_delta.h). */
#include "engine/ops/state_delta.h"

#include "common/alloc.h"

void state_delta_init(struct sl_state_delta *d)
{
    *d = (struct sl_state_delta){0};
    buf_init(&d->bytes);
}

void state_delta_free(struct sl_state_delta *d)
{
    buf_free(&d->bytes);
    sl_free(d->rows);
    sl_free(d->ranges);
    sl_free(d->marked);
    state_delta_init(d);
}

void state_delta_clear(struct sl_state_delta *d)
{
    buf_clear(&d->bytes);
    d->bytes.failed = false;
    d->nrows = d->nranges = d->nmarked = 0;
    d->failed = false;
}

/* Room for one more item of `size` bytes in *items (n used of *cap). */
static bool grow(void **items, uint32_t n, uint32_t *cap, size_t size)
{
    if (n < *cap)
        return true;
    uint32_t new_cap = *cap ? *cap * 2 : 256;
    void *p = sl_realloc(*items, new_cap * size);
    if (!p)
        return false;
    *items = p;
    *cap = new_cap;
    return true;
}

void state_delta_begin(struct sl_state_delta *d)
{
    d->begun = d->key_end = d->bytes.len;
}

void state_delta_key_done(struct sl_state_delta *d)
{
    d->key_end = d->bytes.len;
}

bool state_delta_end(struct sl_state_delta *d, uint64_t pos)
{
    size_t key_len = d->key_end - d->begun, state_len = d->bytes.len - d->key_end;
    if (d->bytes.failed || key_len > UINT32_MAX || state_len > UINT32_MAX ||
        !grow((void **)&d->rows, d->nrows, &d->cap_rows, sizeof *d->rows)) {
        d->failed = true;
        return false;
    }
    d->rows[d->nrows++] = (struct sl_state_row){.key_off = d->begun,
                                                .key_len = (uint32_t)key_len,
                                                .state_off = d->key_end,
                                                .state_len = (uint32_t)state_len,
                                                .pos = pos};
    return true;
}

bool state_delta_put(struct sl_state_delta *d, const void *key, size_t key_len,
                     const void *state, size_t state_len, uint64_t pos)
{
    state_delta_begin(d);
    buf_append(&d->bytes, key, key_len);
    state_delta_key_done(d);
    buf_append(&d->bytes, state, state_len);
    return state_delta_end(d, pos);
}

bool state_delta_drop(struct sl_state_delta *d, const void *lo, size_t lo_len, const void *hi,
                      size_t hi_len)
{
    size_t lo_off = d->bytes.len;
    buf_append(&d->bytes, lo, lo_len);
    size_t hi_off = d->bytes.len;
    buf_append(&d->bytes, hi, hi_len);
    if (d->bytes.failed || lo_len > UINT32_MAX || hi_len > UINT32_MAX ||
        !grow((void **)&d->ranges, d->nranges, &d->cap_ranges, sizeof *d->ranges)) {
        d->failed = true;
        return false;
    }
    d->ranges[d->nranges++] = (struct sl_state_range){
        .lo_off = lo_off, .lo_len = (uint32_t)lo_len, .hi_off = hi_off, .hi_len = (uint32_t)hi_len};
    return true;
}

/* The byte at off; an empty buffer has no data, and its rows are empty. */
static const unsigned char *at(const struct sl_state_delta *d, size_t off)
{
    return d->bytes.data ? (const unsigned char *)d->bytes.data + off : (const unsigned char *)"";
}

const unsigned char *state_delta_key(const struct sl_state_delta *d, const struct sl_state_row *r)
{
    return at(d, r->key_off);
}

const unsigned char *state_delta_state(const struct sl_state_delta *d,
                                       const struct sl_state_row *r)
{
    return at(d, r->state_off);
}

const unsigned char *state_delta_lo(const struct sl_state_delta *d,
                                    const struct sl_state_range *g)
{
    return at(d, g->lo_off);
}

const unsigned char *state_delta_hi(const struct sl_state_delta *d,
                                    const struct sl_state_range *g)
{
    return at(d, g->hi_off);
}

bool state_delta_mark(struct sl_state_delta *d, uint64_t pos)
{
    if (!grow((void **)&d->marked, d->nmarked, &d->cap_marked, sizeof *d->marked)) {
        d->failed = true;
        return false;
    }
    d->marked[d->nmarked++] = pos;
    return true;
}
