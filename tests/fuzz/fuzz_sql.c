/*
 * fuzz_sql.c — libFuzzer target for the lexer, the grammar and the binder:
 * the input is SQL text, checked as `sluice check` does (parse + bind, no
 * database). A fresh engine per input, so no declared stream leaks from one
 * input into the next. Whatever the text, this must return without a crash,
 * a leak or a hang, and a failed check must say why (a failure with no
 * message, or a message with success, aborts). The REPL's statement-complete
 * test reads the same text too. The messages' wording is not judged.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/sluice.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The engine takes NUL-terminated text: a NUL in the input ends it there. */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    struct sluice_options opts = {.db_path = NULL};
    struct sluice *s = NULL;
    char *errors;
    if (sluice_open(&opts, &s, &errors) != SLUICE_OK) {
        fprintf(stderr, "fuzz_sql: sluice_open: %s", errors ? errors : "failed\n");
        abort();
    }
    sluice_status st = sluice_check(s, "fuzz.sql", text, &errors);
    if ((st != SLUICE_OK) != (errors != NULL)) {
        fprintf(stderr, "fuzz_sql: check returned %d with errors:\n%s\n", (int)st,
                errors ? errors : "(none)");
        abort();
    }
    sluice_statement_complete(text);
    sluice_free(errors);
    sluice_close(s);
    free(text);
    return 0;
}
