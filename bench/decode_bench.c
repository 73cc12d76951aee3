/*
 * decode_bench.c — decode throughput on one core, for bench/decode.sh.
 * Generates N Nexmark bids (nexmark.md's rules, seeded, so the same on every
 * machine) in memory as CSV lines and as NDJSON lines, then times, best of
 * several runs on the monotonic clock, each way of turning them into the
 * columns (auction BIGINT, bidder BIGINT, price BIGINT, channel TEXT,
 * url TEXT, date_time TIMESTAMP, extra TEXT) of SL_CHUNK_CAP-row chunks that
 * are reused as engine/runtime/query.c reuses them:
 *   text, csv, json  the engine's decoders (decoder_decode), fed 1 MiB reads
 *   csv-libcsv       the CSV decoder without its fast path (every record through libcsv)
 *   csv-split        lines split at commas in place: a bound for a CSV fast path
 *   jansson, json-c  json_loadb / json_tokener per line, then key lookups
 *   scan             connectors/json_scan.c, no tree; strings stay in the input
 *   scan-only        the scanner without the conversion into columns
 * A first, untimed run of each checks that every JSON path gives the CSV
 * decoder's columns exactly. Prints one tab-separated line per way:
 * name, input bytes, rows, best seconds.
 * Usage: decode_bench [--rows N] [--runs R] [--only NAME] [--write-csv FILE]
 *                     [--write-json FILE]
 * (--only times one way, e.g. under perf record, after the CSV decoder's
 * check run; --write-csv and --write-json write the bids as CSV or NDJSON
 * to FILE and exit).
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/time.h"
#include "connectors/decoder.h"
#include "connectors/json_scan.h"
#include "decode_bench.h"
#include "tests/tools/xorshift.h"

const char *const col_names[NCOLS] = {"auction", "bidder", "price", "channel",
                                      "url",     "date_time", "extra"};
const enum sl_type col_types[NCOLS] = {SL_INT,  SL_INT,       SL_INT, SL_TEXT,
                                       SL_TEXT, SL_TIMESTAMP, SL_TEXT};

/* ---- the bids ---- */

static void text_add(struct text *t, const char *s, size_t n)
{
    if (t->len + n > t->cap) {
        t->cap = (t->len + n) * 2;
        t->p = realloc(t->p, t->cap);
        if (!t->p) {
            perror("decode_bench");
            exit(1);
        }
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
}

static uint64_t uniform(uint64_t n)
{
    return next_random() % n;
}

/* nexmark.md's rs(n): 3 + U[0, n-3) letters a-z, a space with p = 1/13, trimmed. */
static size_t random_string(char *out, int n)
{
    size_t len = 3 + uniform((uint64_t)n - 3), k = 0;
    for (size_t i = 0; i < len; i++)
        out[k++] = uniform(13) == 0 ? ' ' : (char)('a' + uniform(26));
    size_t from = 0;
    while (from < k && out[from] == ' ')
        from++;
    while (k > from && out[k - 1] == ' ')
        k--;
    memmove(out, out + from, k - from);
    return k - from;
}

#define CHANNELS 10000
static const char *const hot_channels[] = {"Google", "Facebook", "Baidu", "Apple"};
static char channel_urls[CHANNELS][96];
static char hot_urls[4][96];

static void make_url(char *out, long channel_id)
{
    char dirs[3][8];
    size_t lens[3];
    for (int i = 0; i < 3; i++)
        lens[i] = random_string(dirs[i], 5);
    int n = sprintf(out, "https://www.nexmark.com/%.*s/%.*s/%.*s/item.htm?query=1", (int)lens[0],
                    dirs[0], (int)lens[1], dirs[1], (int)lens[2], dirs[2]);
    if (channel_id >= 0)
        sprintf(out + n, "&channel_id=%ld", channel_id);
}

static long bit_reversed(long i)
{
    unsigned v = (unsigned)i, r = 0;
    for (int b = 0; b < 31; b++)
        r |= ((v >> b) & 1u) << (30 - b);
    return (long)r;
}

struct bid {
    int64_t auction, bidder, price, date_time;
    char channel[16];
    const char *url;
    char extra[128];
};

/* Event number e (a bid: e % 50 >= 4) as nexmark.md describes it, at 10,000 events/s. */
static void make_bid(uint64_t e, const char *padding, size_t padding_len, struct bid *b)
{
    int64_t epoch = (int64_t)(e / 50);
    int64_t last_auction = epoch * 3 + 2, last_person = epoch;
    b->auction = 1000 + (uniform(2) ? (last_auction / 100) * 100
                                    : last_auction - 100 + (int64_t)uniform(111));
    b->bidder = 1000 + (uniform(4) ? (last_person / 100) * 100 + 1
                                   : last_person - 1000 + (int64_t)uniform(1011));
    if (b->auction < 1000)
        b->auction = 1000;
    if (b->bidder < 1000)
        b->bidder = 1000;
    b->price = llround(pow(10.0, 6.0 * (double)uniform(1000000) / 1e6) * 100.0);
    if (uniform(2)) {
        int h = (int)uniform(4);
        strcpy(b->channel, hot_channels[h]);
        b->url = hot_urls[h];
    } else {
        long i = (long)uniform(CHANNELS);
        sprintf(b->channel, "channel-%ld", i);
        b->url = channel_urls[i];
    }
    b->date_time = INT64_C(1767225600) * SL_US_PER_SEC + (int64_t)e * 100;
    /* extra pads the bid to 100 bytes on average, +-20% (fields counted as Nexmark counts them). */
    long size = 32 + (long)strlen(b->channel) + (long)strlen(b->url);
    long want = 80 + (long)uniform(41) - size;
    size_t n = want > 0 ? (size_t)want : 0, from = uniform(padding_len - sizeof b->extra);
    while (n && padding[from] == ' ')
        from++, n--;
    while (n && padding[from + n - 1] == ' ')
        n--;
    memcpy(b->extra, padding + from, n);
    b->extra[n] = '\0';
}

static void generate(uint64_t rows, struct text *csv, struct text *json)
{
    rng_state = 42;
    for (int i = 0; i < 4; i++)
        make_url(hot_urls[i], -1);
    for (long i = 0; i < CHANNELS; i++)
        make_url(channel_urls[i], uniform(10) ? bit_reversed(i) : -1);
    static char padding[1 << 16];
    for (size_t i = 0; i < sizeof padding; i++)
        padding[i] = uniform(13) == 0 ? ' ' : (char)('a' + uniform(26));
    char line[512], ts[32];
    struct bid b;
    for (uint64_t e = 0, made = 0; made < rows; e++) {
        if (e % 50 < 4)
            continue;
        make_bid(e, padding, sizeof padding, &b);
        sl_ts_format(b.date_time, ts);
        ts[23] = '\0'; /* milliseconds, as Nexmark's TIMESTAMP(3) */
        /* An empty extra is quoted: unquoted, CSV reads it as NULL (decoder.h). */
        int n = snprintf(line, sizeof line, "%lld,%lld,%lld,%s,%s,%s,%s\n", (long long)b.auction,
                         (long long)b.bidder, (long long)b.price, b.channel, b.url, ts,
                         b.extra[0] ? b.extra : "\"\"");
        text_add(csv, line, (size_t)n);
        n = snprintf(line, sizeof line,
                     "{\"auction\":%lld,\"bidder\":%lld,\"price\":%lld,\"channel\":\"%s\","
                     "\"url\":\"%s\",\"date_time\":\"%s\",\"extra\":\"%s\"}\n",
                     (long long)b.auction, (long long)b.bidder, (long long)b.price, b.channel,
                     b.url, ts, b.extra);
        text_add(json, line, (size_t)n);
        made++;
    }
}

/* ---- the chunk every way decodes into ---- */

/* Folds the chunk's values into the checksum (verify runs only), then empties it. */
void sink_flush(struct sink *s)
{
    struct sl_chunk *c = s->chunk;
    for (uint32_t r = 0; s->verify && r < c->count; r++) {
        for (uint32_t i = 0; i < c->ncols; i++) {
            const struct sl_vector *v = &c->cols[i];
            uint64_t h = v->nulls[r] ? 0x9e37 : 0;
            if (!v->nulls[r] && v->type == SL_TEXT) {
                for (uint32_t k = 0; k < v->data.s[r].len; k++)
                    h = h * 31 + (unsigned char)v->data.s[r].ptr[k];
            } else if (!v->nulls[r]) {
                h = (uint64_t)v->data.i[r];
            }
            s->checksum = (s->checksum ^ h) * UINT64_C(0x100000001b3);
        }
    }
    s->rows += c->count;
    chunk_reset(c);
    arena_reset(s->strings);
}

/* ---- the engine's decoders ---- */

_Noreturn void fail(const char *what, const char *why)
{
    fprintf(stderr, "decode_bench: %s: %s\n", what, why);
    exit(1);
}

static void decode_engine(enum sl_format_kind kind, bool libcsv_only, const struct text *in,
                          struct sink *s)
{
    static const struct sl_column text_col[] = {{"line", SL_TEXT}};
    struct sl_column cols[NCOLS];
    for (int i = 0; i < NCOLS; i++)
        cols[i] = (struct sl_column){col_names[i], col_types[i]};
    struct sl_schema schema = kind == SL_FORMAT_TEXT ? (struct sl_schema){1, text_col}
                                                     : (struct sl_schema){NCOLS, cols};
    struct sl_format_spec spec = {.kind = kind, .csv_libcsv_only = libcsv_only};
    struct sl_decoder *d;
    struct sl_error err;
    if (decoder_create(&spec, &schema, NULL, NULL, &d, &err) != SL_OK)
        fail("decoder_create", err.msg);
    /* As the FILE source hands it over: reads of 1 MiB. */
    for (size_t read = 0; read < in->len;) {
        size_t n = in->len - read < (1u << 20) ? in->len - read : (1u << 20);
        for (size_t off = 0; off < n;) {
            size_t consumed;
            if (decoder_decode(d, in->p + read + off, n - off, &consumed, s->chunk, &err) != SL_OK)
                fail("decoder_decode", err.msg);
            off += consumed;
            if (s->chunk->count == SL_CHUNK_CAP || off == n)
                sink_flush(s);
        }
        read += n;
    }
    if (decoder_finish(d, s->chunk, &err) != SL_OK)
        fail("decoder_finish", err.msg);
    sink_flush(s);
    decoder_destroy(d);
}

static void decode_text(const struct text *in, struct sink *s)
{
    decode_engine(SL_FORMAT_TEXT, false, in, s);
}

static void decode_csv(const struct text *in, struct sink *s)
{
    decode_engine(SL_FORMAT_CSV, false, in, s);
}

/* The CSV decoder without its fast path: every record through libcsv, the baseline. */
static void decode_csv_libcsv(const struct text *in, struct sink *s)
{
    decode_engine(SL_FORMAT_CSV, true, in, s);
}

static void decode_json(const struct text *in, struct sink *s)
{
    decode_engine(SL_FORMAT_JSON, false, in, s);
}

/* ---- JSON, a line at a time ---- */

void each_line(const struct text *in, struct sink *s,
               void (*row)(void *ctx, const char *line, size_t len, struct sink *s), void *ctx)
{
    const char *p = in->p, *end = in->p + in->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        row(ctx, p, len, s);
        if (s->chunk->count == SL_CHUNK_CAP)
            sink_flush(s);
        p += len + 1;
    }
    sink_flush(s);
}

bool put_owned_string(struct sink *s, int i, const char *str, size_t len)
{
    struct sl_vector *v = &s->chunk->cols[i];
    uint32_t row = s->chunk->count;
    if (col_types[i] == SL_TIMESTAMP)
        return sl_ts_parse(str, len, &v->data.i[row]);
    const char *copy = len ? arena_memdup(s->strings, str, len) : "";
    v->data.s[row] = (struct sl_str){.ptr = copy, .len = (uint32_t)len};
    return copy != NULL;
}

static void row_jansson(void *ctx, const char *line, size_t len, struct sink *s)
{
    (void)ctx;
    json_error_t jerr;
    json_t *o = json_loadb(line, len, 0, &jerr);
    uint32_t row = s->chunk->count;
    bool ok = o && json_is_object(o);
    for (int i = 0; ok && i < NCOLS; i++) {
        json_t *v = json_object_get(o, col_names[i]);
        struct sl_vector *vec = &s->chunk->cols[i];
        vec->nulls[row] = !v || json_is_null(v);
        if (vec->nulls[row])
            continue;
        if (col_types[i] == SL_INT) {
            ok = json_is_integer(v);
            vec->data.i[row] = ok ? json_integer_value(v) : 0;
        } else {
            ok = json_is_string(v) &&
                 put_owned_string(s, i, json_string_value(v), json_string_length(v));
        }
    }
    s->chunk->count += ok;
    s->rejected += !ok;
    json_decref(o);
}

/* Text str[0..len) into column i (TIMESTAMP or TEXT) of the current row; a
 * TEXT stays where it is in the input, as the decoders' contract allows. */
static bool put_in_place(struct sink *s, int i, const char *str, size_t len)
{
    struct sl_vector *v = &s->chunk->cols[i];
    uint32_t row = s->chunk->count;
    v->nulls[row] = 0;
    if (col_types[i] == SL_TIMESTAMP)
        return sl_ts_parse(str, len, &v->data.i[row]);
    v->data.s[row] = (struct sl_str){.ptr = str, .len = (uint32_t)len};
    return true;
}

/* A scanned value into column i of the current row; a string without escapes stays in the input. */
static bool put_scanned(struct sink *s, int i, const struct jscan_value *jv)
{
    struct sl_vector *v = &s->chunk->cols[i];
    uint32_t row = s->chunk->count;
    v->nulls[row] = jv->kind == JSCAN_ABSENT || jv->kind == JSCAN_NULL;
    if (v->nulls[row])
        return true;
    if (col_types[i] == SL_INT)
        return jscan_number_int(jv, &v->data.i[row]);
    if (jv->kind != JSCAN_STRING)
        return false;
    const char *str = jv->text;
    size_t len = jv->len;
    if (jv->flag) {
        char *out = arena_alloc(s->strings, len ? len : 1);
        if (!out)
            return false;
        len = jscan_unescape(jv, out);
        str = out;
    }
    return put_in_place(s, i, str, len);
}

static void row_scan(void *ctx, const char *line, size_t len, struct sink *s)
{
    struct jscan_value values[NCOLS];
    struct jscan_error err;
    bool ok = jscan_object(ctx, line, len, values, &err);
    for (int i = 0; ok && i < NCOLS; i++)
        ok = put_scanned(s, i, &values[i]);
    s->chunk->count += ok;
    s->rejected += !ok;
}

/* CSV split in place, as a fast path of the CSV decoder could split a line
 * without quotes: a bound on what dropping libcsv would give, not a decoder.
 * The bids' only quoting is an empty extra written "". */
static void row_csv_split(void *ctx, const char *line, size_t len, struct sink *s)
{
    (void)ctx;
    const char *p = line, *end = line + len;
    bool ok = true;
    for (int i = 0; ok && i < NCOLS; i++) {
        const char *comma = i + 1 < NCOLS ? memchr(p, ',', (size_t)(end - p)) : end;
        if (!comma) {
            ok = false;
            break;
        }
        size_t n = (size_t)(comma - p);
        if (col_types[i] == SL_INT) {
            s->chunk->cols[i].nulls[s->chunk->count] = 0;
            ok = sl_parse_int(p, n, &s->chunk->cols[i].data.i[s->chunk->count]);
        } else {
            ok = n == 2 && p[0] == '"' && p[1] == '"' ? put_in_place(s, i, p, 0)
                                                      : put_in_place(s, i, p, n);
        }
        p = comma + 1;
    }
    s->chunk->count += ok;
    s->rejected += !ok;
}

/* Validation and key lookup alone: one empty row per line, so the row count still checks. */
static void row_scan_only(void *ctx, const char *line, size_t len, struct sink *s)
{
    struct jscan_value values[NCOLS];
    struct jscan_error err;
    bool ok = jscan_object(ctx, line, len, values, &err);
    s->chunk->count += ok;
    s->rejected += !ok;
}

static void decode_csv_split(const struct text *in, struct sink *s)
{
    each_line(in, s, row_csv_split, NULL);
}

static void decode_jansson(const struct text *in, struct sink *s)
{
    each_line(in, s, row_jansson, NULL);
}


/* The bid's columns for the scanner, made once in main. */
static struct jscan_keys *bid_keys;

static void decode_scan(const struct text *in, struct sink *s)
{
    each_line(in, s, row_scan, bid_keys);
}

static void decode_scan_only(const struct text *in, struct sink *s)
{
    each_line(in, s, row_scan_only, bid_keys);
}

/* ---- timing ---- */

struct way {
    const char *name;
    void (*decode)(const struct text *in, struct sink *s);
    bool json;      /* reads the NDJSON lines (else the CSV ones) */
    bool same_rows; /* must give the CSV decoder's columns exactly */
};

static struct sink *sink_create(int ncols)
{
    struct sink *s = calloc(1, sizeof *s);
    if (!s)
        fail("sink", "out of memory");
    s->vectors = arena_create(0);
    s->strings = arena_create(1 << 20);
    enum sl_type text = SL_TEXT;
    if (!s->vectors || !s->strings ||
        chunk_create(s->vectors, (uint32_t)ncols, ncols == 1 ? &text : col_types, &s->chunk) != SL_OK)
        fail("chunk_create", "out of memory");
    s->chunk->arena = s->strings;
    return s;
}

static void sink_destroy(struct sink *s)
{
    arena_destroy(s->vectors);
    arena_destroy(s->strings);
    free(s);
}

int main(int argc, char **argv)
{
    uint64_t rows = 1000000;
    int runs = 5;
    const char *write_csv = NULL, *write_json = NULL, *only = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--rows") == 0)
            rows = strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--runs") == 0)
            runs = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--only") == 0)
            only = argv[i + 1];
        else if (strcmp(argv[i], "--write-csv") == 0)
            write_csv = argv[i + 1];
        else if (strcmp(argv[i], "--write-json") == 0)
            write_json = argv[i + 1];
        else
            fail(argv[i], "usage: decode_bench [--rows N] [--runs R] [--only NAME] "
                          "[--write-csv FILE] [--write-json FILE]");
    }
    struct text csv = {0}, json = {0};
    generate(rows, &csv, &json);
    if (write_csv || write_json) {
        const char *path = write_csv ? write_csv : write_json;
        const struct text *t = write_csv ? &csv : &json;
        FILE *f = fopen(path, "w");
        if (!f || fwrite(t->p, 1, t->len, f) != t->len || fclose(f) != 0)
            fail(path, "cannot write");
        free(csv.p);
        free(json.p);
        return 0;
    }
    static const struct way ways[] = {
        {"text", decode_text, false, false},
        {"csv", decode_csv, false, true},
        {"csv-libcsv", decode_csv_libcsv, false, true},
        {"csv-split", decode_csv_split, false, true},
        {"json", decode_json, true, true},
        {"jansson", decode_jansson, true, true},
#ifdef HAVE_JSONC
        {"json-c", decode_jsonc, true, true},
#endif
        {"scan", decode_scan, true, true},
        {"scan-only", decode_scan_only, true, false},
    };
    if (jscan_keys_create(col_names, NCOLS, &bid_keys) != SL_OK)
        fail("jscan_keys_create", "out of memory");
    uint64_t csv_checksum = 0;
    for (size_t w = 0; w < sizeof ways / sizeof ways[0]; w++) {
        const struct way *way = &ways[w];
        const struct text *in = way->json ? &json : &csv;
        bool timed = !only || strcmp(way->name, only) == 0;
        /* The CSV decoder's check run gives the checksum the others must match. */
        if (!timed && strcmp(way->name, "csv") != 0)
            continue;
        struct sink *s = sink_create(strcmp(way->name, "text") == 0 ? 1 : NCOLS);
        s->verify = way->same_rows; /* scan-only fills no columns */
        way->decode(in, s);
        if (s->rows != rows || s->rejected)
            fail(way->name, "did not decode every bid");
        if (strcmp(way->name, "csv") == 0)
            csv_checksum = s->checksum;
        else if (way->same_rows && s->checksum != csv_checksum)
            fail(way->name, "columns differ from the CSV decoder's");
        s->verify = false;
        int64_t best = INT64_MAX;
        for (int r = 0; timed && r < runs; r++) {
            int64_t start = sl_monotonic_us();
            way->decode(in, s);
            int64_t took = sl_monotonic_us() - start;
            best = took < best ? took : best;
        }
        if (timed)
            printf("%s\t%zu\t%llu\t%.6f\n", way->name, in->len, (unsigned long long)rows,
                   (double)best / 1e6);
        fflush(stdout);
        sink_destroy(s);
    }
    jscan_keys_destroy(bid_keys);
    free(csv.p);
    free(json.p);
    return 0;
}
