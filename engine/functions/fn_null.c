/*
 * fn_null.c — the NULL-choosing functions: coalesce(), ifnull(), nullif(),
 * iif(). Each passes one of its arguments through unchanged, so the result
 * type is the arguments' common type, or SL_ANY when they differ (SQLite
 * keeps each value's own type: coalesce(1, 'a') is an integer).
 */
#include "engine/functions/fn_builtin.h"

static bool coalesce_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result,
                           char *why, size_t why_len)
{
    if (!fn_no_arrays(arg_types, nargs, "coalesce", why, why_len))
        return false;
    *result = fn_common_type(arg_types, 0, nargs, 1);
    return true;
}

static sl_status coalesce_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                              struct sl_value *res)
{
    (void)arena;
    *res = sl_null();
    for (int a = 0; a < nargs && res->type == SL_NULL; a++)
        *res = argv[a];
    return SL_OK;
}

static sl_status coalesce_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                               struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "coalesce", coalesce_row);
}

static bool nullif_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result, char *why,
                         size_t why_len)
{
    if (!fn_no_arrays(arg_types, nargs, "nullif", why, why_len))
        return false;
    *result = fn_common_type(arg_types, 0, 1, 1);
    return true;
}

/* SQLite compares without affinity here: nullif(1, 1.0) is NULL, nullif(1, '1') is 1. */
static sl_status nullif_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                            struct sl_value *res)
{
    (void)nargs, (void)arena;
    bool same = argv[0].type != SL_NULL && argv[1].type != SL_NULL &&
                sqlval_compare(argv[0], argv[1]) == 0;
    *res = same ? sl_null() : argv[0];
    return SL_OK;
}

static sl_status nullif_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                             struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "nullif", nullif_row);
}

static bool iif_infer(const enum sl_type *arg_types, int nargs, enum sl_type *result, char *why,
                      size_t why_len)
{
    if (!fn_no_arrays(arg_types, nargs, "iif", why, why_len))
        return false;
    *result = fn_common_type(arg_types, 1, nargs, 1);
    return true;
}

/* A condition is true when its numeric value is non-zero ('0.5' is true, 'x' and NULL are not). */
static sl_status iif_row(const struct sl_value *argv, int nargs, struct sl_arena *arena,
                         struct sl_value *res)
{
    (void)nargs, (void)arena;
    *res = sqlval_truth(argv[0]) == 1 ? argv[1] : argv[2];
    return SL_OK;
}

static sl_status iif_eval(struct sl_vector *args, int nargs, const struct sl_chunk *rows,
                          struct sl_vector *out, struct sl_error *err)
{
    return fn_map(args, nargs, rows, out, err, "iif", iif_row);
}

const struct sl_scalar_fn fn_coalesce = {"coalesce", 2, -1, coalesce_infer, coalesce_eval};
const struct sl_scalar_fn fn_ifnull = {"ifnull", 2, 2, coalesce_infer, coalesce_eval};
const struct sl_scalar_fn fn_nullif = {"nullif", 2, 2, nullif_infer, nullif_eval};
const struct sl_scalar_fn fn_iif = {"iif", 3, 3, iif_infer, iif_eval};
