/*
 * exec_memory.c — the engine's memory budget (SET memory_limit): after each
 * step, the state its queries' operators hold (what their stats count:
 * groups, windows, join rows) is summed; past the limit, the query holding
 * the most fails alone, with its groups and bytes, and its memory is freed,
 * before the kernel's OOM killer takes the whole process and every query
 * with it. Its last committed batch stays intact: started again with a
 * higher limit, it resumes there. Under a small limit a step's input is cut
 * (engine_step_cap), since the check comes only after the step.
 */
#include "engine/exec/engine.h"

#include "common/log.h"

#include <stdio.h>
#include <unistd.h>

int64_t engine_default_memory_limit(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    /* Half of physical memory: room for SQLite's cache, the batch arenas and neighbours. */
    if (pages <= 0 || page <= 0)
        return INT64_C(2) << 30;
    return (int64_t)pages * page / 2;
}

void engine_memory_text(int64_t bytes, char out[32])
{
    static const char *const units[] = {"bytes", "KB", "MB", "GB", "TB"};
    double v = (double)bytes;
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(out, 32, "%lld bytes", (long long)bytes);
    else
        snprintf(out, 32, "%.1f %s", v, units[u]);
}

/* The input of a step, under a small limit: a 64th of it, so that a step
 * whose rows are all new keys (state a few times the input's size) passes
 * the limit by a fraction of it, not by several times it. From a 64 MiB
 * limit up, the read buffer's 1 MiB (per lane) is smaller: no cap. The
 * check comes after the step, so this is what keeps a step's growth small. */
size_t engine_step_cap(const struct sluice *s)
{
    int64_t cap = s->memory_limit / 64;
    if (cap >= (INT64_C(1) << 20))
        return 0;
    return cap < 4096 ? 4096 : (size_t)cap;
}

int engine_enforce_memory(struct sluice *s)
{
    uint64_t total = 0, most = 0, most_groups = 0;
    int largest = -1;
    for (uint32_t i = 0; i < s->nqueries; i++) {
        struct sl_query *q = s->queries[i];
        if (q->status != SL_QUERY_RUNNING || !q->pipeline.head)
            continue;
        uint64_t groups = 0, bytes = 0;
        op_state_stats(q->pipeline.head, &groups, &bytes);
        total += bytes;
        if (largest < 0 || bytes > most) {
            largest = (int)i;
            most = bytes;
            most_groups = groups;
        }
    }
    if (largest < 0 || total <= (uint64_t)s->memory_limit)
        return -1;
    struct sl_query *q = s->queries[largest];
    char held[32], limit[32], others[32];
    engine_memory_text((int64_t)most, held);
    engine_memory_text(s->memory_limit, limit);
    engine_memory_text((int64_t)(total - most), others);
    struct sl_error err;
    sl_error_set(&err, SL_ERROR,
                 "its state of %llu groups (%s) passed memory_limit (%s, with %s held by the "
                 "other queries); it stopped at its last committed batch: raise the limit "
                 "(SET memory_limit = '...') and start it again, or bound its state (a WINDOW, "
                 "fewer keys)",
                 (unsigned long long)most_groups, held, limit, others);
    /* Failed first, so removing it does not commit the batch that grew past the budget. */
    q->status = SL_QUERY_FAILED;
    snprintf(q->error, sizeof q->error, "%s", err.msg);
    buf_printf(&s->failures, "query %s failed: %s\n", q->name, err.msg);
    sl_log(&s->log, SL_LOG_ERROR, "query %s failed: %s", q->name, err.msg);
    engine_note_failure(s, q->name, err.msg);
    engine_remove_query(s, (uint32_t)largest);
    return largest;
}
