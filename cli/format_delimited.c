/*
 * format_delimited.c — csv, tsv and list. csv quotes a field holding a comma, a
 * double quote or a line break (RFC 4180), as psql --csv does; tsv writes
 * tab, newline, carriage return and backslash as \t \n \r \\ (PostgreSQL's
 * COPY text format), so a row stays one line; list (sqlite3's default mode)
 * writes values as they are between '|'. NULL is an empty field, as in sqlite3.
 */
#include "cli/table_format.h"

#include <string.h>

static void put_csv_field(FILE *out, const char *value)
{
    if (!value)
        return;
    if (!value[strcspn(value, ",\"\r\n")]) {
        fputs(value, out);
        return;
    }
    fputc('"', out);
    for (const char *s = value; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void put_tsv_field(FILE *out, const char *value)
{
    for (const char *s = value; s && *s; s++) {
        const char *escape = *s == '\t' ? "\\t" : *s == '\n' ? "\\n" : *s == '\r' ? "\\r"
                           : *s == '\\' ? "\\\\" : NULL;
        if (escape)
            fputs(escape, out);
        else
            fputc(*s, out);
    }
}

void table_delimited_record(FILE *out, enum table_mode mode, int ncols, const char *const *values)
{
    for (int c = 0; c < ncols; c++) {
        if (c > 0)
            fputc(mode == TABLE_MODE_CSV ? ',' : mode == TABLE_MODE_LIST ? '|' : '\t', out);
        if (mode == TABLE_MODE_CSV)
            put_csv_field(out, values[c]);
        else if (mode == TABLE_MODE_TSV)
            put_tsv_field(out, values[c]);
        else if (values[c])
            fputs(values[c], out);
    }
    fputc('\n', out);
}
