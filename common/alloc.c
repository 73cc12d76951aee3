/* alloc.c — the allocation wrappers and their failure-injection countdown. */
#include "common/alloc.h"

#include <stdlib.h>
#include <string.h>

static long fail_countdown;
static long allocations;

static int should_fail(void)
{
    allocations++;
    if (fail_countdown <= 0)
        return 0;
    return --fail_countdown == 0;
}

void sl_alloc_fail_after(long countdown)
{
    fail_countdown = countdown;
}

long sl_alloc_count(void)
{
    return allocations;
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
