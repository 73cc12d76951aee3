/*
 * fn_regexp.c — regexp_like(text, pattern) -> BOOLEAN and
 * regexp_extract(text, pattern[, group]) -> TEXT (group 0, the default, is
 * the whole match; NULL when there is no match or the group took no part),
 * with PCRE2 in UTF mode. A pattern is compiled once for a run of rows that
 * share it (the whole chunk when it is a constant), never per row. A
 * pattern that does not compile, or a group the pattern does not have,
 * gives NULL: a row cannot fail. A constant pattern is checked when the
 * query is (fn_regexp_check_pattern), so that one never gets to the rows.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "engine/functions/fn_builtin.h"

/* The last pattern compiled in this evaluation; code is NULL when it did not
 * compile. */
struct regex_cache {
    struct sl_str pattern; /* points into the chunk, alive for the whole evaluation */
    bool compiled;
    pcre2_code *code;
    pcre2_match_data *match;
};

static void cache_clear(struct regex_cache *c)
{
    pcre2_match_data_free(c->match);
    pcre2_code_free(c->code);
    memset(c, 0, sizeof *c);
}

/* pattern compiled as every regexp function reads it; NULL with the error when it
 * does not compile. */
static pcre2_code *compile(struct sl_str pattern, int *errcode, PCRE2_SIZE *erroff)
{
    /* UCP: \w, \d and \b know Unicode (Straße is one word); MATCH_INVALID_UTF:
     * text that is not valid UTF-8 just fails to match where it is invalid. */
    return pcre2_compile((PCRE2_SPTR)pattern.ptr, pattern.len,
                         PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, errcode, erroff, NULL);
}

bool fn_regexp_check_pattern(struct sl_str pattern, char *why, size_t why_len, char *hint,
                             size_t hint_len)
{
    int errcode;
    PCRE2_SIZE erroff;
    pcre2_code *code = compile(pattern, &errcode, &erroff);
    if (code) {
        pcre2_code_free(code);
        return true;
    }
    /* Out of memory is no fault of the pattern: the rows will say so. */
    if (errcode == PCRE2_ERROR_NOMEMORY)
        return true;
    PCRE2_UCHAR msg[256];
    if (pcre2_get_error_message(errcode, msg, sizeof msg) < 0)
        snprintf((char *)msg, sizeof msg, "error %d", errcode);
    snprintf(why, why_len, "invalid regular expression: %s", (const char *)msg);
    snprintf(hint, hint_len, "at byte %zu of the pattern (PCRE2 syntax; \\ escapes a special character)",
             (size_t)erroff);
    return false;
}

/* The compiled pattern (NULL if it does not compile); false when out of memory.
 */
static bool cache_get(struct regex_cache *c, struct sl_str pattern, pcre2_code **code)
{
    if (!c->compiled || c->pattern.len != pattern.len ||
        memcmp(c->pattern.ptr, pattern.ptr, pattern.len) != 0) {
        cache_clear(c);
        int errcode;
        PCRE2_SIZE erroff;
        c->code = compile(pattern, &errcode, &erroff);
        if (c->code) {
            /* Optional speed-up; matching falls back to the interpreter when JIT is
             * missing. */
            pcre2_jit_compile(c->code, PCRE2_JIT_COMPLETE);
            c->match = pcre2_match_data_create_from_pattern(c->code, NULL);
            if (!c->match)
                return false;
        } else if (errcode == PCRE2_ERROR_NOMEMORY) {
            return false;
        }
        c->pattern = pattern;
        c->compiled = true;
    }
    *code = c->code;
    return true;
}

/*
 * Matches row argv's text against its pattern: 1 with *ov the match's offsets,
 * 0 for no match, 2 for a NULL result (NULL argument, bad pattern), -1 when out
 * of memory.
 */
static int match_row(struct regex_cache *c, const struct sl_value *argv, struct sl_arena *arena,
                     struct sl_str *subject, PCRE2_SIZE **ov, uint32_t *ngroups)
{
    struct sl_str pattern;
    pcre2_code *code;
    if (argv[0].type == SL_NULL || argv[1].type == SL_NULL)
        return 2;
    if (sqlval_text(argv[0], arena, subject) != SL_OK ||
        sqlval_text(argv[1], arena, &pattern) != SL_OK || !cache_get(c, pattern, &code))
        return -1;
    if (!code)
        return 2;
    int rc = pcre2_match(code, (PCRE2_SPTR)subject->ptr, subject->len, 0, 0, c->match, NULL);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0)
        return rc == PCRE2_ERROR_NOMEMORY ? -1 : 2;
    *ov = pcre2_get_ovector_pointer(c->match);
    *ngroups = pcre2_get_ovector_count(c->match);
    return 1;
}

/* The loop of fn_map, with the pattern cache alive across the rows of one
 * chunk. */
static sl_status regexp_eval(bool extract, const char *name, struct sl_vector *args, int nargs,
                             const struct sl_chunk *rows, struct sl_vector *out,
                             struct sl_error *err)
{
    struct regex_cache cache = {0};
    const uint32_t *sel = rowsel_of(rows);
    uint32_t n = chunk_active(rows);
    sl_status st = SL_OK;
    for (uint32_t k = 0; k < n && st == SL_OK; k++) {
        uint32_t i = sel[k];
        struct sl_value argv[3];
        for (int a = 0; a < nargs; a++) {
            const struct sl_vector *v = &args[a];
            argv[a] = v->type != SL_ANY && v->nulls[i] ? sl_null() : vector_get(v, i);
        }
        struct sl_str subject;
        PCRE2_SIZE *ov = NULL;
        uint32_t ngroups = 0;
        int m = match_row(&cache, argv, rows->arena, &subject, &ov, &ngroups);
        struct sl_value res = sl_null();
        if (m < 0) {
            st = sl_error_set(err, SL_NOMEM, "out of memory in %s()", name);
            break;
        }
        if (!extract && m != 2) {
            res.type = SL_BOOL;
            res.u.b = m == 1;
        } else if (extract && m == 1) {
            int64_t g = 0;
            if (nargs > 2)
                g = argv[2].type == SL_NULL ? -1 : fn_int_of(argv[2]);
            if (g >= 0 && g < (int64_t)ngroups && ov[2 * g] != PCRE2_UNSET)
                res = fn_text_value(subject.ptr + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
        }
        if (sqlval_store(out, i, res, rows->arena) != SL_OK)
            st = sl_error_set(err, SL_NOMEM, "out of memory in %s()", name);
    }
    cache_clear(&cache);
    return st;
}

static bool regexp_like_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result,
                              char *why, size_t why_len)
{
    *result = SL_BOOL;
    return fn_no_arrays(arg_types, nargs, "regexp_like", why, why_len);
}

static sl_status regexp_like_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                                  struct sl_vector *out, struct sl_error *err)
{
    return regexp_eval(false, "regexp_like", args, nargs, rows, out, err);
}

const struct sl_scalar_fn fn_regexp_like = {"regexp_like", 2, 2, regexp_like_infer,
                                            regexp_like_eval};

static bool regexp_extract_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result,
                                 char *why, size_t why_len)
{
    *result = SL_TEXT;
    return fn_no_arrays(arg_types, nargs, "regexp_extract", why, why_len);
}

static sl_status regexp_extract_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                                     struct sl_vector *out, struct sl_error *err)
{
    return regexp_eval(true, "regexp_extract", args, nargs, rows, out, err);
}

const struct sl_scalar_fn fn_regexp_extract = {"regexp_extract", 2, 3, regexp_extract_infer,
                                               regexp_extract_eval};
