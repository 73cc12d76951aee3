/*
 * fn_builtin.h — the built-in scalar functions, one file each, gathered by
 * the registry in function.c; plus the helper they share to read any
 * argument as text. Not a public interface.
 */
#ifndef SL_FN_BUILTIN_H
#define SL_FN_BUILTIN_H

#include "engine/functions/function.h"
#include "engine/values/rowsel.h"
#include "engine/values/sqlval.h"

extern const struct sl_scalar_fn fn_lower;
extern const struct sl_scalar_fn fn_upper;
extern const struct sl_scalar_fn fn_length;
extern const struct sl_scalar_fn fn_split;
extern const struct sl_scalar_fn fn_coalesce, fn_ifnull, fn_nullif, fn_iif;
extern const struct sl_scalar_fn fn_instr, fn_replace, fn_split_part;
extern const struct sl_scalar_fn fn_ltrim, fn_rtrim, fn_trim;
extern const struct sl_scalar_fn fn_substr, fn_substring;
extern const struct sl_scalar_fn fn_abs, fn_round, fn_sign, fn_min, fn_max, fn_random;
extern const struct sl_scalar_fn fn_typeof, fn_hex, fn_quote, fn_char, fn_unicode;
extern const struct sl_scalar_fn fn_printf, fn_format;
extern const struct sl_scalar_fn fn_date, fn_time, fn_datetime, fn_julianday, fn_unixepoch,
    fn_strftime;
extern const struct sl_scalar_fn fn_to_timestamp, fn_date_trunc, fn_now;
extern const struct sl_scalar_fn fn_json_extract, fn_json_arrow;
extern const struct sl_scalar_fn fn_regexp_like, fn_regexp_extract;

/* The checks of constant arguments (function_check_const): true when the
 * text is one the function takes, else false with a message and a hint. */
bool fn_regexp_check_pattern(struct sl_str pattern, char *why, size_t why_len, char *hint,
                             size_t hint_len);
bool fn_date_trunc_check_unit(struct sl_str unit, char *why, size_t why_len, char *hint,
                              size_t hint_len);

/*
 * Text of each active row of v into texts[row] (the vector's own array for
 * TEXT; rendered into arena otherwise), with nulls[row] set for NULL rows
 * (an ARRAY value counts as NULL). Returns the texts, NULL when out of
 * memory; *nulls points at the NULL mask to use.
 */
const struct sl_str *fn_texts(const struct sl_vector *v, const struct sl_chunk *rows,
                              const uint8_t **nulls);

/* Writes "f() expects TEXT, got INTEGER" into why. */
void fn_type_error(char *why, size_t why_len, const char *fn, const char *expected,
                   enum sl_type got);

/* Past the character at p (p < end) as SQLite steps through text: a byte >= 0xC0 takes the
 * continuation bytes after it, any other byte is a character alone (a stray continuation
 * byte of malformed text counts as one). */
static inline const char *fn_utf8_next(const char *p, const char *end)
{
    if ((unsigned char)*p++ >= 0xC0)
        while (p < end && ((unsigned char)*p & 0xC0) == 0x80)
            p++;
    return p;
}

/* Most arguments a function call may have (the binder's limit too). */
#define FN_MAX_ARGS 16

/*
 * Per-row body of a function evaluated value by value: argv holds the row's
 * arguments (NULL as SL_NULL; BOOL already turned into INT, since SQLite
 * has no booleans); sets *res (strings allocated in arena). Fails only
 * when out of memory (SL_NOMEM).
 */
typedef sl_status (*fn_row_fn)(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                               struct sl_value *res);

/* Reads row i of each argument vector into argv, BOOLEANs as SQLite's integers. */
static inline void fn_row_args(const struct sl_vector *args, int nargs, uint32_t i,
                               struct sl_value *argv)
{
    for (int a = 0; a < nargs; a++) {
        const struct sl_vector *v = &args[a];
        argv[a] = v->type != SL_ANY && v->nulls[i] ? sl_null() : vector_get(v, i);
        if (argv[a].type == SL_BOOL) {
            argv[a].u.i = argv[a].u.b;
            argv[a].type = SL_INT;
        }
    }
}

/*
 * Runs row() over every active row of `rows` and stores each result in out
 * (converted to out's type by sqlval_store). Inline so that each caller's
 * loop calls its own row function directly, not through a pointer.
 */
static inline sl_status fn_map(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                               struct sl_vector *out, struct sl_error *err, const char *name,
                               fn_row_fn row)
{
    struct sl_value argv[FN_MAX_ARGS];
    if (nargs > FN_MAX_ARGS)
        return sl_error_set(err, SL_ERROR, "%s() takes at most %d arguments", name, FN_MAX_ARGS);
    const uint32_t *sel = rowsel_of(rows);
    uint32_t n = chunk_active(rows);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = sel[k];
        fn_row_args(args, nargs, i, argv);
        struct sl_value res;
        if (row(argv, nargs, rows->arena, &res) != SL_OK ||
            sqlval_store(out, i, res, rows->arena) != SL_OK)
            return sl_error_set(err, SL_NOMEM, "out of memory in %s()", name);
    }
    return SL_OK;
}

/* False (with "f() expects a value, got ARRAY" in why) when an argument is an ARRAY. */
bool fn_no_arrays(const enum sl_type *arg_types, int nargs, const char *fn, char *why,
                  size_t why_len);
/*
 * The static type of a value chosen among arguments of these types (every
 * step-th from first): their common type (BOOL counts as INT, NULL-typed
 * ones are ignored, SL_NULL if all are), or SL_ANY when they differ.
 */
enum sl_type fn_common_type(const enum sl_type *arg_types, int first, int nargs, int step);

/* The number SQLite's sqlite3_value_int64() / sqlite3_value_double() read from v (0 for NULL). */
int64_t fn_int_of(struct sl_value v);
double fn_real_of(struct sl_value v);
/* sqlite3_value_int(): sqlite3_value_int64() cut to its low 32 bits (2^32 + 5 reads as 5), which
 * is how SQLite reads round()'s digits and substr()'s start and length. */
int32_t fn_int32_of(struct sl_value v);
/* Text read as a double by SQLite 3.40's own conversion (fn_atof.c), last bit included. */
double fn_sqlite_atof(const char *z, size_t n);
/* A TEXT / INT / REAL value. */
struct sl_value fn_text_value(const char *ptr, size_t len);
struct sl_value fn_int_value(int64_t i);
struct sl_value fn_real_value(double r);

/*
 * SQLite's printf rendering of a double (as SQLite 3.40 does it: a half-unit
 * rounder added, then at most 16 significant digits, the rest '0'; the '!'
 * flag allows 26). conv is 'f', 'e', 'E', 'g' or 'G'; prec < 0 means 6.
 * Writes at most FN_REAL_TEXT_MAX + prec bytes (no NUL) into buf; returns the length.
 * alt is '#', bang is '!'; sign is 0, '+' or ' ' for positive numbers.
 */
#define FN_REAL_TEXT_MAX 400
size_t fn_format_real(double r, char conv, int prec, bool alt, bool bang, char sign, char *buf);

#endif
