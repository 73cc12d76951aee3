/*
 * decoder_lines.c — records of one line for FORMAT TEXT and JSON, and the
 * limits and reasons every format shares (decoder_lines.h).
 */
#include "connectors/decoder_lines.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/utf8.h"

void lines_init(struct decoder_lines *l, const struct sl_format_spec *spec,
                sl_dead_letter_fn dead_letter, void *dead_letter_ctx, lines_record_fn record,
                void *format)
{
    *l = (struct decoder_lines){
        .max_record = spec->max_record_bytes ? spec->max_record_bytes : SL_MAX_RECORD_BYTES,
        .dead_letter = dead_letter,
        .dead_letter_ctx = dead_letter_ctx,
        .record = record,
        .format = format,
    };
}

void lines_free(struct decoder_lines *l)
{
    sl_free(l->partial);
    l->partial = NULL;
}

void lines_dead_letter(const struct decoder_lines *l, const char *rec, size_t len,
                       uint64_t offset, const char *reason)
{
    if (l->dead_letter)
        l->dead_letter(l->dead_letter_ctx, rec, len, offset, reason);
}

void record_too_long_reason(char *reason, size_t cap, uint64_t total, size_t limit)
{
    snprintf(reason, cap, "a record of %" PRIu64 " bytes is longer than max_record_bytes (%zu)",
             total, limit);
}

void record_cut_reason(char *reason, size_t cap, size_t len)
{
    snprintf(reason, cap,
             "the connection broke %zu bytes into this record, before its end: dropped, not "
             "joined to the next connection's bytes",
             len);
}

bool record_utf8_check(const char *text, size_t len, size_t at, const char *name, char *reason,
                       size_t cap)
{
    size_t bad = sl_utf8_invalid_at(text, len);
    if (bad == len)
        return true;
    if (text[bad] == '\0')
        snprintf(reason, cap, "column \"%s\": a NUL byte at byte %zu (TEXT cannot hold one)",
                 name, at + bad);
    else
        snprintf(reason, cap, "column \"%s\": invalid UTF-8 at byte %zu", name, at + bad);
    return false;
}

/* Takes p[0..n), more of a record whose end has not arrived: keeps as much as it may. */
static sl_status lines_keep(struct decoder_lines *l, const char *p, size_t n, struct sl_error *err)
{
    uint64_t before = l->fed - l->rec_start;
    size_t limit = before + n > l->max_record ? SL_DEAD_LETTER_BYTES : l->max_record;
    size_t keep = l->partial_len >= limit ? 0 : n < limit - l->partial_len ? n : limit - l->partial_len;
    if (l->partial_len + keep > l->partial_cap) {
        size_t cap = l->partial_cap ? l->partial_cap : 256;
        while (cap < l->partial_len + keep)
            cap *= 2;
        char *grown = sl_realloc(l->partial, cap);
        if (!grown)
            return sl_error_set(err, SL_NOMEM, "out of memory");
        l->partial = grown;
        l->partial_cap = cap;
    }
    if (keep)
        memcpy(l->partial + l->partial_len, p, keep);
    l->partial_len += keep;
    l->fed += n;
    return SL_OK;
}

/* The record that ends with p[0..n) (its last bytes before the terminator, which is
 * `terminator` bytes long: 1 for a '\n', 0 at the end of input): a row, or a dead letter
 * when it is over the limit. Its earlier bytes, if any, were kept. */
static sl_status lines_end(struct decoder_lines *l, const char *p, size_t n, size_t terminator,
                           struct sl_chunk *out, struct sl_error *err)
{
    sl_status st = SL_OK;
    const char *rec = p;
    size_t len = n;
    bool in_data = true;
    if (l->fed != l->rec_start || n > l->max_record) {
        st = lines_keep(l, p, n, err);
        rec = l->partial ? l->partial : "";
        len = l->partial_len;
        in_data = false;
    } else {
        l->fed += n;
    }
    uint64_t total = l->fed - l->rec_start;
    if (st == SL_OK && total > l->max_record) {
        char reason[160];
        record_too_long_reason(reason, sizeof reason, total, l->max_record);
        lines_dead_letter(l, rec, len < SL_DEAD_LETTER_BYTES ? len : SL_DEAD_LETTER_BYTES,
                          l->rec_start, reason);
    } else if (st == SL_OK) {
        st = l->record(l->format, rec, len, l->rec_start, in_data, out, err);
    }
    l->partial_len = 0;
    l->fed += terminator;
    l->rec_start = l->fed;
    return st;
}

sl_status lines_decode(struct decoder_lines *l, const char *data, size_t len, size_t *consumed,
                       struct sl_chunk *out, struct sl_error *err)
{
    size_t pos = 0;
    sl_status st = SL_OK;
    while (st == SL_OK && pos < len && out->count < SL_CHUNK_CAP) {
        const char *p = data + pos;
        const char *nl = memchr(p, '\n', len - pos);
        if (!nl) {
            st = lines_keep(l, p, len - pos, err);
            if (st == SL_OK)
                pos = len;
            break;
        }
        size_t n = (size_t)(nl - p);
        pos += n + 1;
        st = lines_end(l, p, n, 1, out, err);
    }
    *consumed = pos;
    return st;
}

sl_status lines_finish(struct decoder_lines *l, struct sl_chunk *out, struct sl_error *err)
{
    if (l->fed == l->rec_start)
        return SL_OK;
    if (out->count >= SL_CHUNK_CAP)
        return sl_error_set(err, SL_ERROR, "no room in the chunk for the last record");
    return lines_end(l, "", 0, 0, out, err);
}

size_t lines_pending(const struct decoder_lines *l)
{
    return (size_t)(l->fed - l->rec_start);
}

void lines_resume(struct decoder_lines *l, uint64_t offset)
{
    l->fed = l->rec_start = offset;
    l->partial_len = 0;
}

void lines_skip(struct decoder_lines *l, size_t n)
{
    l->fed += n;
    l->rec_start += n;
}
