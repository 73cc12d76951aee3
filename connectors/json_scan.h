/*
 * json_scan.h — reads one JSON object (an NDJSON line) in a single pass and
 * hands back, for each wanted top-level key, where its value lies in the
 * text, without building a tree: no allocation, nothing copied. The whole
 * text is still validated (RFC 8259: string escapes, UTF-8, number grammar,
 * nesting), so anything the scanner accepts, a JSON library accepts too.
 * Values are spans into the caller's text; a string's escapes are decoded
 * only when the caller asks (jscan_unescape), so most strings go into a
 * column as they stand. A nested object's span can be scanned again with
 * its own keys, and an array's span walked to one element
 * (jscan_array_element), which is how a path ('$.user.ids[0]') is reached.
 * The prefix is jscan_ since jansson and json-c own json_ and JSON_.
 */
#ifndef SL_JSON_SCAN_H
#define SL_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

/* Containers nested deeper than this are rejected (jansson's default limit is 2048). */
#define JSCAN_MAX_DEPTH 1024

enum jscan_kind {
    JSCAN_ABSENT = 0, /* the key did not occur */
    JSCAN_NULL,
    JSCAN_FALSE,
    JSCAN_TRUE,
    JSCAN_NUMBER,
    JSCAN_STRING,
    JSCAN_OBJECT,
    JSCAN_ARRAY,
};

struct jscan_value {
    enum jscan_kind kind;
    /* JSCAN_STRING: the bytes between the quotes, escapes still in place;
     * every other kind: the value's whole text (an object with its braces). */
    const char *text;
    size_t len;
    /* JSCAN_STRING: holds a backslash escape, so decode it with jscan_unescape.
     * JSCAN_NUMBER: has a fraction or an exponent (not an integer literal). */
    bool flag;
};

/* The top-level keys a scan looks for, in column order. */
struct jscan_keys;

/* Copies names[0..n); returns SL_NOMEM when out of memory. */
sl_status jscan_keys_create(const char *const *names, uint32_t n, struct jscan_keys **out);
void jscan_keys_destroy(struct jscan_keys *keys);
uint32_t jscan_keys_count(const struct jscan_keys *keys);

/* Why a text was rejected: a static message and the byte offset where it was noticed. */
struct jscan_error {
    const char *reason;
    size_t offset;
};

/*
 * Scans text[0..len): one object, with optional whitespace around it and
 * nothing else. values[i] (one per key) receives the value of key i, the
 * last one when a key occurs more than once (as jansson, json-c and
 * JavaScript do), or JSCAN_ABSENT. Never reads outside text[0..len).
 * Returns false with *err filled in when the text is not valid JSON or not
 * an object; values are then unspecified.
 */
bool jscan_object(const struct jscan_keys *keys, const char *text, size_t len,
                  struct jscan_value *values, struct jscan_error *err);

/*
 * The element at index n of a JSCAN_ARRAY that jscan_object (or this
 * function) returned: true with it in *out, false when the array has n
 * elements or fewer. Walks the elements before it, nothing after.
 */
bool jscan_array_element(const struct jscan_value *array, size_t n, struct jscan_value *out);

/*
 * Decodes a JSCAN_STRING's escapes into out, as UTF-8 (a surrogate pair
 * becomes one 4-byte character). out needs room for v->len bytes: decoding
 * never lengthens a string. Returns the decoded length. Only for values
 * jscan_object accepted, whose escapes it has already checked.
 */
size_t jscan_unescape(const struct jscan_value *v, char *out);

/* A JSCAN_NUMBER without fraction or exponent that fits in an int64_t. */
bool jscan_number_int(const struct jscan_value *v, int64_t *out);

#endif
