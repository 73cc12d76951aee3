/*
 * fuzz_text.c — libFuzzer target for FORMAT TEXT (connectors/decoder_text.c):
 * the input is the stream's bytes, decoded into one TEXT column by the
 * shared driver (fuzz_decode.c). TEXT is simple enough to check whole: the
 * rows must be exactly the input's lines ('\n'-separated, a trailing '\r'
 * dropped, a last line without '\n' still a line, a UTF-8 byte order mark
 * opening the input skipped) that are well-formed UTF-8, and every other
 * line a dead letter.
 */
#include <stdint.h>
#include <string.h>

#include "common/utf8.h"
#include "fuzz_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct lines {
    const uint8_t *input;
    size_t size;
    size_t pos; /* start of the next line not yet matched by a row */
    uint64_t bad; /* lines passed over as not UTF-8 */
};

/* The next line at l->pos (without its '\n' or a trailing '\r'); moves l->pos past it. */
static size_t next_line(struct lines *l, const uint8_t **start)
{
    *start = l->input + l->pos;
    const uint8_t *nl = memchr(*start, '\n', l->size - l->pos);
    size_t len = nl ? (size_t)(nl - *start) : l->size - l->pos;
    l->pos += nl ? len + 1 : len;
    if (len && (*start)[len - 1] == '\r')
        len--;
    return len;
}

/* The next well-formed line, counting those it passes over. */
static size_t next_good_line(struct lines *l, const uint8_t **start)
{
    for (;;) {
        size_t len = next_line(l, start);
        if (sl_utf8_invalid_at((const char *)*start, len) == len)
            return len;
        l->bad++;
        if (l->pos >= l->size)
            return SIZE_MAX;
    }
}

/* Matches each row with the next line of the input. */
static void check_lines(void *ctx, const struct sl_chunk *rows)
{
    struct lines *l = ctx;
    const struct sl_vector *v = &rows->cols[0];
    for (uint32_t r = 0; r < rows->count; r++) {
        if (l->pos >= l->size)
            fuzz_fail("a row after the last line (input is %zu bytes)", l->size);
        if (v->nulls[r])
            fuzz_fail("line at byte %zu decoded as NULL", l->pos);
        const uint8_t *start;
        size_t len = next_good_line(l, &start);
        if (len == SIZE_MAX)
            fuzz_fail("a row after the last well-formed line");
        if (v->data.s[r].len != len || (len && memcmp(v->data.s[r].ptr, start, len) != 0))
            fuzz_fail("line at byte %zu (%zu bytes) decoded as %u other bytes",
                      (size_t)(start - l->input), len, v->data.s[r].len);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct sl_column cols[] = {{"line", SL_TEXT}};
    const struct sl_schema schema = {1, cols};
    const struct sl_format_spec spec = {.kind = SL_FORMAT_TEXT};
    size_t mark = size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    struct lines lines = {.input = data, .size = size, .pos = mark};
    uint64_t letters = fuzz_decode(&spec, &schema, data, size, check_lines, &lines, NULL);
    while (lines.pos < lines.size) {
        const uint8_t *start;
        if (next_good_line(&lines, &start) != SIZE_MAX)
            fuzz_fail("no row for the line at byte %zu", (size_t)(start - data));
    }
    if (letters != lines.bad)
        fuzz_fail("%llu dead letters for %llu lines that are not UTF-8",
                  (unsigned long long)letters, (unsigned long long)lines.bad);
    return 0;
}
