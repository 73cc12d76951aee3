/*
 * nexmark_gen.h — the Nexmark event model (../shared/nexmark.md): row r of a
 * kind's stream as a fixed-width CSV record, a pure function of (seed, rate,
 * base time, out-of-order group, r). The NEXMARK source and `sluice nexmark`
 * both write through nx_record, so they produce the same bytes.
 *
 * Event e of the global sequence is a person when e % 50 == 0, an auction when
 * it is 1..3, a bid otherwise (2 / 6 / 92 %). A kind's stream is that kind's
 * events in order; with an out-of-order group n > 1, row r carries the event
 * of row (r/n)*n + (r*953)%n instead (a permutation within each whole group,
 * as 953 is prime and n < 953; a trailing partial group stays in order).
 * Each record ends in '\n' and is padded through its `extra` field to the
 * kind's width (nx_width), so byte offset o is row o / width. nx_event gives
 * the same row as typed fields, for a reader that wants columns, not text.
 */
#ifndef SL_NEXMARK_GEN_H
#define SL_NEXMARK_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/value.h"

enum nx_kind { NX_PERSON, NX_AUCTION, NX_BID };

/* The largest `events` (ids then fit the records' widths); 0 in nx_config means this. */
#define NX_MAX_EVENTS INT64_C(1000000000000)
/* 2026-01-01 00:00:00 UTC: the default time of event 0, fixed so that runs are reproducible. */
#define NX_BASE_DEFAULT (INT64_C(1767225600) * 1000000)
/* Out-of-order groups stay below the permutation's prime. */
#define NX_MAX_GROUP 952
/* The slice of random letters `extra` is cut from. */
#define NX_PAD 4096
/* Cold channels ("channel-i", i below this), each with its url drawn once. */
#define NX_CHANNELS 10000
#define NX_URL_MAX 80

struct nx_config {
    enum nx_kind kind;
    uint64_t seed;
    int64_t rate;    /* events per second of event time, > 0 */
    int64_t base_us; /* event 0's time, microseconds since the epoch */
    int64_t events;  /* events of the whole sequence, 1..NX_MAX_EVENTS; 0: NX_MAX_EVENTS */
    int64_t group;   /* out-of-order group size, 1..NX_MAX_GROUP */
};

/* Plan (config) and the caches nx_record keeps; no allocation. */
struct nx_gen {
    struct nx_config c;
    int64_t rows;          /* rows of the kind among the sequence's events */
    int64_t cached_sec;    /* the second whose text cached_text holds */
    char cached_text[20];  /* "YYYY-MM-DD HH:MM:SS" */
    char pad[NX_PAD];      /* random letters, from the seed */
    /* Channel i's url (nexmark.md's cached one), from the seed and i alone. */
    uint8_t url_len[NX_CHANNELS];
    char url[NX_CHANNELS][NX_URL_MAX];
};

void nx_init(struct nx_gen *g, const struct nx_config *c);
/* The record width of a kind, '\n' included. */
size_t nx_width(enum nx_kind kind);
/* The kind of global event e. */
enum nx_kind nx_kind_of(int64_t e);
/* The global event number row r of g's stream carries (out-of-order group applied). */
int64_t nx_event_of_row(const struct nx_gen *g, int64_t r);
/* Event e's time, microseconds: base + e / rate seconds. */
int64_t nx_timestamp(const struct nx_gen *g, int64_t e);
/* The current ("last generated") base-0 person and auction ids at event e. */
int64_t nx_last_person(int64_t e);
int64_t nx_last_auction(int64_t e);
/* Writes row r (r < g->rows) into out: exactly nx_width(g->c.kind) bytes. */
void nx_record(struct nx_gen *g, int64_t r, char *out);

/* One field of a row: a number (SL_INT; SL_TIMESTAMP in microseconds) in num, or text in
 * str[0..len), which points into g (urls, `extra`), static names, or the scratch space. */
struct nx_field {
    int64_t num;
    const char *str;
    uint32_t len;
};
#define NX_MAX_FIELDS 10
/* The scratch space one row may need (an auction's item_name and description); nx_scratch
 * says how much a row of a kind needs. */
#define NX_SCRATCH 128
/*
 * Row r's fields in record order into f (NX_MAX_FIELDS room), their types as
 * nx_field_types says; composed text (names, emails, channels) goes into
 * scratch (nx_scratch(kind) bytes), which must live as long as f is used. Returns
 * the field count. nx_record is this, written out as text. It reads g and
 * changes nothing in it, so threads may make rows of one g at once.
 */
size_t nx_event(const struct nx_gen *g, int64_t r, struct nx_field *f, char *scratch);
size_t nx_scratch(enum nx_kind kind);
/* The types of a kind's fields in record order: SL_INT, SL_TIMESTAMP or SL_TEXT. */
const enum sl_type *nx_field_types(enum nx_kind kind);

/* The kind named name (any case), or false. */
bool nx_kind_parse(const char *name, enum nx_kind *kind);
/* Names of a kind's fields in record order (Flink's DDL names), and which are numbers. */
extern const char *const nx_kind_names[3];
size_t nx_fields(enum nx_kind kind, const char *const **names, const unsigned char **numeric);

#endif
