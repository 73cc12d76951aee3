/*
 * exec_script.c — running a script: every statement is parsed first (a
 * syntax error anywhere runs nothing), then executed in order; a SELECT
 * that reads no stream is handed to SQLite whole, and runs without the
 * engine's lock (runs_apart).
 */
#include "engine/exec/exec.h"

#include "common/alloc.h"
#include "engine/exec/sqlite_bridge.h"
#include "parser/lexer.h"
#include "parser/parser.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* One statement of a script: parsed by us, or a SELECT handed to SQLite whole. */
struct script_stmt {
    const struct sl_stmt_outline *outline;
    bool to_sqlite;
    struct sl_parse_result parsed;
};

static bool declared_earlier(const struct script_stmt *stmts, uint32_t upto, const char *name)
{
    for (uint32_t i = 0; i < upto; i++)
        for (uint32_t k = 0; k < stmts[i].parsed.count; k++) {
            const struct ast_stmt *st = stmts[i].parsed.stmts[k];
            if (st->kind == AST_CREATE_STREAM && strcasecmp(st->u.create_stream.name.text, name) == 0)
                return true;
        }
    return false;
}

bool exec_outline_is_sqlites(const struct sl_stmt_outline *o)
{
    return o->is_select && (o->from[0] == '\0' || db_name_is_sqlites(o->from));
}

/* True when a name token of statement i names a stream (known, or declared
 * earlier in the script): a WITH, VALUES or FROM-less SELECT whose subqueries
 * read a stream is Sluice's to run or to refuse, not SQLite's to call an
 * unknown table. */
static bool names_a_stream(struct sluice *s, const struct script_stmt *stmts, uint32_t i,
                           const char *sql)
{
    const struct sl_stmt_outline *o = stmts[i].outline;
    struct sl_lexer lx;
    struct sl_token t;
    lex_init_at(&lx, sql, o->end, o->start);
    while (lex_next(&lx, &t) != 0) {
        if (t.type != TK_ID)
            continue;
        char name[128];
        bool quoted = t.len >= 2 && t.text[0] == '"';
        size_t n = quoted ? t.len - 2 : t.len;
        if (n >= sizeof name)
            continue;
        memcpy(name, t.text + (quoted ? 1 : 0), n);
        name[n] = '\0';
        if (catalog_find_stream(&s->catalog, name) || declared_earlier(stmts, i, name))
            return true;
    }
    return false;
}

/* A SELECT that reads no stream is SQLite's: over a table or view, over
 * SQLite's own tables (sqlite_master, pragma_table_info(...)), over nothing
 * (which `sluice check` without a database judges too). */
static bool is_sqlite_select(struct sluice *s, const struct script_stmt *stmts, uint32_t i,
                             const char *sql)
{
    const struct sl_stmt_outline *o = stmts[i].outline;
    if (!o->is_select)
        return false;
    if (exec_outline_is_sqlites(o))
        return o->from[0] != '\0' || !names_a_stream(s, stmts, i, sql);
    if (!s->db)
        return false;
    if (catalog_find_stream(&s->catalog, o->from) || declared_earlier(stmts, i, o->from))
        return false;
    return db_table_exists(s->db, o->from);
}

/* Line and column (in code points, as the lexer counts) of byte offset in sql. */
static struct sl_pos pos_at(const char *sql, uint32_t offset)
{
    struct sl_pos pos = {.line = 1, .col = 1, .offset = offset};
    for (uint32_t i = 0; i < offset && sql[i]; i++) {
        if (sql[i] == '\n') {
            pos.line++;
            pos.col = 1;
        } else if (((unsigned char)sql[i] & 0xC0) != 0x80) {
            pos.col++;
        }
    }
    return pos;
}

/* An in-memory database for `sluice check` without one, so SQLite judges a
 * SELECT over nothing as it would in `run` (opened at the first such SELECT). */
struct scratch_db {
    struct sl_db *db;
    struct fn_call *fns;
    bool tried;
};

/* The database SQLite's SELECTs run on: the engine's, else the scratch one
 * (NULL when it cannot open: then only the rewrite judges them). */
static struct sl_db *sqlite_db(struct sluice *s, struct scratch_db *scratch)
{
    if (s->db || scratch->tried)
        return s->db ? s->db : scratch->db;
    scratch->tried = true;
    struct sl_error err;
    if (db_open(":memory:", &s->log, &scratch->db, &err) == SL_OK &&
        sqlite_functions_add(scratch->db, &s->clock, &scratch->fns, &err) != SL_OK) {
        db_close(scratch->db);
        scratch->db = NULL;
    }
    if (scratch->db)
        db_set_query_cancel(scratch->db, engine_select_cancelled, s);
    return scratch->db;
}

/*
 * Whether a one-shot SELECT on db runs apart: without the engine's lock, so
 * the batch loop commits batches while SQLite answers, for as long as that
 * takes. Its connection is its own (db_query_apart) and read-only, so the
 * lock guards nothing it touches: it reads the snapshot its read
 * transaction began on whatever the batches write, and a result table
 * dropped meanwhile is still there in that snapshot. Not while a live
 * SELECT of the engine prints: its rows and the answer would interleave.
 */
static bool runs_apart(const struct sluice *s, struct sl_db *db)
{
    if (db != s->db || !db_query_apart(db))
        return false;
    for (uint32_t i = 0; i < s->nqueries; i++)
        if (s->live[i])
            return false;
    return true;
}

/*
 * Runs (or with check_only, prepares) a SELECT over tables with SQLite, in
 * SQLite's terms (sqlite_rewrite.c); SQLite's error gets the caret at the
 * place in the script it is about.
 */
static sl_status run_sqlite_select(struct exec_ctx *x, struct sl_db *db, const char *sql,
                                   const struct sl_stmt_outline *o)
{
    struct sqlite_rewrite rw;
    sl_status st = sqlite_rewrite_select(x->s, db, sql, o->start, o->end, x->diags, &rw);
    if (st != SL_OK || !db) {
        sqlite_rewrite_free(&rw);
        return st;
    }
    struct sl_error err;
    sl_error_clear(&err);
    int error_offset = -1;
    const char *text = buf_str(&rw.text);
    if (x->check_only)
        st = db_query_check(db, text, &error_offset, &err);
    else {
        bool apart = runs_apart(x->s, db);
        if (apart) {
            /* The lock first: select_lock is never held waiting for it (engine.h). */
            pthread_mutex_unlock(&x->s->lock);
            pthread_mutex_lock(&x->s->select_lock);
        }
        st = db_query_user(db, text, x->out ? x->out->row : NULL,
                           x->out ? x->out->ctx : NULL, &error_offset, &err);
        if (apart) {
            pthread_mutex_unlock(&x->s->select_lock);
            pthread_mutex_lock(&x->s->lock);
        }
        if (st == SL_ERROR && engine_select_cancelled(x->s)) {
            error_offset = -1;
            snprintf(err.msg, sizeof err.msg,
                     "the SELECT was interrupted (Ctrl-C or a stop signal) before its end");
        }
    }
    if (st == SL_OK && !x->check_only && x->out && x->out->table_end)
        x->out->table_end(x->out->ctx, NULL);
    if (st == SL_ERROR) {
        struct sl_pos pos = error_offset >= 0
                                ? pos_at(sql, sqlite_rewrite_source(&rw, (uint32_t)error_offset))
                                : o->pos;
        diags_add(x->diags, pos, 1, rw.literal_hint, "%s", err.msg);
    }
    sqlite_rewrite_free(&rw);
    return st;
}

/*
 * Parses every statement first, so a syntax error anywhere runs nothing;
 * then executes them in order. After a failed statement the rest are still
 * bound, to report their errors too, but not run.
 */
static sl_status exec_text(struct sluice *s, const char *file, uint32_t first_line,
                           const char *sql, const struct sluice_output *out,
                           struct sl_buf *errors, bool check_only)
{
    struct sl_diags diags;
    size_t len = strlen(sql);
    diags_init(&diags, file, sql, len);
    diags.first_line = first_line;
    struct sl_stmt_outline *outline = NULL;
    uint32_t n = 0;
    struct script_stmt *stmts = NULL;
    sl_status st = parse_outline(sql, len, &outline, &n);
    if (st == SL_OK && !(stmts = sl_calloc(n + 1, sizeof *stmts)))
        st = SL_NOMEM;
    /* A sluice_interrupt from here on stops this text's one-shot SELECTs, even one that
     * comes while the lock is awaited or an earlier statement runs: a Ctrl-C is not lost. */
    if (!check_only)
        s->select_interrupted = 0;
    pthread_mutex_lock(&s->lock);
    for (uint32_t i = 0; st != SL_NOMEM && i < n; i++) {
        stmts[i].outline = &outline[i];
        stmts[i].to_sqlite = is_sqlite_select(s, stmts, i, sql);
        if (stmts[i].to_sqlite)
            continue;
        sl_status ps = parse_sql_range(sql, outline[i].start, outline[i].end, &diags, &stmts[i].parsed);
        if (ps != SL_OK)
            st = ps;
    }
    struct exec_ctx x = {.s = s, .out = out, .diags = &diags, .check_only = check_only || st != SL_OK};
    struct scratch_db scratch = {0};
    for (uint32_t i = 0; st != SL_NOMEM && i < n; i++) {
        sl_status one = SL_OK;
        if (stmts[i].to_sqlite)
            one = run_sqlite_select(&x, sqlite_db(s, &scratch), sql, &outline[i]);
        for (uint32_t k = 0; one == SL_OK && k < stmts[i].parsed.count; k++)
            one = exec_stmt(&x, stmts[i].parsed.stmts[k]);
        if (one != SL_OK) {
            x.check_only = true;
            st = one == SL_NOMEM ? SL_NOMEM : SL_ERROR;
        }
    }
    pthread_mutex_unlock(&s->lock);
    db_close(scratch.db);
    sl_free(scratch.fns);
    if (diags.count && errors)
        diags_render(&diags, errors);
    if (st == SL_NOMEM && errors)
        buf_puts(errors, "out of memory\n");
    diags_free(&diags);
    for (uint32_t i = 0; stmts && i < n; i++)
        parse_free(&stmts[i].parsed);
    sl_free(stmts);
    sl_free(outline);
    return st == SL_OK ? SL_OK : SL_ERROR;
}

sl_status engine_exec(struct sluice *s, const char *file, const char *sql,
                      const struct sluice_output *out, struct sl_buf *errors)
{
    return exec_text(s, file, 1, sql, out, errors, false);
}

sl_status engine_exec_at(struct sluice *s, const char *file, uint32_t first_line, const char *sql,
                         const struct sluice_output *out, struct sl_buf *errors)
{
    return exec_text(s, file, first_line ? first_line : 1, sql, out, errors, false);
}

bool sluice_statement_complete(const char *text)
{
    return parse_is_complete(text, strlen(text));
}

sl_status engine_check(struct sluice *s, const char *file, const char *sql, struct sl_buf *errors)
{
    return exec_text(s, file, 1, sql, NULL, errors, true);
}
