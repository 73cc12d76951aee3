/*
 * sqlite_functions.c — Sluice's scalar functions on the connection the
 * user's SELECTs run on (db_create_function), so a one-shot SELECT over a
 * table computes split_part(), to_timestamp(), now(), datetime('now') ...
 * exactly as a CREATE QUERY does: each call runs the engine's own function
 * over a one-row chunk, with the engine's clock (SET clock reaches it).
 * Functions SQLite has too stay SQLite's, but for the date functions.
 * Also the two operations the rewrite of a SELECT (sqlite_rewrite.c) hands
 * to the engine because SQLite has no TIMESTAMP: + and - with a timestamp,
 * and CAST(x AS TIMESTAMP).
 */
#include "engine/exec/sqlite_bridge.h"

#include <string.h>
#include <strings.h>

#include "common/alloc.h"
#include "common/time.h"
#include "engine/expr/expr.h"
#include "engine/functions/clock.h"
#include "engine/functions/function.h"
#include "storage/db.h"

struct fn_call {
    const struct sl_scalar_fn *fn; /* NULL: the rewrite's helpers */
    const struct sl_clock *clock;
};

/* Runs e over one row made of args (typed as types) into *result. */
static sl_status eval_one_row(const struct sl_expr *e, int argc, const enum sl_type *types,
                              const struct sl_value *args, const struct sl_clock *clock,
                              struct sl_arena *arena, struct sl_value *result,
                              struct sl_error *err)
{
    struct sl_chunk *rows;
    struct sl_vector out;
    if (chunk_create(arena, (uint32_t)argc, types, &rows) != SL_OK ||
        vector_init(arena, e->type, &out) != SL_OK)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    for (int i = 0; i < argc; i++) {
        if (args[i].type == SL_NULL)
            rows->cols[i].nulls[0] = 1;
        else
            vector_set(&rows->cols[i], 0, args[i]);
    }
    rows->count = 1;
    rows->clock = clock;
    sl_status st = e->kind == EXPR_CALL ? e->fn->eval(rows->cols, argc, rows, &out, err)
                                        : expr_eval(e, rows, &out, err);
    if (st != SL_OK)
        return st;
    *result = out.nulls[0] ? sl_null() : vector_get(&out, 0);
    return SL_OK;
}

static sl_status call_scalar(void *ctx, int argc, const struct sl_value *argv,
                             struct sl_arena *arena, struct sl_value *result, struct sl_error *err)
{
    const struct fn_call *c = ctx;
    enum sl_type types[argc > 0 ? argc : 1];
    for (int i = 0; i < argc; i++)
        types[i] = argv[i].type;
    if (argc < c->fn->min_args || (c->fn->max_args >= 0 && argc > c->fn->max_args))
        return sl_error_set(err, SL_ERROR, "wrong number of arguments to function %s()",
                            c->fn->name);
    /* The argument types the call has at this row: a CREATE QUERY checks the
     * static ones once, at bind time; the message is the same. */
    struct sl_expr e = {.kind = EXPR_CALL, .fn = c->fn, .nargs = (uint32_t)argc};
    char why[256] = "";
    if (!c->fn->infer(types, argc, &e.type, why, sizeof why))
        return sl_error_set(err, SL_ERROR, "%s", why);
    return eval_one_row(&e, argc, types, argv, c->clock, arena, result, err);
}

/* An argument of a helper as the engine types it: a TIMESTAMP operand is its
 * text read back (NULL when it is no time); others keep their own type. */
static struct sl_value as_static(struct sl_value v, bool timestamp)
{
    if (!timestamp || v.type == SL_NULL)
        return v;
    struct sl_value ts = {.type = SL_TIMESTAMP};
    if (v.type == SL_TEXT && sl_ts_parse(v.u.s.ptr, v.u.s.len, &ts.u.i))
        return ts;
    if (v.type == SL_INT) {
        ts.u.i = v.u.i;
        return ts;
    }
    return sl_null();
}

/* _sluice_ts_arith(op, left_is_ts, right_is_ts, left, right): op is '+' or '-'. */
static sl_status call_ts_arith(void *ctx, int argc, const struct sl_value *argv,
                               struct sl_arena *arena, struct sl_value *result,
                               struct sl_error *err)
{
    const struct fn_call *c = ctx;
    (void)argc;
    enum ast_op op = argv[0].type == SL_TEXT && argv[0].u.s.len == 1 && argv[0].u.s.ptr[0] == '-'
                         ? AST_OP_SUB
                         : AST_OP_ADD;
    struct sl_value args[2] = {as_static(argv[3], argv[1].type == SL_INT && argv[1].u.i),
                               as_static(argv[4], argv[2].type == SL_INT && argv[2].u.i)};
    enum sl_type types[2];
    struct sl_expr cols[2];
    struct sl_expr *ops[2] = {&cols[0], &cols[1]};
    for (int i = 0; i < 2; i++) {
        bool ts = argv[1 + i].type == SL_INT && argv[1 + i].u.i;
        /* NULL or any other value: the per-row type a computed operand has. */
        types[i] = ts ? SL_TIMESTAMP : args[i].type == SL_INT ? SL_INT : SL_ANY;
        if (types[i] == SL_ANY && args[i].type == SL_NULL)
            args[i] = sl_null();
        cols[i] = (struct sl_expr){.kind = EXPR_COLUMN, .type = types[i], .column = (uint32_t)i};
    }
    struct sl_expr e = {.kind = EXPR_BINARY, .op = op, .nargs = 2, .args = ops};
    if (!expr_binary_type(op, types[0], types[1], &e.type))
        return sl_error_set(err, SL_ERROR, "operator %s does not apply to these operands",
                            op == AST_OP_SUB ? "-" : "+");
    return eval_one_row(&e, 2, types, args, c->clock, arena, result, err);
}

/* _sluice_to_timestamp_cast(x): CAST(x AS TIMESTAMP). */
static sl_status call_ts_cast(void *ctx, int argc, const struct sl_value *argv,
                              struct sl_arena *arena, struct sl_value *result,
                              struct sl_error *err)
{
    const struct fn_call *c = ctx;
    (void)argc;
    enum sl_type type = SL_ANY;
    struct sl_expr col = {.kind = EXPR_COLUMN, .type = type};
    struct sl_expr *arg = &col;
    struct sl_expr e = {.kind = EXPR_CAST, .type = SL_TIMESTAMP, .cast_to = SL_TIMESTAMP,
                        .nargs = 1, .args = &arg};
    return eval_one_row(&e, 1, &type, argv, c->clock, arena, result, err);
}

/*
 * Which of SQLite's built-ins the engine's function replaces: only the date
 * functions, whose 'now' must be the engine's clock (SET clock). The others
 * SQLite has are the engine's twins (SQLite is the engine's test oracle),
 * and SQLite's own also know BLOBs, which the engine never sees; min(x) and
 * max(x) are SQLite's aggregates besides.
 */
static bool replaces_builtin(const char *name)
{
    static const char *const clock_readers[] = {"date",      "time",     "datetime",
                                                "julianday", "unixepoch", "strftime"};
    for (size_t i = 0; i < sizeof clock_readers / sizeof clock_readers[0]; i++)
        if (strcasecmp(name, clock_readers[i]) == 0)
            return true;
    return false;
}

sl_status sqlite_functions_add(struct sl_db *db, const struct sl_clock *clock,
                               struct fn_call **owned, struct sl_error *err)
{
    size_t n = 0;
    while (function_at(n))
        n++;
    /* One per function and one for the helpers; they outlive db's connection. */
    struct fn_call *calls = sl_calloc(n + 1, sizeof *calls);
    if (!calls)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    *owned = calls;
    sl_status st = SL_OK;
    for (size_t i = 0; st == SL_OK && i < n; i++) {
        calls[i] = (struct fn_call){function_at(i), clock};
        if (!db_has_function(db, calls[i].fn->name) || replaces_builtin(calls[i].fn->name))
            st = db_create_function(db, calls[i].fn->name, -1, false, call_scalar, &calls[i], err);
    }
    calls[n] = (struct fn_call){NULL, clock};
    if (st == SL_OK)
        st = db_create_function(db, SQLITE_TS_ARITH, 5, true, call_ts_arith, &calls[n], err);
    if (st == SL_OK)
        st = db_create_function(db, SQLITE_TS_CAST, 1, true, call_ts_cast, &calls[n], err);
    return st;
}
