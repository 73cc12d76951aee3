/* names.h — the engine's names (sluice_names) held as a list, for the
 * shell's completion and for .tables, .schema and \d. */
#ifndef SL_CLI_NAMES_H
#define SL_CLI_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/sluice.h"

struct name_entry {
    enum sluice_name_kind kind;
    char *name;
    char *detail; /* see sluice_names; NULL if none */
};

struct name_list {
    struct name_entry *items;
    size_t n, cap;
};

void names_add(struct name_list *list, enum sluice_name_kind kind, const char *name,
               const char *detail);
/* Fills list from the engine; false (having printed why) on failure. */
bool names_load(struct sluice *s, struct name_list *list);
void names_free(struct name_list *list);
/* Fills list with the database's tables as SHOW TABLES gives them, each
 * entry's detail its kind there (result, late, table, view, system, live). */
bool names_load_tables(struct sluice *s, struct name_list *list);
/* The entry of that kind and name (any case), or NULL. */
const struct name_entry *names_find(const struct name_list *list, enum sluice_name_kind kind,
                                    const char *name);
/* Whether a table is one of Sluice's own (_sluice_progress, ...), not the user's. */
bool names_is_system(const char *table);

#endif
