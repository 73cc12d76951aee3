/*
 * alloc.h — every heap allocation goes through these wrappers, so tests can
 * make the Nth allocation fail (SQLite's OOM-injection idea) and check that
 * each failure path returns SL_NOMEM without leaking.
 */
#ifndef SL_ALLOC_H
#define SL_ALLOC_H

#include <stddef.h>

void *sl_malloc(size_t n);
void *sl_calloc(size_t count, size_t size);
void *sl_realloc(void *p, size_t n);
void sl_free(void *p);
char *sl_strdup(const char *s);
char *sl_strndup(const char *s, size_t n);

/* Test hook: the countdown-th allocation from now on fails (0 disables). */
void sl_alloc_fail_after(long countdown);
/* Test hook: the allocations asked for so far (failed ones included), so a test can count those
 * of a clean run and then make each of them fail in turn. Not thread-safe, as the countdown. */
long sl_alloc_count(void);

#endif
