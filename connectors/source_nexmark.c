/*
 * source_nexmark.c — NEXMARK: the Nexmark benchmark's persons, auctions or
 * bids (connectors/nexmark_gen.h), as fast as they can be written. Event time
 * advances at `rate` events a second whatever the wall clock does, as Nexmark's
 * own generators do by default. Records have a fixed width per kind, so byte
 * offset o is row o / width and the source replays from any offset; the
 * checkpoint's identity keeps every option that shapes the events. A query
 * reading the records as CSV takes them as rows instead (source_read_rows):
 * the same values, with no text written and parsed again.
 */
#include "connectors/source_impl.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/alloc.h"
#include "connectors/nexmark_gen.h"

enum { NEXMARK_KIND, NEXMARK_EVENTS, NEXMARK_RATE, NEXMARK_BASE_TIME, NEXMARK_SEED,
       NEXMARK_OUT_OF_ORDER };

struct source_nexmark {
    struct sl_source base;
    uint64_t pos;   /* the next byte to hand out */
    size_t width;
    struct nx_gen gen;
};

static sl_status source_nexmark_read(struct sl_source *s, char *buf, size_t cap, size_t *n,
                                     int timeout_ms, struct sl_error *err)
{
    (void)timeout_ms, (void)err;
    struct source_nexmark *x = (struct source_nexmark *)s;
    uint64_t end = (uint64_t)x->gen.rows * x->width;
    if (x->pos >= end)
        return SL_EOF;
    size_t written = 0;
    char record[512];
    while (written < cap && x->pos < end) {
        int64_t row = (int64_t)(x->pos / x->width);
        size_t skip = (size_t)(x->pos % x->width);
        size_t take = x->width - skip;
        if (skip == 0 && take <= cap - written) {
            /* The common case: straight into the caller's buffer. */
            nx_record(&x->gen, row, buf + written);
        } else {
            nx_record(&x->gen, row, record);
            if (take > cap - written)
                take = cap - written;
            memcpy(buf + written, record + skip, take);
        }
        written += take;
        x->pos += take;
    }
    *n = written;
    return SL_OK;
}

/* The stream declares each field with its own type, and reads the records as plain CSV. */
static bool source_nexmark_rows_fit(const struct sl_source *s, const struct sl_schema *schema,
                                    const struct sl_format_spec *format)
{
    const struct source_nexmark *x = (const struct source_nexmark *)s;
    const char *const *names;
    const unsigned char *numeric;
    size_t nfields = nx_fields(x->gen.c.kind, &names, &numeric);
    const enum sl_type *types = nx_field_types(x->gen.c.kind);
    if (format->kind != SL_FORMAT_CSV || format->header || format->delimiter != ',' ||
        format->null_marker || format->csv_libcsv_only ||
        (format->max_record_bytes && format->max_record_bytes < x->width) ||
        schema->ncols != nfields)
        return false;
    for (size_t i = 0; i < nfields; i++)
        if (schema->cols[i].type != types[i])
            return false;
    return true;
}

static sl_status source_nexmark_claim_rows(struct sl_source *s, size_t cap, int64_t *first,
                                           uint32_t *count, size_t *n, struct sl_error *err)
{
    struct source_nexmark *x = (struct source_nexmark *)s;
    if (x->pos % x->width)
        return sl_error_set(err, SL_ERROR,
                            "%s cannot hand out rows from byte %llu, inside a record of %zu bytes",
                            s->description, (unsigned long long)x->pos, x->width);
    int64_t row = (int64_t)(x->pos / x->width);
    if (row >= x->gen.rows)
        return SL_EOF;
    int64_t rows = (int64_t)(cap / x->width);
    if (rows < 1)
        rows = 1;
    if (rows > x->gen.rows - row)
        rows = x->gen.rows - row;
    if (rows > UINT32_MAX)
        rows = UINT32_MAX;
    *first = row;
    *count = (uint32_t)rows;
    *n = (size_t)rows * x->width;
    x->pos += *n;
    return SL_OK;
}

static sl_status source_nexmark_fill_rows(const struct sl_source *s, int64_t first,
                                          uint32_t count, struct sl_chunk *out,
                                          struct sl_error *err)
{
    const struct source_nexmark *x = (const struct source_nexmark *)s;
    if (count > SL_CHUNK_CAP - out->count)
        count = SL_CHUNK_CAP - out->count;
    size_t room = nx_scratch(x->gen.c.kind);
    char *scratch = arena_alloc(out->arena, (size_t)count * room);
    if (!scratch)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    struct nx_field f[NX_MAX_FIELDS];
    for (uint32_t i = 0; i < count; i++) {
        size_t nfields = nx_event(&x->gen, first + i, f, scratch + (size_t)i * room);
        uint32_t at = out->count + i;
        for (size_t c = 0; c < nfields; c++) {
            struct sl_vector *v = &out->cols[c];
            if (v->type == SL_TEXT)
                v->data.s[at] = (struct sl_str){f[c].str, f[c].len};
            else
                v->data.i[at] = f[c].num;
        }
    }
    out->count += count;
    return SL_OK;
}

static sl_status source_nexmark_read_rows(struct sl_source *s, struct sl_chunk *out, size_t cap,
                                          size_t *n, int timeout_ms, struct sl_error *err)
{
    (void)timeout_ms;
    struct source_nexmark *x = (struct source_nexmark *)s;
    size_t room = (size_t)(SL_CHUNK_CAP - out->count) * x->width;
    int64_t first = 0;
    uint32_t count = 0;
    *n = 0;
    if (!room)
        return SL_OK;
    sl_status st = source_nexmark_claim_rows(s, cap < room ? cap : room, &first, &count, n, err);
    if (st == SL_OK && (st = source_nexmark_fill_rows(s, first, count, out, err)) != SL_OK)
        x->pos -= *n; /* nothing was handed out */
    return st;
}

static void source_nexmark_close(struct sl_source *s)
{
    sl_free(s);
}

static void nexmark_describe(const struct source_nexmark *x, struct sl_buf *out)
{
    const struct nx_config *c = &x->gen.c;
    buf_printf(out, "kind=%s events=%" PRId64 " rate=%" PRId64 " base=%" PRId64 " seed=%" PRIu64
                    " out_of_order=%" PRId64,
               nx_kind_names[c->kind], c->events, c->rate, c->base_us, c->seed, c->group);
}

/* What a checkpoint keeps: every option the events depend on. */
static sl_status source_nexmark_identity(const struct sl_source *s, uint64_t offset,
                                         struct sl_buf *out, struct sl_error *err)
{
    (void)offset;
    nexmark_describe((const struct source_nexmark *)s, out);
    return out->failed ? sl_error_set(err, SL_NOMEM, "out of memory") : SL_OK;
}

static sl_status source_nexmark_seek(struct sl_source *s, uint64_t offset, const char *identity,
                                     struct sl_error *err)
{
    struct source_nexmark *x = (struct source_nexmark *)s;
    struct sl_buf mine = {0};
    nexmark_describe(x, &mine);
    if (mine.failed) {
        buf_free(&mine);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    bool same = strcmp(mine.data, identity) == 0;
    buf_free(&mine);
    if (!same)
        return sl_error_set(err, SL_ERROR,
                            "%s generated its checkpointed events with other options (%s)",
                            s->description, identity);
    x->pos = offset;
    return SL_OK;
}

static bool source_nexmark_size(const struct sl_source *s, uint64_t *size)
{
    const struct source_nexmark *x = (const struct source_nexmark *)s;
    *size = (uint64_t)x->gen.rows * x->width;
    return true;
}

static const struct sl_source_ops source_nexmark_ops = {
    .read = source_nexmark_read,
    .close = source_nexmark_close,
    .identity = source_nexmark_identity,
    .seek = source_nexmark_seek,
    .size = source_nexmark_size,
    .rows_fit = source_nexmark_rows_fit,
    .read_rows = source_nexmark_read_rows,
    .claim_rows = source_nexmark_claim_rows,
    .fill_rows = source_nexmark_fill_rows,
};

static sl_status source_nexmark_open(const struct sl_source_spec *spec, struct sl_source **out,
                                     struct sl_error *err)
{
    const char *kind = spec->options[NEXMARK_KIND].set ? spec->options[NEXMARK_KIND].text : "bid";
    struct nx_config c = {
        .kind = NX_BID,
        .events = source_option_num(spec, NEXMARK_EVENTS),
        .rate = source_option_num(spec, NEXMARK_RATE),
        .base_us = source_option_num(spec, NEXMARK_BASE_TIME),
        .seed = (uint64_t)source_option_num(spec, NEXMARK_SEED),
        .group = source_option_num(spec, NEXMARK_OUT_OF_ORDER),
    };
    if (!nx_kind_parse(kind, &c.kind))
        return sl_error_set(err, SL_ERROR,
                            "NEXMARK's kind is 'person', 'auction' or 'bid', not '%s'", kind);
    struct source_nexmark *x = sl_calloc(1, sizeof *x);
    if (!x)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    x->base.ops = &source_nexmark_ops;
    nx_init(&x->gen, &c);
    x->width = nx_width(c.kind);
    *out = &x->base;
    return SL_OK;
}

static const struct sl_option_def nexmark_options[] = {
    [NEXMARK_KIND] = {"kind", SL_OPTION_TEXT, 0, 0, 0, "'bid'",
                      "'person', 'auction' or 'bid': which of the sequence's events this stream "
                      "reads"},
    [NEXMARK_EVENTS] = {"events", SL_OPTION_INT, 0, NX_MAX_EVENTS, 0, "0 (10^12)",
                        "events of the whole sequence (all kinds) before the stream ends"},
    [NEXMARK_RATE] = {"rate", SL_OPTION_INT, 1, 1000000000, 10000, "10000",
                      "events per second of event time (not paced by the wall clock)"},
    [NEXMARK_BASE_TIME] = {"base_time", SL_OPTION_TIMESTAMP, 0, 0, NX_BASE_DEFAULT,
                           "'2026-01-01 00:00:00'", "the time of event 0"},
    [NEXMARK_SEED] = {"seed", SL_OPTION_INT, 0, INT64_MAX, 1, "1",
                      "the random draws' seed: the same seed gives the same events"},
    [NEXMARK_OUT_OF_ORDER] = {"out_of_order", SL_OPTION_INT, 1, NX_MAX_GROUP, 1, "1 (in order)",
                              "rows come permuted within groups of this size"},
};

static const char *nexmark_check_option(size_t i, const struct sl_option_value *v,
                                        const char **hint)
{
    enum nx_kind k;
    if (i != NEXMARK_KIND || nx_kind_parse(v->text, &k))
        return NULL;
    *hint = "kind = 'bid' (or 'auction', 'person')";
    return "NEXMARK's kind is 'person', 'auction' or 'bid'";
}

/* The records carry every field of the kind in its order, and CSV maps by position: the
 * stream declares exactly those names. */
static bool nexmark_check_columns(const struct sl_option_value *options,
                                  const char *const *names, size_t n, char *msg,
                                  size_t msg_cap, char *hint, size_t hint_cap)
{
    enum nx_kind k = NX_BID;
    if (options[NEXMARK_KIND].set && !nx_kind_parse(options[NEXMARK_KIND].text, &k))
        return true; /* nexmark_check_option said what is wrong */
    const char *const *fields;
    const unsigned char *numeric;
    size_t nfields = nx_fields(k, &fields, &numeric);
    size_t i = 0;
    while (i < n && i < nfields && strcasecmp(names[i], fields[i]) == 0)
        i++;
    if (i == n && n == nfields)
        return true;
    if (i < n && i < nfields)
        snprintf(msg, msg_cap, "a NEXMARK %s stream's column %zu is %s, not \"%s\"",
                 nx_kind_names[k], i + 1, fields[i], names[i]);
    else if (i < n)
        snprintf(msg, msg_cap, "a NEXMARK %s stream has %zu fields, not %zu", nx_kind_names[k],
                 nfields, n);
    else
        snprintf(msg, msg_cap, "a NEXMARK %s stream declares all its fields: %s is missing",
                 nx_kind_names[k], fields[i]);
    size_t used = (size_t)snprintf(hint, hint_cap, "declare (");
    for (size_t f = 0; f < nfields && used < hint_cap; f++)
        used += (size_t)snprintf(hint + used, hint_cap - used, "%s%s", f ? ", " : "", fields[f]);
    if (used < hint_cap)
        snprintf(hint + used, hint_cap - used, ")");
    return false;
}

const struct sl_connector connector_nexmark = {
    .name = "NEXMARK",
    .kind = SL_CONNECTOR_SOURCE,
    .summary = "The Nexmark benchmark's events: declare the kind's fields in order — person "
               "`(id, name, email_address, credit_card, city, state, date_time, extra)`, auction "
               "`(id, item_name, description, initial_bid, reserve, date_time, expires, seller, "
               "category, extra)`, bid `(auction, bidder, price, channel, url, date_time, "
               "extra)`. An event is a function of its number and the seed, so the stream "
               "replays exactly.",
    .replayable = true,
    .default_format = "CSV",
    .format_fixed = true,
    .options = nexmark_options,
    .noptions = sizeof nexmark_options / sizeof nexmark_options[0],
    .check_option = nexmark_check_option,
    .check_columns = nexmark_check_columns,
    .open = source_nexmark_open,
};
