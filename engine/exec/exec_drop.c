/*
 * exec_drop.c — DROP STREAM and DROP QUERY. A stream is not dropped while
 * anything reads it: a query (running, or only saved in the database), a
 * CREATE STREAM AS stream or a sink would fail at its next start with
 * "unknown stream". DROP STREAM ... CASCADE drops them too, each reader
 * before what it reads, and says so. A query is not dropped while a sink
 * sends its rows, or while it writes a CREATE STREAM AS stream.
 */
#include "engine/exec/exec.h"
#include "engine/exec/exec_readers.h"

#include "common/alloc.h"
#include "storage/stream_log.h"

#include <stdio.h>
#include <strings.h>

static void notice(const struct exec_ctx *x, const char *what, const char *name,
                   const char *rest)
{
    if (!x->out || !x->out->notice)
        return;
    char text[512];
    snprintf(text, sizeof text, "%s %s dropped%s", what, name, rest);
    x->out->notice(x->out->ctx, text);
}

static sl_status runtime_error(struct exec_ctx *x, const struct ast_stmt *stmt,
                               const struct sl_error *err)
{
    diags_add(x->diags, stmt->pos, 1, NULL, "%s", err->msg);
    return SL_ERROR;
}

/* Refuses the drop of name while readers (of kind, or any when kind < 0) read it. */
static sl_status refuse_if_read(struct exec_ctx *x, const struct ast_stmt *stmt,
                                const struct readers *r, int kind)
{
    const struct ast_name *name = &stmt->u.named.name;
    struct sl_buf who, hint;
    buf_init(&who);
    buf_init(&hint);
    uint32_t n = readers_list(r, name->text, kind, &who);
    if (n) {
        const struct reader *live = readers_find(r, name->text, READER_LIVE);
        const struct reader *sink = readers_find(r, name->text, READER_SINK);
        if (stmt->kind == AST_DROP_QUERY)
            buf_printf(&hint, "DROP SINK %s first", sink->name);
        else if (live)
            buf_puts(&hint, "stop the live SELECT first");
        else
            buf_printf(&hint, "DROP STREAM %s CASCADE drops %s too; or drop %s first",
                       name->text, n > 1 ? "them" : "it", n > 1 ? "them" : "it");
        if (stmt->kind == AST_DROP_QUERY)
            diags_add(x->diags, name->pos, name->span, buf_str(&hint), "%s send%s query %s's rows",
                      buf_str(&who), n > 1 ? "" : "s", name->text);
        else
            diags_add(x->diags, name->pos, name->span, buf_str(&hint),
                      "stream \"%s\" is read by %s", name->text, buf_str(&who));
    }
    buf_free(&who);
    buf_free(&hint);
    return n ? SL_ERROR : SL_OK;
}

static sl_status drop_query(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    struct sluice *s = x->s;
    const struct ast_name *name = &stmt->u.named.name;
    struct sl_error err;
    int index = engine_find_query(s, name->text);
    char *saved;
    if (exec_saved_sql(s, DB_CATALOG_QUERY, name->text, &saved, &err) != SL_OK)
        return runtime_error(x, stmt, &err);
    bool known = (index >= 0 && !s->live[index]) || saved;
    sl_free(saved);
    if (!known) {
        if (stmt->u.named.if_exists)
            return SL_OK;
        diags_add(x->diags, name->pos, name->span, "SHOW QUERIES lists them",
                  "unknown query \"%s\"", name->text);
        return SL_ERROR;
    }
    struct readers r;
    if (readers_collect(s, &r, &err) != SL_OK)
        return runtime_error(x, stmt, &err);
    sl_status st = refuse_if_read(x, stmt, &r, READER_SINK);
    readers_free(&r);
    if (st != SL_OK)
        return st;
    const struct sl_stream_def *stream = catalog_find_stream(&s->catalog, name->text);
    if (stream && stream->derived) {
        char hint[300];
        snprintf(hint, sizeof hint, "DROP STREAM %s drops the stream and its query", name->text);
        diags_add(x->diags, name->pos, name->span, hint, "query %s writes stream %s",
                  name->text, name->text);
        return SL_ERROR;
    }
    if (x->check_only)
        return SL_OK;
    if (index >= 0)
        engine_remove_query(s, (uint32_t)index);
    if (exec_forget_query(s->db, name->text, false, NULL, &err) != SL_OK)
        return runtime_error(x, stmt, &err);
    engine_start_forget(s, name->text);
    char rest[300];
    snprintf(rest, sizeof rest, "; its table %s is kept", name->text);
    notice(x, "query", name->text, rest);
    return SL_OK;
}

/* The stream alone, once nothing reads it; a CREATE STREAM AS stream's query goes with it. */
static sl_status drop_stream_itself(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    struct sluice *s = x->s;
    const char *name = stmt->u.named.name.text;
    struct sl_error err;
    bool derived = catalog_find_stream(&s->catalog, name)->derived;
    int producer = derived ? engine_find_query(s, name) : -1;
    if (producer >= 0)
        engine_remove_query(s, (uint32_t)producer);
    if (s->db && derived && exec_forget_query(s->db, name, false, NULL, &err) != SL_OK)
        return runtime_error(x, stmt, &err);
    engine_start_forget(s, name);
    if (s->db && (db_catalog_delete(s->db, DB_CATALOG_STREAM, name, &err) != SL_OK ||
                  db_log_delete(s->db, name, &err) != SL_OK))
        return runtime_error(x, stmt, &err);
    catalog_drop_stream(&s->catalog, name);
    notice(x, "stream", name, derived ? ", with the query that wrote it" : "");
    return SL_OK;
}

static sl_status drop_stream(struct exec_ctx *x, const struct ast_stmt *stmt);

/* DROP ... CASCADE: what reads name, each after its own readers (depth first). */
static sl_status drop_readers(struct exec_ctx *x, const struct ast_stmt *stmt,
                              struct readers *r, const char *name)
{
    for (uint32_t i = 0; i < r->n; i++) {
        struct reader *it = &r->items[i];
        if (it->visited || strcasecmp(it->reads, name) != 0 || strcasecmp(it->name, name) == 0)
            continue;
        it->visited = true;
        sl_status st = drop_readers(x, stmt, r, it->name);
        if (st != SL_OK)
            return st;
        struct ast_stmt one = *stmt;
        one.u.named.name.text = it->name;
        one.u.named.cascade = false;
        switch (it->kind) {
        case READER_SINK:
            one.kind = AST_DROP_SINK;
            st = exec_drop_sink(x, &one);
            break;
        case READER_QUERY:
            one.kind = AST_DROP_QUERY;
            st = drop_query(x, &one);
            break;
        case READER_STREAM:
            one.kind = AST_DROP_STREAM;
            st = drop_stream(x, &one);
            break;
        case READER_LIVE: st = SL_OK; break; /* refused before anything was dropped */
        }
        if (st != SL_OK)
            return st;
    }
    return SL_OK;
}

static sl_status drop_stream(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    struct sluice *s = x->s;
    const struct ast_name *name = &stmt->u.named.name;
    if (!catalog_find_stream(&s->catalog, name->text)) {
        if (stmt->u.named.if_exists)
            return SL_OK;
        diags_add(x->diags, name->pos, name->span, "SHOW STREAMS lists them",
                  "unknown stream \"%s\"", name->text);
        return SL_ERROR;
    }
    struct readers r;
    struct sl_error err;
    if (readers_collect(s, &r, &err) != SL_OK)
        return runtime_error(x, stmt, &err);
    sl_status st = SL_OK;
    if (!stmt->u.named.cascade || readers_find(&r, name->text, READER_LIVE))
        st = refuse_if_read(x, stmt, &r, -1);
    if (st == SL_OK && !x->check_only)
        st = drop_readers(x, stmt, &r, name->text);
    readers_free(&r);
    if (st != SL_OK || x->check_only)
        return st;
    return drop_stream_itself(x, stmt);
}

sl_status exec_drop(struct exec_ctx *x, const struct ast_stmt *stmt)
{
    return stmt->kind == AST_DROP_STREAM ? drop_stream(x, stmt) : drop_query(x, stmt);
}
