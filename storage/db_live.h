/*
 * db_live.h — reading back a live SELECT's table (the shell's SELECT over a
 * stream) after a batch, ordered and cut as the SELECT asked. The engine
 * says which rows and in what order; the SQL is written here.
 */
#ifndef SL_DB_LIVE_H
#define SL_DB_LIVE_H

#include "storage/db.h"

/* One ORDER BY term, over a column of the table. */
struct db_order_term {
    const char *column;
    bool desc;
};

struct db_live_read {
    const char *table;
    const struct db_order_term *order;
    uint32_t norder;
    /* Rows keep their arrival (rowid) order among equals: a projection's. */
    bool arrival_order;
    /* Only the rows appended in (after_rowid, upto_rowid]: a projection's batch. */
    bool rowid_range;
    int64_t after_rowid, upto_rowid;
    int64_t limit; /* -1: no LIMIT */
};

/* A fresh name for a live SELECT's scratch table (a system name, _sluice_live_<seq>_<stamp>). */
void db_live_table_name(char *out, size_t cap, uint32_t seq, int64_t stamp);

/* The largest rowid of the table into *max; *max is left as it was when the table is empty. */
sl_status db_table_max_rowid(struct sl_db *db, const char *table, int64_t *max,
                             struct sl_error *err);
/* Calls row_fn for the header, then for each row read (as db_query_text does). */
sl_status db_live_read(struct sl_db *db, const struct db_live_read *r, db_row_fn row_fn,
                       void *ctx, struct sl_error *err);

#endif
