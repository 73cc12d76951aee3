/*
 * expr_case.c — CASE [x] WHEN ... THEN ... [ELSE ...] END. Each WHEN is
 * evaluated only over the rows no earlier WHEN took, and each THEN only over
 * the rows its WHEN took (the chunk's selection is narrowed while they run),
 * so a branch does no work for rows it does not answer — as SQLite evaluates
 * only the branch it takes. Rows no WHEN takes get the ELSE, or NULL.
 */
#include "engine/expr/expr_kernels.h"

#include "common/assert.h"

#include "engine/expr/expr.h"

#include "engine/values/sqlval.h"

enum sl_type expr_case_type(const enum sl_type *branches, uint32_t n)
{
    enum sl_type t = SL_NULL;
    for (uint32_t i = 0; i < n; i++) {
        enum sl_type b = branches[i];
        if (b == SL_NULL || b == t)
            continue;
        if (t == SL_NULL)
            t = b;
        else if ((t == SL_INT && b == SL_BOOL) || (t == SL_BOOL && b == SL_INT))
            t = SL_INT; /* SQLite's booleans are the integers 0 and 1 */
        else
            return SL_ANY;
    }
    return t;
}

/* Evaluates e over rows[0..n-1] only, by narrowing the chunk's selection. */
static sl_status eval_on(const struct sl_expr *e, struct sl_chunk *in, uint32_t *rows, uint32_t n,
                         struct sl_vector *out, struct sl_error *err)
{
    uint32_t *saved_sel = in->sel, saved_n = in->nsel;
    in->sel = rows;
    in->nsel = n;
    SL_ASSERT(chunk_selection_valid(in));
    sl_status st = vector_init(in->arena, e->type, out) == SL_OK
                       ? expr_eval(e, in, out, err)
                       : sl_error_set(err, SL_NOMEM, "out of memory evaluating CASE");
    in->sel = saved_sel;
    in->nsel = saved_n;
    return st;
}

static sl_status copy_rows(const struct sl_vector *src, const uint32_t *rows, uint32_t n,
                           struct sl_vector *out, struct sl_arena *arena)
{
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = rows[k];
        if (sqlval_store(out, i, vector_get(src, i), arena) != SL_OK)
            return SL_NOMEM;
    }
    return SL_OK;
}

sl_status expr_eval_case(const struct sl_expr *e, struct sl_chunk *in, struct sl_vector *out,
                         struct sl_error *err)
{
    uint32_t n = chunk_active(in);
    uint32_t *pending = arena_alloc(in->arena, 2 * sizeof *pending * (n ? n : 1));
    if (!pending)
        return sl_error_set(err, SL_NOMEM, "out of memory evaluating CASE");
    uint32_t *taken = pending + n;
    for (uint32_t k = 0; k < n; k++)
        pending[k] = chunk_row(in, k);
    uint32_t np = n;
    struct sl_vector base, when, cond, val;
    sl_status st = SL_OK;
    uint32_t first = e->has_base ? 1 : 0;
    uint32_t last = e->nargs - (e->has_else ? 1 : 0);
    if (e->has_base)
        st = eval_on(e->args[0], in, pending, np, &base, err);
    for (uint32_t w = first; st == SL_OK && w + 1 < last && np; w += 2) {
        st = eval_on(e->args[w], in, pending, np, &when, err);
        if (st != SL_OK)
            break;
        struct expr_ctx cx = {in->arena, pending, np};
        const struct sl_vector *truth = &when;
        if (e->has_base) {
            /* CASE x WHEN v: taken when x = v (a NULL on either side never is),
             * under this WHEN's comparison affinity. */
            enum sl_affinity aff = e->cmp_aff ? e->cmp_aff[(w - first) / 2] : SL_AFF_NONE;
            struct sl_vector bt, wt;
            const struct sl_vector *bv = NULL, *wv = NULL;
            if (expr_apply_affinity(aff, &base, &cx, &bt, &bv) != SL_OK ||
                expr_apply_affinity(aff, &when, &cx, &wt, &wv) != SL_OK ||
                vector_init(in->arena, SL_BOOL, &cond) != SL_OK ||
                expr_compare(AST_OP_EQ, bv, wv, &cx, &cond) != SL_OK)
                return sl_error_set(err, SL_NOMEM, "out of memory evaluating CASE");
            truth = &cond;
        }
        uint8_t *tri = arena_alloc(in->arena, SL_CHUNK_CAP);
        if (!tri)
            return sl_error_set(err, SL_NOMEM, "out of memory evaluating CASE");
        expr_truth(truth, &cx, tri);
        uint32_t nt = 0, nr = 0;
        for (uint32_t k = 0; k < np; k++) {
            uint32_t i = pending[k];
            if (tri[i] == 1)
                taken[nt++] = i;
            else
                pending[nr++] = i; /* nr <= k: compacting in place is safe */
        }
        np = nr;
        if (!nt)
            continue;
        st = eval_on(e->args[w + 1], in, taken, nt, &val, err);
        if (st == SL_OK && copy_rows(&val, taken, nt, out, in->arena) != SL_OK)
            return sl_error_set(err, SL_NOMEM, "out of memory evaluating CASE");
    }
    if (st != SL_OK || !np)
        return st;
    if (e->has_else) {
        st = eval_on(e->args[e->nargs - 1], in, pending, np, &val, err);
        if (st == SL_OK && copy_rows(&val, pending, np, out, in->arena) != SL_OK)
            return sl_error_set(err, SL_NOMEM, "out of memory evaluating CASE");
        return st;
    }
    for (uint32_t k = 0; k < np; k++)
        vector_set(out, pending[k], sl_null());
    return SL_OK;
}
