/* partition_time.c — per-partition event time and the floor the stream's watermark follows (ops.h). */
#include "common/alloc.h"
#include "engine/ops/ops.h"

#include <string.h>

struct sl_partition_time *time_partition_find(struct sl_time_state *t, int32_t id)
{
    uint32_t lo = 0, hi = t->nparts;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (t->parts[mid].id == id)
            return &t->parts[mid];
        if (t->parts[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

sl_status time_set_partitions(struct sl_time_state *t, const int32_t *ids, uint32_t n,
                              int64_t idle_us)
{
    struct sl_partition_time *parts = sl_calloc(n ? n : 1, sizeof *parts);
    if (!parts)
        return SL_NOMEM;
    for (uint32_t i = 0; i < n; i++) {
        const struct sl_partition_time *known = time_partition_find(t, ids[i]);
        parts[i] = known ? *known
                         : (struct sl_partition_time){.id = ids[i], .max_time = INT64_MIN,
                                                      .last_seen_us = t->now};
    }
    sl_free(t->parts);
    t->parts = parts;
    t->nparts = n;
    t->idle_us = idle_us;
    return SL_OK;
}

bool time_partitions_floor(const struct sl_time_state *t, int64_t *floor)
{
    bool any = false;
    *floor = INT64_MAX;
    for (uint32_t i = 0; i < t->nparts; i++) {
        const struct sl_partition_time *p = &t->parts[i];
        if (t->now - p->last_seen_us > t->idle_us)
            continue;
        any = true;
        if (p->max_time < *floor)
            *floor = p->max_time;
    }
    return any;
}
