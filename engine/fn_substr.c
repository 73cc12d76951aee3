/*
 * fn_substr.c — substr(x, start[, length]) and its alias substring(),
 * counting UTF-8 characters with SQLite's conventions: start is 1-based,
 * a negative start counts from the end, start 0 is a position before the
 * first character (it uses up one of length), and a negative length takes
 * the characters before start. Numbers are cut in their text form. The
 * result is a view into the argument's text (no copy).
 */
#include "engine/fn_builtin.h"

/* Far beyond any text length (texts hold < 2^32 bytes), small enough that sums never overflow. */
#define SUBSTR_FAR (INT64_C(1) << 40)

static int64_t clamp_far(int64_t v)
{
    return v > SUBSTR_FAR ? SUBSTR_FAR : v < -SUBSTR_FAR ? -SUBSTR_FAR : v;
}

/* Byte offset of character number `chars` (0-based) of s, or s.len past the end. */
static uint32_t char_offset(struct sl_str s, int64_t chars)
{
    uint32_t j = 0;
    for (; j < s.len; j++) {
        if (((unsigned char)s.ptr[j] & 0xC0) != 0x80 && chars-- == 0)
            break;
    }
    return j;
}

static bool substr_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result,
                         char *why, size_t why_len)
{
    *result = SL_TEXT;
    return fn_no_arrays(arg_types, nargs, "substr", why, why_len);
}

static bool substr_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                       struct sl_value *res)
{
    struct sl_str s;
    *res = sl_null();
    for (int a = 0; a < nargs; a++)
        if (argv[a].type == SL_NULL)
            return true;
    if (!sqlval_text(argv[0], arena, &s))
        return false;
    if (s.len == 0) { /* its pointer may be NULL: no arithmetic on it */
        *res = fn_text_value("", 0);
        return true;
    }
    int64_t chars = 0;
    for (uint32_t j = 0; j < s.len; j++)
        chars += ((unsigned char)s.ptr[j] & 0xC0) != 0x80;
    int64_t from = clamp_far(fn_int_of(argv[1]));
    int64_t count = nargs > 2 ? clamp_far(fn_int_of(argv[2])) : SUBSTR_FAR;
    bool backwards = count < 0;
    if (backwards)
        count = -count;
    if (from < 0) {
        from += chars;
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
    int64_t to = from + count > chars ? chars : from + count;
    uint32_t b0 = char_offset(s, from);
    uint32_t b1 = to > from ? b0 + char_offset((struct sl_str){s.ptr + b0, s.len - b0}, to - from)
                            : b0;
    *res = fn_text_value(s.ptr + b0, b1 - b0);
    return true;
}

static sl_status substr_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                             struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "substr", substr_row);
}

const struct sl_scalar_fn fn_substr = {"substr", 2, 3, substr_infer, substr_eval};
const struct sl_scalar_fn fn_substring = {"substring", 2, 3, substr_infer, substr_eval};
