/*
 * decoder.c — decoder_* entry points: dispatch to the format's vtable. Each
 * format skips a UTF-8 byte order mark that opens its data at stream offset
 * 0 (stream_bom_length); this layer makes sure such a mark reaches it whole
 * when the stream's first bytes arrive in pieces (a pipe or a socket can hand
 * over one byte at a time).
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

/* The stream's first data[0..len): holds bytes that may begin a byte order mark until
 * the mark is whole (then the format gets it whole and skips it) or is not one (then the
 * format gets the held bytes as data). */
static sl_status decode_at_start(struct sl_decoder *d, const char *data, size_t len,
                                 size_t *consumed, struct sl_chunk *out, struct sl_error *err)
{
    size_t held = d->mark_held, matched = 0;
    while (held + matched < sizeof byte_order_mark && matched < len &&
           data[matched] == byte_order_mark[held + matched])
        matched++;
    if (held + matched < sizeof byte_order_mark && matched == len) {
        d->mark_held = (uint8_t)(held + matched);
        *consumed = len;
        return SL_OK;
    }
    if (held == 0) {
        d->at_start = false;
        return d->ops->decode(d, data, len, consumed, out, err);
    }
    /* Held bytes that turn out to be data need room for the rows they may begin. */
    if (out->count >= SL_CHUNK_CAP)
        return SL_OK;
    bool whole = held + matched == sizeof byte_order_mark;
    size_t taken = 0;
    sl_status st = d->ops->decode(d, byte_order_mark, whole ? sizeof byte_order_mark : held,
                                  &taken, out, err);
    d->at_start = false;
    d->mark_held = 0;
    if (st != SL_OK)
        return st;
    size_t skip = whole ? matched : 0;
    st = d->ops->decode(d, data + skip, len - skip, consumed, out, err);
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
    /* A stream of one or two bytes of a mark: they were data. */
    if (d->mark_held) {
        size_t taken = 0;
        sl_status st = d->ops->decode(d, byte_order_mark, d->mark_held, &taken, out, err);
        d->mark_held = 0;
        if (st != SL_OK)
            return st;
    }
    d->at_start = false;
    return d->ops->finish(d, out, err);
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
