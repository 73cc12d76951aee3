/*
 * json_backend.h — the one part of FORMAT JSON that parses JSON: parse one
 * record and say what value each column's path leads to. decoder_json.c
 * does the rest (lines, max_record_bytes, types, json_cast, dead letters),
 * so trying another parser is a new backend with these functions and a
 * change of the one line in decoder_json.c that picks it. The one in use is
 * json_backend_scan.c, over the single-pass scanner (json_scan.h).
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

/* A value found in a record; strings and text stay valid until the backend's next call. */
struct jval {
    enum jval_kind kind;
    int64_t i;     /* JVAL_INT */
    double r;      /* JVAL_REAL */
    const char *s; /* JVAL_STRING: its UTF-8 bytes, unescaped; JVAL_OBJECT, JVAL_ARRAY: the
                    * compact JSON text when it was asked for, else NULL */
    size_t len;
};

enum json_parse_result { JSON_PARSED, JSON_REFUSED, JSON_NOMEM };

struct json_backend {
    const char *name;
    /* State for records read along paths[0..npaths) (kept by the caller); NULL: out of memory. */
    void *(*create)(const struct json_path *paths, uint32_t npaths);
    /* Parses rec[0..len) (a line without its terminator; it stays in place until
     * release); JSON_REFUSED with the reason written to reason[0..cap) when it is not one
     * JSON object (bad JSON, invalid UTF-8, an array or a scalar) or a number a path
     * leads to does not fit (an integer out of int64 range, a real out of double's). */
    enum json_parse_result (*parse)(void *state, const char *rec, size_t len, char *reason,
                                    size_t cap);
    /* The value at path i of the record parsed last; with text, an object or array comes
     * with its compact JSON text. false: out of memory. */
    bool (*value)(void *state, uint32_t i, bool text, struct jval *out);
    /* Done with the record parsed last. */
    void (*release)(void *state);
    void (*destroy)(void *state);
};

extern const struct json_backend json_backend_scan;

#endif
