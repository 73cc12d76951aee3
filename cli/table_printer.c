/* table_printer.c — collects a table's rows, then prints them with column widths fitted. */
#include "cli/table_printer.h"

#include <stdlib.h>
#include <string.h>

struct table_printer {
    FILE *out;
    unsigned batch_rows;
    int ncols;
    size_t nrows; /* including the header row */
    size_t cap;
    char ***rows; /* NULL value = SQL NULL */
};

struct table_printer *table_printer_create(FILE *out, unsigned batch_rows)
{
    struct table_printer *p = calloc(1, sizeof *p);
    if (p) {
        p->out = out;
        p->batch_rows = batch_rows;
    }
    return p;
}

static void clear_rows(struct table_printer *p)
{
    for (size_t r = 0; r < p->nrows; r++) {
        for (int c = 0; c < p->ncols; c++)
            free(p->rows[r][c]);
        free(p->rows[r]);
    }
    p->nrows = 0;
}

void table_printer_destroy(struct table_printer *p)
{
    if (!p)
        return;
    clear_rows(p);
    free(p->rows);
    free(p);
}

void table_printer_row(struct table_printer *p, bool is_header, int ncols, const char *const *values)
{
    if (is_header) {
        clear_rows(p);
        p->ncols = ncols;
    }
    if (p->nrows == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        char ***rows = realloc(p->rows, cap * sizeof *rows);
        if (!rows)
            return;
        p->rows = rows;
        p->cap = cap;
    }
    char **row = calloc((size_t)(ncols ? ncols : 1), sizeof *row);
    if (!row)
        return;
    for (int c = 0; c < ncols; c++)
        row[c] = strdup(values[c] ? values[c] : "NULL");
    p->rows[p->nrows++] = row;
}

/* Display width: UTF-8 continuation bytes take no column. */
static size_t display_width(const char *s)
{
    size_t w = 0;
    for (; s && *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void rule(FILE *out, const size_t *widths, int ncols)
{
    for (int c = 0; c < ncols; c++) {
        fputc('+', out);
        for (size_t k = 0; k < widths[c] + 2; k++)
            fputc('-', out);
    }
    fputs("+\n", out);
}

void table_printer_flush(struct table_printer *p, const char *title)
{
    if (title)
        fprintf(p->out, "-------------------------------------------\n%s\n"
                        "-------------------------------------------\n", title);
    if (p->nrows == 0 || p->ncols == 0) {
        clear_rows(p);
        fflush(p->out);
        return;
    }
    size_t total = p->nrows - 1;
    size_t shown = title && p->batch_rows && total > p->batch_rows ? p->batch_rows : total;
    size_t *widths = calloc((size_t)p->ncols, sizeof *widths);
    if (!widths)
        return;
    for (size_t r = 0; r <= shown; r++)
        for (int c = 0; c < p->ncols; c++) {
            size_t w = display_width(p->rows[r][c]);
            if (w > widths[c])
                widths[c] = w;
        }
    rule(p->out, widths, p->ncols);
    for (size_t r = 0; r <= shown; r++) {
        for (int c = 0; c < p->ncols; c++)
            fprintf(p->out, "| %s%*s ", p->rows[r][c] ? p->rows[r][c] : "",
                    (int)(widths[c] - display_width(p->rows[r][c])), "");
        fputs("|\n", p->out);
        if (r == 0)
            rule(p->out, widths, p->ncols);
    }
    rule(p->out, widths, p->ncols);
    if (shown < total)
        fprintf(p->out, "only showing the first %zu of %zu rows\n", shown, total);
    else
        fprintf(p->out, "(%zu row%s)\n", total, total == 1 ? "" : "s");
    fflush(p->out);
    free(widths);
    clear_rows(p);
}
