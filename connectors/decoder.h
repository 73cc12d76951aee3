/*
 * decoder.h — formats: bytes -> rows of a stream's schema, appended to a
 * chunk. TEXT: one row per line ('\n' or "\r\n"), a single TEXT column.
 * CSV (libcsv, and a fast path of its own for lines without quotes):
 * quoted fields, optional header, a delimiter; an empty unquoted field is
 * NULL and a quoted "" is the empty string (PostgreSQL's rule), the null
 * option names another NULL marker. Fields are converted to the column
 * types strictly. JSON: one object per line (connectors/decoder_json.c);
 * each column is the value at its path (json_paths[i], or the top-level key
 * of its name).
 * Every format skips a UTF-8 byte order mark (EF BB BF) that opens the
 * stream or a document (decoder_begin_document); its bytes count in the
 * offsets.
 * Every format: a record that cannot be converted (a wrong number of fields,
 * a number or timestamp that does not parse, bad JSON, a TEXT value that is
 * not well-formed UTF-8) or that is longer than max_record_bytes is handed
 * to the dead-letter callback with its reason and skipped — decoding goes on.
 */
#ifndef SL_DECODER_H
#define SL_DECODER_H

#include <stddef.h>
#include <stdint.h>

#include "common/chunk.h"
#include "common/schema.h"
#include "common/status.h"

/* max_record_bytes when the stream does not set it: 1 MiB. */
#define SL_MAX_RECORD_BYTES ((size_t)1 << 20)

enum sl_format_kind { SL_FORMAT_TEXT, SL_FORMAT_CSV, SL_FORMAT_JSON };

struct sl_format_spec {
    enum sl_format_kind kind;
    bool header;             /* CSV: the first record names the columns and is skipped */
    char delimiter;          /* CSV: default ',' */
    const char *null_marker; /* CSV: an unquoted field equal to this is NULL (NULL: none) */
    bool json_cast;          /* JSON: a value of another JSON type is converted, not refused */
    size_t max_record_bytes; /* a longer record is a dead letter; 0: SL_MAX_RECORD_BYTES */
    bool csv_libcsv_only;    /* CSV: no fast path, every record through libcsv (tests, bench) */
    /* JSON: column i's path ('$.user.id') or NULL for the top-level key of its name;
     * json_paths holds njson_paths entries (the declared columns), or is NULL. */
    char **json_paths;
    uint32_t njson_paths;
};

/* Frees what a spec owns (null_marker, json_paths) and leaves it empty of them. */
void format_spec_clear(struct sl_format_spec *spec);

/* offset: byte offset of the record's start: bytes fed to this decoder before it. */
typedef void (*sl_dead_letter_fn)(void *ctx, const char *record, size_t len, uint64_t offset,
                                  const char *reason);

struct sl_decoder;

/* schema: the stream's columns; TEXT requires exactly one TEXT column. Bad
 * records go to dead_letter; without one they are skipped. */
sl_status decoder_create(const struct sl_format_spec *spec, const struct sl_schema *schema,
                         sl_dead_letter_fn dead_letter, void *dead_letter_ctx,
                         struct sl_decoder **out, struct sl_error *err);
void decoder_destroy(struct sl_decoder *d);

/*
 * Decodes complete records from data[0..len) into out (whose columns match
 * the schema), appending rows after out->count, until out holds
 * SL_CHUNK_CAP rows or the data is used up. *consumed is how many bytes
 * of data were taken; call again with the rest when it is less than len.
 * A trailing incomplete record is kept inside the decoder (copied) and
 * completed by the next call. Strings in out point into data or into
 * out->arena, so data must stay valid as long as out->arena does.
 */
sl_status decoder_decode(struct sl_decoder *d, const char *data, size_t len, size_t *consumed,
                         struct sl_chunk *out, struct sl_error *err);

/*
 * At end of input: emits the buffered last record (a last line without a
 * newline is still a line) into out (which must have room for one row).
 */
sl_status decoder_finish(struct sl_decoder *d, struct sl_chunk *out, struct sl_error *err);

/* Bytes taken but not yet emitted as rows (a partial record). The source
 * offset minus this is the offset of the first unprocessed record. */
size_t decoder_pending(const struct sl_decoder *d);

/* A fresh decoder whose input continues at byte offset (a resumed query):
 * dead letters' offsets count from there, and a CSV header is not looked
 * for again past offset 0. */
void decoder_resume(struct sl_decoder *d, uint64_t offset);

/* The next bytes open a document of their own (a record source's record, after the
 * last one's decoder_finish): a byte order mark at its start is skipped, as at the
 * stream's. */
void decoder_begin_document(struct sl_decoder *d);

/* What the engine's own record handling (a push stream's ingest, a query reading a socket
 * itself) shares with the formats: how much of an over-long record a dead letter keeps,
 * and the reason of a record a broken connection cut after `len` bytes. */
#define SL_DEAD_LETTER_BYTES ((size_t)4096)
void record_cut_reason(char *reason, size_t cap, size_t len);

#endif
