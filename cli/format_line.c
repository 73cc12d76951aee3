/*
 * format_line.c — .mode line (psql's \x): each row as "name = value" lines,
 * names right-aligned to the widest (at least 5 columns, as in sqlite3), a
 * blank line between rows. A value's further lines are indented under its
 * first; NULL is shown empty, as sqlite3 shows it.
 */
#include "cli/table_format.h"
#include "cli/text_width.h"

#include <stdlib.h>
#include <string.h>

static void put_spaces(FILE *out, size_t n)
{
    while (n--)
        fputc(' ', out);
}

static void put_value(FILE *out, const char *value, size_t indent)
{
    char *text = text_printable(value ? value : "");
    if (!text) {
        fputs("sluice: out of memory printing a value\n", stderr);
        return;
    }
    for (const char *line = text;;) {
        const char *end = strchr(line, '\n');
        fprintf(out, "%.*s\n", (int)(end ? end - line : (ptrdiff_t)strlen(line)), line);
        if (!end)
            break;
        line = end + 1;
        put_spaces(out, indent);
    }
    free(text);
}

void table_format_line(const struct table_data *t)
{
    size_t name_width = 5;
    for (int c = 0; c < t->ncols; c++) {
        size_t w = text_width(t->names[c], strlen(t->names[c]));
        if (w > name_width)
            name_width = w;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        if (r > 0)
            fputc('\n', t->out);
        for (int c = 0; c < t->ncols; c++) {
            const char *name = t->names[c];
            put_spaces(t->out, name_width - text_width(name, strlen(name)));
            fprintf(t->out, "%s = ", name);
            put_value(t->out, t->rows[r][c], name_width + 3);
        }
    }
}
