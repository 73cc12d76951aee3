/* planner.c — a bound plan to an operator chain (see planner.h for the shapes). */
#include "engine/planner.h"

#include "common/alloc.h"

/* Appends op to the chain whose last operator is *tail. */
static void link_op(struct sl_pipeline *p, struct sl_op **tail, struct sl_op *op)
{
    if (*tail)
        (*tail)->next = op;
    else
        p->head = op;
    *tail = op;
}

static sl_status build_aggregation(const struct sl_plan *plan, struct sl_arena *work,
                                   struct sl_pipeline *out, struct sl_op **tail,
                                   struct sl_error *err)
{
    uint32_t nproj = plan->nkeys;
    struct sl_expr **exprs = sl_calloc(plan->nkeys + plan->naggs + 1, sizeof *exprs);
    const char **names = sl_calloc(plan->nkeys + plan->naggs + 1, sizeof *names);
    enum sl_type *key_types = sl_calloc(plan->nkeys + 1, sizeof *key_types);
    struct sl_agg_spec *specs = sl_calloc(plan->naggs + 1, sizeof *specs);
    sl_status st = SL_NOMEM;
    if (!exprs || !names || !key_types || !specs)
        goto done;
    for (uint32_t i = 0; i < plan->nkeys; i++) {
        exprs[i] = plan->keys[i];
        names[i] = plan->key_names[i];
        key_types[i] = plan->keys[i]->type;
    }
    for (uint32_t i = 0; i < plan->naggs; i++) {
        const struct sl_plan_agg *a = &plan->aggs[i];
        specs[i].fn = a->fn;
        specs[i].result_type = a->result_type;
        specs[i].name = a->text;
        specs[i].arg_column = -1;
        specs[i].arg_type = SL_NULL;
        if (a->arg) {
            specs[i].arg_column = (int)nproj;
            specs[i].arg_type = a->arg->type;
            names[nproj] = a->text;
            exprs[nproj++] = a->arg;
        }
    }
    struct sl_op *op;
    if ((st = op_project_create(work, exprs, nproj, names, &op, err)) != SL_OK)
        goto done;
    link_op(out, tail, op);
    if ((st = op_hash_agg_create(work, plan->nkeys, key_types, plan->key_names, plan->naggs, specs,
                                 &op, err)) != SL_OK)
        goto done;
    link_op(out, tail, op);
    out->agg = op;
    if (plan->having) {
        const struct sl_op *agg = out->agg;
        st = op_having_create(work, plan->having, agg->nout, agg->out_types,
                              (const char *const *)agg->out_names, &op, err);
        if (st != SL_OK)
            goto done;
        link_op(out, tail, op);
    }
done:
    sl_free(exprs);
    sl_free(names);
    sl_free(key_types);
    sl_free(specs);
    return st;
}

/* Marks in used[] the scan columns below n that e reads. */
static void mark_columns(const struct sl_expr *e, bool *used, uint32_t n)
{
    if (e->kind == EXPR_COLUMN && e->column < n)
        used[e->column] = true;
    for (uint32_t a = 0; a < e->nargs; a++)
        mark_columns(e->args[a], used, n);
}

/* The stream columns the operators after the unnest read (WHERE, group keys,
 * aggregate arguments, or the outputs without aggregation): the unnest
 * copies only those, once per element. */
static bool *unnest_carry(const struct sl_plan *plan)
{
    uint32_t n = plan->nscan - 1;
    bool *used = sl_calloc(n ? n : 1, sizeof *used);
    if (!used)
        return NULL;
    if (plan->where)
        mark_columns(plan->where, used, n);
    if (plan->aggregate) {
        for (uint32_t i = 0; i < plan->nkeys; i++)
            mark_columns(plan->keys[i], used, n);
        for (uint32_t i = 0; i < plan->naggs; i++) {
            if (plan->aggs[i].arg)
                mark_columns(plan->aggs[i].arg, used, n);
        }
    } else {
        for (uint32_t i = 0; i < plan->nout; i++)
            mark_columns(plan->outputs[i], used, n);
    }
    return used;
}

/* Appends plan's operators to the chain: a derived table's first, so that
 * its outputs are the columns this plan's operators read. */
static sl_status build_chain(const struct sl_plan *plan, struct sl_arena *work,
                             struct sl_pipeline *out, struct sl_op **tail, struct sl_error *err)
{
    struct sl_op *op;
    sl_status st;
    if (plan->input && (st = build_chain(plan->input, work, out, tail, err)) != SL_OK)
        return st;
    if (plan->unnest) {
        bool *carry = unnest_carry(plan);
        st = carry ? op_unnest_create(work, plan->unnest, plan->unnest_elem_type,
                                      plan->scan_names[plan->nscan - 1], plan->nscan - 1,
                                      plan->scan_types, plan->scan_names, carry, &op, err)
                   : sl_error_set(err, SL_NOMEM, "out of memory planning an unnest");
        sl_free(carry);
        if (st != SL_OK)
            return st;
        link_op(out, tail, op);
    }
    if (plan->where) {
        st = op_filter_create(work, plan->where, plan->nscan, plan->scan_types, plan->scan_names,
                              &op, err);
        if (st != SL_OK)
            return st;
        link_op(out, tail, op);
    }
    if (plan->aggregate && (st = build_aggregation(plan, work, out, tail, err)) != SL_OK)
        return st;
    st = op_project_create(work, plan->outputs, plan->nout, plan->out_names, &op, err);
    if (st != SL_OK)
        return st;
    link_op(out, tail, op);
    return SL_OK;
}

sl_status planner_build(const struct sl_plan *plan, struct sl_arena *work, struct sl_op *sink,
                        struct sl_pipeline *out, struct sl_error *err)
{
    struct sl_op *tail = NULL;
    out->head = out->agg = NULL;
    sl_status st = build_chain(plan, work, out, &tail, err);
    if (st == SL_OK) {
        tail->next = sink;
        return SL_OK;
    }
    if (tail)
        tail->next = NULL;
    op_destroy_chain(out->head);
    out->head = out->agg = NULL;
    return st;
}
