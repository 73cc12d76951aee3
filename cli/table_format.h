/*
 * table_format.h — the table printer's formatters: the aligned modes and
 * line mode print a collected table whole (format_grid.c, format_line.c);
 * the data modes a row at a time (format_delimited.c, format_json.c).
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
/* The data modes print a row as it comes (table_printer.c streams them).
 * csv (RFC 4180 quoting), tsv (backslash escapes) or list (as they are,
 * between '|'): one record, the header or a row; NULL is an empty field. */
void table_delimited_record(FILE *out, enum table_mode mode, int ncols, const char *const *values);
/* json, as sqlite3's .mode json: row index (from 0) of an array of objects
 * keyed by the column names, then the array's end; NULL is null. */
void table_json_row(FILE *out, int ncols, const char *const *names, size_t index,
                    const char *const *values);
void table_json_end(FILE *out, size_t nrows);
/* One "name = value" line per column, a blank line between rows, as sqlite3's .mode line. */
void table_format_line(const struct table_data *t);

#endif
