/*
 * exec.h — what the statement executors share (exec.c: CREATE, DROP and
 * SELECT, and the dispatch of one statement; exec_show.c: SHOW and DESCRIBE;
 * exec_explain.c: EXPLAIN; exec_set.c: SET; exec_script.c runs a script
 * through them): the statement's context and the answer-as-a-table helper.
 */
#ifndef SL_EXEC_H
#define SL_EXEC_H

#include "common/diag.h"
#include "engine/exec/engine.h"
#include "parser/ast.h"

struct exec_ctx {
    struct sluice *s;
    const struct sluice_output *out;
    struct sl_diags *diags;
    bool check_only; /* after an error, or `sluice check`: bind but do not run */
};

/* One row of an answer table (header or data) through out->row; NULL values are SQL NULL. */
void exec_answer_row(const struct exec_ctx *x, bool is_header, int ncols,
                     const char *const *values);
/* Ends an answer table (out->table_end, no title). */
void exec_answer_end(const struct exec_ctx *x);

/* A stream's source and format as CREATE STREAM writes them: FILE 'x', CSV (header = true, ...). */
void exec_source_text(const struct sl_stream_def *def, struct sl_buf *out);
void exec_format_text(const struct sl_stream_def *def, struct sl_buf *out);
/* A catalogued query (not a live SELECT) by name, or NULL. */
const struct sl_query *exec_find_named_query(const struct sluice *s, const char *name);

/* Executes one parsed statement (exec_script.c runs a script's statements through it). */
sl_status exec_stmt(struct exec_ctx *x, const struct ast_stmt *stmt);
sl_status exec_show(struct exec_ctx *x, const struct ast_stmt *stmt);
sl_status exec_describe(struct exec_ctx *x, const struct ast_stmt *stmt);
sl_status exec_explain(struct exec_ctx *x, const struct ast_stmt *stmt);
sl_status exec_set(struct exec_ctx *x, const struct ast_stmt *stmt);
/* CREATE SINK, DROP SINK, DESCRIBE SINK and SHOW SINKS (exec_sink.c). */
sl_status exec_create_sink(struct exec_ctx *x, const struct ast_stmt *stmt);
sl_status exec_drop_sink(struct exec_ctx *x, const struct ast_stmt *stmt);
sl_status exec_describe_sink(struct exec_ctx *x, const struct ast_stmt *stmt);
void exec_show_sinks(const struct exec_ctx *x);

#endif
