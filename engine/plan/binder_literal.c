/*
 * binder_literal.c — reads the text of literals: durations
 * ("5", "1 minute", "250 milliseconds") for INTERVAL and SET trigger, and
 * their diagnostics (a duration is an integer count of microseconds), and
 * option values as text.
 */
#include "engine/plan/binder.h"

#include "common/time.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    int64_t us;
} units[] = {
    {"millisecond", 1000},
    {"second", SL_US_PER_SEC},
    {"minute", 60 * SL_US_PER_SEC},
    {"hour", 3600 * SL_US_PER_SEC},
    {"day", 86400 * SL_US_PER_SEC},
};

/* A unit's name, singular or plural, any case; 0 if unknown. */
static int64_t unit_us(const char *p, size_t n)
{
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t len = strlen(units[i].name);
        if ((n == len || (n == len + 1 && (p[len] == 's' || p[len] == 'S'))) &&
            strncasecmp(p, units[i].name, len) == 0)
            return units[i].us;
    }
    return 0;
}

bool bind_duration_text(const char *s, size_t len, int64_t unit, int64_t *out_us)
{
    size_t i = 0;
    while (i < len && s[i] == ' ')
        i++;
    bool neg = i < len && s[i] == '-';
    if (i < len && (s[i] == '-' || s[i] == '+'))
        i++;
    if (i == len || !isdigit((unsigned char)s[i]))
        return false;
    int64_t n = 0;
    for (; i < len && isdigit((unsigned char)s[i]); i++) {
        if (n > (INT64_MAX - 9) / 10)
            return false;
        n = n * 10 + (s[i] - '0');
    }
    while (i < len && s[i] == ' ')
        i++;
    if (!unit) {
        size_t start = i;
        while (i < len && isalpha((unsigned char)s[i]))
            i++;
        unit = unit_us(s + start, i - start);
        while (i < len && s[i] == ' ')
            i++;
    }
    if (!unit || i != len || n > INT64_MAX / unit)
        return false;
    *out_us = neg ? -n * unit : n * unit;
    return true;
}

const char *bind_duration_hint(bool has_unit)
{
    return has_unit ? "write a whole number, such as INTERVAL '5' SECOND"
                    : "write a whole number and a unit (millisecond, second, minute, hour, day; "
                      "singular or plural), such as '1 minute'";
}

/* Reads an option's literal as text (strings, identifiers, numbers, booleans). */
bool bind_option_text(const struct ast_option *o, char *buf, size_t cap)
{
    const struct ast_expr *v = o->value;
    switch (v->kind) {
    case AST_STRING: snprintf(buf, cap, "%s", v->str); return true;
    case AST_COLUMN: snprintf(buf, cap, "%s", v->name.text); return true;
    case AST_INT: snprintf(buf, cap, "%lld", (long long)v->ival); return true;
    case AST_BOOL: snprintf(buf, cap, "%s", v->ival ? "true" : "false"); return true;
    default: return false;
    }
}
