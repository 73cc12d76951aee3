/*
 * journal.h — the raw input a query read from a stream declared WITH
 * (journal = true), in _sluice_journal(query, start, data): each read is a
 * row holding bytes [start, start + length(data)) of the query's input, so
 * rows follow each other without gaps. A read is appended in its own
 * transaction (committed means acknowledged); a batch's transaction trims
 * what its checkpoint no longer needs.
 */
#ifndef SL_JOURNAL_H
#define SL_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/status.h"

struct sl_db;

/* Appends bytes at start, committed on return (outside any other transaction). */
sl_status db_journal_append(struct sl_db *db, const char *query, uint64_t start,
                            const void *data, size_t len, struct sl_error *err);
/* The first and the end offset of what the query's journal holds (both 0 when it is empty). */
sl_status db_journal_bounds(struct sl_db *db, const char *query, uint64_t *first, uint64_t *end,
                            struct sl_error *err);
/* The row holding byte pos: its start into *start, its bytes into out (cleared
 * first); *found false when no row holds pos. */
sl_status db_journal_row(struct sl_db *db, const char *query, uint64_t pos, uint64_t *start,
                         struct sl_buf *out, bool *found, struct sl_error *err);
/* Deletes the rows that end at or before upto (read by committed batches). */
sl_status db_journal_trim(struct sl_db *db, const char *query, uint64_t upto,
                          struct sl_error *err);
/* Drops every byte from at on (an incomplete record at the end). */
sl_status db_journal_cut(struct sl_db *db, const char *query, uint64_t at, struct sl_error *err);
/* Deletes the query's journal. */
sl_status db_journal_delete(struct sl_db *db, const char *query, struct sl_error *err);

#endif
