/*
 * fn_trim.c — ltrim(), rtrim(), trim() with an optional set of characters
 * to remove (default: the space). The set is a set of UTF-8 characters, not
 * bytes, as in SQLite: trim('éaé', 'é') is 'a'. As SQLite does, the set is
 * read as a C string (up to a NUL byte) cut into characters, and each end of
 * the text loses the set's characters as byte strings while one of them is
 * there, so malformed UTF-8 trims as in SQLite too. The result is a view
 * into the argument's text (no copy).
 */
#include <string.h>

#include "engine/functions/fn_builtin.h"

enum { TRIM_LEFT = 1, TRIM_RIGHT = 2 };

/* Bytes of the first character of set found at the start (at_end: at the end) of p[0..len),
 * or 0 when none is. */
static size_t set_match(struct sl_str set, const char *p, size_t len, bool at_end)
{
    if (set.len == 0) /* its pointer may be NULL: no arithmetic on it */
        return 0;
    const char *c = set.ptr, *end = set.ptr + set.len;
    while (c < end) {
        const char *next = fn_utf8_next(c, end);
        size_t n = (size_t)(next - c);
        if (n <= len && memcmp(at_end ? p + len - n : p, c, n) == 0)
            return n;
        c = next;
    }
    return 0;
}

static bool trim_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result, char *why,
                       size_t why_len)
{
    *result = SL_TEXT;
    return fn_no_arrays(arg_types, nargs, "trim", why, why_len);
}

static sl_status trim_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                          struct sl_value *res, int sides)
{
    struct sl_str s, set = {" ", 1};
    *res = sl_null();
    if (argv[0].type == SL_NULL || (nargs > 1 && argv[1].type == SL_NULL))
        return SL_OK;
    if (sqlval_text(argv[0], arena, &s) != SL_OK ||
        (nargs > 1 && sqlval_text(argv[1], arena, &set) != SL_OK))
        return SL_NOMEM;
    set = sqlval_c_str(set);
    const char *p = s.ptr;
    size_t len = s.len, n;
    while ((sides & TRIM_LEFT) && len > 0 && (n = set_match(set, p, len, false)) > 0)
        p += n, len -= n;
    while ((sides & TRIM_RIGHT) && len > 0 && (n = set_match(set, p, len, true)) > 0)
        len -= n;
    *res = fn_text_value(p, len);
    return SL_OK;
}

static sl_status ltrim_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                           struct sl_value *res)
{
    return trim_row(argv, nargs, arena, res, TRIM_LEFT);
}

static sl_status rtrim_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                           struct sl_value *res)
{
    return trim_row(argv, nargs, arena, res, TRIM_RIGHT);
}

static sl_status both_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                          struct sl_value *res)
{
    return trim_row(argv, nargs, arena, res, TRIM_LEFT | TRIM_RIGHT);
}

static sl_status ltrim_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                            struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "ltrim", ltrim_row);
}

static sl_status rtrim_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                            struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "rtrim", rtrim_row);
}

static sl_status trim_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                           struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "trim", both_row);
}

const struct sl_scalar_fn fn_ltrim = {"ltrim", 1, 2, trim_infer, ltrim_eval};
const struct sl_scalar_fn fn_rtrim = {"rtrim", 1, 2, trim_infer, rtrim_eval};
const struct sl_scalar_fn fn_trim = {"trim", 1, 2, trim_infer, trim_eval};
