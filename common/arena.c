/* arena.c — block-chained bump allocation; big requests get a block of their own. */
#include "common/arena.h"

#include "common/alloc.h"

#include <stdint.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_DEFAULT_BLOCK (64 * 1024)

struct arena_block {
    struct arena_block *next;
    size_t size;
    size_t used;
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

struct sl_arena {
    struct arena_block *head;  /* current block; older blocks follow */
    struct arena_block *spare; /* standard blocks kept by arena_reset for reuse */
    size_t block_size;
    size_t reserved;
};

struct sl_arena *arena_create(size_t block_size)
{
    struct sl_arena *a = sl_calloc(1, sizeof *a);
    if (a)
        a->block_size = block_size ? block_size : ARENA_DEFAULT_BLOCK;
    return a;
}

static void free_blocks(struct arena_block *b)
{
    while (b) {
        struct arena_block *next = b->next;
        sl_free(b);
        b = next;
    }
}

void arena_destroy(struct sl_arena *a)
{
    if (!a)
        return;
    free_blocks(a->head);
    free_blocks(a->spare);
    sl_free(a);
}

void *arena_alloc(struct sl_arena *a, size_t n)
{
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    struct arena_block *b = a->head;
    if (!b || b->size - b->used < need) {
        size_t size = need > a->block_size ? need : a->block_size;
        struct arena_block *nb = a->spare;
        if (nb && size == a->block_size) {
            a->spare = nb->next;
        } else {
            nb = sl_malloc(sizeof *nb + size);
            if (!nb)
                return NULL;
            nb->size = size;
            a->reserved += size;
        }
        nb->used = 0;
        if (b && need > a->block_size) {
            /* An oversized block goes behind the current one so the current
             * block's free space stays usable. */
            nb->next = b->next;
            b->next = nb;
            nb->used = need;
            return nb->data;
        }
        nb->next = b;
        a->head = b = nb;
    }
    void *p = b->data + b->used;
    b->used += need;
    return p;
}

void *arena_calloc(struct sl_arena *a, size_t n)
{
    void *p = arena_alloc(a, n);
    if (p)
        memset(p, 0, n);
    return p;
}

void *arena_memdup(struct sl_arena *a, const void *p, size_t n)
{
    void *copy = arena_alloc(a, n);
    if (copy && n)
        memcpy(copy, p, n);
    return copy;
}

char *arena_strndup(struct sl_arena *a, const char *s, size_t n)
{
    char *copy = arena_alloc(a, n + 1);
    if (copy) {
        memcpy(copy, s, n);
        copy[n] = '\0';
    }
    return copy;
}

void arena_reset(struct sl_arena *a)
{
    /* Standard blocks are kept for reuse: an arena reset after every step
     * would otherwise return its memory to the system and fault it back in
     * each time. Oversized blocks were one-off needs and are freed. */
    struct arena_block *b = a->head;
    while (b) {
        struct arena_block *next = b->next;
        if (b->size == a->block_size) {
            b->next = a->spare;
            a->spare = b;
        } else {
            a->reserved -= b->size;
            sl_free(b);
        }
        b = next;
    }
    a->head = NULL;
}

size_t arena_reserved(const struct sl_arena *a)
{
    return a->reserved;
}
