/*
 * source_supplied.c — a record source whose records another layer supplies
 * through callbacks (source_open_supplied): the engine reads its stream
 * logs from the database this way, and queries read them through the same
 * source API as any record source.
 */
#include "connectors/source_impl.h"

#include "common/alloc.h"

struct source_supplied {
    struct sl_source base;
    const struct sl_supplied_source_ops *ops;
    void *ctx;
};

static sl_status supplied_read_records(struct sl_source *s, struct sl_record *out, size_t cap,
                                       size_t *n, int timeout_ms, struct sl_error *err)
{
    struct source_supplied *p = (struct source_supplied *)s;
    return p->ops->read_records(p->ctx, out, cap, n, timeout_ms, err);
}

static void supplied_position(const struct sl_source *s, struct sl_buf *out)
{
    const struct source_supplied *p = (const struct source_supplied *)s;
    p->ops->position(p->ctx, out);
}

static sl_status supplied_seek_position(struct sl_source *s, const char *position,
                                        struct sl_error *err)
{
    struct source_supplied *p = (struct source_supplied *)s;
    return p->ops->seek_position(p->ctx, position, err);
}

static uint64_t supplied_take_gap(struct sl_source *s)
{
    struct source_supplied *p = (struct source_supplied *)s;
    return p->ops->take_gap ? p->ops->take_gap(p->ctx) : 0;
}

static const char *supplied_state(const struct sl_source *s)
{
    const struct source_supplied *p = (const struct source_supplied *)s;
    return p->ops->state ? p->ops->state(p->ctx) : NULL;
}

static void supplied_close(struct sl_source *s)
{
    struct source_supplied *p = (struct source_supplied *)s;
    p->ops->close(p->ctx);
    sl_free(p);
}

static const struct sl_source_ops supplied_ops = {
    .read_records = supplied_read_records,
    .position = supplied_position,
    .seek_position = supplied_seek_position,
    .take_gap = supplied_take_gap,
    .state = supplied_state,
    .close = supplied_close,
};

sl_status source_open_supplied(const struct sl_supplied_source_ops *ops, void *ctx,
                               const char *description, struct sl_source **out,
                               struct sl_error *err)
{
    *out = NULL;
    struct source_supplied *p = sl_calloc(1, sizeof *p);
    char *d = sl_strdup(description);
    if (!p || !d) {
        sl_free(p);
        sl_free(d);
        ops->close(ctx);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    p->base.ops = &supplied_ops;
    p->base.description = d;
    p->ops = ops;
    p->ctx = ctx;
    *out = &p->base;
    return SL_OK;
}
