/*
 * chunk.h — the unit of execution: up to SL_CHUNK_CAP rows stored column by
 * column (DuckDB's DataChunk). Each vector is a typed array plus a NULL mask
 * of one byte per row (1 = NULL): byte masks keep the kernels branch-free
 * and simple, at 2 KiB per vector. A filter narrows the selection vector
 * instead of copying rows. Vectors, strings and arrays are allocated from
 * the chunk's arena, which lives as long as the batch.
 */
#ifndef SL_CHUNK_H
#define SL_CHUNK_H

#include "common/arena.h"
#include "common/status.h"
#include "common/value.h"

#define SL_CHUNK_CAP 2048

struct sl_vector {
    enum sl_type type;
    union {
        uint8_t *b;          /* SL_BOOL */
        int64_t *i;          /* SL_INT, SL_TIMESTAMP */
        double *r;           /* SL_REAL */
        struct sl_str *s;    /* SL_TEXT */
        struct sl_array **a; /* SL_ARRAY */
        struct sl_value *v;  /* SL_ANY */
        void *raw;
    } data;
    uint8_t *nulls; /* nulls[row] != 0: the value is NULL */
};

/* What a row means to the consumer: a changelog (Flink's RowKind). */
enum sl_row_kind {
    SL_ROW_INSERT = 0, /* a new row (or new key) */
    SL_ROW_UPDATE = 1, /* replaces the row with the same key */
    SL_ROW_DELETE = 2, /* removes the row with this key */
};

struct sl_chunk {
    uint32_t ncols;
    uint32_t count; /* rows physically present: 0..count-1 */
    struct sl_vector *cols;
    /* Active rows: when sel is NULL every row 0..count-1 is active;
     * otherwise sel[0..nsel-1] lists the active physical rows, ascending. */
    uint32_t *sel;
    uint32_t nsel;
    uint8_t *row_kinds; /* NULL: every row is SL_ROW_INSERT */
    /* The stream's watermark at each row's arrival, by physical row, for
     * event-time windows (which decide lateness with it); NULL: none. */
    int64_t *watermarks;
    struct sl_arena *arena;
};

/* Allocates a chunk with ncols vectors of the given types from arena. */
sl_status chunk_create(struct sl_arena *arena, uint32_t ncols, const enum sl_type *types,
                       struct sl_chunk **out);
/* Allocates one vector's storage (for SL_CHUNK_CAP rows) from arena. */
sl_status vector_init(struct sl_arena *arena, enum sl_type type, struct sl_vector *v);
/* Empties the chunk for reuse (keeps its vectors). */
void chunk_reset(struct sl_chunk *c);

/* Number of active rows. */
static inline uint32_t chunk_active(const struct sl_chunk *c)
{
    return c->sel ? c->nsel : c->count;
}

/* Whether c's selection, if it has one, lists rows below count in strictly
 * ascending order, as every kernel and operator assumes (for SL_ASSERT: O(n)). */
bool chunk_selection_valid(const struct sl_chunk *c);

/* Physical index of the k-th active row. */
static inline uint32_t chunk_row(const struct sl_chunk *c, uint32_t k)
{
    return c->sel ? c->sel[k] : k;
}

/* Reads row `row` of v as a tagged value (strings are not copied). */
struct sl_value vector_get(const struct sl_vector *v, uint32_t row);
/* Writes value into row `row` of v; the value's type must match the
 * vector's type (or be SL_NULL; SL_ANY takes any). No copy of strings. */
void vector_set(struct sl_vector *v, uint32_t row, struct sl_value value);

#endif
