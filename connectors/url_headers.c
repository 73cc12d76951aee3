/* url_headers.c — the headers option split into headers (see url_headers.h). */
#include "connectors/url_headers.h"

#include <stdbool.h>
#include <string.h>

#include <curl/curl.h>

#include "common/alloc.h"

/* The characters of a header name (RFC 9110's tchar). */
static bool is_token_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Length of the header name at p, when a ':' follows it; else 0. */
static size_t name_length(const char *p)
{
    size_t n = 0;
    while (is_token_char(p[n]))
        n++;
    return n > 0 && p[n] == ':' ? n : 0;
}

/* Where the header starting at p ends: a newline, or a ';' before another "Name:" or the end. */
static const char *header_end(const char *p)
{
    for (;; p++) {
        if (*p == '\0' || *p == '\n' || *p == '\r')
            return p;
        if (*p == ';') {
            const char *q = p + 1;
            while (*q == ' ' || *q == '\t')
                q++;
            if (*q == '\0' || name_length(q))
                return p;
        }
    }
}

static const char *walk(const char *text, url_header_fn fn, void *ctx)
{
    for (const char *p = text; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ';' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        const char *end = header_end(p);
        size_t len = (size_t)(end - p);
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (!name_length(p))
            return "each header is 'Name: value' (separate headers with ';' or a newline)";
        if (fn)
            fn(ctx, p, len);
        p = end;
    }
    return NULL;
}

const char *url_headers_each(const char *text, url_header_fn fn, void *ctx)
{
    const char *bad = walk(text, NULL, NULL);
    return bad ? bad : walk(text, fn, ctx);
}

const char *url_header_name_check(const char *name)
{
    size_t n = 0;
    while (is_token_char(name[n]))
        n++;
    return n > 0 && name[n] == '\0' ? NULL : "resume_header must be a header name ('Last-Event-ID')";
}

void url_header_to_curl(void *ctx, const char *header, size_t len)
{
    struct curl_slist **list = ctx;
    char *h = sl_strndup(header, len);
    struct curl_slist *grown = h ? curl_slist_append(*list, h) : NULL;
    sl_free(h);
    if (grown)
        *list = grown;
}
