/* function.c — the registry of scalar functions: lookup by name and "did you mean" by edit
 * distance. */
#include "engine/functions/function.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "engine/functions/fn_builtin.h"
#include "engine/values/rowsel.h"
#include "engine/values/sqlval.h"

static const struct sl_scalar_fn *const registry[] = {
    &fn_lower,   &fn_upper,  &fn_length, &fn_split,  &fn_coalesce, &fn_ifnull,     &fn_nullif,
    &fn_iif,     &fn_instr,  &fn_replace, &fn_split_part, &fn_ltrim, &fn_rtrim,   &fn_trim,
    &fn_substr,  &fn_substring, &fn_abs, &fn_round,  &fn_sign,     &fn_min,        &fn_max,
    &fn_random,  &fn_typeof, &fn_hex,    &fn_quote,  &fn_char,     &fn_unicode,    &fn_printf,
    &fn_format,  &fn_date,   &fn_time,   &fn_datetime, &fn_julianday, &fn_unixepoch,
    &fn_strftime, &fn_to_timestamp, &fn_date_trunc, &fn_now, &fn_json_extract,
    &fn_regexp_like, &fn_regexp_extract,
};

#define REGISTRY_SIZE (sizeof registry / sizeof registry[0])

const struct sl_scalar_fn *function_lookup(const char *name)
{
    for (size_t i = 0; i < REGISTRY_SIZE; i++) {
        if (strcasecmp(registry[i]->name, name) == 0)
            return registry[i];
    }
    return NULL;
}

const struct sl_scalar_fn *function_at(size_t i)
{
    return i < REGISTRY_SIZE ? registry[i] : NULL;
}

static const struct sl_scalar_fn *const operators[] = {&fn_json_arrow};

const struct sl_scalar_fn *function_operator(const char *symbol)
{
    for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++)
        if (strcmp(operators[i]->name, symbol) == 0)
            return operators[i];
    return NULL;
}

static const struct {
    const struct sl_scalar_fn *fn;
    int arg;
    bool (*check)(struct sl_str text, char *why, size_t why_len, char *hint, size_t hint_len);
} const_checks[] = {
    {&fn_regexp_like, 1, fn_regexp_check_pattern},
    {&fn_regexp_extract, 1, fn_regexp_check_pattern},
    {&fn_date_trunc, 0, fn_date_trunc_check_unit},
};

bool function_check_const(const struct sl_scalar_fn *fn, int arg, struct sl_str text, char *why,
                          size_t why_len, char *hint, size_t hint_len)
{
    for (size_t i = 0; i < sizeof const_checks / sizeof const_checks[0]; i++)
        if (const_checks[i].fn == fn && const_checks[i].arg == arg)
            return const_checks[i].check(text, why, why_len, hint, hint_len);
    return true;
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
        if (!mask[i] && sqlval_text(x, rows->arena, &texts[i]) != SL_OK)
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

bool fn_no_arrays(const enum sl_type *arg_types, int nargs, const char *fn, char *why,
                  size_t why_len)
{
    for (int a = 0; a < nargs; a++) {
        if (arg_types[a] == SL_ARRAY) {
            fn_type_error(why, why_len, fn, "a value", arg_types[a]);
            return false;
        }
    }
    return true;
}

enum sl_type fn_common_type(const enum sl_type *arg_types, int first, int nargs, int step)
{
    enum sl_type t = SL_NULL;
    for (int a = first; a < nargs; a += step) {
        enum sl_type x = arg_types[a] == SL_BOOL ? SL_INT : arg_types[a];
        if (x == SL_NULL)
            continue;
        if (t != SL_NULL && x != t)
            return SL_ANY;
        t = x;
    }
    return t;
}

/* Text is read by sqlite3_value_int64() as CAST AS INTEGER reads it ('1e3' is 1), by
 * sqlite3_value_double() with SQLite's own digit-by-digit conversion. */
int64_t fn_int_of(struct sl_value v)
{
    if (v.type == SL_TEXT)
        return sqlval_text_to_int(v.u.s);
    struct sl_value n = sqlval_numeric(v);
    if (n.type == SL_REAL)
        return sqlval_real_to_int(n.u.r);
    return n.type == SL_INT ? n.u.i : 0;
}

/* The low 32 bits as a signed int, written out because converting an out-of-range value to
 * int32_t is implementation-defined in C. */
int32_t fn_int32_of(struct sl_value v)
{
    uint32_t u = (uint32_t)(uint64_t)fn_int_of(v);
    return u <= INT32_MAX ? (int32_t)u : -(int32_t)(UINT32_MAX - u) - 1;
}

double fn_real_of(struct sl_value v)
{
    if (v.type == SL_TEXT)
        return v.u.s.len ? fn_sqlite_atof(v.u.s.ptr, v.u.s.len) : 0.0;
    struct sl_value n = sqlval_numeric(v);
    if (n.type == SL_REAL)
        return n.u.r;
    return n.type == SL_INT ? (double)n.u.i : 0.0;
}

struct sl_value fn_text_value(const char *ptr, size_t len)
{
    struct sl_value v = {.type = SL_TEXT, .u.s = {ptr, (uint32_t)len}};
    return v;
}

struct sl_value fn_int_value(int64_t i)
{
    struct sl_value v = {.type = SL_INT, .u.i = i};
    return v;
}

struct sl_value fn_real_value(double r)
{
    struct sl_value v = {.type = SL_REAL, .u.r = r};
    return v;
}
