/*
 * fn_timestamp.c — the streaming functions on TIMESTAMP values (int64
 * microseconds since the Unix epoch, UTC), which SQLite does not have:
 * to_timestamp(unix seconds | ISO-8601 text), date_trunc(unit, ts) and
 * now(). A value that is no time (text that does not parse, a number out of
 * the range text can show, an unknown unit) gives NULL; a constant unknown
 * unit is an error when the query is checked instead. now() is processing
 * time: the wall clock when the chunk is evaluated, so it is not
 * deterministic (every row of a chunk sees the same instant).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/time.h"
#include "engine/functions/clock.h"
#include "engine/functions/fn_builtin.h"

static struct sl_value ts_value(int64_t us)
{
    struct sl_value v = {.type = SL_TIMESTAMP, .u.i = us};
    return v;
}

/* The upper bound is exclusive: SL_TS_MAX_US itself rounds up to the next
 * second as a double. */
static bool ts_in_range(double us)
{
    return us >= (double)SL_TS_MIN_US && us < (double)(SL_TS_MAX_US + 1);
}

/* The microseconds a value stands for: TIMESTAMP as is, numbers as unix
 * seconds, text as ISO-8601. False when it is none of them. */
static bool ts_of(struct sl_value v, int64_t *us)
{
    switch (v.type) {
    case SL_TIMESTAMP: *us = v.u.i; return true;
    case SL_INT:
        if (v.u.i < SL_TS_MIN_US / SL_US_PER_SEC || v.u.i > SL_TS_MAX_US / SL_US_PER_SEC)
            return false;
        *us = v.u.i * SL_US_PER_SEC;
        return true;
    case SL_REAL: {
        double r = nearbyint(v.u.r * 1e6);
        if (!ts_in_range(r))
            return false;
        *us = (int64_t)r;
        return true;
    }
    case SL_TEXT: return sl_ts_parse(v.u.s.ptr, v.u.s.len, us);
    default: return false;
    }
}

static bool to_timestamp_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result,
                               char *why, size_t why_len)
{
    *result = SL_TIMESTAMP;
    return fn_no_arrays(arg_types, nargs, "to_timestamp", why, why_len);
}

static sl_status to_timestamp_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                                  struct sl_value *res)
{
    (void)nargs, (void)arena;
    int64_t us;
    *res = ts_of(argv[0], &us) ? ts_value(us) : sl_null();
    return SL_OK;
}

static sl_status to_timestamp_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                                   struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "to_timestamp", to_timestamp_row);
}

const struct sl_scalar_fn fn_to_timestamp = {"to_timestamp", 1, 1, to_timestamp_infer,
                                             to_timestamp_eval};

/* Floor division: truncation must go down for times before 1970 too. */
static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (eras of 400
 * years). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* The units of date_trunc, any case. */
static const char *const trunc_units[] = {"second", "minute", "hour", "day", "week", "month", "year"};

bool fn_date_trunc_check_unit(struct sl_str unit, char *why, size_t why_len, char *hint,
                              size_t hint_len)
{
    for (size_t i = 0; i < sizeof trunc_units / sizeof trunc_units[0]; i++)
        if (unit.len == strlen(trunc_units[i]) && strncasecmp(unit.ptr, trunc_units[i], unit.len) == 0)
            return true;
    snprintf(why, why_len, "unknown date_trunc unit '%.*s'", (int)(unit.len > 40 ? 40 : unit.len),
             unit.ptr);
    snprintf(hint, hint_len, "the units are second, minute, hour, day, week, month and year");
    return false;
}

static bool date_trunc_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result,
                             char *why, size_t why_len)
{
    *result = SL_TIMESTAMP;
    return fn_no_arrays(arg_types, nargs, "date_trunc", why, why_len);
}

static sl_status date_trunc_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                                struct sl_value *res)
{
    (void)nargs;
    static const struct {
        const char *name;
        int64_t us;
    } fixed[] = {
        {"second", SL_US_PER_SEC},
        {"minute", 60 * SL_US_PER_SEC},
        {"hour", 3600 * SL_US_PER_SEC},
        {"day", 86400 * SL_US_PER_SEC},
    };
    const int64_t day_us = 86400 * SL_US_PER_SEC;
    int64_t us;
    struct sl_str unit;
    *res = sl_null();
    if (argv[0].type == SL_NULL || !ts_of(argv[1], &us))
        return SL_OK;
    if (sqlval_text(argv[0], arena, &unit) != SL_OK)
        return SL_NOMEM;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        if (unit.len == strlen(fixed[i].name) &&
            strncasecmp(unit.ptr, fixed[i].name, unit.len) == 0) {
            *res = ts_value(floor_div(us, fixed[i].us) * fixed[i].us);
            return SL_OK;
        }
    }
    int64_t days = floor_div(us, day_us), y;
    int m;
    if (unit.len == 4 && strncasecmp(unit.ptr, "week", 4) == 0) {
        /* 1970-01-01 was a Thursday: days + 3 counts from a Monday. */
        int64_t monday = days - (days + 3 - floor_div(days + 3, 7) * 7);
        *res = ts_value(monday * day_us);
        return SL_OK;
    }
    civil_from_days(days, &y, &m);
    if (unit.len == 5 && strncasecmp(unit.ptr, "month", 5) == 0)
        *res = ts_value(days_from_civil(y, m, 1) * day_us);
    else if (unit.len == 4 && strncasecmp(unit.ptr, "year", 4) == 0)
        *res = ts_value(days_from_civil(y, 1, 1) * day_us);
    return SL_OK;
}

static sl_status date_trunc_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                                 struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "date_trunc", date_trunc_row);
}

const struct sl_scalar_fn fn_date_trunc = {"date_trunc", 2, 2, date_trunc_infer, date_trunc_eval};

static bool now_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result, char *why,
                      size_t why_len)
{
    (void)arg_types, (void)nargs, (void)why, (void)why_len;
    *result = SL_TIMESTAMP;
    return true;
}

static sl_status now_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                          struct sl_vector *out, struct sl_error *err)
{
    (void)args, (void)nargs, (void)err;
    int64_t now = clock_now_us();
    const uint32_t *sel = rowsel_of(rows);
    uint32_t n = chunk_active(rows);
    for (uint32_t k = 0; k < n; k++)
        vector_set(out, sel[k], ts_value(now));
    return SL_OK;
}

const struct sl_scalar_fn fn_now = {"now", 0, 0, now_infer, now_eval};
