/* clock.c — an engine's processing-time clock, system or manual (see clock.h). */
#include "engine/functions/clock.h"

#include "common/time.h"

void clock_init(struct sl_clock *c)
{
    atomic_init(&c->manual, false);
    atomic_init(&c->manual_us, 0);
}

int64_t clock_now_us(const struct sl_clock *c)
{
    return c && atomic_load(&c->manual) ? atomic_load(&c->manual_us) : sl_clock_now_us();
}

int64_t clock_deadline_us(const struct sl_clock *c)
{
    return atomic_load(&c->manual) ? atomic_load(&c->manual_us) : sl_monotonic_us();
}

void clock_set(struct sl_clock *c, bool manual, int64_t us)
{
    atomic_store(&c->manual_us, us);
    atomic_store(&c->manual, manual);
}
