/*
 * decoder_text.c — FORMAT TEXT: one row per line. Lines wholly inside the
 * given data are not copied (the row's string points into data); only a
 * line cut by the end of data is kept in a buffer until its end arrives.
 */
#include "connectors/decoder_impl.h"
#include "connectors/registry.h"

#include <string.h>

#include "common/alloc.h"

struct decoder_text {
    struct sl_decoder base;
    char *partial; /* the start of a line whose '\n' has not arrived yet */
    size_t partial_len;
    size_t partial_cap;
};

static sl_status text_keep_partial(struct decoder_text *t, const char *p, size_t n,
                                   struct sl_error *err)
{
    if (t->partial_len + n > t->partial_cap) {
        size_t cap = t->partial_cap ? t->partial_cap : 256;
        while (cap < t->partial_len + n)
            cap *= 2;
        char *grown = sl_realloc(t->partial, cap);
        if (!grown)
            return sl_error_set(err, SL_NOMEM, "out of memory");
        t->partial = grown;
        t->partial_cap = cap;
    }
    memcpy(t->partial + t->partial_len, p, n);
    t->partial_len += n;
    return SL_OK;
}

/* Stores a line (without its '\n', and without a trailing '\r') as row out->count. */
static sl_status text_emit(struct sl_chunk *out, const char *p, size_t n, bool copy,
                           struct sl_error *err)
{
    if (n && p[n - 1] == '\r')
        n--;
    if (n > UINT32_MAX)
        return sl_error_set(err, SL_ERROR, "a line is longer than 4 GiB");
    if (copy && n) {
        p = arena_memdup(out->arena, p, n);
        if (!p)
            return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    struct sl_vector *v = &out->cols[0];
    v->data.s[out->count] = (struct sl_str){.ptr = n ? p : "", .len = (uint32_t)n};
    v->nulls[out->count] = 0;
    out->count++;
    return SL_OK;
}

static sl_status text_decode(struct sl_decoder *d, const char *data, size_t len, size_t *consumed,
                             struct sl_chunk *out, struct sl_error *err)
{
    struct decoder_text *t = (struct decoder_text *)d;
    const char *p = data, *end = data + len;
    sl_status st;
    if (t->partial_len && out->count < SL_CHUNK_CAP) {
        const char *nl = memchr(p, '\n', len);
        if (!nl) {
            *consumed = len;
            return text_keep_partial(t, p, len, err);
        }
        if ((st = text_keep_partial(t, p, (size_t)(nl - p), err)) != SL_OK)
            return st;
        if ((st = text_emit(out, t->partial, t->partial_len, true, err)) != SL_OK)
            return st;
        t->partial_len = 0;
        p = nl + 1;
    }
    /* The hot loop: one memchr and one store per line. */
    struct sl_str *strs = out->cols[0].data.s;
    uint8_t *nulls = out->cols[0].nulls;
    uint32_t row = out->count;
    while (row < SL_CHUNK_CAP && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        size_t n = (size_t)(nl - p);
        if (n && nl[-1] == '\r')
            n--;
        if (n > UINT32_MAX) {
            out->count = row;
            *consumed = (size_t)(p - data);
            return sl_error_set(err, SL_ERROR, "a line is longer than 4 GiB");
        }
        strs[row].ptr = p;
        strs[row].len = (uint32_t)n;
        nulls[row] = 0;
        row++;
        p = nl + 1;
    }
    out->count = row;
    if (row < SL_CHUNK_CAP && p < end) {
        if ((st = text_keep_partial(t, p, (size_t)(end - p), err)) != SL_OK) {
            *consumed = (size_t)(p - data);
            return st;
        }
        p = end;
    }
    *consumed = (size_t)(p - data);
    return SL_OK;
}

static sl_status text_finish(struct sl_decoder *d, struct sl_chunk *out, struct sl_error *err)
{
    struct decoder_text *t = (struct decoder_text *)d;
    if (!t->partial_len)
        return SL_OK;
    if (out->count >= SL_CHUNK_CAP)
        return sl_error_set(err, SL_ERROR, "no room in the chunk for the last line");
    sl_status st = text_emit(out, t->partial, t->partial_len, true, err);
    if (st == SL_OK)
        t->partial_len = 0;
    return st;
}

static size_t text_pending(const struct sl_decoder *d)
{
    return ((const struct decoder_text *)d)->partial_len;
}

static void text_destroy(struct sl_decoder *d)
{
    struct decoder_text *t = (struct decoder_text *)d;
    sl_free(t->partial);
    sl_free(t);
}

static const struct sl_decoder_ops text_ops = {text_decode, text_finish, text_pending,
                                               text_destroy, NULL};

sl_status decoder_text_create(const struct sl_format_spec *spec, const struct sl_schema *schema,
                              struct sl_decoder **out, struct sl_error *err)
{
    (void)spec;
    if (schema->ncols != 1)
        return sl_error_set(err, SL_ERROR,
                            "FORMAT TEXT needs exactly one TEXT column (the line), got %u columns",
                            schema->ncols);
    if (schema->cols[0].type != SL_TEXT)
        return sl_error_set(err, SL_ERROR,
                            "FORMAT TEXT needs exactly one TEXT column (the line), but \"%s\" is %s",
                            schema->cols[0].name, sl_type_name(schema->cols[0].type));
    struct decoder_text *t = sl_calloc(1, sizeof *t);
    if (!t)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    t->base.ops = &text_ops;
    *out = &t->base;
    return SL_OK;
}

const struct sl_format format_text = {
    .name = "TEXT",
    .kind = SL_FORMAT_TEXT,
    .summary = "One row per line (`\\n` or `\\r\\n`); the stream has exactly one `TEXT` column.",
};
