/*
 * decoder_csv.c — FORMAT CSV. A line at a record's start is split by the
 * fast path (decoder_csv_fast.c) when it can be; the rest is fed to libcsv
 * one line at a time (up to each '\r' or '\n'), so every record end falls on
 * a piece end: that gives the record's raw bytes and offset for dead
 * letters, and lets decoding stop exactly at a record boundary when the
 * chunk is full, with *consumed telling the truth. A record that grows past
 * max_record_bytes is taken from libcsv and read to its end by
 * decoder_csv_scan.c without being kept (only its first
 * SL_DEAD_LETTER_BYTES, for its dead letter), so no buffer grows past the limit.
 * NULL: an empty unquoted field (libcsv's CSV_EMPTY_IS_NULL); a quoted ""
 * is the empty string. libcsv does not say whether a field was quoted, so
 * a field equal to the null marker is NULL even when it was quoted.
 * Spaces around unquoted fields are trimmed (libcsv's default). A TEXT
 * value that is not well-formed UTF-8 makes its record a dead letter.
 */
#include "connectors/decoder_csv.h"

#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/time.h"
#include "common/utf8.h"
#include "connectors/decoder_lines.h"
#include "connectors/registry.h"

/* libcsv's states (not exported by csv.h): between records, and inside a field. */
#define CSV_STATE_ROW_NOT_BEGUN 0
#define CSV_STATE_FIELD_BEGUN 2
/* The least libcsv's field buffer grows by (csv_feed_piece). */
#define CSV_MIN_BLOCK 1024

static bool csv_grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *g = sl_realloc(*p, c * elem);
    if (!g)
        return false;
    *p = g;
    *cap = c;
    return true;
}

static void csv_nomem(struct decoder_csv *c)
{
    c->status = sl_error_set(c->err, SL_NOMEM, "out of memory");
}

static void csv_on_field(void *s, size_t len, void *ctx)
{
    struct decoder_csv *c = ctx;
    if (c->status != SL_OK)
        return;
    /* Fields past the columns are only counted, for the reason. */
    if (c->nfields >= c->ncols) {
        c->nfields++;
        return;
    }
    if (!csv_grow((void **)&c->fbuf, &c->fbuf_cap, c->fbuf_len + len, 1)) {
        csv_nomem(c);
        return;
    }
    if (len)
        memcpy(c->fbuf + c->fbuf_len, s, len);
    c->fields[c->nfields++] = (struct csv_field){.off = c->fbuf_len, .len = len, .is_null = !s};
    c->fbuf_len += len;
}

/* The current record's raw bytes: the fast path's line, or [rec_start, rec_end)
 * gathered from earlier calls' bytes and this call's. Call once per record. */
static bool csv_raw(struct decoder_csv *c, const char **rec, size_t *len)
{
    if (c->line) {
        *rec = c->line;
        *len = c->line_len;
        return true;
    }
    uint64_t from = c->rec_start > c->call_base ? c->rec_start : c->call_base;
    const char *here = c->call_data ? c->call_data + (from - c->call_base) : "";
    size_t here_len = c->rec_end > from ? (size_t)(c->rec_end - from) : 0;
    *rec = here;
    *len = here_len;
    if (!c->raw_len)
        return true;
    if (!csv_grow((void **)&c->raw, &c->raw_cap, c->raw_len + here_len, 1)) {
        csv_nomem(c);
        return false;
    }
    if (here_len)
        memcpy(c->raw + c->raw_len, here, here_len);
    c->raw_len += here_len;
    *rec = c->raw;
    *len = c->raw_len;
    return true;
}

static void csv_dead_letter(struct decoder_csv *c, const char *rec, size_t len, const char *reason)
{
    if (c->dead_letter)
        c->dead_letter(c->dead_letter_ctx, rec, len, c->rec_start, reason);
}

enum csv_convert_result { CSV_CONVERTED, CSV_NOT_VALID, CSV_NOT_UTF8, CSV_NOMEM };

/* Converts field f into column i of row `row`; on CSV_NOT_VALID writes the reason. */
static enum csv_convert_result csv_convert(struct decoder_csv *c, uint32_t i,
                                           const struct csv_span *f, uint32_t row, bool in_data,
                                           char *reason, size_t reason_cap)
{
    struct sl_vector *v = &c->out->cols[i];
    const char *s = f->ptr;
    bool ok = true;
    if (f->is_null || (c->null_marker && f->len == c->null_marker_len &&
                       memcmp(s, c->null_marker, f->len) == 0)) {
        v->nulls[row] = 1;
        return CSV_CONVERTED;
    }
    v->nulls[row] = 0;
    switch (c->cols[i].type) {
    case SL_TEXT:
        if (!(c->line && c->line_ascii) && sl_utf8_invalid_at(s, f->len) < f->len)
            return CSV_NOT_UTF8;
        if (!in_data && f->len && !(s = arena_memdup(c->out->arena, s, f->len)))
            return CSV_NOMEM;
        v->data.s[row] = (struct sl_str){.ptr = f->len ? s : "", .len = (uint32_t)f->len};
        break;
    case SL_INT: ok = sl_parse_int(s, f->len, &v->data.i[row]); break;
    case SL_REAL: ok = sl_parse_real(s, f->len, &v->data.r[row]); break;
    case SL_TIMESTAMP: ok = sl_ts_parse(s, f->len, &v->data.i[row]); break;
    case SL_BOOL: {
        bool b = false;
        ok = sl_parse_bool(s, f->len, &b);
        v->data.b[row] = b;
        break;
    }
    default: ok = false; break;
    }
    if (!ok) {
        int shown = f->len > 64 ? 64 : (int)f->len;
        snprintf(reason, reason_cap, "column \"%s\": '%.*s%s' is not a valid %s", c->cols[i].name,
                 shown, s, f->len > 64 ? "..." : "", sl_type_name(c->cols[i].type));
    }
    return ok ? CSV_CONVERTED : CSV_NOT_VALID;
}

/* The reason of field i, not well-formed UTF-8, naming the record's first bad byte in the
 * field's raw bytes (the fast path's values lie in the record, libcsv's are copies). */
static void csv_utf8_reason(struct decoder_csv *c, uint32_t i, const struct csv_span *f,
                            const char *rec, size_t rec_len, char *reason, size_t cap)
{
    const char *name = c->cols[i].name;
    if (c->line) {
        record_utf8_check(f->ptr, f->len, (size_t)(f->ptr - c->line), name, reason, cap);
        return;
    }
    size_t from, to;
    csv_scan_field(rec, rec_len, c->delim, i, &from, &to);
    if (record_utf8_check(rec + from, to - from, from, name, reason, cap))
        snprintf(reason, cap, "column \"%s\": invalid UTF-8", name);
}

void csv_record(struct decoder_csv *c, const struct csv_span *fields, uint32_t nfields,
                bool in_data)
{
    if (c->skip_header) {
        c->skip_header = false;
        return;
    }
    char reason[256];
    const char *rec;
    size_t rec_len;
    if (c->unterminated) {
        /* Its field count says nothing: the rest of the input went into one field. */
        snprintf(reason, sizeof reason,
                 "unterminated quote: the input ended inside a quoted field (field %u)", nfields);
        if (csv_raw(c, &rec, &rec_len))
            csv_dead_letter(c, rec, rec_len, reason);
        return;
    }
    if (nfields != c->ncols) {
        snprintf(reason, sizeof reason, "expected %u field%s, got %u", c->ncols,
                 c->ncols == 1 ? "" : "s", nfields);
        if (csv_raw(c, &rec, &rec_len))
            csv_dead_letter(c, rec, rec_len, reason);
        return;
    }
    uint32_t row = c->out->count;
    for (uint32_t i = 0; i < nfields; i++) {
        enum csv_convert_result r =
            csv_convert(c, i, &fields[i], row, in_data, reason, sizeof reason);
        if (r == CSV_CONVERTED)
            continue;
        if (r == CSV_NOMEM) {
            csv_nomem(c);
            return;
        }
        if (!csv_raw(c, &rec, &rec_len))
            return;
        if (r == CSV_NOT_UTF8)
            csv_utf8_reason(c, i, &fields[i], rec, rec_len, reason, sizeof reason);
        csv_dead_letter(c, rec, rec_len, reason);
        return;
    }
    c->out->count++;
}

static void csv_on_record(int term, void *ctx)
{
    struct decoder_csv *c = ctx;
    (void)term;
    if (c->status != SL_OK)
        return;
    uint32_t nfields = c->nfields;
    for (uint32_t k = 0; k < nfields && k < c->ncols; k++) {
        const struct csv_field *f = &c->fields[k];
        /* fbuf stays NULL while every field so far was empty: NULL + 0 is undefined. */
        c->spans[k] = (struct csv_span){c->fbuf ? c->fbuf + f->off : "", f->len, f->is_null};
    }
    c->nfields = 0;
    c->fbuf_len = 0;
    csv_record(c, c->spans, nfields, false);
}

static sl_status csv_parser_failed(struct decoder_csv *c, struct sl_error *err)
{
    int e = csv_error(&c->parser);
    return sl_error_set(err, e == CSV_ENOMEM ? SL_NOMEM : SL_ERROR, "CSV: %s", csv_strerror(e));
}

/* After a piece: at a record boundary nothing is pending and no raw bytes need keeping. */
static void csv_after_piece(struct decoder_csv *c)
{
    if (c->parser.pstate == CSV_STATE_ROW_NOT_BEGUN) {
        c->rec_start = c->fed;
        c->raw_len = 0;
    }
}

/* Keeps p[0..n), more of the current record's raw bytes, as far as the record may keep them. */
static void csv_keep_raw(struct decoder_csv *c, const char *p, size_t n)
{
    /* A record within the limit may be followed by a line break inside its quotes,
     * which the limit's check leaves out until the next piece: one byte more. */
    size_t limit = c->skipping ? SL_DEAD_LETTER_BYTES : c->max_record + 1;
    if (c->raw_len >= limit)
        return;
    if (n > limit - c->raw_len)
        n = limit - c->raw_len;
    if (!csv_grow((void **)&c->raw, &c->raw_cap, c->raw_len + n, 1)) {
        csv_nomem(c);
        return;
    }
    if (n)
        memcpy(c->raw + c->raw_len, p, n);
    c->raw_len += n;
}

/* The current record, data[..pos) so far, is longer than max_record: take it from
 * libcsv and follow it to its end without parsing it. */
static void csv_skip_start(struct decoder_csv *c, const char *data, size_t pos)
{
    c->skip = csv_scan_from_libcsv(c->parser.pstate, c->parser.quoted, c->parser.spaces,
                                   c->delim);
    csv_fini(&c->parser, NULL, NULL, NULL); /* with no callbacks it only resets the parser */
    c->nfields = 0;
    c->fbuf_len = 0;
    c->skipping = true;
    if (c->raw_len > SL_DEAD_LETTER_BYTES)
        c->raw_len = SL_DEAD_LETTER_BYTES;
    size_t from = c->rec_start > c->call_base ? (size_t)(c->rec_start - c->call_base) : 0;
    csv_keep_raw(c, data + from, pos - from);
}

/* The skipped record ended, `terminator` bytes before c->fed: its dead letter. */
static void csv_skip_end(struct decoder_csv *c, size_t terminator)
{
    if (c->skip_header) {
        c->skip_header = false;
    } else {
        char reason[160];
        record_too_long_reason(reason, sizeof reason, c->fed - terminator - c->rec_start,
                               c->max_record);
        csv_dead_letter(c, c->raw ? c->raw : "", c->raw_len, reason);
    }
    c->skipping = false;
    c->rec_start = c->fed;
    c->raw_len = 0;
}

/* Follows the skipped record over p[0..n); returns the bytes taken. */
static size_t csv_skip(struct decoder_csv *c, const char *p, size_t n)
{
    size_t used = csv_scan_record(&c->skip, p, n);
    bool ended = c->skip.state == CSV_SCAN_END;
    csv_keep_raw(c, p, used - ended);
    c->fed += used;
    if (ended)
        csv_skip_end(c, 1);
    return used;
}

/* The fast path for the line at p, ending at the '\n' at nl; false when libcsv must read it. */
static bool csv_try_fast(struct decoder_csv *c, const char *p, const char *nl)
{
    size_t n = (size_t)(nl - p);
    size_t len = n && nl[-1] == '\r' ? n - 1 : n;
    if (len > c->max_record || !csv_fast_line(c, p, len))
        return false;
    c->fed += n + 1;
    c->rec_start = c->fed;
    return true;
}

/* Feeds libcsv the piece of data at pos up to its first '\r' or '\n' (the one at
 * nl, or none); returns the bytes taken. */
static size_t csv_feed_piece(struct decoder_csv *c, const char *data, size_t len, size_t pos,
                             const char *nl)
{
    const char *p = data + pos;
    size_t lim = nl ? (size_t)(nl - p) + 1 : len - pos;
    const char *cr = memchr(p, '\r', lim);
    size_t piece = cr ? (size_t)(cr - p) + 1 : lim;
    bool terminated = cr || nl;
    if (c->fed + piece - terminated - c->rec_start > c->max_record) {
        csv_skip_start(c, data, pos);
        return 0;
    }
    c->rec_end = c->fed + piece - 1;
    /* libcsv grows a field's buffer by a fixed block (128 bytes by default): a field of a
     * megabyte would take 8192 reallocs, each a copy where realloc cannot extend in place.
     * A block as large as the buffer already is makes the growth geometric. */
    csv_set_blk_size(&c->parser, c->parser.entry_size > CSV_MIN_BLOCK ? c->parser.entry_size
                                                                       : CSV_MIN_BLOCK);
    size_t used = csv_parse(&c->parser, p, piece, csv_on_field, csv_on_record, c);
    c->fed += used;
    if (c->status == SL_OK && used != piece)
        c->status = csv_parser_failed(c, c->err);
    if (c->status == SL_OK)
        csv_after_piece(c);
    return used;
}

static sl_status csv_decode(struct sl_decoder *d, const char *data, size_t len, size_t *consumed,
                            struct sl_chunk *out, struct sl_error *err)
{
    struct decoder_csv *c = (struct decoder_csv *)d;
    c->out = out;
    c->err = err;
    c->status = SL_OK;
    c->call_data = data;
    c->call_base = c->fed;
    size_t pos = 0;
    while (c->status == SL_OK && pos < len && out->count < SL_CHUNK_CAP) {
        if (c->skipping) {
            pos += csv_skip(c, data + pos, len - pos);
            continue;
        }
        const char *nl = memchr(data + pos, '\n', len - pos);
        uint64_t before = c->fed;
        if (c->fast && nl && c->parser.pstate == CSV_STATE_ROW_NOT_BEGUN &&
            csv_try_fast(c, data + pos, nl))
            pos += (size_t)(c->fed - before);
        else
            pos += csv_feed_piece(c, data, len, pos, nl);
    }
    *consumed = pos;
    if (c->status != SL_OK)
        return c->status;
    if (!c->skipping && c->parser.pstate != CSV_STATE_ROW_NOT_BEGUN) {
        size_t from = c->rec_start > c->call_base ? (size_t)(c->rec_start - c->call_base) : 0;
        csv_keep_raw(c, data + from, pos - from);
    }
    return c->status;
}

static sl_status csv_finish(struct sl_decoder *d, struct sl_chunk *out, struct sl_error *err)
{
    struct decoder_csv *c = (struct decoder_csv *)d;
    c->out = out;
    c->err = err;
    c->status = SL_OK;
    c->call_data = NULL;
    c->call_base = c->fed;
    c->rec_end = c->fed;
    if (c->skipping) {
        csv_skip_end(c, 0);
        return c->status;
    }
    if (c->parser.pstate == CSV_STATE_ROW_NOT_BEGUN)
        return SL_OK;
    if (out->count >= SL_CHUNK_CAP)
        return sl_error_set(err, SL_ERROR, "no room in the chunk for the last CSV record");
    c->unterminated = c->parser.pstate == CSV_STATE_FIELD_BEGUN && c->parser.quoted;
    int failed = csv_fini(&c->parser, csv_on_field, csv_on_record, c);
    c->unterminated = false;
    if (failed && c->status == SL_OK)
        return csv_parser_failed(c, err);
    c->rec_start = c->fed;
    c->raw_len = 0;
    return c->status;
}

static size_t csv_pending(const struct sl_decoder *d)
{
    const struct decoder_csv *c = (const struct decoder_csv *)d;
    return (size_t)(c->fed - c->rec_start);
}

static void csv_destroy(struct sl_decoder *d)
{
    struct decoder_csv *c = (struct decoder_csv *)d;
    csv_free(&c->parser);
    if (c->cols) {
        for (uint32_t i = 0; i < c->ncols; i++)
            sl_free(c->cols[i].name);
    }
    sl_free(c->cols);
    sl_free(c->null_marker);
    sl_free(c->fields);
    sl_free(c->spans);
    sl_free(c->delims);
    sl_free(c->fbuf);
    sl_free(c->raw);
    sl_free(c);
}

/* A fresh decoder continuing at offset: records are numbered from there, and
 * the header was read before unless the input starts over. */
static void csv_resume(struct sl_decoder *d, uint64_t offset)
{
    struct decoder_csv *c = (struct decoder_csv *)d;
    c->fed = c->rec_start = offset;
    if (offset > 0)
        c->skip_header = false;
}

static void csv_skip_bytes(struct sl_decoder *d, size_t n)
{
    struct decoder_csv *c = (struct decoder_csv *)d;
    c->fed += n;
    c->rec_start += n;
}

static const struct sl_decoder_ops csv_ops = {csv_decode, csv_finish, csv_pending,
                                              csv_destroy, csv_resume, csv_skip_bytes};

static bool csv_type_supported(enum sl_type t)
{
    return t == SL_TEXT || t == SL_INT || t == SL_REAL || t == SL_BOOL || t == SL_TIMESTAMP;
}

sl_status decoder_csv_create(const struct sl_format_spec *spec, const struct sl_schema *schema,
                             sl_dead_letter_fn dead_letter, void *dead_letter_ctx,
                             struct sl_decoder **out, struct sl_error *err)
{
    if (schema->ncols == 0)
        return sl_error_set(err, SL_ERROR, "FORMAT CSV needs at least one column");
    for (uint32_t i = 0; i < schema->ncols; i++) {
        if (!csv_type_supported(schema->cols[i].type))
            return sl_error_set(err, SL_ERROR, "column \"%s\": type %s cannot be read from CSV",
                                schema->cols[i].name, sl_type_name(schema->cols[i].type));
    }
    char delim = spec->delimiter ? spec->delimiter : ',';
    if (delim == '"' || delim == '\r' || delim == '\n')
        return sl_error_set(err, SL_ERROR, "CSV delimiter cannot be a quote or a line break");
    struct decoder_csv *c = sl_calloc(1, sizeof *c);
    if (!c)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    c->base.ops = &csv_ops;
    if (csv_init(&c->parser, CSV_EMPTY_IS_NULL) != 0) {
        sl_free(c);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    csv_set_realloc_func(&c->parser, sl_realloc);
    csv_set_free_func(&c->parser, sl_free);
    csv_set_delim(&c->parser, (unsigned char)delim);
    c->delim = (unsigned char)delim;
    c->fast = !spec->csv_libcsv_only;
    c->max_record = spec->max_record_bytes ? spec->max_record_bytes : SL_MAX_RECORD_BYTES;
    c->dead_letter = dead_letter;
    c->dead_letter_ctx = dead_letter_ctx;
    c->skip_header = spec->header;
    c->ncols = schema->ncols;
    c->cols = sl_calloc(schema->ncols, sizeof *c->cols);
    c->fields = sl_calloc(schema->ncols, sizeof *c->fields);
    c->spans = sl_calloc(schema->ncols, sizeof *c->spans);
    c->delims = sl_calloc(schema->ncols, sizeof *c->delims);
    bool ok = c->cols && c->fields && c->spans && c->delims;
    for (uint32_t i = 0; ok && i < schema->ncols; i++) {
        c->cols[i].type = schema->cols[i].type;
        c->cols[i].name = sl_strdup(schema->cols[i].name ? schema->cols[i].name : "");
        ok = c->cols[i].name != NULL;
    }
    if (ok && spec->null_marker) {
        c->null_marker = sl_strdup(spec->null_marker);
        c->null_marker_len = strlen(spec->null_marker);
        ok = c->null_marker != NULL;
    }
    if (!ok) {
        csv_destroy(&c->base);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    *out = &c->base;
    return SL_OK;
}

enum { CSV_HEADER, CSV_DELIMITER, CSV_NULL, CSV_MAX_RECORD_BYTES };

static const char *csv_set_option(struct sl_format_spec *spec, size_t i,
                                  const struct sl_option_value *v, const char **hint)
{
    switch (i) {
    case CSV_HEADER: spec->header = v->num != 0; break;
    case CSV_DELIMITER:
        if (strlen(v->text) != 1) {
            *hint = "for a tab, write delimiter = '\t'";
            return "option \"delimiter\" expects one character";
        }
        spec->delimiter = v->text[0];
        break;
    case CSV_NULL:
        sl_free((char *)spec->null_marker);
        spec->null_marker = sl_strdup(v->text);
        break;
    case CSV_MAX_RECORD_BYTES: spec->max_record_bytes = (size_t)v->num; break;
    }
    return NULL;
}

static const struct sl_option_def csv_options[] = {
    [CSV_HEADER] = {"header", SL_OPTION_BOOL, 0, 0, 0, "false",
                    "the first record names the columns and is skipped"},
    [CSV_DELIMITER] = {"delimiter", SL_OPTION_TEXT, 0, 0, 0, "','",
                       "the character between fields"},
    [CSV_NULL] = {"null", SL_OPTION_TEXT, 0, 0, 0, "none",
                  "an unquoted field equal to it is NULL (an empty one always is)"},
    [CSV_MAX_RECORD_BYTES] = SL_MAX_RECORD_BYTES_OPTION,
};

const struct sl_format format_csv = {
    .name = "CSV",
    .kind = SL_FORMAT_CSV,
    .summary = "Comma-separated values (libcsv): quoted fields may hold delimiters, quotes "
               "(`\"\"`) and newlines; fields are converted to the column types strictly (a "
               "`TEXT` field must be well-formed UTF-8 without NUL bytes), and a record that "
               "cannot be goes to `_sluice_dead_letters`.",
    .options = csv_options,
    .noptions = sizeof csv_options / sizeof csv_options[0],
    .set_option = csv_set_option,
};
