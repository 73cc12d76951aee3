/*
 * nexmark_gen.c — Nexmark's persons, auctions and bids, written from
 * ../shared/nexmark.md. Every random draw comes from a splitmix64 sequence
 * keyed by (seed, event number), so an event never depends on what was
 * generated before it: any row can be written alone, in any batch cut.
 * Records are assembled with hand-written integer formatting and a cached
 * date per second: this is the benchmark's input and must cost little.
 */
#include "connectors/nexmark_gen.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "common/time.h"

#define FIRST_PERSON_ID 1000
#define FIRST_AUCTION_ID 1000
#define FIRST_CATEGORY_ID 10
#define PROPORTION_TOTAL 50
#define HOT_RATIO 100        /* the batch a hot id is taken from */
#define IN_FLIGHT_AUCTIONS 100
#define AUCTION_ID_LEAD 10
#define ACTIVE_PEOPLE 1000
#define PERSON_ID_LEAD 10
/* 953 is the out-of-order permutation's multiplier (nexmark.md). */
#define OOO_PRIME 953

const char *const nx_kind_names[3] = {"person", "auction", "bid"};

static const char *const person_fields[] = {"id",   "name",  "email_address", "credit_card",
                                            "city", "state", "date_time",     "extra"};
static const unsigned char person_numeric[] = {1, 0, 0, 0, 0, 0, 0, 0};
static const char *const auction_fields[] = {"id",      "item_name", "description", "initial_bid",
                                             "reserve", "date_time", "expires",     "seller",
                                             "category", "extra"};
static const unsigned char auction_numeric[] = {1, 0, 0, 1, 1, 0, 0, 1, 1, 0};
static const char *const bid_fields[] = {"auction", "bidder",    "price", "channel",
                                         "url",     "date_time", "extra"};
static const unsigned char bid_numeric[] = {1, 1, 1, 0, 0, 0, 0};
static const enum sl_type person_types[] = {SL_INT,  SL_TEXT, SL_TEXT,      SL_TEXT,
                                            SL_TEXT, SL_TEXT, SL_TIMESTAMP, SL_TEXT};
static const enum sl_type auction_types[] = {SL_INT, SL_TEXT,      SL_TEXT,      SL_INT,
                                             SL_INT, SL_TIMESTAMP, SL_TIMESTAMP, SL_INT,
                                             SL_INT, SL_TEXT};
static const enum sl_type bid_types[] = {SL_INT,  SL_INT,       SL_INT, SL_TEXT,
                                         SL_TEXT, SL_TIMESTAMP, SL_TEXT};

bool nx_kind_parse(const char *name, enum nx_kind *kind)
{
    for (size_t k = 0; k < 3; k++)
        if (strcasecmp(name, nx_kind_names[k]) == 0) {
            *kind = (enum nx_kind)k;
            return true;
        }
    return false;
}

size_t nx_fields(enum nx_kind kind, const char *const **names, const unsigned char **numeric)
{
    switch (kind) {
    case NX_PERSON:
        *names = person_fields, *numeric = person_numeric;
        return sizeof person_fields / sizeof person_fields[0];
    case NX_AUCTION:
        *names = auction_fields, *numeric = auction_numeric;
        return sizeof auction_fields / sizeof auction_fields[0];
    default:
        *names = bid_fields, *numeric = bid_numeric;
        return sizeof bid_fields / sizeof bid_fields[0];
    }
}

const enum sl_type *nx_field_types(enum nx_kind kind)
{
    return kind == NX_PERSON ? person_types : kind == NX_AUCTION ? auction_types : bid_types;
}

static const char *const first_names[] = {"Peter", "Paul",  "Luke",  "John",   "Saul",  "Vicky",
                                          "Kate",  "Julie", "Sarah", "Deiter", "Walter"};
static const char *const last_names[] = {"Shultz", "Abrams", "Spencer", "White", "Bartels",
                                         "Walton", "Smith",  "Jones",   "Noris"};
static const char *const cities[] = {"Phoenix", "Los Angeles", "San Francisco", "Boise",
                                     "Portland", "Bend",       "Redmond",       "Seattle",
                                     "Kent",     "Cheyenne"};
static const char *const states[] = {"AZ", "CA", "ID", "OR", "WA", "WY"};
static const char *const hot_channels[] = {"Google", "Facebook", "Baidu", "Apple"};
static const char *const hot_urls[] = {
    "https://www.nexmark.com/hot/google/item.htm?query=1",
    "https://www.nexmark.com/hot/facebook/item.htm?query=1",
    "https://www.nexmark.com/hot/baidu/item.htm?query=1",
    "https://www.nexmark.com/hot/apple/item.htm?query=1",
};

/* Widths: the longest fields (11-digit ids up to NX_MAX_EVENTS, a 77-byte url) fit with room
 * for `extra`. Persons and auctions take nexmark.md's average sizes; a bid's fields alone can
 * reach 153 bytes of CSV, so its records are 160 bytes, not 100. */
size_t nx_width(enum nx_kind kind)
{
    return kind == NX_PERSON ? 200 : kind == NX_AUCTION ? 500 : 160;
}

struct rng {
    uint64_t s;
};

static inline uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static inline struct rng rng_for(uint64_t seed, uint64_t key)
{
    return (struct rng){mix(seed ^ mix(key + UINT64_C(0x9e3779b97f4a7c15)))};
}

static inline uint64_t next(struct rng *r)
{
    r->s += UINT64_C(0x9e3779b97f4a7c15);
    return mix(r->s);
}

/* U[0, n) without modulo bias worth caring about (a 64x64 multiply). */
static inline int64_t uniform(struct rng *r, int64_t n)
{
    return (int64_t)(((unsigned __int128)next(r) * (uint64_t)n) >> 64);
}

static inline double unit(struct rng *r)
{
    return (double)(next(r) >> 11) * 0x1p-53;
}

enum nx_kind nx_kind_of(int64_t e)
{
    int64_t offset = e % PROPORTION_TOTAL;
    return offset == 0 ? NX_PERSON : offset <= 3 ? NX_AUCTION : NX_BID;
}

int64_t nx_last_person(int64_t e)
{
    return e / PROPORTION_TOTAL;
}

int64_t nx_last_auction(int64_t e)
{
    int64_t epoch = e / PROPORTION_TOTAL, offset = e % PROPORTION_TOTAL;
    if (offset == 0)
        return (epoch - 1) * 3 + 2;
    return epoch * 3 + (offset <= 3 ? offset - 1 : 2);
}

static int64_t rows_of(enum nx_kind kind, int64_t events)
{
    int64_t epochs = events / PROPORTION_TOTAL, rest = events % PROPORTION_TOTAL;
    switch (kind) {
    case NX_PERSON:
        return epochs + (rest > 0);
    case NX_AUCTION:
        return epochs * 3 + (rest > 4 ? 3 : rest > 1 ? rest - 1 : 0);
    default:
        return epochs * 46 + (rest > 4 ? rest - 4 : 0);
    }
}

static size_t channel_url(uint64_t seed, int64_t channel, char *out);

void nx_init(struct nx_gen *g, const struct nx_config *c)
{
    g->c = *c;
    if (g->c.events <= 0 || g->c.events > NX_MAX_EVENTS)
        g->c.events = NX_MAX_EVENTS;
    if (g->c.group < 1)
        g->c.group = 1;
    g->rows = rows_of(c->kind, g->c.events);
    g->cached_sec = INT64_MIN;
    struct rng r = rng_for(c->seed, UINT64_MAX);
    for (size_t i = 0; i < NX_PAD; i++)
        g->pad[i] = (char)('a' + uniform(&r, 26));
    for (int64_t i = 0; i < NX_CHANNELS; i++)
        g->url_len[i] = (uint8_t)channel_url(c->seed, i, g->url[i]);
}

int64_t nx_event_of_row(const struct nx_gen *g, int64_t r)
{
    int64_t n = g->c.group;
    if (n > 1 && (r / n + 1) * n <= g->rows)
        r = r / n * n + r * OOO_PRIME % n;
    switch (g->c.kind) {
    case NX_PERSON:
        return r * PROPORTION_TOTAL;
    case NX_AUCTION:
        return r / 3 * PROPORTION_TOTAL + 1 + r % 3;
    default:
        return r / 46 * PROPORTION_TOTAL + 4 + r % 46;
    }
}

int64_t nx_timestamp(const struct nx_gen *g, int64_t e)
{
    int64_t rate = g->c.rate;
    return g->c.base_us + e / rate * SL_US_PER_SEC + e % rate * SL_US_PER_SEC / rate;
}

/* Writers: each appends to p and returns the new end. */
static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324"
                                     "25262728293031323334353637383940414243444546474849"
                                     "50515253545556575859606162636465666768697071727374"
                                     "75767778798081828384858687888990919293949596979899";

/* Two digits a division: formatting numbers is a good part of a record's cost. */
static inline char *put_u64(char *p, uint64_t v)
{
    char tmp[20];
    int n = 20;
    while (v >= 100) {
        memcpy(tmp + (n -= 2), digit_pairs + v % 100 * 2, 2);
        v /= 100;
    }
    if (v >= 10)
        memcpy(tmp + (n -= 2), digit_pairs + v * 2, 2);
    else
        tmp[--n] = (char)('0' + v);
    memcpy(p, tmp + n, (size_t)(20 - n));
    return p + 20 - n;
}

static inline char *put_bytes(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

static inline char *put_str(char *p, const char *s)
{
    return put_bytes(p, s, strlen(s));
}

static char *put_ts(struct nx_gen *g, char *p, int64_t us)
{
    int64_t sec = us / SL_US_PER_SEC, frac = us % SL_US_PER_SEC;
    if (frac < 0)
        sec--, frac += SL_US_PER_SEC;
    if (sec != g->cached_sec) {
        char text[32];
        sl_ts_format(sec * SL_US_PER_SEC, text);
        memcpy(g->cached_text, text, 19);
        g->cached_sec = sec;
    }
    memcpy(p, g->cached_text, 19);
    p[19] = '.';
    memcpy(p + 20, digit_pairs + frac / 10000 * 2, 2);
    memcpy(p + 22, digit_pairs + frac / 100 % 100 * 2, 2);
    memcpy(p + 24, digit_pairs + frac % 100 * 2, 2);
    return p + 26;
}

/* nexmark.md's rs(n): 3 + U[0, n-3) letters, a space with P 1/13 — generated already
 * trimmed (letters at both ends), so no field starts or ends with a space; urls take none. */
static char *put_rs(struct rng *r, char *p, int n, bool spaces)
{
    int len = 3 + (int)uniform(r, n - 3);
    for (int i = 0; i < len; i++) {
        uint64_t x = next(r);
        bool space = spaces && i > 0 && i < len - 1 && x % 13 == 0;
        *p++ = space ? ' ' : (char)('a' + (x >> 32) % 26);
    }
    return p;
}

/* round(10^(6U) * 100): log-uniform cents from 100 to 10^8 (positive: + 0.5 rounds). */
static int64_t price(struct rng *r)
{
    return (int64_t)(exp(unit(r) * 13.815510557964274) * 100.0 + 0.5);
}

/* A base-0 person among the last ACTIVE_PEOPLE, with a lead of PERSON_ID_LEAD. */
static int64_t next_person(struct rng *r, int64_t e)
{
    int64_t people = nx_last_person(e) + 1;
    int64_t active = people < ACTIVE_PEOPLE ? people : ACTIVE_PEOPLE;
    return people - active + uniform(r, active + PERSON_ID_LEAD);
}

/* 32-bit bit reversal, for a cold channel's channel_id. */
static uint32_t reverse_bits(uint32_t v)
{
    v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
    v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
    v = ((v >> 4) & 0x0f0f0f0fu) | ((v & 0x0f0f0f0fu) << 4);
    return __builtin_bswap32(v);
}

/* Channel i's url: three rs(5) directories, and for 90 % of channels its channel_id. */
static size_t channel_url(uint64_t seed, int64_t channel, char *out)
{
    struct rng cr = rng_for(seed ^ UINT64_C(0x6368616e6e656c), (uint64_t)channel);
    char *p = put_str(out, "https://www.nexmark.com/");
    for (int i = 0; i < 3; i++) {
        p = put_rs(&cr, p, 5, false);
        *p++ = '/';
    }
    p = put_str(p, "item.htm?query=1");
    if (uniform(&cr, 10) > 0) {
        p = put_str(p, "&channel_id=");
        p = put_u64(p, reverse_bits((uint32_t)channel));
    }
    return (size_t)(p - out);
}


/* A person's name, email and card take at most 14 + 15 + 20 bytes; an auction's item_name
 * and description 19 + 99; a bid's "channel-9999" 12. */
size_t nx_scratch(enum nx_kind kind)
{
    return kind == NX_PERSON ? 64 : kind == NX_AUCTION ? NX_SCRATCH : 16;
}

/* A field that is text: s[0..len). */
static inline struct nx_field text(const char *s, size_t len)
{
    return (struct nx_field){.str = s, .len = (uint32_t)len};
}

static inline struct nx_field literal(const char *s)
{
    return text(s, strlen(s));
}

static void person_fields_of(const struct nx_gen *g, struct rng *r, int64_t e, struct nx_field *f,
                             char *scratch)
{
    f[0].num = nx_last_person(e) + FIRST_PERSON_ID;
    char *p = put_str(scratch, first_names[uniform(r, 11)]);
    *p++ = ' ';
    p = put_str(p, last_names[uniform(r, 9)]);
    f[1] = text(scratch, (size_t)(p - scratch));
    char *email = p;
    p = put_rs(r, p, 7, true);
    *p++ = '@';
    p = put_rs(r, p, 5, true);
    p = put_str(p, ".com");
    f[2] = text(email, (size_t)(p - email));
    char *card = p;
    for (int i = 0; i < 4; i++) {
        int v = (int)uniform(r, 10000);
        p[0] = (char)('0' + v / 1000), p[1] = (char)('0' + v / 100 % 10);
        p[2] = (char)('0' + v / 10 % 10), p[3] = (char)('0' + v % 10);
        p[4] = ' ';
        p += 5;
    }
    f[3] = text(card, (size_t)(p - 1 - card));
    f[4] = literal(cities[uniform(r, 10)]);
    f[5] = literal(states[uniform(r, 6)]);
    f[6].num = nx_timestamp(g, e);
}

static void auction_fields_of(const struct nx_gen *g, struct rng *r, int64_t e, struct nx_field *f,
                              char *scratch)
{
    f[0].num = nx_last_auction(e) + FIRST_AUCTION_ID;
    char *p = put_rs(r, scratch, 20, true);
    f[1] = text(scratch, (size_t)(p - scratch));
    char *description = p;
    p = put_rs(r, p, 100, true);
    f[2] = text(description, (size_t)(p - description));
    f[3].num = price(r);
    f[4].num = f[3].num + price(r);
    int64_t ts = nx_timestamp(g, e);
    f[5].num = ts;
    /* horizon: the event time IN_FLIGHT_AUCTIONS more auctions take (3 per 50 events). */
    int64_t horizon_events = IN_FLIGHT_AUCTIONS * PROPORTION_TOTAL / 3;
    int64_t horizon = horizon_events / g->c.rate * SL_US_PER_SEC +
                      horizon_events % g->c.rate * SL_US_PER_SEC / g->c.rate;
    f[6].num = ts + SL_US_PER_MS + uniform(r, 2 * horizon + 1);
    int64_t seller = uniform(r, 4) > 0 ? nx_last_person(e) / HOT_RATIO * HOT_RATIO
                                       : next_person(r, e);
    f[7].num = seller + FIRST_PERSON_ID;
    f[8].num = FIRST_CATEGORY_ID + uniform(r, 5);
}

static void bid_fields_of(const struct nx_gen *g, struct rng *r, int64_t e, struct nx_field *f,
                          char *scratch)
{
    int64_t last_auction = nx_last_auction(e);
    int64_t auction;
    if (uniform(r, 2) > 0) {
        auction = last_auction / HOT_RATIO * HOT_RATIO;
    } else {
        int64_t low = last_auction > IN_FLIGHT_AUCTIONS ? last_auction - IN_FLIGHT_AUCTIONS : 0;
        auction = low + uniform(r, last_auction - low + 1 + AUCTION_ID_LEAD);
    }
    f[0].num = auction + FIRST_AUCTION_ID;
    /* Hot bidder: P 3/4; FIRST_PERSON_ID is added once (nexmark.md's quirk). */
    int64_t bidder = uniform(r, 4) > 0 ? nx_last_person(e) / HOT_RATIO * HOT_RATIO + 1
                                       : next_person(r, e);
    f[1].num = bidder + FIRST_PERSON_ID;
    f[2].num = price(r);
    if (uniform(r, 2) > 0) {
        int64_t hot = uniform(r, 4);
        f[3] = literal(hot_channels[hot]);
        f[4] = literal(hot_urls[hot]);
    } else {
        int64_t channel = uniform(r, NX_CHANNELS);
        char *p = put_str(scratch, "channel-");
        p = put_u64(p, (uint64_t)channel);
        f[3] = text(scratch, (size_t)(p - scratch));
        f[4] = text(g->url[channel], g->url_len[channel]);
    }
    f[5].num = nx_timestamp(g, e);
}

static const uint64_t powers_of_ten[20] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
    UINT64_C(10000000000), UINT64_C(100000000000), UINT64_C(1000000000000),
    UINT64_C(10000000000000), UINT64_C(100000000000000), UINT64_C(1000000000000000),
    UINT64_C(10000000000000000), UINT64_C(100000000000000000),
    UINT64_C(1000000000000000000), UINT64_C(10000000000000000000)};

/* How many digits put_u64 writes for v: log2 * 1233/4096 estimates log10, one compare fixes it. */
static inline size_t decimal_len(uint64_t v)
{
    unsigned t = (unsigned)(64 - __builtin_clzll(v | 1)) * 1233 >> 12;
    return t + (v >= powers_of_ten[t]) + (v == 0);
}

/* "YYYY-MM-DD HH:MM:SS.ffffff", as put_ts writes it. */
#define TS_TEXT_LEN 26

size_t nx_event(const struct nx_gen *g, int64_t row, struct nx_field *f, char *scratch)
{
    int64_t e = nx_event_of_row(g, row);
    struct rng r = rng_for(g->c.seed, (uint64_t)e);
    enum nx_kind kind = g->c.kind;
    if (kind == NX_PERSON)
        person_fields_of(g, &r, e, f, scratch);
    else if (kind == NX_AUCTION)
        auction_fields_of(g, &r, e, f, scratch);
    else
        bid_fields_of(g, &r, e, f, scratch);
    const enum sl_type *types = nx_field_types(kind);
    size_t n = kind == NX_PERSON ? 8 : kind == NX_AUCTION ? 10 : 7;
    /* `extra` pads the record's text to its width: its length is what the other fields and
     * their commas leave, before the '\n'. */
    size_t used = n - 1;
    for (size_t i = 0; i + 1 < n; i++)
        used += types[i] == SL_INT         ? decimal_len((uint64_t)f[i].num)
                : types[i] == SL_TIMESTAMP ? TS_TEXT_LEN
                                           : f[i].len;
    size_t len = nx_width(kind) - 1 - used;
    f[n - 1] = text(g->pad + uniform(&r, (int64_t)(NX_PAD - len)), len);
    return n;
}

void nx_record(struct nx_gen *g, int64_t row, char *out)
{
    struct nx_field f[NX_MAX_FIELDS];
    char scratch[NX_SCRATCH];
    size_t n = nx_event(g, row, f, scratch);
    const enum sl_type *types = nx_field_types(g->c.kind);
    char *p = out;
    for (size_t i = 0; i + 1 < n; i++) {
        if (types[i] == SL_INT)
            p = put_u64(p, (uint64_t)f[i].num);
        else if (types[i] == SL_TIMESTAMP)
            p = put_ts(g, p, f[i].num);
        else
            p = put_bytes(p, f[i].str, f[i].len);
        *p++ = ',';
    }
    p = put_bytes(p, f[n - 1].str, f[n - 1].len);
    *p = '\n';
}
