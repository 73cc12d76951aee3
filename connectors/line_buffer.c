/* line_buffer.c — bytes cut into lines, in place, with a bound on a line's length (see line_buffer.h). */
#include "connectors/line_buffer.h"

#include <string.h>

#include "common/alloc.h"

void linebuf_init(struct sl_linebuf *b, size_t max_line)
{
    *b = (struct sl_linebuf){.max_line = max_line ? max_line : 1};
}

void linebuf_free(struct sl_linebuf *b)
{
    sl_free(b->data);
    b->data = NULL;
    b->len = b->cap = b->start = b->scanned = b->released = 0;
}

/* Moves the bytes after the released ones to the front. */
static void compact(struct sl_linebuf *b)
{
    memmove(b->data, b->data + b->released, b->len - b->released);
    b->len -= b->released;
    b->start -= b->released;
    b->released = 0;
}

/* Compacting at once only when it moves no more than was consumed, and
 * otherwise when room is wanted, keeps the copying linear in the bytes
 * however few lines each read takes of a long backlog. */
void linebuf_release(struct sl_linebuf *b)
{
    b->released = b->start;
    if (b->start == b->len)
        b->start = b->len = b->released = 0;
    else if (b->start >= b->len - b->start)
        compact(b);
}

/* Room for want more bytes at the end (NULL: out of memory). */
static char *reserve(struct sl_linebuf *b, size_t want)
{
    if (b->cap - b->len < want && b->released)
        compact(b);
    if (b->cap - b->len < want) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->len < want)
            cap *= 2;
        char *grown = sl_realloc(b->data, cap);
        if (!grown)
            return NULL;
        b->data = grown;
        b->cap = cap;
    }
    return b->data + b->len;
}

/* n bytes were written at the end: kept, or dropped while skipping a cut line's rest. */
static void commit(struct sl_linebuf *b, size_t n)
{
    char *fresh = b->data + b->len;
    if (b->skipping) {
        /* The rest of a cut line: dropped up to and with its newline. */
        char *nl = memchr(fresh, '\n', n);
        if (!nl)
            return;
        size_t dropped = (size_t)(nl + 1 - fresh);
        memmove(fresh, nl + 1, n - dropped);
        n -= dropped;
        b->skipping = false;
    }
    b->len += n;
}

bool linebuf_append(struct sl_linebuf *b, const char *p, size_t n)
{
    char *at = reserve(b, n);
    if (!at)
        return false;
    memcpy(at, p, n);
    commit(b, n);
    return true;
}

bool linebuf_next(struct sl_linebuf *b, const char **line, size_t *len)
{
    const char *from = b->data + b->start;
    size_t held = b->len - b->start;
    const char *nl = b->scanned < held ? memchr(from + b->scanned, '\n', held - b->scanned) : NULL;
    if (nl) {
        size_t n = (size_t)(nl - from);
        b->start += n + 1;
        b->scanned = 0;
        if (n > b->max_line) {
            n = b->max_line;
            b->cut++;
        } else if (n > 0 && from[n - 1] == '\r') {
            n--;
        }
        *line = from;
        *len = n;
        return true;
    }
    b->scanned = held;
    if (held < b->max_line)
        return false;
    /* No newline within max_line bytes: the head goes out, the rest is dropped as it comes. */
    *line = from;
    *len = b->max_line;
    b->start = b->len = b->start + b->max_line;
    b->scanned = 0;
    b->skipping = true;
    b->cut++;
    return true;
}

size_t linebuf_take_partial(struct sl_linebuf *b, const char **line)
{
    size_t n = b->len - b->start;
    *line = b->data + b->start;
    b->start = b->len;
    b->scanned = 0;
    return n;
}

size_t linebuf_drop_partial(struct sl_linebuf *b)
{
    const char *from = b->data + b->start;
    const char *nl = b->len > b->start ? memrchr(from, '\n', b->len - b->start) : NULL;
    size_t keep = nl ? (size_t)(nl + 1 - b->data) : b->start;
    size_t dropped = b->len - keep;
    b->len = keep;
    b->skipping = false;
    if (b->scanned > b->len - b->start)
        b->scanned = b->len - b->start;
    return dropped;
}

size_t linebuf_pending(const struct sl_linebuf *b)
{
    return b->len - b->start;
}
