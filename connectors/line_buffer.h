/*
 * line_buffer.h — bytes that arrive in pieces (a TCP connection, an HTTP
 * response) cut into lines for a record source. Complete lines are handed
 * out in place, as pointers into the buffer that stay valid until
 * linebuf_release; a partial line is kept until its newline comes. A line
 * longer than max_line is cut: its first max_line bytes are handed out and
 * the rest is dropped up to its newline, so a sender that never sends a
 * newline holds at most max_line bytes. "\r\n" ends a line as "\n" does.
 *
 * Bytes go in only between linebuf_release and the next line handed out
 * (growing the buffer may move it): a source reads, hands out, and reads
 * again only after the reader's next call released what it had.
 */
#ifndef SL_LINE_BUFFER_H
#define SL_LINE_BUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sl_linebuf {
    char *data;
    size_t len, cap;
    size_t start;    /* the first byte not handed out */
    size_t released; /* bytes before it that may be reused (linebuf_release) */
    size_t scanned;  /* bytes from start known to hold no newline */
    size_t max_line;
    bool skipping;   /* dropping the rest of a cut line, up to its newline */
    uint64_t cut;    /* lines cut so far */
};

void linebuf_init(struct sl_linebuf *b, size_t max_line);
void linebuf_free(struct sl_linebuf *b);

/* The lines handed out are no longer needed: their room is reused. */
void linebuf_release(struct sl_linebuf *b);

/* Appends n bytes; false when out of memory. */
bool linebuf_append(struct sl_linebuf *b, const char *p, size_t n);

/* The next complete line, without its line end: true with *line and *len.
 * A line cut at max_line comes out as soon as max_line bytes of it are in. */
bool linebuf_next(struct sl_linebuf *b, const char **line, size_t *len);

/* The partial line after the last complete one (0 bytes: none), handed out
 * as linebuf_next's lines are; the buffer then holds nothing pending. */
size_t linebuf_take_partial(struct sl_linebuf *b, const char **line);

/* Forgets the partial line, keeping the complete lines before it: the bytes dropped. */
size_t linebuf_drop_partial(struct sl_linebuf *b);

/* Bytes held that were not handed out (complete lines and the partial one). */
size_t linebuf_pending(const struct sl_linebuf *b);

#endif
