/* fn_length.c — length(): characters of text (UTF-8 code points, as SQLite counts), of a number's
 * text form. */
#include "engine/fn_builtin.h"
#include "engine/rowsel.h"

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

/* Code points: every byte that is not a UTF-8 continuation byte starts one. */
static int64_t utf8_chars(struct sl_str s)
{
    const unsigned char *p = (const unsigned char *)s.ptr;
    int64_t n = 0;
    for (uint32_t j = 0; j < s.len; j++)
        n += (p[j] & 0xC0) != 0x80;
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
