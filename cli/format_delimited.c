/*
 * format_delimited.c — csv and tsv. csv quotes a field holding a comma, a
 * double quote or a line break (RFC 4180), as psql --csv does; tsv writes
 * tab, newline, carriage return and backslash as \t \n \r \\ (PostgreSQL's
 * COPY text format), so a row stays one line. NULL is an empty field, as in
 * sqlite3.
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

static void put_record(FILE *out, int ncols, const char *const *values, char separator,
                       void (*put_field)(FILE *, const char *))
{
    for (int c = 0; c < ncols; c++) {
        if (c > 0)
            fputc(separator, out);
        put_field(out, values[c]);
    }
    fputc('\n', out);
}

static void format_delimited(const struct table_data *t, char separator,
                             void (*put_field)(FILE *, const char *))
{
    if (t->headers)
        put_record(t->out, t->ncols, t->names, separator, put_field);
    for (size_t r = 0; r < t->nrows; r++)
        put_record(t->out, t->ncols, (const char *const *)t->rows[r], separator, put_field);
}

void table_format_csv(const struct table_data *t)
{
    format_delimited(t, ',', put_csv_field);
}

void table_format_tsv(const struct table_data *t)
{
    format_delimited(t, '\t', put_tsv_field);
}
