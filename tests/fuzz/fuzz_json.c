/*
 * fuzz_json.c — libFuzzer target for FORMAT JSON (connectors/decoder_json.c
 * and its scanner backend). The first input byte picks the options: bit 0
 * json_cast, bit 1 max_record_bytes = 64 (else the default), bit 2 columns
 * read by PATH (nested keys, array indexes, the whole record as TEXT) rather
 * than by top-level key; the rest is the stream's bytes, decoded by the shared
 * driver (fuzz_decode.c) into one column of each type. Besides the driver's
 * checks: a line becomes a row, a dead letter or nothing (blank), so rows plus
 * dead letters cannot outnumber the input's lines.
 */
#include <stdint.h>

#include "fuzz_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void count_rows(void *ctx, const struct sl_chunk *rows)
{
    *(uint64_t *)ctx += rows->count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct sl_column cols[] = {
        {"id", SL_INT}, {"price", SL_REAL}, {"name", SL_TEXT},
        {"ok", SL_BOOL}, {"ts", SL_TIMESTAMP}, {"doc", SL_TEXT},
    };
    static char *paths[] = {"$.a.id", "$.a.b[1]", "$.c[0][2].name", "$[0]", "$.ts", "$"};
    if (size == 0)
        return 0;
    const struct sl_schema schema = {sizeof cols / sizeof cols[0], cols};
    const struct sl_format_spec spec = {
        .kind = SL_FORMAT_JSON,
        .json_cast = data[0] & 1,
        .max_record_bytes = data[0] & 2 ? 64 : 0,
        .json_paths = data[0] & 4 ? paths : NULL,
        .njson_paths = data[0] & 4 ? sizeof paths / sizeof paths[0] : 0,
    };
    uint64_t rows = 0;
    uint64_t letters = fuzz_decode(&spec, &schema, data + 1, size - 1, count_rows, &rows, NULL);
    uint64_t lines = 1;
    for (size_t i = 1; i < size; i++)
        lines += data[i] == '\n';
    if (rows + letters > lines)
        fuzz_fail("%llu rows and %llu dead letters from %llu lines", (unsigned long long)rows,
                  (unsigned long long)letters, (unsigned long long)lines);
    return 0;
}
