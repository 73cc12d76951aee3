/*
 * expr_bits.c — the bitwise operators & | << >> and unary ~, as SQLite's VDBE
 * computes them: each operand is first read as an INTEGER the way
 * CAST(x AS INTEGER) reads it ('12abc' is 12, a REAL is truncated and
 * clamped), NULL gives NULL, and the result is always an INTEGER. A shift
 * by a negative amount shifts the other way; by 64 or more it gives 0, or
 * -1 for a negative value shifted right.
 */
#include "engine/expr/expr_kernels.h"

#include "engine/values/sqlval.h"

/* Operand v as int64 values and a NULL mask at the active rows: the vector's
 * own arrays for the INT class, else converted row by row. */
static bool bits_operand(const struct sl_vector *v, const struct expr_ctx *cx, const int64_t **vals,
                         const uint8_t **nulls)
{
    if (expr_class_of(v->type) == EXPR_CLASS_INT) {
        *vals = expr_ints(v, cx);
        *nulls = v->nulls;
        return *vals != NULL;
    }
    int64_t *iv = arena_alloc(cx->arena, sizeof *iv * SL_CHUNK_CAP);
    uint8_t *in = arena_alloc(cx->arena, SL_CHUNK_CAP);
    if (!iv || !in)
        return false;
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        /* vector_get, not v->nulls: an SL_ANY vector tags NULL in the value. */
        struct sl_value x = vector_get(v, i);
        in[i] = x.type == SL_NULL || x.type == SL_ARRAY;
        switch (x.type) {
        case SL_BOOL: iv[i] = x.u.b; break;
        case SL_INT:
        case SL_TIMESTAMP: iv[i] = x.u.i; break;
        case SL_REAL: iv[i] = sqlval_real_to_int(x.u.r); break;
        case SL_TEXT: iv[i] = sqlval_text_to_int(x.u.s); break;
        default: iv[i] = 0; break;
        }
    }
    *vals = iv;
    *nulls = in;
    return true;
}

/* a << b for any b, SQLite's way (left false: a >> b). */
static int64_t shift(int64_t a, int64_t b, bool left)
{
    if (b < 0) {
        left = !left;
        /* -b would overflow for INT64_MIN; anything past -64 shifts everything out. */
        b = b > -64 ? -b : 64;
    }
    if (b >= 64)
        return a >= 0 || left ? 0 : -1;
    uint64_t u = (uint64_t)a;
    if (left)
        return (int64_t)(u << b);
    /* An arithmetic shift, written out: >> of a negative int64 is implementation-defined. */
    u >>= b;
    if (a < 0 && b > 0)
        u |= ~UINT64_C(0) << (64 - b);
    return (int64_t)u;
}

static void set_all_null(const struct expr_ctx *cx, struct sl_vector *out)
{
    for (uint32_t k = 0; k < cx->n; k++)
        out->nulls[cx->rows[k]] = 1;
}

sl_status expr_bits(enum ast_op op, const struct sl_vector *l, const struct sl_vector *r,
                    const struct expr_ctx *cx, struct sl_vector *out)
{
    if (out->type != SL_INT) {
        set_all_null(cx, out);
        return SL_OK;
    }
    const int64_t *a, *b;
    const uint8_t *an, *bn;
    if (!bits_operand(l, cx, &a, &an) || !bits_operand(r, cx, &b, &bn))
        return SL_NOMEM;
    int64_t *o = out->data.i;
    uint8_t *on = out->nulls;
    const uint32_t *rows = cx->rows;
    uint32_t n = cx->n;
    switch (op) {
    case AST_OP_BITAND:
        for (uint32_t k = 0; k < n; k++) {
            uint32_t i = rows[k];
            on[i] = an[i] | bn[i];
            o[i] = a[i] & b[i];
        }
        break;
    case AST_OP_BITOR:
        for (uint32_t k = 0; k < n; k++) {
            uint32_t i = rows[k];
            on[i] = an[i] | bn[i];
            o[i] = a[i] | b[i];
        }
        break;
    default:
        for (uint32_t k = 0; k < n; k++) {
            uint32_t i = rows[k];
            on[i] = an[i] | bn[i];
            o[i] = shift(a[i], b[i], op == AST_OP_LSHIFT);
        }
        break;
    }
    return SL_OK;
}

sl_status expr_bitnot(const struct sl_vector *v, const struct expr_ctx *cx, struct sl_vector *out)
{
    if (out->type != SL_INT) {
        set_all_null(cx, out);
        return SL_OK;
    }
    const int64_t *a;
    const uint8_t *an;
    if (!bits_operand(v, cx, &a, &an))
        return SL_NOMEM;
    for (uint32_t k = 0; k < cx->n; k++) {
        uint32_t i = cx->rows[k];
        out->nulls[i] = an[i];
        out->data.i[i] = ~a[i];
    }
    return SL_OK;
}
