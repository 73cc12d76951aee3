/*
 * fn_split.c — split(text, sep) -> ARRAY of TEXT, as Spark's split with a
 * literal separator: every separator cuts, so consecutive, leading and
 * trailing separators give empty strings ('a  b' -> ['a', '', 'b']); an
 * empty separator gives the whole string. Items are views into the input
 * text (no copy); the arrays and items of a whole chunk are one arena
 * allocation, sized by a counting pass (cheap next to allocating per row).
 */
#include <string.h>

#include "engine/functions/fn_builtin.h"
#include "engine/values/rowsel.h"
#include "engine/values/split_scan.h"

static bool split_arg_ok(enum sl_type t)
{
    return t == SL_TEXT || t == SL_ANY || t == SL_NULL;
}

static bool split_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result, char *why,
                        size_t why_len)
{
    for (int a = 0; a < nargs; a++) {
        if (!split_arg_ok(arg_types[a])) {
            fn_type_error(why, why_len, "split", "TEXT", arg_types[a]);
            return false;
        }
    }
    *result = SL_ARRAY;
    return true;
}

/* Items split() makes of s by sep. */
static uint32_t count_items(struct sl_str s, struct sl_str sep)
{
    if (sep.len == 0 || s.len == 0)
        return 1;
    uint32_t n = 1;
    const char *p = s.ptr, *end = s.ptr + s.len;
    if (sep.len == 1) {
        /* A plain counting loop: the compiler vectorises it, and words are
         * too short for memchr's call overhead to pay off. */
        const char c = sep.ptr[0];
        for (uint32_t j = 0; j < s.len; j++)
            n += s.ptr[j] == c;
        return n;
    }
    while ((p = memmem(p, (size_t)(end - p), sep.ptr, sep.len)) != NULL)
        p += sep.len, n++;
    return n;
}

/* Fills items with the pieces of s (count_items(s, sep) of them). */
static void cut(struct sl_str s, struct sl_str sep, struct sl_value *items)
{
    uint32_t k = 0;
    if (sep.len == 1) {
        struct split_scan scan;
        split_scan_init(&scan, s, sep.ptr[0]);
        while (split_scan_next(&scan, &items[k].u.s))
            items[k++].type = SL_TEXT;
        return;
    }
    const char *p = s.ptr, *end = s.ptr + s.len, *hit;
    if (sep.len > 1 && s.len > 0) {
        while ((hit = memmem(p, (size_t)(end - p), sep.ptr, sep.len)) != NULL) {
            items[k].type = SL_TEXT;
            items[k].u.s.ptr = p;
            items[k].u.s.len = (uint32_t)(hit - p);
            k++;
            p = hit + sep.len;
        }
    }
    items[k].type = SL_TEXT;
    items[k].u.s.ptr = p;
    items[k].u.s.len = (uint32_t)(end - p);
}

static sl_status split_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                            struct sl_vector *out, struct sl_error *err)
{
    (void)nargs;
    const uint8_t *tn, *sn;
    const struct sl_str *text = fn_texts(&args[0], rows, &tn);
    const struct sl_str *sep = text ? fn_texts(&args[1], rows, &sn) : NULL;
    if (!sep)
        return sl_error_set(err, SL_NOMEM, "out of memory in split()");
    const uint32_t *sel = rowsel_of(rows);
    uint32_t n = chunk_active(rows);
    size_t arrays = 0, items = 0;
    uint32_t *counts = arena_alloc(rows->arena, sizeof *counts * SL_CHUNK_CAP);
    if (!counts)
        return sl_error_set(err, SL_NOMEM, "out of memory in split()");
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = sel[k];
        out->nulls[i] = tn[i] | sn[i];
        if (out->nulls[i])
            continue;
        counts[i] = count_items(text[i], sep[i]);
        arrays++;
        items += counts[i];
    }
    struct sl_array *arr =
        arena_alloc(rows->arena, sizeof *arr * arrays + sizeof(struct sl_value) * items + 1);
    if (!arr)
        return sl_error_set(err, SL_NOMEM, "out of memory in split()");
    struct sl_value *item = (struct sl_value *)(arr + arrays);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = sel[k];
        if (out->nulls[i])
            continue;
        arr->count = counts[i];
        arr->items = item;
        cut(text[i], sep[i], item);
        item += counts[i];
        out->data.a[i] = arr++;
    }
    return SL_OK;
}

const struct sl_scalar_fn fn_split = {"split", 2, 2, split_infer, split_eval};
