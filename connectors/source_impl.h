/*
 * source_impl.h — private to connectors/: the vtable every source kind
 * fills in, so source.c can dispatch without knowing the kinds' internals.
 */
#ifndef SL_SOURCE_IMPL_H
#define SL_SOURCE_IMPL_H

#include "common/buf.h"
#include "connectors/source.h"

struct sl_source_ops {
    sl_status (*read)(struct sl_source *s, char *buf, size_t cap, size_t *n, int timeout_ms,
                      struct sl_error *err);
    void (*close)(struct sl_source *s);
    /* Replayable kinds only (NULL otherwise): see source_identity and source_seek. */
    sl_status (*identity)(const struct sl_source *s, uint64_t offset, struct sl_buf *out,
                          struct sl_error *err);
    sl_status (*seek)(struct sl_source *s, uint64_t offset, const char *identity,
                      struct sl_error *err);
    /* Kinds that know how much input there is (NULL otherwise): see source_size. */
    bool (*size)(const struct sl_source *s, uint64_t *size);
};

/* The common head of every source; each kind embeds it as its first member. */
struct sl_source {
    const struct sl_source_ops *ops;
    uint64_t offset;
    char *description;
    const struct sl_log *log; /* source_set_log; NULL: none */
};

/* Each constructor allocates its kind's struct; source_open fills the head's offset and description. */
sl_status source_file_open(const struct sl_source_spec *spec, struct sl_source **out,
                           struct sl_error *err);
sl_status source_stdin_open(const struct sl_source_spec *spec, struct sl_source **out,
                            struct sl_error *err);
sl_status source_socket_open(const struct sl_source_spec *spec, struct sl_source **out,
                             struct sl_error *err);

#endif
