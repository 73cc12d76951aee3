/*
 * lexer.h — the hand-written tokenizer that feeds the lemon grammar one token
 * at a time (SQLite's tokenize.c idea). Tokens point into the caller's buffer
 * (no copies) and carry their position, so errors can put a caret under them.
 * Whitespace and comments are skipped; an illegal character or an
 * unterminated string, quoted identifier or comment is a TK_ILLEGAL token.
 */
#ifndef SL_LEXER_H
#define SL_LEXER_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"
#include "parser/grammar.h"

/* Why a token is TK_ILLEGAL. */
enum lex_error {
    LEX_OK,
    LEX_BAD_CHAR,          /* a byte that starts no token */
    LEX_UNTERM_STRING,     /* 'abc without its closing quote */
    LEX_UNTERM_IDENT,      /* "abc without its closing quote */
    LEX_UNTERM_COMMENT,    /* slash-star without star-slash */
    LEX_EMPTY_IDENT,       /* "" (PostgreSQL refuses it too; SQLite takes it) */
};

struct sl_token {
    int type;           /* TK_* from grammar.h; 0 at end of input */
    const char *text;   /* into the source; quotes and escapes still there */
    uint32_t len;       /* bytes */
    struct sl_pos pos;  /* first byte: line and column (1-based, in code points) */
    uint32_t span;      /* code points of the token on its first line (at least 1) */
    enum lex_error err; /* TK_ILLEGAL only */
};

struct sl_lexer {
    const char *src;
    size_t len;
    size_t off;
    uint32_t line;
    uint32_t col;
};

void lex_init(struct sl_lexer *lx, const char *src, size_t len);
/* Starts at byte `start` of src, with lines and columns counted from src's beginning. */
void lex_init_at(struct sl_lexer *lx, const char *src, size_t len, size_t start);

/* Fills tok with the next token and returns its type (0 at end of input). */
int lex_next(struct sl_lexer *lx, struct sl_token *tok);

/* The keyword token type for text (any case), or TK_ID when it is none. */
int lex_keyword(const char *text, size_t len);

/* The i-th keyword (upper case), or NULL past the last: for the shell's completion. */
const char *lex_keyword_name(size_t i);

/* The keyword within edit distance 1 or 2 of text (for "did you mean"), or NULL. */
const char *lex_keyword_near(const char *text, size_t len);

/* The message for a TK_ILLEGAL token. */
const char *lex_error_message(enum lex_error err);

#endif
