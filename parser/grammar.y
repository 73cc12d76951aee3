/*
 * grammar.y — Sluice's SQL grammar for lemon, the SQLite way: the lexer
 * (lexer.c) feeds tokens one at a time, actions only build AST nodes in the
 * parse's arena (ast_build.h), and errors are recorded in the %extra_context,
 * never printed. parser.c drives it and does the error recovery (skip to the
 * next ';'), so this file stays a plain description of the language.
 */

%include {
#include "parser/ast_build.h"
#include "parser/parse_ctx.h"
}

%token_prefix TK_
%name sl_parser_
%token_type {struct sl_token}
%extra_context {struct parse_ctx *ctx}
/* Deep enough for any real query; a fixed bound keeps recursion over the AST bounded too. */
%stack_size 1000
%start_symbol input

%syntax_error {
    parse_ctx_syntax_error(ctx, &TOKEN);
}
%stack_overflow {
    parse_ctx_overflow(ctx);
}

/* Tokens only the lexer produces, declared so grammar.h defines them. */
%token ILLEGAL.
%token ID STRING INTEGER FLOAT.

/* Keywords that may still be used as names where a name is expected. A keyword
 * that can follow an optional alias (TRIGGER, WINDOW, EMIT, WITH after "FROM s") must stay reserved:
 * lemon's default reductions would let the fallback read it as the alias. */
%fallback ID STREAM QUERY TOPIC LISTEN PATH FORMAT EVERY
             MILLISECONDS MILLISECOND SECONDS SECOND UNNEST
             SHOW DESCRIBE EXPLAIN REPLACE
             TIMESTAMP INTERVAL MINUTE MINUTES HOUR HOURS DAY DAYS
             ASC DESC SET
             WATERMARK FOR TUMBLING HOPPING SESSION SIZE ADVANCE GAP GRACE PERIOD
             CHANGES FINAL FILTER SINK INTO TABLE INDEX KEY
             PAUSE RESUME PRINT
             OVER PARTITION.

/* SQLite's precedence, lowest first. */
%left OR.
%left AND.
%right NOT.
%left IS LIKE GLOB BETWEEN IN ISNULL NOTNULL NE EQ.
%left GT LE LT GE.
%right ESCAPE.
%left BITAND BITOR LSHIFT RSHIFT.
%left PLUS MINUS.
%left STAR SLASH REM.
%left CONCAT PTR PTR2.
%right UMINUS BITNOT.

/* ---- statements ---------------------------------------------------------- */

input ::= cmdlist.
cmdlist ::= cmdlist ecmd.
cmdlist ::= ecmd.
ecmd ::= SEMI.
ecmd ::= cmd(C) SEMI. { parse_ctx_add_stmt(ctx, C); }

%type cmd {struct ast_stmt *}

cmd(A) ::= CREATE(K) STREAM ifnotexists(E) nm(N) LP coldefs(L) watermark_opt(W) RP FROM source(S)
              format(F) withopts(WO). {
    A = ast_stmt_new(&ctx->b, AST_CREATE_STREAM, K.pos);
    if (A) {
        struct ast_create_stream *cs = &A->u.create_stream;
        cs->if_not_exists = E;
        cs->name = N;
        cs->ncols = L.count;
        cs->cols = L.items;
        cs->connector = S.connector;
        cs->address = S.address;
        cs->nclauses = S.clauses.count;
        cs->clauses = S.clauses.items;
        cs->format = F.name;
        cs->nformat_options = F.options.count;
        cs->format_options = F.options.items;
        cs->watermark_col = W.col;
        cs->watermark = W.expr;
        cs->noptions = WO.count;
        cs->options = WO.items;
    }
}

/* CREATE STREAM name AS SELECT ...: a query whose rows are a stream (its log). */
cmd(A) ::= CREATE(K) STREAM ifnotexists(E) nm(N) AS select(S) trigger(T) withopts(WO). {
    A = ast_stmt_new(&ctx->b, AST_CREATE_STREAM_AS, K.pos);
    if (A) {
        A->u.create_query.if_not_exists = E;
        A->u.create_query.name = N;
        A->u.create_query.select = S;
        A->u.create_query.trigger_us = T.us;
        A->u.create_query.trigger_pos = T.pos;
        A->u.create_query.noptions = WO.count;
        A->u.create_query.options = WO.items;
    }
}

/* CREATE SINK name FROM query INTO NAME ['address'] [TABLE|INDEX|TOPIC 'x'] [FORMAT f]
 * [KEY (col, ...)] [WITH (...)]: the binder checks the rest against the sink connector. */
cmd(A) ::= CREATE(K) SINK ifnotexists(E) nm(N) FROM nm(F) INTO nm(C) address(R)
              srcclauses(L) format(FM) sinkkey(KY) withopts(WO). {
    A = ast_stmt_new(&ctx->b, AST_CREATE_SINK, K.pos);
    if (A) {
        struct ast_create_sink *cs = &A->u.create_sink;
        cs->if_not_exists = E;
        cs->name = N;
        cs->from = F;
        cs->connector = C;
        cs->address = R;
        cs->nclauses = L.count;
        cs->clauses = L.items;
        cs->format = FM.name;
        cs->nformat_options = FM.options.count;
        cs->format_options = FM.options.items;
        cs->nkey = KY.count;
        cs->key = KY.items;
        cs->noptions = WO.count;
        cs->options = WO.items;
    }
}

%type sinkkey {struct ast_vec}
sinkkey(A) ::= . { A = (struct ast_vec){0}; }
sinkkey(A) ::= KEY LP namelist(L) RP. { A = L; }

%type namelist {struct ast_vec}
namelist(A) ::= namelist(A) COMMA nm(N). { ast_vec_push(&ctx->b, &A, &N, sizeof N); }
namelist(A) ::= nm(N). {
    A = (struct ast_vec){0};
    ast_vec_push(&ctx->b, &A, &N, sizeof N);
}

cmd(A) ::= DROP(K) SINK ifexists(E) nm(N). {
    A = ast_stmt_new(&ctx->b, AST_DROP_SINK, K.pos);
    if (A) {
        A->u.named.name = N;
        A->u.named.if_exists = E;
    }
}
cmd(A) ::= DESCRIBE(K) SINK nm(N). {
    A = ast_stmt_new(&ctx->b, AST_DESCRIBE_SINK, K.pos);
    if (A)
        A->u.named.name = N;
}

cmd(A) ::= CREATE(K) orreplace(R) QUERY ifnotexists(E) nm(N) AS select(S) trigger(T)
              withopts(O). {
    A = ast_stmt_new(&ctx->b, AST_CREATE_QUERY, K.pos);
    if (R && E)
        parse_ctx_error_at(ctx, K.pos, 6, "OR REPLACE and IF NOT EXISTS cannot be combined");
    if (A) {
        A->u.create_query.or_replace = R;
        A->u.create_query.if_not_exists = E;
        A->u.create_query.name = N;
        A->u.create_query.select = S;
        A->u.create_query.trigger_us = T.us;
        A->u.create_query.trigger_pos = T.pos;
        A->u.create_query.noptions = O.count;
        A->u.create_query.options = O.items;
    }
}

cmd(A) ::= DROP(K) STREAM ifexists(E) nm(N). {
    A = ast_stmt_new(&ctx->b, AST_DROP_STREAM, K.pos);
    if (A) {
        A->u.named.name = N;
        A->u.named.if_exists = E;
    }
}
cmd(A) ::= DROP(K) QUERY ifexists(E) nm(N). {
    A = ast_stmt_new(&ctx->b, AST_DROP_QUERY, K.pos);
    if (A) {
        A->u.named.name = N;
        A->u.named.if_exists = E;
    }
}

/* ---- catalog (issue 15): DROP STREAM ... CASCADE drops what reads the stream too;
 * DESCRIBE EXTENDED name adds a running query's plan and counters. ---- */
%fallback ID CASCADE EXTENDED.
cmd(A) ::= DROP(K) STREAM ifexists(E) nm(N) CASCADE. {
    A = ast_stmt_new(&ctx->b, AST_DROP_STREAM, K.pos);
    if (A) {
        A->u.named.name = N;
        A->u.named.if_exists = E;
        A->u.named.cascade = true;
    }
}
cmd(A) ::= DESCRIBE(K) EXTENDED nm(N). {
    A = ast_stmt_new(&ctx->b, AST_DESCRIBE, K.pos);
    if (A) {
        A->u.named.name = N;
        A->u.named.extended = true;
    }
}
/* DESCRIBE extended: of something named "extended". */
cmd(A) ::= DESCRIBE(K) EXTENDED(X). {
    A = ast_stmt_new(&ctx->b, AST_DESCRIBE, K.pos);
    if (A)
        A->u.named.name = ast_name_ident(&ctx->b, &X);
}

%type ifexists {bool}
ifexists(A) ::= . { A = false; }
ifexists(A) ::= IF EXISTS. { A = true; }
%type ifnotexists {bool}
ifnotexists(A) ::= . { A = false; }
ifnotexists(A) ::= IF NOT EXISTS. { A = true; }
%type orreplace {bool}
orreplace(A) ::= . { A = false; }
orreplace(A) ::= OR REPLACE. { A = true; }

/* SHOW STREAMS, SHOW QUERIES: the word after SHOW is checked by the engine,
 * so that SHOW TABLE gets an "unknown" error with a hint, not a syntax error. */
cmd(A) ::= SHOW(K) nm(N). {
    A = ast_stmt_new(&ctx->b, AST_SHOW, K.pos);
    if (A)
        A->u.named.name = N;
}
cmd(A) ::= DESCRIBE(K) nm(N). {
    A = ast_stmt_new(&ctx->b, AST_DESCRIBE, K.pos);
    if (A)
        A->u.named.name = N;
}
cmd(A) ::= EXPLAIN(K) select(S). {
    A = ast_stmt_new(&ctx->b, AST_EXPLAIN, K.pos);
    if (A)
        A->u.explain.select = S;
}
cmd(A) ::= EXPLAIN(K) nm(N). {
    A = ast_stmt_new(&ctx->b, AST_EXPLAIN, K.pos);
    if (A)
        A->u.explain.query = N;
}

cmd(A) ::= SET(K) setname(N) EQ optval(V). {
    A = ast_stmt_new(&ctx->b, AST_SET, K.pos);
    if (A) {
        A->u.set.name = N;
        A->u.set.value = V;
    }
}

/* TRIGGER is reserved (it follows an optional alias), yet names an option. */
%type setname {struct ast_name}
setname(A) ::= nm(A).
setname(A) ::= TRIGGER(X). { A = ast_name_ident(&ctx->b, &X); }

/* ---- query lifecycle: PAUSE QUERY q, RESUME QUERY q, PRINT stream [LIMIT n] ---- */
cmd(A) ::= PAUSE(K) QUERY nm(N). {
    A = ast_stmt_new(&ctx->b, AST_PAUSE_QUERY, K.pos);
    if (A)
        A->u.named.name = N;
}
cmd(A) ::= RESUME(K) QUERY nm(N). {
    A = ast_stmt_new(&ctx->b, AST_RESUME_QUERY, K.pos);
    if (A)
        A->u.named.name = N;
}
cmd(A) ::= PRINT(K) nm(N). {
    A = ast_stmt_new(&ctx->b, AST_PRINT, K.pos);
    if (A)
        A->u.print.stream = N;
}
cmd(A) ::= PRINT(K) nm(N) LIMIT INTEGER(X). {
    int64_t n;
    A = ast_stmt_new(&ctx->b, AST_PRINT, K.pos);
    if (!ast_parse_int(&X, &n) || n <= 0)
        parse_ctx_error_at(ctx, X.pos, X.span, "PRINT's LIMIT must be a positive whole number");
    else if (A) {
        A->u.print.stream = N;
        A->u.print.limit = n;
        A->u.print.limit_pos = X.pos;
    }
}

cmd(A) ::= select(S). {
    A = ast_stmt_new(&ctx->b, AST_SELECT, S ? S->pos : ctx->cur.pos);
    if (A)
        A->u.select = S;
}

/* ---- ATTACH [DATABASE] 'file' AS name, DETACH [DATABASE] name (issue 16): another
 * database file whose tables lookup joins read as name.table. ---- */
%fallback ID ATTACH DETACH DATABASE.
cmd(A) ::= ATTACH(K) database_opt STRING(F) AS nm(N). {
    A = ast_stmt_new(&ctx->b, AST_ATTACH, K.pos);
    if (A) {
        A->u.attach.file = ast_name_string(&ctx->b, &F);
        A->u.attach.schema = N;
    }
}
cmd(A) ::= DETACH(K) database_opt nm(N). {
    A = ast_stmt_new(&ctx->b, AST_DETACH, K.pos);
    if (A)
        A->u.attach.schema = N;
}
database_opt ::= .
database_opt ::= DATABASE.

/* ---- CREATE STREAM pieces ------------------------------------------------ */

%type nm {struct ast_name}
nm(A) ::= ID(X). { A = ast_name_ident(&ctx->b, &X); }

%type coldefs {struct ast_vec}
coldefs(A) ::= coldefs(A) COMMA coldef(C). { ast_vec_push(&ctx->b, &A, &C, sizeof C); }
coldefs(A) ::= coldef(C). {
    A = (struct ast_vec){0};
    ast_vec_push(&ctx->b, &A, &C, sizeof C);
}

%type coldef {struct ast_column_def}
coldef(A) ::= nm(N) nm(T) colpath(P). {
    A.name = N;
    A.type_name = T;
    A.path = P;
}

/* PATH '$.user.id' (FORMAT JSON): where the column's value is in each record. */
%type colpath {struct ast_name}
colpath(A) ::= . { A = ast_name_none(); }
colpath(A) ::= PATH STRING(X). { A = ast_name_string(&ctx->b, &X); }

/* The stream's event time: WATERMARK FOR col AS col - INTERVAL 'n' unit (or just col). */
%type watermark_opt {struct ast_watermark}
watermark_opt(A) ::= . {
    A.col = ast_name_none();
    A.expr = NULL;
}
watermark_opt(A) ::= COMMA WATERMARK FOR nm(C) AS expr(E). {
    A.col = C;
    A.expr = E;
}

/* FROM name ['address'] [TOPIC 'x'] [LISTEN 'x'] [PATH 'x'] [FORMAT f [(options)]]: any name;
 * the binder looks it up among the connectors and checks the rest against it. */
%type source {struct ast_source}
source(A) ::= nm(C) address(R) srcclauses(L). {
    A.connector = C;
    A.address = R;
    A.clauses = L;
}

%type address {struct ast_name}
address(A) ::= . { A = ast_name_none(); }
address(A) ::= STRING(X). { A = ast_name_string(&ctx->b, &X); }

%type srcclauses {struct ast_vec}
srcclauses(A) ::= . { A = (struct ast_vec){0}; }
srcclauses(A) ::= srcclauses(A) srcclause(O). { ast_vec_push(&ctx->b, &A, &O, sizeof O); }

%type srcclause {struct ast_option}
srcclause(A) ::= srcword(K) STRING(X). {
    A.key = ast_name_ident(&ctx->b, &K);
    A.value = ast_expr_literal(&ctx->b, &X);
}

%type srcword {struct sl_token}
srcword(A) ::= TOPIC(A).
srcword(A) ::= LISTEN(A).
srcword(A) ::= PATH(A).
srcword(A) ::= TABLE(A).
srcword(A) ::= INDEX(A).

%type format {struct ast_format}
format(A) ::= . {
    A.name = ast_name_none();
    A.options = (struct ast_vec){0};
}
/* FORMAT with no name: an empty name at the keyword, so the binder, which knows the
 * formats, says what is missing and lists them. */
format(A) ::= FORMAT(K). {
    A.name = ast_name_ident(&ctx->b, &K);
    A.name.text = "";
    A.options = (struct ast_vec){0};
}
format(A) ::= FORMAT nm(F) fmtopts(O). {
    A.name = F;
    A.options = O;
}

%type fmtopts {struct ast_vec}
fmtopts(A) ::= . { A = (struct ast_vec){0}; }
fmtopts(A) ::= LP options(L) RP. { A = L; }

%type options {struct ast_vec}
options(A) ::= options(A) COMMA option(O). { ast_vec_push(&ctx->b, &A, &O, sizeof O); }
options(A) ::= option(O). {
    A = (struct ast_vec){0};
    ast_vec_push(&ctx->b, &A, &O, sizeof O);
}

%type option {struct ast_option}
option(A) ::= nm(K) EQ optval(V). {
    A.key = K;
    A.value = V;
}
/* null = 'NA' (FORMAT CSV), end = 'latest' and group = 'g' (KAFKA): keywords, so the
 * option's name is spelt out. */
option(A) ::= NULL(K) EQ optval(V). {
    A.key = ast_name_ident(&ctx->b, &K);
    A.value = V;
}
option(A) ::= END(K) EQ optval(V). {
    A.key = ast_name_ident(&ctx->b, &K);
    A.value = V;
}
option(A) ::= GROUP(K) EQ optval(V). {
    A.key = ast_name_ident(&ctx->b, &K);
    A.value = V;
}

/* Option values are literals; a bare identifier is kept as an AST_COLUMN for the binder. */
%type optval {struct ast_expr *}
optval(A) ::= literal(A).
optval(A) ::= MINUS(M) number(X). { A = ast_expr_negate(X, &M); }
optval(A) ::= nm(N). { A = ast_expr_column(&ctx->b, NULL, &N); }
optval(A) ::= INTERVAL STRING(X) interval_unit(U). { A = ast_expr_interval(&ctx->b, &X, U); }
optval(A) ::= TIMESTAMP STRING(X). { A = ast_expr_timestamp(&ctx->b, &X); }

/* ---- CREATE QUERY pieces ------------------------------------------------- */

%type trigger {struct ast_trigger}
trigger(A) ::= . {
    A.us = 0;
    A.pos = (struct sl_pos){0};
}
trigger(A) ::= TRIGGER(K) EVERY INTEGER(N) unit(U). {
    int64_t n;
    A.pos = K.pos;
    A.us = 0;
    if (!ast_parse_int(&N, &n) || n <= 0 || n > INT64_MAX / U)
        parse_ctx_error_at(ctx, N.pos, N.span, "trigger interval out of range");
    else
        A.us = n * U;
}

%type withopts {struct ast_vec}
withopts(A) ::= . { A = (struct ast_vec){0}; }
withopts(A) ::= WITH LP options(L) RP. { A = L; }

%type unit {int64_t}
unit(A) ::= MILLISECONDS. { A = 1000; }
unit(A) ::= MILLISECOND. { A = 1000; }
unit(A) ::= SECONDS. { A = 1000000; }
unit(A) ::= SECOND. { A = 1000000; }
unit(A) ::= MINUTES. { A = 60 * INT64_C(1000000); }
unit(A) ::= MINUTE. { A = 60 * INT64_C(1000000); }
unit(A) ::= HOURS. { A = 3600 * INT64_C(1000000); }
unit(A) ::= HOUR. { A = 3600 * INT64_C(1000000); }
unit(A) ::= DAYS. { A = 86400 * INT64_C(1000000); }
unit(A) ::= DAY. { A = 86400 * INT64_C(1000000); }

/* A window's SIZE, ADVANCE BY, GAP or GRACE PERIOD: a whole number and a
 * unit, at most AST_DURATION_MAX_US (so window arithmetic on timestamps of
 * years 0000-9999 cannot overflow). */
%type duration {struct ast_duration}
duration(A) ::= INTEGER(N) unit(U). {
    int64_t n;
    A.pos = N.pos;
    A.us = 0;
    if (!ast_parse_int(&N, &n) || n > AST_DURATION_MAX_US / U)
        parse_ctx_error_at(ctx, N.pos, N.span, "duration out of range: at most 36500 days");
    else
        A.us = n * U;
}

/* INTERVAL 'n' unit, or INTERVAL 'n unit' (0: the unit is in the text, read by the binder). */
%type interval_unit {int64_t}
interval_unit(A) ::= . { A = 0; }
interval_unit(A) ::= unit(A).

/* ---- SELECT -------------------------------------------------------------- */

%type select {struct ast_select *}
select(A) ::= SELECT(K) selitems(L) FROM from_item(F) from_tail(U) where_opt(W)
              wingroup(G) having_opt(H) orderby_opt(O) limit_opt(LIM) emit_opt(EM). {
    A = ast_select_new(&ctx->b, K.pos);
    if (A) {
        A->nitems = L.count;
        A->items = L.items;
        A->from = F.name;
        A->from_schema = F.schema;
        A->from_alias = F.alias;
        A->from_select = F.select;
        A->njoins = U.joins.count;
        A->joins = U.joins.items;
        A->unnest = U.unnest.expr;
        A->unnest_alias = U.unnest.alias;
        A->where = W;
        A->group_by = G.keys;
        A->having = H.expr;
        A->norder = O.items.count;
        A->order_by = O.items.items;
        A->order_kw = O.keyword;
        A->limit = LIM.expr;
        A->limit_kw = LIM.keyword;
        A->window = G.window;
        A->emit = EM.kind;
        A->emit_kw = EM.keyword;
        if (H.expr && !G.keys && !G.window.kind)
            parse_ctx_error_at(ctx, H.keyword.pos, H.keyword.span, "HAVING needs a GROUP BY");
    }
}

/* GROUP BY and WINDOW, in either order, each optional. */
%type wingroup {struct ast_wingroup}
wingroup(A) ::= . { A = (struct ast_wingroup){0}; }
wingroup(A) ::= window(W). {
    A.keys = NULL;
    A.window = W;
}
wingroup(A) ::= window(W) GROUP BY exprlist(L). {
    A.keys = L;
    A.window = W;
}
wingroup(A) ::= GROUP BY exprlist(L). {
    A.keys = L;
    A.window = (struct ast_window){0};
}
wingroup(A) ::= GROUP BY exprlist(L) window(W). {
    A.keys = L;
    A.window = W;
}

%type window {struct ast_window}
window(A) ::= WINDOW(K) TUMBLING LP SIZE duration(S) grace_opt(G) RP. {
    A = (struct ast_window){.kind = AST_WINDOW_TUMBLING, .size_us = S.us, .grace_us = G.us};
    A.keyword = ast_name_ident(&ctx->b, &K);
    if (S.us == 0)
        parse_ctx_error_at(ctx, S.pos, 1, "a window's SIZE must be positive");
}
window(A) ::= WINDOW(K) HOPPING LP SIZE duration(S) COMMA ADVANCE BY duration(D)
              grace_opt(G) RP. {
    A = (struct ast_window){.kind = AST_WINDOW_HOPPING, .size_us = S.us, .advance_us = D.us,
                            .grace_us = G.us};
    A.keyword = ast_name_ident(&ctx->b, &K);
    if (S.us == 0)
        parse_ctx_error_at(ctx, S.pos, 1, "a window's SIZE must be positive");
    else if (D.us == 0)
        parse_ctx_error_at(ctx, D.pos, 1, "a hopping window's ADVANCE BY must be positive");
}
window(A) ::= WINDOW(K) SESSION LP GAP duration(D) grace_opt(G) RP. {
    A = (struct ast_window){.kind = AST_WINDOW_SESSION, .gap_us = D.us, .grace_us = G.us};
    A.keyword = ast_name_ident(&ctx->b, &K);
    if (D.us == 0)
        parse_ctx_error_at(ctx, D.pos, 1, "a session window's GAP must be positive");
}

%type grace_opt {struct ast_duration}
grace_opt(A) ::= . {
    A.us = 0;
    A.pos = (struct sl_pos){0};
}
grace_opt(A) ::= COMMA GRACE PERIOD duration(D). { A = D; }

/* EMIT CHANGES (the default) or EMIT FINAL. */
%type emit_opt {struct ast_emit_clause}
emit_opt(A) ::= . {
    A.kind = AST_EMIT_DEFAULT;
    A.keyword = ast_name_none();
}
emit_opt(A) ::= EMIT(K) CHANGES. {
    A.kind = AST_EMIT_CHANGES;
    A.keyword = ast_name_ident(&ctx->b, &K);
}
emit_opt(A) ::= EMIT(K) FINAL. {
    A.kind = AST_EMIT_FINAL;
    A.keyword = ast_name_ident(&ctx->b, &K);
}

%type from_item {struct ast_from}
from_item(A) ::= nm(N) alias_opt(L). {
    A.schema = ast_name_none();
    A.name = N;
    A.select = NULL;
    A.alias = L;
}
/* A derived table. Its alias is optional, as in Spark, Flink and PostgreSQL 16. */
from_item(A) ::= LP select(S) RP alias_opt(L). {
    A.schema = ast_name_none();
    A.name = ast_name_none();
    A.select = S;
    A.alias = L;
}

/* ---- joins (issue 16): what follows the FROM's first item, in order: joins
 * `[INNER] JOIN item ON cond` and `LEFT [OUTER] JOIN item ON cond` (item a
 * name, schema.name or a derived table), then at most one `, UNNEST(expr) AS x`
 * (or CROSS JOIN UNNEST). The joins Sluice does not run are parsed to be
 * refused here with what to write instead. LEFT, RIGHT, FULL, INNER, NATURAL
 * and USING follow an optional alias, so they are reserved (as in PostgreSQL):
 * a fallback would read them as the alias. ---- */
%fallback ID OUTER.

from_item(A) ::= nm(S) DOT nm(N) alias_opt(L). {
    A.schema = S;
    A.name = N;
    A.select = NULL;
    A.alias = L;
}

%type from_tail {struct ast_from_tail}
from_tail(A) ::= . { A = (struct ast_from_tail){0}; }
from_tail(A) ::= from_tail(A) join_op(J) from_item(F) ON expr(E). {
    struct ast_join j = {.type = J.type, .keyword = J.keyword, .schema = F.schema,
                         .name = F.name, .select = F.select, .alias = F.alias, .on = E};
    if (A.unnest.expr)
        parse_ctx_error_hint(ctx, J.keyword.pos, J.keyword.span,
                             "a JOIN cannot follow UNNEST",
                             "write the joins first, then UNNEST: FROM s JOIN t ON ..., "
                             "UNNEST(...) AS x");
    else if (J.refused)
        parse_ctx_error_hint(ctx, J.keyword.pos, J.keyword.span, J.refused, J.hint);
    else
        ast_vec_push(&ctx->b, &A.joins, &j, sizeof j);
}
from_tail(A) ::= from_tail(A) join_op(J) from_item. {
    if (J.refused)
        parse_ctx_error_hint(ctx, J.keyword.pos, J.keyword.span, J.refused, J.hint);
    else
        parse_ctx_error_hint(ctx, J.keyword.pos, J.keyword.span, "a JOIN needs an ON condition",
                             "say which rows match: FROM s JOIN t ON s.id = t.id");
}
from_tail(A) ::= from_tail(A) join_op(J) from_item USING(U) LP namelist RP. {
    (void)J;
    parse_ctx_error_hint(ctx, U.pos, U.span, "JOIN ... USING is not supported",
                         "write the condition with ON: FROM s JOIN t ON s.id = t.id");
}
from_tail(A) ::= from_tail(A) CROSS(K) JOIN from_item. {
    parse_ctx_error_hint(ctx, K.pos, K.span, "CROSS JOIN is not supported over streams",
                         "join on a condition: FROM s JOIN t ON s.id = t.id (CROSS JOIN UNNEST(...) "
                         "is supported)");
}
from_tail(A) ::= from_tail(A) COMMA(K) from_item. {
    parse_ctx_error_hint(ctx, K.pos, K.span, "a comma join (FROM a, b) is not supported",
                         "write it with JOIN and a condition: FROM a JOIN b ON a.id = b.id");
}
from_tail(A) ::= from_tail(A) COMMA(K) UNNEST LP expr(E) RP alias(N). {
    if (A.unnest.expr)
        parse_ctx_error_at(ctx, K.pos, K.span, "a FROM clause takes one UNNEST");
    A.unnest.expr = E;
    A.unnest.alias = N;
}
/* CROSS JOIN UNNEST(...) is the SQL standard's spelling of ", UNNEST(...)". */
from_tail(A) ::= from_tail(A) CROSS(K) JOIN UNNEST LP expr(E) RP alias(N). {
    if (A.unnest.expr)
        parse_ctx_error_at(ctx, K.pos, K.span, "a FROM clause takes one UNNEST");
    A.unnest.expr = E;
    A.unnest.alias = N;
}

%type join_op {struct ast_join_op}
join_op(A) ::= JOIN(K). { A = ast_join_op(&ctx->b, &K, AST_JOIN_INNER, NULL); }
join_op(A) ::= INNER(K) JOIN. { A = ast_join_op(&ctx->b, &K, AST_JOIN_INNER, NULL); }
join_op(A) ::= LEFT(K) JOIN. { A = ast_join_op(&ctx->b, &K, AST_JOIN_LEFT, NULL); }
join_op(A) ::= LEFT(K) OUTER JOIN. { A = ast_join_op(&ctx->b, &K, AST_JOIN_LEFT, NULL); }
join_op(A) ::= RIGHT(K) outer_opt JOIN. { A = ast_join_op(&ctx->b, &K, AST_JOIN_INNER, "RIGHT"); }
join_op(A) ::= FULL(K) outer_opt JOIN. { A = ast_join_op(&ctx->b, &K, AST_JOIN_INNER, "FULL"); }
join_op(A) ::= NATURAL(K) natural_kind JOIN. {
    A = ast_join_op(&ctx->b, &K, AST_JOIN_INNER, "NATURAL");
}
outer_opt ::= .
outer_opt ::= OUTER.
natural_kind ::= .
natural_kind ::= INNER.
natural_kind ::= LEFT outer_opt.
natural_kind ::= RIGHT outer_opt.
natural_kind ::= FULL outer_opt.

%type selitems {struct ast_vec}
selitems(A) ::= selitems(A) COMMA selitem(X). { ast_vec_push(&ctx->b, &A, &X, sizeof X); }
selitems(A) ::= selitem(X). {
    A = (struct ast_vec){0};
    ast_vec_push(&ctx->b, &A, &X, sizeof X);
}

%type selitem {struct ast_select_item}
selitem(A) ::= STAR(S). {
    A.expr = ast_expr_star(&ctx->b, NULL, &S);
    A.alias = ast_name_none();
}
selitem(A) ::= nm(Q) DOT STAR(S). {
    A.expr = ast_expr_star(&ctx->b, &Q, &S);
    A.alias = ast_name_none();
}
selitem(A) ::= expr(E) alias_opt(N). {
    A.expr = E;
    A.alias = N;
}

%type alias_opt {struct ast_name}
alias_opt(A) ::= . { A = ast_name_none(); }
alias_opt(A) ::= alias(A).

%type alias {struct ast_name}
alias(A) ::= AS nm(N). { A = N; }
alias(A) ::= nm(A).

%type where_opt {struct ast_expr *}
where_opt(A) ::= . { A = NULL; }
where_opt(A) ::= WHERE expr(E). { A = E; }

%type having_opt {struct ast_having}
having_opt(A) ::= . { A.expr = NULL; }
having_opt(A) ::= HAVING(K) expr(E). {
    A.expr = E;
    A.keyword = K;
}

%type orderby_opt {struct ast_clause}
orderby_opt(A) ::= . { A = (struct ast_clause){0}; }
orderby_opt(A) ::= ORDER(K) BY orderitems(L). {
    A.items = L;
    A.expr = NULL;
    A.keyword = ast_name_ident(&ctx->b, &K);
}
%type orderitems {struct ast_vec}
orderitems(A) ::= orderitems(A) COMMA orderitem(X). { ast_vec_push(&ctx->b, &A, &X, sizeof X); }
orderitems(A) ::= orderitem(X). {
    A = (struct ast_vec){0};
    ast_vec_push(&ctx->b, &A, &X, sizeof X);
}
%type orderitem {struct ast_order_item}
orderitem(A) ::= expr(E). { A.expr = E; A.desc = false; }
orderitem(A) ::= expr(E) ASC. { A.expr = E; A.desc = false; }
orderitem(A) ::= expr(E) DESC. { A.expr = E; A.desc = true; }

%type limit_opt {struct ast_clause}
limit_opt(A) ::= . { A = (struct ast_clause){0}; }
limit_opt(A) ::= LIMIT(K) expr(E). {
    A.items = (struct ast_vec){0};
    A.expr = E;
    A.keyword = ast_name_ident(&ctx->b, &K);
}

/* ---- expressions --------------------------------------------------------- */

%type expr {struct ast_expr *}
%type exprlist {struct ast_expr_list *}
%type literal {struct ast_expr *}
%type number {struct ast_expr *}

exprlist(A) ::= exprlist(A) COMMA expr(E). { A = ast_expr_list_append(&ctx->b, A, E); }
exprlist(A) ::= expr(E). { A = ast_expr_list_append(&ctx->b, NULL, E); }

number(A) ::= INTEGER(X). { A = ast_expr_literal(&ctx->b, &X); }
number(A) ::= FLOAT(X). { A = ast_expr_literal(&ctx->b, &X); }

literal(A) ::= number(A).
literal(A) ::= STRING(X). { A = ast_expr_literal(&ctx->b, &X); }
literal(A) ::= NULL(X). { A = ast_expr_keyword(&ctx->b, AST_NULL, 0, &X); }
literal(A) ::= TRUE(X). { A = ast_expr_keyword(&ctx->b, AST_BOOL, 1, &X); }
literal(A) ::= FALSE(X). { A = ast_expr_keyword(&ctx->b, AST_BOOL, 0, &X); }

expr(A) ::= literal(A).
expr(A) ::= TIMESTAMP STRING(X). { A = ast_expr_timestamp(&ctx->b, &X); }
expr(A) ::= INTERVAL STRING(X) interval_unit(U). { A = ast_expr_interval(&ctx->b, &X, U); }
/* TIMESTAMP is a keyword only before a string: elsewhere it is still a column's name. */
expr(A) ::= TIMESTAMP(X). {
    struct ast_name n = ast_name_ident(&ctx->b, &X);
    A = ast_expr_column(&ctx->b, NULL, &n);
}
expr(A) ::= LP expr(E) RP. { A = E; }
expr(A) ::= nm(N). { A = ast_expr_column(&ctx->b, NULL, &N); }
expr(A) ::= nm(Q) DOT nm(N). { A = ast_expr_column(&ctx->b, &Q, &N); }

expr(A) ::= nm(F) LP RP. { A = ast_expr_call(&ctx->b, &F, NULL, false, false); }
expr(A) ::= nm(F) LP STAR RP. { A = ast_expr_call(&ctx->b, &F, NULL, true, false); }
expr(A) ::= nm(F) LP exprlist(L) RP. { A = ast_expr_call(&ctx->b, &F, L, false, false); }
expr(A) ::= nm(F) LP DISTINCT exprlist(L) RP. { A = ast_expr_call(&ctx->b, &F, L, false, true); }
/* An aggregate's FILTER (WHERE cond): the calls above, then the clause (the binder refuses it on
 * a scalar function). */
expr(A) ::= nm(F) LP STAR RP FILTER LP WHERE expr(W) RP. {
    A = ast_expr_call_filter(ast_expr_call(&ctx->b, &F, NULL, true, false), W);
}
expr(A) ::= nm(F) LP exprlist(L) RP FILTER LP WHERE expr(W) RP. {
    A = ast_expr_call_filter(ast_expr_call(&ctx->b, &F, L, false, false), W);
}
expr(A) ::= nm(F) LP DISTINCT exprlist(L) RP FILTER LP WHERE expr(W) RP. {
    A = ast_expr_call_filter(ast_expr_call(&ctx->b, &F, L, false, true), W);
}

/* Top-N (issue 16): ROW_NUMBER() | RANK() | DENSE_RANK() OVER ([PARTITION BY exprs] ORDER BY
 * items). Any name parses; the binder takes the three ranking functions, as a select item of a
 * derived table, and says what to write for the rest. */
expr(A) ::= nm(F) LP RP OVER(K) LP over_partition(P) over_order(O) RP. {
    A = ast_expr_call_over(&ctx->b, ast_expr_call(&ctx->b, &F, NULL, false, false), &K, P, &O);
}
%type over_partition {struct ast_expr_list *}
over_partition(A) ::= . { A = NULL; }
over_partition(A) ::= PARTITION BY exprlist(L). { A = L; }
/* Optional here so that the binder can say why a ranking needs it. */
%type over_order {struct ast_vec}
over_order(A) ::= . { A = (struct ast_vec){0}; }
over_order(A) ::= ORDER BY orderitems(L). { A = L; }

expr(A) ::= MINUS(O) expr(E). [UMINUS] { A = ast_expr_unary(&ctx->b, AST_OP_NEG, &O, E); }
expr(A) ::= PLUS(O) expr(E). [UMINUS] { A = ast_expr_unary(&ctx->b, AST_OP_PLUS, &O, E); }
expr(A) ::= BITNOT(O) expr(E). { A = ast_expr_unary(&ctx->b, AST_OP_BITNOT, &O, E); }
expr(A) ::= NOT(O) expr(E). { A = ast_expr_unary(&ctx->b, AST_OP_NOT, &O, E); }

expr(A) ::= expr(L) OR(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_OR, &O, L, R); }
expr(A) ::= expr(L) AND(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_AND, &O, L, R); }
expr(A) ::= expr(L) EQ(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_EQ, &O, L, R); }
expr(A) ::= expr(L) NE(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_NE, &O, L, R); }
expr(A) ::= expr(L) LT(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_LT, &O, L, R); }
expr(A) ::= expr(L) LE(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_LE, &O, L, R); }
expr(A) ::= expr(L) GT(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_GT, &O, L, R); }
expr(A) ::= expr(L) GE(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_GE, &O, L, R); }
expr(A) ::= expr(L) PLUS(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_ADD, &O, L, R); }
expr(A) ::= expr(L) MINUS(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_SUB, &O, L, R); }
expr(A) ::= expr(L) STAR(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_MUL, &O, L, R); }
expr(A) ::= expr(L) SLASH(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_DIV, &O, L, R); }
expr(A) ::= expr(L) REM(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_MOD, &O, L, R); }
expr(A) ::= expr(L) BITAND(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_BITAND, &O, L, R); }
expr(A) ::= expr(L) BITOR(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_BITOR, &O, L, R); }
expr(A) ::= expr(L) LSHIFT(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_LSHIFT, &O, L, R); }
expr(A) ::= expr(L) RSHIFT(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_RSHIFT, &O, L, R); }
/* x ->> path is json_extract(x, path), and x -> path the JSON text of that element, as
 * SQLite 3.38+ binds them: at the level of ||. */
expr(A) ::= expr(L) PTR2(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_PTR2, &O, L, R); }
expr(A) ::= expr(L) PTR(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_PTR, &O, L, R); }
expr(A) ::= expr(L) CONCAT(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_CONCAT, &O, L, R); }

/* x ISNULL, x NOTNULL and x NOT NULL are SQLite's spellings of IS [NOT] NULL. */
expr(A) ::= expr(L) ISNULL(O). { A = ast_expr_unary(&ctx->b, AST_OP_ISNULL, &O, L); }
expr(A) ::= expr(L) NOTNULL(O). { A = ast_expr_unary(&ctx->b, AST_OP_NOTNULL, &O, L); }
expr(A) ::= expr(L) NOT(O) NULL. { A = ast_expr_unary(&ctx->b, AST_OP_NOTNULL, &O, L); }

/* x IS NULL stays a binary IS here; the binder gives it the IS NULL kernel. */
expr(A) ::= expr(L) IS(O) expr(R). { A = ast_expr_binary(&ctx->b, AST_OP_IS, &O, L, R); }
expr(A) ::= expr(L) IS(O) NOT expr(R). [IS] { A = ast_expr_binary(&ctx->b, AST_OP_ISNOT, &O, L, R); }
expr(A) ::= expr(L) IS(O) NOT DISTINCT FROM expr(R). [IS] {
    A = ast_expr_binary(&ctx->b, AST_OP_IS, &O, L, R);
}
expr(A) ::= expr(L) IS(O) DISTINCT FROM expr(R). [IS] {
    A = ast_expr_binary(&ctx->b, AST_OP_ISNOT, &O, L, R);
}

%type in_op {struct neg_token}
in_op(A) ::= IN(T). { A.tok = T; A.negated = false; }
in_op(A) ::= NOT IN(T). { A.tok = T; A.negated = true; }
expr(A) ::= expr(L) in_op(O) LP RP. [IN] { A = ast_expr_in(&ctx->b, &O.tok, L, O.negated, NULL); }
expr(A) ::= expr(L) in_op(O) LP exprlist(R) RP. [IN] {
    A = ast_expr_in(&ctx->b, &O.tok, L, O.negated, R);
}

%type between_op {struct neg_token}
between_op(A) ::= BETWEEN(T). { A.tok = T; A.negated = false; }
between_op(A) ::= NOT BETWEEN(T). { A.tok = T; A.negated = true; }
expr(A) ::= expr(L) between_op(O) expr(X) AND expr(Y). [BETWEEN] {
    A = ast_expr_between(&ctx->b, &O.tok, L, O.negated, X, Y);
}

%type likeop {struct neg_token}
likeop(A) ::= LIKE(T). { A.tok = T; A.negated = false; }
likeop(A) ::= GLOB(T). { A.tok = T; A.negated = false; }
likeop(A) ::= NOT LIKE(T). { A.tok = T; A.negated = true; }
likeop(A) ::= NOT GLOB(T). { A.tok = T; A.negated = true; }
expr(A) ::= expr(L) likeop(O) expr(R). [LIKE] {
    A = ast_expr_like(&ctx->b, O.tok.type == TK_GLOB ? AST_OP_GLOB : AST_OP_LIKE, &O.tok, L,
                      O.negated, R, NULL);
}
expr(A) ::= expr(L) likeop(O) expr(R) ESCAPE expr(E). [LIKE] {
    A = ast_expr_like(&ctx->b, O.tok.type == TK_GLOB ? AST_OP_GLOB : AST_OP_LIKE, &O.tok, L,
                      O.negated, R, E);
}

%type case_operand {struct ast_expr *}
%type case_whens {struct ast_expr_list *}
%type case_else {struct ast_expr *}
expr(A) ::= CASE(K) case_operand(B) case_whens(W) case_else(E) END. {
    A = ast_expr_case(&ctx->b, &K, B, W, E);
}
case_operand(A) ::= . { A = NULL; }
case_operand(A) ::= expr(E). { A = E; }
case_whens(A) ::= case_whens(A) WHEN expr(C) THEN expr(R). {
    A = ast_expr_list_append(&ctx->b, ast_expr_list_append(&ctx->b, A, C), R);
}
case_whens(A) ::= WHEN expr(C) THEN expr(R). {
    A = ast_expr_list_append(&ctx->b, ast_expr_list_append(&ctx->b, NULL, C), R);
}
case_else(A) ::= . { A = NULL; }
case_else(A) ::= ELSE expr(E). { A = E; }

expr(A) ::= CAST(K) LP expr(E) AS nm(T) RP. { A = ast_expr_cast(&ctx->b, &K, E, &T); }
