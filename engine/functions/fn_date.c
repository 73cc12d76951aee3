/*
 * fn_date.c — SQLite's date and time functions: date(), time(), datetime(),
 * julianday(), unixepoch() and strftime(). A time value is text in SQLite's
 * formats ("YYYY-MM-DD[ HH:MM[:SS[.fff]]][tz]", "HH:MM...", "now", a number),
 * a number (a julian day; unix seconds with the 'unixepoch' modifier) or a
 * Sluice TIMESTAMP (read as its ISO text). The arithmetic is SQLite's (julian
 * day in milliseconds, its calendar formulas), so results agree to the digit.
 * 'now' is the processing time: the wall clock, read once per chunk. The
 * process counts as UTC ('localtime' and 'utc' change nothing). Anything
 * SQLite answers NULL for is NULL here too.
 */
#include "engine/functions/fn_date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/time.h"
#include "engine/functions/clock.h"
#include "engine/functions/fn_builtin.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads a fixed-width field of `width` digits in min..max from z; false
 * otherwise. */
static bool read_field(const char *z, int width, int min, int max, int *out)
{
    int v = 0;
    for (int i = 0; i < width; i++) {
        if (!is_digit(z[i]))
            return false;
        v = v * 10 + (z[i] - '0');
    }
    if (v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool dt_read_number(const char *z, size_t n, double *r)
{
    size_t i = 0, digits = 0;
    while (i < n && is_space(z[i]))
        i++;
    size_t start = i;
    if (i < n && (z[i] == '+' || z[i] == '-'))
        i++;
    for (; i < n && is_digit(z[i]); i++)
        digits++;
    if (i < n && z[i] == '.')
        for (i++; i < n && is_digit(z[i]); i++)
            digits++;
    if (digits == 0)
        return false;
    if (i < n && (z[i] == 'e' || z[i] == 'E')) {
        i++;
        if (i < n && (z[i] == '+' || z[i] == '-'))
            i++;
        if (i >= n || !is_digit(z[i]))
            return false;
        while (i < n && is_digit(z[i]))
            i++;
    }
    size_t end = i;
    while (i < n && is_space(z[i]))
        i++;
    /* strtod needs a terminated copy; a number this long is no time value anyway.
     */
    char buf[64];
    if (i != n || end - start >= sizeof buf)
        return false;
    memcpy(buf, z + start, end - start);
    buf[end - start] = '\0';
    *r = strtod(buf, NULL);
    return true;
}

/* Optional spaces, then "Z" or "(+|-)HH:MM", then spaces to the end. */
static bool parse_tz(const char *z, struct dt *p)
{
    while (is_space(*z))
        z++;
    p->tz_minutes = 0;
    int sign = 0;
    if (*z == '-' || *z == '+') {
        sign = *z == '-' ? -1 : 1;
        int h, m;
        if (!read_field(z + 1, 2, 0, 14, &h) || z[3] != ':' || !read_field(z + 4, 2, 0, 59, &m))
            return false;
        p->tz_minutes = sign * (h * 60 + m);
        z += 6;
    } else if (*z == 'Z' || *z == 'z') {
        z++;
    } else {
        return *z == '\0';
    }
    p->tz_set = true;
    while (is_space(*z))
        z++;
    return *z == '\0';
}

bool dt_parse_hms(const char *z, struct dt *p)
{
    int h, m, s = 0;
    double frac = 0;
    if (!read_field(z, 2, 0, 24, &h) || z[2] != ':' || !read_field(z + 3, 2, 0, 59, &m))
        return false;
    z += 5;
    if (*z == ':') {
        if (!read_field(z + 1, 2, 0, 59, &s))
            return false;
        z += 3;
        if (*z == '.' && is_digit(z[1])) {
            double scale = 1.0;
            for (z++; is_digit(*z); z++) {
                frac = frac * 10.0 + (*z - '0');
                scale *= 10.0;
            }
            frac /= scale;
        }
    }
    p->valid_jd = false;
    p->raw_number = false;
    p->valid_hms = true;
    p->hour = h;
    p->minute = m;
    p->sec = s + frac;
    if (!parse_tz(z, p))
        return false;
    p->valid_tz = p->tz_minutes != 0;
    return true;
}

/* "[-]YYYY-MM-DD", then spaces or 'T', then an optional time. */
static bool parse_ymd(const char *z, struct dt *p)
{
    bool neg = *z == '-';
    z += neg;
    int y, m, d;
    if (!read_field(z, 4, 0, 9999, &y) || z[4] != '-' || !read_field(z + 5, 2, 1, 12, &m) ||
        z[7] != '-' || !read_field(z + 8, 2, 1, 31, &d))
        return false;
    z += 10;
    while (is_space(*z) || *z == 'T')
        z++;
    if (!dt_parse_hms(z, p)) {
        if (*z != '\0')
            return false;
        p->valid_hms = false;
    }
    p->valid_jd = false;
    p->valid_ymd = true;
    p->year = neg ? -y : y;
    p->month = m;
    p->day = d;
    if (p->valid_tz)
        dt_compute_jd(p);
    return true;
}

/* A number as a time value: a julian day if in range; kept raw for 'unixepoch'
 * and 'auto'. */
static void set_raw_number(struct dt *p, double r)
{
    p->raw = r;
    p->raw_number = true;
    if (r >= 0.0 && r < 5373484.5) {
        p->jd_ms = (int64_t)(r * 86400000.0 + 0.5);
        p->valid_jd = true;
    }
}

/* z is NUL-terminated. */
static bool parse_time_text(const char *z, size_t n, int64_t now_jd_ms, struct dt *p)
{
    double r;
    if (parse_ymd(z, p))
        return true;
    memset(p, 0, sizeof *p);
    if (dt_parse_hms(z, p))
        return true;
    memset(p, 0, sizeof *p);
    if (n == 3 && strncasecmp(z, "now", 3) == 0) {
        p->jd_ms = now_jd_ms;
        p->valid_jd = true;
        return true;
    }
    if (dt_read_number(z, n, &r)) {
        set_raw_number(p, r);
        return true;
    }
    return false;
}

void dt_error(struct dt *p)
{
    memset(p, 0, sizeof *p);
    p->error = true;
}

void dt_compute_jd(struct dt *p)
{
    if (p->valid_jd)
        return;
    int y = 2000, m = 1, d = 1;
    if (p->valid_ymd) {
        y = p->year;
        m = p->month;
        d = p->day;
    }
    if (y < -4713 || y > 9999 || p->raw_number) {
        dt_error(p);
        return;
    }
    if (m <= 2) {
        y--;
        m += 12;
    }
    int a = y / 100;
    int b = 2 - a + a / 4;
    int x1 = 36525 * (y + 4716) / 100;
    int x2 = 306001 * (m + 1) / 10000;
    p->jd_ms = (int64_t)((x1 + x2 + d + b - 1524.5) * 86400000);
    p->valid_jd = true;
    if (p->valid_hms) {
        p->jd_ms += p->hour * INT64_C(3600000) + p->minute * INT64_C(60000) +
                    (int64_t)(p->sec * 1000 + 0.5);
        if (p->valid_tz) {
            p->jd_ms -= p->tz_minutes * INT64_C(60000);
            p->valid_ymd = p->valid_hms = p->valid_tz = false;
        }
    }
}

/* The julian days SQLite can show: 0000-01-01 .. 9999-12-31 23:59:59.999 as
 * jd_ms bounds. */
static bool valid_jd(int64_t jd_ms)
{
    return jd_ms >= 0 && jd_ms <= INT64_C(464269060799999);
}

void dt_compute_ymd(struct dt *p)
{
    if (p->valid_ymd)
        return;
    if (!p->valid_jd) {
        p->year = 2000;
        p->month = 1;
        p->day = 1;
    } else if (!valid_jd(p->jd_ms)) {
        dt_error(p);
        return;
    } else {
        /* The Meeus calendar conversion, with SQLite's integer truncations. */
        int z = (int)((p->jd_ms + 43200000) / 86400000);
        int a = (int)((z - 1867216.25) / 36524.25);
        a = z + 1 + a - (a / 4);
        int b = a + 1524;
        int c = (int)((b - 122.1) / 365.25);
        int d = (36525 * (c & 32767)) / 100;
        int e = (int)((b - d) / 30.6001);
        int x1 = (int)(30.6001 * e);
        p->day = b - d - x1;
        p->month = e < 14 ? e - 1 : e - 13;
        p->year = p->month > 2 ? c - 4716 : c - 4715;
    }
    p->valid_ymd = true;
}

static void compute_hms(struct dt *p)
{
    if (p->valid_hms)
        return;
    dt_compute_jd(p);
    int ms = (int)((p->jd_ms + 43200000) % 86400000);
    p->sec = ms / 1000.0;
    int s = (int)p->sec;
    p->sec -= s;
    p->hour = s / 3600;
    s -= p->hour * 3600;
    p->minute = s / 60;
    p->sec += s - p->minute * 60;
    p->raw_number = false;
    p->valid_hms = true;
}

void dt_compute_ymd_hms(struct dt *p)
{
    dt_compute_ymd(p);
    compute_hms(p);
}

void dt_clear_fields(struct dt *p)
{
    p->valid_ymd = p->valid_hms = p->valid_tz = false;
}

/* A NUL-terminated copy of a text argument: parsing looks ahead by fixed
 * offsets. It ends at the first NUL byte, as SQLite reads it. */
static char *cstr(struct sl_value v, struct sl_arena *arena, size_t *len)
{
    struct sl_str s;
    if (sqlval_text(v, arena, &s) != SL_OK)
        return NULL;
    s = sqlval_c_str(s);
    *len = s.len;
    return arena_strndup(arena, s.ptr, s.len);
}

/*
 * The time value of argv[0] with the modifiers argv[1..nargs) applied (no
 * arguments: now). Returns 1 on success, 0 for NULL, -1 when out of memory.
 */
static int time_value(const struct sl_value *argv, int nargs, int64_t now_jd_ms,
                      struct sl_arena *arena, struct dt *p)
{
    memset(p, 0, sizeof *p);
    if (nargs == 0) {
        p->jd_ms = now_jd_ms;
        p->valid_jd = true;
        return 1;
    }
    struct sl_value t = argv[0];
    if (t.type == SL_NULL)
        return 0;
    if (t.type == SL_INT || t.type == SL_REAL) {
        set_raw_number(p, fn_real_of(t));
    } else {
        size_t len;
        char *z = cstr(t, arena, &len);
        if (!z)
            return -1;
        if (!parse_time_text(z, len, now_jd_ms, p))
            return 0;
    }
    for (int a = 1; a < nargs; a++) {
        if (argv[a].type == SL_NULL)
            return 0;
        size_t len;
        char *z = cstr(argv[a], arena, &len);
        if (!z)
            return -1;
        if (!dt_apply_modifier(z, len, a, p))
            return 0;
    }
    dt_compute_jd(p);
    return p->error || !valid_jd(p->jd_ms) ? 0 : 1;
}

enum dt_fn { DT_DATE, DT_TIME, DT_DATETIME, DT_JULIANDAY, DT_UNIXEPOCH, DT_STRFTIME };

/* A year as date() and datetime() show it: the sign, then at least four digits.
 */
static int format_year(char *out, int y)
{
    return sprintf(out, y < 0 ? "-%04d" : "%04d", y < 0 ? -y : y);
}

/* strftime's text for format fmt (NUL-terminated) or NULL for an unknown
 * conversion. */
static sl_status strftime_text(const char *fmt, struct dt *x, struct sl_arena *arena,
                               struct sl_value *res)
{
    size_t cap = 64, len = 0;
    for (const char *f = fmt; *f; f++)
        cap += *f == '%' ? FN_REAL_TEXT_MAX + 32 : 1;
    char *out = arena_alloc(arena, cap);
    if (!out)
        return SL_NOMEM;
    *res = sl_null();
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            out[len++] = *f;
            continue;
        }
        f++;
        switch (*f) {
        case 'd': len += (size_t)sprintf(out + len, "%02d", x->day); break;
        case 'f':
            len += (size_t)sprintf(out + len, "%06.3f", x->sec > 59.999 ? 59.999 : x->sec);
            break;
        case 'H': len += (size_t)sprintf(out + len, "%02d", x->hour); break;
        case 'W':
        case 'j': {
            /* Days since January 1st of the same year, at the same time of day. */
            struct dt y = *x;
            y.valid_jd = false;
            y.month = 1;
            y.day = 1;
            dt_compute_jd(&y);
            int nday = (int)((x->jd_ms - y.jd_ms + 43200000) / 86400000);
            if (*f == 'W') {
                int wd = (int)(((x->jd_ms + 43200000) / 86400000) % 7); /* 0 = Monday */
                len += (size_t)sprintf(out + len, "%02d", (nday + 7 - wd) / 7);
            } else {
                len += (size_t)sprintf(out + len, "%03d", nday + 1);
            }
            break;
        }
        case 'J':
            len += fn_format_real(x->jd_ms / 86400000.0, 'g', 16, false, false, 0, out + len);
            break;
        case 'm': len += (size_t)sprintf(out + len, "%02d", x->month); break;
        case 'M': len += (size_t)sprintf(out + len, "%02d", x->minute); break;
        case 's':
            len += (size_t)sprintf(out + len, "%lld",
                                   (long long)(x->jd_ms / 1000 - DT_UNIX_EPOCH_JD_MS / 1000));
            break;
        case 'S': len += (size_t)sprintf(out + len, "%02d", (int)x->sec); break;
        case 'w': out[len++] = (char)('0' + ((x->jd_ms + 129600000) / 86400000) % 7); break;
        case 'Y':
            len += (size_t)sprintf(out + len, "%04d", x->year);
            break; /* "-606", unlike date() */
        case '%': out[len++] = '%'; break;
        default: return SL_OK;
        }
    }
    *res = fn_text_value(out, len);
    return SL_OK;
}

static sl_status dt_row(enum dt_fn fn, const struct sl_value *argv, int nargs, int64_t now_jd_ms,
                        struct sl_arena *arena, struct sl_value *res)
{
    struct dt x;
    const char *fmt = NULL;
    *res = sl_null();
    if (fn == DT_STRFTIME) {
        size_t len;
        if (argv[0].type == SL_NULL)
            return SL_OK;
        if (!(fmt = cstr(argv[0], arena, &len)))
            return SL_NOMEM;
        argv++, nargs--;
    }
    int ok = time_value(argv, nargs, now_jd_ms, arena, &x);
    if (ok <= 0)
        return ok == 0 ? SL_OK : SL_NOMEM;
    char buf[48];
    int n = 0;
    switch (fn) {
    case DT_JULIANDAY: *res = fn_real_value(x.jd_ms / 86400000.0); return SL_OK;
    case DT_UNIXEPOCH:
        *res = fn_int_value(x.jd_ms / 1000 - DT_UNIX_EPOCH_JD_MS / 1000);
        return SL_OK;
    case DT_STRFTIME: dt_compute_ymd_hms(&x); return strftime_text(fmt, &x, arena, res);
    case DT_DATE:
        dt_compute_ymd(&x);
        n = format_year(buf, x.year);
        n += snprintf(buf + n, sizeof buf - (size_t)n, "-%02d-%02d", x.month, x.day);
        break;
    case DT_TIME:
        compute_hms(&x);
        n = snprintf(buf, sizeof buf, "%02d:%02d:%02d", x.hour, x.minute, (int)x.sec);
        break;
    case DT_DATETIME:
        dt_compute_ymd_hms(&x);
        n = format_year(buf, x.year);
        n += snprintf(buf + n, sizeof buf - (size_t)n, "-%02d-%02d %02d:%02d:%02d", x.month, x.day,
                      x.hour, x.minute, (int)x.sec);
        break;
    }
    char *p = arena_memdup(arena, buf, (size_t)n);
    if (!p)
        return SL_NOMEM;
    *res = fn_text_value(p, (size_t)n);
    return SL_OK;
}

/* Whether strftime's text for format f depends on the time's whole second only (every
 * conversion but %f and %J). */
static bool whole_second_format(struct sl_str f)
{
    for (uint32_t i = 0; i + 1 < f.len; i++)
        if (f.ptr[i] == '%' && (f.ptr[++i] == 'f' || f.ptr[i] == 'J'))
            return false;
    return true;
}

/*
 * strftime(format, t) of a TIMESTAMP t is the same text for every t in the same
 * second when the format shows whole seconds only, as long as t's fraction is
 * below .999 (from .9995 on, SQLite's rounding to milliseconds carries into the
 * next second; .999 keeps a margin). The times of a chunk mostly share their
 * second, so the text is made once per second (vfprintf was q17's top cost).
 */
struct strftime_reuse {
    bool valid;
    int64_t second;
    struct sl_str format;
    struct sl_value text;
};

/* The second whose text t can reuse; false for a call or time that cannot. */
static bool strftime_second(enum dt_fn fn, const struct sl_value *argv, int nargs,
                            int64_t *second)
{
    if (fn != DT_STRFTIME || nargs != 2 || argv[0].type != SL_TEXT ||
        argv[1].type != SL_TIMESTAMP)
        return false;
    int64_t us = argv[1].u.i, s = us / SL_US_PER_SEC;
    if (us - s * SL_US_PER_SEC < 0)
        s--;
    *second = s;
    return us - s * SL_US_PER_SEC < 999000;
}

static bool same_text(struct sl_str a, struct sl_str b)
{
    return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}

/* Like fn_map, with 'now' read once for the whole chunk. */
static sl_status dt_eval(enum dt_fn fn, const char *name, struct sl_vector *args, int nargs,
                         const struct sl_chunk *rows, struct sl_vector *out, struct sl_error *err)
{
    struct sl_value argv[FN_MAX_ARGS];
    if (nargs > FN_MAX_ARGS)
        return sl_error_set(err, SL_ERROR, "%s() takes at most %d arguments", name, FN_MAX_ARGS);
    int64_t now_us = clock_now_us(rows->clock);
    /* Floor to milliseconds, as SQLite's clock has it. */
    int64_t now_jd_ms = DT_UNIX_EPOCH_JD_MS + (now_us - (((now_us % 1000) + 1000) % 1000)) / 1000;
    const uint32_t *sel = rowsel_of(rows);
    uint32_t n = chunk_active(rows);
    struct strftime_reuse last = {0};
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = sel[k];
        fn_row_args(args, nargs, i, argv);
        struct sl_value res;
        int64_t second;
        bool reusable = strftime_second(fn, argv, nargs, &second);
        if (reusable && last.valid && second == last.second &&
            same_text(argv[0].u.s, last.format)) {
            res = last.text;
        } else if (dt_row(fn, argv, nargs, now_jd_ms, rows->arena, &res) != SL_OK) {
            return sl_error_set(err, SL_NOMEM, "out of memory in %s()", name);
        } else if (reusable && whole_second_format(argv[0].u.s)) {
            last = (struct strftime_reuse){true, second, argv[0].u.s, res};
        }
        if (sqlval_store(out, i, res, rows->arena) != SL_OK)
            return sl_error_set(err, SL_NOMEM, "out of memory in %s()", name);
    }
    return SL_OK;
}

#define DT_FUNCTION(ident, kind, type, min)                                                        \
    static bool ident##_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result,      \
                              char *why, size_t why_len)                                           \
    {                                                                                              \
        *result = type;                                                                            \
        return fn_no_arrays(arg_types, nargs, #ident, why, why_len);                               \
    }                                                                                              \
    static sl_status ident##_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,  \
                                  struct sl_vector *out, struct sl_error *err)                     \
    {                                                                                              \
        return dt_eval(kind, #ident, args, nargs, rows, out, err);                                 \
    }                                                                                              \
    const struct sl_scalar_fn fn_##ident = {#ident, min, -1, ident##_infer, ident##_eval};

DT_FUNCTION(date, DT_DATE, SL_TEXT, 0)
DT_FUNCTION(time, DT_TIME, SL_TEXT, 0)
DT_FUNCTION(datetime, DT_DATETIME, SL_TEXT, 0)
DT_FUNCTION(julianday, DT_JULIANDAY, SL_REAL, 0)
DT_FUNCTION(unixepoch, DT_UNIXEPOCH, SL_INT, 0)
DT_FUNCTION(strftime, DT_STRFTIME, SL_TEXT, 1)
