/* function.c — the registry of scalar functions: lookup by name and "did you mean" by edit
 * distance. */
#include "engine/function.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "engine/fn_builtin.h"
#include "engine/rowsel.h"
#include "engine/sqlval.h"

static const struct sl_scalar_fn *const registry[] = {&fn_lower, &fn_upper, &fn_length, &fn_split};

#define REGISTRY_SIZE (sizeof registry / sizeof registry[0])

const struct sl_scalar_fn *function_lookup(const char *name)
{
    for (size_t i = 0; i < REGISTRY_SIZE; i++) {
        if (strcasecmp(registry[i]->name, name) == 0)
            return registry[i];
    }
    return NULL;
}

/* Levenshtein distance, case-insensitive; names longer than 63 count as far. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 64;
    size_t prev[64], cur[64];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            char x = a[i - 1] | 0x20, y = b[j - 1] | 0x20;
            size_t sub = prev[j - 1] + (x != y);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, sizeof prev);
    }
    return prev[lb];
}

const char *function_suggest(const char *name)
{
    const char *best = NULL;
    size_t best_d = 0;
    for (size_t i = 0; i < REGISTRY_SIZE; i++) {
        size_t d = edit_distance(name, registry[i]->name);
        if (!best || d < best_d) {
            best = registry[i]->name;
            best_d = d;
        }
    }
    /* Suggest only a near miss: a third of the name may be wrong, at least one edit. */
    size_t limit = strlen(name) / 3;
    return best && best_d <= (limit ? limit : 1) ? best : NULL;
}

const struct sl_str *fn_texts(const struct sl_vector *v, const struct sl_chunk *rows,
                              const uint8_t **nulls)
{
    if (v->type == SL_TEXT) {
        *nulls = v->nulls;
        return v->data.s;
    }
    struct sl_str *texts = arena_alloc(rows->arena, sizeof *texts * SL_CHUNK_CAP);
    uint8_t *mask = arena_alloc(rows->arena, SL_CHUNK_CAP);
    if (!texts || !mask)
        return NULL;
    const uint32_t *sel = rowsel_of(rows);
    uint32_t n = chunk_active(rows);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = sel[k];
        struct sl_value x = vector_get(v, i);
        mask[i] = x.type == SL_NULL || x.type == SL_ARRAY;
        if (!mask[i] && !sqlval_text(x, rows->arena, &texts[i]))
            return NULL;
    }
    *nulls = mask;
    return texts;
}

void fn_type_error(char *why, size_t why_len, const char *fn, const char *expected,
                   enum sl_type got)
{
    snprintf(why, why_len, "%s() expects %s, got %s", fn, expected, sl_type_name(got));
}
