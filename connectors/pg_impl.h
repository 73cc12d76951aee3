/*
 * pg_impl.h — the POSTGRES sink's pieces (sink_postgres.c): the SQL it
 * writes (pg_sql.c), the target table checked or created (pg_table.c), rows
 * sent with COPY (pg_copy.c) or one by one when the server refuses some
 * (pg_rows.c), and the server's errors sorted into retry or stop
 * (pg_result.c). All of them work on one struct pg_sink and its connection.
 */
#ifndef SL_PG_IMPL_H
#define SL_PG_IMPL_H

#include <libpq-fe.h>

#include "common/buf.h"
#include "connectors/sink.h"

enum pg_option {
    PG_CONNECT_TIMEOUT,
    PG_STATEMENT_TIMEOUT,
    PG_PROGRESS_TABLE,
};

/* The statements of one connection, quoted with its encoding (pg_sql_build). */
struct pg_sql {
    char *table;      /* "schema"."name" or "name" */
    char *progress;   /* the progress table, quoted likewise */
    char **cols;      /* each column, quoted */
    char *sink_name;  /* the sink's name as a string literal */
    struct sl_buf copy;       /* COPY into the table (append-only) or into the stage (keyed) */
    struct sl_buf apply;      /* keyed: the stage's last row per key upserted or deleted */
    struct sl_buf upsert_one; /* one row, $1..$n: INSERT (ON CONFLICT ... DO UPDATE when keyed) */
    struct sl_buf delete_one; /* keyed: one row's key, $1..$k: DELETE ... IS NOT DISTINCT FROM */
};

struct pg_sink {
    struct sl_sink base;
    const struct sl_sink_spec *spec; /* lives as long as the sink */
    PGconn *conn;                    /* NULL until the first delivery, and after a loss */
    bool ready;                      /* conn is set up: table checked, stage made, statements prepared */
    bool delivered_before;           /* this database's sink delivered a batch (its saved state) */
    /* The last failure was the server refusing data (SQLSTATE classes 22 and 23: a value out
     * of range, a constraint): the batch is tried again row by row to find the rows. */
    bool refused;
    struct pg_sql sql;
};

/* The stage's two columns besides the rows': order in the batch, and whether it deletes. */
#define PG_STAGE "pg_temp.sluice_stage"
#define PG_STAGE_SEQ "sluice_seq"
#define PG_STAGE_DELETE "sluice_delete"

/* pg_sql.c: quotes the names with conn and writes every statement; SL_NOMEM or SL_ERROR. */
sl_status pg_sql_build(struct pg_sink *s, struct sl_error *err);
void pg_sql_free(struct pg_sql *sql);
/* The PostgreSQL type a column of Sluice type t gets in a table Sluice creates. */
const char *pg_type_for(enum sl_type t);

/* pg_table.c: creates the table (and the progress table) or checks the existing
 * one's columns; makes the stage (keyed). */
sl_status pg_table_prepare(struct pg_sink *s, struct sl_error *err);

/* pg_copy.c: the batch's rows into the table or the stage with COPY. */
sl_status pg_copy_rows(struct pg_sink *s, const struct sl_sink_batch *b, struct sl_error *err);
/* A value (not NULL) as PostgreSQL reads it from text. */
void pg_value_text(struct sl_buf *out, const struct sl_value *v);
/* A value as COPY's text format writes it (NULL: \N), appended to out. */
void pg_copy_value(struct sl_buf *out, const struct sl_value *v, struct sl_buf *scratch);

/* pg_rows.c: the batch applied row by row, each in a savepoint: a row the server refuses is
 * handed to ack->reject with its message, the others applied. In the caller's transaction. */
sl_status pg_rows_apply(struct pg_sink *s, const struct sl_sink_batch *b, struct sl_sink_ack *ack,
                        struct sl_error *err);

/* pg_result.c: the status a statement's result means (SL_OK when it is want); on failure,
 * err says what the server said, about which table, and s->refused is set. Frees res. */
sl_status pg_result_check(struct pg_sink *s, PGresult *res, ExecStatusType want, const char *doing,
                          struct sl_error *err);
/* Runs sql (no parameters) and checks its result as pg_result_check. */
sl_status pg_exec(struct pg_sink *s, const char *sql, const char *doing, struct sl_error *err);

#endif
