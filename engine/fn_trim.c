/*
 * fn_trim.c — ltrim(), rtrim(), trim() with an optional set of characters
 * to remove (default: the space). The set is a set of UTF-8 characters, not
 * bytes, as in SQLite: trim('éaé', 'é') is 'a'. The result is a view into
 * the argument's text (no copy).
 */
#include <string.h>

#include "engine/fn_builtin.h"

enum { TRIM_LEFT = 1, TRIM_RIGHT = 2 };

/* Bytes of the UTF-8 character starting at p[0] (its lead byte and continuation bytes). */
static size_t char_len(const char *p, size_t avail)
{
    size_t n = 1;
    while (n < avail && ((unsigned char)p[n] & 0xC0) == 0x80)
        n++;
    return n;
}

/* Bytes of the UTF-8 character ending at p[len - 1]. */
static size_t last_char_len(const char *p, size_t len)
{
    size_t n = 1;
    while (n < len && ((unsigned char)p[len - n] & 0xC0) == 0x80)
        n++;
    return n;
}

/* Whether the character c (clen bytes) is one of the characters of set. */
static bool in_set(const char *c, size_t clen, struct sl_str set)
{
    for (size_t j = 0; j < set.len;) {
        size_t n = char_len(set.ptr + j, set.len - j);
        if (n == clen && memcmp(set.ptr + j, c, n) == 0)
            return true;
        j += n;
    }
    return false;
}

static bool trim_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result, char *why,
                       size_t why_len)
{
    *result = SL_TEXT;
    return fn_no_arrays(arg_types, nargs, "trim", why, why_len);
}

static bool trim_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                     struct sl_value *res, int sides)
{
    struct sl_str s, set = {" ", 1};
    *res = sl_null();
    if (argv[0].type == SL_NULL || (nargs > 1 && argv[1].type == SL_NULL))
        return true;
    if (!sqlval_text(argv[0], arena, &s) || (nargs > 1 && !sqlval_text(argv[1], arena, &set)))
        return false;
    const char *p = s.ptr;
    size_t len = s.len;
    while ((sides & TRIM_LEFT) && len > 0) {
        size_t n = char_len(p, len);
        if (!in_set(p, n, set))
            break;
        p += n, len -= n;
    }
    while ((sides & TRIM_RIGHT) && len > 0) {
        size_t n = last_char_len(p, len);
        if (!in_set(p + len - n, n, set))
            break;
        len -= n;
    }
    *res = fn_text_value(p, len);
    return true;
}

static bool ltrim_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                      struct sl_value *res)
{
    return trim_row(argv, nargs, arena, res, TRIM_LEFT);
}

static bool rtrim_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                      struct sl_value *res)
{
    return trim_row(argv, nargs, arena, res, TRIM_RIGHT);
}

static bool both_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
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
