/*
 * source.h — where bytes come from: a file (read to its end), stdin (to EOF)
 * or a TCP socket (a client like Spark's socketTextStream: it ends when the
 * peer closes cleanly; refused or reset connections are retried with
 * exponential backoff and logged through sl_log). Sources know nothing of
 * formats or queries; the offset is the count of bytes handed out.
 */
#ifndef SL_SOURCE_H
#define SL_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/status.h"

#include "connectors/decoder.h"
#include "connectors/registry.h"

struct sl_source_spec {
    const struct sl_connector *connector; /* from connectors/registry.h */
    const char *address; /* FILE: path; SOCKET: "host:port"; NULL when the connector takes none */
    /* The address as written when it holds ${NAME} references (SHOW prints
     * it); NULL: as address. */
    const char *address_written;
    /* By index in connector->options; an unset one is the option's default. */
    struct sl_option_value options[SL_CONNECTOR_MAX_OPTIONS];
};

/* Option i of spec (a number: BOOL, INT, DURATION, SIZE, TIMESTAMP), or its default. */
int64_t source_option_num(const struct sl_source_spec *spec, size_t i);

struct sl_source;

/* Opening a socket source does not connect yet: the first read does, so a
 * server that starts later is waited for (with backoff) instead of failing. */
sl_status source_open(const struct sl_source_spec *spec, struct sl_source **out,
                      struct sl_error *err);
void source_close(struct sl_source *s);

/*
 * Reads up to cap bytes into buf, waiting at most timeout_ms for the first
 * byte (0 = don't wait). Returns SL_OK with *n > 0; SL_AGAIN when nothing
 * arrived in time (also while a socket is waiting to reconnect); SL_EOF once
 * the source is exhausted (and on every later call); SL_ERROR on a failure
 * that retrying cannot fix (a missing file, an unresolvable host, retries
 * exhausted), described in err.
 */
sl_status source_read(struct sl_source *s, char *buf, size_t cap, size_t *n, int timeout_ms,
                      struct sl_error *err);

/* Bytes handed out by source_read so far (the replay position). */
uint64_t source_offset(const struct sl_source *s);

/* Whether the source can be read again from an offset (a file can; a socket or stdin cannot). */
bool source_replayable(const struct sl_source *s);

/*
 * What a checkpoint at offset records so that a resume can tell the same
 * input from another: for a file, its inode, and the length and a hash of
 * its first min(offset, 4096) bytes. Appended to out as one line of text.
 * SL_ERROR for a source that cannot replay.
 */
sl_status source_identity(const struct sl_source *s, uint64_t offset, struct sl_buf *out,
                          struct sl_error *err);

/*
 * Continues a freshly opened replayable source at offset, the position a
 * checkpoint recorded with its identity. A file shorter than offset
 * ("truncated") or whose first bytes differ ("replaced") is an error that
 * says so and leaves the source where it was; growing (appended lines) is
 * the normal case. Without follow, another file at the path (a new inode)
 * is refused even when it begins with the same bytes, and so is an offset
 * that is not where a line starts (a corrupt checkpoint).
 */
sl_status source_seek(struct sl_source *s, uint64_t offset, const char *identity,
                      struct sl_error *err);

/* How many bytes the input holds now, when the source knows (a file: its
 * size); false for a socket or stdin. With the offset, how far a query lags. */
bool source_size(const struct sl_source *s, uint64_t *size);

/*
 * Row sources (NEXMARK) make their records themselves, so they can also hand
 * them out as rows, already in a chunk's columns: no text is written or
 * decoded. source_rows_fit says whether the rows equal what format (it must be
 * the connector's own, with its defaults) makes of the records for a stream of
 * this schema (the connector's fields with their own types). Read one way or
 * the other, never both: the offset still counts the records' bytes, so
 * checkpoints and resume work as with source_read.
 */
bool source_rows_fit(const struct sl_source *s, const struct sl_schema *schema,
                     const struct sl_format_spec *format);

/*
 * Appends rows to out (after out->count, up to SL_CHUNK_CAP) whose records
 * take up to cap bytes (at least one row), *n the bytes they take; strings
 * point into the source or out->arena. Statuses as source_read's.
 */
sl_status source_read_rows(struct sl_source *s, struct sl_chunk *out, size_t cap, size_t *n,
                           int timeout_ms, struct sl_error *err);

/*
 * A row source whose rows are a function of their number alone (NEXMARK) can
 * have them made on several threads at once: source_claim_rows takes the
 * next rows whose records fit in cap bytes (at least one; SL_EOF when none
 * are left), moving the offset past them (*n bytes), as rows first ..
 * first + count - 1; source_fill_rows then appends any of them to a chunk
 * (up to SL_CHUNK_CAP rows), reading nothing of the source but its plan, so
 * calls on different chunks may run at once. Read this way or with
 * source_read_rows, never both.
 */
bool source_rows_numbered(const struct sl_source *s);
sl_status source_claim_rows(struct sl_source *s, size_t cap, int64_t *first, uint32_t *count,
                            size_t *n, struct sl_error *err);
sl_status source_fill_rows(const struct sl_source *s, int64_t first, uint32_t count,
                           struct sl_chunk *out, struct sl_error *err);

/*
 * Record sources (KAFKA) hand out framed records with metadata instead of
 * bytes, from several partitions, each with its own position. source_read
 * does not apply to them; source_offset counts the records handed out.
 */
struct sl_record {
    const char *value; /* the payload: one record in the stream's format */
    size_t len;
    const char *key; /* NULL: the record has no key */
    size_t key_len;
    int32_t partition;
    int64_t offset;       /* the record's position in its partition */
    int64_t timestamp_us; /* INT64_MIN: none */
};

bool source_has_records(const struct sl_source *s);

/*
 * Up to cap records into out, waiting at most timeout_ms for the first one.
 * The records (and what they point to) stay valid until the next call or
 * source_close. Statuses as source_read's: SL_AGAIN while nothing arrived
 * (also while the source waits for its servers), SL_EOF once a bounded
 * source has read all it was to read.
 */
sl_status source_read_records(struct sl_source *s, struct sl_record *out, size_t cap, size_t *n,
                              int timeout_ms, struct sl_error *err);

/* A record source's position after the records handed out: per partition,
 * the next offset to read, as text ("0:1200,1:1187"), appended to out. */
void source_position(const struct sl_source *s, struct sl_buf *out);

/* Continues a freshly opened record source at a position source_position gave. */
sl_status source_seek_position(struct sl_source *s, const char *position, struct sl_error *err);

/* The partitions a record source reads (known once it has connected): their
 * count, and their ids in *ids (valid until the next read). 0 for other sources. */
size_t source_partitions(const struct sl_source *s, const int32_t **ids);

/* Records a record source found missing (offsets that fell out of the
 * servers' retention before they were read) since the last call; 0 for others. */
uint64_t source_take_gap(struct sl_source *s);

/* True once after a byte source's connection broke in the middle of a
 * record (SOCKET): the bytes of it the source held are appended to out (for
 * a dead letter; the source warned, naming them), and the reader drops what
 * it has of the record too, rather than join it to the next connection's
 * bytes. Asked after each read: a read that cuts returns before the next
 * connection's bytes. */
bool source_take_dropped(struct sl_source *s, struct sl_buf *out);

/* True once after a record source placed a partition where no checkpoint
 * put it (start = 'latest' resolved to an offset, a gap skipped): the
 * position must be committed even if no record follows, or a restart would
 * place it again elsewhere. False for other sources. */
bool source_take_repositioned(struct sl_source *s);

/* The position at source_position is committed: a source that mirrors it
 * elsewhere (a Kafka consumer group, for lag tools) does so now. */
void source_committed(struct sl_source *s);

/* What the source is doing, for SHOW STREAMS ("reading", "waiting for brokers"); NULL: nothing to say. */
const char *source_state(const struct sl_source *s);

/*
 * Push sources (HTTP, MQTT, SOCKET LISTEN) cannot be asked to wait: their
 * senders send when they like. While paused (the stream's log holds more
 * than max_log_bytes no query has read), a source pushes back as its
 * protocol allows: a socket stops reading, MQTT stops taking messages, HTTP
 * answers 503 with Retry-After. Other sources ignore it: they are only
 * read when asked.
 */
void source_pause(struct sl_source *s, bool paused);

/*
 * What the stream's format makes of one record a push source took, for a
 * source that answers its sender with counts (HTTP: 200 with how many rows
 * decoded and how many are dead letters; 400 when none decoded). The check
 * runs on the source's own threads, so it must be thread-safe.
 */
struct sl_record_verdict {
    uint64_t rows;         /* rows that decoded */
    uint64_t dead_letters; /* records that did not */
    char reason[256];      /* the first dead letter's reason; "" when none */
};
typedef void (*sl_record_check_fn)(void *ctx, const char *data, size_t len,
                                   struct sl_record_verdict *out);
/* Sets the check (NULL: none; every record then counts as one row). */
void source_set_record_check(struct sl_source *s, sl_record_check_fn fn, void *ctx);

/*
 * A record source whose records another layer supplies (the engine's stream
 * logs, which live in the database connectors do not see): the source API
 * calls these with ctx. read_records, position and seek_position as the
 * source_* functions they stand for; take_gap and state may be NULL;
 * close frees ctx.
 */
struct sl_supplied_source_ops {
    sl_status (*read_records)(void *ctx, struct sl_record *out, size_t cap, size_t *n,
                              int timeout_ms, struct sl_error *err);
    void (*position)(const void *ctx, struct sl_buf *out);
    sl_status (*seek_position)(void *ctx, const char *position, struct sl_error *err);
    uint64_t (*take_gap)(void *ctx);
    const char *(*state)(const void *ctx);
    void (*close)(void *ctx);
};
/* Wraps ops and ctx as a source described as description (copied); on
 * failure (out of memory) ops->close(ctx) has been called. */
sl_status source_open_supplied(const struct sl_supplied_source_ops *ops, void *ctx,
                               const char *description, struct sl_source **out,
                               struct sl_error *err);

/* Where the source logs (a socket's retries and reconnections); log outlives the source. */
struct sl_log;
void source_set_log(struct sl_source *s, const struct sl_log *log);

/* "file:data/x.csv", "socket:localhost:9999", "stdin": the connector's name in lower case and
 * the address — for logs, progress and dead letters. */
const char *source_describe(const struct sl_source *s);

#endif
