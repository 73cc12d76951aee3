/*
 * binder.h — resolves names against the catalog and infers types, turning
 * AST statements into stream definitions and plans. Every error is added to
 * the diagnostics with its position (binding goes on, so one run reports
 * all the errors of a statement it can find).
 */
#ifndef SL_BINDER_H
#define SL_BINDER_H

#include "common/diag.h"
#include "engine/catalog.h"
#include "engine/plan.h"
#include "parser/ast.h"

/* CREATE STREAM -> a new definition (owned by the caller). */
sl_status bind_create_stream(const struct ast_stmt *stmt, struct sl_diags *diags,
                             struct sl_stream_def **out);

/* SELECT over a stream -> a plan allocated in plan_arena. */
sl_status bind_select(const struct ast_select *select, const struct sl_catalog *catalog,
                      struct sl_arena *plan_arena, struct sl_diags *diags, struct sl_plan **out);

#endif
