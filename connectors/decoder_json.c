/*
 * decoder_json.c — FORMAT JSON: one JSON object per line ("\n" or "\r\n";
 * blank lines are skipped). Each column is the value at its path (the
 * top-level key of its name unless the stream gave a PATH), converted by
 * json_convert.c; the JSON itself is parsed by json_backend.h's parser.
 * This file cuts the input into records: a line cut by the end of the data
 * is kept (copied) until its end arrives, a line longer than
 * max_record_bytes is read to its end without being kept and becomes a dead
 * letter, and every record that gives no row is a dead letter with its raw
 * bytes (up to DEAD_LETTER_BYTES), its offset and its reason.
 */
#include "connectors/decoder_impl.h"
#include "connectors/registry.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "connectors/json_backend.h"
#include "connectors/json_convert.h"

/* The most of an over-long record its dead letter keeps. */
#define DEAD_LETTER_BYTES ((size_t)4096)

struct decoder_json {
    struct sl_decoder base;
    struct json_parser *parser;
    struct json_path *paths; /* one per column */
    char **names;
    uint32_t ncols;
    bool cast;
    size_t max_record;
    sl_dead_letter_fn dead_letter;
    void *dead_letter_ctx;
    /* The start of a record whose '\n' has not arrived: all of it while it is no
     * longer than max_record, then only its first DEAD_LETTER_BYTES. */
    char *partial;
    size_t partial_len, partial_cap;
    uint64_t fed;       /* bytes taken so far */
    uint64_t rec_start; /* offset of the current record's first byte */
};

static void json_dead_letter(struct decoder_json *j, const char *rec, size_t len,
                             const char *reason)
{
    if (j->dead_letter)
        j->dead_letter(j->dead_letter_ctx, rec, len, j->rec_start, reason);
}

static bool is_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return false;
    return true;
}

/* One complete record (a line without its '\n') into row out->count, or a dead letter. */
static sl_status json_record(struct decoder_json *j, const char *rec, size_t len,
                             struct sl_chunk *out, struct sl_error *err)
{
    if (len && rec[len - 1] == '\r')
        len--;
    if (is_blank(rec, len))
        return SL_OK;
    char reason[512];
    enum json_parse_result parsed = json_parser_parse(j->parser, rec, len, reason, sizeof reason);
    if (parsed == JSON_NOMEM)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    if (parsed == JSON_REFUSED) {
        json_dead_letter(j, rec, len, reason);
        return SL_OK;
    }
    uint32_t row = out->count;
    for (uint32_t i = 0; i < j->ncols; i++) {
        struct sl_vector *vec = &out->cols[i];
        struct jval v;
        if (!json_parser_value(j->parser, i, vec->type == SL_TEXT, &v))
            return sl_error_set(err, SL_NOMEM, "out of memory");
        enum json_convert_result r =
            json_convert(&v, j->cast, j->names[i], vec, row, out->arena, reason, sizeof reason);
        if (r == JSON_CONVERT_NOMEM)
            return sl_error_set(err, SL_NOMEM, "out of memory");
        if (r == JSON_WRONG_TYPE) {
            json_dead_letter(j, rec, len, reason);
            return SL_OK;
        }
    }
    out->count++;
    return SL_OK;
}

/* Appends p[0..n), the record's bytes after its first `before`, to the partial record:
 * as much of them as the record keeps. */
static sl_status json_keep(struct decoder_json *j, uint64_t before, const char *p, size_t n,
                           struct sl_error *err)
{
    size_t limit = before + n > j->max_record ? DEAD_LETTER_BYTES : j->max_record;
    if (j->partial_len >= limit)
        return SL_OK;
    if (n > limit - j->partial_len)
        n = limit - j->partial_len;
    if (j->partial_len + n > j->partial_cap) {
        size_t cap = j->partial_cap ? j->partial_cap : 256;
        while (cap < j->partial_len + n)
            cap *= 2;
        char *grown = sl_realloc(j->partial, cap);
        if (!grown)
            return sl_error_set(err, SL_NOMEM, "out of memory");
        j->partial = grown;
        j->partial_cap = cap;
    }
    memcpy(j->partial + j->partial_len, p, n);
    j->partial_len += n;
    return SL_OK;
}

/* The record that ends with p[0..n) (its last bytes), its earlier bytes in the partial
 * buffer; j->fed already counts p's bytes, not the terminator's (`terminator` bytes: 1 for
 * a '\n', 0 at the end of input). */
static sl_status json_record_end(struct decoder_json *j, const char *p, size_t n,
                                 size_t terminator, struct sl_chunk *out, struct sl_error *err)
{
    uint64_t total = j->fed - j->rec_start;
    const char *rec = p;
    size_t len = n;
    sl_status st = SL_OK;
    if (j->partial_len) {
        st = json_keep(j, total - n, p, n, err);
        rec = j->partial;
        len = j->partial_len;
    }
    if (st == SL_OK && total > j->max_record) {
        char reason[160];
        snprintf(reason, sizeof reason,
                 "a record of %" PRIu64 " bytes is longer than max_record_bytes (%zu)", total,
                 j->max_record);
        json_dead_letter(j, rec, len < DEAD_LETTER_BYTES ? len : DEAD_LETTER_BYTES, reason);
    } else if (st == SL_OK) {
        st = json_record(j, rec, len, out, err);
    }
    j->partial_len = 0;
    j->fed += terminator;
    j->rec_start = j->fed;
    return st;
}

static sl_status json_decode(struct sl_decoder *d, const char *data, size_t len, size_t *consumed,
                             struct sl_chunk *out, struct sl_error *err)
{
    struct decoder_json *j = (struct decoder_json *)d;
    size_t pos = 0;
    sl_status st = SL_OK;
    while (st == SL_OK && pos < len && out->count < SL_CHUNK_CAP) {
        const char *p = data + pos;
        const char *nl = memchr(p, '\n', len - pos);
        if (!nl) {
            st = json_keep(j, j->fed - j->rec_start, p, len - pos, err);
            if (st == SL_OK) {
                j->fed += len - pos;
                pos = len;
            }
            break;
        }
        size_t n = (size_t)(nl - p);
        j->fed += n;
        pos += n + 1;
        st = json_record_end(j, p, n, 1, out, err);
    }
    *consumed = pos;
    return st;
}

static sl_status json_finish(struct sl_decoder *d, struct sl_chunk *out, struct sl_error *err)
{
    struct decoder_json *j = (struct decoder_json *)d;
    if (j->fed == j->rec_start)
        return SL_OK;
    if (out->count >= SL_CHUNK_CAP)
        return sl_error_set(err, SL_ERROR, "no room in the chunk for the last JSON record");
    return json_record_end(j, "", 0, 0, out, err);
}

static size_t json_pending(const struct sl_decoder *d)
{
    const struct decoder_json *j = (const struct decoder_json *)d;
    return (size_t)(j->fed - j->rec_start);
}

static void json_resume(struct sl_decoder *d, uint64_t offset)
{
    struct decoder_json *j = (struct decoder_json *)d;
    j->fed = j->rec_start = offset;
    j->partial_len = 0;
}

static void json_destroy(struct sl_decoder *d)
{
    struct decoder_json *j = (struct decoder_json *)d;
    if (j->parser)
        json_parser_destroy(j->parser);
    for (uint32_t i = 0; i < j->ncols; i++) {
        if (j->paths)
            json_path_free(&j->paths[i]);
        if (j->names)
            sl_free(j->names[i]);
    }
    sl_free(j->paths);
    sl_free(j->names);
    sl_free(j->partial);
    sl_free(j);
}

static const struct sl_decoder_ops json_ops = {json_decode, json_finish, json_pending,
                                               json_destroy, json_resume};

static bool json_type_supported(enum sl_type t)
{
    return t == SL_TEXT || t == SL_INT || t == SL_REAL || t == SL_BOOL || t == SL_TIMESTAMP;
}

/* Column i's path: the stream's PATH, or the key of its name. */
static sl_status json_column_path(const struct sl_format_spec *spec, const struct sl_schema *schema,
                                  uint32_t i, struct json_path *out, struct sl_error *err)
{
    const char *text = spec->json_paths && i < spec->njson_paths ? spec->json_paths[i] : NULL;
    if (!text)
        return json_path_key(schema->cols[i].name ? schema->cols[i].name : "", out)
                   ? SL_OK
                   : sl_error_set(err, SL_NOMEM, "out of memory");
    size_t at;
    const char *hint;
    const char *bad = json_path_parse(text, out, &at, &hint);
    if (bad)
        return sl_error_set(err, bad == json_path_nomem ? SL_NOMEM : SL_ERROR,
                            "column \"%s\": JSON path '%s': %s", schema->cols[i].name, text, bad);
    return SL_OK;
}

sl_status decoder_json_create(const struct sl_format_spec *spec, const struct sl_schema *schema,
                              sl_dead_letter_fn dead_letter, void *dead_letter_ctx,
                              struct sl_decoder **out, struct sl_error *err)
{
    if (schema->ncols == 0)
        return sl_error_set(err, SL_ERROR, "FORMAT JSON needs at least one column");
    for (uint32_t i = 0; i < schema->ncols; i++)
        if (!json_type_supported(schema->cols[i].type))
            return sl_error_set(err, SL_ERROR, "column \"%s\": type %s cannot be read from JSON",
                                schema->cols[i].name, sl_type_name(schema->cols[i].type));
    struct decoder_json *j = sl_calloc(1, sizeof *j);
    if (!j)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    j->base.ops = &json_ops;
    j->cast = spec->json_cast;
    j->max_record = spec->max_record_bytes ? spec->max_record_bytes : SL_JSON_MAX_RECORD_BYTES;
    j->dead_letter = dead_letter;
    j->dead_letter_ctx = dead_letter_ctx;
    j->paths = sl_calloc(schema->ncols, sizeof *j->paths);
    j->names = sl_calloc(schema->ncols, sizeof *j->names);
    if (!j->paths || !j->names) {
        json_destroy(&j->base);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    j->ncols = schema->ncols;
    for (uint32_t i = 0; i < schema->ncols; i++) {
        sl_status st = json_column_path(spec, schema, i, &j->paths[i], err);
        const char *name = schema->cols[i].name ? schema->cols[i].name : "";
        if (st == SL_OK && !(j->names[i] = sl_strdup(name)))
            st = sl_error_set(err, SL_NOMEM, "out of memory");
        if (st != SL_OK) {
            json_destroy(&j->base);
            return st;
        }
    }
    if (!(j->parser = json_parser_create(j->paths, j->ncols))) {
        json_destroy(&j->base);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    *out = &j->base;
    return SL_OK;
}

enum { JSON_CAST, JSON_MAX_RECORD_BYTES };

static const char *json_set_option(struct sl_format_spec *spec, size_t i,
                                   const struct sl_option_value *v, const char **hint)
{
    (void)hint;
    switch (i) {
    case JSON_CAST: spec->json_cast = v->num != 0; break;
    case JSON_MAX_RECORD_BYTES: spec->max_record_bytes = (size_t)v->num; break;
    }
    return NULL;
}

static const struct sl_option_def json_options[] = {
    [JSON_CAST] = {"json_cast", SL_OPTION_BOOL, 0, 0, 0, "false",
                   "a value of another JSON type is converted when it can be (\"12\" into a "
                   "BIGINT, a number of seconds into a TIMESTAMP) instead of being a dead letter"},
    [JSON_MAX_RECORD_BYTES] = {"max_record_bytes", SL_OPTION_SIZE, 1, INT64_C(1) << 30,
                               (int64_t)SL_JSON_MAX_RECORD_BYTES, "1048576 (1 MiB)",
                               "a longer line is a dead letter (its first 4 KiB kept) and is "
                               "never held in memory whole"},
};

const struct sl_format format_json = {
    .name = "JSON",
    .kind = SL_FORMAT_JSON,
    .summary = "One JSON object per line; a column is the top-level key of its name "
               "(case-sensitive) or the value at its `PATH '$.a.b[0]'`; a missing key or `null` "
               "is NULL, and a line that is not an object, or a value of the wrong type, goes "
               "to `_sluice_dead_letters`.",
    .options = json_options,
    .noptions = sizeof json_options / sizeof json_options[0],
    .set_option = json_set_option,
};
