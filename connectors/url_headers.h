/*
 * url_headers.h — the URL source's `headers` option: HTTP request headers in
 * one string, 'Authorization: Bearer x; Accept: application/json'. A newline
 * or a ';' followed by the next header's "Name:" separates two headers; any
 * other ';' is part of a value ('Accept: text/plain; charset=utf-8' is one
 * header), so values need no escaping.
 */
#ifndef SL_URL_HEADERS_H
#define SL_URL_HEADERS_H

#include <stddef.h>

typedef void (*url_header_fn)(void *ctx, const char *header, size_t len);

/* Calls fn for each header of text (trimmed of spaces), in order; NULL when
 * all are well formed, else the reason (fn is then not called at all). */
const char *url_headers_each(const char *text, url_header_fn fn, void *ctx);

/* A url_header_fn appending the header to a libcurl list (ctx: struct curl_slist **);
 * out of memory, the header is left out. */
void url_header_to_curl(void *ctx, const char *header, size_t len);

/* Whether name is an HTTP header name (a token, RFC 9110): for resume_header. */
const char *url_header_name_check(const char *name);

#endif
