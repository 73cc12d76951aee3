/*
 * fn_substr.c — substr(x, start[, length]) and its alias substring(),
 * counting characters with SQLite's conventions: start is 1-based, a
 * negative start counts from the end, start 0 is a position before the
 * first character (it uses up one of length), and a negative length takes
 * the characters before start. As in SQLite, start and length are read as
 * 32-bit ints (substr(x, 4294967298) starts at 2), the text ends at its
 * first NUL byte, and a character is a byte >= 0xC0 with the continuation
 * bytes after it or any other single byte. Numbers are cut in their text
 * form. The result is a view into the argument's text (no copy).
 */
#include "engine/functions/fn_builtin.h"

/* SQLite's default SQLITE_LIMIT_LENGTH: the length substr() takes when none is given. */
#define SUBSTR_ALL 1000000000

static bool substr_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result,
                         char *why, size_t why_len)
{
    *result = SL_TEXT;
    return fn_no_arrays(arg_types, nargs, "substr", why, why_len);
}

static sl_status substr_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                            struct sl_value *res)
{
    struct sl_str s;
    *res = sl_null();
    for (int a = 0; a < nargs; a++)
        if (argv[a].type == SL_NULL)
            return SL_OK;
    if (sqlval_text(argv[0], arena, &s) != SL_OK)
        return SL_NOMEM;
    if (s.len == 0) { /* its pointer may be NULL: no arithmetic on it */
        *res = fn_text_value("", 0);
        return SL_OK;
    }
    s = sqlval_c_str(s);
    const char *p = s.ptr, *end = s.ptr + s.len;
    int64_t from = fn_int32_of(argv[1]);
    int64_t count = nargs > 2 ? fn_int32_of(argv[2]) : SUBSTR_ALL;
    bool backwards = count < 0;
    if (backwards)
        count = -count;
    if (from < 0) {
        for (const char *q = p; q < end; q = fn_utf8_next(q, end))
            from++;
        if (from < 0) {
            count = count + from < 0 ? 0 : count + from;
            from = 0;
        }
    } else if (from > 0) {
        from--;
    } else if (count > 0) {
        count--;
    }
    if (backwards) {
        from -= count;
        if (from < 0) {
            count += from;
            from = 0;
        }
    }
    for (; p < end && from > 0; from--)
        p = fn_utf8_next(p, end);
    const char *q = p;
    for (; q < end && count > 0; count--)
        q = fn_utf8_next(q, end);
    *res = fn_text_value(p, (size_t)(q - p));
    return SL_OK;
}

static sl_status substr_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                             struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "substr", substr_row);
}

const struct sl_scalar_fn fn_substr = {"substr", 2, 3, substr_infer, substr_eval};
const struct sl_scalar_fn fn_substring = {"substring", 2, 3, substr_infer, substr_eval};
