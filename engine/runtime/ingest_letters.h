/*
 * ingest_letters.h — a push stream's dead letters, kept once by its ingest.
 * Each record the ingest appends to the stream's log is decoded there too,
 * as every query will decode it (the stream's FORMAT over its declared
 * columns), and the records it cannot decode become dead letters written in
 * the transaction that appends the record: once per stream, neither lost
 * nor doubled by a kill -9, however many queries read the log (they count
 * them in their progress but do not keep them again).
 */
#ifndef SL_INGEST_LETTERS_H
#define SL_INGEST_LETTERS_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

struct sl_db;
struct sl_stream_def;
struct ingest_letters;

/* A decoder for def's records; *out NULL after an error. */
sl_status ingest_letters_create(const struct sl_stream_def *def, struct ingest_letters **out,
                                struct sl_error *err);
void ingest_letters_destroy(struct ingest_letters *l);
/* Decodes the record the log will hold at position pos, keeping its dead letters. */
void ingest_letters_decode(struct ingest_letters *l, const char *data, size_t len, uint64_t pos);
/* Writes the letters kept (in the caller's transaction, with the log rows they came
 * from); source names where the stream reads. Kept until ingest_letters_clear. */
sl_status ingest_letters_write(struct ingest_letters *l, struct sl_db *db, const char *source,
                               struct sl_error *err);
/* Forgets the letters kept (after their transaction committed). */
void ingest_letters_clear(struct ingest_letters *l);

#endif
