/* colour.h — ANSI colours for the shell's prompt and errors: on a terminal
 * only, and never when NO_COLOR is set (https://no-color.org). */
#ifndef SL_CLI_COLOUR_H
#define SL_CLI_COLOUR_H

#include <stdbool.h>
#include <stdio.h>

enum colour { COLOUR_ERROR, COLOUR_HINT, COLOUR_CARET, COLOUR_PROMPT };

/* Whether text written to f may carry colours. */
bool colour_enabled(FILE *f);
/* The escape that starts colour c on f, or "" when f takes no colours. */
const char *colour_on(FILE *f, enum colour c);
/* The escape that ends any colour on f, or "". */
const char *colour_off(FILE *f);

#endif
