/*
 * sink_file_roll.c — INTO FILE's roll option: when a file is finished, as a
 * duration ('1 minute') or a size ('64 MB'). One option takes either because
 * users think of a rolling file one way or the other (Spark's trigger, HDFS's
 * block size); the limit it does not name stays at its default so that a
 * file is always finished in the end.
 */
#include "connectors/sink_file.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

const char *const file_roll_hint =
    "write a whole number and a unit: a duration (second, minute, hour, day; singular or "
    "plural), such as '1 minute', or a size (bytes, KB, MB, GB), such as '64 MB'";

enum roll_kind { ROLL_AGE, ROLL_SIZE };

static const struct {
    const char *unit;
    enum roll_kind kind;
    int64_t factor; /* microseconds or bytes */
} roll_units[] = {
    {"millisecond", ROLL_AGE, 1000},
    {"second", ROLL_AGE, 1000000},
    {"minute", ROLL_AGE, INT64_C(60) * 1000000},
    {"hour", ROLL_AGE, INT64_C(3600) * 1000000},
    {"day", ROLL_AGE, INT64_C(86400) * 1000000},
    {"byte", ROLL_SIZE, 1},
    {"B", ROLL_SIZE, 1},
    {"KB", ROLL_SIZE, INT64_C(1) << 10},
    {"MB", ROLL_SIZE, INT64_C(1) << 20},
    {"GB", ROLL_SIZE, INT64_C(1) << 30},
    {"KiB", ROLL_SIZE, INT64_C(1) << 10},
    {"MiB", ROLL_SIZE, INT64_C(1) << 20},
    {"GiB", ROLL_SIZE, INT64_C(1) << 30},
};

/* The unit named by p[0..n), singular or plural (durations and "bytes"), any case. */
static int roll_unit(const char *p, size_t n)
{
    for (size_t i = 0; i < sizeof roll_units / sizeof roll_units[0]; i++) {
        size_t len = strlen(roll_units[i].unit);
        bool plural = len > 3 && n == len + 1 && (p[len] == 's' || p[len] == 'S');
        if ((n == len || plural) && strncasecmp(p, roll_units[i].unit, len) == 0)
            return (int)i;
    }
    return -1;
}

bool file_roll_parse(const char *text, struct file_roll *roll)
{
    const char *p = text;
    while (*p == ' ')
        p++;
    if (!isdigit((unsigned char)*p))
        return false;
    int64_t n = 0;
    for (; isdigit((unsigned char)*p); p++) {
        if (n > (INT64_MAX - 9) / 10)
            return false;
        n = n * 10 + (*p - '0');
    }
    while (*p == ' ')
        p++;
    const char *unit = p;
    while (isalpha((unsigned char)*p))
        p++;
    int u = roll_unit(unit, (size_t)(p - unit));
    while (*p == ' ')
        p++;
    if (u < 0 || *p || n <= 0 || n > INT64_MAX / roll_units[u].factor)
        return false;
    roll->max_bytes = FILE_ROLL_DEFAULT_BYTES;
    roll->max_age_us = FILE_ROLL_DEFAULT_AGE_US;
    if (roll_units[u].kind == ROLL_AGE)
        roll->max_age_us = n * roll_units[u].factor;
    else
        roll->max_bytes = n * roll_units[u].factor;
    return true;
}
