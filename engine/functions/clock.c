/* clock.c — the engine's processing-time clock, system or manual (see clock.h). */
#include "engine/functions/clock.h"

#include <stdatomic.h>

#include "common/time.h"

/* Read by the batch loop's thread while the REPL's thread may SET it. */
static atomic_bool manual_on;
static _Atomic int64_t manual_us;

int64_t clock_now_us(void)
{
    return atomic_load(&manual_on) ? atomic_load(&manual_us) : sl_clock_now_us();
}

int64_t clock_deadline_us(void)
{
    return atomic_load(&manual_on) ? atomic_load(&manual_us) : sl_monotonic_us();
}

void clock_set(bool manual, int64_t us)
{
    atomic_store(&manual_us, us);
    atomic_store(&manual_on, manual);
}

bool clock_is_manual(void)
{
    return atomic_load(&manual_on);
}
