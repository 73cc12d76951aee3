/*
 * fuzz_csv.c — libFuzzer target for FORMAT CSV (connectors/decoder_csv.c).
 * The first input byte picks the options: bit 0 header, bits 1-2 the
 * delimiter (, ; TAB |), bit 3 the null marker NA; the rest is the stream's
 * bytes, decoded by the shared driver (fuzz_decode.c) into one column of
 * each type. Besides the driver's checks: a record becomes a row or a dead
 * letter (or is the header), so rows plus dead letters cannot outnumber the
 * input's lines.
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
        {"ok", SL_BOOL}, {"ts", SL_TIMESTAMP},
    };
    static const char delimiters[] = {',', ';', '\t', '|'};
    if (size == 0)
        return 0;
    const struct sl_schema schema = {sizeof cols / sizeof cols[0], cols};
    const struct sl_format_spec spec = {
        .kind = SL_FORMAT_CSV,
        .header = data[0] & 1,
        .delimiter = delimiters[(data[0] >> 1) & 3],
        .null_marker = data[0] & 8 ? "NA" : NULL,
    };
    uint64_t rows = 0;
    uint64_t letters = fuzz_decode(&spec, &schema, data + 1, size - 1, count_rows, &rows);
    uint64_t lines = 1;
    for (size_t i = 1; i < size; i++)
        lines += data[i] == '\n' || data[i] == '\r';
    if (rows + letters > lines)
        fuzz_fail("%llu rows and %llu dead letters from %llu lines", (unsigned long long)rows,
                  (unsigned long long)letters, (unsigned long long)lines);
    return 0;
}
