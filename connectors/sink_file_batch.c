/*
 * sink_file_batch.c — one batch of an INTO FILE sink as bytes, grouped by the
 * folder each row goes to (partition_by), so that each folder's file is
 * written once a batch: CSV lines (an op column last when rows change) or
 * JSON objects, one a line.
 */
#include "connectors/sink_file.h"

#include <string.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/hash.h"
#include "connectors/row_encode.h"

void file_encode_header(const struct sl_sink_spec *spec, struct sl_buf *out)
{
    row_encode_csv_header(out, spec);
    if (spec->changelog) {
        out->len--; /* the op column goes before the newline */
        buf_puts(out, ",op\n");
    }
}

static void encode_row(const struct sl_sink_spec *spec, bool csv, const struct sl_sink_batch *b,
                       uint32_t r, struct sl_buf *out)
{
    if (!csv) {
        row_encode_json(out, spec, b, r, spec->changelog);
        buf_putc(out, '\n');
        return;
    }
    row_encode_csv(out, spec, b, r);
    if (spec->changelog) {
        out->len--;
        buf_printf(out, ",%s\n", row_kind_name(b->kinds ? b->kinds[r] : SL_ROW_INSERT));
    }
}

void file_groups_free(struct file_groups *gs)
{
    for (uint32_t i = 0; i < gs->n; i++) {
        buf_free(&gs->g[i].folder);
        buf_free(&gs->g[i].bytes);
        if (gs->g[i].new_fd >= 0)
            close(gs->g[i].new_fd);
    }
    sl_free(gs->g);
    sl_free(gs->slots);
}

/* The slot that holds folder's group, or the empty one where it would go. */
static uint32_t groups_probe(const struct file_groups *gs, const char *folder, size_t len)
{
    uint32_t mask = 2 * gs->cap - 1;
    for (uint32_t i = (uint32_t)sl_hash_bytes(folder, len, 0) & mask;; i = (i + 1) & mask) {
        uint32_t k = gs->slots[i];
        if (!k || (gs->g[k - 1].folder.len == len &&
                   memcmp(gs->g[k - 1].folder.data, folder, len) == 0))
            return i;
    }
}

static bool groups_grow(struct file_groups *gs)
{
    uint32_t cap = gs->cap ? 2 * gs->cap : 4;
    struct file_group *g = sl_realloc(gs->g, cap * sizeof *g);
    if (g)
        gs->g = g;
    uint32_t *slots = g ? sl_calloc(2 * (size_t)cap, sizeof *slots) : NULL;
    if (!slots)
        return false;
    sl_free(gs->slots);
    gs->slots = slots;
    gs->cap = cap;
    for (uint32_t i = 0; i < gs->n; i++)
        gs->slots[groups_probe(gs, gs->g[i].folder.data, gs->g[i].folder.len)] = i + 1;
    return true;
}

/* The group of folder, made when it is the first row's; NULL when out of memory. */
static struct file_group *groups_find(struct file_groups *gs, const struct sl_buf *folder)
{
    const char *text = buf_str(folder);
    if (gs->cap) {
        uint32_t k = gs->slots[groups_probe(gs, text, folder->len)];
        if (k)
            return &gs->g[k - 1];
    }
    if (gs->n == gs->cap && !groups_grow(gs))
        return NULL;
    struct file_group *g = &gs->g[gs->n];
    memset(g, 0, sizeof *g);
    g->new_fd = -1;
    buf_append(&g->folder, text, folder->len); /* "" too: the part takes a string */
    uint32_t slot = groups_probe(gs, text, folder->len);
    gs->slots[slot] = ++gs->n;
    return g->folder.failed ? NULL : g;
}

sl_status file_group_rows(const struct sl_sink_spec *spec, bool csv, int partition_col,
                          const struct sl_sink_batch *b, struct sl_sink_ack *ack,
                          struct file_groups *gs)
{
    struct sl_buf folder;
    buf_init(&folder);
    sl_status st = SL_OK;
    for (uint32_t r = 0; r < b->nrows && st == SL_OK; r++) {
        buf_clear(&folder);
        if (partition_col >= 0 &&
            !file_partition_folder(&folder, spec->names[partition_col],
                                   &b->values[(size_t)r * spec->ncols + partition_col])) {
            if (ack->reject)
                ack->reject(ack->ctx, r, "its partition_by value is too long for a folder name");
            continue;
        }
        struct file_group *g = folder.failed ? NULL : groups_find(gs, &folder);
        if (g)
            encode_row(spec, csv, b, r, &g->bytes);
        st = !g || g->bytes.failed ? SL_NOMEM : SL_OK;
    }
    buf_free(&folder);
    return st;
}
