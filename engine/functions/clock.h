/*
 * clock.h — processing time as the engine sees it: batch start times and
 * deadlines, processing-time windows, now(). Normally the system clock;
 * `SET clock = 'manual'` or `SET clock = TIMESTAMP '...'` stops it at a time
 * that only SET moves, so tests can drive batches and windows
 * deterministically. The clock is the process's (one REPL, one engine);
 * connectors keep the real clock for their timeouts and backoff.
 */
#ifndef SL_CLOCK_H
#define SL_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* Wall-clock processing time, microseconds since the Unix epoch. */
int64_t clock_now_us(void);
/* Time for batch deadlines: monotonic on the system clock, the manual time otherwise. */
int64_t clock_deadline_us(void);
/* Stops the clock at us (manual), or gives it back to the system (manual false). */
void clock_set(bool manual, int64_t us);
bool clock_is_manual(void);

#endif
