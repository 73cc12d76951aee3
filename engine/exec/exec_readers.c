/*
 * exec_readers.c — who reads a stream or a query (exec_readers.h). A saved
 * definition that does not run here is parsed again to find the name it
 * reads: the FROM at the bottom of its derived tables, or a sink's FROM.
 */
#include "engine/exec/exec_readers.h"

#include "engine/exec/exec.h"

#include "common/alloc.h"
#include "engine/runtime/sink_runner.h"
#include "parser/parser.h"

#include <string.h>
#include <strings.h>

struct collecting {
    struct sluice *s;
    struct readers *r;
    bool failed;
};

static void add(struct collecting *c, enum reader_kind kind, const char *name, const char *reads,
                bool running)
{
    struct readers *r = c->r;
    if (c->failed || !name || !reads)
        return;
    for (uint32_t i = 0; i < r->n; i++)
        if (r->items[i].kind == kind && strcasecmp(r->items[i].name, name) == 0)
            return;
    if (r->n == r->cap) {
        uint32_t cap = r->cap ? r->cap * 2 : 8;
        struct reader *items = sl_realloc(r->items, cap * sizeof *items);
        if (!items) {
            c->failed = true;
            return;
        }
        r->items = items;
        r->cap = cap;
    }
    struct reader *it = &r->items[r->n];
    *it = (struct reader){.kind = kind, .name = sl_strdup(name), .reads = sl_strdup(reads),
                          .running = running};
    if (!it->name || !it->reads) {
        sl_free(it->name);
        sl_free(it->reads);
        c->failed = true;
        return;
    }
    r->n++;
}

/* A saved CREATE QUERY, CREATE STREAM AS or CREATE SINK: what it reads. */
static void add_saved(void *ctx, const char *name, const char *sql)
{
    struct collecting *c = ctx;
    struct sl_diags diags;
    diags_init(&diags, name, sql, strlen(sql));
    struct sl_parse_result parsed = {0};
    if (parse_sql(sql, strlen(sql), &diags, &parsed) == SL_OK && parsed.count == 1) {
        const struct ast_stmt *st = parsed.stmts[0];
        bool running = engine_find_query(c->s, name) >= 0, paused = false;
        struct sl_error err;
        if (!running && exec_query_paused(c->s, name, &paused, &err) != SL_OK)
            paused = false;
        if (st->kind == AST_CREATE_QUERY || st->kind == AST_CREATE_STREAM_AS) {
            const struct ast_select *sel = st->u.create_query.select;
            while (sel->from_select)
                sel = sel->from_select;
            add(c, st->kind == AST_CREATE_QUERY ? READER_QUERY : READER_STREAM, name,
                sel->from.text, running);
            if (paused && c->r->n && strcasecmp(c->r->items[c->r->n - 1].name, name) == 0)
                c->r->items[c->r->n - 1].paused = true;
        } else if (st->kind == AST_CREATE_SINK) {
            add(c, READER_SINK, name, st->u.create_sink.from.text, false);
        }
    }
    parse_free(&parsed);
    diags_free(&diags);
}

sl_status readers_collect(struct sluice *s, struct readers *out, struct sl_error *err)
{
    *out = (struct readers){0};
    struct collecting c = {s, out, false};
    for (uint32_t i = 0; i < s->nqueries; i++) {
        const struct sl_query *q = s->queries[i];
        const struct sl_stream_def *written = catalog_find_stream(&s->catalog, q->name);
        enum reader_kind kind = s->live[i]                   ? READER_LIVE
                                : written && written->derived ? READER_STREAM
                                                              : READER_QUERY;
        add(&c, kind, q->name, q->plan->stream->name, true);
    }
    for (uint32_t i = 0; i < s->nsinks; i++) {
        const struct sl_sink_def *def = sink_runner_def(s->sinks[i]);
        add(&c, READER_SINK, def->name, def->from, true);
    }
    sl_status st = SL_OK;
    if (s->db) {
        st = db_catalog_list(s->db, DB_CATALOG_QUERY, add_saved, &c, err);
        if (st == SL_OK)
            st = db_catalog_list(s->db, DB_CATALOG_SINK, add_saved, &c, err);
    }
    if (st == SL_OK && c.failed)
        st = sl_error_set(err, SL_NOMEM, "out of memory listing what reads what");
    if (st != SL_OK)
        readers_free(out);
    return st;
}

void readers_free(struct readers *r)
{
    for (uint32_t i = 0; i < r->n; i++) {
        sl_free(r->items[i].name);
        sl_free(r->items[i].reads);
    }
    sl_free(r->items);
    *r = (struct readers){0};
}

static bool reads(const struct reader *it, const char *name)
{
    /* A CREATE STREAM AS stream's own query has its name: it writes the stream. */
    return strcasecmp(it->reads, name) == 0 && strcasecmp(it->name, name) != 0;
}

uint32_t readers_list(const struct readers *r, const char *name, int only_kind,
                      struct sl_buf *out)
{
    uint32_t total = 0, shown = 0;
    for (uint32_t i = 0; i < r->n; i++)
        total += reads(&r->items[i], name) && (only_kind < 0 || (int)r->items[i].kind == only_kind);
    for (uint32_t i = 0; i < r->n; i++) {
        const struct reader *it = &r->items[i];
        if (!reads(it, name) || (only_kind >= 0 && (int)it->kind != only_kind))
            continue;
        shown++;
        buf_puts(out, shown == 1 ? "" : shown == total ? " and " : ", ");
        switch (it->kind) {
        case READER_QUERY:
            buf_printf(out, "query %s%s", it->name,
                       it->running  ? ""
                       : it->paused ? " (paused)"
                                    : " (saved, not running)");
            break;
        case READER_STREAM:
            buf_printf(out, "stream %s (CREATE STREAM AS)", it->name);
            break;
        case READER_SINK: buf_printf(out, "sink %s", it->name); break;
        case READER_LIVE: buf_puts(out, "a live SELECT"); break;
        }
    }
    return total;
}

const struct reader *readers_find(const struct readers *r, const char *name,
                                  enum reader_kind kind)
{
    for (uint32_t i = 0; i < r->n; i++)
        if (r->items[i].kind == kind && reads(&r->items[i], name))
            return &r->items[i];
    return NULL;
}
