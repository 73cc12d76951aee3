/* time.c — clocks and ISO-8601 timestamps in int64 microseconds (proleptic Gregorian, UTC). */
#define _POSIX_C_SOURCE 200809L
#include "common/time.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t sl_clock_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * SL_US_PER_SEC + ts.tv_nsec / 1000;
}

int64_t sl_monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * SL_US_PER_SEC + ts.tv_nsec / 1000;
}

/* Days since 1970-01-01 of a civil date (valid for any year). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Writes v as exactly `width` digits (v >= 0 and small enough). */
static char *put_digits(char *p, int64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

void sl_ts_format(int64_t us, char out[32])
{
    int64_t days = floor_div(us, 86400 * SL_US_PER_SEC);
    /* Not us - days * a day: that product passes INT64_MIN in the last day before it. */
    int64_t rem = us % (86400 * SL_US_PER_SEC);
    if (rem < 0)
        rem += 86400 * SL_US_PER_SEC;
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    int64_t secs = rem / SL_US_PER_SEC;
    char *p = out;
    if (y < 0) {
        *p++ = '-';
        y = -y;
    }
    /* int64 microseconds span about 290,000 years either side of 1970. */
    p = put_digits(p, y, y > 99999 ? 6 : y > 9999 ? 5 : 4);
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p++ = '-';
    p = put_digits(p, d, 2);
    *p++ = ' ';
    p = put_digits(p, secs / 3600, 2);
    *p++ = ':';
    p = put_digits(p, secs / 60 % 60, 2);
    *p++ = ':';
    p = put_digits(p, secs % 60, 2);
    *p++ = '.';
    p = put_digits(p, rem % SL_US_PER_SEC, 6);
    *p = '\0';
}

/* Reads exactly n digits at s[*i]. */
static bool digits(const char *s, size_t len, size_t *i, int n, int *out)
{
    int v = 0;
    for (int k = 0; k < n; k++, (*i)++) {
        if (*i >= len || s[*i] < '0' || s[*i] > '9')
            return false;
        v = v * 10 + (s[*i] - '0');
    }
    *out = v;
    return true;
}

static int days_in_month(int64_t y, int m)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : mdays[m - 1];
}

/* The time of the fields sl_ts_parse read, when they are valid. */
static bool ts_of_fields(int y, int mo, int d, int h, int mi, int sec, int64_t frac,
                         int64_t offset_s, int64_t *out)
{
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59)
        return false;
    int64_t days = days_from_civil(y, mo, d);
    int64_t us = ((days * 86400 + h * 3600 + mi * 60 + sec) - offset_s) * SL_US_PER_SEC + frac;
    /* Years 0000-9999 in UTC only: their text form sorts as time does. */
    if (us < SL_TS_MIN_US || us > SL_TS_MAX_US)
        return false;
    *out = us;
    return true;
}

/*
 * "YYYY-MM-DD HH:MM:SS.ffffff", the form sl_ts_format writes and most inputs
 * hold, read at fixed places. False when s is not in that form (the general
 * parse reads it); true when it is, with *valid and *out its time, or not
 * *valid when a field is out of range. Times in a column mostly share their
 * second with the one before: the last valid second's text and time are kept
 * (per thread), so such a time costs a compare and six digits.
 */
static bool ts_parse_fixed(const char *s, size_t len, int64_t *out, bool *valid)
{
    static _Thread_local char last_text[19];
    static _Thread_local int64_t last_us = INT64_MIN;
    static const unsigned char places[20] = {0,  1,  2,  3,  5,  6,  8,  9,  11, 12,
                                             14, 15, 17, 18, 20, 21, 22, 23, 24, 25};
    if (len != 26 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' ||
        s[16] != ':' || s[19] != '.')
        return false;
    int v[20];
    for (int k = 14; k < 20; k++)
        if ((unsigned)(v[k] = s[places[k]] - '0') > 9)
            return false;
    int64_t frac = ((((v[14] * 10 + v[15]) * 10 + v[16]) * 10 + v[17]) * 10 + v[18]) * 10 + v[19];
    if (last_us != INT64_MIN && memcmp(s, last_text, 19) == 0) {
        *out = last_us + frac;
        *valid = true;
        return true;
    }
    for (int k = 0; k < 14; k++)
        if ((unsigned)(v[k] = s[places[k]] - '0') > 9)
            return false;
    int64_t second;
    *valid = ts_of_fields(((v[0] * 10 + v[1]) * 10 + v[2]) * 10 + v[3], v[4] * 10 + v[5],
                          v[6] * 10 + v[7], v[8] * 10 + v[9], v[10] * 10 + v[11],
                          v[12] * 10 + v[13], 0, 0, &second);
    if (*valid) {
        memcpy(last_text, s, 19);
        last_us = second;
        *out = second + frac;
    }
    return true;
}

bool sl_ts_parse(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    int y, mo, d, h = 0, mi = 0, sec = 0;
    int64_t frac = 0, offset_s = 0;
    bool valid;
    if (ts_parse_fixed(s, len, out, &valid))
        return valid;
    while (i < len && s[i] == ' ')
        i++;
    while (len > i && s[len - 1] == ' ')
        len--;
    if (!digits(s, len, &i, 4, &y) || i >= len || s[i++] != '-' || !digits(s, len, &i, 2, &mo) ||
        i >= len || s[i++] != '-' || !digits(s, len, &i, 2, &d))
        return false;
    if (i < len && (s[i] == ' ' || s[i] == 'T' || s[i] == 't')) {
        i++;
        if (!digits(s, len, &i, 2, &h) || i >= len || s[i++] != ':' || !digits(s, len, &i, 2, &mi))
            return false;
        if (i < len && s[i] == ':') {
            i++;
            if (!digits(s, len, &i, 2, &sec))
                return false;
            if (i < len && s[i] == '.') {
                i++;
                int nd = 0;
                while (i < len && s[i] >= '0' && s[i] <= '9') {
                    if (nd < 6) {
                        frac = frac * 10 + (s[i] - '0');
                        nd++;
                    }
                    i++;
                }
                if (nd == 0)
                    return false;
                while (nd++ < 6)
                    frac *= 10;
            }
        }
        if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
            i++;
        } else if (i < len && (s[i] == '+' || s[i] == '-')) {
            int sign = s[i++] == '-' ? -1 : 1, oh, om = 0;
            if (!digits(s, len, &i, 2, &oh))
                return false;
            if (i < len && s[i] == ':')
                i++;
            if (i < len && !digits(s, len, &i, 2, &om))
                return false;
            offset_s = sign * (oh * 3600 + om * 60);
        }
    }
    if (i != len)
        return false;
    return ts_of_fields(y, mo, d, h, mi, sec, frac, offset_s, out);
}

void sl_duration_format(int64_t us, char out[48])
{
    static const struct {
        int64_t us;
        const char *name;
    } units[] = {
        {86400 * SL_US_PER_SEC, "DAY"}, {3600 * SL_US_PER_SEC, "HOUR"},
        {60 * SL_US_PER_SEC, "MINUTE"}, {SL_US_PER_SEC, "SECOND"},
        {SL_US_PER_MS, "MILLISECOND"},  {1, "MICROSECOND"},
    };
    size_t u = 0;
    while (us % units[u].us != 0)
        u++;
    long long n = (long long)(us / units[u].us);
    snprintf(out, 48, "%lld %s%s", n, units[u].name, n == 1 || n == -1 ? "" : "S");
}
