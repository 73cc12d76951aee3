/*
 * ast.h — the syntax tree the parser builds, with source positions, before
 * any name is resolved. Every node, string and list lives in the parse's
 * arena (struct sl_parse_result), so a parse is freed at once and a syntax
 * error leaks nothing. Identifiers are stored as written (quotes removed);
 * comparisons fold case. The parser knows nothing of execution.
 */
#ifndef SL_AST_H
#define SL_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/status.h"

/* A NUL-terminated name or text plus its position. */
struct ast_name {
    const char *text; /* NULL when absent */
    struct sl_pos pos;
    uint32_t span; /* characters the token covers in the source (for carets) */
};

enum ast_expr_kind {
    AST_NULL,    /* NULL */
    AST_BOOL,    /* TRUE / FALSE: ival 1/0 */
    AST_INT,     /* ival */
    AST_REAL,    /* rval */
    AST_STRING,  /* str (escapes resolved: '' -> ') */
    AST_COLUMN,  /* [qualifier.]name */
    AST_STAR,    /* * or qualifier.* — select list and COUNT(*) only */
    AST_UNARY,   /* op, left */
    AST_BINARY,  /* op, left, right */
    AST_CALL,    /* name(args) — name.text is the function name as written */
    AST_IN,      /* left [NOT] IN (args); args NULL for () */
    AST_BETWEEN, /* left [NOT] BETWEEN right AND third */
    AST_LIKE,    /* left [NOT] LIKE|GLOB (op) right [ESCAPE third] */
    AST_CASE,    /* CASE [left] WHEN args[2i] THEN args[2i+1] ... [ELSE right] END */
    AST_CAST,    /* CAST(left AS name) — name is the type as written */
    AST_TIMESTAMP, /* TIMESTAMP 'str': str is read by the binder (a bad one is its error) */
    AST_INTERVAL,  /* INTERVAL 'str' [unit]: ival = the unit in microseconds, 0 when str
                      holds the unit too ('1 minute'); read by the binder */
};

enum ast_op {
    AST_OP_NONE,
    /* unary */
    AST_OP_NEG, AST_OP_PLUS, AST_OP_NOT, AST_OP_BITNOT,
    /* binary, SQLite's precedence from low to high: OR; AND; NOT;
     * = == <> != IS IN LIKE GLOB BETWEEN ISNULL NOTNULL; < <= > >=; & | << >>; + -; * / %;
     * || -> ->> */
    AST_OP_OR, AST_OP_AND,
    AST_OP_EQ, AST_OP_NE, AST_OP_LT, AST_OP_LE, AST_OP_GT, AST_OP_GE,
    AST_OP_BITAND, AST_OP_BITOR, AST_OP_LSHIFT, AST_OP_RSHIFT,
    AST_OP_ADD, AST_OP_SUB, AST_OP_MUL, AST_OP_DIV, AST_OP_MOD,
    AST_OP_CONCAT,
    /* x ->> path and x -> path, at the level of || (SQLite's): bound as
     * json_extract(x, path) and as its JSON-text twin */
    AST_OP_PTR2, AST_OP_PTR,
    /* postfix unary: x ISNULL / x IS NULL, x NOTNULL / x NOT NULL / x IS NOT NULL */
    AST_OP_ISNULL, AST_OP_NOTNULL,
    /* binary at the level of =: null-safe equality (IS [NOT] DISTINCT FROM too) */
    AST_OP_IS, AST_OP_ISNOT,
    /* AST_LIKE's operator */
    AST_OP_LIKE, AST_OP_GLOB,
};

struct ast_expr_list;
struct ast_over;

struct ast_expr {
    enum ast_expr_kind kind;
    enum ast_op op;
    struct sl_pos pos; /* where the expression starts (operators: the operator token) */
    uint32_t span;     /* characters to underline in an error */
    int64_t ival;
    double rval;
    const char *str;       /* AST_STRING value, NUL-terminated (may contain no NUL) */
    uint32_t str_len;
    struct ast_name name;      /* AST_COLUMN column / AST_CALL function */
    struct ast_name qualifier; /* AST_COLUMN / AST_STAR "x." prefix, text NULL if none */
    struct ast_expr *left, *right;
    /* AST_BETWEEN upper bound, AST_LIKE escape, AST_CALL's FILTER (WHERE ...) condition (NULL if none) */
    struct ast_expr *third;
    struct ast_expr_list *args; /* AST_CALL (NULL for f()), AST_IN list, AST_CASE WHEN/THEN pairs */
    bool negated;               /* AST_IN / AST_BETWEEN / AST_LIKE: the NOT form */
    bool star_arg;              /* AST_CALL: f(*) */
    bool distinct;              /* AST_CALL: f(DISTINCT ...) */
    /* AST_REAL from the INTEGER literal 9223372036854775808: too big for an
     * INTEGER, but negated it is INT64_MIN, which SQLite folds it into. */
    bool int_min_magnitude;
    /* Top-N (issue 16): ROW_NUMBER() | RANK() | DENSE_RANK() OVER (...) is an
     * AST_CALL with no arguments and this set; NULL for every other call. */
    struct ast_over *over;
    /* The longest path from here down to a leaf (1 for a leaf), at most
     * AST_MAX_EXPR_DEPTH: every pass over an expression recurses. */
    uint32_t depth;
};

/* The deepest expression a statement may hold, as SQLite's SQLITE_MAX_EXPR_DEPTH:
 * a chain "a + a + ... + a" of 1,000 operators is that deep. */
#define AST_MAX_EXPR_DEPTH 1000

struct ast_expr_list {
    uint32_t count;
    uint32_t cap;
    struct ast_expr **items;
};

/* One ORDER BY item: an output column's name, an ordinal or a selected expression. */
struct ast_order_item {
    struct ast_expr *expr;
    bool desc;
};

/* Top-N (issue 16): OVER ([PARTITION BY exprs] ORDER BY items) of a ranking call. */
struct ast_over {
    struct ast_name keyword;           /* OVER */
    struct ast_expr_list *partition_by; /* NULL when absent */
    uint32_t norder;
    struct ast_order_item *order_by;
};

struct ast_select_item {
    struct ast_expr *expr;
    struct ast_name alias; /* text NULL if no AS */
};


enum ast_window_kind { AST_WINDOW_NONE, AST_WINDOW_TUMBLING, AST_WINDOW_HOPPING, AST_WINDOW_SESSION };

/* WINDOW TUMBLING (SIZE d) | HOPPING (SIZE d, ADVANCE BY d) | SESSION (GAP d),
 * each with an optional GRACE PERIOD d; durations in microseconds. */
struct ast_window {
    enum ast_window_kind kind;
    struct ast_name keyword; /* WINDOW; text NULL when there is no window */
    int64_t size_us;         /* TUMBLING, HOPPING */
    int64_t advance_us;      /* HOPPING */
    int64_t gap_us;          /* SESSION */
    int64_t grace_us;
};

enum ast_emit { AST_EMIT_DEFAULT, AST_EMIT_CHANGES, AST_EMIT_FINAL };

/* ---- joins (issue 16): FROM a [INNER] JOIN b ON cond, FROM a LEFT [OUTER] JOIN b ON cond.
 * RIGHT, FULL, CROSS and NATURAL joins and comma joins are refused by the grammar. ---- */
enum ast_join_type { AST_JOIN_INNER, AST_JOIN_LEFT };

struct ast_join {
    enum ast_join_type type;
    struct ast_name keyword;   /* the join's first word (JOIN, INNER, LEFT): errors about it point here */
    struct ast_name schema;    /* aux in JOIN aux.t; text NULL if none */
    struct ast_name name;      /* the table or stream; text NULL for a derived table */
    struct ast_select *select; /* JOIN (SELECT ...) [AS] b: a derived table; NULL if none */
    struct ast_name alias;     /* text NULL if none */
    struct ast_expr *on;
};

/* The longest window duration or watermark delay: 36500 days, about a century. */
#define AST_DURATION_MAX_US (INT64_C(36500) * 86400 * 1000000)

struct ast_select {
    struct sl_pos pos; /* the SELECT keyword */
    uint32_t nitems;
    struct ast_select_item *items;
    struct ast_name from;       /* the stream (or table) name; text NULL for a derived table */
    struct ast_name from_schema; /* FROM aux.t: aux (the binder refuses it on a stream); text NULL if none */
    struct ast_name from_alias; /* FROM s AS a, FROM (SELECT ...) AS a; text NULL if none */
    struct ast_select *from_select; /* FROM (SELECT ...): a derived table; NULL if none */
    uint32_t njoins;            /* FROM ... JOIN ... ON ...: the joins in FROM order */
    struct ast_join *joins;
    struct ast_expr *unnest;    /* , UNNEST(expr) AS alias — NULL if none */
    struct ast_name unnest_alias;
    struct ast_expr *where;     /* NULL if none */
    struct ast_expr_list *group_by; /* NULL if none; an integer literal is a select-list ordinal */
    struct ast_expr *having;        /* NULL if none */
    /* ORDER BY and LIMIT: only a live SELECT's printed batches have an order. */
    uint32_t norder;
    struct ast_order_item *order_by;
    struct ast_name order_kw;       /* the ORDER keyword; text NULL if none */
    struct ast_expr *limit;         /* LIMIT expr; NULL if none */
    struct ast_name limit_kw;
    struct ast_window window;       /* before or after GROUP BY */
    enum ast_emit emit;
    struct ast_name emit_kw;        /* EMIT; text NULL when absent */
};

/* key = value in FORMAT CSV (...) / WITH (...); value is a literal expression. */
struct ast_option {
    struct ast_name key;
    struct ast_expr *value;
};

struct ast_column_def {
    struct ast_name name;
    struct ast_name type_name; /* validated by the binder */
    struct ast_name path;      /* PATH '$.a.b' (FORMAT JSON): the string; text NULL when absent */
};

struct ast_create_stream {
    struct ast_name name;
    uint32_t ncols;
    struct ast_column_def *cols;
    /* FROM connector ['address']: the connector's name as written, looked up by the
     * binder in the registry (connectors/registry.h); address text NULL when absent. */
    struct ast_name connector;
    struct ast_name address;
    /* TOPIC 'x', LISTEN 'x', PATH 'x' after the address: key is the word, value the
     * string; the binder takes each as the connector's option of that name. */
    uint32_t nclauses;
    struct ast_option *clauses;
    struct ast_name format; /* TEXT, CSV, ... as written; text NULL when absent */
    uint32_t nformat_options;
    struct ast_option *format_options;
    /* WATERMARK FOR col AS expr: col's text NULL when absent; expr is checked by the binder. */
    struct ast_name watermark_col;
    struct ast_expr *watermark;
    uint32_t noptions; /* WITH (key = value, ...) */
    struct ast_option *options;
    bool if_not_exists;
};

struct ast_create_query {
    struct ast_name name;
    struct ast_select *select;
    int64_t trigger_us; /* TRIGGER EVERY n MILLISECONDS|SECONDS; 0 = default */
    struct sl_pos trigger_pos;
    uint32_t noptions; /* WITH (key = value, ...) */
    struct ast_option *options;
    bool if_not_exists;
    bool or_replace;
};

/* CREATE SINK name FROM query INTO connector ['address'] [TABLE|INDEX|TOPIC 'x']
 * [FORMAT f] [KEY (col, ...)] [WITH (...)]: checked by the binder against the
 * sink connector (connectors/sink.h). */
struct ast_create_sink {
    struct ast_name name;
    struct ast_name from; /* the query (or CREATE STREAM AS stream) whose rows it sends */
    struct ast_name connector;
    struct ast_name address;
    uint32_t nclauses; /* TABLE 'x', INDEX 'x', TOPIC 'x': key is the word */
    struct ast_option *clauses;
    struct ast_name format;
    uint32_t nformat_options;
    struct ast_option *format_options;
    uint32_t nkey; /* KEY (col, ...) */
    struct ast_name *key;
    uint32_t noptions;
    struct ast_option *options;
    bool if_not_exists;
};

/* DROP STREAM|QUERY [IF EXISTS] name [CASCADE], DESCRIBE [EXTENDED] name, SHOW what,
 * PAUSE|RESUME QUERY name. */
struct ast_named {
    struct ast_name name;
    bool if_exists;
    bool cascade;  /* DROP STREAM ... CASCADE: what reads the stream goes too */
    bool extended; /* DESCRIBE EXTENDED */
};

/* EXPLAIN select, or EXPLAIN name (a running query): exactly one is set. */
struct ast_explain {
    struct ast_select *select;
    struct ast_name query;
};

/* SET name = value: a session option. */
struct ast_set {
    struct ast_name name;
    struct ast_expr *value;
};

/* PRINT stream [LIMIT n]: the stream's rows as they arrive (ksqlDB's PRINT). */
struct ast_print {
    struct ast_name stream;
    int64_t limit;         /* rows to print before it stops; 0: until stopped or the input ends */
    struct sl_pos limit_pos;
};

/* ATTACH [DATABASE] 'file' AS schema, DETACH [DATABASE] schema: another database
 * file's tables for lookup joins, as schema.table (issue 16). */
struct ast_attach {
    struct ast_name file;
    struct ast_name schema;
};

enum ast_stmt_kind {
    AST_CREATE_STREAM,
    AST_CREATE_QUERY,
    AST_DROP_STREAM,
    AST_DROP_QUERY,
    AST_SELECT,
    AST_SHOW, /* SHOW what: the engine checks what (STREAMS, QUERIES) */
    AST_DESCRIBE,
    AST_EXPLAIN,
    AST_SET,
    AST_CREATE_STREAM_AS, /* u.create_query: the stream's name and its SELECT */
    AST_CREATE_SINK,
    AST_DROP_SINK,
    AST_DESCRIBE_SINK,
    AST_PAUSE_QUERY,  /* u.named */
    AST_RESUME_QUERY, /* u.named */
    AST_PRINT,        /* u.print */
    AST_ATTACH,       /* u.attach (issue 16: the tables a lookup join reads) */
    AST_DETACH,       /* u.attach, file's text NULL */
};

struct ast_stmt {
    enum ast_stmt_kind kind;
    struct sl_pos pos;
    const char *text; /* the statement's source text, without the trailing ';' (arena copy) */
    union {
        struct ast_create_stream create_stream;
        struct ast_create_query create_query; /* also AST_CREATE_STREAM_AS */
        struct ast_create_sink create_sink;
        struct ast_named named; /* AST_DROP_*, AST_DESCRIBE, AST_DESCRIBE_SINK, AST_SHOW */
        struct ast_select *select; /* AST_SELECT */
        struct ast_explain explain; /* AST_EXPLAIN */
        struct ast_set set;         /* AST_SET */
        struct ast_print print;     /* AST_PRINT */
        struct ast_attach attach;   /* AST_ATTACH, AST_DETACH */
    } u;
};

/* The operator as SQL writes it: "+", "<>", "NOT", ... */
const char *ast_op_text(enum ast_op op);

/* The name of a duration unit given in microseconds ("SECOND"), for rendering. */
const char *ast_unit_name(int64_t unit_us);

/* Debug/test rendering of an expression as fully parenthesised text. */
struct sl_buf;
void ast_expr_render(const struct ast_expr *e, struct sl_buf *out);

#endif
