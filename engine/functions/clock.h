/*
 * clock.h — processing time as an engine sees it: batch start times and
 * deadlines, processing-time windows, now(). Normally the system clock;
 * `SET clock = 'manual'` or `SET clock = TIMESTAMP '...'` stops it at a time
 * that only SET moves, so tests can drive batches and windows
 * deterministically. Each engine has its own clock (struct sluice holds it),
 * so SET clock in one leaves the others alone; its queries reach it through
 * their environment, and now() through the chunk it evaluates over
 * (sl_chunk.clock). Connectors keep the real clock for their timeouts and
 * backoff.
 */
#ifndef SL_CLOCK_H
#define SL_CLOCK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* Read by the batch loop's thread while the REPL's thread may SET it. */
struct sl_clock {
    atomic_bool manual;
    _Atomic int64_t manual_us;
};

/* A clock on the system's time. */
void clock_init(struct sl_clock *c);
/* Wall-clock processing time, microseconds since the Unix epoch (c NULL: the
 * system's, for an expression evaluated outside any engine). */
int64_t clock_now_us(const struct sl_clock *c);
/* Time for batch deadlines: monotonic on the system clock, the manual time otherwise. */
int64_t clock_deadline_us(const struct sl_clock *c);
/* Stops the clock at us (manual), or gives it back to the system (manual false). */
void clock_set(struct sl_clock *c, bool manual, int64_t us);

#endif
