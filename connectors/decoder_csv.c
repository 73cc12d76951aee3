/*
 * decoder_csv.c — FORMAT CSV through libcsv. Input is fed to libcsv one
 * line at a time (up to each '\r' or '\n'), so every record end falls on
 * a piece end: that gives the record's raw bytes and offset for dead
 * letters, and lets decoding stop exactly at a record boundary when the
 * chunk is full, with *consumed telling the truth.
 * NULL: an empty unquoted field (libcsv's CSV_EMPTY_IS_NULL); a quoted ""
 * is the empty string. libcsv does not say whether a field was quoted, so
 * a field equal to the null marker is NULL even when it was quoted.
 * Spaces around unquoted fields are trimmed (libcsv's default).
 */
#include "connectors/decoder_impl.h"
#include "connectors/registry.h"

#include <csv.h>
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/time.h"

/* libcsv's state between records (its ROW_NOT_BEGUN, not exported by csv.h). */
#define CSV_STATE_ROW_NOT_BEGUN 0

struct csv_column {
    enum sl_type type;
    char *name;
};

struct csv_field {
    size_t off; /* into fbuf */
    size_t len;
    bool is_null;
};

struct decoder_csv {
    struct sl_decoder base;
    struct csv_parser parser;
    struct csv_column *cols;
    uint32_t ncols;
    sl_dead_letter_fn dead_letter;
    void *dead_letter_ctx;
    bool skip_header;
    char *null_marker;
    size_t null_marker_len;
    /* The current record's fields, copied out of libcsv's reused entry buffer. */
    struct csv_field *fields;
    uint32_t nfields, fields_cap;
    char *fbuf;
    size_t fbuf_len, fbuf_cap;
    /* Raw bytes of the current record that arrived in earlier calls. */
    char *raw;
    size_t raw_len, raw_cap;
    uint64_t fed;       /* bytes given to libcsv so far */
    uint64_t rec_start; /* offset where the current record starts */
    /* The call in progress, for the callbacks. */
    struct sl_chunk *out;
    const char *call_data;
    uint64_t call_base; /* offset of call_data[0] */
    uint64_t rec_end;   /* offset of the current piece's terminator (end of a record ending there) */
    sl_status status;
    struct sl_error *err;
};

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
    size_t fcap = c->fields_cap;
    if (!csv_grow((void **)&c->fields, &fcap, (size_t)c->nfields + 1, sizeof *c->fields) ||
        !csv_grow((void **)&c->fbuf, &c->fbuf_cap, c->fbuf_len + len, 1)) {
        c->fields_cap = (uint32_t)fcap;
        csv_nomem(c);
        return;
    }
    c->fields_cap = (uint32_t)fcap;
    if (len)
        memcpy(c->fbuf + c->fbuf_len, s, len);
    c->fields[c->nfields++] = (struct csv_field){.off = c->fbuf_len, .len = len, .is_null = !s};
    c->fbuf_len += len;
}

/* Hands the current record's raw bytes [rec_start, rec_end) to the dead-letter callback. */
static void csv_dead_letter(struct decoder_csv *c, const char *reason)
{
    if (!c->dead_letter)
        return;
    uint64_t from = c->rec_start > c->call_base ? c->rec_start : c->call_base;
    const char *here = c->call_data ? c->call_data + (from - c->call_base) : NULL;
    size_t here_len = c->rec_end > from ? (size_t)(c->rec_end - from) : 0;
    const char *rec = here;
    size_t rec_len = here_len;
    if (c->raw_len) {
        if (!csv_grow((void **)&c->raw, &c->raw_cap, c->raw_len + here_len, 1)) {
            csv_nomem(c);
            return;
        }
        if (here_len)
            memcpy(c->raw + c->raw_len, here, here_len);
        c->raw_len += here_len;
        rec = c->raw;
        rec_len = c->raw_len;
    }
    c->dead_letter(c->dead_letter_ctx, rec ? rec : "", rec_len, c->rec_start, reason);
}

/* Converts field i into column i of row `row`; on failure writes the reason. */
static bool csv_convert(struct decoder_csv *c, uint32_t i, uint32_t row, char *reason,
                        size_t reason_cap)
{
    const struct csv_field *f = &c->fields[i];
    struct sl_vector *v = &c->out->cols[i];
    /* fbuf stays NULL while every field so far was empty: NULL + 0 is undefined. */
    const char *s = c->fbuf ? c->fbuf + f->off : "";
    bool ok = true;
    if (f->is_null || (c->null_marker && f->len == c->null_marker_len &&
                       memcmp(s, c->null_marker, f->len) == 0)) {
        v->nulls[row] = 1;
        return true;
    }
    v->nulls[row] = 0;
    switch (c->cols[i].type) {
    case SL_TEXT: {
        const char *p = f->len ? arena_memdup(c->out->arena, s, f->len) : "";
        if (!p || f->len > UINT32_MAX) {
            csv_nomem(c);
            return false;
        }
        v->data.s[row] = (struct sl_str){.ptr = p, .len = (uint32_t)f->len};
        break;
    }
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
    return ok;
}

static void csv_on_record(int term, void *ctx)
{
    struct decoder_csv *c = ctx;
    (void)term;
    if (c->status != SL_OK)
        return;
    uint32_t nfields = c->nfields;
    c->nfields = 0;
    c->fbuf_len = 0;
    if (c->skip_header) {
        c->skip_header = false;
        return;
    }
    char reason[256];
    if (nfields != c->ncols) {
        snprintf(reason, sizeof reason, "expected %u field%s, got %u", c->ncols,
                 c->ncols == 1 ? "" : "s", nfields);
        csv_dead_letter(c, reason);
        return;
    }
    uint32_t row = c->out->count;
    for (uint32_t i = 0; i < nfields; i++) {
        if (!csv_convert(c, i, row, reason, sizeof reason)) {
            if (c->status == SL_OK)
                csv_dead_letter(c, reason);
            return;
        }
    }
    c->out->count++;
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
    while (pos < len && out->count < SL_CHUNK_CAP) {
        const char *p = data + pos;
        const char *nl = memchr(p, '\n', len - pos);
        size_t lim = nl ? (size_t)(nl - p) + 1 : len - pos;
        const char *cr = memchr(p, '\r', lim);
        size_t piece = cr ? (size_t)(cr - p) + 1 : lim;
        c->rec_end = c->fed + piece - 1;
        size_t used = csv_parse(&c->parser, p, piece, csv_on_field, csv_on_record, c);
        c->fed += used;
        pos += used;
        if (c->status != SL_OK) {
            *consumed = pos;
            return c->status;
        }
        if (used != piece) {
            *consumed = pos;
            return csv_parser_failed(c, err);
        }
        csv_after_piece(c);
    }
    *consumed = pos;
    if (c->parser.pstate != CSV_STATE_ROW_NOT_BEGUN) {
        size_t from = c->rec_start > c->call_base ? (size_t)(c->rec_start - c->call_base) : 0;
        if (!csv_grow((void **)&c->raw, &c->raw_cap, c->raw_len + (pos - from), 1))
            return sl_error_set(err, SL_NOMEM, "out of memory");
        memcpy(c->raw + c->raw_len, data + from, pos - from);
        c->raw_len += pos - from;
    }
    return SL_OK;
}

static sl_status csv_finish(struct sl_decoder *d, struct sl_chunk *out, struct sl_error *err)
{
    struct decoder_csv *c = (struct decoder_csv *)d;
    if (c->parser.pstate == CSV_STATE_ROW_NOT_BEGUN)
        return SL_OK;
    if (out->count >= SL_CHUNK_CAP)
        return sl_error_set(err, SL_ERROR, "no room in the chunk for the last CSV record");
    c->out = out;
    c->err = err;
    c->status = SL_OK;
    c->call_data = NULL;
    c->call_base = c->fed;
    c->rec_end = c->fed;
    if (csv_fini(&c->parser, csv_on_field, csv_on_record, c) != 0 && c->status == SL_OK)
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

static const struct sl_decoder_ops csv_ops = {csv_decode, csv_finish, csv_pending, csv_destroy,
                                              csv_resume};

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
    c->dead_letter = dead_letter;
    c->dead_letter_ctx = dead_letter_ctx;
    c->skip_header = spec->header;
    c->ncols = schema->ncols;
    c->cols = sl_calloc(schema->ncols, sizeof *c->cols);
    bool ok = c->cols != NULL;
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

enum { CSV_HEADER, CSV_DELIMITER, CSV_NULL };

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
};

const struct sl_format format_csv = {
    .name = "CSV",
    .kind = SL_FORMAT_CSV,
    .summary = "Comma-separated values (libcsv): quoted fields may hold delimiters, quotes "
               "(`\"\"`) and newlines; fields are converted to the column types strictly, and "
               "a record that cannot be goes to `_sluice_dead_letters`.",
    .options = csv_options,
    .noptions = sizeof csv_options / sizeof csv_options[0],
    .set_option = csv_set_option,
};
