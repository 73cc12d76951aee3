/*
 * decode_bench.h — what decode_bench.c shares with decode_jsonc.c, which
 * sits in a file of its own because json-c and jansson declare the same
 * names (json_object, json_object_get, ...) and cannot share one.
 */
#ifndef SL_DECODE_BENCH_H
#define SL_DECODE_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/chunk.h"

/* The bid's columns, in the stream's order. */
enum { AUCTION, BIDDER, PRICE, CHANNEL, URL, DATE_TIME, EXTRA, NCOLS };
extern const char *const col_names[NCOLS];
extern const enum sl_type col_types[NCOLS];

/* A growing buffer of generated lines. */
struct text {
    char *p;
    size_t len, cap;
};

/* The chunk every way decodes into. */
struct sink {
    struct sl_chunk *chunk;
    struct sl_arena *vectors; /* holds the chunk */
    struct sl_arena *strings; /* the chunk's arena: reset with the chunk */
    bool verify;              /* fold every value into checksum */
    uint64_t rows, checksum, rejected;
};

/* Folds the chunk's values into the checksum (verify runs only), counts its rows, empties it. */
void sink_flush(struct sink *s);

/* Calls row(ctx, line, len, s) for each line of in, flushing full chunks and then the last. */
void each_line(const struct text *in, struct sink *s,
               void (*row)(void *ctx, const char *line, size_t len, struct sink *s), void *ctx);

/* Column i (TEXT or TIMESTAMP) of the current row from a string a library
 * owns: a TEXT copied into the chunk's arena, a TIMESTAMP parsed. */
bool put_owned_string(struct sink *s, int i, const char *str, size_t len);

/* Prints "decode_bench: what: why" and exits. */
_Noreturn void fail(const char *what, const char *why);

/* json_tokener per line, then key lookups (decode_jsonc.c; with HAVE_JSONC only). */
void decode_jsonc(const struct text *in, struct sink *s);

#endif
