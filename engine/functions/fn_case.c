/* fn_case.c — lower() and upper(): ASCII-only case mapping, as SQLite's built-ins do. */
#include <string.h>

#include "engine/functions/fn_builtin.h"
#include "engine/values/rowsel.h"

static bool case_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result, char *why,
                       size_t why_len, const char *name)
{
    (void)nargs;
    if (arg_types[0] == SL_ARRAY) {
        fn_type_error(why, why_len, name, "TEXT", arg_types[0]);
        return false;
    }
    *result = SL_TEXT;
    return true;
}

static bool lower_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result, char *why,
                        size_t why_len)
{
    return case_infer(arg_types, nargs, result, why, why_len, "lower");
}

static bool upper_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result, char *why,
                        size_t why_len)
{
    return case_infer(arg_types, nargs, result, why, why_len, "upper");
}

/* Maps every active row's text through the 'A'..'Z' (or 'a'..'z') shift, all rows in one
 * allocation. */
static sl_status case_eval(struct sl_vector *args, const struct sl_chunk *rows,
                           struct sl_vector *out, struct sl_error *err, char from)
{
    const uint8_t *nulls;
    const struct sl_str *in = fn_texts(&args[0], rows, &nulls);
    const uint32_t *sel = rowsel_of(rows);
    uint32_t n = chunk_active(rows);
    size_t total = 0;
    if (in) {
        for (uint32_t k = 0; k < n; k++)
            total += nulls[sel[k]] ? 0 : in[sel[k]].len;
    }
    char *p = in ? arena_alloc(rows->arena, total ? total : 1) : NULL;
    if (!p)
        return sl_error_set(err, SL_NOMEM, "out of memory in %s()",
                            from == 'A' ? "lower" : "upper");
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = sel[k];
        out->nulls[i] = nulls[i];
        if (nulls[i])
            continue;
        const unsigned char *s = (const unsigned char *)in[i].ptr;
        for (uint32_t j = 0; j < in[i].len; j++) {
            unsigned char c = s[j];
            p[j] = (char)((unsigned)(c - (unsigned char)from) < 26u ? c ^ 0x20 : c);
        }
        out->data.s[i].ptr = p;
        out->data.s[i].len = in[i].len;
        p += in[i].len;
    }
    return SL_OK;
}

static sl_status lower_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                            struct sl_vector *out, struct sl_error *err)
{
    (void)nargs;
    return case_eval(args, rows, out, err, 'A');
}

static sl_status upper_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                            struct sl_vector *out, struct sl_error *err)
{
    (void)nargs;
    return case_eval(args, rows, out, err, 'a');
}

const struct sl_scalar_fn fn_lower = {"lower", 1, 1, lower_infer, lower_eval};
const struct sl_scalar_fn fn_upper = {"upper", 1, 1, upper_infer, upper_eval};
