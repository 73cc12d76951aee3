/* names.c — the engine's names as a list the shell can search. */
#include "cli/names.h"

#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void names_add(struct name_list *list, enum sluice_name_kind kind, const char *name,
               const char *detail)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? 2 * list->cap : 256;
        struct name_entry *items = realloc(list->items, cap * sizeof *items);
        if (!items)
            return;
        list->items = items;
        list->cap = cap;
    }
    struct name_entry *e = &list->items[list->n];
    e->kind = kind;
    e->name = strdup(name);
    e->detail = detail ? strdup(detail) : NULL;
    if (!e->name) {
        free(e->detail);
        return;
    }
    list->n++;
}

static void collect(void *ctx, enum sluice_name_kind kind, const char *name, const char *detail)
{
    names_add(ctx, kind, name, detail);
}

bool names_load(struct sluice *s, struct name_list *list)
{
    memset(list, 0, sizeof *list);
    char *errors;
    bool ok = sluice_names(s, collect, list, &errors) == SLUICE_OK;
    cli_print_errors(errors);
    return ok;
}

void names_free(struct name_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->items[i].name);
        free(list->items[i].detail);
    }
    free(list->items);
    memset(list, 0, sizeof *list);
}

const struct name_entry *names_find(const struct name_list *list, enum sluice_name_kind kind,
                                    const char *name)
{
    for (size_t i = 0; i < list->n; i++)
        if (list->items[i].kind == kind && strcasecmp(list->items[i].name, name) == 0)
            return &list->items[i];
    return NULL;
}

/* SHOW TABLES' rows, read by their header's "name" and "kind" columns. */
struct shown_tables {
    struct name_list *list;
    int name_col, kind_col;
};

static void on_table_row(void *ctx, bool is_header, int ncols, const char *const *values)
{
    struct shown_tables *t = ctx;
    for (int i = 0; is_header && i < ncols; i++) {
        if (strcmp(values[i], "name") == 0)
            t->name_col = i;
        else if (strcmp(values[i], "kind") == 0)
            t->kind_col = i;
    }
    if (!is_header && t->name_col >= 0 && t->kind_col >= 0 && values[t->name_col])
        names_add(t->list, SLUICE_NAME_TABLE, values[t->name_col], values[t->kind_col]);
}

bool names_load_tables(struct sluice *s, struct name_list *list)
{
    memset(list, 0, sizeof *list);
    struct shown_tables t = {list, -1, -1};
    struct sluice_output out = {.row = on_table_row, .ctx = &t};
    char *errors;
    bool ok = sluice_exec(s, "<command>", "SHOW TABLES;", &out, &errors) == SLUICE_OK;
    cli_print_errors(errors);
    return ok;
}

bool names_is_system(const char *table)
{
    return strncasecmp(table, "_sluice_", 8) == 0;
}
