/* join_side.c — the rows one side of a stream join keeps (join_side.h). */
#include "engine/ops/join_side.h"

#include "common/alloc.h"

/* Bytes of dead row values a side keeps before it compacts them. */
#define COMPACT_MIN_BYTES ((size_t)1 << 20)

/* Makes room for one more of n elements of elem bytes in *items (capacity
 * *cap, doubled when full; amortised, never per row). False when out of memory. */
static bool room_for_one(void **items, uint32_t n, uint32_t *cap, size_t elem)
{
    if (n < *cap)
        return true;
    uint32_t grown = *cap ? *cap * 2 : 256;
    void *p = sl_realloc(*items, grown * elem);
    if (!p)
        return false;
    *items = p;
    *cap = grown;
    return true;
}

static bool heap_less(const struct join_side *s, uint32_t a, uint32_t b)
{
    const struct join_entry *x = &s->e[a], *y = &s->e[b];
    return x->expiry < y->expiry || (x->expiry == y->expiry && x->seq < y->seq);
}

static bool heap_push(struct join_side *s, uint32_t id)
{
    if (!room_for_one((void **)&s->heap, s->nheap, &s->cap_heap, sizeof *s->heap))
        return false;
    uint32_t i = s->nheap++;
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (!heap_less(s, id, s->heap[parent]))
            break;
        s->heap[i] = s->heap[parent];
        i = parent;
    }
    s->heap[i] = id;
    return true;
}

uint32_t join_side_pop(struct join_side *s)
{
    uint32_t top = s->heap[0], last = s->heap[--s->nheap], i = 0;
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= s->nheap)
            break;
        if (c + 1 < s->nheap && heap_less(s, s->heap[c + 1], s->heap[c]))
            c++;
        if (!heap_less(s, s->heap[c], last))
            break;
        s->heap[i] = s->heap[c];
        i = c;
    }
    if (s->nheap)
        s->heap[i] = last;
    return top;
}

static void chain_link(struct join_side *s, uint32_t id)
{
    struct join_entry *e = &s->e[id];
    uint32_t *head = &s->buckets[e->hash & s->mask];
    e->prev = JOIN_NIL;
    e->next = *head;
    if (*head != JOIN_NIL)
        s->e[*head].prev = id;
    *head = id;
    e->chained = true;
}

static void chain_unlink(struct join_side *s, uint32_t id)
{
    struct join_entry *e = &s->e[id];
    if (e->prev != JOIN_NIL)
        s->e[e->prev].next = e->next;
    else
        s->buckets[e->hash & s->mask] = e->next;
    if (e->next != JOIN_NIL)
        s->e[e->next].prev = e->prev;
    e->chained = false;
}

/* Doubles the buckets once the table holds as many rows as buckets. */
static bool grow_buckets(struct join_side *s)
{
    uint32_t n = s->mask ? (s->mask + 1) * 2 : 1024;
    uint32_t *b = sl_malloc(n * sizeof *b);
    if (!b)
        return false;
    for (uint32_t i = 0; i < n; i++)
        b[i] = JOIN_NIL;
    sl_free(s->buckets);
    s->buckets = b;
    s->mask = n - 1;
    for (uint32_t id = 0; id < s->n; id++)
        if (s->e[id].live && s->e[id].chained)
            chain_link(s, id);
    return true;
}

uint32_t join_side_alloc(struct join_side *s)
{
    if (s->free != JOIN_NIL) {
        uint32_t id = s->free;
        s->free = s->e[id].next;
        return id;
    }
    return room_for_one((void **)&s->e, s->n, &s->cap, sizeof *s->e) ? s->n++ : JOIN_NIL;
}

bool join_side_mark_dirty(struct join_side *s, uint32_t id)
{
    struct join_entry *e = &s->e[id];
    if (e->dirty)
        return true;
    if (!room_for_one((void **)&s->dirty, s->ndirty, &s->cap_dirty, sizeof *s->dirty))
        return false;
    s->dirty[s->ndirty++] = (struct join_dirty){id, e->seq};
    e->dirty = true;
    return true;
}

void join_side_compact(struct join_side *s)
{
    if (s->dead < COMPACT_MIN_BYTES || s->dead < s->bytes.len / 2)
        return;
    struct sl_buf b;
    buf_init(&b);
    for (uint32_t id = 0; id < s->n; id++)
        if (s->e[id].live)
            buf_append(&b, s->bytes.data + s->e[id].off, s->e[id].len);
    /* Out of memory: the rows stay where they are, to be compacted later. */
    if (b.failed) {
        buf_free(&b);
        return;
    }
    size_t off = 0;
    for (uint32_t id = 0; id < s->n; id++)
        if (s->e[id].live) {
            s->e[id].off = off;
            off += s->e[id].len;
        }
    buf_free(&s->bytes);
    s->bytes = b;
    s->dead = 0;
}

uint32_t join_side_keep(struct join_side *s, uint64_t hash, bool chained, int64_t time,
                        int64_t expiry, size_t off, uint32_t key_len, bool matched)
{
    if (s->live >= s->mask && !grow_buckets(s))
        return JOIN_NIL;
    uint32_t id = join_side_alloc(s);
    if (id == JOIN_NIL)
        return JOIN_NIL;
    struct join_entry *e = &s->e[id];
    *e = (struct join_entry){.hash = hash,
                             .time = time,
                             .expiry = expiry,
                             .seq = s->next_seq++,
                             .off = off,
                             .key_len = key_len,
                             .len = (uint32_t)(s->bytes.len - off),
                             .live = true,
                             .matched = matched};
    if (chained)
        chain_link(s, id);
    if (!heap_push(s, id)) {
        if (chained)
            chain_unlink(s, id);
        e->live = false;
        e->next = s->free;
        s->free = id;
        return JOIN_NIL;
    }
    s->live++;
    return id;
}

void join_side_release(struct join_side *s, uint32_t id)
{
    struct join_entry *e = &s->e[id];
    if (e->chained)
        chain_unlink(s, id);
    e->live = false;
    e->next = s->free;
    s->free = id;
    s->dead += e->len;
    s->live--;
}

void join_side_clear_delta(struct join_side *s)
{
    for (uint32_t k = 0; k < s->ndirty; k++) {
        struct join_entry *e = &s->e[s->dirty[k].id];
        if (e->seq == s->dirty[k].seq)
            e->dirty = false;
    }
    s->ndirty = 0;
    s->dropped_below = INT64_MIN;
}

void join_side_free(struct join_side *s)
{
    sl_free(s->e);
    sl_free(s->buckets);
    sl_free(s->heap);
    sl_free(s->dirty);
    sl_free(s->time);
    sl_free(s->needed);
    buf_free(&s->bytes);
}

bool join_side_init(struct join_side *s, uint32_t ncols, uint32_t first_out, uint32_t time_col,
                    const struct sl_expr *const *keys, const bool *needed)
{
    *s = (struct join_side){.ncols = ncols,
                            .first_out = first_out,
                            .time_col = time_col,
                            .keys = keys,
                            .free = JOIN_NIL,
                            .dropped_below = INT64_MIN};
    buf_init(&s->bytes);
    s->time = sl_calloc(1, sizeof *s->time);
    s->needed = sl_calloc(ncols ? ncols : 1, sizeof *s->needed);
    if (!s->time || !s->needed)
        return false;
    for (uint32_t c = 0; c < ncols; c++)
        s->needed[c] = !needed || needed[c];
    s->time->watermark = INT64_MIN;
    return true;
}
