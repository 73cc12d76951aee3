/* diag.c — collecting compile errors and rendering them with the line and a caret. */
#include "common/diag.h"

#include "common/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void diags_init(struct sl_diags *d, const char *file, const char *src, size_t src_len)
{
    memset(d, 0, sizeof *d);
    d->file = file;
    d->src = src;
    d->src_len = src_len;
    d->first_line = 1;
}

void diags_free(struct sl_diags *d)
{
    for (uint32_t i = 0; i < d->count; i++) {
        sl_free(d->items[i].msg);
        sl_free(d->items[i].hint);
    }
    sl_free(d->items);
    d->items = NULL;
    d->count = d->cap = 0;
}

void diags_add(struct sl_diags *d, struct sl_pos pos, uint32_t span, const char *hint,
               const char *fmt, ...)
{
    if (d->count == d->cap) {
        uint32_t cap = d->cap ? d->cap * 2 : 8;
        struct sl_diag *items = sl_realloc(d->items, cap * sizeof *items);
        if (!items)
            return;
        d->items = items;
        d->cap = cap;
    }
    char msg[2048]; /* long enough for a changed query's column lists */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct sl_diag *g = &d->items[d->count++];
    g->pos = pos;
    g->span = span ? span : 1;
    g->msg = sl_strdup(msg);
    g->hint = hint ? sl_strdup(hint) : NULL;
}

/* The text of the line holding byte offset `offset`, without its newline. */
static void line_at(const struct sl_diags *d, uint32_t offset, const char **start, size_t *len)
{
    if (!d->src || offset > d->src_len) {
        *start = "";
        *len = 0;
        return;
    }
    size_t b = offset;
    while (b > 0 && d->src[b - 1] != '\n')
        b--;
    size_t e = offset;
    while (e < d->src_len && d->src[e] != '\n' && d->src[e] != '\r')
        e++;
    *start = d->src + b;
    *len = e - b;
}

/* A line longer than this many bytes is shown as the part of it around the
 * caret, cut at "...": a generated statement on one line can be megabytes. */
#define SHOWN_MAX 160
#define SHOWN_BEFORE 60

/* The part of line [0, len) shown for a caret at byte `at`: [*from, *to). */
static void shown_part(const char *line, size_t len, size_t at, size_t *from, size_t *to)
{
    *from = 0;
    *to = len;
    if (len <= SHOWN_MAX)
        return;
    size_t f = at > SHOWN_BEFORE ? at - SHOWN_BEFORE : 0;
    while (f > 0 && ((unsigned char)line[f] & 0xC0) == 0x80)
        f--; /* never cut a UTF-8 character in half */
    size_t t = f + SHOWN_MAX < len ? f + SHOWN_MAX : len;
    while (t < len && ((unsigned char)line[t] & 0xC0) == 0x80)
        t++;
    *from = f;
    *to = t;
}

void diags_render(const struct sl_diags *d, struct sl_buf *out)
{
    for (uint32_t i = 0; i < d->count; i++) {
        const struct sl_diag *g = &d->items[i];
        uint32_t line_no = g->pos.line + d->first_line - 1;
        buf_printf(out, "%s:%u:%u: error: %s\n", d->file ? d->file : "<input>", line_no,
                   g->pos.col, g->msg ? g->msg : "out of memory");
        const char *line;
        size_t len;
        line_at(d, g->pos.offset, &line, &len);
        if (!d->src)
            continue;
        size_t at = g->pos.offset - (size_t)(line - d->src), from, to;
        if (at > len)
            at = len;
        shown_part(line, len, at, &from, &to);
        const char *head = from > 0 ? "..." : "";
        char gutter[16];
        int gw = snprintf(gutter, sizeof gutter, "%5u", line_no);
        buf_printf(out, "%s | %s", gutter, head);
        buf_append(out, line + from, to - from);
        buf_puts(out, to < len ? "...\n" : "\n");
        buf_printf(out, "%*s | %*s", gw, "", (int)strlen(head), "");
        /* Walk the line by characters so the caret lines up under UTF-8 text;
         * tabs are kept so terminals indent both lines alike. */
        uint32_t shown_after = 0;
        for (size_t k = from; k < to; k++) {
            unsigned char c = (unsigned char)line[k];
            if ((c & 0xC0) == 0x80)
                continue;
            if (k < at)
                buf_putc(out, c == '\t' ? '\t' : ' ');
            else
                shown_after++;
        }
        buf_putc(out, '^');
        for (uint32_t k = 1; k < g->span && (to == len || k < shown_after); k++)
            buf_putc(out, '~');
        buf_putc(out, '\n');
        if (g->hint)
            buf_printf(out, "hint: %s\n", g->hint);
    }
}
