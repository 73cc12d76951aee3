/* decoder.c — decoder_* entry points: dispatch to the format's vtable. */
#include "connectors/decoder_impl.h"

#include "common/alloc.h"

sl_status decoder_create(const struct sl_format_spec *spec, const struct sl_schema *schema,
                         sl_dead_letter_fn dead_letter, void *dead_letter_ctx,
                         struct sl_decoder **out, struct sl_error *err)
{
    *out = NULL;
    switch (spec->kind) {
    case SL_FORMAT_TEXT:
        return decoder_text_create(spec, schema, dead_letter, dead_letter_ctx, out, err);
    case SL_FORMAT_CSV:
        return decoder_csv_create(spec, schema, dead_letter, dead_letter_ctx, out, err);
    case SL_FORMAT_JSON:
        return decoder_json_create(spec, schema, dead_letter, dead_letter_ctx, out, err);
    }
    return sl_error_set(err, SL_ERROR, "unknown format kind %d", (int)spec->kind);
}

void decoder_destroy(struct sl_decoder *d)
{
    if (d)
        d->ops->destroy(d);
}

sl_status decoder_decode(struct sl_decoder *d, const char *data, size_t len, size_t *consumed,
                         struct sl_chunk *out, struct sl_error *err)
{
    *consumed = 0;
    return d->ops->decode(d, data, len, consumed, out, err);
}

sl_status decoder_finish(struct sl_decoder *d, struct sl_chunk *out, struct sl_error *err)
{
    return d->ops->finish(d, out, err);
}

size_t decoder_pending(const struct sl_decoder *d)
{
    return d->ops->pending(d);
}

void decoder_resume(struct sl_decoder *d, uint64_t offset)
{
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
