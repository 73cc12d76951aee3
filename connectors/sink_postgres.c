/*
 * sink_postgres.c — INTO POSTGRES 'conninfo' TABLE 'name': a query's rows
 * upserted (or deleted) by its key in a PostgreSQL table, or inserted when
 * the query has no key. Each batch is one PostgreSQL transaction that also
 * moves the sink's row in a progress table to the batch's id, and does
 * nothing when that row is already there: a batch sent again after a crash
 * changes nothing, so the table holds exactly the committed results.
 *
 * The connection is made at the first delivery and made again after a loss;
 * every wait is bounded (connect_timeout, statement_timeout, TCP keepalives).
 */
#include "connectors/sink_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/time.h"
#include "connectors/pg_impl.h"

/* The server's notices (a table that exists already) are nobody's business: never printed. */
static void drop_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static void disconnect(struct pg_sink *s)
{
    PQfinish(s->conn);
    s->conn = NULL;
    s->ready = false;
}

/* Connects anew (libpq's own settings in the address win over these) and sets the session up. */
static sl_status connect_and_prepare(struct pg_sink *s, struct sl_error *err)
{
    char connect_s[24], user_timeout_ms[24], statement[96];
    int64_t connect_us = sink_option_num(s->spec, PG_CONNECT_TIMEOUT);
    int64_t statement_ms = sink_option_num(s->spec, PG_STATEMENT_TIMEOUT) / SL_US_PER_MS;
    snprintf(connect_s, sizeof connect_s, "%lld",
             (long long)((connect_us + SL_US_PER_SEC - 1) / SL_US_PER_SEC));
    /* A server that vanished without closing: sent data unacknowledged this long ends it. */
    snprintf(user_timeout_ms, sizeof user_timeout_ms, "%lld", (long long)statement_ms + 5000);
    const char *const keys[] = {"connect_timeout", "keepalives_idle", "keepalives_interval",
                                "keepalives_count", "tcp_user_timeout",
                                "fallback_application_name", "dbname", NULL};
    const char *const values[] = {connect_s, "5", "2", "3", user_timeout_ms, "sluice",
                                  s->spec->address, NULL};
    s->conn = PQconnectdbParams(keys, values, 1);
    if (!s->conn)
        return sl_error_set(err, SL_AGAIN, "out of memory connecting to PostgreSQL");
    if (PQstatus(s->conn) != CONNECTION_OK) {
        char msg[400];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(s->conn));
        msg[strcspn(msg, "\n")] = '\0';
        disconnect(s);
        return sl_error_set(err, SL_AGAIN, "PostgreSQL, connecting for table %s: %s",
                            s->spec->target, msg);
    }
    PQsetNoticeProcessor(s->conn, drop_notice, NULL);
    snprintf(statement, sizeof statement,
             "SET statement_timeout = %lld; SET TimeZone = 'UTC'; SET client_encoding = 'UTF8'",
             (long long)statement_ms);
    sl_status st = pg_exec(s, statement, "setting the session up for", err);
    if (st == SL_OK)
        st = pg_sql_build(s, err);
    if (st == SL_OK)
        st = pg_table_prepare(s, err);
    s->ready = st == SL_OK;
    return st == SL_NOMEM ? SL_AGAIN : st;
}

/* What the sink's progress row says about a batch. */
enum progress_verdict {
    PROGRESS_NEW,       /* not delivered yet: apply it */
    PROGRESS_DONE,      /* this very batch, or an older one, is there: skip it */
    PROGRESS_OF_OTHERS, /* the row is another database's (same sink name): stop */
};

/* Begins the transaction, locks the sink's progress row and judges batch b by it. A batch is
 * known by its id and its commit time in Sluice, so that batch 1 of a database made anew is
 * not taken for batch 1 of the one before; an id past b's is old news only to a sink that
 * delivered before from this database. */
static sl_status begin_batch(struct pg_sink *s, const struct sl_sink_batch *b, int64_t *last,
                             enum progress_verdict *verdict, struct sl_error *err)
{
    char committed[32];
    sl_ts_format(b->committed_us, committed);
    struct sl_buf sql;
    buf_init(&sql);
    buf_printf(&sql, "BEGIN; INSERT INTO %s (sink, batch_id) VALUES (%s, 0) ON CONFLICT DO "
                     "NOTHING; SELECT batch_id, batch_committed IS NOT DISTINCT FROM '%s' "
                     "FROM %s WHERE sink = %s FOR UPDATE",
               s->sql.progress, s->sql.sink_name, committed, s->sql.progress, s->sql.sink_name);
    PGresult *res = sql.failed ? NULL : PQexec(s->conn, buf_str(&sql));
    buf_free(&sql);
    if (res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
        *last = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        bool same = PQgetvalue(res, 0, 1)[0] == 't';
        *verdict = *last < b->batch_id                            ? PROGRESS_NEW
                   : *last == b->batch_id ? (same ? PROGRESS_DONE : PROGRESS_OF_OTHERS)
                   : s->delivered_before  ? PROGRESS_DONE
                                          : PROGRESS_OF_OTHERS;
    }
    return pg_result_check(s, res, PGRES_TUPLES_OK, "reading the sink's progress row for", err);
}

/* The progress row holds a batch this database's sink did not deliver: its rows would be
 * skipped. Another Sluice database writes with the sink's name, or this one was made anew. */
static sl_status progress_of_others(struct pg_sink *s, int64_t last, int64_t batch_id,
                                    struct sl_error *err)
{
    const char *table = sink_option_text(s->spec, PG_PROGRESS_TABLE);
    return sl_error_set(err, SL_ERROR,
                        "PostgreSQL table %s: the progress table %s says sink %s delivered "
                        "batch %lld, which this database's sink did not (it is at batch %lld); "
                        "another Sluice database uses the name, or this one is new: give the "
                        "sink another name, or DELETE FROM %s WHERE sink = '%s' to deliver "
                        "from the start",
                        s->spec->target, table ? table : "sluice_sink_progress", s->spec->name,
                        (long long)last, (long long)batch_id,
                        table ? table : "sluice_sink_progress", s->spec->name);
}

static sl_status end_batch(struct pg_sink *s, const struct sl_sink_batch *b, struct sl_error *err)
{
    char committed[32];
    sl_ts_format(b->committed_us, committed);
    struct sl_buf sql;
    buf_init(&sql);
    buf_printf(&sql, "UPDATE %s SET batch_id = %lld, batch_committed = '%s', delivered_at = "
                     "now() WHERE sink = %s; COMMIT",
               s->sql.progress, (long long)b->batch_id, committed, s->sql.sink_name);
    sl_status st = sql.failed ? sl_error_set(err, SL_AGAIN, "out of memory")
                              : pg_exec(s, buf_str(&sql), "committing a batch to", err);
    buf_free(&sql);
    return st;
}

/* One transaction: the batch's rows (with COPY, or row by row) and the progress row. */
static sl_status deliver_in_transaction(struct pg_sink *s, const struct sl_sink_batch *b,
                                        struct sl_sink_ack *ack, bool by_row,
                                        struct sl_error *err)
{
    int64_t last = 0;
    enum progress_verdict verdict = PROGRESS_NEW;
    sl_status st = begin_batch(s, b, &last, &verdict, err);
    if (st == SL_OK && verdict == PROGRESS_OF_OTHERS)
        return progress_of_others(s, last, b->batch_id, err);
    if (st != SL_OK || verdict == PROGRESS_DONE)
        return st == SL_OK ? pg_exec(s, "COMMIT", "committing a batch to", err) : st;
    if (b->nrows && by_row)
        st = pg_rows_apply(s, b, ack, err);
    else if (b->nrows) {
        st = pg_copy_rows(s, b, err);
        if (st == SL_OK && s->spec->nkey)
            st = pg_exec(s, buf_str(&s->sql.apply), "upserting into", err);
    }
    return st == SL_OK ? end_batch(s, b, err) : st;
}

static sl_status pg_deliver(struct sl_sink *sink, const struct sl_sink_batch *b,
                            struct sl_sink_ack *ack, struct sl_error *err)
{
    struct pg_sink *s = (struct pg_sink *)sink;
    /* A connection lost, or whose setup failed half-way, is made afresh. */
    if (s->conn && (PQstatus(s->conn) != CONNECTION_OK || !s->ready))
        disconnect(s);
    sl_status st = s->conn ? SL_OK : connect_and_prepare(s, err);
    if (st == SL_OK)
        st = deliver_in_transaction(s, b, ack, false, err);
    if (st != SL_OK && s->refused && s->conn && PQstatus(s->conn) == CONNECTION_OK) {
        PQclear(PQexec(s->conn, "ROLLBACK"));
        st = deliver_in_transaction(s, b, ack, true, err);
    }
    if (st == SL_OK) {
        /* Saved by the engine with the batch: after a restart, open knows it delivered. */
        buf_puts(&ack->state, "delivered");
        s->delivered_before = true;
    }
    if (st != SL_OK && s->conn) {
        /* After an SL_ERROR (a column missing) all is set up afresh on a new connection. */
        if (PQstatus(s->conn) == CONNECTION_OK && st != SL_ERROR)
            PQclear(PQexec(s->conn, "ROLLBACK"));
        else
            disconnect(s);
    }
    return st;
}

static void pg_close(struct sl_sink *sink)
{
    struct pg_sink *s = (struct pg_sink *)sink;
    PQfinish(s->conn);
    pg_sql_free(&s->sql);
    sl_free(s);
}

static const struct sl_sink_ops pg_ops = {
    .deliver = pg_deliver,
    .close = pg_close,
};

static sl_status pg_open(const struct sl_sink_spec *spec, const char *saved, size_t saved_len,
                         struct sl_sink **out, struct sl_error *err)
{
    (void)saved; /* the progress row in PostgreSQL says which batch; this only that one was */
    struct pg_sink *s = sl_calloc(1, sizeof *s);
    if (!s)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    s->base.ops = &pg_ops;
    s->spec = spec;
    s->delivered_before = saved_len > 0;
    *out = &s->base;
    return SL_OK;
}

static const char *pg_check_address(const char *address, const char **hint)
{
    char *message = NULL;
    PQconninfoOption *parsed = PQconninfoParse(address, &message);
    PQconninfoFree(parsed);
    PQfreemem(message);
    if (parsed)
        return NULL;
    *hint = "write it as libpq does: 'host=127.0.0.1 port=5432 dbname=app user=sluice' or "
            "'postgresql://user@host:5432/app'";
    return "not a PostgreSQL connection string";
}

static const char *pg_check_option(size_t i, const struct sl_option_value *v, const char **hint)
{
    if (i == PG_PROGRESS_TABLE && !v->text[0]) {
        *hint = "leave it out for sluice_sink_progress";
        return "the progress table needs a name";
    }
    return NULL;
}

static const struct sl_option_def pg_options[] = {
    [PG_CONNECT_TIMEOUT] = {"connect_timeout", SL_OPTION_DURATION, 2 * SL_US_PER_SEC,
                            3600 * SL_US_PER_SEC, 5 * SL_US_PER_SEC, "5 seconds",
                            "how long making a connection may take (whole seconds)"},
    [PG_STATEMENT_TIMEOUT] = {"statement_timeout", SL_OPTION_DURATION, 100 * SL_US_PER_MS,
                              3600 * SL_US_PER_SEC, 30 * SL_US_PER_SEC, "30 seconds",
                              "how long one statement of a delivery may run; then it is "
                              "cancelled and the batch tried again later"},
    [PG_PROGRESS_TABLE] = {"progress_table", SL_OPTION_TEXT, 0, 0, 0, "'sluice_sink_progress'",
                           "the table holding each sink's last delivered batch id, created if "
                           "missing (may be schema-qualified)"},
};

const struct sl_sink_connector sink_postgres = {
    .name = "POSTGRES",
    .summary = "Upserts (and deletes) each changed row in a PostgreSQL table by the query's key, "
               "or inserts rows when it has none, one PostgreSQL transaction a batch; the table "
               "is created with mapped types when missing.",
    .guarantee = "exactly-once: each batch's rows and the sink's progress row commit in one "
                 "PostgreSQL transaction, and a batch the progress row already holds is skipped",
    .exactly_once = true,
    .address_doc = "'host=127.0.0.1 port=5432 dbname=app' (a libpq connection string or URI)",
    .check_address = pg_check_address,
    .target_word = "TABLE",
    .target_required = true,
    .check_option = pg_check_option,
    .options = pg_options,
    .noptions = sizeof pg_options / sizeof pg_options[0],
    .open = pg_open,
};
