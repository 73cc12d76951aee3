/*
 * pg_rows.c — a batch applied one row at a time, each in a savepoint: the
 * slow path taken only after the server refused the batch's data (a value
 * out of a column's range, a constraint of the user's table), so that the
 * rows it refuses become the sink's dead letters and the others land.
 */
#include "connectors/pg_impl.h"

#include "common/alloc.h"

/* Row r's values (only the key's for a delete) as text parameters; NULL stays NULL. */
static uint32_t row_params(const struct pg_sink *s, const struct sl_sink_batch *b, uint32_t r,
                           bool key_only, struct sl_buf *texts, const char **params)
{
    const struct sl_sink_spec *spec = s->spec;
    const struct sl_value *row = b->values + (size_t)r * spec->ncols;
    uint32_t n = key_only ? spec->nkey : spec->ncols;
    for (uint32_t i = 0; i < n; i++) {
        const struct sl_value *v = &row[key_only ? spec->key[i] : i];
        buf_clear(&texts[i]);
        pg_value_text(&texts[i], v);
        params[i] = v->type == SL_NULL ? NULL : buf_str(&texts[i]);
    }
    return n;
}

/* Row r in its savepoint: SL_OK when it landed or was refused (and handed to reject). */
static sl_status apply_row(struct pg_sink *s, const struct sl_sink_batch *b, uint32_t r,
                           struct sl_buf *texts, const char **params, struct sl_sink_ack *ack,
                           struct sl_error *err)
{
    bool deletes = s->spec->nkey && b->kinds && b->kinds[r] == SL_ROW_DELETE;
    uint32_t n = row_params(s, b, r, deletes, texts, params);
    sl_status st = pg_exec(s, "SAVEPOINT sluice_row", "applying a row to", err);
    if (st != SL_OK)
        return st;
    PGresult *res = PQexecPrepared(s->conn, deletes ? "sluice_delete_one" : "sluice_upsert_one",
                                   (int)n, params, NULL, NULL, 0);
    st = pg_result_check(s, res, PGRES_COMMAND_OK, "applying a row to", err);
    if (st == SL_OK)
        return pg_exec(s, "RELEASE SAVEPOINT sluice_row", "applying a row to", err);
    if (!s->refused || !ack->reject)
        return st;
    ack->reject(ack->ctx, r, err->msg);
    sl_error_clear(err);
    return pg_exec(s, "ROLLBACK TO SAVEPOINT sluice_row", "applying a row to", err);
}

sl_status pg_rows_apply(struct pg_sink *s, const struct sl_sink_batch *b, struct sl_sink_ack *ack,
                        struct sl_error *err)
{
    uint32_t ncols = s->spec->ncols;
    struct sl_buf *texts = sl_calloc(ncols + 1, sizeof *texts);
    const char **params = sl_calloc(ncols + 1, sizeof *params);
    sl_status st = texts && params ? SL_OK
                                   : sl_error_set(err, SL_AGAIN, "out of memory applying rows "
                                                                 "to table %s", s->spec->target);
    for (uint32_t r = 0; r < b->nrows && st == SL_OK; r++)
        st = apply_row(s, b, r, texts, params, ack, err);
    for (uint32_t c = 0; texts && c < ncols; c++)
        buf_free(&texts[c]);
    sl_free(texts);
    sl_free(params);
    return st;
}
