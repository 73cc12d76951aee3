/*
 * pg_copy.c — a batch's rows into PostgreSQL with COPY ... FROM STDIN in
 * its text format: the fastest way in (one statement for 100,000 rows),
 * straight into an append-only table, or into the stage a keyed batch is
 * applied from, each row with its place in the batch and whether it deletes.
 */
#include "connectors/pg_impl.h"

#include <math.h>

#include "connectors/row_encode.h"

/* Bytes handed to libpq at a time. */
#define COPY_CHUNK (256 * 1024)

/* Text as COPY's text format reads it: backslash, tab and line breaks escaped. */
static void copy_escaped(struct sl_buf *out, const char *s, size_t len)
{
    size_t plain = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c != '\\' && c != '\t' && c != '\n' && c != '\r')
            continue;
        buf_append(out, s + plain, i - plain);
        plain = i + 1;
        buf_puts(out, c == '\\' ? "\\\\" : c == '\t' ? "\\t" : c == '\n' ? "\\n" : "\\r");
    }
    buf_append(out, s + plain, len - plain);
}

void pg_value_text(struct sl_buf *out, const struct sl_value *v)
{
    /* printf's "inf" and "-nan" are not all PostgreSQL's words for them. */
    if (v->type == SL_REAL && isnan(v->u.r))
        buf_puts(out, "NaN");
    else if (v->type == SL_REAL && isinf(v->u.r))
        buf_puts(out, v->u.r > 0 ? "Infinity" : "-Infinity");
    else
        value_encode_text(out, v);
}

void pg_copy_value(struct sl_buf *out, const struct sl_value *v, struct sl_buf *scratch)
{
    switch (v->type) {
    case SL_NULL: buf_puts(out, "\\N"); break;
    case SL_TEXT: copy_escaped(out, v->u.s.ptr, v->u.s.len); break;
    case SL_ARRAY:
        buf_clear(scratch);
        value_encode_json(scratch, v);
        copy_escaped(out, buf_str(scratch), scratch->len);
        break;
    default: pg_value_text(out, v); break; /* digits, 1/0, an ISO timestamp: nothing to escape */
    }
}

static sl_status copy_send(struct pg_sink *s, struct sl_buf *data)
{
    if (data->len && PQputCopyData(s->conn, data->data, (int)data->len) != 1)
        return SL_AGAIN;
    buf_clear(data);
    return SL_OK;
}

sl_status pg_copy_rows(struct pg_sink *s, const struct sl_sink_batch *b, struct sl_error *err)
{
    sl_status st = pg_result_check(s, PQexec(s->conn, buf_str(&s->sql.copy)), PGRES_COPY_IN,
                                   "copying rows into", err);
    if (st != SL_OK)
        return st;
    const struct sl_sink_spec *spec = s->spec;
    struct sl_buf data, scratch;
    buf_init(&data);
    buf_init(&scratch);
    for (uint32_t r = 0; r < b->nrows && st == SL_OK && !data.failed; r++) {
        const struct sl_value *row = b->values + (size_t)r * spec->ncols;
        if (spec->nkey)
            buf_printf(&data, "%u\t%c\t", r,
                       b->kinds && b->kinds[r] == SL_ROW_DELETE ? 't' : 'f');
        for (uint32_t c = 0; c < spec->ncols; c++) {
            if (c)
                buf_putc(&data, '\t');
            pg_copy_value(&data, &row[c], &scratch);
        }
        buf_putc(&data, '\n');
        if (data.len >= COPY_CHUNK)
            st = copy_send(s, &data);
    }
    bool no_memory = data.failed || scratch.failed;
    if (st == SL_OK && !no_memory)
        st = copy_send(s, &data);
    bool sent = st == SL_OK && !no_memory;
    buf_free(&data);
    buf_free(&scratch);
    /* Ended with an error message, the server drops what it was sent. */
    PQputCopyEnd(s->conn, no_memory ? "Sluice ran out of memory" : NULL);
    st = pg_result_check(s, PQgetResult(s->conn), PGRES_COMMAND_OK, "copying rows into", err);
    PGresult *more;
    while ((more = PQgetResult(s->conn)) != NULL)
        PQclear(more);
    if (st == SL_OK && !sent)
        st = sl_error_set(err, SL_AGAIN, "PostgreSQL, copying rows into table %s: %s",
                          spec->target, no_memory ? "out of memory" : PQerrorMessage(s->conn));
    return st;
}
