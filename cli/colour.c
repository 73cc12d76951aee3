/* colour.c — ANSI colours on a terminal, none in a pipe or with NO_COLOR set. */
#include "cli/colour.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool colour_enabled(FILE *f)
{
    const char *no_colour = getenv("NO_COLOR");
    /* no-color.org: set to any non-empty value, it turns colours off. */
    if (no_colour && *no_colour)
        return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fileno(f));
}

const char *colour_on(FILE *f, enum colour c)
{
    static const char *const escapes[] = {
        [COLOUR_ERROR] = "\033[1;31m",
        [COLOUR_HINT] = "\033[36m",
        [COLOUR_CARET] = "\033[1;32m",
        [COLOUR_PROMPT] = "\033[1;34m",
    };
    return colour_enabled(f) ? escapes[c] : "";
}

const char *colour_off(FILE *f)
{
    return colour_enabled(f) ? "\033[0m" : "";
}
