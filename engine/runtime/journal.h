/*
 * journal.h — the input of a query over a stream declared WITH (journal =
 * true). What a socket or stdin hands over is committed to the database
 * (storage/journal.h) before the query uses it: that commit is the
 * acknowledgement. Offsets count the journal's bytes across runs, so a
 * checkpoint's offset is a place in it; a query started again replays the
 * journal from its checkpoint, then reads its source again. Each batch trims
 * what its checkpoint has passed.
 *
 * Records end at a newline (TEXT and CSV): a record the source had only begun
 * to send when the process stopped is dropped from the journal's end on
 * resume, since the rest of it will never follow on a new connection.
 */
#ifndef SL_ENGINE_JOURNAL_H
#define SL_ENGINE_JOURNAL_H

#include "common/buf.h"
#include "connectors/source.h"
#include "storage/db.h"

struct sl_journal {
    struct sl_db *db;    /* not owned */
    const char *query;   /* not owned */
    uint64_t first, end; /* what the journal holds: [first, end) */
    uint64_t pos;        /* the offset of the next byte handed out */
    struct sl_buf row;   /* the row being replayed, from row_start */
    uint64_t row_start;
};

/* A journal positioned at its first byte (0 for a new one). */
sl_status journal_open(struct sl_db *db, const char *query, struct sl_journal **out,
                       struct sl_error *err);
void journal_close(struct sl_journal *j);

/* Forgets what the journal held (the query starts over): deletes its rows, back to offset 0. */
sl_status journal_reset(struct sl_journal *j, struct sl_error *err);

/* Continues at a checkpoint's offset: the journal's incomplete last record is
 * dropped (*dropped says how many bytes). An empty journal starts there. An
 * offset the journal does not hold is an error. */
sl_status journal_seek(struct sl_journal *j, uint64_t offset, uint64_t *dropped,
                       struct sl_error *err);

/* Like source_read: replays the journal while it has bytes past pos, then
 * reads src and commits what it got to the journal before handing it out. */
sl_status journal_read(struct sl_journal *j, struct sl_source *src, char *buf, size_t cap,
                       size_t *n, int timeout_ms, struct sl_error *err);

/* Inside a batch's transaction: forgets the rows before offset upto. */
sl_status journal_trim(struct sl_journal *j, uint64_t upto, struct sl_error *err);

#endif
