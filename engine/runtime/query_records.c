/*
 * query_records.c — a query over a record source (KAFKA): each record is
 * decoded on its own (a record never continues into the next, whatever
 * its partition), the rows it gives get the record's metadata columns, and
 * the partitions the source reads are registered for the watermark.
 */
#include "engine/runtime/query_input.h"

#include <string.h>

#include "common/alloc.h"

/* Records asked of the source per read: a few chunks' worth. */
#define RECORDS_PER_READ 4096

/* The metadata of r into rows [first, out->count) of out: the columns after the declared ones. */
static void fill_metadata(const struct sl_stream_def *stream, const struct sl_record *r,
                          struct sl_chunk *out, uint32_t first)
{
    const struct sl_connector *c = stream->source.connector;
    for (size_t m = 0; m < c->nmetadata; m++) {
        struct sl_vector *v = &out->cols[stream->ndeclared + m];
        for (uint32_t row = first; row < out->count; row++) {
            v->nulls[row] = 0;
            switch (c->metadata[m].field) {
            case SL_FIELD_KEY:
                v->nulls[row] = r->key == NULL || r->key_len > UINT32_MAX;
                v->data.s[row] = (struct sl_str){.ptr = r->key ? r->key : "",
                                                 .len = (uint32_t)r->key_len};
                break;
            case SL_FIELD_PARTITION: v->data.i[row] = r->partition; break;
            case SL_FIELD_OFFSET: v->data.i[row] = r->offset; break;
            case SL_FIELD_TIMESTAMP:
                v->nulls[row] = r->timestamp_us == INT64_MIN;
                v->data.i[row] = r->timestamp_us;
                break;
            }
        }
    }
}

/* One record, a document of its own: decoded (a chunk that fills up on the way is
 * pushed), then finished. */
static sl_status decode_record(struct sl_query *q, const struct sl_record *r, struct sl_error *err)
{
    const struct sl_stream_def *stream = q->plan->stream;
    q->current_record = r;
    decoder_begin_document(q->decoder);
    size_t off = 0;
    sl_status st = SL_OK;
    bool finished = false;
    while (st == SL_OK && !finished) {
        if (q->input->count == SL_CHUNK_CAP && (st = query_push_input(q, err)) != SL_OK)
            break;
        uint32_t first = q->input->count;
        size_t consumed = 0;
        if (off < r->len) {
            st = decoder_decode(q->decoder, r->value + off, r->len - off, &consumed, q->input, err);
            off += consumed;
        } else {
            /* The record's last line needs no newline: the end of the record ends it. */
            st = decoder_finish(q->decoder, q->input, err);
            finished = true;
        }
        if (st == SL_OK)
            fill_metadata(stream, r, q->input, first);
        if (st == SL_OK && !finished && consumed == 0 && q->input->count < SL_CHUNK_CAP)
            st = sl_error_set(err, SL_ERROR, "decoder made no progress");
    }
    q->current_record = NULL;
    return st;
}

/* The partitions the source reads, for a watermark per partition, once it knows them. */
static sl_status register_partitions(struct sl_query *q, struct sl_error *err)
{
    const int32_t *ids;
    size_t n = source_partitions(q->source, &ids);
    struct sl_time_state *time = q->pipeline.time;
    if (n == time->nparts || !q->plan->time_expr)
        return SL_OK;
    const struct sl_source_spec *spec = &q->plan->stream->source;
    int idle = connector_option_index(spec->connector, "idle_timeout");
    int64_t idle_us = idle >= 0 ? source_option_num(spec, (size_t)idle) : INT64_MAX;
    if (time_set_partitions(time, ids, (uint32_t)n, idle_us) != SL_OK)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    return SL_OK;
}

/* Records to ask for: all that fit, or as many as the batch's remaining bytes
 * (or the step's cap, q->step_cap_bytes) hold on average. */
static size_t records_wanted(const struct sl_query *q, uint64_t limit)
{
    if (limit && q->batch_bytes >= limit)
        return 1;
    if (q->step_cap_bytes && (!limit || limit - q->batch_bytes > q->step_cap_bytes))
        limit = q->batch_bytes + q->step_cap_bytes;
    if (!limit)
        return RECORDS_PER_READ;
    /* Before any record, guess large ones: the first read stays under the limit. */
    uint64_t average = q->records_read ? q->record_bytes_read / q->records_read : 1024;
    uint64_t fit = (limit - q->batch_bytes) / (average ? average : 1);
    return fit < 1 ? 1 : fit > RECORDS_PER_READ ? RECORDS_PER_READ : (size_t)fit;
}

sl_status query_read_records(struct sl_query *q, int timeout_ms, uint64_t limit, size_t *n,
                             struct sl_error *read_err, sl_status *st, struct sl_error *err)
{
    *st = SL_OK;
    if (!q->records && !(q->records = sl_malloc(RECORDS_PER_READ * sizeof *q->records))) {
        *st = sl_error_set(err, SL_NOMEM, "out of memory");
        return SL_AGAIN;
    }
    sl_status rs = source_read_records(q->source, q->records, records_wanted(q, limit), n,
                                       timeout_ms, read_err);
    q->batch_gap += source_take_gap(q->source);
    if (source_take_repositioned(q->source))
        q->had_input = true; /* a batch commits the position, records or not */
    if ((*st = register_partitions(q, err)) != SL_OK)
        return rs;
    q->records_read += *n;
    for (size_t i = 0; i < *n && *st == SL_OK; i++) {
        q->batch_bytes += q->records[i].len;
        q->record_bytes_read += q->records[i].len;
        *st = decode_record(q, &q->records[i], err);
    }
    /* Every row goes down before the next read: the records' memory is the source's until then. */
    if (*st == SL_OK && q->input->count)
        *st = query_push_input(q, err);
    return rs;
}
