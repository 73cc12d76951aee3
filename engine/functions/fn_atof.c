/*
 * fn_atof.c — text read as a double the way SQLite 3.40 reads it
 * (sqlite3_value_double() on text, and the read-back inside round() and
 * quote()): the longest numeric prefix after white space, its digits
 * gathered into a 64-bit integer (those past about 18 dropped), then
 * scaled by a power of ten built in long double. That is not correctly
 * rounded — strtod() would differ in the last bit now and then — and those
 * bits decide what round() returns and whether quote() needs 20 digits, so
 * the functions that must agree with SQLite use this instead.
 */
#include <math.h>

#include "engine/functions/fn_builtin.h"

static bool atof_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool atof_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* (neg ? -s : s) * 10^(esign * e), s > 0, e >= 0, in SQLite's order of operations: the
 * exponent is first moved into s while that stays exact, then one multiplication or division
 * by a long double power of ten, rounded once more to double. */
static double atof_scale(int64_t s, bool neg, int esign, int e)
{
    for (; e > 0; e--) {
        if (esign > 0 ? s >= INT64_MAX / 10 : s % 10 != 0)
            break;
        s = esign > 0 ? s * 10 : s / 10;
    }
    if (neg)
        s = -s;
    if (e == 0)
        return (double)s;
    long double scale = 1.0L;
    double r;
    if (e > 307) {
        if (e >= 342)
            return esign < 0 ? 0.0 * (double)s : INFINITY * (double)s;
        /* Beyond 1e307 the power is split in two, so the long double never overflows. */
        for (; e % 308; e--)
            scale *= 10.0L;
        r = esign < 0 ? (double)((long double)s / scale) : (double)((long double)s * scale);
        return esign < 0 ? r / 1.0e308 : r * 1.0e308;
    }
    /* 1e22 is the largest power of ten a double holds exactly. */
    for (; e % 22; e--)
        scale *= 10.0L;
    for (; e > 0; e -= 22)
        scale *= 1.0e22L;
    return esign < 0 ? (double)((long double)s / scale) : (double)((long double)s * scale);
}

double fn_sqlite_atof(const char *z, size_t n)
{
    /* Where SQLite stops gathering digits, so that s * 10 + 9 never overflows. */
    const int64_t full = (INT64_MAX - 9) / 10;
    size_t i = 0;
    while (i < n && atof_space(z[i]))
        i++;
    bool neg = i < n && z[i] == '-';
    if (i < n && (z[i] == '-' || z[i] == '+'))
        i++;
    int64_t s = 0;
    int d = 0; /* power of ten the gathered digits are short of (or over) */
    while (i < n && atof_digit(z[i])) {
        s = s * 10 + (z[i++] - '0');
        if (s >= full)
            for (; i < n && atof_digit(z[i]); i++)
                d++;
    }
    if (i < n && z[i] == '.') {
        for (i++; i < n && atof_digit(z[i]); i++) {
            if (s < full) {
                s = s * 10 + (z[i] - '0');
                d--;
            }
        }
    }
    int e = 0, esign = 1;
    if (i < n && (z[i] == 'e' || z[i] == 'E')) {
        i++;
        if (i < n && (z[i] == '-' || z[i] == '+'))
            esign = z[i++] == '-' ? -1 : 1;
        for (; i < n && atof_digit(z[i]); i++)
            e = e < 10000 ? e * 10 + (z[i] - '0') : 10000;
    }
    if (s == 0)
        return neg ? -0.0 : 0.0;
    e = e * esign + d;
    return atof_scale(s, neg, e < 0 ? -1 : 1, e < 0 ? -e : e);
}
