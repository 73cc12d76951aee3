/*
 * decode_jsonc.c — decode_bench's json-c path: one reused json_tokener,
 * strict and checking UTF-8 as jansson and the scanner do, one tree per
 * line, then a lookup per column. Built only when libjson-c-dev is there.
 */
#include <json-c/json.h>

#include "decode_bench.h"

static void row_jsonc(void *ctx, const char *line, size_t len, struct sink *s)
{
    json_tokener *tok = ctx;
    json_tokener_reset(tok);
    json_object *o = json_tokener_parse_ex(tok, line, (int)len);
    uint32_t row = s->chunk->count;
    bool ok = o && json_tokener_get_error(tok) == json_tokener_success &&
              json_tokener_get_parse_end(tok) == len && json_object_is_type(o, json_type_object);
    for (int i = 0; ok && i < NCOLS; i++) {
        json_object *v = NULL;
        struct sl_vector *vec = &s->chunk->cols[i];
        vec->nulls[row] = !json_object_object_get_ex(o, col_names[i], &v) || !v;
        if (vec->nulls[row])
            continue;
        if (col_types[i] == SL_INT) {
            ok = json_object_is_type(v, json_type_int);
            vec->data.i[row] = ok ? json_object_get_int64(v) : 0;
        } else {
            ok = json_object_is_type(v, json_type_string) &&
                 put_owned_string(s, i, json_object_get_string(v),
                                  (size_t)json_object_get_string_len(v));
        }
    }
    s->chunk->count += ok;
    s->rejected += !ok;
    json_object_put(o);
}
void decode_jsonc(const struct text *in, struct sink *s)
{
    json_tokener *tok = json_tokener_new();
    if (!tok)
        fail("json-c", "out of memory");
    /* Strict RFC 8259 and UTF-8 checked, as jansson and the scanner do. */
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    each_line(in, s, row_jsonc, tok);
    json_tokener_free(tok);
}
