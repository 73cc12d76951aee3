/*
 * pg_result.c — what a PostgreSQL failure means to the POSTGRES sink: try
 * again later (the connection, a serialization failure, a timeout, a server
 * shutting down or out of room) or stop until the user acts (a missing
 * column, a type, a permission), told with the server's own message and the
 * table it was about.
 */
#include "connectors/pg_impl.h"

#include <string.h>

/* SQLSTATE classes (and codes) that pass: the same statement can work later. */
static bool sqlstate_passes(const char *state)
{
    static const char *const passing[] = {
        "08",    /* connection exception */
        "40",    /* transaction rollback: serialization failure, deadlock */
        "53",    /* insufficient resources: disk full, too many connections */
        "57",    /* operator intervention: statement timeout (57014), shutdown */
        "58",    /* system error: I/O */
        "55P03", /* lock not available (lock_timeout) */
        "25P03", /* idle in transaction session timeout */
        "HV",    /* foreign data wrapper errors: the remote side is away */
    };
    for (size_t i = 0; i < sizeof passing / sizeof passing[0]; i++)
        if (strncmp(state, passing[i], strlen(passing[i])) == 0)
            return true;
    return false;
}

/* The server's message: its first line (libpq adds lines of guesses after a lost connection). */
static void trimmed(const char *msg, char *out, size_t size)
{
    size_t len = strcspn(msg, "\n");
    while (len && msg[len - 1] == ' ')
        len--;
    if (len >= size)
        len = size - 1;
    memcpy(out, msg, len);
    out[len] = '\0';
}

sl_status pg_result_check(struct pg_sink *s, PGresult *res, ExecStatusType want, const char *doing,
                          struct sl_error *err)
{
    s->refused = false;
    if (res && PQresultStatus(res) == want) {
        PQclear(res);
        return SL_OK;
    }
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
    char msg[320];
    if (primary)
        trimmed(primary, msg, sizeof msg);
    else if (res && PQresultStatus(res) != PGRES_FATAL_ERROR && PQresultStatus(res) != want)
        snprintf(msg, sizeof msg, "unexpected answer %s", PQresStatus(PQresultStatus(res)));
    else
        trimmed(PQerrorMessage(s->conn), msg, sizeof msg);
    /* No SQLSTATE: libpq's own failure, the connection; a lost connection passes whatever it said. */
    bool passes = !state || sqlstate_passes(state) || PQstatus(s->conn) != CONNECTION_OK;
    s->refused = !passes && (strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0);
    sl_error_set(err, passes ? SL_AGAIN : SL_ERROR, "PostgreSQL, %s table %s: %s%s%s%s%s%s",
                 doing, s->spec->target, msg, detail ? " (" : "", detail ? detail : "",
                 detail ? ")" : "", state ? " SQLSTATE " : "", state ? state : "");
    PQclear(res);
    return passes ? SL_AGAIN : SL_ERROR;
}

sl_status pg_exec(struct pg_sink *s, const char *sql, const char *doing, struct sl_error *err)
{
    PGresult *res = PQexec(s->conn, sql);
    ExecStatusType want = res && PQresultStatus(res) == PGRES_TUPLES_OK ? PGRES_TUPLES_OK
                                                                      : PGRES_COMMAND_OK;
    return pg_result_check(s, res, want, doing, err);
}
