/*
 * table_format.h — what the table printer hands its formatters
 * (format_grid.c, format_delimited.c, format_json.c, format_line.c): one
 * collected table, printed whole by one call.
 */
#ifndef SL_TABLE_FORMAT_H
#define SL_TABLE_FORMAT_H

#include "cli/table_printer.h"

#include <stddef.h>

struct table_data {
    FILE *out;
    int ncols;
    const char *const *names; /* the header row: ncols column names */
    size_t nrows;             /* body rows (the header not counted) */
    char *const *const *rows; /* rows[r][c]; NULL is SQL NULL */
    bool headers;             /* print the column names (.headers) */
};

/* table, box or markdown: aligned columns; a value with newlines spans lines
 * within its row; NULL is shown empty, as sqlite3 shows it. */
void table_format_grid(const struct table_data *t, enum table_mode mode);
/* csv (RFC 4180 quoting) or tsv (backslash escapes); NULL is an empty field. */
void table_format_csv(const struct table_data *t);
void table_format_tsv(const struct table_data *t);
/* An array of objects, one per row, as sqlite3's .mode json; NULL is null. */
void table_format_json(const struct table_data *t);
/* One "name = value" line per column, a blank line between rows, as sqlite3's .mode line. */
void table_format_line(const struct table_data *t);

#endif
