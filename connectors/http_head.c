/*
 * http_head.c — what the HTTP LISTEN source makes of a request before its
 * body: the path, the method, the bearer token and the Content-Length, and
 * the JSON of its answers. Pure functions of their arguments, so the fuzz
 * target (tests/fuzz/fuzz_http_body.c) drives them without a server.
 */
#include "connectors/http_impl.h"

#include <string.h>
#include <strings.h>

bool http_parse_length(const char *text, uint64_t *out)
{
    if (!text || !*text)
        return false;
    uint64_t n = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        unsigned d = (unsigned)(*p - '0');
        n = n > (UINT64_MAX - d) / 10 ? UINT64_MAX : n * 10 + d;
    }
    *out = n;
    return true;
}

bool http_bearer_matches(const char *authorization, const char *token)
{
    static const char scheme[] = "Bearer ";
    if (!authorization || strncasecmp(authorization, scheme, sizeof scheme - 1) != 0)
        return false;
    const char *given = authorization + sizeof scheme - 1;
    while (*given == ' ')
        given++;
    size_t given_len = strlen(given), token_len = strlen(token);
    /* Every byte of the token is compared whatever the given one holds: the
     * time depends on the token's length only. */
    unsigned char diff = given_len != token_len;
    for (size_t i = 0; i < token_len; i++)
        diff |= (unsigned char)token[i] ^ (unsigned char)(i < given_len ? given[i] : 0);
    return diff == 0;
}

enum http_head_verdict http_judge_head(const struct http_config *c, const struct http_head *h)
{
    if (!h->url || strcmp(h->url, c->path) != 0)
        return HTTP_HEAD_NOT_FOUND;
    bool post = h->method && strcmp(h->method, "POST") == 0;
    bool health = h->method && (strcmp(h->method, "GET") == 0 || strcmp(h->method, "HEAD") == 0);
    if (!post && !health)
        return HTTP_HEAD_BAD_METHOD;
    if (c->token && !http_bearer_matches(h->authorization, c->token))
        return HTTP_HEAD_UNAUTHORIZED;
    if (health)
        return HTTP_HEAD_HEALTH;
    uint64_t length;
    if (h->content_length && !http_parse_length(h->content_length, &length))
        return HTTP_HEAD_BAD_LENGTH;
    if (h->content_length && length > c->max_body_bytes)
        return HTTP_HEAD_TOO_LARGE;
    return HTTP_HEAD_TAKE_BODY;
}

void http_json_counts(struct sl_buf *out, uint64_t rows, uint64_t dead_letters)
{
    buf_printf(out, "{\"rows\":%llu,\"dead_letters\":%llu}\n", (unsigned long long)rows,
               (unsigned long long)dead_letters);
}

void http_json_error(struct sl_buf *out, const char *reason)
{
    buf_puts(out, "{\"error\":\"");
    for (const unsigned char *p = (const unsigned char *)reason; *p; p++) {
        if (*p == '"' || *p == '\\')
            buf_printf(out, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            buf_printf(out, "\\u%04x", *p);
        else if (*p >= 0x80)
            buf_putc(out, '?'); /* the reason may quote bytes that are not UTF-8 */
        else
            buf_putc(out, (char)*p);
    }
    buf_puts(out, "\"}\n");
}
