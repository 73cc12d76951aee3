/*
 * pg_sql.c — the statements the POSTGRES sink sends, written once per
 * connection with its names quoted by libpq (PQescapeIdentifier follows the
 * connection's encoding): COPY into the table or the stage, the keyed
 * apply, and the one-row upsert and delete the row-by-row path prepares.
 */
#include "connectors/pg_impl.h"

#include <string.h>

#include "common/alloc.h"

const char *pg_type_for(enum sl_type t)
{
    switch (t) {
    case SL_BOOL: return "boolean";
    case SL_INT: return "bigint";
    case SL_REAL: return "double precision";
    case SL_TIMESTAMP: return "timestamp"; /* UTC, as Sluice's own are */
    case SL_ARRAY: return "jsonb";
    default: return "text";
    }
}

/* libpq's quoted copy of name (len bytes) as our own string: NULL when out of memory. */
static char *quote(PGconn *conn, const char *name, size_t len)
{
    char *q = PQescapeIdentifier(conn, name, len);
    if (!q)
        return NULL;
    char *own = sl_strdup(q);
    PQfreemem(q);
    return own;
}

/* TABLE 'schema.name' or 'name', each part quoted: "schema"."name". */
static char *quote_table(PGconn *conn, const char *target)
{
    const char *dot = strchr(target, '.');
    if (!dot)
        return quote(conn, target, strlen(target));
    char *schema = quote(conn, target, (size_t)(dot - target));
    char *name = quote(conn, dot + 1, strlen(dot + 1));
    char *both = schema && name ? sl_malloc(strlen(schema) + strlen(name) + 2) : NULL;
    if (both)
        strcat(strcat(strcpy(both, schema), "."), name);
    sl_free(schema);
    sl_free(name);
    return both;
}

/* "prefix.c1, prefix.c2, ..." over the columns (all, or the key's); prefix may be "". */
static void column_list(struct sl_buf *out, const struct pg_sink *s, bool key_only,
                        const char *prefix)
{
    uint32_t n = key_only ? s->spec->nkey : s->spec->ncols;
    for (uint32_t i = 0; i < n; i++)
        buf_printf(out, "%s%s%s", i ? ", " : "", prefix,
                   s->sql.cols[key_only ? s->spec->key[i] : i]);
}

/* "ON CONFLICT (key) DO UPDATE SET c = EXCLUDED.c, ..." (DO NOTHING when every column is key). */
static void on_conflict(struct sl_buf *out, const struct pg_sink *s)
{
    buf_puts(out, " ON CONFLICT (");
    column_list(out, s, true, "");
    buf_puts(out, ") DO ");
    const char *sep = "UPDATE SET ";
    for (uint32_t c = 0; c < s->spec->ncols; c++) {
        bool is_key = false;
        for (uint32_t k = 0; k < s->spec->nkey; k++)
            is_key |= s->spec->key[k] == c;
        if (!is_key) {
            buf_printf(out, "%s%s = EXCLUDED.%s", sep, s->sql.cols[c], s->sql.cols[c]);
            sep = ", ";
        }
    }
    if (strcmp(sep, "UPDATE SET ") == 0)
        buf_puts(out, "NOTHING");
}

/* The key of t equals the key of last: with = (an index join) or, for keys holding a NULL,
 * IS NOT DISTINCT FROM (NULL is a group of its own, as in Sluice's result table). */
static void key_match(struct sl_buf *out, const struct pg_sink *s, const char *op)
{
    for (uint32_t k = 0; k < s->spec->nkey; k++) {
        const char *col = s->sql.cols[s->spec->key[k]];
        buf_printf(out, " AND t.%s %s last.%s", col, op, col);
    }
}

/* Each key's last row in the stage decides: a delete removes it, anything else upserts it. */
static void write_apply(struct pg_sink *s)
{
    struct sl_buf *out = &s->sql.apply;
    buf_puts(out, "WITH last AS (SELECT DISTINCT ON (");
    column_list(out, s, true, "");
    buf_printf(out, ") * FROM " PG_STAGE " ORDER BY ");
    column_list(out, s, true, "");
    buf_printf(out, ", " PG_STAGE_SEQ " DESC), gone AS (DELETE FROM %s t USING last WHERE "
                    "last." PG_STAGE_DELETE,
               s->sql.table);
    key_match(out, s, "=");
    buf_printf(out, "), gone_null AS (DELETE FROM %s t USING last WHERE last." PG_STAGE_DELETE
                    " AND (",
               s->sql.table);
    for (uint32_t k = 0; k < s->spec->nkey; k++)
        buf_printf(out, "%slast.%s IS NULL", k ? " OR " : "", s->sql.cols[s->spec->key[k]]);
    buf_puts(out, ")");
    key_match(out, s, "IS NOT DISTINCT FROM");
    buf_printf(out, ") INSERT INTO %s (", s->sql.table);
    column_list(out, s, false, "");
    buf_puts(out, ") SELECT ");
    column_list(out, s, false, "last.");
    buf_puts(out, " FROM last WHERE NOT last." PG_STAGE_DELETE);
    on_conflict(out, s);
}

static void write_one_row(struct pg_sink *s)
{
    struct sl_buf *out = &s->sql.upsert_one;
    buf_printf(out, "INSERT INTO %s (", s->sql.table);
    column_list(out, s, false, "");
    buf_puts(out, ") VALUES (");
    for (uint32_t c = 0; c < s->spec->ncols; c++)
        buf_printf(out, "%s$%u", c ? ", " : "", c + 1);
    buf_puts(out, ")");
    if (!s->spec->nkey)
        return;
    on_conflict(out, s);
    buf_printf(&s->sql.delete_one, "DELETE FROM %s WHERE ", s->sql.table);
    for (uint32_t k = 0; k < s->spec->nkey; k++)
        buf_printf(&s->sql.delete_one, "%s%s IS NOT DISTINCT FROM $%u", k ? " AND " : "",
                   s->sql.cols[s->spec->key[k]], k + 1);
}

sl_status pg_sql_build(struct pg_sink *s, struct sl_error *err)
{
    const struct sl_sink_spec *spec = s->spec;
    pg_sql_free(&s->sql);
    const char *progress = sink_option_text(spec, PG_PROGRESS_TABLE);
    s->sql.table = quote_table(s->conn, spec->target);
    s->sql.progress = quote_table(s->conn, progress ? progress : "sluice_sink_progress");
    char *literal = PQescapeLiteral(s->conn, spec->name, strlen(spec->name));
    s->sql.sink_name = literal ? sl_strdup(literal) : NULL;
    PQfreemem(literal);
    s->sql.cols = sl_calloc(spec->ncols + 1, sizeof *s->sql.cols); /* NULL-terminated */
    bool ok = s->sql.table && s->sql.progress && s->sql.sink_name && s->sql.cols;
    for (uint32_t c = 0; ok && c < spec->ncols; c++)
        ok = (s->sql.cols[c] = quote(s->conn, spec->names[c], strlen(spec->names[c]))) != NULL;
    if (!ok)
        return sl_error_set(err, SL_NOMEM, "out of memory writing the statements for table %s",
                            spec->target);
    if (spec->nkey) {
        buf_puts(&s->sql.copy, "COPY " PG_STAGE " (" PG_STAGE_SEQ ", " PG_STAGE_DELETE ", ");
        write_apply(s);
    } else {
        buf_printf(&s->sql.copy, "COPY %s (", s->sql.table);
    }
    column_list(&s->sql.copy, s, false, "");
    buf_puts(&s->sql.copy, ") FROM STDIN");
    write_one_row(s);
    if (s->sql.copy.failed || s->sql.apply.failed || s->sql.upsert_one.failed ||
        s->sql.delete_one.failed)
        return sl_error_set(err, SL_NOMEM, "out of memory writing the statements for table %s",
                            spec->target);
    return SL_OK;
}

void pg_sql_free(struct pg_sql *sql)
{
    sl_free(sql->table);
    sl_free(sql->progress);
    sl_free(sql->sink_name);
    for (uint32_t c = 0; sql->cols && sql->cols[c]; c++)
        sl_free(sql->cols[c]);
    sl_free(sql->cols);
    buf_free(&sql->copy);
    buf_free(&sql->apply);
    buf_free(&sql->upsert_one);
    buf_free(&sql->delete_one);
    memset(sql, 0, sizeof *sql);
}
