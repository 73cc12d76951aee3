/* ingest_letters.c — a push stream's dead letters, kept once by its ingest (see ingest_letters.h). */
#include "engine/runtime/ingest_letters.h"

#include <string.h>

#include "common/alloc.h"
#include "common/arena.h"
#include "common/chunk.h"
#include "connectors/decoder.h"
#include "engine/plan/catalog.h"
#include "storage/db.h"

struct kept_letter {
    uint64_t pos;
    const char *record, *reason;
    size_t len;
};

struct ingest_letters {
    const struct sl_stream_def *def;
    struct sl_decoder *decoder;
    struct sl_schema schema;
    enum sl_type *types;
    struct sl_arena *rows;    /* the decoded rows, dropped after each step */
    struct sl_arena *letters; /* the kept letters' bytes, until they are written */
    struct kept_letter *kept;
    uint32_t nkept, cap;
    uint64_t pos; /* the record being decoded */
    bool lost;    /* a letter could not be kept: the commit fails rather than drop it */
};

static void keep_letter(void *ctx, const char *record, size_t len, uint64_t offset,
                        const char *reason)
{
    (void)offset; /* bytes into this decoder: a log's letters are placed by the record's position */
    struct ingest_letters *l = ctx;
    if (l->nkept == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 16;
        struct kept_letter *grown = sl_realloc(l->kept, cap * sizeof *grown);
        if (!grown) {
            l->lost = true;
            return;
        }
        l->kept = grown;
        l->cap = cap;
    }
    struct kept_letter *k = &l->kept[l->nkept];
    k->pos = l->pos;
    k->len = len;
    k->record = arena_memdup(l->letters, record, len ? len : 1);
    k->reason = arena_memdup(l->letters, reason, strlen(reason) + 1);
    if (!k->record || !k->reason)
        l->lost = true;
    else
        l->nkept++;
}

sl_status ingest_letters_create(const struct sl_stream_def *def, struct ingest_letters **out,
                                struct sl_error *err)
{
    *out = NULL;
    struct ingest_letters *l = sl_calloc(1, sizeof *l);
    if (!l)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    l->def = def;
    l->schema = stream_def_format_schema(def);
    l->types = sl_malloc((l->schema.ncols + 1) * sizeof *l->types);
    l->rows = arena_create(256 * 1024);
    l->letters = arena_create(0);
    if (!l->types || !l->rows || !l->letters) {
        ingest_letters_destroy(l);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    for (uint32_t i = 0; i < l->schema.ncols; i++)
        l->types[i] = l->schema.cols[i].type;
    sl_status st = decoder_create(&def->format, &l->schema, keep_letter, l, &l->decoder, err);
    if (st != SL_OK) {
        ingest_letters_destroy(l);
        return st;
    }
    *out = l;
    return SL_OK;
}

void ingest_letters_destroy(struct ingest_letters *l)
{
    if (!l)
        return;
    decoder_destroy(l->decoder);
    arena_destroy(l->rows);
    arena_destroy(l->letters);
    sl_free(l->types);
    sl_free(l->kept);
    sl_free(l);
}

/* As a query decodes a logged record (query_records.c): all its bytes, then its end. */
void ingest_letters_decode(struct ingest_letters *l, const char *data, size_t len, uint64_t pos)
{
    l->pos = pos;
    size_t off = 0;
    struct sl_error err;
    decoder_begin_document(l->decoder);
    for (;;) {
        arena_reset(l->rows);
        struct sl_chunk *chunk;
        if (chunk_create(l->rows, l->schema.ncols, l->types, &chunk) != SL_OK) {
            l->lost = true;
            return;
        }
        bool last = off >= len;
        size_t consumed = 0;
        sl_status st = last ? decoder_finish(l->decoder, chunk, &err)
                            : decoder_decode(l->decoder, data + off, len - off, &consumed, chunk,
                                             &err);
        /* The queries meet the same failure and fail on it: nothing to keep here. */
        if (st != SL_OK || last || (consumed == 0 && chunk->count == 0))
            break;
        off += consumed;
    }
    arena_reset(l->rows);
}

sl_status ingest_letters_write(struct ingest_letters *l, struct sl_db *db, const char *source,
                               struct sl_error *err)
{
    if (l->lost)
        return sl_error_set(err, SL_NOMEM, "out of memory keeping a dead letter");
    sl_status st = SL_OK;
    for (uint32_t i = 0; i < l->nkept && st == SL_OK; i++) {
        /* Written once, with the record's log row: no query's copy to look for. */
        struct db_dead_letter dl = {.stream = l->def->name,
                                    .source = source,
                                    .offset = l->kept[i].pos,
                                    .record = l->kept[i].record,
                                    .len = l->kept[i].len,
                                    .reason = l->kept[i].reason,
                                    .each_row = true};
        st = db_dead_letter_record(db, &dl, err);
    }
    return st;
}

void ingest_letters_clear(struct ingest_letters *l)
{
    l->nkept = 0;
    l->lost = false;
    arena_reset(l->letters);
}
