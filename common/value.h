/*
 * value.h — Sluice's value types. A column vector has one static type; a
 * single value (a constant, a row handed to storage) is a tagged sl_value.
 * SL_ANY is the vector type of an expression whose type varies per row
 * (SQLite is dynamically typed: CASE WHEN c THEN 1 ELSE 'a' END); its
 * elements are sl_values.
 */
#ifndef SL_VALUE_H
#define SL_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sl_type {
    SL_NULL = 0,   /* the type of the literal NULL */
    SL_BOOL,       /* stored as uint8_t 0/1; written to SQLite as INTEGER */
    SL_INT,        /* int64_t */
    SL_REAL,       /* double */
    SL_TEXT,       /* sl_str */
    SL_TIMESTAMP,  /* int64_t microseconds since the Unix epoch, UTC */
    SL_ARRAY,      /* sl_array * */
    SL_ANY,        /* sl_value (per-row type) */
};

/* Bytes of text; not NUL-terminated; points into an arena that outlives it. */
struct sl_str {
    const char *ptr;
    uint32_t len;
};

struct sl_value;

/* An array value (what split() returns): items live in the same arena. */
struct sl_array {
    uint32_t count;
    struct sl_value *items;
};

struct sl_value {
    enum sl_type type; /* SL_NULL means NULL whatever the column's type */
    union {
        bool b;
        int64_t i; /* SL_INT and SL_TIMESTAMP */
        double r;
        struct sl_str s;
        struct sl_array *a;
    } u;
};

/* "INTEGER", "TEXT", ... the name users see. */
const char *sl_type_name(enum sl_type t);

/* Maps a SQL type name (case-insensitive: BOOLEAN, INTEGER, BIGINT, INT,
 * REAL, DOUBLE, FLOAT, TEXT, VARCHAR, STRING, TIMESTAMP) to a type; false if unknown. */
bool sl_type_from_name(const char *name, size_t len, enum sl_type *out);

static inline struct sl_value sl_null(void)
{
    struct sl_value v = {.type = SL_NULL};
    return v;
}

/*
 * Text -> typed value conversions, strict (the whole text must be the
 * value, surrounding ASCII spaces allowed), used by decoders.
 */
bool sl_parse_int(const char *s, size_t len, int64_t *out);
bool sl_parse_real(const char *s, size_t len, double *out);
bool sl_parse_bool(const char *s, size_t len, bool *out);

#endif
