/*
 * sink_file_state.c — the state an INTO FILE delivery leaves for a restart,
 * as text a person can read in the sink's row of the database:
 *
 *   sluice file sink 1
 *   last 42
 *   open 40 1834 1767225600000000 day=2026-01-01/.archive-00000000000000000040.csv.inprogress
 *
 * "last": the last batch delivered. One "open" line per in-progress file: its
 * first batch, its length once that batch was written, the commit time of its
 * first batch (how old it is), then its path in the sink's folder (the rest
 * of the line: a partition folder may hold spaces, never a newline).
 */
#include "connectors/sink_file.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"

#define FILE_STATE_MAGIC "sluice file sink 1"

void file_state_encode(struct sl_buf *out, const struct file_saved_state *st, const char *sink,
                       const char *ext)
{
    buf_printf(out, FILE_STATE_MAGIC "\nlast %" PRId64 "\n", st->last_batch);
    for (uint32_t i = 0; i < st->nparts; i++) {
        const struct file_saved_part *p = &st->parts[i];
        buf_printf(out, "open %" PRId64 " %" PRId64 " %" PRId64 " %s%s", p->first_batch,
                   p->length, p->created_us, p->folder, *p->folder ? "/" : "");
        file_inprogress_name(out, sink, p->first_batch, ext);
        buf_putc(out, '\n');
    }
}

/* One "open" line (without its newline) into p; false when it is not one. */
static bool decode_open(const char *line, size_t len, const char *sink, const char *ext,
                        struct file_saved_part *p)
{
    char head[96];
    int used = 0;
    if (len >= sizeof head) {
        memcpy(head, line, sizeof head - 1);
        head[sizeof head - 1] = '\0';
    } else {
        memcpy(head, line, len);
        head[len] = '\0';
    }
    if (sscanf(head, "open %" SCNd64 " %" SCNd64 " %" SCNd64 " %n", &p->first_batch, &p->length,
               &p->created_us, &used) != 3 || used == 0)
        return false;
    const char *path = line + used;
    size_t path_len = len - (size_t)used;
    struct sl_buf name;
    buf_init(&name);
    file_inprogress_name(&name, sink, p->first_batch, ext);
    /* The path ends in the name its first batch gives, after a folder or nothing. */
    size_t folder_len = path_len >= name.len ? path_len - name.len : 0;
    bool ok = path_len >= name.len && !name.failed &&
              memcmp(path + folder_len, name.data, name.len) == 0 &&
              (folder_len == 0 || (folder_len > 1 && path[folder_len - 1] == '/'));
    buf_free(&name);
    if (!ok)
        return false;
    p->folder = sl_strndup(path, folder_len ? folder_len - 1 : 0);
    return p->folder != NULL;
}

sl_status file_state_decode(const char *text, size_t len, const char *sink, const char *ext,
                            struct file_saved_state *st, struct sl_error *err)
{
    memset(st, 0, sizeof *st);
    size_t lineno = 0;
    for (size_t at = 0; at < len; lineno++) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t line_len = nl ? (size_t)(nl - (text + at)) : len - at;
        const char *line = text + at;
        at += line_len + 1;
        bool ok;
        if (lineno == 0) {
            ok = line_len == strlen(FILE_STATE_MAGIC) &&
                 memcmp(line, FILE_STATE_MAGIC, line_len) == 0;
        } else if (lineno == 1) {
            char last[32] = "";
            memcpy(last, line, line_len < sizeof last - 1 ? line_len : sizeof last - 1);
            ok = sscanf(last, "last %" SCNd64, &st->last_batch) == 1;
        } else {
            struct file_saved_part *grown =
                sl_realloc(st->parts, (st->nparts + 1) * sizeof *st->parts);
            if (!grown) {
                file_state_free(st);
                return sl_error_set(err, SL_NOMEM, "out of memory reading the sink's state");
            }
            st->parts = grown;
            ok = decode_open(line, line_len, sink, ext, &st->parts[st->nparts]);
            st->nparts += ok;
        }
        if (!ok) {
            file_state_free(st);
            return sl_error_set(err, SL_ERROR, "cannot read line %zu of its saved state (%.*s)",
                                lineno + 1, (int)(line_len > 120 ? 120 : line_len), line);
        }
    }
    if (lineno < 2) {
        file_state_free(st);
        return sl_error_set(err, SL_ERROR, "its saved state is cut short");
    }
    return SL_OK;
}

void file_state_free(struct file_saved_state *st)
{
    for (uint32_t i = 0; i < st->nparts; i++)
        sl_free(st->parts[i].folder);
    sl_free(st->parts);
    memset(st, 0, sizeof *st);
}
