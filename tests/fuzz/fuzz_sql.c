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

#include "common/buf.h"
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
    struct sl_error err;
    if (sluice_open(&opts, &s, &err) != SL_OK) {
        fprintf(stderr, "fuzz_sql: sluice_open: %s\n", err.msg);
        abort();
    }
    struct sl_buf errors;
    buf_init(&errors);
    sl_status st = sluice_check(s, "fuzz.sql", text, &errors);
    if ((st != SL_OK) != (errors.len > 0)) {
        fprintf(stderr, "fuzz_sql: check returned %d with %zu bytes of errors:\n%s\n", (int)st,
                errors.len, buf_str(&errors));
        abort();
    }
    sluice_statement_complete(text);
    buf_free(&errors);
    sluice_close(s);
    free(text);
    return 0;
}
