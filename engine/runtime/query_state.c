/* query_state.c — a query's operator state in the database (see query_state.h). */
#include "engine/runtime/query_state.h"

#include <stdio.h>
#include <string.h>

#include "common/hash.h"
#include "engine/runtime/state_writer.h"
#include "storage/state.h"

void query_state_fingerprint(struct sl_query *q)
{
    struct sl_buf desc;
    buf_init(&desc);
    const struct sl_stream_def *stream = q->plan->stream;
    for (uint32_t i = 0; i < stream->ncols; i++)
        buf_printf(&desc, "%s %s,", stream->cols[i].name, sl_type_name(stream->cols[i].type));
    buf_putc(&desc, '\n');
    /* EXPLAIN's text of the stateful operators names their keys, windows and
     * aggregates with their arguments, with their columns and types: what
     * state rows mean. A filter or projection changed around them (a
     * stateless change) leaves the fingerprint as it is. */
    op_explain_stateful(q->pipeline.head, &desc);
    /* Out of memory: a fingerprint no checkpoint has, so nothing is restored. */
    if (desc.failed)
        snprintf(q->fingerprint, sizeof q->fingerprint, "unknown");
    else
        snprintf(q->fingerprint, sizeof q->fingerprint, "%016llx",
                 (unsigned long long)sl_hash_bytes(desc.data, desc.len, 0));
    buf_free(&desc);
    uint32_t parts = q->pipeline.exchange ? op_exchange_parts(q->pipeline.exchange) : 1;
    if (parts > 1 && !desc.failed)
        snprintf(q->fingerprint + FINGERPRINT_HASH_CHARS,
                 sizeof q->fingerprint - FINGERPRINT_HASH_CHARS, "/p%u", parts);
}

uint32_t query_state_partitions(const char *fingerprint)
{
    unsigned parts = 1;
    if (strlen(fingerprint) > FINGERPRINT_HASH_CHARS &&
        sscanf(fingerprint + FINGERPRINT_HASH_CHARS, "/p%u", &parts) != 1)
        parts = 1;
    return parts >= 1 && parts <= 64 ? parts : 1;
}

static sl_status put_state(void *ctx, uint32_t op, const void *key, size_t key_len,
                           const void *state, size_t state_len, struct sl_error *err)
{
    const struct sl_query *q = ctx;
    return db_state_put(q->db, q->name, op, key, key_len, state, state_len, err);
}

static sl_status drop_state(void *ctx, uint32_t op, const void *lo, size_t lo_len,
                            const void *hi, size_t hi_len, struct sl_error *err)
{
    const struct sl_query *q = ctx;
    return db_state_delete_range(q->db, q->name, op, lo, lo_len, hi, hi_len, err);
}

static sl_status append_state(void *ctx, uint32_t op, uint64_t seq,
                              const struct db_state_row *rows, size_t n, struct sl_error *err)
{
    const struct sl_query *q = ctx;
    return db_state_log_append(q->db, q->name, seq, op, rows, n, err);
}

static sl_status truncate_state(void *ctx, uint32_t op, uint64_t seq, struct sl_error *err)
{
    const struct sl_query *q = ctx;
    return db_state_log_truncate(q->db, q->name, op, seq, err);
}

sl_status query_state_attach(struct sl_query *q, struct sl_error *err)
{
    return state_writer_create(q->pipeline.head, &q->state, err);
}

void query_state_close(struct sl_query *q)
{
    state_writer_destroy(q->state);
    q->state = NULL;
}

sl_status query_state_write(struct sl_query *q, struct sl_error *err)
{
    const struct sl_state_store store = {.put = put_state,
                                         .drop = drop_state,
                                         .append = append_state,
                                         .truncate = truncate_state,
                                         .ctx = q};
    return state_writer_write(q->state, &store, err);
}

/* The key as an SQL blob literal (X'..', its first 32 bytes), to find the row by. */
static void key_literal(char *out, size_t cap, const unsigned char *key, size_t len)
{
    size_t n = len < 32 ? len : 32, at = (size_t)snprintf(out, cap, "X'");
    for (size_t i = 0; i < n && at + 3 < cap; i++)
        at += (size_t)snprintf(out + at, cap - at, "%02X", key[i]);
    snprintf(out + at, cap - at, "%s", len > n ? "'..." : "'");
}

struct restore_ctx {
    const struct sl_query *q;
    uint64_t rows;
};

static sl_status restore_row(void *ctx, const char *table, int64_t op, const unsigned char *key,
                             size_t key_len, const unsigned char *state, size_t state_len,
                             struct sl_error *err)
{
    struct restore_ctx *rc = ctx;
    const struct sl_query *q = rc->q;
    rc->rows++;
    sl_status st = op_restore(q->pipeline.head, op, key, key_len, state, state_len, err);
    if (st == SL_ERROR) {
        struct sl_error cause = *err;
        char literal[80];
        key_literal(literal, sizeof literal, key, key_len);
        sl_error_set(err, SL_ERROR,
                     "the saved state of query %s is not valid (%s row op = %lld, key = %s): %s",
                     q->name, table, (long long)op, literal, cause.msg);
    }
    return st;
}

sl_status query_state_restore(struct sl_query *q, uint64_t *rows, struct sl_error *err)
{
    struct restore_ctx rc = {.q = q};
    uint64_t log_rows, log_seq;
    sl_status st = db_state_log_bounds(q->db, q->name, &log_rows, &log_seq, err);
    if (st == SL_OK && q->state)
        state_writer_set_log(q->state, log_rows, log_seq);
    if (st == SL_OK)
        st = db_state_each(q->db, q->name, restore_row, &rc, err);
    *rows = rc.rows;
    return st;
}
