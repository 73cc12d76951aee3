/*
 * table_printer.h — prints result tables in the shell's output mode (.mode):
 * aligned text tables (table, box, markdown), csv, tsv, list, json or line,
 * the modes of the sqlite3 shell. Rows are collected, then printed on flush so
 * the columns can be fitted to the widest value.
 */
#ifndef SL_TABLE_PRINTER_H
#define SL_TABLE_PRINTER_H

#include <stdbool.h>
#include <stdio.h>

struct table_printer;

enum table_mode {
    TABLE_MODE_TABLE,
    TABLE_MODE_BOX,
    TABLE_MODE_CSV,
    TABLE_MODE_TSV,
    TABLE_MODE_JSON,
    TABLE_MODE_LINE,
    TABLE_MODE_MARKDOWN,
    TABLE_MODE_LIST /* sqlite3's default: values between '|', the shell's mode in a pipe */
};

/* A mode by its .mode name ("table", "box", "csv", "tsv", "json", "line",
 * "markdown", "list"; "tabs" as in sqlite3 is tsv); false for an unknown name. */
bool table_mode_parse(const char *name, enum table_mode *mode);
/* The .mode name of mode. */
const char *table_mode_name(enum table_mode mode);

/* A titled table (a live query's batch) shows its first batch_rows rows, like
 * Spark's console sink; an untitled one (a SQLite answer) shows every row.
 * A printer starts in table mode with headers on. */
struct table_printer *table_printer_create(FILE *out, unsigned batch_rows);
void table_printer_destroy(struct table_printer *p);
void table_printer_set_mode(struct table_printer *p, enum table_mode mode);
void table_printer_set_headers(struct table_printer *p, bool on);
/* Where the next tables go (.output, .once); the printer never closes it. */
void table_printer_set_output(struct table_printer *p, FILE *out);
/* How many rows of a titled table are shown (table_printer_create's batch_rows). */
void table_printer_set_batch_rows(struct table_printer *p, unsigned batch_rows);
unsigned table_printer_batch_rows(const struct table_printer *p);
enum table_mode table_printer_mode(const struct table_printer *p);
FILE *table_printer_output(const struct table_printer *p);

/* values[i] NULL is SQL NULL. A header row starts a new table. In csv, tsv
 * and json to an output that is not a terminal, rows are printed as they come. */
void table_printer_row(struct table_printer *p, bool is_header, int ncols, const char *const *values);
/* Prints what was collected (under "title" if not NULL), keeping it. */
void table_printer_print(struct table_printer *p, const char *title);
/* Prints what was collected (under "title" if not NULL) and empties the printer. */
void table_printer_flush(struct table_printer *p, const char *title);
/* Empties the printer without printing (a streamed table is ended: json's array closed). */
void table_printer_clear(struct table_printer *p);

#endif
