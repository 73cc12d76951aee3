/*
 * pg_table.c — the POSTGRES sink's tables on a new connection: the progress
 * table (created if missing), the target table (created with mapped types
 * if missing; an existing one must have every column, of a type that takes
 * the values), the stage a keyed batch is copied into, and the one-row
 * statements prepared.
 */
#include "connectors/pg_impl.h"

#include <string.h>

/* PostgreSQL's type categories (pg_type.typcategory) that take a Sluice type's text. */
static const char *categories_for(enum sl_type t)
{
    switch (t) {
    case SL_BOOL: return "BNS"; /* boolean, or 1/0 in a number or a text */
    case SL_INT:
    case SL_REAL: return "NS";
    case SL_TEXT: return "SE";      /* string, enum */
    case SL_TIMESTAMP: return "DS"; /* date/time */
    case SL_ARRAY: return "US";     /* json and jsonb are user-defined types to pg_type */
    default: return NULL;           /* anything */
    }
}

static sl_status create_table(struct pg_sink *s, struct sl_error *err)
{
    const struct sl_sink_spec *spec = s->spec;
    struct sl_buf sql;
    buf_init(&sql);
    buf_printf(&sql, "CREATE TABLE IF NOT EXISTS %s (", s->sql.table);
    for (uint32_t c = 0; c < spec->ncols; c++)
        buf_printf(&sql, "%s%s %s", c ? ", " : "", s->sql.cols[c], pg_type_for(spec->types[c]));
    /* Not PRIMARY KEY, which refuses NULL: a NULL group key is a row of its own in Sluice's
     * result table, and NULLS NOT DISTINCT (PostgreSQL 15) keeps it one row here too. */
    if (spec->nkey)
        buf_puts(&sql, PQserverVersion(s->conn) >= 150000 ? ", UNIQUE NULLS NOT DISTINCT ("
                                                          : ", PRIMARY KEY (");
    for (uint32_t k = 0; k < spec->nkey; k++)
        buf_printf(&sql, "%s%s", k ? ", " : "", s->sql.cols[spec->key[k]]);
    buf_puts(&sql, spec->nkey ? "))" : ")");
    sl_status st = sql.failed ? sl_error_set(err, SL_AGAIN, "out of memory")
                              : pg_exec(s, buf_str(&sql), "creating", err);
    buf_free(&sql);
    return st;
}

/* Every column of the sink in the table, of a type that takes its values; else SL_ERROR
 * naming the missing columns (or the first mismatched one). */
static sl_status check_columns(struct pg_sink *s, PGresult *cols, struct sl_error *err)
{
    const struct sl_sink_spec *spec = s->spec;
    struct sl_buf missing;
    buf_init(&missing);
    sl_status st = SL_OK;
    for (uint32_t c = 0; c < spec->ncols && st == SL_OK; c++) {
        int row = -1;
        for (int i = 0; i < PQntuples(cols) && row < 0; i++)
            if (strcmp(PQgetvalue(cols, i, 0), spec->names[c]) == 0)
                row = i;
        const char *accepted = categories_for(spec->types[c]);
        if (row < 0)
            buf_printf(&missing, "%s%s", missing.len ? ", " : "", spec->names[c]);
        else if (accepted && !strchr(accepted, PQgetvalue(cols, row, 1)[0]))
            st = sl_error_set(err, SL_ERROR,
                              "PostgreSQL table %s: column %s is %s, which cannot hold the "
                              "query's %s values (alter it or drop the table: Sluice creates it "
                              "with %s)",
                              spec->target, spec->names[c], PQgetvalue(cols, row, 2),
                              sl_type_name(spec->types[c]), pg_type_for(spec->types[c]));
    }
    if (st == SL_OK && missing.len)
        st = sl_error_set(err, SL_ERROR,
                          "PostgreSQL table %s has no column %s (add it, or drop the table "
                          "and Sluice creates it)",
                          spec->target, buf_str(&missing));
    buf_free(&missing);
    return st;
}

/* Creates the table if it is missing, else checks its columns. */
static sl_status prepare_target(struct pg_sink *s, struct sl_error *err)
{
    const char *name[1] = {s->sql.table};
    PGresult *res = PQexecParams(
        s->conn,
        "SELECT a.attname, t.typcategory, format_type(a.atttypid, a.atttypmod) "
        "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
        "WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped "
        "UNION ALL SELECT NULL, NULL, NULL WHERE to_regclass($1) IS NULL",
        1, NULL, name, NULL, NULL, 0);
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK)
        return pg_result_check(s, res, PGRES_TUPLES_OK, "checking the columns of", err);
    bool missing_table = PQntuples(res) == 1 && PQgetisnull(res, 0, 0);
    sl_status st = missing_table ? create_table(s, err) : check_columns(s, res, err);
    PQclear(res);
    return st;
}

/* The stage has the table's own column types, so COPY reads values as the table will. */
static sl_status make_stage(struct pg_sink *s, struct sl_error *err)
{
    struct sl_buf sql;
    buf_init(&sql);
    buf_puts(&sql, "DROP TABLE IF EXISTS " PG_STAGE "; CREATE TEMP TABLE sluice_stage "
                   "ON COMMIT DELETE ROWS AS SELECT 0::bigint AS " PG_STAGE_SEQ ", "
                   "false AS " PG_STAGE_DELETE);
    for (uint32_t c = 0; c < s->spec->ncols; c++)
        buf_printf(&sql, ", %s", s->sql.cols[c]);
    buf_printf(&sql, " FROM %s WITH NO DATA", s->sql.table);
    sl_status st = sql.failed ? sl_error_set(err, SL_AGAIN, "out of memory")
                              : pg_exec(s, buf_str(&sql), "staging rows for", err);
    buf_free(&sql);
    return st;
}

static sl_status prepare(struct pg_sink *s, const char *name, const struct sl_buf *sql,
                         struct sl_error *err)
{
    return pg_result_check(s, PQprepare(s->conn, name, buf_str(sql), 0, NULL), PGRES_COMMAND_OK,
                           "preparing statements for", err);
}

sl_status pg_table_prepare(struct pg_sink *s, struct sl_error *err)
{
    struct sl_buf sql;
    buf_init(&sql);
    buf_printf(&sql, "CREATE TABLE IF NOT EXISTS %s (sink text PRIMARY KEY, batch_id bigint NOT "
                     "NULL, batch_committed timestamp, delivered_at timestamptz NOT NULL DEFAULT "
                     "now())",
               s->sql.progress);
    sl_status st = sql.failed ? sl_error_set(err, SL_AGAIN, "out of memory")
                              : pg_exec(s, buf_str(&sql), "creating the progress table for", err);
    buf_free(&sql);
    if (st == SL_OK)
        st = prepare_target(s, err);
    if (st == SL_OK && s->spec->nkey)
        st = make_stage(s, err);
    if (st == SL_OK)
        st = prepare(s, "sluice_upsert_one", &s->sql.upsert_one, err);
    if (st == SL_OK && s->spec->nkey)
        st = prepare(s, "sluice_delete_one", &s->sql.delete_one, err);
    return st;
}
