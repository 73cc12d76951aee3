/* source.c — source_* entry points: open through the registry, dispatch to the source's vtable, count the offset. */
#include "connectors/source_impl.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"

/* The connector's name in lower case, then ":address" if it has one. */
static char *source_make_description(const struct sl_source_spec *spec)
{
    const char *name = spec->connector->name;
    size_t nlen = strlen(name), alen = spec->address ? strlen(spec->address) : 0;
    char *d = sl_malloc(nlen + 1 + alen + 1);
    if (!d)
        return NULL;
    for (size_t i = 0; i < nlen; i++)
        d[i] = (char)tolower((unsigned char)name[i]);
    d[nlen] = '\0';
    if (spec->address) {
        d[nlen] = ':';
        memcpy(d + nlen + 1, spec->address, alen + 1);
    }
    return d;
}

int64_t source_option_num(const struct sl_source_spec *spec, size_t i)
{
    return spec->options[i].set ? spec->options[i].num : spec->connector->options[i].default_num;
}

sl_status source_open(const struct sl_source_spec *spec, struct sl_source **out,
                      struct sl_error *err)
{
    *out = NULL;
    const struct sl_connector *c = spec->connector;
    if (c->address_doc && (!spec->address || !*spec->address))
        return sl_error_set(err, SL_ERROR, "a %s source needs an address", c->name);
    struct sl_source *s = NULL;
    sl_status st = c->open(spec, &s, err);
    if (st != SL_OK)
        return st;
    s->offset = 0;
    s->check = NULL;
    s->check_ctx = NULL;
    if (!s->description)
        s->description = source_make_description(spec);
    if (!s->description) {
        s->ops->close(s);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    *out = s;
    return SL_OK;
}

void source_set_log(struct sl_source *s, const struct sl_log *log)
{
    s->log = log;
}

void source_close(struct sl_source *s)
{
    if (!s)
        return;
    sl_free(s->description);
    s->ops->close(s);
}

sl_status source_read(struct sl_source *s, char *buf, size_t cap, size_t *n, int timeout_ms,
                      struct sl_error *err)
{
    *n = 0;
    if (cap == 0)
        return SL_AGAIN;
    sl_status st = s->ops->read(s, buf, cap, n, timeout_ms < 0 ? 0 : timeout_ms, err);
    if (st == SL_OK)
        s->offset += *n;
    else
        *n = 0;
    return st;
}

uint64_t source_offset(const struct sl_source *s)
{
    return s->offset;
}

const char *source_describe(const struct sl_source *s)
{
    return s->description;
}

bool source_replayable(const struct sl_source *s)
{
    return s->ops->seek != NULL || s->ops->seek_position != NULL;
}

sl_status source_identity(const struct sl_source *s, uint64_t offset, struct sl_buf *out,
                          struct sl_error *err)
{
    if (!s->ops->identity)
        return sl_error_set(err, SL_ERROR, "%s cannot be read again", s->description);
    return s->ops->identity(s, offset, out, err);
}

bool source_size(const struct sl_source *s, uint64_t *size)
{
    return s->ops->size && s->ops->size(s, size);
}

sl_status source_seek(struct sl_source *s, uint64_t offset, const char *identity,
                      struct sl_error *err)
{
    if (!s->ops->seek)
        return sl_error_set(err, SL_ERROR, "%s cannot be read again from an offset",
                            s->description);
    sl_status st = s->ops->seek(s, offset, identity, err);
    if (st == SL_OK)
        s->offset = offset;
    return st;
}

bool source_rows_fit(const struct sl_source *s, const struct sl_schema *schema,
                     const struct sl_format_spec *format)
{
    return s->ops->rows_fit && s->ops->rows_fit(s, schema, format);
}

bool source_rows_numbered(const struct sl_source *s)
{
    return s->ops->claim_rows && s->ops->fill_rows;
}

sl_status source_claim_rows(struct sl_source *s, size_t cap, int64_t *first, uint32_t *count,
                            size_t *n, struct sl_error *err)
{
    *n = 0;
    *count = 0;
    sl_status st = s->ops->claim_rows(s, cap, first, count, n, err);
    if (st == SL_OK)
        s->offset += *n;
    else
        *n = *count = 0;
    return st;
}

sl_status source_fill_rows(const struct sl_source *s, int64_t first, uint32_t count,
                           struct sl_chunk *out, struct sl_error *err)
{
    return s->ops->fill_rows(s, first, count, out, err);
}

sl_status source_read_rows(struct sl_source *s, struct sl_chunk *out, size_t cap, size_t *n,
                           int timeout_ms, struct sl_error *err)
{
    *n = 0;
    if (!s->ops->read_rows)
        return sl_error_set(err, SL_ERROR, "%s hands out bytes, not rows", s->description);
    sl_status st = s->ops->read_rows(s, out, cap, n, timeout_ms < 0 ? 0 : timeout_ms, err);
    if (st == SL_OK)
        s->offset += *n;
    else
        *n = 0;
    return st;
}

bool source_has_records(const struct sl_source *s)
{
    return s->ops->read_records != NULL;
}

sl_status source_read_records(struct sl_source *s, struct sl_record *out, size_t cap, size_t *n,
                              int timeout_ms, struct sl_error *err)
{
    *n = 0;
    if (!s->ops->read_records)
        return sl_error_set(err, SL_ERROR, "%s hands out bytes, not records", s->description);
    sl_status st = s->ops->read_records(s, out, cap, n, timeout_ms < 0 ? 0 : timeout_ms, err);
    if (st == SL_OK)
        s->offset += *n;
    else
        *n = 0;
    return st;
}

void source_position(const struct sl_source *s, struct sl_buf *out)
{
    if (s->ops->position)
        s->ops->position(s, out);
}

sl_status source_seek_position(struct sl_source *s, const char *position, struct sl_error *err)
{
    if (!s->ops->seek_position)
        return sl_error_set(err, SL_ERROR, "%s keeps no partition positions", s->description);
    return s->ops->seek_position(s, position, err);
}

size_t source_partitions(const struct sl_source *s, const int32_t **ids)
{
    *ids = NULL;
    return s->ops->partitions ? s->ops->partitions(s, ids) : 0;
}

uint64_t source_take_gap(struct sl_source *s)
{
    return s->ops->take_gap ? s->ops->take_gap(s) : 0;
}

bool source_take_dropped(struct sl_source *s, struct sl_buf *out)
{
    return s->ops->take_dropped && s->ops->take_dropped(s, out);
}

bool source_take_repositioned(struct sl_source *s)
{
    return s->ops->take_repositioned && s->ops->take_repositioned(s);
}

void source_committed(struct sl_source *s)
{
    if (s->ops->committed)
        s->ops->committed(s);
}

const char *source_state(const struct sl_source *s)
{
    return s->ops->state ? s->ops->state(s) : NULL;
}

void source_pause(struct sl_source *s, bool paused)
{
    if (s->ops->pause)
        s->ops->pause(s, paused);
}

void source_set_record_check(struct sl_source *s, sl_record_check_fn fn, void *ctx)
{
    s->check = fn;
    s->check_ctx = ctx;
}

void source_show_bytes(const char *p, size_t len, char *out, size_t cap)
{
    size_t n = 0, i = 0;
    for (; i < len && n + 8 < cap && n < 64; i++) {
        unsigned char c = (unsigned char)p[i];
        n += (size_t)snprintf(out + n, cap - n,
                              c >= ' ' && c < 127 && c != '"' && c != '\\' ? "%c" : "\\x%02x", c);
    }
    snprintf(out + n, cap - n, "%s", i < len ? "..." : "");
}
