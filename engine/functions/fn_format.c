/*
 * fn_format.c — functions about a value's representation: typeof(),
 * hex(), quote(), char() and unicode(). A BOOLEAN is an integer and a
 * TIMESTAMP is the ISO-8601 text the result tables hold, as SQLite sees them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "engine/functions/fn_builtin.h"

static bool text_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result, char *why,
                       size_t why_len)
{
    *result = SL_TEXT;
    return fn_no_arrays(arg_types, nargs, "this function", why, why_len);
}

static sl_status typeof_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                            struct sl_value *res)
{
    (void)nargs, (void)arena;
    const char *name = "text";
    switch (argv[0].type) {
    case SL_NULL: name = "null"; break;
    case SL_BOOL:
    case SL_INT: name = "integer"; break;
    case SL_REAL: name = "real"; break;
    default: break;
    }
    *res = fn_text_value(name, strlen(name));
    return SL_OK;
}

static sl_status typeof_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                             struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "typeof", typeof_row);
}

/* Upper-case hex of the bytes of the value's text form; hex(NULL) is ''. */
static sl_status hex_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                         struct sl_value *res)
{
    (void)nargs;
    static const char digits[] = "0123456789ABCDEF";
    struct sl_str s = {"", 0};
    if (argv[0].type != SL_NULL && sqlval_text(argv[0], arena, &s) != SL_OK)
        return SL_NOMEM;
    char *o = arena_alloc(arena, 2 * (size_t)s.len + 1);
    if (!o)
        return SL_NOMEM;
    for (uint32_t j = 0; j < s.len; j++) {
        o[2 * j] = digits[(unsigned char)s.ptr[j] >> 4];
        o[2 * j + 1] = digits[(unsigned char)s.ptr[j] & 15];
    }
    *res = fn_text_value(o, 2 * (size_t)s.len);
    return SL_OK;
}

static sl_status hex_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                          struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "hex", hex_row);
}

/* A real as SQLite's quote() writes it: %!.15g when that reads back (by SQLite's conversion)
 * as the same double, otherwise %!.20e (every digit SQLite's printf produces). */
static size_t quote_real(double r, char *buf)
{
    size_t n = fn_format_real(r, 'g', 15, false, true, 0, buf);
    if (fn_sqlite_atof(buf, n) == r)
        return n;
    return fn_format_real(r, 'e', 20, false, true, 0, buf);
}

/* The value as an SQL literal: NULL, a number, or text (up to a NUL byte) in quotes with '
 * doubled. */
static sl_status quote_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                           struct sl_value *res)
{
    (void)nargs;
    struct sl_value x = argv[0];
    if (x.type == SL_NULL) {
        *res = fn_text_value("NULL", 4);
        return SL_OK;
    }
    if (x.type == SL_REAL) {
        char buf[FN_REAL_TEXT_MAX + 32];
        size_t n = quote_real(x.u.r, buf);
        char *o = arena_memdup(arena, buf, n);
        *res = fn_text_value(o, n);
        return o ? SL_OK : SL_NOMEM;
    }
    struct sl_str s;
    if (sqlval_text(x, arena, &s) != SL_OK)
        return SL_NOMEM;
    if (x.type == SL_INT) {
        *res = fn_text_value(s.ptr, s.len);
        return SL_OK;
    }
    s = sqlval_c_str(s); /* SQLite quotes text with %Q, which stops at a NUL byte */
    size_t quotes = 0;
    for (uint32_t j = 0; j < s.len; j++)
        quotes += s.ptr[j] == '\'';
    char *o = arena_alloc(arena, s.len + quotes + 2), *q = o;
    if (!o)
        return SL_NOMEM;
    *q++ = '\'';
    for (uint32_t j = 0; j < s.len; j++) {
        *q++ = s.ptr[j];
        if (s.ptr[j] == '\'')
            *q++ = '\'';
    }
    *q++ = '\'';
    *res = fn_text_value(o, (size_t)(q - o));
    return SL_OK;
}

static sl_status quote_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                            struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "quote", quote_row);
}

/* The characters with these code points; NULL reads as 0, a number outside 0..0x10FFFF as
 * U+FFFD. */
static sl_status char_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                          struct sl_value *res)
{
    char *o = arena_alloc(arena, 4 * (size_t)nargs + 1);
    if (!o)
        return SL_NOMEM;
    size_t n = 0;
    for (int a = 0; a < nargs; a++) {
        int64_t c = fn_int_of(argv[a]);
        n += sl_utf8_put(c < 0 || c > 0x10FFFF ? 0xFFFD : (uint32_t)c, o + n);
    }
    *res = fn_text_value(o, n);
    return SL_OK;
}

static sl_status char_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                           struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "char", char_row);
}

static bool unicode_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result,
                          char *why, size_t why_len)
{
    *result = SL_INT;
    return fn_no_arrays(arg_types, nargs, "unicode", why, why_len);
}

/* Code point of the first character; malformed or overlong sequences, surrogates and
 * U+FFFE/U+FFFF read as U+FFFD, as in SQLite. NULL for NULL, '' or a NUL byte first. */
static sl_status unicode_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                             struct sl_value *res)
{
    (void)nargs;
    struct sl_str s;
    *res = sl_null();
    if (argv[0].type == SL_NULL)
        return SL_OK;
    if (sqlval_text(argv[0], arena, &s) != SL_OK)
        return SL_NOMEM;
    s = sqlval_c_str(s); /* SQLite reads it as a C string: a NUL first is no character */
    if (s.len == 0)
        return SL_OK;
    const unsigned char *p = (const unsigned char *)s.ptr;
    uint32_t c = p[0];
    if (c >= 0xC0) {
        c = c >= 0xFE ? 0 : c >= 0xFC ? c & 0x01 : c >= 0xF8 ? c & 0x03 : c >= 0xF0 ? c & 0x07
            : c >= 0xE0 ? c & 0x0F : c & 0x1F;
        for (uint32_t j = 1; j < s.len && (p[j] & 0xC0) == 0x80; j++)
            c = (c << 6) + (p[j] & 0x3F);
        if (c < 0x80 || (c & 0xFFFFF800) == 0xD800 || (c & 0xFFFFFFFE) == 0xFFFE)
            c = 0xFFFD;
    }
    *res = fn_int_value(c);
    return SL_OK;
}

static sl_status unicode_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                              struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "unicode", unicode_row);
}

const struct sl_scalar_fn fn_typeof = {"typeof", 1, 1, text_infer, typeof_eval};
const struct sl_scalar_fn fn_hex = {"hex", 1, 1, text_infer, hex_eval};
const struct sl_scalar_fn fn_quote = {"quote", 1, 1, text_infer, quote_eval};
const struct sl_scalar_fn fn_char = {"char", 0, -1, text_infer, char_eval};
const struct sl_scalar_fn fn_unicode = {"unicode", 1, 1, unicode_infer, unicode_eval};
