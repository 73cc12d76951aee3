/*
 * row_encode.h — a sink's rows as bytes: JSON objects, CSV lines and plain
 * text values, shared by the sinks that write them (files, HTTP, Kafka,
 * Elasticsearch, stdout, PostgreSQL's text parameters). Values are written
 * as the result tables hold them: TIMESTAMP as 'YYYY-MM-DD HH:MM:SS.ffffff',
 * an ARRAY as a JSON array, REAL with the fewest digits that read back the
 * same; JSON writes BOOLEAN as true/false, CSV and text as 1/0 (SQLite's way).
 */
#ifndef SL_ROW_ENCODE_H
#define SL_ROW_ENCODE_H

#include "common/buf.h"
#include "connectors/sink.h"

/* The change kind as JSON's "op" writes it: "insert", "update", "delete". */
const char *row_kind_name(uint8_t kind);

/* Row r of batch as one JSON object {"col": value, ...}, without a newline;
 * with_op adds "op": the row's change kind. */
void row_encode_json(struct sl_buf *out, const struct sl_sink_spec *spec,
                     const struct sl_sink_batch *batch, uint32_t r, bool with_op);
/* Row r as one CSV line (RFC 4180 quoting) ending in "\n", what Unix tools read. */
void row_encode_csv(struct sl_buf *out, const struct sl_sink_spec *spec,
                     const struct sl_sink_batch *batch, uint32_t r);
/* The column names as a CSV line ending in "\n". */
void row_encode_csv_header(struct sl_buf *out, const struct sl_sink_spec *spec);
/* One value as plain text (NULL appends nothing: callers test for it). */
void value_encode_text(struct sl_buf *out, const struct sl_value *v);
/* One value as JSON. */
void value_encode_json(struct sl_buf *out, const struct sl_value *v);
/* s as a JSON string, quotes included. */
void json_encode_string(struct sl_buf *out, const char *s, size_t len);
/* The key columns of row r as one text: their values joined by '|' with '|' and
 * '\\' escaped by '\\' and NULL as \N (a document id, a
 * message key); "" for a row without key. */
void row_encode_key(struct sl_buf *out, const struct sl_sink_spec *spec,
                    const struct sl_sink_batch *batch, uint32_t r);

#endif
