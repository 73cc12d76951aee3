/*
 * table_printer.c — collects a table's rows, then prints them in the
 * printer's mode through one of the formatters of table_format.h. The data
 * modes (csv, tsv, json) going to a file or a pipe print each row as it
 * comes instead, so a large answer is not held in memory; at a terminal they
 * are collected too, for a live view to redraw.
 */
#include "cli/table_printer.h"
#include "cli/table_format.h"
#include "cli/text_width.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct table_printer {
    FILE *out;
    unsigned batch_rows;
    enum table_mode mode;
    bool headers;
    int ncols;
    /* The table is streamed: its rows are printed as they come, in stream_mode. */
    bool streaming;
    enum table_mode stream_mode;
    size_t streamed; /* rows printed so far */
    size_t nrows; /* collected, including the header row */
    size_t cap;
    char ***rows; /* rows[0] is the header; NULL value = SQL NULL */
};

static const char *const MODE_NAMES[] = {
    [TABLE_MODE_TABLE] = "table", [TABLE_MODE_BOX] = "box",   [TABLE_MODE_CSV] = "csv",
    [TABLE_MODE_TSV] = "tsv",     [TABLE_MODE_JSON] = "json", [TABLE_MODE_LINE] = "line",
    [TABLE_MODE_MARKDOWN] = "markdown", [TABLE_MODE_LIST] = "list",
};

bool table_mode_parse(const char *name, enum table_mode *mode)
{
    if (strcmp(name, "tabs") == 0) {
        *mode = TABLE_MODE_TSV;
        return true;
    }
    for (size_t m = 0; m < sizeof MODE_NAMES / sizeof MODE_NAMES[0]; m++)
        if (strcmp(name, MODE_NAMES[m]) == 0) {
            *mode = (enum table_mode)m;
            return true;
        }
    return false;
}

const char *table_mode_name(enum table_mode mode)
{
    return MODE_NAMES[mode];
}

struct table_printer *table_printer_create(FILE *out, unsigned batch_rows)
{
    struct table_printer *p = calloc(1, sizeof *p);
    if (p) {
        p->out = out;
        p->batch_rows = batch_rows;
        p->mode = TABLE_MODE_TABLE;
        p->headers = true;
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

static bool is_data_mode(enum table_mode mode)
{
    return mode == TABLE_MODE_CSV || mode == TABLE_MODE_TSV || mode == TABLE_MODE_LIST ||
           mode == TABLE_MODE_JSON;
}

/* One row (index: from 0) in a data mode. */
static void print_data_row(FILE *out, enum table_mode mode, int ncols, const char *const *names,
                           size_t index, const char *const *values)
{
    if (mode == TABLE_MODE_JSON)
        table_json_row(out, ncols, names, index, values);
    else
        table_delimited_record(out, mode, ncols, values);
}

static void end_stream(struct table_printer *p)
{
    if (p->stream_mode == TABLE_MODE_JSON)
        table_json_end(p->out, p->streamed);
    fflush(p->out);
    p->streaming = false;
}

void table_printer_clear(struct table_printer *p)
{
    if (p->streaming)
        end_stream(p);
    clear_rows(p);
}

void table_printer_destroy(struct table_printer *p)
{
    if (!p)
        return;
    table_printer_clear(p);
    free(p->rows);
    free(p);
}

void table_printer_set_mode(struct table_printer *p, enum table_mode mode)
{
    p->mode = mode;
}

void table_printer_set_headers(struct table_printer *p, bool on)
{
    p->headers = on;
}

void table_printer_set_output(struct table_printer *p, FILE *out)
{
    p->out = out;
}

void table_printer_set_batch_rows(struct table_printer *p, unsigned batch_rows)
{
    p->batch_rows = batch_rows;
}

unsigned table_printer_batch_rows(const struct table_printer *p)
{
    return p->batch_rows;
}

enum table_mode table_printer_mode(const struct table_printer *p)
{
    return p->mode;
}

FILE *table_printer_output(const struct table_printer *p)
{
    return p->out;
}

static void start_table(struct table_printer *p, int ncols, const char *const *names)
{
    if (p->streaming)
        end_stream(p);
    clear_rows(p);
    p->ncols = ncols;
    p->streaming = is_data_mode(p->mode) && !isatty(fileno(p->out));
    p->stream_mode = p->mode;
    p->streamed = 0;
    if (p->streaming && p->headers && p->mode != TABLE_MODE_JSON)
        table_delimited_record(p->out, p->mode, ncols, names);
}

void table_printer_row(struct table_printer *p, bool is_header, int ncols, const char *const *values)
{
    if (is_header)
        start_table(p, ncols, values);
    else if (p->nrows == 0 || ncols != p->ncols)
        return; /* a row needs its header first */
    if (!is_header && p->streaming) {
        print_data_row(p->out, p->stream_mode, ncols, (const char *const *)p->rows[0],
                       p->streamed++, values);
        return;
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
        row[c] = values[c] ? strdup(values[c]) : NULL;
    p->rows[p->nrows++] = row;
}

static bool is_grid(enum table_mode mode)
{
    return mode == TABLE_MODE_TABLE || mode == TABLE_MODE_BOX || mode == TABLE_MODE_MARKDOWN;
}

/* A collected table in a data mode: the same text as streamed. */
static void format_data(const struct table_data *t, enum table_mode mode)
{
    if (t->headers && mode != TABLE_MODE_JSON)
        table_delimited_record(t->out, mode, t->ncols, t->names);
    for (size_t r = 0; r < t->nrows; r++)
        print_data_row(t->out, mode, t->ncols, t->names, r, (const char *const *)t->rows[r]);
    if (mode == TABLE_MODE_JSON)
        table_json_end(t->out, t->nrows);
}

static void format(const struct table_data *t, enum table_mode mode)
{
    if (is_data_mode(mode))
        format_data(t, mode);
    else if (mode == TABLE_MODE_LINE)
        table_format_line(t);
    else
        table_format_grid(t, mode);
}

static void print_rule_line(FILE *out, size_t width)
{
    while (width--)
        fputc('-', out);
    fputc('\n', out);
}

static void print_title(FILE *out, const char *title)
{
    size_t width = text_width(title, strlen(title));
    if (width < 43)
        width = 43;
    print_rule_line(out, width);
    fprintf(out, "%s\n", title);
    print_rule_line(out, width);
}

void table_printer_print(struct table_printer *p, const char *title)
{
    if (p->streaming) {
        fflush(p->out); /* its rows are printed already */
        return;
    }
    /* A title is for people: the data formats stay parseable without it. */
    if (title && (is_grid(p->mode) || p->mode == TABLE_MODE_LINE))
        print_title(p->out, title);
    if (p->nrows > 0 && p->ncols > 0) {
        size_t total = p->nrows - 1;
        bool cut = title && p->batch_rows && total > p->batch_rows && is_grid(p->mode);
        struct table_data t = {
            .out = p->out,
            .ncols = p->ncols,
            .names = (const char *const *)p->rows[0],
            .nrows = cut ? p->batch_rows : total,
            .rows = (char *const *const *)p->rows + 1,
            .headers = p->headers,
        };
        format(&t, p->mode);
        if (cut)
            fprintf(p->out, "only showing the first %zu of %zu rows\n", t.nrows, total);
        else if (p->mode == TABLE_MODE_TABLE || p->mode == TABLE_MODE_BOX)
            fprintf(p->out, "(%zu row%s)\n", total, total == 1 ? "" : "s");
    }
    fflush(p->out);
}

void table_printer_flush(struct table_printer *p, const char *title)
{
    if (p->streaming)
        end_stream(p);
    else
        table_printer_print(p, title);
    clear_rows(p);
}
