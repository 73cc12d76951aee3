/*
 * status.h — the one error channel while running: a status code plus a
 * struct sl_error that says what went wrong (where, in SQL text, is the
 * compiler's business: common/diag.h). Anything that can fail returns an
 * sl_status (a bool only answers a question: a predicate). Library code never
 * prints and never exits; it returns a status and fills an sl_error the
 * caller decides what to do with.
 */
#ifndef SL_STATUS_H
#define SL_STATUS_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    SL_OK = 0,
    SL_EOF = 1,    /* a source has no more data, ever */
    SL_AGAIN = 2,  /* nothing available right now; try later */
    SL_ERROR = -1, /* a failure described in the sl_error */
    SL_NOMEM = -2, /* allocation failed */
} sl_status;

/* A position in SQL text: 1-based line and column (in characters), byte offset. */
struct sl_pos {
    uint32_t line;
    uint32_t col;
    uint32_t offset;
};

struct sl_error {
    sl_status code;
    char msg[512];
};

#if defined(__GNUC__)
#define SL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define SL_PRINTF(a, b)
#endif

/* Fills err (if not NULL) and returns code, so callers can write `return sl_error_set(...)`. */
sl_status sl_error_set(struct sl_error *err, sl_status code, const char *fmt, ...) SL_PRINTF(3, 4);
void sl_error_clear(struct sl_error *err);

#endif
