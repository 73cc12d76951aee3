/*
 * row_codec.h — rows as bytes, to keep them in SQLite between the query
 * that emitted them and the sink that delivers them (the outbox). Each row
 * is its change kind (one byte) and its values, each a type byte and its
 * payload (little-endian as the machine writes it: the outbox never leaves
 * the machine's own database file). Decoded text points into the bytes.
 */
#ifndef SL_ROW_CODEC_H
#define SL_ROW_CODEC_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/chunk.h"

/* Appends the active rows of chunk to out. */
void row_codec_append(struct sl_buf *out, const struct sl_chunk *chunk);

/* Decodes nrows rows of ncols values from data into values (row-major) and
 * kinds, arrays in arena; false when the bytes are not such rows. */
bool row_codec_decode(const char *data, size_t len, uint32_t nrows, uint32_t ncols,
                      struct sl_value *values, uint8_t *kinds, struct sl_arena *arena);

#endif
