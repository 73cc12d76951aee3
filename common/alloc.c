/* alloc.c — the allocation wrappers and their failure-injection countdown. */
#include "common/alloc.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Atomic: ingest threads and the push sources' own threads allocate too. Relaxed: only
 * the counts matter, and the failure injection runs single-threaded tests. */
static _Atomic long fail_countdown;
static _Atomic long allocations;

static int should_fail(void)
{
    atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
    if (atomic_load_explicit(&fail_countdown, memory_order_relaxed) <= 0)
        return 0;
    return atomic_fetch_sub_explicit(&fail_countdown, 1, memory_order_relaxed) == 1;
}

void sl_alloc_fail_after(long countdown)
{
    atomic_store_explicit(&fail_countdown, countdown, memory_order_relaxed);
}

long sl_alloc_count(void)
{
    return atomic_load_explicit(&allocations, memory_order_relaxed);
}

void *sl_malloc(size_t n)
{
    return should_fail() ? NULL : malloc(n ? n : 1);
}

void *sl_calloc(size_t count, size_t size)
{
    return should_fail() ? NULL : calloc(count ? count : 1, size ? size : 1);
}

void *sl_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : realloc(p, n ? n : 1);
}

void sl_free(void *p)
{
    free(p);
}

char *sl_strndup(const char *s, size_t n)
{
    char *copy = sl_malloc(n + 1);
    if (copy) {
        memcpy(copy, s, n);
        copy[n] = '\0';
    }
    return copy;
}

char *sl_strdup(const char *s)
{
    return sl_strndup(s, strlen(s));
}
