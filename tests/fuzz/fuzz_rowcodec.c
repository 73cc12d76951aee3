/*
 * fuzz_rowcodec.c — libFuzzer target for the outbox's rows
 * (engine/values/row_codec.c): byte 0 is the number of columns (1-8), byte 1
 * the number of rows (0-15), the rest the encoding. Bytes that are not such
 * rows are refused; bytes that are decode to values that encode again to the
 * same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/values/row_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    uint32_t ncols = data[0] % 8 + 1, nrows = data[1] % 16;
    const char *bytes = (const char *)data + 2;
    size_t len = size - 2;
    struct sl_arena *arena = arena_create(0);
    struct sl_value values[8 * 16];
    uint8_t kinds[16];
    if (arena && row_codec_decode(bytes, len, nrows, ncols, values, kinds, arena)) {
        /* Encoded again through a chunk of SL_ANY columns (what a vector of any type holds). */
        enum sl_type types[8];
        for (uint32_t c = 0; c < ncols; c++)
            types[c] = SL_ANY;
        struct sl_chunk *chunk;
        struct sl_buf again;
        buf_init(&again);
        if (chunk_create(arena, ncols, types, &chunk) == SL_OK) {
            chunk->row_kinds = kinds;
            for (uint32_t r = 0; r < nrows; r++)
                for (uint32_t c = 0; c < ncols; c++)
                    vector_set(&chunk->cols[c], r, values[r * ncols + c]);
            chunk->count = nrows;
            row_codec_append(&again, chunk);
            if (again.len != len || (len && memcmp(again.data, bytes, len) != 0)) {
                fprintf(stderr, "fuzz: rows decoded do not encode to the same bytes\n");
                abort();
            }
        }
        buf_free(&again);
    }
    arena_destroy(arena);
    return 0;
}
