/*
 * catalog.h — the streams and queries the engine knows, in memory. A stream
 * definition is what CREATE STREAM bound to: its columns, its source and
 * format. It is persisted as SQL text by storage (_sluice_streams), never
 * as a struct, so the stored catalog stays readable with sqlite3.
 */
#ifndef SL_CATALOG_H
#define SL_CATALOG_H

#include "common/schema.h"
#include "connectors/decoder.h"
#include "connectors/source.h"

struct sl_stream_def {
    char *name;
    char *sql;
    uint32_t ncols;
    struct sl_column *cols; /* names owned */
    /* cols[0..ndeclared) are the declared columns, decoded from the FORMAT; the
     * rest are the connector's metadata columns (kafka_key ...), filled from each record. */
    uint32_t ndeclared;
    struct sl_source_spec source; /* address owned */
    struct sl_format_spec format; /* owned: format_spec_clear */
    /* WATERMARK FOR cols[time_column] AS ... - watermark_delay_us; -1: no event
     * time, the stream runs on processing time. */
    int time_column;
    int64_t watermark_delay_us;
    /* The stream is read once, by an ingest loop, into its log in the
     * database, which every query over it reads (engine/runtime/ingest.h):
     * on for sources that cannot replay except stdin, unless WITH (log = false)
     * (each query then reads the source itself, at most once); WITH (log =
     * true) for stdin. The source pushes back past max_log_bytes unread. */
    bool log;
    int64_t max_log_bytes;
    /* CREATE STREAM name AS SELECT: the stream's rows are those its query (of
     * the same name) writes to its log, as JSON records, in its batches. */
    bool derived;
};

/* WITH (max_log_bytes = ...) when a stream does not say: 256 MiB. */
#define SL_DEFAULT_MAX_LOG_BYTES (INT64_C(256) << 20)

/* Whether a stream of c is read into a log when it does not say: what cannot
 * replay, except stdin (a pipe's reader is its only one; a log there only
 * costs, unless the input must survive a crash). */
bool stream_logs_by_default(const struct sl_connector *c);

/* A SQLite table as a lookup join (issue 16) reads it: what the binder needs
 * to know of it. Strings live in the arena given to describe_table. */
struct sl_table_def {
    const char *schema; /* as SQLite names it: "main", "temp" or an ATTACH's name */
    const char *table;  /* as the database spells it */
    const char *file;   /* the database file holding it; "" for an in-memory or temp one */
    uint32_t ncols;
    const char **names;
    const char **decl_types; /* as declared; "" when none */
};

/* Looks a table (or view) up in the database: schema NULL searches them in
 * SQLite's order (temp, main, then the attached ones). *found false when
 * there is none; an error only when the database fails. */
struct sl_arena;
typedef sl_status (*sl_describe_table_fn)(void *ctx, const char *schema, const char *table,
                                          struct sl_arena *arena, struct sl_table_def *out,
                                          bool *found, struct sl_error *err);

struct sl_catalog {
    uint32_t nstreams;
    uint32_t cap;
    struct sl_stream_def **streams;
    /* The database's tables, for lookup joins: set by the engine when it has
     * a database (engine/exec), NULL in check-only mode (sluice check without
     * --db), where every table is unknown. */
    sl_describe_table_fn describe_table;
    void *describe_ctx;
};

void catalog_init(struct sl_catalog *c);
void catalog_free(struct sl_catalog *c);
/* Case-insensitive lookup; NULL if absent. */
struct sl_stream_def *catalog_find_stream(const struct sl_catalog *c, const char *name);
/* Takes ownership of def. */
sl_status catalog_add_stream(struct sl_catalog *c, struct sl_stream_def *def);
/* Removes and frees the stream; false if absent. */
bool catalog_drop_stream(struct sl_catalog *c, const char *name);
/* Closest stream name for "did you mean", or NULL. */
const char *catalog_suggest_stream(const struct sl_catalog *c, const char *name);

void stream_def_free(struct sl_stream_def *def);
/* The columns the stream's FORMAT decodes (its declared ones, not the metadata). */
struct sl_schema stream_def_format_schema(const struct sl_stream_def *def);

/* Levenshtein distance with case folded, capped at 16 (for suggestions). */
unsigned name_distance(const char *a, const char *b);
/* The candidate nearest name within two edits (a typo), or NULL: for "did you mean". */
const char *name_nearest(const char *name, const char *const *candidates, size_t n);

#endif
