/* op_gather.c — compacting copy of selected rows of a vector (used by project and unnest). */
#include "engine/ops/op_gather.h"

void op_gather(struct sl_vector *dst, const struct sl_vector *src, const uint32_t *rows, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++)
        dst->nulls[k] = src->nulls[rows[k]];
    switch (src->type) {
    case SL_BOOL:
        for (uint32_t k = 0; k < n; k++)
            dst->data.b[k] = src->data.b[rows[k]];
        return;
    case SL_INT:
    case SL_TIMESTAMP:
        for (uint32_t k = 0; k < n; k++)
            dst->data.i[k] = src->data.i[rows[k]];
        return;
    case SL_REAL:
        for (uint32_t k = 0; k < n; k++)
            dst->data.r[k] = src->data.r[rows[k]];
        return;
    case SL_TEXT:
        for (uint32_t k = 0; k < n; k++)
            dst->data.s[k] = src->data.s[rows[k]];
        return;
    case SL_ARRAY:
        for (uint32_t k = 0; k < n; k++)
            dst->data.a[k] = src->data.a[rows[k]];
        return;
    case SL_NULL:
    case SL_ANY:
        for (uint32_t k = 0; k < n; k++)
            dst->data.v[k] = src->data.v[rows[k]];
        return;
    }
}
