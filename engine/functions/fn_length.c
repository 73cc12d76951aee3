/* fn_length.c — length(): characters of text (UTF-8 code points, counted as SQLite steps
 * through them, up to the first NUL byte as SQLite's C-string reading stops there), of a
 * number's text form. */
#include "engine/functions/fn_builtin.h"
#include "engine/values/rowsel.h"

static bool length_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result, char *why,
                         size_t why_len)
{
    (void)nargs;
    if (arg_types[0] == SL_ARRAY) {
        fn_type_error(why, why_len, "length", "TEXT or a number", arg_types[0]);
        return false;
    }
    *result = SL_INT;
    return true;
}

static int64_t utf8_chars(struct sl_str s)
{
    s = sqlval_c_str(s);
    int64_t n = 0;
    if (s.len == 0) /* its pointer may be NULL: no arithmetic on it */
        return 0;
    for (const char *p = s.ptr, *end = s.ptr + s.len; p < end; p = fn_utf8_next(p, end))
        n++;
    return n;
}

static sl_status length_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                             struct sl_vector *out, struct sl_error *err)
{
    (void)nargs;
    const uint8_t *nulls;
    const struct sl_str *in = fn_texts(&args[0], rows, &nulls);
    if (!in)
        return sl_error_set(err, SL_NOMEM, "out of memory in length()");
    const uint32_t *sel = rowsel_of(rows);
    uint32_t n = chunk_active(rows);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = sel[k];
        out->nulls[i] = nulls[i];
        out->data.i[i] = nulls[i] ? 0 : utf8_chars(in[i]);
    }
    return SL_OK;
}

const struct sl_scalar_fn fn_length = {"length", 1, 1, length_infer, length_eval};
