/*
 * decoder_text.c — FORMAT TEXT: one row per line. A line that is not
 * well-formed UTF-8, or holds a NUL, is a dead letter. The hot loop takes
 * the lines wholly inside the given data that are ASCII without NUL
 * (checked a block at a time, not a line at a time) and not over
 * max_record_bytes: one memchr and one store
 * each, the row's string pointing into data. Every other line goes through
 * decoder_lines.c, which keeps a line cut by the end of the data until its
 * end arrives (then it is copied into the chunk's arena) and makes a line
 * over max_record_bytes a dead letter.
 */
#include "connectors/decoder_impl.h"
#include "connectors/decoder_lines.h"
#include "connectors/registry.h"

#include <string.h>

#include "common/alloc.h"
#include "common/utf8.h"

/* How far past a line the hot loop checks for ASCII at once. */
#define TEXT_ASCII_BLOCK 4096

struct decoder_text {
    struct sl_decoder base;
    struct decoder_lines lines;
    char *column; /* the column's name, for reasons */
};

/* Stores a line (without its '\n', and without a trailing '\r') as row out->count. */
static sl_status text_record(void *format, const char *rec, size_t len, uint64_t offset,
                             bool in_data, struct sl_chunk *out, struct sl_error *err)
{
    struct decoder_text *t = format;
    if (len && rec[len - 1] == '\r')
        len--;
    char reason[160];
    if (!record_utf8_check(rec, len, 0, t->column, reason, sizeof reason)) {
        lines_dead_letter(&t->lines, rec, len, offset, reason);
        return SL_OK;
    }
    if (!in_data && len) {
        rec = arena_memdup(out->arena, rec, len);
        if (!rec)
            return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    struct sl_vector *v = &out->cols[0];
    v->data.s[out->count] = (struct sl_str){.ptr = len ? rec : "", .len = (uint32_t)len};
    v->nulls[out->count] = 0;
    out->count++;
    return SL_OK;
}

/* The hot loop, while no line is kept: rows for the lines it can take from data[0..len),
 * up to the first it cannot; returns the bytes taken. */
static size_t text_plain_lines(struct decoder_text *t, const char *data, size_t len,
                               struct sl_chunk *out)
{
    struct sl_str *strs = out->cols[0].data.s;
    uint8_t *nulls = out->cols[0].nulls;
    uint32_t row = out->count;
    size_t max_record = t->lines.max_record;
    const char *p = data, *end = data + len, *ascii_end = data;
    while (row < SL_CHUNK_CAP && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        if (nl >= ascii_end) {
            size_t block = (size_t)(end - p) < (size_t)(nl - p) + TEXT_ASCII_BLOCK
                               ? (size_t)(end - p)
                               : (size_t)(nl - p) + TEXT_ASCII_BLOCK;
            ascii_end = p + sl_ascii_prefix(p, block);
            if (nl > ascii_end)
                break;
        }
        size_t n = (size_t)(nl - p);
        if (n > max_record)
            break;
        if (n && nl[-1] == '\r')
            n--;
        strs[row] = (struct sl_str){.ptr = p, .len = (uint32_t)n};
        nulls[row] = 0;
        row++;
        p = nl + 1;
    }
    out->count = row;
    t->lines.fed += (size_t)(p - data);
    t->lines.rec_start = t->lines.fed;
    return (size_t)(p - data);
}

static sl_status text_decode(struct sl_decoder *d, const char *data, size_t len, size_t *consumed,
                             struct sl_chunk *out, struct sl_error *err)
{
    struct decoder_text *t = (struct decoder_text *)d;
    size_t pos = 0;
    sl_status st = SL_OK;
    while (st == SL_OK && pos < len && out->count < SL_CHUNK_CAP) {
        if (lines_pending(&t->lines) == 0)
            pos += text_plain_lines(t, data + pos, len - pos, out);
        if (pos == len || out->count == SL_CHUNK_CAP)
            break;
        /* A line the hot loop left: through the line reader, with its '\n' if it has one. */
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (data + pos)) + 1 : len - pos, used = 0;
        st = lines_decode(&t->lines, data + pos, n, &used, out, err);
        pos += used;
    }
    *consumed = pos;
    return st;
}

static sl_status text_finish(struct sl_decoder *d, struct sl_chunk *out, struct sl_error *err)
{
    return lines_finish(&((struct decoder_text *)d)->lines, out, err);
}

static size_t text_pending(const struct sl_decoder *d)
{
    return lines_pending(&((const struct decoder_text *)d)->lines);
}

static void text_resume(struct sl_decoder *d, uint64_t offset)
{
    lines_resume(&((struct decoder_text *)d)->lines, offset);
}

static void text_skip(struct sl_decoder *d, size_t n)
{
    lines_skip(&((struct decoder_text *)d)->lines, n);
}

static void text_destroy(struct sl_decoder *d)
{
    struct decoder_text *t = (struct decoder_text *)d;
    lines_free(&t->lines);
    sl_free(t->column);
    sl_free(t);
}

static const struct sl_decoder_ops text_ops = {text_decode,  text_finish, text_pending,
                                               text_destroy, text_resume, text_skip};

sl_status decoder_text_create(const struct sl_format_spec *spec, const struct sl_schema *schema,
                              sl_dead_letter_fn dead_letter, void *dead_letter_ctx,
                              struct sl_decoder **out, struct sl_error *err)
{
    if (schema->ncols != 1)
        return sl_error_set(err, SL_ERROR,
                            "FORMAT TEXT needs exactly one TEXT column (the line), got %u columns",
                            schema->ncols);
    if (schema->cols[0].type != SL_TEXT)
        return sl_error_set(err, SL_ERROR,
                            "FORMAT TEXT needs exactly one TEXT column (the line), but \"%s\" is %s",
                            schema->cols[0].name, sl_type_name(schema->cols[0].type));
    struct decoder_text *t = sl_calloc(1, sizeof *t);
    if (!t || !(t->column = sl_strdup(schema->cols[0].name ? schema->cols[0].name : ""))) {
        sl_free(t);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    t->base.ops = &text_ops;
    lines_init(&t->lines, spec, dead_letter, dead_letter_ctx, text_record, t);
    *out = &t->base;
    return SL_OK;
}

enum { TEXT_MAX_RECORD_BYTES };

static const char *text_set_option(struct sl_format_spec *spec, size_t i,
                                   const struct sl_option_value *v, const char **hint)
{
    (void)hint;
    if (i == TEXT_MAX_RECORD_BYTES)
        spec->max_record_bytes = (size_t)v->num;
    return NULL;
}

static const struct sl_option_def text_options[] = {
    [TEXT_MAX_RECORD_BYTES] = SL_MAX_RECORD_BYTES_OPTION,
};

const struct sl_format format_text = {
    .name = "TEXT",
    .kind = SL_FORMAT_TEXT,
    .summary = "One row per line (`\\n` or `\\r\\n`); the stream has exactly one `TEXT` column. "
               "A line that is not well-formed UTF-8, or holds a NUL byte, goes to "
               "`_sluice_dead_letters`.",
    .options = text_options,
    .noptions = sizeof text_options / sizeof text_options[0],
    .set_option = text_set_option,
};
