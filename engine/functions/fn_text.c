/*
 * fn_text.c — searching and rewriting text: instr(), replace() and
 * split_part(). Numbers are searched in their text form, as SQLite does;
 * positions count characters (UTF-8 code points), not bytes.
 */
#include <string.h>

#include "engine/functions/fn_builtin.h"

/* Code points in the first len bytes of p. */
static int64_t utf8_count(const char *p, size_t len)
{
    int64_t n = 0;
    for (size_t j = 0; j < len; j++)
        n += ((unsigned char)p[j] & 0xC0) != 0x80;
    return n;
}

/* First occurrence of needle (non-empty) in hay[0..len), or NULL; never hands memmem an
 * empty, possibly NULL, haystack. */
static const char *find(const char *hay, size_t len, struct sl_str needle)
{
    return len >= needle.len ? memmem(hay, len, needle.ptr, needle.len) : NULL;
}

static bool text_args_infer(const enum sl_type *arg_types, int nargs, const char *name,
                            char *why, size_t why_len)
{
    return fn_no_arrays(arg_types, nargs, name, why, why_len);
}

static bool instr_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result, char *why,
                        size_t why_len)
{
    *result = SL_INT;
    return text_args_infer(arg_types, nargs, "instr", why, why_len);
}

static sl_status instr_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                           struct sl_value *res)
{
    (void)nargs;
    struct sl_str h, n;
    *res = sl_null();
    if (argv[0].type == SL_NULL || argv[1].type == SL_NULL)
        return SL_OK;
    if (sqlval_text(argv[0], arena, &h) != SL_OK || sqlval_text(argv[1], arena, &n) != SL_OK)
        return SL_NOMEM;
    const char *hit = n.len == 0 ? h.ptr : find(h.ptr, h.len, n);
    *res = fn_int_value(hit ? utf8_count(h.ptr, (size_t)(hit - h.ptr)) + 1 : 0);
    return SL_OK;
}

static sl_status instr_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                            struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "instr", instr_row);
}

/* replace(5, '', 'x') hands back the integer 5 unchanged, so a non-TEXT first argument makes
 * the result type vary per row. */
static bool replace_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result,
                          char *why, size_t why_len)
{
    *result = arg_types[0] == SL_TEXT || arg_types[0] == SL_NULL ? SL_TEXT : SL_ANY;
    return text_args_infer(arg_types, nargs, "replace", why, why_len);
}

static sl_status replace_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                             struct sl_value *res)
{
    (void)nargs;
    struct sl_str s, pat, rep;
    *res = sl_null();
    if (argv[0].type == SL_NULL || argv[1].type == SL_NULL)
        return SL_OK;
    if (sqlval_text(argv[1], arena, &pat) != SL_OK)
        return SL_NOMEM;
    /* SQLite returns the first argument itself before looking at the third, when the pattern
     * is empty as a C string (a NUL byte first counts as empty). */
    if (pat.len == 0 || pat.ptr[0] == '\0') {
        *res = argv[0];
        return SL_OK;
    }
    if (argv[2].type == SL_NULL)
        return SL_OK;
    if (sqlval_text(argv[0], arena, &s) != SL_OK || sqlval_text(argv[2], arena, &rep) != SL_OK)
        return SL_NOMEM;
    if (s.len == 0) { /* its pointer may be NULL: no arithmetic on it */
        *res = fn_text_value("", 0);
        return SL_OK;
    }
    size_t hits = 0;
    for (const char *p = s.ptr, *end = s.ptr + s.len;
         (p = find(p, (size_t)(end - p), pat)) != NULL; p += pat.len)
        hits++;
    if (hits == 0) {
        *res = fn_text_value(s.ptr, s.len);
        return SL_OK;
    }
    size_t len = s.len - hits * pat.len + hits * rep.len;
    char *o = arena_alloc(arena, len ? len : 1);
    if (!o)
        return SL_NOMEM;
    const char *p = s.ptr, *end = s.ptr + s.len, *hit;
    size_t at = 0;
    while ((hit = find(p, (size_t)(end - p), pat)) != NULL) {
        memcpy(o + at, p, (size_t)(hit - p));
        at += (size_t)(hit - p);
        memcpy(o + at, rep.ptr, rep.len);
        at += rep.len;
        p = hit + pat.len;
    }
    memcpy(o + at, p, (size_t)(end - p));
    *res = fn_text_value(o, len);
    return SL_OK;
}

static sl_status replace_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                              struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "replace", replace_row);
}

static bool split_part_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result,
                             char *why, size_t why_len)
{
    *result = SL_TEXT;
    return text_args_infer(arg_types, nargs, "split_part", why, why_len);
}

/*
 * PostgreSQL's split_part: field n (1-based; negative counts from the end)
 * of s cut at every sep; '' past the last field; an empty sep leaves one
 * field. Field 0, an error in PostgreSQL, is NULL here (a row never fails).
 */
static sl_status split_part_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                                struct sl_value *res)
{
    (void)nargs;
    struct sl_str s, sep;
    *res = sl_null();
    if (argv[0].type == SL_NULL || argv[1].type == SL_NULL || argv[2].type == SL_NULL)
        return SL_OK;
    int64_t n = fn_int_of(argv[2]);
    if (n == 0)
        return SL_OK;
    if (sqlval_text(argv[0], arena, &s) != SL_OK || sqlval_text(argv[1], arena, &sep) != SL_OK)
        return SL_NOMEM;
    if (s.len == 0) { /* its pointer may be NULL: no arithmetic on it */
        *res = fn_text_value("", 0);
        return SL_OK;
    }
    int64_t fields = 1;
    const char *end = s.ptr + s.len;
    if (sep.len > 0) {
        for (const char *p = s.ptr; (p = find(p, (size_t)(end - p), sep)) != NULL;
             p += sep.len)
            fields++;
    }
    if (n < 0)
        n = n < -fields ? 0 : fields + n + 1;
    *res = fn_text_value(s.ptr, 0);
    if (n == 0 || n > fields)
        return SL_OK;
    const char *start = s.ptr;
    for (int64_t f = 1; f < n; f++)
        start = find(start, (size_t)(end - start), sep) + sep.len;
    const char *stop = sep.len ? find(start, (size_t)(end - start), sep) : NULL;
    *res = fn_text_value(start, (size_t)((stop ? stop : end) - start));
    return SL_OK;
}

static sl_status split_part_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                                 struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "split_part", split_part_row);
}

const struct sl_scalar_fn fn_instr = {"instr", 2, 2, instr_infer, instr_eval};
const struct sl_scalar_fn fn_replace = {"replace", 3, 3, replace_infer, replace_eval};
const struct sl_scalar_fn fn_split_part = {"split_part", 3, 3, split_part_infer, split_part_eval};
