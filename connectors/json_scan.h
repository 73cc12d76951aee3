/*
 * json_scan.h — reads one JSON object (an NDJSON line) in a single pass and
 * hands back, for each wanted top-level key, where its value lies in the
 * text, without building a tree: no allocation, nothing copied. The whole
 * text is still validated (RFC 8259: string escapes, UTF-8, number grammar,
 * nesting), so anything the scanner accepts, a JSON library accepts too.
 * Values are spans into the caller's text; a string's escapes are decoded
 * only when the caller asks (json_unescape), so most strings go into a
 * column as they stand. A nested object's span can be scanned again with
 * its own keys, which is how a path ('$.user.id') is reached.
 */
#ifndef SL_JSON_SCAN_H
#define SL_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

/* Containers nested deeper than this are rejected (jansson's default limit is 2048). */
#define JSON_MAX_DEPTH 1024

enum json_kind {
    JSON_ABSENT = 0, /* the key did not occur */
    JSON_NULL,
    JSON_FALSE,
    JSON_TRUE,
    JSON_NUMBER,
    JSON_STRING,
    JSON_OBJECT,
    JSON_ARRAY,
};

struct json_value {
    enum json_kind kind;
    /* JSON_STRING: the bytes between the quotes, escapes still in place;
     * every other kind: the value's whole text (an object with its braces). */
    const char *text;
    size_t len;
    /* JSON_STRING: holds a backslash escape, so decode it with json_unescape.
     * JSON_NUMBER: has a fraction or an exponent (not an integer literal). */
    bool flag;
};

/* The top-level keys a scan looks for, in column order. */
struct json_keys;

/* Copies names[0..n); returns SL_NOMEM when out of memory. */
sl_status json_keys_create(const char *const *names, uint32_t n, struct json_keys **out);
void json_keys_destroy(struct json_keys *keys);
uint32_t json_keys_count(const struct json_keys *keys);

/* Why a text was rejected: a static message and the byte offset where it was noticed. */
struct json_scan_error {
    const char *reason;
    size_t offset;
};

/*
 * Scans text[0..len): one object, with optional whitespace around it and
 * nothing else. values[i] (one per key) receives the value of key i, the
 * last one when a key occurs more than once (as jansson, json-c and
 * JavaScript do), or JSON_ABSENT. Never reads outside text[0..len).
 * Returns false with *err filled in when the text is not valid JSON or not
 * an object; values are then unspecified.
 */
bool json_scan_object(const struct json_keys *keys, const char *text, size_t len,
                      struct json_value *values, struct json_scan_error *err);

/*
 * Decodes a JSON_STRING's escapes into out, as UTF-8 (a surrogate pair
 * becomes one 4-byte character). out needs room for v->len bytes: decoding
 * never lengthens a string. Returns the decoded length. Only for values
 * json_scan_object accepted, whose escapes it has already checked.
 */
size_t json_unescape(const struct json_value *v, char *out);

/* A JSON_NUMBER without fraction or exponent that fits in an int64_t. */
bool json_number_int(const struct json_value *v, int64_t *out);

#endif
