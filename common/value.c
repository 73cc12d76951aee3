/* value.c — type names and strict text-to-value conversion. */
#include "common/value.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *sl_type_name(enum sl_type t)
{
    switch (t) {
    case SL_NULL: return "NULL";
    case SL_BOOL: return "BOOLEAN";
    case SL_INT: return "INTEGER";
    case SL_REAL: return "REAL";
    case SL_TEXT: return "TEXT";
    case SL_TIMESTAMP: return "TIMESTAMP";
    case SL_ARRAY: return "ARRAY";
    case SL_ANY: return "ANY";
    }
    return "?";
}

bool sl_type_from_name(const char *name, size_t len, enum sl_type *out)
{
    static const struct {
        const char *name;
        enum sl_type type;
    } names[] = {
        {"BOOLEAN", SL_BOOL}, {"BOOL", SL_BOOL},       {"INTEGER", SL_INT},
        {"INT", SL_INT},      {"BIGINT", SL_INT},      {"REAL", SL_REAL},
        {"DOUBLE", SL_REAL},  {"FLOAT", SL_REAL},      {"TEXT", SL_TEXT},
        {"VARCHAR", SL_TEXT}, {"STRING", SL_TEXT},     {"TIMESTAMP", SL_TIMESTAMP},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strlen(names[i].name) == len && strncasecmp(names[i].name, name, len) == 0) {
            *out = names[i].type;
            return true;
        }
    }
    return false;
}

/* Trims ASCII spaces and copies into a NUL-terminated buffer for strto*. */
static bool trimmed(const char *s, size_t len, char *buf, size_t cap)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= cap)
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return true;
}

/* Whether c is a byte strtoll skips before a number (isspace in the C locale). */
static bool leading_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * As strtoll(s, 10) over the text trimmed of spaces and tabs, requiring it
 * whole (and, as that copy did, under 32 bytes), without the copy and the
 * library call: the CSV decoder spends a tenth of its time here.
 */
bool sl_parse_int(const char *s, size_t len, int64_t *out)
{
    /* Most fields are a few digits, maybe after a '-': 18 digits cannot overflow, so
     * they are read with no check but that each is a digit. */
    if (len && len <= 18) {
        size_t i = s[0] == '-', k = i;
        uint64_t v = 0;
        unsigned digit;
        while (k < len && (digit = (unsigned)((unsigned char)s[k] - '0')) <= 9)
            v = v * 10 + digit, k++;
        if (k == len && k > i) {
            *out = i ? -(int64_t)v : (int64_t)v;
            return true;
        }
    }
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= 32)
        return false;
    const char *p = s, *end = s + len;
    while (p < end && leading_space(*p))
        p++;
    bool negative = p < end && *p == '-';
    if (p < end && (*p == '-' || *p == '+'))
        p++;
    if (p == end)
        return false;
    /* Accumulated as a negative number, whose range holds INT64_MIN. */
    int64_t v = 0;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9')
            return false;
        int digit = *p - '0';
        if (v < (INT64_MIN + digit) / 10)
            return false;
        v = v * 10 - digit;
    }
    if (!negative && v == INT64_MIN)
        return false;
    *out = negative ? v : -v;
    return true;
}

/*
 * SQLite's numeric literals: decimal digits, a point, an exponent. strtod
 * also reads "inf", "nan" and hex floats, which SQLite does not take for a
 * number (CAST('inf' AS REAL) is 0.0): refused. A literal past the range of
 * a double is +-Inf, as SQLite reads 1e999.
 */
bool sl_parse_real(const char *s, size_t len, double *out)
{
    char buf[64], *end;
    if (!trimmed(s, len, buf, sizeof buf) || buf[strspn(buf, "0123456789+-.eE")] != '\0')
        return false;
    double v = strtod(buf, &end);
    if (*end || end == buf)
        return false;
    *out = v;
    return true;
}

bool sl_parse_bool(const char *s, size_t len, bool *out)
{
    char buf[8];
    if (!trimmed(s, len, buf, sizeof buf))
        return false;
    if (!strcasecmp(buf, "true") || !strcmp(buf, "1") || !strcasecmp(buf, "t")) {
        *out = true;
        return true;
    }
    if (!strcasecmp(buf, "false") || !strcmp(buf, "0") || !strcasecmp(buf, "f")) {
        *out = false;
        return true;
    }
    return false;
}
