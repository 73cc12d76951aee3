/* stream_writer.c — a CREATE STREAM AS query's rows into its log (stream_writer.h). */
#include "engine/runtime/stream_writer.h"

#include <string.h>

#include "common/alloc.h"
#include "common/time.h"
#include "connectors/row_encode.h"
#include "engine/runtime/log_frame.h"
#include "engine/values/rowsel.h"
#include "storage/stream_log.h"

/* How often the log's size is looked at while the query runs. */
#define SIZE_CHECK_US (100 * SL_US_PER_MS)

struct sl_stream_writer {
    struct sl_ingests *ingests;
    struct sl_ingest *ingest; /* the stream's: its readers wait on it */
    const struct sl_stream_def *def;
    struct sl_buf frames;  /* the batch's records, framed */
    struct sl_buf record;  /* one record being encoded */
    uint32_t records;      /* in frames */
    uint64_t next;         /* the number the batch's first record takes */
    int64_t size_checked_us; /* monotonic: when the log's size was last looked at */
    bool full;
};

sl_status stream_writer_open(struct sl_ingests *ingests, const struct sl_stream_def *def,
                             struct sl_stream_writer **out, struct sl_error *err)
{
    struct sl_stream_writer *w = sl_calloc(1, sizeof *w);
    if (!w)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    w->ingests = ingests;
    w->def = def;
    buf_init(&w->frames);
    buf_init(&w->record);
    sl_status st = ingest_acquire(ingests, def, &w->ingest, err);
    if (st != SL_OK) {
        sl_free(w);
        return st;
    }
    struct ingest_progress p;
    ingest_wait(w->ingest, 0, 0, &p);
    w->next = p.next;
    *out = w;
    return SL_OK;
}

void stream_writer_close(struct sl_stream_writer *w)
{
    if (!w)
        return;
    ingest_release(w->ingests, w->ingest);
    buf_free(&w->frames);
    buf_free(&w->record);
    sl_free(w);
}

sl_status stream_writer_tap(void *ctx, const struct sl_chunk *rows, struct sl_error *err)
{
    struct sl_stream_writer *w = ctx;
    const uint32_t *sel = rowsel_of(rows);
    uint32_t n = chunk_active(rows);
    for (uint32_t k = 0; k < n; k++) {
        buf_clear(&w->record);
        buf_putc(&w->record, '{');
        for (uint32_t c = 0; c < rows->ncols; c++) {
            const char *name = w->def->cols[c].name;
            if (c)
                buf_putc(&w->record, ',');
            json_encode_string(&w->record, name, strlen(name));
            buf_putc(&w->record, ':');
            struct sl_value v = vector_get(&rows->cols[c], sel[k]);
            value_encode_json(&w->record, &v);
        }
        buf_putc(&w->record, '}');
        struct sl_record r = {.value = w->record.data, .len = w->record.len};
        log_frame_append(&w->frames, &r);
        w->records++;
    }
    if (w->frames.failed || w->record.failed)
        return sl_error_set(err, SL_NOMEM, "out of memory writing stream %s", w->def->name);
    return SL_OK;
}

sl_status stream_writer_write(struct sl_stream_writer *w, struct sl_db *db, struct sl_error *err)
{
    if (!w->records)
        return SL_OK;
    return db_log_append(db, w->def->name, w->next, w->records, w->frames.data, w->frames.len,
                         err);
}

void stream_writer_committed(struct sl_stream_writer *w, bool ended)
{
    w->next += w->records;
    ingest_appended(w->ingest, w->next, w->frames.len, ended);
    stream_writer_reset(w);
}

void stream_writer_reset(struct sl_stream_writer *w)
{
    buf_clear(&w->frames);
    w->records = 0;
}

bool stream_writer_full(struct sl_stream_writer *w, struct sl_db *db)
{
    int64_t now = sl_monotonic_us();
    if (now - w->size_checked_us < SIZE_CHECK_US)
        return w->full;
    w->size_checked_us = now;
    struct db_log_bounds b;
    struct sl_error err;
    if (db_log_bounds(db, w->def->name, &b, &err) == SL_OK)
        w->full = b.bytes > (uint64_t)w->def->max_log_bytes;
    return w->full;
}
