/*
 * parser.c — parse_sql(): runs the lexer into the lemon parser and does the
 * error recovery SQLite's shell does by hand: after an error, skip to the
 * next ';', reset the parser and go on, so a file reports every broken
 * statement once.
 */
#include "parser/parser.h"

#include <string.h>

#include "common/alloc.h"
#include "parser/parse_ctx.h"

/* The driver's view of the token stream. */
struct feed {
    struct parse_ctx *ctx;
    void *parser;
    struct sl_lexer lx;
    bool fed;        /* tokens went into the parser since its last reset */
    bool boundary;   /* the last token fed was ';' (or none): between statements */
    uint32_t last_end;     /* byte offset just past the last non-';' token */
    struct sl_pos end_pos; /* its line and column */
};

static void feed_token(struct feed *f, const struct sl_token *tok)
{
    if (tok->type == TK_SEMI)
        f->ctx->stmt_end = f->last_end;
    f->ctx->cur = *tok;
    sl_parser_(f->parser, tok->type, *tok);
    f->ctx->prev = *tok;
    f->fed = true;
    f->boundary = tok->type == TK_SEMI;
}

static void reset(struct feed *f)
{
    f->ctx->prev = (struct sl_token){0};
    sl_parser_Finalize(f->parser);
    sl_parser_Init(f->parser, f->ctx);
    f->fed = false;
    f->boundary = true;
}

static void skip_to_semi(struct feed *f)
{
    struct sl_token t;
    int type;
    while ((type = lex_next(&f->lx, &t)) != 0 && type != TK_SEMI)
        ;
}

/* After the last token: close an unterminated statement and let the parser accept. */
static void finish(struct feed *f)
{
    struct sl_token eof = {.type = TK_SEMI, .text = f->ctx->src + f->last_end,
                           .pos = f->end_pos, .span = 1};
    if (f->fed && !f->boundary) {
        feed_token(f, &eof);
        if (f->ctx->failed)
            reset(f);
    }
    if (f->fed) {
        eof.type = 0;
        feed_token(f, &eof);
    }
}

static void run(struct feed *f)
{
    struct parse_ctx *ctx = f->ctx;
    struct sl_token tok;
    while (lex_next(&f->lx, &tok) != 0) {
        if (tok.type == TK_ILLEGAL) {
            parse_ctx_lex_error(ctx, &tok);
        } else {
            feed_token(f, &tok);
            if (tok.type != TK_SEMI) {
                f->last_end = (uint32_t)f->lx.off;
                f->end_pos = (struct sl_pos){f->lx.line, f->lx.col, (uint32_t)f->lx.off};
            }
        }
        if (ctx->failed) {
            if (tok.type != TK_SEMI)
                skip_to_semi(f);
            /* A bad token between statements leaves the parser as it was. */
            if (tok.type != TK_ILLEGAL || !f->boundary)
                reset(f);
            ctx->failed = false;
        }
    }
    finish(f);
}

sl_status parse_sql(const char *src, size_t len, struct sl_diags *diags,
                    struct sl_parse_result *out)
{
    return parse_sql_range(src, 0, len, diags, out);
}

sl_status parse_sql_range(const char *src, size_t start, size_t end, struct sl_diags *diags,
                          struct sl_parse_result *out)
{
    memset(out, 0, sizeof *out);
    out->arena = arena_create(0);
    if (!out->arena)
        return SL_NOMEM;
    struct parse_ctx ctx = {.b = {.arena = out->arena}, .diags = diags, .src = src};
    struct feed f = {.ctx = &ctx, .boundary = true};
    f.parser = sl_parser_Alloc(sl_malloc, &ctx);
    if (!f.parser)
        return SL_NOMEM;
    lex_init_at(&f.lx, src, end, start);
    f.last_end = (uint32_t)f.lx.off;
    f.end_pos = (struct sl_pos){f.lx.line, f.lx.col, (uint32_t)f.lx.off};
    uint32_t errors = diags->count;
    run(&f);
    sl_parser_Free(f.parser, sl_free);
    out->count = ctx.count;
    out->stmts = ctx.stmts;
    if (ctx.b.nomem)
        return SL_NOMEM;
    return diags->count > errors || ctx.nerrors ? SL_ERROR : SL_OK;
}

void parse_free(struct sl_parse_result *r)
{
    if (!r)
        return;
    arena_destroy(r->arena);
    memset(r, 0, sizeof *r);
}

bool parse_is_complete(const char *src, size_t len)
{
    struct sl_lexer lx;
    struct sl_token t;
    int type;
    int last = 0;
    lex_init(&lx, src, len);
    while ((type = lex_next(&lx, &t)) != 0)
        last = type;
    /* As sqlite3_complete: "SELECT 1; SELECT" waits for the second statement's end. */
    return last == TK_SEMI;
}
