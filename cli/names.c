/* names.c — the engine's names as a list the shell can search. */
#include "cli/names.h"

#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void collect(void *ctx, enum sluice_name_kind kind, const char *name, const char *detail)
{
    struct name_list *list = ctx;
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

bool names_is_system(const char *table)
{
    return strncasecmp(table, "_sluice_", 8) == 0;
}
