/*
 * binder.h — resolves names against the catalog and infers types, turning
 * AST statements into stream definitions and plans. Every error is added to
 * the diagnostics with its position (binding goes on, so one run reports
 * all the errors of a statement it can find).
 */
#ifndef SL_BINDER_H
#define SL_BINDER_H

#include "common/diag.h"
#include "engine/plan/catalog.h"
#include "engine/plan/plan.h"
#include "engine/plan/sink_def.h"
#include "parser/ast.h"

/* CREATE STREAM -> a new definition (owned by the caller). */
sl_status bind_create_stream(const struct ast_stmt *stmt, struct sl_diags *diags,
                             struct sl_stream_def **out);

/* SELECT over a stream -> a plan allocated in plan_arena. */
sl_status bind_select(const struct ast_select *select, const struct sl_catalog *catalog,
                      struct sl_arena *plan_arena, struct sl_diags *diags, struct sl_plan **out);

/* One item of a FROM (binder_from.c): a stream, a derived table or, on the
 * right of a join, a SQLite table. Its columns are from->names[first ..
 * first + ncols). */
struct bound_item {
    const struct sl_stream_def *stream; /* a stream, or the one at a derived table's bottom */
    const struct sl_plan *input;        /* a derived table's plan; NULL otherwise */
    const struct sl_table_def *table;   /* a SQLite table (a lookup join's right); NULL otherwise */
    uint32_t first, ncols;
    int time_col; /* its event-time column among its own columns; -1: none */
    const char *alias; /* the name that qualifies its columns; NULL for a derived table without one */
    const char *label; /* how messages name it: the alias, the name, "the derived table" */
    struct sl_pos pos; /* where the FROM names it */
    uint32_t span;
};

/* What a SELECT reads (binder_from.c): its columns, as the SELECT's scan sees
 * them — every item's, in FROM order. Lives while the SELECT is bound; the
 * aliases point into its parse. stream, input, alias and label are the first
 * item's (the left of every join). */
/* A SELECT that is a derived table (binder_from.c): it may rank its rows
 * (binder_rank.c), which a top-level SELECT may not. */
sl_status bind_select_derived(const struct ast_select *select, const struct sl_catalog *catalog,
                              struct sl_arena *plan_arena, struct sl_diags *diags,
                              struct sl_plan **out);

/* What a SELECT reads (binder_from.c): its columns, as the SELECT's scan sees them.
 * Lives while the SELECT is bound; the aliases point into its parse. */
struct bound_from {
    const struct sl_stream_def *stream; /* the stream at the bottom of the first item */
    const struct sl_plan *input;        /* the first item's plan if it is a derived table */
    uint32_t ncols;
    const char *const *names;
    const enum sl_type *types;
    const enum sl_affinity *affs;
    const char *alias;
    const char *label;
    uint32_t nitems; /* 1 + the joins */
    struct bound_item *items;
};

/* Binds the FROM of a SELECT: a stream of the catalog or a derived table
 * FROM (SELECT ...) (bound, recursively, into a plan of its own in
 * plan_arena), then each join's right item. Errors go to diags. */
sl_status bind_from(const struct ast_select *select, const struct sl_catalog *catalog,
                    struct sl_arena *plan_arena, struct sl_diags *diags, struct bound_from *out);

/* The item a qualifier (q.col, q.*) names among the first nvisible items, or
 * -1 after reporting it unknown. */
int bind_from_qualifier(const struct bound_from *from, uint32_t nvisible,
                        const struct ast_name *q, struct sl_diags *diags);

/* The item whose columns include FROM column col. */
uint32_t bind_from_item_of(const struct bound_from *from, uint32_t col);

/* The hint for a column name that is both the FROM's and the UNNEST alias. */
void bind_from_ambiguity_hint(const struct bound_from *from, const char *column, char *out,
                              size_t cap);

/* For a name the FROM lacks: true, with a hint in out, when it is a column
 * inside a derived table that the derived table does not select. */
bool bind_from_inner_hint(const struct bound_from *from, const char *column, char *out,
                          size_t cap);

/* Joins (binder_join.c): the ON condition of join i, bound over the scan
 * columns of the items up to its right, is split into the join's keys,
 * residual and time bound; its kind is decided (plan.h, struct
 * sl_plan_join). select is the SELECT (its WINDOW makes a window join).
 * Errors go to diags; fails only when out of memory (SL_NOMEM). */
sl_status bind_join_on(const struct ast_select *select, const struct bound_from *from,
                       uint32_t i, struct sl_expr *on, struct sl_plan *plan,
                       struct sl_arena *arena, struct sl_diags *diags);

/* The type and affinity a SQLite column's declared type gives it, by SQLite's
 * affinity rules: INTEGER, TEXT and REAL affinities are Sluice's INTEGER, TEXT
 * and REAL; NUMERIC and BLOB (or none) keep each value's own type (ANY). */
void bind_table_column_type(const char *decl_type, enum sl_type *type, enum sl_affinity *aff);

/* The first aggregate call in a (NULL: none), as binder_select.c decides it. */
const struct ast_expr *bind_find_aggregate(const struct ast_expr *a);

/* Top-N (binder_rank.c). Whether a is ROW_NUMBER() / RANK() / ... OVER (...),
 * and whether a select list holds one. */
bool bind_rank_is_call(const struct ast_expr *a);
bool bind_select_ranks(const struct ast_select *sel);
/* Binds an expression as the select list being bound does (its mode). */
typedef struct sl_expr *(*bind_item_fn)(void *binder, const struct ast_expr *a);
/* The ranking select item it of p's select list (derived: p is a derived
 * table's): p->rank with its PARTITION BY / ORDER BY bound through bind, and
 * the placeholder output the rank takes; NULL after an error (in diags). */
struct sl_expr *bind_rank_item(const struct ast_select_item *it, bool derived, struct sl_plan *p,
                               bind_item_fn bind, void *binder, struct sl_arena *arena,
                               struct sl_diags *diags);
/* Once p's outputs are final: where the rank goes, the group keys, the window. */
sl_status bind_rank_finish(struct sl_plan *p, const struct sl_expr *placeholder,
                           struct sl_arena *arena);
/* The outer SELECT over a ranking derived table (outer->input->rank), its
 * WHERE bound: takes the rank's bound out of the WHERE into rank->limit,
 * refuses what cannot read a top-N, and keys the result table. */
sl_status bind_rank_outer(const struct ast_select *sel, struct sl_plan *outer,
                          struct sl_arena *arena, struct sl_diags *diags);

/* ORDER BY / LIMIT of a SELECT over its bound outputs (binder_order.c, for
 * bind_select); errors go to diags; fails only when out of memory (SL_NOMEM). */
sl_status bind_order_limit(const struct ast_select *sel, struct sl_plan *p,
                           struct sl_arena *arena, struct sl_diags *diags);

/*
 * Reads a duration: "n" times unit (microseconds) when unit > 0, else
 * "n unit" with the unit a word (millisecond, second, minute, hour, day,
 * singular or plural, any case). n is a whole number, optionally signed;
 * spaces around are allowed. False for anything else or an overflow.
 */
bool bind_duration_text(const char *s, size_t len, int64_t unit, int64_t *out_us);
/* The hint for a duration bind_duration_text refused (with or without a unit keyword). */
const char *bind_duration_hint(bool has_unit);

/* An option's literal value as text (strings, identifiers, numbers, booleans); false otherwise. */
bool bind_option_text(const struct ast_option *o, char *buf, size_t cap);

/* CREATE STREAM's source against the connector registry (binder_connector.c): the
 * connector, its address and options into def->source, journal into def->journal.
 * NULL (and an error in diags) when the connector is unknown. */
const struct sl_connector *bind_connector(const struct ast_create_stream *cs,
                                          struct sl_stream_def *def, struct sl_diags *d);

/* One option's value by the type the registry declares (binder_connector.c) into val;
 * a value of the wrong type or out of range is an error at the value. */
/* text with its ${NAME} references replaced by the environment's values
 * (binder_env.c): *out the new text (sl_free it), or NULL when text holds
 * none. False, with the error in d at pos, for an unset variable or a
 * malformed reference. */
bool bind_env_expand(const char *text, struct sl_pos pos, uint32_t span, struct sl_diags *d,
                     char **out);

/* A connector's TEXT option with ${NAME} references: val->text becomes their
 * value and val->written keeps the text as written (for SHOW). */
void bind_option_env(const struct ast_option *o, struct sl_option_value *val,
                     struct sl_diags *d);

void bind_option_value(const struct sl_option_def *def, const struct ast_option *o,
                       struct sl_option_value *val, struct sl_diags *d);
/* An option that owner ("a SOCKET stream", "FORMAT CSV") does not take: the error, with the
 * nearest name or the list (options, then the nextra options of extra) as its hint. */
/* The formats the registry knows, as "TEXT and CSV", for hints. */
void bind_format_names(char *out, size_t cap);
/* The registry's format called name, or NULL after an error at name with a
 * did-you-mean hint or the list of formats. */
const struct sl_format *bind_format_find(const struct ast_name *name, struct sl_diags *d);
void bind_unknown_option(const struct ast_option *o, const struct sl_option_def *options,
                         size_t noptions, const struct sl_option_def *extra, size_t nextra,
                         const char *owner, struct sl_diags *d);

/* CREATE STREAM name AS SELECT (binder_stream_as.c): the SELECT's plan in plan_arena
 * and the stream it makes (owned by the caller; its rows are the plan's). */
sl_status bind_stream_as(const struct ast_stmt *stmt, const struct sl_catalog *catalog,
                         struct sl_arena *plan_arena, struct sl_diags *d, struct sl_plan **plan,
                         struct sl_stream_def **out);
/* The connector a CREATE STREAM AS stream has: none reads it, its query writes it. */
extern const struct sl_connector stream_as_source;

/* CREATE SINK -> a new definition (owned by the caller; binder_sink.c). */
sl_status bind_create_sink(const struct ast_stmt *stmt, struct sl_diags *diags,
                           struct sl_sink_def **out);

/* CREATE QUERY ... WITH (options). */
struct sl_query_options {
    bool late_table;      /* late = 'table': late rows kept in <query>_late */
    uint64_t max_batch_bytes; /* max_batch_bytes = n: a batch ends once it read n bytes; 0: no limit */
    bool processing_time; /* time = 'processing': window by arrival time */
    bool no_checkpoint;   /* checkpoint = false: no state or position written; restarts start over */
    uint32_t partitions;  /* partitions = n: an aggregation's threads and partitions; 0: the default */
};
/* Reads the options into out (defaults for the absent ones); errors go to diags. */
void bind_query_options(const struct ast_create_query *cq, struct sl_diags *diags,
                        struct sl_query_options *out);

#endif
