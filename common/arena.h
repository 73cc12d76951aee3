/*
 * arena.h — a bump allocator that owns everything allocated in one scope
 * (a parse, a batch, a query's group keys) and frees it all at once.
 * Allocations are 16-byte aligned. Nothing is freed individually.
 */
#ifndef SL_ARENA_H
#define SL_ARENA_H

#include <stddef.h>

struct sl_arena;

/* block_size is the size of each underlying block (0: 64 KiB default). */
struct sl_arena *arena_create(size_t block_size);
void arena_destroy(struct sl_arena *a);

/* Returns NULL when memory is exhausted. */
void *arena_alloc(struct sl_arena *a, size_t n);
void *arena_calloc(struct sl_arena *a, size_t n);
char *arena_strndup(struct sl_arena *a, const char *s, size_t n);
void *arena_memdup(struct sl_arena *a, const void *p, size_t n);

/* Frees every allocation at once; the memory is kept for the next allocations. */
void arena_reset(struct sl_arena *a);

/* Bytes currently reserved from the system (for state-size reporting). */
size_t arena_reserved(const struct sl_arena *a);

#endif
