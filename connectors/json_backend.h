/*
 * json_backend.h — the one part of FORMAT JSON that parses JSON: parse one
 * record and say what value each column's path leads to
 * (json_backend_scan.c, over the single-pass scanner json_scan.h).
 * decoder_json.c does the rest: lines, max_record_bytes, types, json_cast,
 * dead letters. The parser is called directly: jansson and json-c were
 * measured against it (bench/decode_bench.c) and lost by 5-10x.
 */
#ifndef SL_JSON_BACKEND_H
#define SL_JSON_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "connectors/json_path.h"

enum jval_kind {
    JVAL_ABSENT, /* the path leads nowhere: a missing key, an index past the end, a step
                  * into a scalar */
    JVAL_NULL,
    JVAL_FALSE,
    JVAL_TRUE,
    JVAL_INT, /* a number without fraction or exponent, in int64 range */
    JVAL_REAL,
    JVAL_STRING,
    JVAL_OBJECT,
    JVAL_ARRAY,
};

/* A value found in a record; strings and text stay valid until the parser's next call. */
struct jval {
    enum jval_kind kind;
    int64_t i;     /* JVAL_INT */
    double r;      /* JVAL_REAL */
    const char *s; /* JVAL_STRING: its UTF-8 bytes, unescaped; JVAL_OBJECT, JVAL_ARRAY: the
                    * compact JSON text when it was asked for, else NULL */
    size_t len;
};

enum json_parse_result { JSON_PARSED, JSON_REFUSED, JSON_NOMEM };

/* The paths of a stream's columns, merged so a record's top level is scanned once. */
struct json_parser;

/* A parser for records read along paths[0..npaths) (kept by the caller); NULL: out of memory. */
struct json_parser *json_parser_create(const struct json_path *paths, uint32_t npaths);
void json_parser_destroy(struct json_parser *p);
/* Parses rec[0..len) (a line without its terminator; it stays in place until the next
 * parse); JSON_REFUSED with the reason written to reason[0..cap) when it is not one JSON
 * object (bad JSON, invalid UTF-8, an array or a scalar) or a number a path leads to does
 * not fit (an integer out of int64 range, a real out of double's). */
enum json_parse_result json_parser_parse(struct json_parser *p, const char *rec, size_t len,
                                         char *reason, size_t cap);
/* The value at path i of the record parsed last; with text, an object or array comes
 * with its compact JSON text. false: out of memory. */
bool json_parser_value(struct json_parser *p, uint32_t i, bool text, struct jval *out);

#endif
