/*
 * exec_attach.c — ATTACH [DATABASE] 'file' AS name and DETACH name: another
 * database file on the engine's connections for the rest of the session, as
 * in the sqlite3 shell, so lookup joins (and one-shot SELECTs) can read its
 * tables as name.table. A lookup opens the file itself (its path is in the
 * plan), so a running query keeps reading it after a DETACH.
 */
#include "engine/exec/exec.h"

#include "engine/exec/engine.h"
#include "storage/db_tables.h"

sl_status exec_attach(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    const struct ast_attach *a = &stmt->u.attach;
    /* sluice check without --db has no connection: its tables are unknown anyway. */
    if (!x->s->db)
        return SL_OK;
    struct sl_error err;
    sl_error_clear(&err);
    /* The query connection changes too: not under a one-shot SELECT of another thread. */
    pthread_mutex_lock(&x->s->select_lock);
    sl_status st = stmt->kind == AST_ATTACH ? db_attach(x->s->db, a->file.text, a->schema.text, &err)
                                            : db_detach(x->s->db, a->schema.text, &err);
    pthread_mutex_unlock(&x->s->select_lock);
    if (st == SL_OK)
        return SL_OK;
    const struct ast_name *at = stmt->kind == AST_ATTACH ? &a->file : &a->schema;
    diags_add(x->diags, at->pos, at->span,
              stmt->kind == AST_ATTACH
                  ? "the file is opened as SQLite opens it, relative to the working directory"
                  : "SHOW TABLES lists what is attached as schema.table",
              "%s", err.msg);
    return st == SL_NOMEM ? SL_NOMEM : SL_ERROR;
}
