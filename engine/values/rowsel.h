/*
 * rowsel.h — the active rows of a chunk as one index array, so every kernel
 * has a single loop shape whether or not a filter set a selection vector.
 */
#ifndef SL_ROWSEL_H
#define SL_ROWSEL_H

#include "common/chunk.h"

/* 0, 1, ..., SL_CHUNK_CAP - 1: the rows of a chunk without a selection. */
extern const uint32_t rowsel_iota[SL_CHUNK_CAP];

/* The physical indexes of c's active rows (chunk_active(c) of them). */
static inline const uint32_t *rowsel_of(const struct sl_chunk *c)
{
    return c->sel ? c->sel : rowsel_iota;
}

#endif
