/* progress.h — `sluice run --progress`: a line per committed batch per query on stderr, a summary at the end. */
#ifndef SL_CLI_PROGRESS_H
#define SL_CLI_PROGRESS_H

#include <stdio.h>

#include "engine/sluice.h"

/* One query's batches so far. */
struct query_totals {
    char *name;
    int64_t batches, rows_in, rows_out, duration_us, late_rows, dead_letters;
    bool has_watermark;
    int64_t watermark_us;
};

struct run_progress {
    FILE *out;
    struct query_totals *queries;
    int n, cap;
};

/* Points opts' progress callback at p, which prints to out. */
void run_progress_attach(struct run_progress *p, FILE *out, struct sluice_options *opts);
/* Per query: batches, rows in and out, time in batches and rows/s, the last watermark. */
void run_progress_summary(const struct run_progress *p);
void run_progress_fini(struct run_progress *p);

#endif
