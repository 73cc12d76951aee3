/*
 * decoder_json.c — FORMAT JSON: one JSON object per line ("\n" or "\r\n";
 * blank lines are skipped). Each column is the value at its path (the
 * top-level key of its name unless the stream gave a PATH), converted by
 * json_convert.c; the JSON itself is parsed by json_backend.h's parser.
 * The input is cut into lines by decoder_lines.c (which also makes a line
 * over max_record_bytes a dead letter); every other record that gives no
 * row is a dead letter with its raw bytes, its offset and its reason.
 */
#include "connectors/decoder_impl.h"
#include "connectors/registry.h"

#include <string.h>

#include "common/alloc.h"
#include "connectors/decoder_lines.h"
#include "connectors/json_backend.h"
#include "connectors/json_convert.h"

struct decoder_json {
    struct sl_decoder base;
    struct json_parser *parser;
    struct json_path *paths; /* one per column */
    char **names;
    uint32_t ncols;
    bool cast;
    struct decoder_lines lines;
};

static bool is_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return false;
    return true;
}

/* One complete record (a line without its '\n') into row out->count, or a dead letter. */
static sl_status json_record(void *format, const char *rec, size_t len, uint64_t offset,
                             bool in_data, struct sl_chunk *out, struct sl_error *err)
{
    struct decoder_json *j = format;
    (void)in_data; /* json_convert copies every string into out->arena */
    if (len && rec[len - 1] == '\r')
        len--;
    if (is_blank(rec, len))
        return SL_OK;
    char reason[512];
    enum json_parse_result parsed = json_parser_parse(j->parser, rec, len, reason, sizeof reason);
    if (parsed == JSON_NOMEM)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    if (parsed == JSON_REFUSED) {
        lines_dead_letter(&j->lines, rec, len, offset, reason);
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
            lines_dead_letter(&j->lines, rec, len, offset, reason);
            return SL_OK;
        }
    }
    out->count++;
    return SL_OK;
}

static sl_status json_decode(struct sl_decoder *d, const char *data, size_t len, size_t *consumed,
                             struct sl_chunk *out, struct sl_error *err)
{
    return lines_decode(&((struct decoder_json *)d)->lines, data, len, consumed, out, err);
}

static sl_status json_finish(struct sl_decoder *d, struct sl_chunk *out, struct sl_error *err)
{
    return lines_finish(&((struct decoder_json *)d)->lines, out, err);
}

static size_t json_pending(const struct sl_decoder *d)
{
    return lines_pending(&((const struct decoder_json *)d)->lines);
}

static void json_resume(struct sl_decoder *d, uint64_t offset)
{
    lines_resume(&((struct decoder_json *)d)->lines, offset);
}

static void json_skip(struct sl_decoder *d, size_t n)
{
    lines_skip(&((struct decoder_json *)d)->lines, n);
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
    lines_free(&j->lines);
    sl_free(j);
}

static const struct sl_decoder_ops json_ops = {json_decode,  json_finish, json_pending,
                                               json_destroy, json_resume, json_skip};

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
    lines_init(&j->lines, spec, dead_letter, dead_letter_ctx, json_record, j);
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
    [JSON_MAX_RECORD_BYTES] = SL_MAX_RECORD_BYTES_OPTION,
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
