/* assert.c — what a broken invariant does (see assert.h): the one place library code prints and aborts. */
#include "common/assert.h"

#include <stdio.h>
#include <stdlib.h>

void sl_assert_fail(const char *expr, const char *file, int line)
{
    fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, expr);
    abort();
}
