/*
 * decoder.c — decoder_* entry points: dispatch to the format's vtable, and
 * the UTF-8 byte order mark every format skips where a stream (or a record
 * source's record) begins. The stream's first bytes are held while they may
 * begin a mark, so that a mark cut across reads (a pipe or a socket can hand
 * over one byte at a time) is skipped as a whole one is.
 */
#include "connectors/decoder_impl.h"

#include "common/alloc.h"

static const char byte_order_mark[3] = {'\xef', '\xbb', '\xbf'};

sl_status decoder_create(const struct sl_format_spec *spec, const struct sl_schema *schema,
                         sl_dead_letter_fn dead_letter, void *dead_letter_ctx,
                         struct sl_decoder **out, struct sl_error *err)
{
    *out = NULL;
    sl_status st;
    switch (spec->kind) {
    case SL_FORMAT_TEXT:
        st = decoder_text_create(spec, schema, dead_letter, dead_letter_ctx, out, err);
        break;
    case SL_FORMAT_CSV:
        st = decoder_csv_create(spec, schema, dead_letter, dead_letter_ctx, out, err);
        break;
    case SL_FORMAT_JSON:
        st = decoder_json_create(spec, schema, dead_letter, dead_letter_ctx, out, err);
        break;
    default:
        return sl_error_set(err, SL_ERROR, "unknown format kind %d", (int)spec->kind);
    }
    if (st == SL_OK)
        (*out)->at_start = true;
    return st;
}

void decoder_destroy(struct sl_decoder *d)
{
    if (d)
        d->ops->destroy(d);
}

/* The held first bytes of what was not a whole mark: data, the start of the first record. */
static sl_status release_held(struct sl_decoder *d, struct sl_chunk *out, struct sl_error *err)
{
    size_t held = d->mark_held, taken = 0;
    d->mark_held = 0;
    return held ? d->ops->decode(d, byte_order_mark, held, &taken, out, err) : SL_OK;
}

/* The first data[0..len) of a stream or document: a whole mark is skipped (its bytes still
 * count in the offsets); bytes that may begin one are held until it is whole or is not
 * one, and then handed to the format as data. */
static sl_status decode_at_start(struct sl_decoder *d, const char *data, size_t len,
                                 size_t *consumed, struct sl_chunk *out, struct sl_error *err)
{
    size_t held = d->mark_held, matched = 0;
    while (held + matched < sizeof byte_order_mark && matched < len &&
           data[matched] == byte_order_mark[held + matched])
        matched++;
    bool whole = held + matched == sizeof byte_order_mark;
    if (!whole && matched == len) {
        d->mark_held = (uint8_t)(held + matched);
        *consumed = len;
        return SL_OK;
    }
    /* Held bytes that were no mark begin a record: it needs room for its row. */
    if (!whole && held && out->count >= SL_CHUNK_CAP)
        return SL_OK;
    d->at_start = false;
    size_t skip = 0;
    if (whole) {
        d->ops->skip(d, sizeof byte_order_mark);
        d->mark_held = 0;
        skip = matched;
    } else {
        sl_status st = release_held(d, out, err);
        if (st != SL_OK)
            return st;
    }
    sl_status st = d->ops->decode(d, data + skip, len - skip, consumed, out, err);
    *consumed += skip;
    return st;
}

sl_status decoder_decode(struct sl_decoder *d, const char *data, size_t len, size_t *consumed,
                         struct sl_chunk *out, struct sl_error *err)
{
    *consumed = 0;
    if (d->at_start)
        return decode_at_start(d, data, len, consumed, out, err);
    return d->ops->decode(d, data, len, consumed, out, err);
}

sl_status decoder_finish(struct sl_decoder *d, struct sl_chunk *out, struct sl_error *err)
{
    /* A stream or document that ends one or two bytes into a mark: they were data. */
    sl_status st = release_held(d, out, err);
    d->at_start = false;
    return st == SL_OK ? d->ops->finish(d, out, err) : st;
}

size_t decoder_pending(const struct sl_decoder *d)
{
    return d->mark_held + d->ops->pending(d);
}

void decoder_resume(struct sl_decoder *d, uint64_t offset)
{
    d->at_start = offset == 0;
    d->mark_held = 0;
    d->ops->resume(d, offset);
}

void decoder_begin_document(struct sl_decoder *d)
{
    d->at_start = true;
}

void format_spec_clear(struct sl_format_spec *spec)
{
    sl_free((char *)spec->null_marker);
    spec->null_marker = NULL;
    for (uint32_t i = 0; spec->json_paths && i < spec->njson_paths; i++)
        sl_free(spec->json_paths[i]);
    sl_free(spec->json_paths);
    spec->json_paths = NULL;
    spec->njson_paths = 0;
}
