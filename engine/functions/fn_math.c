/*
 * fn_math.c — numeric functions: abs(), round(), sign(), the scalar
 * min()/max() of two or more arguments, and random(). Text arguments are
 * read as numbers the way SQLite reads them (by their numeric prefix,
 * 'x' as 0), except for sign(), which wants the whole text to be a number.
 */
#include <math.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

#include "engine/functions/fn_builtin.h"

static bool abs_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result, char *why,
                      size_t why_len)
{
    switch (arg_types[0]) {
    case SL_BOOL:
    case SL_INT:
    case SL_TIMESTAMP: *result = SL_INT; break;
    case SL_TEXT: *result = SL_REAL; break; /* SQLite reads text with sqlite3_value_double() */
    default: *result = arg_types[0]; break;
    }
    return fn_no_arrays(arg_types, nargs, "abs", why, why_len);
}

/* abs(-9223372036854775808) is an "integer overflow" error in SQLite; a row cannot fail here,
 * so it is NULL. */
static sl_status abs_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                         struct sl_value *res)
{
    (void)nargs, (void)arena;
    struct sl_value x = argv[0];
    *res = sl_null();
    if (x.type == SL_INT || x.type == SL_TIMESTAMP) {
        if (x.u.i != INT64_MIN)
            *res = fn_int_value(x.u.i < 0 ? -x.u.i : x.u.i);
    } else if (x.type != SL_NULL) {
        *res = fn_real_value(fabs(fn_real_of(x)));
    }
    return SL_OK;
}

static sl_status abs_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                          struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "abs", abs_row);
}

static bool round_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result, char *why,
                        size_t why_len)
{
    *result = SL_REAL;
    return fn_no_arrays(arg_types, nargs, "round", why, why_len);
}

/*
 * SQLite's round(): digits read as a 32-bit int (round(x, 4294967298) has
 * 2 digits) and clamped to 0..30; reals beyond 2^52 are already integral;
 * 0 digits round half away from zero; otherwise the value is printed with
 * %.*f (SQLite's printf: its rounding, 16 significant digits) and read
 * back with SQLite's conversion, so round(534339519121000.0, 6) is
 * 534339519120999.875 as in SQLite.
 */
static sl_status round_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                           struct sl_value *res)
{
    (void)arena;
    *res = sl_null();
    if (argv[0].type == SL_NULL || (nargs > 1 && argv[1].type == SL_NULL))
        return SL_OK;
    int32_t digits = nargs > 1 ? fn_int32_of(argv[1]) : 0;
    digits = digits < 0 ? 0 : digits > 30 ? 30 : digits;
    double r = fn_real_of(argv[0]);
    if (r < -4503599627370496.0 || r > 4503599627370496.0) {
        /* unchanged */
    } else if (digits == 0) {
        r = (double)(int64_t)(r + (r < 0 ? -0.5 : 0.5));
    } else {
        char buf[FN_REAL_TEXT_MAX + 31];
        r = fn_sqlite_atof(buf, fn_format_real(r, 'f', digits, false, false, 0, buf));
    }
    *res = fn_real_value(r);
    return SL_OK;
}

static sl_status round_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                            struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "round", round_row);
}

static bool sign_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result, char *why,
                       size_t why_len)
{
    *result = SL_INT;
    return fn_no_arrays(arg_types, nargs, "sign", why, why_len);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* Whether the whole text (spaces around allowed) is a decimal number, as SQLite's numeric
 * affinity accepts it: [+-] digits [. digits] [e [+-] digits], '.5' and '5.' included. */
static bool whole_number(struct sl_str s)
{
    size_t i = 0, n = s.len, digits = 0;
    while (i < n && is_space(s.ptr[i]))
        i++;
    if (i < n && (s.ptr[i] == '+' || s.ptr[i] == '-'))
        i++;
    for (; i < n && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++)
        digits++;
    if (i < n && s.ptr[i] == '.')
        for (i++; i < n && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++)
            digits++;
    if (digits == 0)
        return false;
    if (i < n && (s.ptr[i] == 'e' || s.ptr[i] == 'E')) {
        i++;
        if (i < n && (s.ptr[i] == '+' || s.ptr[i] == '-'))
            i++;
        if (i >= n || s.ptr[i] < '0' || s.ptr[i] > '9')
            return false;
        while (i < n && s.ptr[i] >= '0' && s.ptr[i] <= '9')
            i++;
    }
    while (i < n && is_space(s.ptr[i]))
        i++;
    return i == n;
}

static sl_status sign_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                          struct sl_value *res)
{
    (void)nargs, (void)arena;
    *res = sl_null();
    if (argv[0].type == SL_NULL || (argv[0].type == SL_TEXT && !whole_number(argv[0].u.s)))
        return SL_OK;
    double r = fn_real_of(argv[0]);
    *res = fn_int_value(r < 0 ? -1 : r > 0 ? 1 : 0);
    return SL_OK;
}

static sl_status sign_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                           struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "sign", sign_row);
}

static bool minmax_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result,
                         char *why, size_t why_len)
{
    *result = fn_common_type(arg_types, 0, nargs, 1);
    return fn_no_arrays(arg_types, nargs, "min", why, why_len);
}

/*
 * NULL if any argument is NULL; else the least (greatest) in SQLite's order.
 * Among equal values min() keeps the last and max() the first, as SQLite
 * does: min(1, 1.0) is 1.0 but max(1, 1.0) is 1.
 */
static sl_status minmax_row(const struct sl_value *argv, int nargs, struct sl_value *res, bool max)
{
    int best = 0;
    *res = sl_null();
    for (int a = 0; a < nargs; a++)
        if (argv[a].type == SL_NULL)
            return SL_OK;
    for (int a = 1; a < nargs; a++) {
        int c = sqlval_compare(argv[best], argv[a]);
        if (max ? c < 0 : c >= 0)
            best = a;
    }
    *res = argv[best];
    return SL_OK;
}

static sl_status min_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                         struct sl_value *res)
{
    (void)arena;
    return minmax_row(argv, nargs, res, false);
}

static sl_status max_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                         struct sl_value *res)
{
    (void)arena;
    return minmax_row(argv, nargs, res, true);
}

static sl_status min_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                          struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "min", min_row);
}

static sl_status max_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                          struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "max", max_row);
}

static bool random_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result,
                         char *why, size_t why_len)
{
    (void)arg_types, (void)nargs, (void)why, (void)why_len;
    *result = SL_INT;
    return true;
}

/* splitmix64: a fast, well-mixed sequence from one seed. */
static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Any int64, different on every call: seeded from the OS once per chunk, so no state is shared
 * between queries or threads. Not reproducible on replay, by nature. */
static sl_status random_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                             struct sl_vector *out, struct sl_error *err)
{
    (void)args, (void)nargs, (void)err;
    uint64_t state;
    if (getrandom(&state, sizeof state, GRND_NONBLOCK) != (ssize_t)sizeof state) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        state = (uint64_t)ts.tv_sec * UINT64_C(1000000007) + (uint64_t)ts.tv_nsec;
    }
    const uint32_t *sel = rowsel_of(rows);
    uint32_t n = chunk_active(rows);
    for (uint32_t k = 0; k < n; k++) {
        out->nulls[sel[k]] = 0;
        out->data.i[sel[k]] = (int64_t)splitmix64(&state);
    }
    return SL_OK;
}

const struct sl_scalar_fn fn_abs = {"abs", 1, 1, abs_infer, abs_eval};
const struct sl_scalar_fn fn_round = {"round", 1, 2, round_infer, round_eval};
const struct sl_scalar_fn fn_sign = {"sign", 1, 1, sign_infer, sign_eval};
const struct sl_scalar_fn fn_min = {"min", 2, -1, minmax_infer, min_eval};
const struct sl_scalar_fn fn_max = {"max", 2, -1, minmax_infer, max_eval};
const struct sl_scalar_fn fn_random = {"random", 0, 0, random_infer, random_eval};
