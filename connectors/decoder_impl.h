/*
 * decoder_impl.h — private to connectors/: the vtable every format fills in,
 * so decoder.c can dispatch without knowing the formats' internals.
 */
#ifndef SL_DECODER_IMPL_H
#define SL_DECODER_IMPL_H

#include "connectors/decoder.h"

struct sl_decoder_ops {
    sl_status (*decode)(struct sl_decoder *d, const char *data, size_t len, size_t *consumed,
                        struct sl_chunk *out, struct sl_error *err);
    sl_status (*finish)(struct sl_decoder *d, struct sl_chunk *out, struct sl_error *err);
    size_t (*pending)(const struct sl_decoder *d);
    void (*destroy)(struct sl_decoder *d);
    void (*resume)(struct sl_decoder *d, uint64_t offset);
    /* At a record boundary: the next n bytes (a byte order mark) are no record's,
     * and offsets count them. */
    void (*skip)(struct sl_decoder *d, size_t n);
};

/* The common head of every decoder; each format embeds it as its first member.
 * at_start: nothing has reached the format yet since the stream (or the
 * document) began, and mark_held of a byte order mark's first bytes have been
 * taken (decoder.c). */
struct sl_decoder {
    const struct sl_decoder_ops *ops;
    bool at_start;
    uint8_t mark_held;
};

sl_status decoder_text_create(const struct sl_format_spec *spec, const struct sl_schema *schema,
                              sl_dead_letter_fn dead_letter, void *dead_letter_ctx,
                              struct sl_decoder **out, struct sl_error *err);
sl_status decoder_csv_create(const struct sl_format_spec *spec, const struct sl_schema *schema,
                             sl_dead_letter_fn dead_letter, void *dead_letter_ctx,
                             struct sl_decoder **out, struct sl_error *err);
sl_status decoder_json_create(const struct sl_format_spec *spec, const struct sl_schema *schema,
                              sl_dead_letter_fn dead_letter, void *dead_letter_ctx,
                              struct sl_decoder **out, struct sl_error *err);

#endif
