/*
 * sqlite_bridge.h — what makes a SELECT the shell hands to SQLite compute as
 * a CREATE QUERY would: the engine's functions on the connection it runs on
 * (sqlite_functions.c), and the SELECT's text rewritten where SQLite's own
 * SQL differs — TIMESTAMP and INTERVAL literals and timestamp arithmetic
 * (sqlite_rewrite.c). docs/architecture.md says why it is done this way.
 */
#ifndef SL_SQLITE_BRIDGE_H
#define SL_SQLITE_BRIDGE_H

#include <stdint.h>

#include "common/buf.h"
#include "common/diag.h"

struct sl_db;
struct sl_clock;
struct fn_call;

/* The helpers the rewrite calls: _sluice_ts_arith(op, left_is_ts, right_is_ts,
 * left, right) for + and - with a TIMESTAMP operand, _sluice_ts_cast(x) for
 * CAST(x AS TIMESTAMP). */
#define SQLITE_TS_ARITH "_sluice_ts_arith"
#define SQLITE_TS_CAST "_sluice_ts_cast"

/* Adds the registry's scalar functions SQLite lacks, its date functions and
 * the helpers to db's query connection; now() and 'now' read clock. *owned (sl_free it after closing db) is set even on failure. */
sl_status sqlite_functions_add(struct sl_db *db, const struct sl_clock *clock,
                               struct fn_call **owned, struct sl_error *err);

/* The SQLite text of one SELECT, and where its parts came from. */
struct sqlite_rewrite {
    struct sl_buf text;
    uint32_t source_start; /* the statement's first byte in the script */
    bool rewritten;        /* false: text is the statement as written */
    /* Where rendered text starts a node of the source: out_at[i] in text
     * renders the node at source offset src_at[i] (ascending out_at). */
    uint32_t *out_at, *src_at;
    uint32_t nmarks, capmarks;
};

/*
 * The text SQLite runs for the SELECT sql[start..end): as written, unless it
 * holds what SQLite reads otherwise (TIMESTAMP '...', INTERVAL '...', + and
 * - with a TIMESTAMP, CAST AS TIMESTAMP or BOOLEAN), then rendered from
 * Sluice's parse with those in SQLite's terms. The FROM table's declared
 * column types (db NULL: none) type its columns as a stream's would be.
 * SL_ERROR after an error in diags (an invalid literal); text that Sluice
 * does not parse is SQLite's to judge and passes as written.
 */
sl_status sqlite_rewrite_select(struct sl_db *db, const char *sql, uint32_t start, uint32_t end,
                                struct sl_diags *diags, struct sqlite_rewrite *out);
/* The byte of the script that byte offset of out->text comes from. */
uint32_t sqlite_rewrite_source(const struct sqlite_rewrite *r, uint32_t offset);
void sqlite_rewrite_free(struct sqlite_rewrite *r);

#endif
