/*
 * format_grid.c — the aligned modes: table (+--+ rules), box (Unicode box
 * drawing) and markdown (a GitHub table). Widths are display widths
 * (text_width.h), so CJK text and emoji line up; a value with newlines spans
 * several lines of its row (in markdown, which has no such rows, a newline
 * is written <br>).
 */
#include "cli/table_format.h"
#include "cli/text_width.h"

#include <stdlib.h>
#include <string.h>

/* A horizontal rule: left corner, fill per column, joints between, right corner. */
struct rule_style {
    const char *left, *fill, *joint, *right;
};

struct grid_style {
    const struct rule_style *top, *below_header, *bottom; /* NULL: no such rule */
    const char *bar;                                      /* between columns */
};

static const struct rule_style ASCII_RULE = {"+", "-", "+", "+"};
static const struct rule_style BOX_TOP = {"┌", "─", "┬", "┐"};
static const struct rule_style BOX_MIDDLE = {"├", "─", "┼", "┤"};
static const struct rule_style BOX_BOTTOM = {"└", "─", "┴", "┘"};
static const struct rule_style MARKDOWN_RULE = {"|", "-", "|", "|"};

static const struct grid_style TABLE_STYLE = {&ASCII_RULE, &ASCII_RULE, &ASCII_RULE, "|"};
static const struct grid_style BOX_STYLE = {&BOX_TOP, &BOX_MIDDLE, &BOX_BOTTOM, "│"};
static const struct grid_style MARKDOWN_STYLE = {NULL, &MARKDOWN_RULE, NULL, "|"};

/* Markdown cells cannot hold a newline or a bare '|'. */
static char *markdown_escape(char *text)
{
    size_t extra = 0;
    for (const char *s = text; *s; s++)
        extra += *s == '\n' ? 3 : *s == '|';
    char *out = malloc(strlen(text) + extra + 1);
    if (out) {
        char *o = out;
        for (const char *s = text; *s; s++) {
            if (*s == '\n') {
                memcpy(o, "<br>", 4);
                o += 4;
                continue;
            }
            if (*s == '|')
                *o++ = '\\';
            *o++ = *s;
        }
        *o = '\0';
    }
    free(text);
    return out;
}

static char *cell_text(const char *value, enum table_mode mode)
{
    char *text = text_printable(value ? value : "");
    return text && mode == TABLE_MODE_MARKDOWN ? markdown_escape(text) : text;
}

/* The widest line of text, in columns. */
static size_t widest_line(const char *text)
{
    size_t widest = 0;
    for (;;) {
        const char *end = strchr(text, '\n');
        size_t len = end ? (size_t)(end - text) : strlen(text);
        size_t w = text_width(text, len);
        if (w > widest)
            widest = w;
        if (!end)
            return widest;
        text = end + 1;
    }
}

static void put_repeated(FILE *out, const char *s, size_t n)
{
    while (n--)
        fputs(s, out);
}

static void print_rule(FILE *out, const struct rule_style *rule, const size_t *widths, int ncols)
{
    if (!rule)
        return;
    fputs(rule->left, out);
    for (int c = 0; c < ncols; c++) {
        if (c > 0)
            fputs(rule->joint, out);
        put_repeated(out, rule->fill, widths[c] + 2);
    }
    fprintf(out, "%s\n", rule->right);
}

/* Prints one row: as many lines as its tallest cell, each cell's lines padded to its column. */
static void print_row(FILE *out, const struct grid_style *style, char *const *cells,
                      const size_t *widths, int ncols, const char **cursor)
{
    for (int c = 0; c < ncols; c++)
        cursor[c] = cells[c];
    bool more = true;
    while (more) {
        more = false;
        for (int c = 0; c < ncols; c++) {
            const char *line = cursor[c] ? cursor[c] : "";
            const char *end = strchr(line, '\n');
            size_t len = end ? (size_t)(end - line) : strlen(line);
            fprintf(out, "%s %.*s", style->bar, (int)len, line);
            put_repeated(out, " ", widths[c] - text_width(line, len) + 1);
            cursor[c] = end ? end + 1 : NULL;
            more |= end != NULL;
        }
        fprintf(out, "%s\n", style->bar);
    }
}

static const struct grid_style *style_of(enum table_mode mode)
{
    return mode == TABLE_MODE_BOX ? &BOX_STYLE : mode == TABLE_MODE_MARKDOWN ? &MARKDOWN_STYLE
                                                                             : &TABLE_STYLE;
}

void table_format_grid(const struct table_data *t, enum table_mode mode)
{
    size_t ncells = (t->nrows + 1) * (size_t)t->ncols;
    char **cells = calloc(ncells, sizeof *cells);
    size_t *widths = calloc((size_t)t->ncols, sizeof *widths);
    const char **cursor = calloc((size_t)t->ncols, sizeof *cursor);
    bool ok = cells && widths && cursor;
    /* Row 0 of cells is the header, then the body rows. */
    for (size_t r = 0; ok && r <= t->nrows; r++)
        for (int c = 0; ok && c < t->ncols; c++) {
            if (r == 0 && !t->headers)
                continue;
            const char *value = r == 0 ? t->names[c] : t->rows[r - 1][c];
            char *text = cell_text(value, mode);
            cells[r * (size_t)t->ncols + (size_t)c] = text;
            ok = text != NULL;
            size_t w = ok ? widest_line(text) : 0;
            if (w > widths[c])
                widths[c] = w;
        }
    if (ok) {
        const struct grid_style *style = style_of(mode);
        print_rule(t->out, style->top, widths, t->ncols);
        if (t->headers) {
            print_row(t->out, style, cells, widths, t->ncols, cursor);
            print_rule(t->out, style->below_header, widths, t->ncols);
        }
        for (size_t r = 1; r <= t->nrows; r++)
            print_row(t->out, style, cells + r * (size_t)t->ncols, widths, t->ncols, cursor);
        print_rule(t->out, style->bottom, widths, t->ncols);
    } else {
        fputs("sluice: out of memory printing a table\n", stderr);
    }
    for (size_t i = 0; cells && i < ncells; i++)
        free(cells[i]);
    free(cells);
    free(widths);
    free(cursor);
}
