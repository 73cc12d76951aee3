/*
 * fuzz_decode.c — the decoder fuzz driver (see fuzz_decode.h). The cut
 * schedule comes from an FNV-1a hash of the input, so a given input is always
 * cut the same way: one piece, two pieces, or many small or medium ones.
 */
#include "fuzz_decode.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/time.h"

struct letters {
    const uint8_t *input;
    size_t size;
    uint64_t count;
    uint64_t digest;
};

/* Keeps string checks from being optimised away. */
static volatile uint8_t sink;

_Noreturn void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

static void on_dead_letter(void *ctx, const char *record, size_t len, uint64_t offset,
                           const char *reason)
{
    struct letters *l = ctx;
    if (!reason || !reason[0])
        fuzz_fail("dead letter at %" PRIu64 " without a reason", offset);
    if (offset > l->size || len > l->size - offset ||
        (len && memcmp(record, l->input + offset, len) != 0))
        fuzz_fail("dead letter at %" PRIu64 " (%zu bytes, %s) is not the input's bytes there "
                  "(input is %zu bytes)", offset, len, reason, l->size);
    l->count++;
    l->digest = fuzz_fnv(l->digest, &offset, sizeof offset);
    l->digest = fuzz_fnv(l->digest, &len, sizeof len);
    l->digest = fuzz_fnv(l->digest, reason, strlen(reason));
}

/* Reads every value of the chunk's rows and applies the type rules. */
static void check_values(const struct sl_chunk *c)
{
    for (uint32_t k = 0; k < c->ncols; k++) {
        const struct sl_vector *v = &c->cols[k];
        for (uint32_t r = 0; r < c->count; r++) {
            if (v->nulls[r])
                continue;
            switch (v->type) {
            case SL_TEXT: {
                uint8_t x = 0;
                for (uint32_t i = 0; i < v->data.s[r].len; i++)
                    x ^= (uint8_t)v->data.s[r].ptr[i];
                sink = x;
                break;
            }
            case SL_BOOL:
                if (v->data.b[r] > 1)
                    fuzz_fail("row %u column %u: boolean byte %u", r, k, v->data.b[r]);
                break;
            case SL_TIMESTAMP: {
                /* The parser reads years 0000-9999 only; an offset at either end of
                 * that range gives a UTC year outside it, written but not read back. */
                char text[32];
                int64_t back = 0;
                sl_ts_format(v->data.i[r], text);
                bool four_digit_year = text[0] != '-' && text[4] == '-';
                if (four_digit_year &&
                    (!sl_ts_parse(text, strlen(text), &back) || back != v->data.i[r]))
                    fuzz_fail("row %u column %u: timestamp %" PRId64 " is written as '%s', "
                              "which reads back as %" PRId64, r, k, v->data.i[r], text, back);
                break;
            }
            default: break;
            }
        }
    }
}

static void drain(struct sl_chunk *c, fuzz_rows_fn rows, void *rows_ctx)
{
    check_values(c);
    if (rows)
        rows(rows_ctx, c);
    chunk_reset(c);
}

uint64_t fuzz_fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3u;
    return h;
}

static uint64_t next_rand(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

/* Length of the next piece (at least 1), given what is left; cut is mode 1's cut point. */
static size_t next_piece(uint64_t mode, uint64_t *rng, size_t cut, size_t size, size_t off)
{
    size_t left = size - off;
    size_t n = left;
    switch (mode) {
    case 1: n = off < cut ? cut - off : left; break;
    case 2: n = 1 + (size_t)(next_rand(rng) % 8); break;
    case 3: n = 1 + (size_t)(next_rand(rng) % 512); break;
    default: break;
    }
    return n < left ? n : left;
}

/* Decodes one piece of input as decode_and_push in engine/runtime/query.c does. */
static void feed(struct sl_decoder *d, const char *piece, size_t n, struct sl_chunk *c,
                 fuzz_rows_fn rows, void *rows_ctx)
{
    size_t off = 0;
    while (off < n) {
        size_t consumed = 0;
        struct sl_error err;
        sl_error_clear(&err);
        if (decoder_decode(d, piece + off, n - off, &consumed, c, &err) != SL_OK)
            fuzz_fail("decoder_decode failed: %s", err.msg);
        if (consumed > n - off)
            fuzz_fail("decoder_decode consumed %zu of %zu bytes", consumed, n - off);
        off += consumed;
        if (c->count == SL_CHUNK_CAP || (consumed == 0 && c->count > 0))
            drain(c, rows, rows_ctx);
        else if (consumed == 0)
            fuzz_fail("decoder_decode made no progress with %zu bytes left", n - off);
    }
    if (c->count)
        drain(c, rows, rows_ctx);
}

uint64_t fuzz_decode(const struct sl_format_spec *spec, const struct sl_schema *schema,
                     const uint8_t *data, size_t size, fuzz_rows_fn rows, void *rows_ctx,
                     uint64_t *letters_digest)
{
    enum sl_type types[16];
    if (schema->ncols > sizeof types / sizeof types[0])
        fuzz_fail("schema of %u columns is too wide", schema->ncols);
    for (uint32_t i = 0; i < schema->ncols; i++)
        types[i] = schema->cols[i].type;
    struct sl_arena *arena = arena_create(0);
    struct sl_chunk *chunk = NULL;
    struct sl_decoder *dec = NULL;
    struct letters letters = {.input = data, .size = size, .digest = FUZZ_FNV_START};
    struct sl_error err;
    sl_error_clear(&err);
    if (!arena || chunk_create(arena, schema->ncols, types, &chunk) != SL_OK)
        fuzz_fail("out of memory");
    if (decoder_create(spec, schema, on_dead_letter, &letters, &dec, &err) != SL_OK)
        fuzz_fail("decoder_create: %s", err.msg);

    uint64_t h = fuzz_fnv(FUZZ_FNV_START, data, size);
    uint64_t rng = h | 1;
    size_t cut = (size_t)((h >> 8) % (size + 1));
    for (size_t off = 0; off < size;) {
        size_t n = next_piece(h % 4, &rng, cut, size, off);
        char *piece = malloc(n);
        if (!piece)
            fuzz_fail("out of memory");
        memcpy(piece, data + off, n);
        feed(dec, piece, n, chunk, rows, rows_ctx);
        free(piece);
        off += n;
    }
    if (decoder_finish(dec, chunk, &err) != SL_OK)
        fuzz_fail("decoder_finish: %s", err.msg);
    drain(chunk, rows, rows_ctx);
    if (decoder_pending(dec) != 0)
        fuzz_fail("%zu bytes still pending after decoder_finish", decoder_pending(dec));
    decoder_destroy(dec);
    arena_destroy(arena);
    if (letters_digest)
        *letters_digest = letters.digest;
    return letters.count;
}
