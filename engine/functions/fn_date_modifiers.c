/*
 * fn_date_modifiers.c — the modifiers of SQLite's date and time functions:
 * "+N days|hours|minutes|seconds|months|years" (N may be fractional and
 * negative), "(+|-)HH:MM[:SS[.fff]]", "start of day|month|year",
 * "weekday N", "unixepoch", "julianday", "auto", "localtime" and "utc".
 * Each acts as SQLite's does, on the julian day or on the fields; a text
 * that is no modifier makes the whole result NULL. The process counts as
 * UTC, so 'localtime' and 'utc' only normalise the value (through SQLite's
algorithm, so that even their results on invalid values agree).
 */
#include <string.h>
#include <strings.h>
#include <time.h>

#include "engine/functions/fn_date.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* 'unixepoch' / 'auto': the raw number as unix seconds when r (its jd_ms) is in
 * range. */
static bool raw_as_unix(struct dt *p, double lo, double hi)
{
    double r = p->raw * 1000.0 + (double)DT_UNIX_EPOCH_JD_MS;
    if (!(r >= lo && r < hi))
        return false;
    dt_clear_fields(p);
    p->jd_ms = (int64_t)(r + 0.5);
    p->valid_jd = true;
    p->raw_number = false;
    return true;
}

/*
 * 'localtime' as SQLite 3.40 does it, with UTC as the local zone: the fields
 * are read back from the C library (gmtime_r), years outside 1970..2037
 * mapped into that range and back; this also clears an earlier error.
 */
static void to_localtime(struct dt *p)
{
    int year_diff = 0;
    time_t t;
    dt_compute_jd(p);
    if (p->jd_ms < INT64_C(210866760000000) || p->jd_ms > INT64_C(213014145600000)) {
        struct dt x = *p;
        dt_compute_ymd_hms(&x);
        year_diff = (2000 + x.year % 4) - x.year;
        x.year += year_diff;
        x.valid_jd = false;
        dt_compute_jd(&x);
        t = (time_t)(x.jd_ms / 1000 - DT_UNIX_EPOCH_JD_MS / 1000);
    } else {
        t = (time_t)(p->jd_ms / 1000 - DT_UNIX_EPOCH_JD_MS / 1000);
    }
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    gmtime_r(&t, &tm);
    p->year = tm.tm_year + 1900 - year_diff;
    p->month = tm.tm_mon + 1;
    p->day = tm.tm_mday;
    p->hour = tm.tm_hour;
    p->minute = tm.tm_min;
    p->sec = tm.tm_sec + (double)(p->jd_ms % 1000) * 0.001;
    p->valid_ymd = p->valid_hms = true;
    p->valid_jd = p->raw_number = p->valid_tz = p->error = false;
}

/* 'utc': the instant whose local time is p, found by SQLite's iteration (exact
 * in UTC). */
static void to_utc(struct dt *p)
{
    if (p->tz_set)
        return;
    dt_compute_jd(p);
    int64_t orig = p->jd_ms, guess = orig, err = 0;
    int cnt = 0;
    do {
        struct dt x;
        memset(&x, 0, sizeof x);
        guess -= err;
        x.jd_ms = guess;
        x.valid_jd = true;
        to_localtime(&x);
        dt_compute_jd(&x);
        err = x.jd_ms - orig;
    } while (err && cnt++ < 3);
    memset(p, 0, sizeof *p);
    p->jd_ms = guess;
    p->valid_jd = true;
    p->tz_set = true;
}

/* Units of "+N units": name, the |N| limit that keeps the result in range,
 * seconds per unit. */
static const struct {
    const char *name;
    double limit, seconds;
} units[] = {
    {"second", 4.6427e+14, 1.0}, {"minute", 7.7379e+12, 60.0},   {"hour", 1.2896e+10, 3600.0},
    {"day", 5373485.0, 86400.0}, {"month", 176546.0, 2592000.0}, {"year", 14713.0, 31536000.0},
};

/* "(+|-)HH:MM[:SS[.fff]]": adds (subtracts) that time of day. */
static bool add_hms(const char *z, struct dt *p)
{
    struct dt tx;
    memset(&tx, 0, sizeof tx);
    if (!dt_parse_hms(z + (*z == '+' || *z == '-'), &tx))
        return false;
    dt_compute_jd(&tx);
    /* tx is that time on 2000-01-01; keep only the time of day (24:00 wraps to
     * 0). */
    tx.jd_ms -= 43200000;
    tx.jd_ms -= tx.jd_ms / DT_MS_PER_DAY * DT_MS_PER_DAY;
    if (*z == '-')
        tx.jd_ms = -tx.jd_ms;
    dt_compute_jd(p);
    dt_clear_fields(p);
    p->jd_ms += tx.jd_ms;
    return true;
}

/* "N units" (the number read up to the first space is r). */
static bool add_units(const char *unit, double r, struct dt *p)
{
    while (is_space(*unit))
        unit++;
    size_t n = strlen(unit);
    if (n > 10 || n < 3)
        return false;
    if (unit[n - 1] == 's' || unit[n - 1] == 'S')
        n--;
    dt_compute_jd(p);
    bool ok = false;
    double rounder = r < 0 ? -0.5 : 0.5;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strlen(units[i].name) != n || strncasecmp(units[i].name, unit, n) != 0 ||
            !(r > -units[i].limit && r < units[i].limit))
            continue;
        if (i == 4) {
            /* Months move the month field (the day may overflow into the next month);
             * the fraction left over counts as 30-day months. */
            dt_compute_ymd_hms(p);
            p->month += (int)r;
            int x = p->month > 0 ? (p->month - 1) / 12 : (p->month - 12) / 12;
            p->year += x;
            p->month -= x * 12;
            p->valid_jd = false;
            r -= (int)r;
        } else if (i == 5) {
            dt_compute_ymd_hms(p);
            p->year += (int)r;
            p->valid_jd = false;
            r -= (int)r;
        }
        dt_compute_jd(p);
        p->jd_ms += (int64_t)(r * 1000.0 * units[i].seconds + rounder);
        ok = true;
        break;
    }
    dt_clear_fields(p);
    return ok;
}

static bool start_of(const char *what, struct dt *p)
{
    if (!p->valid_jd && !p->valid_ymd && !p->valid_hms)
        return false;
    dt_compute_ymd(p);
    p->valid_hms = true;
    p->hour = p->minute = 0;
    p->sec = 0.0;
    p->raw_number = false;
    p->valid_tz = false;
    p->valid_jd = false;
    if (strcasecmp(what, "month") == 0) {
        p->day = 1;
        return true;
    }
    if (strcasecmp(what, "year") == 0) {
        p->month = 1;
        p->day = 1;
        return true;
    }
    return strcasecmp(what, "day") == 0;
}

/* The next day (today included) that is weekday wd (0 = Sunday). */
static void to_weekday(int wd, struct dt *p)
{
    dt_compute_ymd_hms(p);
    p->valid_tz = false;
    p->valid_jd = false;
    dt_compute_jd(p);
    int64_t z = ((p->jd_ms + 129600000) / DT_MS_PER_DAY) % 7;
    if (z > wd)
        z -= 7;
    p->jd_ms += (wd - z) * DT_MS_PER_DAY;
    dt_clear_fields(p);
}

bool dt_apply_modifier(const char *z, size_t n, int idx, struct dt *p)
{
    double r;
    char c = z[0] >= 'A' && z[0] <= 'Z' ? (char)(z[0] + ('a' - 'A')) : z[0];
    switch (c) {
    case 'a':
        /* 'auto': a number is a julian day or unix seconds by its magnitude; first
         * only. */
        if (strcasecmp(z, "auto") != 0 || idx > 1)
            return false;
        if (!p->raw_number || p->valid_jd) {
            p->raw_number = false;
            return true;
        }
        return p->raw >= -210866760000.0 && p->raw <= 253402300799.0 &&
               raw_as_unix(p, -1e300, 1e300);
    case 'j':
        if (strcasecmp(z, "julianday") != 0 || idx > 1 || !(p->valid_jd && p->raw_number))
            return false;
        p->raw_number = false;
        return true;
    case 'l':
    case 'u':
        if (strcasecmp(z, "localtime") == 0 || strcasecmp(z, "utc") == 0) {
            (c == 'l' ? to_localtime : to_utc)(p);
            return true;
        }
        if (strcasecmp(z, "unixepoch") != 0 || !p->raw_number || idx > 1)
            return false;
        return raw_as_unix(p, 0.0, 464269060800000.0);
    case 'w': {
        int wd;
        if (strncasecmp(z, "weekday ", 8) != 0 || !dt_read_number(z + 8, n - 8, &r) || r < 0 ||
            r >= 7 || (wd = (int)r) != r)
            return false;
        to_weekday(wd, p);
        return true;
    }
    case 's': return strncasecmp(z, "start of ", 9) == 0 && start_of(z + 9, p);
    case '+':
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9': break;
    default: return false;
    }
    size_t k = 1;
    while (z[k] && z[k] != ':' && !is_space(z[k]))
        k++;
    if (!dt_read_number(z, k, &r))
        return false;
    return z[k] == ':' ? add_hms(z, p) : add_units(z + k, r, p);
}
