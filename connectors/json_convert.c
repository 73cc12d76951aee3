/* json_convert.c — JSON values into typed columns (see json_convert.h). */
#include "connectors/json_convert.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/time.h"

/* How much of a string a dead letter's reason quotes. */
#define SHOWN_CHARS 64

/* A number's text as SQLite writes it (%.15g; integers exactly), into out[32]. */
static size_t number_text(const struct jval *v, char out[32])
{
    int n = v->kind == JVAL_INT ? snprintf(out, 32, "%" PRId64, v->i)
                                : snprintf(out, 32, "%.15g", v->r);
    return n < 0 ? 0 : (size_t)n;
}

/* The value as a reason shows it: "abc", 2.5, true, an object. */
static void describe(const struct jval *v, char *out, size_t cap)
{
    char num[32];
    switch (v->kind) {
    case JVAL_STRING: {
        int shown = v->len > SHOWN_CHARS ? SHOWN_CHARS : (int)v->len;
        snprintf(out, cap, "\"%.*s%s\"", shown, v->s, v->len > SHOWN_CHARS ? "..." : "");
        break;
    }
    case JVAL_INT:
    case JVAL_REAL:
        number_text(v, num);
        snprintf(out, cap, "%s", num);
        break;
    case JVAL_TRUE: snprintf(out, cap, "true"); break;
    case JVAL_FALSE: snprintf(out, cap, "false"); break;
    case JVAL_OBJECT: snprintf(out, cap, "an object"); break;
    case JVAL_ARRAY: snprintf(out, cap, "an array"); break;
    default: snprintf(out, cap, "null"); break;
    }
}

static bool is_number(const struct jval *v)
{
    return v->kind == JVAL_INT || v->kind == JVAL_REAL;
}

static double number_value(const struct jval *v)
{
    return v->kind == JVAL_INT ? (double)v->i : v->r;
}

/* A REAL truncated toward zero as CAST does; false outside int64's range. */
static bool real_to_int(double r, int64_t *out)
{
    if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0))
        return false;
    *out = (int64_t)r;
    return true;
}

static bool to_int(const struct jval *v, bool cast, int64_t *out)
{
    switch (v->kind) {
    case JVAL_INT: *out = v->i; return true;
    case JVAL_REAL: return cast && real_to_int(v->r, out);
    case JVAL_STRING: return cast && sl_parse_int(v->s, v->len, out);
    case JVAL_TRUE:
    case JVAL_FALSE: *out = v->kind == JVAL_TRUE; return cast;
    default: return false;
    }
}

static bool to_real(const struct jval *v, bool cast, double *out)
{
    switch (v->kind) {
    case JVAL_INT:
    case JVAL_REAL: *out = number_value(v); return true;
    case JVAL_STRING: return cast && sl_parse_real(v->s, v->len, out);
    case JVAL_TRUE:
    case JVAL_FALSE: *out = v->kind == JVAL_TRUE; return cast;
    default: return false;
    }
}

static bool to_bool(const struct jval *v, bool cast, uint8_t *out)
{
    bool b = false;
    switch (v->kind) {
    case JVAL_TRUE:
    case JVAL_FALSE: *out = v->kind == JVAL_TRUE; return true;
    case JVAL_INT:
    case JVAL_REAL: *out = number_value(v) != 0; return cast;
    case JVAL_STRING:
        if (!cast || !sl_parse_bool(v->s, v->len, &b))
            return false;
        *out = b;
        return true;
    default: return false;
    }
}

/* A string in sl_ts_parse's forms; with cast, a number of seconds since the epoch. */
static bool to_timestamp(const struct jval *v, bool cast, int64_t *out)
{
    if (v->kind == JVAL_STRING)
        return sl_ts_parse(v->s, v->len, out);
    if (!cast || !is_number(v))
        return false;
    if (v->kind == JVAL_INT) {
        if (v->i < SL_TS_MIN_US / SL_US_PER_SEC || v->i > SL_TS_MAX_US / SL_US_PER_SEC)
            return false;
        *out = v->i * SL_US_PER_SEC;
        return true;
    }
    double us = nearbyint(v->r * 1e6);
    if (!(us >= (double)SL_TS_MIN_US && us <= (double)SL_TS_MAX_US))
        return false;
    *out = (int64_t)us;
    return true;
}

/* TEXT: a string, an object's or array's text; with cast, a number's or boolean's text. */
static enum json_convert_result to_text(const struct jval *v, bool cast, struct sl_str *out,
                                        struct sl_arena *arena)
{
    char num[32];
    const char *s = v->s;
    size_t len = v->len;
    if (v->kind == JVAL_STRING || v->kind == JVAL_OBJECT || v->kind == JVAL_ARRAY) {
        if (!s)
            return JSON_WRONG_TYPE;
    } else if (cast && is_number(v)) {
        len = number_text(v, num);
        s = num;
    } else if (cast && (v->kind == JVAL_TRUE || v->kind == JVAL_FALSE)) {
        s = v->kind == JVAL_TRUE ? "true" : "false";
        len = strlen(s);
    } else {
        return JSON_WRONG_TYPE;
    }
    if (len > UINT32_MAX)
        return JSON_WRONG_TYPE;
    const char *copy = len ? arena_memdup(arena, s, len) : "";
    if (!copy)
        return JSON_CONVERT_NOMEM;
    *out = (struct sl_str){.ptr = copy, .len = (uint32_t)len};
    return JSON_CONVERTED;
}

static enum json_convert_result store(const struct jval *v, bool cast, struct sl_vector *vec,
                                      uint32_t row, struct sl_arena *arena)
{
    bool ok = false;
    switch (vec->type) {
    case SL_TEXT: return to_text(v, cast, &vec->data.s[row], arena);
    case SL_INT: ok = to_int(v, cast, &vec->data.i[row]); break;
    case SL_REAL: ok = to_real(v, cast, &vec->data.r[row]); break;
    case SL_BOOL: ok = to_bool(v, cast, &vec->data.b[row]); break;
    case SL_TIMESTAMP: ok = to_timestamp(v, cast, &vec->data.i[row]); break;
    default: break;
    }
    return ok ? JSON_CONVERTED : JSON_WRONG_TYPE;
}

enum json_convert_result json_convert(const struct jval *v, bool cast, const char *name,
                                      struct sl_vector *vec, uint32_t row,
                                      struct sl_arena *arena, char *reason, size_t cap)
{
    if (v->kind == JVAL_ABSENT || v->kind == JVAL_NULL) {
        vec->nulls[row] = 1;
        return JSON_CONVERTED;
    }
    vec->nulls[row] = 0;
    enum json_convert_result r = store(v, cast, vec, row, arena);
    if (r != JSON_WRONG_TYPE)
        return r;
    /* Whether json_cast would have read it: worth saying, it is the usual fix. */
    bool castable = !cast && store(v, true, vec, row, arena) == JSON_CONVERTED;
    char shown[SHOWN_CHARS + 8];
    describe(v, shown, sizeof shown);
    snprintf(reason, cap, "column \"%s\": %s is not a valid %s%s", name, shown,
             sl_type_name(vec->type), castable ? " (FORMAT JSON (json_cast = true) reads it)" : "");
    return JSON_WRONG_TYPE;
}
