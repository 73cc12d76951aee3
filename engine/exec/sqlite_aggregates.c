/*
 * sqlite_aggregates.c — the engine's aggregates SQLite lacks (stddev,
 * variance, approx_percentile, approx_count_distinct, collect_list,
 * earliest, latest, ...) on the connection the user's SELECTs run on, so
 * `SELECT stddev(n) FROM a_table GROUP BY k` computes as a CREATE QUERY
 * would: each group's state is the aggregate's own (init, step row by row,
 * final). The values are per-row typed (SL_ANY), as a computed expression's
 * are in a query; a row of a type the aggregate refuses is the bind error a
 * query would get, at run time. Rows are in arrival order: earliest and
 * latest keep the first and last row SQLite hands them.
 */
#include "engine/exec/sqlite_bridge.h"

#include <string.h>

#include "common/alloc.h"
#include "engine/aggregates/aggregate.h"
#include "storage/db.h"

/* One group's aggregate, in its own arena (what the state keeps lives there too). */
struct group_state {
    struct sl_arena *keep;
    void *state;
};

static sl_status start_group(const struct sl_agg_fn *fn, double param, void **slot,
                             struct sl_error *err)
{
    struct sl_arena *keep = arena_create(0);
    struct group_state *g = keep ? arena_calloc(keep, sizeof *g) : NULL;
    size_t size = fn->state_size(SL_ANY);
    void *state = g ? arena_calloc(keep, size ? size : 1) : NULL;
    if (!state) {
        arena_destroy(keep);
        return sl_error_set(err, SL_NOMEM, "out of memory");
    }
    fn->init(state, SL_ANY, param);
    g->keep = keep;
    g->state = state;
    *slot = g;
    return SL_OK;
}

static sl_status step_group(void *ctx, void **slot, int argc, const struct sl_value *argv,
                            struct sl_arena *arena, struct sl_error *err)
{
    const struct sl_agg_fn *fn = ctx;
    if (argc != 1 + fn->has_param)
        return sl_error_set(err, SL_ERROR, "%s() takes %s", fn->name,
                            fn->has_param ? "exactly two arguments" : "exactly one argument");
    enum sl_type result;
    char why[256] = "";
    if (argv[0].type != SL_NULL && !fn->infer(argv[0].type, &result, why, sizeof why))
        return sl_error_set(err, SL_ERROR, "%s", why);
    double param = 0;
    if (fn->has_param) {
        struct sl_value p = argv[1];
        param = p.type == SL_INT ? (double)p.u.i : p.type == SL_REAL ? p.u.r : -1;
        if (param < 0 || param > 1)
            return sl_error_set(err, SL_ERROR, "%s()'s second argument must be a number in [0, 1]",
                                fn->name);
    }
    if (!*slot && start_group(fn, param, slot, err) != SL_OK)
        return SL_NOMEM;
    struct group_state *g = *slot;
    struct sl_vector v;
    if (vector_init(arena, SL_ANY, &v) != SL_OK)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    v.nulls[0] = argv[0].type == SL_NULL;
    v.data.v[0] = argv[0];
    uint32_t row = 0;
    void *states[1] = {g->state};
    if (fn->step(states, &v, NULL, &row, 1, g->keep) != SL_OK)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    return SL_OK;
}

static sl_status final_group(void *ctx, void **slot, struct sl_arena *arena,
                             struct sl_value *result, struct sl_error *err)
{
    const struct sl_agg_fn *fn = ctx;
    /* A group of no rows (an aggregate over an empty table): a fresh state's value. */
    if (!*slot && start_group(fn, 0, slot, err) != SL_OK)
        return SL_NOMEM;
    struct group_state *g = *slot;
    if (fn->final(g->state, SL_ANY, arena, result) != SL_OK)
        return sl_error_set(err, SL_NOMEM, "out of memory");
    return SL_OK;
}

/* After the result is copied out: earliest's text lives in the state. */
static void free_group(void *ctx, void *state)
{
    (void)ctx;
    struct group_state *g = state;
    arena_destroy(g->keep);
}

sl_status sqlite_aggregates_add(struct sl_db *db, struct sl_error *err)
{
    const char *name;
    sl_status st = SL_OK;
    for (size_t i = 0; st == SL_OK && (name = aggregate_name(i)); i++) {
        const struct sl_agg_fn *fn = aggregate_lookup(name);
        if (db_has_function(db, name) || fn->star_ok)
            continue;
        /* The registry is static: its entries outlive the connection. */
        st = db_create_aggregate(db, name, 1 + fn->has_param, step_group, final_group,
                                 free_group, (void *)fn, err);
    }
    return st;
}
