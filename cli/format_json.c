/*
 * format_json.c — .mode json: an array with one object per row, keyed by
 * column name, laid out as sqlite3 lays it out (one row per line). Values
 * reach the shell as text, so a value that reads as a JSON number is written
 * as a number and every other value as a string; NULL is null.
 */
#include "cli/table_format.h"

#include <ctype.h>
#include <stdbool.h>

/* JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool is_json_number(const char *s)
{
    if (*s == '-')
        s++;
    if (*s == '0')
        s++;
    else if (*s >= '1' && *s <= '9')
        while (isdigit((unsigned char)*s))
            s++;
    else
        return false;
    if (*s == '.') {
        if (!isdigit((unsigned char)*++s))
            return false;
        while (isdigit((unsigned char)*s))
            s++;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!isdigit((unsigned char)*s))
            return false;
        while (isdigit((unsigned char)*s))
            s++;
    }
    return *s == '\0';
}

static void put_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", out);
        else if (ch == '\r')
            fputs("\\r", out);
        else if (ch == '\t')
            fputs("\\t", out);
        else if (ch < 0x20 || ch == 0x7F)
            fprintf(out, "\\u%04x", ch);
        else
            fputc(ch, out);
    }
    fputc('"', out);
}

static void put_json_value(FILE *out, const char *value)
{
    if (!value)
        fputs("null", out);
    else if (is_json_number(value))
        fputs(value, out);
    else
        put_json_string(out, value);
}

void table_format_json(const struct table_data *t)
{
    if (t->nrows == 0) {
        fputs("[]\n", t->out);
        return;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        fputs(r == 0 ? "[{" : ",\n{", t->out);
        for (int c = 0; c < t->ncols; c++) {
            if (c > 0)
                fputc(',', t->out);
            put_json_string(t->out, t->names[c]);
            fputc(':', t->out);
            put_json_value(t->out, t->rows[r][c]);
        }
        fputc('}', t->out);
    }
    fputs("]\n", t->out);
}
