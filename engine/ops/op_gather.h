/* op_gather.h — copying chosen rows of a vector into a dense one. */
#ifndef SL_OP_GATHER_H
#define SL_OP_GATHER_H

#include "common/chunk.h"

/* dst[k] = src[rows[k]] for k < n, values and NULL flags; dst has src's type.
 * Strings and arrays are views: the references are copied, not the bytes. */
void op_gather(struct sl_vector *dst, const struct sl_vector *src, const uint32_t *rows,
               uint32_t n);

#endif
