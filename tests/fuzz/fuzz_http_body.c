/*
 * fuzz_http_body.c — libFuzzer target for what the HTTP LISTEN source makes
 * of a request's bytes (connectors/http_head.c, engine/runtime/record_check.c):
 * the head's verdict (path, method, Content-Length, bearer token), the
 * record check on the body, and the JSON of the answers.
 *
 * Input: byte 0 picks the options (bits 0-1 the format: TEXT, CSV, JSON,
 * JSON with json_cast; bit 2 a token 'sesame' is required; bit 3
 * max_body_bytes = 64 rather than 16 MiB); then four lines, each a header
 * or empty for absent: the URL, the method, Content-Length, Authorization;
 * the rest is the body.
 *
 * Checks: Content-Length, the token and the verdict agree with plain
 * reference versions written here; the check's counts equal those of the
 * shared decoder driver (fuzz_decode.c) cutting the same body into pieces,
 * so a sender is told what the query will keep; an error answer is one
 * JSON string of printable ASCII whatever the reason holds.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "connectors/http_impl.h"
#include "engine/plan/catalog.h"
#include "engine/runtime/record_check.h"
#include "fuzz_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FIELD_CAP 256

/* The next line of [*p, end) into out (NUL-terminated, cut at FIELD_CAP - 1
 * bytes and at a NUL), or NULL when it is empty; *p moves past its '\n'. */
static const char *next_field(const uint8_t **p, const uint8_t *end, char out[FIELD_CAP])
{
    const uint8_t *nl = memchr(*p, '\n', (size_t)(end - *p));
    const uint8_t *stop = nl ? nl : end;
    size_t n = (size_t)(stop - *p);
    if (n > FIELD_CAP - 1)
        n = FIELD_CAP - 1;
    memcpy(out, *p, n);
    out[n] = '\0';
    *p = nl ? nl + 1 : end;
    return out[0] ? out : NULL;
}

static bool reference_length(const char *text, uint64_t *out)
{
    if (!text || !*text || strspn(text, "0123456789") != strlen(text))
        return false;
    uint64_t n = 0;
    bool saturated = false;
    for (const char *p = text; *p && !saturated; p++)
        saturated = __builtin_mul_overflow(n, 10, &n) ||
                    __builtin_add_overflow(n, (uint64_t)(*p - '0'), &n);
    *out = saturated ? UINT64_MAX : n;
    return true;
}

static bool reference_bearer(const char *auth, const char *token)
{
    if (!auth || strncasecmp(auth, "bearer ", 7) != 0)
        return false;
    auth += 7;
    while (*auth == ' ')
        auth++;
    return strcmp(auth, token) == 0;
}

static void check_head(const struct http_config *c, const struct http_head *h)
{
    uint64_t len = 0, ref_len = 0;
    bool parsed = http_parse_length(h->content_length, &len);
    bool ref_parsed = reference_length(h->content_length, &ref_len);
    if (parsed != ref_parsed || (parsed && len != ref_len))
        fuzz_fail("Content-Length '%s': read %d/%llu, reference %d/%llu", h->content_length,
                  parsed, (unsigned long long)len, ref_parsed, (unsigned long long)ref_len);
    bool token_ok = !c->token || reference_bearer(h->authorization, c->token);
    if (c->token && http_bearer_matches(h->authorization, c->token) != token_ok)
        fuzz_fail("Authorization '%s' against token '%s'", h->authorization, c->token);
    enum http_head_verdict want;
    bool on_path = h->url && strcmp(h->url, c->path) == 0;
    bool post = h->method && strcmp(h->method, "POST") == 0;
    bool get = h->method && (strcmp(h->method, "GET") == 0 || strcmp(h->method, "HEAD") == 0);
    if (!on_path)
        want = HTTP_HEAD_NOT_FOUND;
    else if (!post && !get)
        want = HTTP_HEAD_BAD_METHOD;
    else if (!token_ok)
        want = HTTP_HEAD_UNAUTHORIZED;
    else if (get)
        want = HTTP_HEAD_HEALTH;
    else if (h->content_length && !ref_parsed)
        want = HTTP_HEAD_BAD_LENGTH;
    else if (h->content_length && ref_len > c->max_body_bytes)
        want = HTTP_HEAD_TOO_LARGE;
    else
        want = HTTP_HEAD_TAKE_BODY;
    enum http_head_verdict got = http_judge_head(c, h);
    if (got != want)
        fuzz_fail("head verdict %d, the reference's %d", (int)got, (int)want);
}

/* An error answer: {"error":"..."} with only printable ASCII and valid escapes inside. */
static void check_error_json(const char *reason)
{
    struct sl_buf b;
    buf_init(&b);
    http_json_error(&b, reason);
    const char *s = buf_str(&b);
    size_t n = strlen(s);
    static const char head[] = "{\"error\":\"", tail[] = "\"}\n";
    if (b.failed || n < sizeof head + sizeof tail - 2 || memcmp(s, head, sizeof head - 1) != 0 ||
        strcmp(s + n - (sizeof tail - 1), tail) != 0)
        fuzz_fail("error answer is not {\"error\":\"...\"}: %s", s);
    for (size_t i = sizeof head - 1; i < n - (sizeof tail - 1); i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch >= 0x7f || ch == '"')
            fuzz_fail("byte 0x%02x unescaped in an error answer", ch);
        if (ch != '\\')
            continue;
        ch = (unsigned char)s[++i];
        if (ch == 'u' && strspn(s + i + 1, "0123456789abcdef") >= 4)
            i += 4;
        else if (ch != '"' && ch != '\\')
            fuzz_fail("bad escape \\%c in an error answer", ch);
    }
    buf_free(&b);
}

static void count_rows(void *ctx, const struct sl_chunk *rows)
{
    *(uint64_t *)ctx += rows->count;
}

static void check_body(enum sl_format_kind kind, bool cast, const uint8_t *body, size_t len)
{
    static struct sl_column typed[] = {
        {"id", SL_INT}, {"price", SL_REAL}, {"name", SL_TEXT}, {"ts", SL_TIMESTAMP}};
    static struct sl_column line[] = {{"line", SL_TEXT}};
    struct sl_stream_def def = {
        .ncols = kind == SL_FORMAT_TEXT ? 1 : 4,
        .cols = kind == SL_FORMAT_TEXT ? line : typed,
        .format = {.kind = kind, .delimiter = ',', .json_cast = cast},
    };
    def.ndeclared = def.ncols;
    struct sl_schema schema = stream_def_format_schema(&def);
    struct sl_record_verdict v;
    record_check(&def, (const char *)body, len, &v);
    uint64_t rows = 0;
    uint64_t letters = fuzz_decode(&def.format, &schema, body, len, count_rows, &rows, NULL);
    if (v.rows != rows || v.dead_letters != letters)
        fuzz_fail("the check counts %llu rows and %llu dead letters, the decoder in pieces "
                  "%llu and %llu", (unsigned long long)v.rows,
                  (unsigned long long)v.dead_letters, (unsigned long long)rows,
                  (unsigned long long)letters);
    if ((v.dead_letters > 0) != (v.reason[0] != '\0'))
        fuzz_fail("%llu dead letters with reason '%s'", (unsigned long long)v.dead_letters,
                  v.reason);
    check_error_json(v.reason);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    static const enum sl_format_kind kinds[] = {SL_FORMAT_TEXT, SL_FORMAT_CSV, SL_FORMAT_JSON,
                                                SL_FORMAT_JSON};
    uint8_t flags = data[0];
    const uint8_t *p = data + 1, *end = data + size;
    char url[FIELD_CAP], method[FIELD_CAP], length[FIELD_CAP], auth[FIELD_CAP];
    struct http_head head = {
        .url = next_field(&p, end, url),
        .method = next_field(&p, end, method),
        .content_length = next_field(&p, end, length),
        .authorization = next_field(&p, end, auth),
    };
    struct http_config config = {
        .path = "/ingest",
        .token = flags & 4 ? "sesame" : NULL,
        .max_body_bytes = flags & 8 ? 64 : (size_t)16 << 20,
    };
    check_head(&config, &head);
    check_body(kinds[flags & 3], (flags & 3) == 3, p, (size_t)(end - p));
    /* The reason may be anything a sender wrote: the body itself stands in for one. */
    char reason[FIELD_CAP];
    size_t n = (size_t)(end - p) < FIELD_CAP - 1 ? (size_t)(end - p) : FIELD_CAP - 1;
    memcpy(reason, p, n);
    reason[n] = '\0';
    check_error_json(reason);
    return 0;
}
