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
    /* Row sources only (NULL otherwise): see source_rows_fit and source_read_rows. */
    bool (*rows_fit)(const struct sl_source *s, const struct sl_schema *schema,
                     const struct sl_format_spec *format);
    sl_status (*read_rows)(struct sl_source *s, struct sl_chunk *out, size_t cap, size_t *n,
                           int timeout_ms, struct sl_error *err);
    /* Row sources whose rows are a function of their number (NULL otherwise):
     * see source_claim_rows and source_fill_rows. */
    sl_status (*claim_rows)(struct sl_source *s, size_t cap, int64_t *first, uint32_t *count,
                            size_t *n, struct sl_error *err);
    sl_status (*fill_rows)(const struct sl_source *s, int64_t first, uint32_t count,
                           struct sl_chunk *out, struct sl_error *err);
    /* Record sources only (NULL otherwise): see source_read_records and what follows it. */
    sl_status (*read_records)(struct sl_source *s, struct sl_record *out, size_t cap, size_t *n,
                              int timeout_ms, struct sl_error *err);
    void (*position)(const struct sl_source *s, struct sl_buf *out);
    sl_status (*seek_position)(struct sl_source *s, const char *position, struct sl_error *err);
    size_t (*partitions)(const struct sl_source *s, const int32_t **ids);
    uint64_t (*take_gap)(struct sl_source *s);
    bool (*take_repositioned)(struct sl_source *s);
    void (*committed)(struct sl_source *s);
    /* Push sources only (NULL otherwise): see source_pause. */
    void (*pause)(struct sl_source *s, bool paused);
    /* Byte sources that drop a record a broken connection cut (NULL otherwise):
     * see source_take_dropped. */
    bool (*take_dropped)(struct sl_source *s, struct sl_buf *out);
    /* Any source may say what it is doing (NULL: nothing to say). */
    const char *(*state)(const struct sl_source *s);
};

/* The common head of every source; each kind embeds it as its first member. */
struct sl_source {
    const struct sl_source_ops *ops;
    uint64_t offset;
    char *description;
    const struct sl_log *log; /* source_set_log; NULL: none */
    sl_record_check_fn check; /* source_set_record_check; NULL: none */
    void *check_ctx;
};

/* The first bytes of a record, printable (others as \xNN, then "..." when
 * cut), for a warning that names it. */
void source_show_bytes(const char *p, size_t len, char *out, size_t cap);

/* The registry's entries, one per connector file; registry.c lists them. Each
 * entry's open allocates its source; source_open fills the head's offset, and its
 * description unless the open gave one. */
extern const struct sl_connector connector_file;
extern const struct sl_connector connector_socket;
extern const struct sl_connector connector_socket_listen;
extern const struct sl_connector connector_stdin;
extern const struct sl_connector connector_generator;
extern const struct sl_connector connector_nexmark;
extern const struct sl_connector connector_kafka;
extern const struct sl_connector connector_url;
extern const struct sl_connector connector_http;
extern const struct sl_connector connector_mqtt;
/* The formats' entries, in decoder_text.c, decoder_csv.c and decoder_json.c. */
extern const struct sl_format format_text;
extern const struct sl_format format_csv;
extern const struct sl_format format_json;

#endif
