/* buf.h — a growable byte string for building messages, SQL and output. */
#ifndef SL_BUF_H
#define SL_BUF_H

#include <stddef.h>

#include "common/status.h"

struct sl_buf {
    char *data; /* always NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
    bool failed; /* an append ran out of memory; the content is truncated */
};

void buf_init(struct sl_buf *b);
void buf_free(struct sl_buf *b);
void buf_clear(struct sl_buf *b);
void buf_append(struct sl_buf *b, const char *s, size_t n);
void buf_puts(struct sl_buf *b, const char *s);
void buf_putc(struct sl_buf *b, char c);
void buf_printf(struct sl_buf *b, const char *fmt, ...) SL_PRINTF(2, 3);
/* Returns the string ("" when empty); valid until the next append. */
const char *buf_str(const struct sl_buf *b);

#endif
