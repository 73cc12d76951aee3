/*
 * json_scan.c — the single-pass JSON object scanner (json_scan.h). One
 * cursor walks the text; every read is checked against the end. Wanted
 * top-level values are recorded as spans; everything else is validated
 * and skipped, nested containers with an explicit stack (a bit per level:
 * object or array) rather than recursion, so depth costs no C stack.
 */
#include "connectors/json_scan.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "common/alloc.h"
#include "common/utf8.h"

struct jscan_key {
    char *name;
    size_t len;
};

struct jscan_keys {
    uint32_t n;
    struct jscan_key *keys;
};

sl_status jscan_keys_create(const char *const *names, uint32_t n, struct jscan_keys **out)
{
    struct jscan_keys *k = sl_calloc(1, sizeof *k);
    if (!k)
        return SL_NOMEM;
    k->keys = sl_calloc(n ? n : 1, sizeof *k->keys);
    if (!k->keys) {
        sl_free(k);
        return SL_NOMEM;
    }
    for (; k->n < n; k->n++) {
        k->keys[k->n].len = strlen(names[k->n]);
        k->keys[k->n].name = sl_strdup(names[k->n]);
        if (!k->keys[k->n].name) {
            jscan_keys_destroy(k);
            return SL_NOMEM;
        }
    }
    *out = k;
    return SL_OK;
}

void jscan_keys_destroy(struct jscan_keys *keys)
{
    if (!keys)
        return;
    for (uint32_t i = 0; i < keys->n; i++)
        sl_free(keys->keys[i].name);
    sl_free(keys->keys);
    sl_free(keys);
}

uint32_t jscan_keys_count(const struct jscan_keys *keys)
{
    return keys->n;
}

struct scan {
    const char *start, *p, *end;
    struct jscan_error *err;
};

static bool scan_fail(struct scan *s, const char *reason)
{
    s->err->reason = reason;
    s->err->offset = (size_t)(s->p - s->start);
    return false;
}

static void skip_ws(struct scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

/* Whether the next byte is c (there is one, and it is c). */
static bool at(const struct scan *s, char c)
{
    return s->p < s->end && *s->p == c;
}

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* Whether any of the 8 bytes in w ends a plain run of string bytes: a quote,
 * a backslash, a control character or a non-ASCII byte. (x - ONES * n) & ~x
 * has a high bit set exactly when some byte of x is below n (n <= 128), so
 * strings are checked a word at a time, which is most of a line's bytes. */
static bool word_special(uint64_t w)
{
    uint64_t quote = w ^ (ONES * '"');
    uint64_t slash = w ^ (ONES * '\\');
    return ((((w - ONES * 0x20) & ~w) | ((quote - ONES) & ~quote) | ((slash - ONES) & ~slash) | w) &
            HIGHS) != 0;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The 4 hex digits at p as a number, or -1. */
static long hex4(const char *p, const char *end)
{
    if (end - p < 4)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(p[i]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/*
 * The escape at p (a backslash): its code point in *code and its length in
 * the text (2, 6, or 12 for a surrogate pair), or 0 with *reason. \u0000 is
 * refused, as jansson refuses it, since a NUL inside TEXT helps nobody.
 */
static size_t parse_escape(const char *p, const char *end, uint32_t *code, const char **reason)
{
    static const char simple_in[] = "\"\\/bfnrt";
    static const char simple_out[] = "\"\\/\b\f\n\r\t";
    *reason = "invalid escape in a string";
    if (end - p < 2)
        return 0;
    if (p[1] != 'u') {
        const char *hit = p[1] ? strchr(simple_in, p[1]) : NULL;
        if (!hit)
            return 0;
        *code = (unsigned char)simple_out[hit - simple_in];
        return 2;
    }
    long hi = hex4(p + 2, end);
    if (hi < 0)
        return 0;
    if (hi == 0) {
        *reason = "\\u0000 in a string";
        return 0;
    }
    if (hi < 0xD800 || hi > 0xDFFF) {
        *code = (uint32_t)hi;
        return 6;
    }
    *reason = "unpaired UTF-16 surrogate in a string";
    if (hi > 0xDBFF || end - p < 12 || p[6] != '\\' || p[7] != 'u')
        return 0;
    long lo = hex4(p + 8, end);
    if (lo < 0xDC00 || lo > 0xDFFF)
        return 0;
    *code = 0x10000 + (((uint32_t)hi - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
    return 12;
}

/* Past the plain string bytes at p, 16 at a time with SSE2 (a quote, a backslash, a control
 * character or a non-ASCII byte stops it: as signed bytes, the last two are those below 0x20);
 * the words and bytes left are checked by the caller. */
static const char *plain_run_end(const char *p, const char *end)
{
#ifdef __SSE2__
    const __m128i quote = _mm_set1_epi8('"'), slash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i ends = _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, slash));
        __m128i stop = _mm_or_si128(ends, _mm_cmplt_epi8(v, space));
        unsigned m = (unsigned)_mm_movemask_epi8(stop);
        if (m)
            return p + __builtin_ctz(m);
        p += 16;
    }
#else
    (void)end;
#endif
    return p;
}

/* s->p at the opening quote. Leaves s->p past the closing quote and the
 * contents' span in *v. */
static bool scan_string(struct scan *s, struct jscan_value *v)
{
    const char *p = ++s->p;
    const char *end = s->end;
    *v = (struct jscan_value){.kind = JSCAN_STRING, .text = p};
    for (;;) {
        p = plain_run_end(p, end);
        uint64_t w;
        while (end - p >= 8 && (memcpy(&w, p, 8), !word_special(w)))
            p += 8;
        s->p = p;
        if (p >= end)
            return scan_fail(s, "unterminated string");
        unsigned char c = (unsigned char)*p;
        if (c == '"') {
            v->len = (size_t)(p - v->text);
            s->p = p + 1;
            return true;
        }
        if (c == '\\') {
            uint32_t code = 0;
            const char *reason;
            size_t n = parse_escape(p, end, &code, &reason);
            if (!n)
                return scan_fail(s, reason);
            v->flag = true;
            p += n;
        } else if (c < 0x20) {
            return scan_fail(s, "control character in a string");
        } else if (c < 0x80) {
            p++;
        } else {
            size_t n = sl_utf8_sequence_length(p, end);
            if (!n)
                return scan_fail(s, "invalid UTF-8 in a string");
            p += n;
        }
    }
}

static bool is_digit(const struct scan *s)
{
    return s->p < s->end && *s->p >= '0' && *s->p <= '9';
}

static void skip_digits(struct scan *s)
{
    while (is_digit(s))
        s->p++;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool scan_number(struct scan *s, struct jscan_value *v)
{
    *v = (struct jscan_value){.kind = JSCAN_NUMBER, .text = s->p};
    if (at(s, '-'))
        s->p++;
    if (at(s, '0'))
        s->p++;
    else if (is_digit(s))
        skip_digits(s);
    else
        return scan_fail(s, "invalid number");
    if (at(s, '.')) {
        s->p++;
        if (!is_digit(s))
            return scan_fail(s, "invalid number");
        skip_digits(s);
        v->flag = true;
    }
    if (at(s, 'e') || at(s, 'E')) {
        s->p++;
        if (at(s, '+') || at(s, '-'))
            s->p++;
        if (!is_digit(s))
            return scan_fail(s, "invalid number");
        skip_digits(s);
        v->flag = true;
    }
    v->len = (size_t)(s->p - v->text);
    return true;
}

static bool scan_literal(struct scan *s, const char *word, size_t n, enum jscan_kind kind,
                         struct jscan_value *v)
{
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
        return scan_fail(s, "invalid literal");
    *v = (struct jscan_value){.kind = kind, .text = s->p, .len = n};
    s->p += n;
    return true;
}

/* A value that is not a container, at s->p. */
static bool scan_scalar(struct scan *s, struct jscan_value *v)
{
    if (s->p >= s->end)
        return scan_fail(s, "unexpected end of text");
    switch (*s->p) {
    case '"': return scan_string(s, v);
    case 't': return scan_literal(s, "true", 4, JSCAN_TRUE, v);
    case 'f': return scan_literal(s, "false", 5, JSCAN_FALSE, v);
    case 'n': return scan_literal(s, "null", 4, JSCAN_NULL, v);
    default:
        if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
            return scan_number(s, v);
        return scan_fail(s, "expected a value");
    }
}

/* A member's key and colon, at s->p; leaves s->p at the value. */
static bool scan_member_key(struct scan *s, struct jscan_value *key)
{
    if (!at(s, '"'))
        return scan_fail(s, "expected a key string");
    if (!scan_string(s, key))
        return false;
    skip_ws(s);
    if (!at(s, ':'))
        return scan_fail(s, "expected ':'");
    s->p++;
    skip_ws(s);
    return true;
}

/* An object or array at s->p, validated and passed over. */
static bool skip_container(struct scan *s)
{
    uint64_t is_object[JSCAN_MAX_DEPTH / 64];
    unsigned depth = 0;
    struct jscan_value ignored;
    for (;;) {
        /* At a value. */
        if (at(s, '{') || at(s, '[')) {
            bool object = *s->p == '{';
            if (depth == JSCAN_MAX_DEPTH)
                return scan_fail(s, "nested too deeply");
            uint64_t bit = UINT64_C(1) << (depth % 64);
            uint64_t *word = &is_object[depth / 64];
            *word = object ? *word | bit : *word & ~bit;
            depth++;
            s->p++;
            skip_ws(s);
            if (!at(s, object ? '}' : ']')) {
                if (object && !scan_member_key(s, &ignored))
                    return false;
                continue;
            }
            s->p++;
            depth--;
        } else if (!scan_scalar(s, &ignored)) {
            return false;
        }
        /* After a value: close what closes here, then on to the next value. */
        for (;;) {
            if (depth == 0)
                return true;
            bool object = (is_object[(depth - 1) / 64] >> ((depth - 1) % 64)) & 1;
            skip_ws(s);
            if (at(s, ',')) {
                s->p++;
                skip_ws(s);
                if (object && !scan_member_key(s, &ignored))
                    return false;
                break;
            }
            if (!at(s, object ? '}' : ']'))
                return scan_fail(s, object ? "expected ',' or '}'" : "expected ',' or ']'");
            s->p++;
            depth--;
        }
    }
}

static bool scan_value(struct scan *s, struct jscan_value *v)
{
    if (!at(s, '{') && !at(s, '['))
        return scan_scalar(s, v);
    const char *start = s->p;
    enum jscan_kind kind = *s->p == '{' ? JSCAN_OBJECT : JSCAN_ARRAY;
    if (!skip_container(s))
        return false;
    *v = (struct jscan_value){.kind = kind, .text = start, .len = (size_t)(s->p - start)};
    return true;
}

/* Whether the escaped key text raw decodes to name. */
static bool unescaped_equals(const struct jscan_value *raw, const struct jscan_key *key)
{
    const char *p = raw->text, *end = raw->text + raw->len;
    size_t matched = 0;
    while (p < end) {
        char buf[4];
        size_t n = 1;
        if (*p == '\\') {
            uint32_t code = 0;
            const char *reason;
            p += parse_escape(p, end, &code, &reason);
            n = sl_utf8_put(code, buf);
        } else {
            buf[0] = *p++;
        }
        if (key->len - matched < n || memcmp(key->name + matched, buf, n) != 0)
            return false;
        matched += n;
    }
    return matched == key->len;
}

static bool key_equals(const struct jscan_value *raw, const struct jscan_key *key)
{
    if (raw->flag)
        return unescaped_equals(raw, key);
    return raw->len == key->len && memcmp(raw->text, key->name, key->len) == 0;
}

/* The column of key raw, or -1. Keys usually come in the same order on every
 * line, so the one after the previous match (*next) is tried first. */
static long find_key(const struct jscan_keys *keys, const struct jscan_value *raw, uint32_t *next)
{
    if (*next < keys->n && key_equals(raw, &keys->keys[*next]))
        return (*next)++;
    for (uint32_t i = 0; i < keys->n; i++) {
        if (key_equals(raw, &keys->keys[i])) {
            *next = i + 1;
            return i;
        }
    }
    return -1;
}

bool jscan_object(const struct jscan_keys *keys, const char *text, size_t len,
                  struct jscan_value *values, struct jscan_error *err)
{
    struct scan s = {text, text, text + len, err};
    for (uint32_t i = 0; i < keys->n; i++)
        values[i].kind = JSCAN_ABSENT;
    skip_ws(&s);
    if (!at(&s, '{'))
        return scan_fail(&s, "not a JSON object");
    s.p++;
    skip_ws(&s);
    if (at(&s, '}')) {
        s.p++;
    } else {
        uint32_t next = 0;
        for (;;) {
            struct jscan_value key, value;
            if (!scan_member_key(&s, &key) || !scan_value(&s, &value))
                return false;
            long col = find_key(keys, &key, &next);
            if (col >= 0)
                values[col] = value;
            skip_ws(&s);
            if (at(&s, '}')) {
                s.p++;
                break;
            }
            if (!at(&s, ','))
                return scan_fail(&s, "expected ',' or '}'");
            s.p++;
            skip_ws(&s);
        }
    }
    skip_ws(&s);
    if (s.p != s.end)
        return scan_fail(&s, "text after the object");
    return true;
}

bool jscan_array_element(const struct jscan_value *array, size_t n, struct jscan_value *out)
{
    /* The span was validated when it was scanned, so err is never filled in. */
    struct jscan_error err;
    struct scan s = {array->text, array->text + 1, array->text + array->len, &err};
    skip_ws(&s);
    if (at(&s, ']'))
        return false;
    for (size_t i = 0;; i++) {
        if (!scan_value(&s, out))
            return false;
        if (i == n)
            return true;
        skip_ws(&s);
        if (!at(&s, ','))
            return false;
        s.p++;
        skip_ws(&s);
    }
}

size_t jscan_unescape(const struct jscan_value *v, char *out)
{
    const char *p = v->text, *end = v->text + v->len;
    size_t n = 0;
    while (p < end) {
        const char *slash = memchr(p, '\\', (size_t)(end - p));
        size_t run = slash ? (size_t)(slash - p) : (size_t)(end - p);
        memcpy(out + n, p, run);
        n += run;
        p += run;
        if (!slash)
            break;
        uint32_t code = 0;
        const char *reason;
        p += parse_escape(p, end, &code, &reason);
        n += sl_utf8_put(code, out + n);
    }
    return n;
}

bool jscan_number_int(const struct jscan_value *v, int64_t *out)
{
    if (v->kind != JSCAN_NUMBER || v->flag)
        return false;
    const char *p = v->text, *end = v->text + v->len;
    bool negative = *p == '-';
    p += negative;
    /* Accumulate the magnitude; INT64_MIN's is one more than INT64_MAX's. */
    uint64_t limit = (uint64_t)INT64_MAX + negative;
    uint64_t mag = 0;
    for (; p < end; p++) {
        uint64_t d = (uint64_t)(*p - '0');
        if (mag > (limit - d) / 10)
            return false;
        mag = mag * 10 + d;
    }
    *out = negative ? (int64_t)(0 - mag) : (int64_t)mag;
    return true;
}
