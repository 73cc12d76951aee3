/*
 * time.h — timestamps are int64 microseconds since the Unix epoch, UTC.
 * The clock is injectable so processing-time behaviour can be tested with a
 * clock the test controls instead of wall-clock sleeps.
 */
#ifndef SL_TIME_H
#define SL_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SL_US_PER_MS INT64_C(1000)
#define SL_US_PER_SEC INT64_C(1000000)

/* Wall-clock time (processing time) in microseconds. */
int64_t sl_clock_now_us(void);
/* Monotonic time for durations and deadlines, in microseconds. */
int64_t sl_monotonic_us(void);

/* The timestamps text can hold: 0000-01-01 00:00:00 to 9999-12-31 23:59:59.999999 UTC. */
#define SL_TS_MIN_US (-INT64_C(62167219200) * SL_US_PER_SEC)
#define SL_TS_MAX_US (INT64_C(253402300800) * SL_US_PER_SEC - 1)

/* Writes "YYYY-MM-DD HH:MM:SS.ffffff" (26 chars + NUL) into out[32]. */
void sl_ts_format(int64_t us, char out[32]);
/* Parses ISO-8601: "YYYY-MM-DD[( |T)HH:MM[:SS[.f{1,6}]]][Z|(+|-)HH[:MM]]";
 * false for malformed text or a time outside SL_TS_MIN_US..SL_TS_MAX_US. */
bool sl_ts_parse(const char *s, size_t len, int64_t *out);

/* A duration as SQL writes it, in the largest unit that divides it: "5 SECONDS", "1 MINUTE". */
void sl_duration_format(int64_t us, char out[48]);

#endif
