/*
 * fuzz_decode.h — the driver the decoder fuzz targets share: feeds an input
 * to a decoder the way a running query does (engine/runtime/query.c), in pieces cut
 * where the input's hash says, and checks what comes out. Every broken rule
 * aborts with a message, which libFuzzer reports as a crash.
 */
#ifndef FUZZ_DECODE_H
#define FUZZ_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "common/chunk.h"
#include "common/status.h"
#include "connectors/decoder.h"

/* Called with each chunk of rows before it is emptied, for the target's own checks. */
typedef void (*fuzz_rows_fn)(void *ctx, const struct sl_chunk *rows);

/*
 * Decodes data[0..size) with a new decoder for spec and schema: every piece
 * is a separate heap copy (so ASan sees a read past it, or a row pointing into
 * a piece already freed), the chunk is emptied when full and after each piece,
 * then decoder_finish. Checks on the way: no call fails, each call makes
 * progress, every string is readable, booleans are 0 or 1, timestamps of
 * years 0000-9999 survive formatting and parsing again, each dead letter's bytes are the input's at
 * its offset, and nothing stays pending at the end. Returns the number of
 * dead letters; letters_digest (unless NULL) receives a hash of their
 * offsets, lengths and reasons, so two runs can be compared.
 */
uint64_t fuzz_decode(const struct sl_format_spec *spec, const struct sl_schema *schema,
                     const uint8_t *data, size_t size, fuzz_rows_fn rows, void *rows_ctx,
                     uint64_t *letters_digest);

/* FNV-1a of p[0..n) continuing from h (start with FUZZ_FNV_START). */
#define FUZZ_FNV_START UINT64_C(0xcbf29ce484222325)
uint64_t fuzz_fnv(uint64_t h, const void *p, size_t n);

/* Prints "fuzz: <message>" and aborts. */
_Noreturn void fuzz_fail(const char *fmt, ...) SL_PRINTF(1, 2);

#endif
