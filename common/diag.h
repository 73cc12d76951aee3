/*
 * diag.h — compile-time diagnostics. While parsing and binding, errors
 * accumulate here with their positions (SQLite's Parse.nErr idea) so that
 * one run reports every error in a file, each rendered as
 *
 *   file:line:col: error: message
 *       3 | SELECT wrd FROM lines
 *         |        ^~~
 *   hint: did you mean "word"?
 */
#ifndef SL_DIAG_H
#define SL_DIAG_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/status.h"

struct sl_diag {
    struct sl_pos pos;
    uint32_t span; /* characters to underline; at least 1 */
    char *msg;
    char *hint; /* may be NULL */
};

struct sl_diags {
    const char *file; /* name shown in messages (not owned) */
    const char *src;  /* the whole source text (not owned) */
    size_t src_len;
    /* The number messages give src's first line: 1, or more when src is a
     * statement taken from further down an input (the shell's piped stdin). */
    uint32_t first_line;
    struct sl_diag *items;
    uint32_t count;
    uint32_t cap;
};

void diags_init(struct sl_diags *d, const char *file, const char *src, size_t src_len);
void diags_free(struct sl_diags *d);
/* Records an error; hint may be NULL. Out of memory is recorded as a plain message. */
void diags_add(struct sl_diags *d, struct sl_pos pos, uint32_t span, const char *hint,
               const char *fmt, ...) SL_PRINTF(5, 6);
/* Appends every diagnostic, rendered as above, to out. */
void diags_render(const struct sl_diags *d, struct sl_buf *out);

#endif
