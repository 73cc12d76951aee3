/* log_reader.c — a query reading a push stream's log (see log_reader.h). */
#include "engine/runtime/log_reader.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/alloc.h"
#include "common/buf.h"
#include "engine/runtime/log_frame.h"
#include "storage/stream_log.h"

struct log_reader {
    struct sl_ingest *ingest;
    struct sl_db *db;
    char *stream;
    uint64_t pos; /* the next record to hand out */
    uint64_t gap; /* records trimmed before this reader read them, not yet reported */
    /* the log row being read: its first record and count, and where in it pos is */
    struct sl_buf row;
    uint64_t row_first, row_end;
    size_t row_at;
    bool row_loaded;
};

/* Loads the first row holding records at or after pos, moved to pos; *found false when none. */
static sl_status load_row(struct log_reader *r, bool *found, struct sl_error *err)
{
    uint32_t records = 0;
    sl_status st = db_log_row(r->db, r->stream, r->pos, &r->row_first, &records, &r->row, found,
                              err);
    if (st != SL_OK || !*found)
        return st;
    r->row_loaded = true;
    r->row_end = r->row_first + records;
    r->row_at = 0;
    if (r->row_first > r->pos) {
        /* Trimmed while no checkpoint of this query held it (see docs/connectors.md). */
        r->gap += r->row_first - r->pos;
        r->pos = r->row_first;
    }
    struct sl_record skipped;
    for (uint64_t k = r->row_first; k < r->pos; k++)
        if (!log_frame_next(r->row.data, r->row.len, &r->row_at, &skipped))
            return sl_error_set(err, SL_ERROR, "the log of stream %s is damaged at record %" PRIu64,
                                r->stream, k);
    return SL_OK;
}

static sl_status reader_read_records(void *ctx, struct sl_record *out, size_t cap, size_t *n,
                                     int timeout_ms, struct sl_error *err)
{
    struct log_reader *r = ctx;
    *n = 0;
    if (!r->row_loaded || r->pos >= r->row_end) {
        r->row_loaded = false;
        bool found;
        sl_status st = load_row(r, &found, err);
        if (st != SL_OK)
            return st;
        if (!found) {
            struct ingest_progress p;
            ingest_wait(r->ingest, r->pos, timeout_ms, &p);
            if (p.failed)
                return sl_error_set(err, SL_ERROR, "%s", p.error);
            if (p.next <= r->pos)
                return p.ended ? SL_EOF : SL_AGAIN;
            if ((st = load_row(r, &found, err)) != SL_OK || !found)
                return st;
        }
    }
    while (*n < cap && r->pos < r->row_end) {
        struct sl_record *rec = &out[*n];
        if (!log_frame_next(r->row.data, r->row.len, &r->row_at, rec))
            return sl_error_set(err, SL_ERROR, "the log of stream %s is damaged at record %" PRIu64,
                                r->stream, r->pos);
        rec->offset = (int64_t)r->pos++;
        rec->partition = -1; /* one sequence: dead letters name the log, not a partition */
        (*n)++;
    }
    return SL_OK;
}

static void reader_position(const void *ctx, struct sl_buf *out)
{
    const struct log_reader *r = ctx;
    buf_printf(out, "%" PRIu64, r->pos);
}

static sl_status reader_seek_position(void *ctx, const char *position, struct sl_error *err)
{
    struct log_reader *r = ctx;
    char *end;
    unsigned long long pos = strtoull(position, &end, 10);
    if (end == position || *end)
        return sl_error_set(err, SL_ERROR,
                            "the checkpoint's position '%s' is not a place in the log of stream %s",
                            position, r->stream);
    r->pos = pos;
    r->row_loaded = false;
    return SL_OK;
}

static uint64_t reader_take_gap(void *ctx)
{
    struct log_reader *r = ctx;
    uint64_t gap = r->gap;
    r->gap = 0;
    return gap;
}

static void reader_close(void *ctx)
{
    struct log_reader *r = ctx;
    buf_free(&r->row);
    sl_free(r->stream);
    sl_free(r);
}

static const struct sl_supplied_source_ops log_reader_ops = {
    .read_records = reader_read_records,
    .position = reader_position,
    .seek_position = reader_seek_position,
    .take_gap = reader_take_gap,
    .close = reader_close,
};

sl_status log_reader_open(struct sl_ingest *ingest, struct sl_db *db, const char *stream,
                          const char *query, struct sl_source **out, struct sl_error *err)
{
    struct log_reader *r = sl_calloc(1, sizeof *r);
    if (!r || !(r->stream = sl_strdup(stream))) {
        sl_free(r);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    r->ingest = ingest;
    r->db = db;
    buf_init(&r->row);
    struct ingest_progress p;
    ingest_wait(ingest, 0, 0, &p);
    bool found = false;
    struct db_log_bounds b;
    sl_status st = query ? db_log_reader_get(db, stream, query, &r->pos, &found, err) : SL_OK;
    if (st == SL_OK && !found && query) {
        /* From the start of this run, or what is left of it when other readers trimmed some. */
        st = db_log_bounds(db, stream, &b, err);
        r->pos = p.run_start > b.first ? p.run_start : b.first;
    } else if (!query) {
        r->pos = p.next;
    }
    if (st != SL_OK) {
        reader_close(r);
        return st;
    }
    char description[160];
    snprintf(description, sizeof description, "log:%s", stream);
    return source_open_supplied(&log_reader_ops, r, description, out, err);
}

sl_status log_reader_commit(struct sl_source *s, struct sl_db *db, const char *stream,
                            const char *query, struct sl_error *err)
{
    struct sl_buf position;
    buf_init(&position);
    source_position(s, &position);
    if (position.failed) {
        buf_free(&position);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    uint64_t next = strtoull(buf_str(&position), NULL, 10);
    buf_free(&position);
    return db_log_reader_commit(db, stream, query, next, err);
}
