/*
 * exec_join_tables.c — the catalog's view of the database's tables for lookup
 * joins (catalog.h, sl_describe_table_fn): where a table is and its columns,
 * read from SQLite's schema on the engine's connection (storage/db_tables.h).
 */
#include "engine/exec/exec.h"

#include "common/buf.h"
#include "storage/db_tables.h"

#include <string.h>

struct column_list {
    struct sl_arena *arena;
    uint32_t n, cap;
    const char **names, **types;
    bool nomem;
};

static void add_column(void *ctx, const struct db_column *c)
{
    struct column_list *l = ctx;
    if (l->nomem)
        return;
    if (l->n == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 16;
        const char **names = arena_alloc(l->arena, cap * sizeof *names);
        const char **types = arena_alloc(l->arena, cap * sizeof *types);
        if (!names || !types) {
            l->nomem = true;
            return;
        }
        if (l->n) {
            memcpy(names, l->names, l->n * sizeof *names);
            memcpy(types, l->types, l->n * sizeof *types);
        }
        l->names = names;
        l->types = types;
        l->cap = cap;
    }
    const char *type = c->type ? c->type : "";
    l->names[l->n] = arena_strndup(l->arena, c->name, strlen(c->name));
    l->types[l->n] = arena_strndup(l->arena, type, strlen(type));
    l->nomem = !l->names[l->n] || !l->types[l->n];
    l->n++;
}

static const char *arena_copy(struct sl_arena *arena, const struct sl_buf *b)
{
    return arena_strndup(arena, buf_str(b), b->len);
}

sl_status exec_describe_join_table(void *ctx, const char *schema, const char *table,
                                   struct sl_arena *arena, struct sl_table_def *out, bool *found,
                                   struct sl_error *err)
{
    struct sl_db *db = ctx;
    struct sl_buf sch, name, file;
    buf_init(&sch);
    buf_init(&name);
    buf_init(&file);
    sl_status st = db_table_locate(db, schema, table, &sch, &name, &file, found, err);
    struct column_list cols = {.arena = arena};
    if (st == SL_OK && *found) {
        out->schema = arena_copy(arena, &sch);
        out->table = arena_copy(arena, &name);
        out->file = arena_copy(arena, &file);
        st = db_table_columns_in(db, out->schema, out->table, add_column, &cols, found, err);
    }
    if (st == SL_OK && (cols.nomem || sch.failed || name.failed || file.failed ||
                        (*found && (!out->schema || !out->table || !out->file))))
        st = sl_error_set(err, SL_NOMEM, "out of memory");
    out->ncols = cols.n;
    out->names = cols.names;
    out->decl_types = cols.types;
    buf_free(&sch);
    buf_free(&name);
    buf_free(&file);
    return st;
}
