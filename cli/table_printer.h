/* table_printer.h — prints result tables as aligned ASCII boxes, like Spark's console sink. */
#ifndef SL_TABLE_PRINTER_H
#define SL_TABLE_PRINTER_H

#include <stdbool.h>
#include <stdio.h>

struct table_printer;

/* A titled table (a live query's batch) shows its first batch_rows rows, like
 * Spark's console sink; an untitled one (a SQLite answer) shows every row. */
struct table_printer *table_printer_create(FILE *out, unsigned batch_rows);
void table_printer_destroy(struct table_printer *p);
void table_printer_row(struct table_printer *p, bool is_header, int ncols, const char *const *values);
/* Prints what was collected (under "title" if not NULL) and empties the printer. */
void table_printer_flush(struct table_printer *p, const char *title);

#endif
