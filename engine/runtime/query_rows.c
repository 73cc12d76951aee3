/* query_rows.c — a row source's input (NEXMARK): rows straight into the query's input chunk,
 * with no text to decode. */
#include "engine/runtime/query_input.h"

#include "connectors/source.h"

sl_status query_read_rows(struct sl_query *q, int timeout_ms, size_t cap, size_t *n,
                          struct sl_error *read_err, sl_status *st, struct sl_error *err)
{
    *n = 0;
    *st = SL_OK;
    sl_status rs;
    do {
        size_t got;
        rs = source_read_rows(q->source, q->input, cap - *n, &got, timeout_ms, read_err);
        if (rs != SL_OK)
            break;
        *n += got;
        timeout_ms = 0;
        if (q->input->count == SL_CHUNK_CAP && (*st = query_push_input(q, err)) != SL_OK)
            return rs;
    } while (*n < cap);
    if (q->input->count)
        *st = query_push_input(q, err);
    return rs;
}
