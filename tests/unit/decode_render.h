/*
 * decode_render.h — for the decoder unit tests: decodes an input with a
 * new decoder, in pieces of a given size, and renders what came out as
 * text, rows then dead letters, so two decoders (or two paths of one) can
 * be compared with one string compare and a failure shows both sides.
 */
#ifndef TEST_DECODE_RENDER_H
#define TEST_DECODE_RENDER_H

#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/arena.h"
#include "common/chunk.h"
#include "common/time.h"
#include "connectors/decoder.h"

struct render {
    char *text;
    size_t len, cap;
};

static void render_add(struct render *r, const char *s, size_t n)
{
    if (r->len + n + 1 > r->cap) {
        r->cap = (r->len + n + 1) * 2;
        r->text = sl_realloc(r->text, r->cap);
    }
    memcpy(r->text + r->len, s, n);
    r->len += n;
    r->text[r->len] = '\0';
}

static void render_letter(void *ctx, const char *record, size_t len, uint64_t offset,
                          const char *reason)
{
    char head[64];
    struct render *r = ctx;
    render_add(r, head, (size_t)snprintf(head, sizeof head, "! %llu %zu [",
                                         (unsigned long long)offset, len));
    render_add(r, record, len < 80 ? len : 80);
    render_add(r, "] ", 2);
    render_add(r, reason, strlen(reason));
    render_add(r, "\n", 1);
}

/* Appends the chunk's rows ("<text>|12|NULL") and empties it. */
static void render_rows(struct render *r, struct sl_chunk *c)
{
    for (uint32_t row = 0; row < c->count; row++) {
        for (uint32_t k = 0; k < c->ncols; k++) {
            char cell[64];
            struct sl_value v = vector_get(&c->cols[k], row);
            if (k)
                render_add(r, "|", 1);
            if (v.type == SL_TEXT) {
                render_add(r, "<", 1);
                render_add(r, v.u.s.ptr, v.u.s.len);
                render_add(r, ">", 1);
                continue;
            }
            switch (v.type) {
            case SL_NULL: snprintf(cell, sizeof cell, "NULL"); break;
            case SL_INT: snprintf(cell, sizeof cell, "%lld", (long long)v.u.i); break;
            case SL_REAL: snprintf(cell, sizeof cell, "%g", v.u.r); break;
            case SL_BOOL: snprintf(cell, sizeof cell, "%s", v.u.b ? "true" : "false"); break;
            case SL_TIMESTAMP: sl_ts_format(v.u.i, cell); break;
            default: snprintf(cell, sizeof cell, "?"); break;
            }
            render_add(r, cell, strlen(cell));
        }
        render_add(r, "\n", 1);
    }
    chunk_reset(c);
}

/* Rows and dead letters (interleaved as they came) of in[0..len) fed `step` bytes at a
 * time (0: all at once); the caller frees the text with sl_free. */
static char *decode_render(const struct sl_format_spec *spec, const struct sl_schema *schema,
                           const char *in, size_t len, size_t step)
{
    enum sl_type types[16];
    for (uint32_t i = 0; i < schema->ncols; i++)
        types[i] = schema->cols[i].type;
    struct render r = {0};
    render_add(&r, "", 0);
    struct sl_arena *arena = arena_create(0);
    struct sl_chunk *chunk = NULL;
    struct sl_decoder *dec = NULL;
    struct sl_error err;
    if (chunk_create(arena, schema->ncols, types, &chunk) != SL_OK ||
        decoder_create(spec, schema, render_letter, &r, &dec, &err) != SL_OK)
        return NULL;
    for (size_t at = 0; at < len;) {
        size_t n = step && len - at > step ? step : len - at;
        char *piece = sl_malloc(n);
        memcpy(piece, in + at, n);
        for (size_t off = 0; off < n;) {
            size_t consumed = 0;
            if (decoder_decode(dec, piece + off, n - off, &consumed, chunk, &err) != SL_OK)
                render_add(&r, "decode failed\n", 14);
            off += consumed;
            render_rows(&r, chunk);
        }
        sl_free(piece);
        at += n;
    }
    if (decoder_finish(dec, chunk, &err) != SL_OK)
        render_add(&r, "finish failed\n", 14);
    render_rows(&r, chunk);
    if (decoder_pending(dec))
        render_add(&r, "pending\n", 8);
    decoder_destroy(dec);
    arena_destroy(arena);
    return r.text;
}

#endif
