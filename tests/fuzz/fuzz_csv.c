/*
 * fuzz_csv.c — libFuzzer target for FORMAT CSV (connectors/decoder_csv*.c).
 * The first input byte picks the options: bit 0 header, bits 1-2 the
 * delimiter (, ; TAB |), bit 3 the null marker NA, bit 4 max_record_bytes
 * = 64; the rest is the stream's bytes, decoded by the shared driver
 * (fuzz_decode.c) into one column of each type, twice: with the fast path
 * for lines without stray quotes, and with every record through libcsv.
 * Besides the driver's checks: both give the same rows and the same dead
 * letters (offsets, bytes, reasons), and a record becomes a row or a dead
 * letter (or is the header), so rows plus dead letters cannot outnumber
 * the input's lines.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct rows_seen {
    uint64_t count, digest;
};

/* Counts the rows and hashes every value (a NULL as a byte of its own). */
static void hash_rows(void *ctx, const struct sl_chunk *rows)
{
    struct rows_seen *seen = ctx;
    seen->count += rows->count;
    for (uint32_t r = 0; r < rows->count; r++) {
        for (uint32_t k = 0; k < rows->ncols; k++) {
            const struct sl_vector *v = &rows->cols[k];
            uint8_t null = v->nulls[r];
            seen->digest = fuzz_fnv(seen->digest, &null, 1);
            if (null)
                continue;
            switch (v->type) {
            case SL_TEXT:
                seen->digest = fuzz_fnv(seen->digest, &v->data.s[r].len, sizeof v->data.s[r].len);
                seen->digest = fuzz_fnv(seen->digest, v->data.s[r].ptr, v->data.s[r].len);
                break;
            case SL_BOOL: seen->digest = fuzz_fnv(seen->digest, &v->data.b[r], 1); break;
            case SL_REAL:
                seen->digest = fuzz_fnv(seen->digest, &v->data.r[r], sizeof v->data.r[r]);
                break;
            default: seen->digest = fuzz_fnv(seen->digest, &v->data.i[r], sizeof v->data.i[r]);
            }
        }
    }
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
    struct sl_format_spec spec = {
        .kind = SL_FORMAT_CSV,
        .header = data[0] & 1,
        .delimiter = delimiters[(data[0] >> 1) & 3],
        .null_marker = data[0] & 8 ? "NA" : NULL,
        .max_record_bytes = data[0] & 16 ? 64 : 0,
    };
    struct rows_seen fast = {0, FUZZ_FNV_START}, slow = {0, FUZZ_FNV_START};
    uint64_t fast_digest, slow_digest;
    uint64_t letters =
        fuzz_decode(&spec, &schema, data + 1, size - 1, hash_rows, &fast, &fast_digest);
    spec.csv_libcsv_only = true;
    uint64_t slow_letters =
        fuzz_decode(&spec, &schema, data + 1, size - 1, hash_rows, &slow, &slow_digest);
    if (fast.count != slow.count || fast.digest != slow.digest)
        fuzz_fail("the fast path gave %llu rows, libcsv %llu (or other values)",
                  (unsigned long long)fast.count, (unsigned long long)slow.count);
    if (letters != slow_letters || fast_digest != slow_digest)
        fuzz_fail("the fast path gave %llu dead letters, libcsv %llu (or other ones)",
                  (unsigned long long)letters, (unsigned long long)slow_letters);
    uint64_t lines = 1;
    for (size_t i = 1; i < size; i++)
        lines += data[i] == '\n' || data[i] == '\r';
    if (fast.count + letters > lines)
        fuzz_fail("%llu rows and %llu dead letters from %llu lines",
                  (unsigned long long)fast.count, (unsigned long long)letters,
                  (unsigned long long)lines);
    return 0;
}
