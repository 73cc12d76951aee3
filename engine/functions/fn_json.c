/*
 * fn_json.c — json_extract(json, path) (and x ->> path) with SQLite's results: the value at
 * the path as an SQL value (numbers INTEGER or REAL, strings TEXT, true and
 * false 1 and 0, null NULL, objects and arrays as minified JSON text), NULL
 * when the path leads nowhere. Paths: "$", then ".key", ."quoted key",
 * "[N]", "[#]" and "[#-N]" steps. The JSON is parsed by jansson; where
 * SQLite raises an error (malformed JSON, a malformed path) a row cannot
 * fail, so the result is NULL. An object or array is rendered again from
 * the parsed values (SQLite copies its source text): the same text when the
 * source is minified with numbers in their shortest form. x -> path gives
 * the element's JSON text whatever its kind ('"a"', '1', 'null').
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "engine/functions/fn_builtin.h"

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Follows path p[0..n) (after the '$') from v; NULL when it leads nowhere or is
 * malformed. */
static json_t *follow(json_t *v, const char *p, size_t n)
{
    size_t i = 0;
    while (v && i < n) {
        if (p[i] == '.') {
            const char *key;
            size_t len;
            i++;
            if (i < n && p[i] == '"') {
                size_t end = i + 1;
                while (end < n && p[end] != '"')
                    end++;
                if (end >= n)
                    return NULL;
                key = p + i + 1;
                len = end - i - 1;
                i = end + 1;
            } else {
                size_t end = i;
                while (end < n && p[end] != '.' && p[end] != '[')
                    end++;
                if (end == i)
                    return NULL;
                key = p + i;
                len = end - i;
                i = end;
            }
            v = json_is_object(v) ? json_object_getn(v, key, len) : NULL;
        } else if (p[i] == '[') {
            if (!json_is_array(v))
                return NULL;
            size_t size = json_array_size(v), index = 0, j = i + 1;
            if (j < n && p[j] == '#') {
                /* [#] is one past the end; [#-N] counts back from there. */
                size_t back = 0;
                j++;
                if (j + 1 < n && p[j] == '-' && is_digit(p[j + 1])) {
                    for (j++; j < n && is_digit(p[j]); j++)
                        back = back * 10 + (size_t)(p[j] - '0');
                    if (back > size)
                        return NULL;
                }
                index = size - back;
            } else {
                if (j >= n || !is_digit(p[j]))
                    return NULL;
                /* Once past the end the index need not grow further (nor overflow). */
                for (; j < n && is_digit(p[j]); j++)
                    if (index <= size)
                        index = index * 10 + (size_t)(p[j] - '0');
            }
            if (j >= n || p[j] != ']')
                return NULL;
            i = j + 1;
            v = index < size ? json_array_get(v, index) : NULL;
        } else {
            return NULL;
        }
    }
    return v;
}

static void put_string(struct sl_buf *b, const char *s, size_t n)
{
    buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = c == '"'    ? "\\\""
                          : c == '\\' ? "\\\\"
                          : c == '\n' ? "\\n"
                          : c == '\r' ? "\\r"
                          : c == '\t' ? "\\t"
                          : c == '\b' ? "\\b"
                          : c == '\f' ? "\\f"
                                      : NULL;
        if (esc)
            buf_puts(b, esc);
        else if (c < 0x20)
            buf_printf(b, "\\u%04x", c);
        else
            buf_putc(b, (char)c);
    }
    buf_putc(b, '"');
}

/* Minified JSON text of v; reals in the fewest digits that read back the same.
 */
static void render(const json_t *v, struct sl_buf *b)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        size_t klen;
        json_t *item;
        bool first = true;
        buf_putc(b, '{');
        json_object_keylen_foreach((json_t *)v, key, klen, item)
        {
            if (!first)
                buf_putc(b, ',');
            first = false;
            put_string(b, key, klen);
            buf_putc(b, ':');
            render(item, b);
        }
        buf_putc(b, '}');
        break;
    }
    case JSON_ARRAY:
        buf_putc(b, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                buf_putc(b, ',');
            render(json_array_get(v, i), b);
        }
        buf_putc(b, ']');
        break;
    case JSON_STRING: put_string(b, json_string_value(v), json_string_length(v)); break;
    case JSON_INTEGER: buf_printf(b, "%lld", (long long)json_integer_value(v)); break;
    case JSON_REAL: {
        char text[40];
        double r = json_real_value(v);
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(text, sizeof text, "%.*g", prec, r);
            if (strtod(text, NULL) == r)
                break;
        }
        buf_puts(b, text);
        /* Still a real when read back: 100.0, not 100. */
        if (!strpbrk(text, ".e"))
            buf_puts(b, ".0");
        break;
    }
    case JSON_TRUE: buf_puts(b, "true"); break;
    case JSON_FALSE: buf_puts(b, "false"); break;
    case JSON_NULL:
    default: buf_puts(b, "null"); break;
    }
}

/* JSON text of v (any kind: "x", 1, null, ...) copied into arena. */
static sl_status json_text(const json_t *v, struct sl_arena *arena, struct sl_value *res)
{
    struct sl_buf b;
    buf_init(&b);
    render(v, &b);
    char *p = b.failed ? NULL : arena_memdup(arena, buf_str(&b), b.len ? b.len : 1);
    size_t len = b.len;
    buf_free(&b);
    if (!p)
        return SL_NOMEM;
    *res = fn_text_value(p, len);
    return SL_OK;
}

/* The SQL value of JSON value v; strings and JSON text are copied into arena.
 */
static sl_status sql_value(const json_t *v, struct sl_arena *arena, struct sl_value *res)
{
    switch (json_typeof(v)) {
    case JSON_INTEGER: *res = fn_int_value(json_integer_value(v)); return SL_OK;
    case JSON_REAL: *res = fn_real_value(json_real_value(v)); return SL_OK;
    case JSON_TRUE: *res = fn_int_value(1); return SL_OK;
    case JSON_FALSE: *res = fn_int_value(0); return SL_OK;
    case JSON_NULL: *res = sl_null(); return SL_OK;
    case JSON_STRING: {
        size_t len = json_string_length(v);
        char *p = arena_memdup(arena, json_string_value(v), len ? len : 1);
        if (!p)
            return SL_NOMEM;
        *res = fn_text_value(p, len);
        return SL_OK;
    }
    case JSON_OBJECT:
    case JSON_ARRAY:
    default: return json_text(v, arena, res);
    }
}

static bool json_extract_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result,
                               char *why, size_t why_len)
{
    *result = SL_ANY;
    return fn_no_arrays(arg_types, nargs, "json_extract", why, why_len);
}

/* The element of argv[0] at path argv[1], as an SQL value (json_extract, ->>) or as
 * JSON text (->); NULL when there is none. */
static sl_status extract_row(const struct sl_value *argv, bool as_json, struct sl_arena *arena,
                             struct sl_value *res)
{
    struct sl_str doc, path;
    *res = sl_null();
    if (argv[0].type == SL_NULL || argv[1].type == SL_NULL)
        return SL_OK;
    if (sqlval_text(argv[0], arena, &doc) != SL_OK || sqlval_text(argv[1], arena, &path) != SL_OK)
        return SL_NOMEM;
    if (path.len == 0 || path.ptr[0] != '$')
        return SL_OK;
    json_error_t error;
    json_t *root = json_loadb(doc.ptr, doc.len, JSON_DECODE_ANY, &error);
    if (!root)
        return SL_OK;
    const json_t *v = follow(root, path.ptr + 1, path.len - 1);
    sl_status st = !v ? SL_OK : as_json ? json_text(v, arena, res) : sql_value(v, arena, res);
    json_decref(root);
    return st;
}

static sl_status json_extract_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                                  struct sl_value *res)
{
    (void)nargs;
    return extract_row(argv, false, arena, res);
}

static sl_status json_extract_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                                   struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "json_extract", json_extract_row);
}

const struct sl_scalar_fn fn_json_extract = {"json_extract", 2, 2, json_extract_infer,
                                             json_extract_eval};

static bool json_arrow_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result,
                             char *why, size_t why_len)
{
    *result = SL_TEXT;
    for (int a = 0; a < nargs; a++) {
        if (arg_types[a] == SL_ARRAY) {
            snprintf(why, why_len, "operator -> cannot be applied to ARRAY");
            return false;
        }
    }
    return true;
}

static sl_status json_arrow_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                                struct sl_value *res)
{
    (void)nargs;
    return extract_row(argv, true, arena, res);
}

static sl_status json_arrow_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                                 struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "->", json_arrow_row);
}

/* x -> path (SQLite 3.38+): the element's JSON text, NULL when there is none. Reached
 * only through the operator (function_operator), as SQLite names its function "->". */
const struct sl_scalar_fn fn_json_arrow = {"->", 2, 2, json_arrow_infer, json_arrow_eval};
