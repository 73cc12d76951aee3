/*
 * registry.h — the connectors Sluice knows, each described once: its name
 * (what `FROM name` says), whether it can replay, whether it takes an
 * address, its options (name, type, default, range, one line of doc), the
 * format it reads when the stream names none, and how to open it. The binder
 * checks a CREATE STREAM against this table, SHOW STREAMS prints from it and
 * docs/connectors.md's option tables are generated from it
 * (connectors_markdown), so adding a connector touches connectors/ only: a
 * file with its entry and its source ops, and a line in registry.c.
 *
 * Sinks (INTO name 'address') will be entries of kind SL_CONNECTOR_SINK with
 * open/write/commit beside open. Sources that hand out framed records (Kafka
 * messages) declare metadata columns that every stream of theirs has.
 */
#ifndef SL_REGISTRY_H
#define SL_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/status.h"
#include "connectors/decoder.h"

/* How an option's value is written and stored (in sl_option_value.num unless TEXT). */
enum sl_option_type {
    SL_OPTION_BOOL,      /* true | false: 1 | 0 */
    SL_OPTION_INT,       /* a whole number in [min, max] */
    SL_OPTION_TEXT,      /* a string: sl_option_value.text */
    SL_OPTION_DURATION,  /* '200 milliseconds' or an INTERVAL: microseconds in [min, max] */
    SL_OPTION_SIZE,      /* a whole number of bytes in [min, max] */
    SL_OPTION_TIMESTAMP, /* 'YYYY-MM-DD HH:MM:SS': microseconds since the epoch */
};

struct sl_option_def {
    const char *name;
    enum sl_option_type type;
    int64_t min, max;         /* INT, DURATION, SIZE: the accepted range */
    int64_t default_num;      /* the value when the option is not given (not TEXT) */
    const char *default_text; /* the default as the docs show it */
    const char *doc;          /* one line: what it does */
};

/* One option as a stream gave it; an unset one takes its default. */
struct sl_option_value {
    bool set;
    int64_t num;
    char *text; /* TEXT options: owned by the spec that holds it */
    /* A TEXT option holding ${NAME} references: as written (owned), which
     * SHOW and DESCRIBE print; text is its value. NULL: as text. */
    char *written;
};

#define SL_CONNECTOR_MAX_OPTIONS 12
#define SL_CONNECTOR_MAX_METADATA 8

/* What a record source knows of each record besides its bytes (struct sl_record). */
enum sl_record_field {
    SL_FIELD_KEY,       /* TEXT: the message key, NULL when it has none */
    SL_FIELD_PARTITION, /* INT */
    SL_FIELD_OFFSET,    /* INT: the record's offset in its partition */
    SL_FIELD_TIMESTAMP, /* TIMESTAMP: the time the producer or the broker gave it */
};

/* A metadata column every stream of the connector has after its declared
 * columns (kafka_key ...), filled from the record rather than decoded. */
struct sl_metadata_def {
    const char *name;
    enum sl_type type;
    enum sl_record_field field;
    const char *doc; /* one line: what it holds */
};

enum sl_connector_kind { SL_CONNECTOR_SOURCE };

struct sl_source;
struct sl_source_spec;

struct sl_connector {
    const char *name;    /* upper case, as the docs write it: "FILE" */
    enum sl_connector_kind kind;
    const char *summary; /* docs: what it reads, in a sentence */
    bool replayable;     /* reads again from an offset: exactly-once without a journal */
    /* The process's standard input: only one query may read it at a time. */
    bool reads_stdin;
    /* Written FROM NAME LISTEN 'address' (HTTP, SOCKET LISTEN): it accepts
     * senders at address rather than reaching out to it. A name may have one
     * connector of each kind (SOCKET 'h:p' and SOCKET LISTEN 'h:p'). */
    bool listens;
    /* 'address' after the name: what it is ("a path"), NULL when it takes none. */
    const char *address_doc;
    /* A malformed address: the message (NULL when it is fine) and *hint. */
    const char *(*check_address)(const char *address, const char **hint);
    const char *default_format; /* the FORMAT when the stream names none; NULL: required */
    /* It makes its own records in default_format (GENERATOR): no other FORMAT reads them. */
    bool format_fixed;
    const struct sl_option_def *options;
    size_t noptions; /* at most SL_CONNECTOR_MAX_OPTIONS */
    /* The names options had before, still accepted (saved streams use them):
     * old_option_names[i] is options[i]'s, or NULL; the array may be NULL. */
    const char *const *old_option_names;
    /* Checks option i's value (type-checked already) beyond its type: a message (and
     * *hint) when it is not acceptable ('soon' for a start); NULL: none to check. */
    const char *(*check_option)(size_t i, const struct sl_option_value *v, const char **hint);
    /* Sources whose records have fixed fields (NEXMARK): whether the n declared column names,
     * given the options, are those fields; if not, why in msg and what to write in hint.
     * NULL: any columns. */
    bool (*check_columns)(const struct sl_option_value *options, const char *const *names,
                          size_t n, char *msg, size_t msg_cap, char *hint, size_t hint_cap);
    const struct sl_metadata_def *metadata; /* record sources' metadata columns */
    size_t nmetadata;
    sl_status (*open)(const struct sl_source_spec *spec, struct sl_source **out,
                      struct sl_error *err);
    /* Opening it only looks at local files (FILE): `sluice check` opens and closes it
     * to report what `run` would (a missing file). */
    bool check_opens;
};

/* Case-insensitive lookup by name, of those that listen or of the others; NULL if there is none. */
const struct sl_connector *connector_find(const char *name, bool listens);
/* The connectors in the order the docs list them: i < connector_count(). */
size_t connector_count(void);
const struct sl_connector *connector_at(size_t i);
/* Index of a connector's option named name (case-insensitive), or -1. */
int connector_option_index(const struct sl_connector *c, const char *name);

/* A format (FORMAT name [(options)]): how bytes become rows (connectors/decoder.h). */
struct sl_format {
    const char *name; /* "CSV" */
    enum sl_format_kind kind;
    const char *summary; /* docs: what it reads, in a sentence */
    const struct sl_option_def *options;
    size_t noptions;
    /* Stores option i's value (type-checked already) into spec; a message (and *hint)
     * when the value is still not acceptable (a delimiter of two characters). */
    const char *(*set_option)(struct sl_format_spec *spec, size_t i,
                              const struct sl_option_value *v, const char **hint);
};

/* Case-insensitive lookup by name; NULL if there is none. */
const struct sl_format *format_find(const char *name);
size_t format_count(void);
const struct sl_format *format_at(size_t i);
/* Index of a format's option named name (case-insensitive), or -1. */
int format_option_index(const struct sl_format *f, const char *name);

/* An option's value as SQL writes it (true, 3, '5 SECONDS', 'text'), appended to out,
 * for SHOW STREAMS, DESCRIBE and EXPLAIN: in 'key=value;...' text, the value of a key
 * naming a credential (password, secret, token, jaas) is shown as ***. */
void connector_option_sql(const struct sl_option_def *def, const struct sl_option_value *v,
                          struct sl_buf *out);

/* An address as SQL writes it inside quotes, for SHOW and DESCRIBE: a URL's password and
 * a credential's value in key=value words (a libpq conninfo's password=...) are ***. */
void connector_address_redacted(const char *address, struct sl_buf *out);

/* docs/connectors.md's generated part: per connector, what it reads, whether it
 * replays and its option table; then each format and its options, in Markdown. */
void connectors_markdown(struct sl_buf *out);

#endif
