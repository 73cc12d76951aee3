/*
 * fn_date.h — the time value SQLite's date and time functions work on, shared
 * by fn_date.c (parsing, the functions) and fn_date_modifiers.c (the
 * modifiers). A point in time is held as a julian day number in milliseconds
 * (jd_ms) and/or as broken-down fields; each side is computed from the other on
 * demand, as SQLite does, so that "start of month" or "+1 months" act on fields
 * and arithmetic on jd_ms. Not a public interface.
 */
#ifndef SL_FN_DATE_H
#define SL_FN_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Julian day number of 1970-01-01 00:00 UTC, in milliseconds. */
#define DT_UNIX_EPOCH_JD_MS INT64_C(210866760000000)
#define DT_MS_PER_DAY INT64_C(86400000)

struct dt {
    int64_t jd_ms; /* julian day * 86400000 */
    int year, month, day;
    int hour, minute;
    double sec;
    int tz_minutes; /* offset written in the text ("+02:00"), applied by
                       dt_compute_jd */
    double raw;     /* the number a numeric time value was given as */
    bool valid_jd, valid_ymd, valid_hms, valid_tz;
    bool tz_set;     /* a zone was written or 'utc' applied: a further 'utc' does
                        nothing */
    bool raw_number; /* raw has not been given a meaning yet ('unixepoch', 'auto'
                        may) */
    bool error;
};

/* Marks p invalid, forgetting everything (as SQLite does: a later 'utc' or
 * 'localtime' starts over from a zeroed value). */
void dt_error(struct dt *p);
/* jd_ms from the fields (2000-01-01 when there is no date); sets error when out
 * of range. */
void dt_compute_jd(struct dt *p);
/* The date fields, then the time fields, from jd_ms. */
void dt_compute_ymd(struct dt *p);
void dt_compute_ymd_hms(struct dt *p);
/* Forgets the fields, keeping jd_ms. */
void dt_clear_fields(struct dt *p);
/* "HH:MM[:SS[.fff]]" with an optional time zone; false when z is not such text.
 */
bool dt_parse_hms(const char *z, struct dt *p);
/* Whether z[0..n) is wholly a decimal number (spaces around allowed), read into
 * *r. */
bool dt_read_number(const char *z, size_t n, double *r);
/* Applies one modifier (the idx-th argument, 1-based); false when it is not
 * one. */
bool dt_apply_modifier(const char *z, size_t n, int idx, struct dt *p);

#endif
