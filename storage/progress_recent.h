/*
 * progress_recent.h — what a query's last batches say, from _sluice_progress:
 * its rate, the time its batches take, its watermark and late rows, for
 * DESCRIBE EXTENDED.
 */
#ifndef SL_PROGRESS_RECENT_H
#define SL_PROGRESS_RECENT_H

#include "storage/db.h"

struct db_progress_recent {
    int64_t batches; /* how many of the last batches were read (0: none committed) */
    int64_t rows_in, rows_out, late_rows;
    double seconds;     /* from the first one's start to the last one's end */
    double avg_ms;      /* a batch's duration, on average */
    char watermark[40]; /* the last one's ("" when none) */
};
/* The last n batches of query into *out. */
sl_status db_progress_recent(struct sl_db *db, const char *query, int n,
                             struct db_progress_recent *out, struct sl_error *err);

#endif
