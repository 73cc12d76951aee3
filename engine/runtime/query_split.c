/*
 * query_split.c — decoding a step's bytes on the threads of the query's
 * exchange, for formats whose records are lines (TEXT, JSON, CSV without a
 * quote in the bytes nor a quoted field open from an earlier read, since a
 * quoted field may hold a newline).
 *
 * The query's own decoder takes the bytes up to the first newline (which
 * ends any record it held from the last read; when it does not, a quoted CSV
 * field going on, that decoder takes the whole read) and, at the end, those after
 * the last one (the next record's start, kept for the next read): it alone
 * carries a record across reads, as without threads. The complete lines
 * between are cut at newlines into one piece per thread, each decoded by a
 * decoder of the thread's own, resumed at the piece's offset so that its
 * dead letters name the right bytes. The pieces' chunks and dead letters are
 * then pushed and kept in the input's order, on the caller's thread: the
 * pipeline sees exactly the rows, in the order, that one decoder gives.
 *
 * A row source whose rows are a function of their number (NEXMARK) has no
 * bytes to cut: the step claims a range of rows and each thread makes every
 * lanes-th chunk of it, pushed in the rows' order the same way.
 */
#include "engine/runtime/query_split.h"

#include <string.h>

#include "common/alloc.h"
#include "common/workers.h"
#include "connectors/decoder.h"
#include "connectors/source.h"
#include "engine/ops/op_exchange.h"
#include "engine/runtime/query_input.h"

/* Below this a step's bytes are decoded on one thread: waking the others costs more. */
#define SPLIT_MIN_BYTES (64u * 1024)

struct split_dead_letter {
    uint64_t offset;
    const char *record;
    size_t len;
    const char *reason;
};

struct split_lane {
    struct query_split *split;
    struct sl_decoder *decoder;
    struct sl_arena *arena; /* the exchange lane's: reset when the exchange drains */
    const char *data;
    size_t len;
    uint64_t offset; /* of data[0] in the input */
    struct sl_chunk **chunks;
    uint32_t nchunks, cap_chunks;
    struct split_dead_letter *dl;
    uint32_t ndl, cap_dl;
    bool dl_lost;
    const struct sl_chunk *types; /* the input chunk, whose column types the chunks take */
    sl_status st;
    struct sl_error err;
};

struct query_split {
    struct sl_workers *workers;
    uint32_t nlanes;
    struct split_lane *lanes;
    /* A numbered row source's claimed rows, made chunk by chunk on the lanes. */
    const struct sl_source *source;
    int64_t first_row;
    uint32_t nrows;
};

static void keep_dead_letter(void *ctx, const char *record, size_t len, uint64_t offset,
                             const char *reason)
{
    struct split_lane *l = ctx;
    if (l->ndl == l->cap_dl) {
        uint32_t cap = l->cap_dl ? 2 * l->cap_dl : 16;
        struct split_dead_letter *grown = sl_realloc(l->dl, cap * sizeof *grown);
        if (!grown) {
            l->dl_lost = true;
            return;
        }
        l->dl = grown;
        l->cap_dl = cap;
    }
    struct split_dead_letter *d = &l->dl[l->ndl];
    d->offset = offset;
    d->len = len;
    d->record = arena_memdup(l->arena, record, len ? len : 1);
    d->reason = arena_strndup(l->arena, reason, strlen(reason));
    if (!d->record || !d->reason)
        l->dl_lost = true;
    else
        l->ndl++;
}

sl_status query_split_create(struct sl_query *q, struct sl_error *err)
{
    const struct sl_format_spec *format = &q->plan->stream->format;
    /* A join's inputs go through the join, on this thread, before the exchange. */
    if (!q->pipeline.exchange || q->pipeline.join || source_has_records(q->source) ||
        (format->kind == SL_FORMAT_CSV && format->csv_libcsv_only))
        return SL_OK;
    struct sl_workers *workers = op_exchange_workers(q->pipeline.exchange);
    uint32_t n = workers_lanes(workers);
    if (n < 2)
        return SL_OK;
    struct query_split *s = sl_calloc(1, sizeof *s);
    if (!s || !(s->lanes = sl_calloc(n, sizeof *s->lanes))) {
        sl_free(s);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    s->workers = workers;
    s->nlanes = n;
    q->split = s;
    struct sl_schema schema = stream_def_format_schema(q->plan->stream);
    for (uint32_t i = 0; i < n; i++) {
        struct split_lane *l = &s->lanes[i];
        l->split = s;
        l->arena = op_exchange_arena(q->pipeline.exchange, i);
        sl_status st = decoder_create(format, &schema, keep_dead_letter, l, &l->decoder, err);
        if (st != SL_OK)
            return st;
    }
    return SL_OK;
}

void query_split_destroy(struct query_split *s)
{
    if (!s)
        return;
    for (uint32_t i = 0; s->lanes && i < s->nlanes; i++) {
        decoder_destroy(s->lanes[i].decoder);
        sl_free(s->lanes[i].chunks);
        sl_free(s->lanes[i].dl);
    }
    sl_free(s->lanes);
    sl_free(s);
}

/* A new chunk of the input's columns in the lane's arena, appended to its list. */
static struct sl_chunk *lane_chunk(struct split_lane *l)
{
    if (l->nchunks == l->cap_chunks) {
        uint32_t cap = l->cap_chunks ? 2 * l->cap_chunks : 16;
        struct sl_chunk **grown = sl_realloc(l->chunks, cap * sizeof *grown);
        if (!grown)
            return NULL;
        l->chunks = grown;
        l->cap_chunks = cap;
    }
    uint32_t ncols = l->types->ncols;
    enum sl_type types[ncols + 1];
    for (uint32_t c = 0; c < ncols; c++)
        types[c] = l->types->cols[c].type;
    struct sl_chunk *chunk;
    if (chunk_create(l->arena, ncols, types, &chunk) != SL_OK)
        return NULL;
    l->chunks[l->nchunks++] = chunk;
    return chunk;
}

/* Lane i makes chunks i, i + lanes, ... of the claimed rows. */
static void fill_rows(void *ctx, uint32_t i)
{
    struct query_split *s = ctx;
    struct split_lane *l = &s->lanes[i];
    l->nchunks = 0;
    l->st = SL_OK;
    sl_error_clear(&l->err);
    for (uint32_t at = i * SL_CHUNK_CAP; at < s->nrows && l->st == SL_OK;
         at += s->nlanes * SL_CHUNK_CAP) {
        struct sl_chunk *out = lane_chunk(l);
        uint32_t count = s->nrows - at < SL_CHUNK_CAP ? s->nrows - at : SL_CHUNK_CAP;
        l->st = out ? source_fill_rows(s->source, s->first_row + at, count, out, &l->err)
                    : sl_error_set(&l->err, SL_NOMEM, "out of memory making rows");
    }
}

sl_status query_split_read_rows(struct sl_query *q, size_t cap, size_t *n,
                                struct sl_error *read_err, sl_status *st, struct sl_error *err)
{
    struct query_split *s = q->split;
    *st = SL_OK;
    sl_status rs = source_claim_rows(q->source, cap, &s->first_row, &s->nrows, n, read_err);
    if (rs != SL_OK)
        return rs;
    s->source = q->source;
    for (uint32_t i = 0; i < s->nlanes; i++)
        s->lanes[i].types = q->input;
    workers_run(s->workers, fill_rows, s);
    for (uint32_t i = 0; i < s->nlanes; i++) {
        if (s->lanes[i].st != SL_OK) {
            *err = s->lanes[i].err;
            *st = s->lanes[i].st;
            return rs;
        }
    }
    /* Chunk j is lane j mod lanes's (j / lanes)-th: pushed in the rows' order. */
    uint32_t nchunks = (s->nrows + SL_CHUNK_CAP - 1) / SL_CHUNK_CAP;
    for (uint32_t j = 0; j < nchunks && *st == SL_OK; j++)
        *st = query_push_chunk(q, s->lanes[j % s->nlanes].chunks[j / s->nlanes], err);
    return rs;
}

static void decode_piece(void *ctx, uint32_t i)
{
    struct split_lane *l = &((struct query_split *)ctx)->lanes[i];
    l->nchunks = l->ndl = 0;
    l->dl_lost = false;
    l->st = SL_OK;
    sl_error_clear(&l->err);
    decoder_resume(l->decoder, l->offset);
    struct sl_chunk *out = NULL;
    size_t off = 0;
    while (off < l->len) {
        if ((!out || out->count == SL_CHUNK_CAP) && !(out = lane_chunk(l))) {
            l->st = sl_error_set(&l->err, SL_NOMEM, "out of memory decoding");
            return;
        }
        size_t consumed = 0;
        l->st = decoder_decode(l->decoder, l->data + off, l->len - off, &consumed, out, &l->err);
        if (l->st != SL_OK)
            return;
        if (consumed == 0 && out->count < SL_CHUNK_CAP) {
            l->st = sl_error_set(&l->err, SL_ERROR, "decoder made no progress");
            return;
        }
        off += consumed;
    }
    /* The piece ends with a newline: nothing may stay behind. */
    if (decoder_pending(l->decoder))
        l->st = sl_error_set(&l->err, SL_ERROR, "a line was cut between threads");
}

/* One past the first newline at or after at in data[0..n), or n. */
static size_t line_end(const char *data, size_t n, size_t at)
{
    const char *nl = at < n ? memchr(data + at, '\n', n - at) : NULL;
    return nl ? (size_t)(nl - data) + 1 : n;
}

uint32_t query_split_lanes(const struct sl_query *q)
{
    return q->split ? q->split->nlanes : 0;
}

bool query_split_applies(const struct sl_query *q, const char *data, size_t n)
{
    return q->split && n >= SPLIT_MIN_BYTES &&
           (q->plan->stream->format.kind != SL_FORMAT_CSV || !memchr(data, '"', n));
}

sl_status query_split_decode(struct sl_query *q, const char *data, size_t n, uint64_t offset,
                             sl_decode_fn decode_seq, struct sl_error *err)
{
    struct query_split *s = q->split;
    size_t first = line_end(data, n, 0);
    size_t last = n;
    while (last > first && data[last - 1] != '\n')
        last--;
    sl_status st = decode_seq(q, data, first, err);
    /* A CSV field quoted in an earlier read may hold this read's newlines
     * (and no quote): its record goes on past the first one, so the lines
     * after it are not records and only this decoder reads them right. */
    if (st != SL_OK || last <= first || decoder_pending(q->decoder))
        return st == SL_OK ? decode_seq(q, data + first, n - first, err) : st;
    /* Pieces of about equal size, each ending with a newline. */
    size_t at = first;
    for (uint32_t i = 0; i < s->nlanes; i++) {
        struct split_lane *l = &s->lanes[i];
        size_t end = i + 1 == s->nlanes
                         ? last
                         : line_end(data, last, first + (last - first) * (i + 1) / s->nlanes);
        if (end < at)
            end = at;
        l->data = data + at;
        l->len = end - at;
        l->offset = offset + at;
        l->types = q->input;
        at = end;
    }
    workers_run(s->workers, decode_piece, s);
    for (uint32_t i = 0; i < s->nlanes && st == SL_OK; i++) {
        struct split_lane *l = &s->lanes[i];
        for (uint32_t d = 0; d < l->ndl; d++)
            query_dead_letter(q, l->dl[d].record, l->dl[d].len, l->dl[d].offset, l->dl[d].reason);
        if (l->dl_lost)
            q->dl_lost = true;
        if (l->st != SL_OK) {
            *err = l->err;
            st = l->st;
        }
        for (uint32_t c = 0; c < l->nchunks && st == SL_OK; c++)
            st = query_push_chunk(q, l->chunks[c], err);
    }
    if (st != SL_OK)
        return st;
    /* The rest starts a record the next read ends: the query's decoder keeps it. */
    decoder_resume(q->decoder, offset + last);
    return decode_seq(q, data + last, n - last, err);
}
