/*
 * lexer.c — turns SQL text into tokens for the grammar, tracking line and
 * column (in UTF-8 code points, so carets line up under non-ASCII text).
 */
#include "parser/lexer.h"

#include <string.h>

void lex_init(struct sl_lexer *lx, const char *src, size_t len)
{
    lx->src = src;
    lx->len = len;
    lx->off = 0;
    lx->line = 1;
    lx->col = 1;
}

static int peek(const struct sl_lexer *lx, size_t ahead)
{
    size_t i = lx->off + ahead;
    return i < lx->len ? (unsigned char)lx->src[i] : -1;
}

/* Moves one byte on, counting a column only at the start of a code point. */
static void advance(struct sl_lexer *lx)
{
    unsigned char c = (unsigned char)lx->src[lx->off++];
    if (c == '\n') {
        lx->line++;
        lx->col = 1;
    } else if ((c & 0xC0) != 0x80) {
        lx->col++;
    }
}

static void advance_n(struct sl_lexer *lx, size_t n)
{
    while (n-- > 0 && lx->off < lx->len)
        advance(lx);
}

void lex_init_at(struct sl_lexer *lx, const char *src, size_t len, size_t start)
{
    lex_init(lx, src, len);
    advance_n(lx, start < len ? start : len);
}

static bool is_ident_start(int c)
{
    return c >= 0x80 || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_ident_char(int c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9');
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Skips whitespace and comments; returns false on an unterminated block comment. */
static bool skip_space(struct sl_lexer *lx)
{
    for (;;) {
        int c = peek(lx, 0);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            advance(lx);
        } else if (c == '-' && peek(lx, 1) == '-') {
            while (lx->off < lx->len && peek(lx, 0) != '\n')
                advance(lx);
        } else if (c == '/' && peek(lx, 1) == '*') {
            size_t start = lx->off;
            uint32_t line = lx->line, col = lx->col;
            advance_n(lx, 2);
            while (lx->off < lx->len && !(peek(lx, 0) == '*' && peek(lx, 1) == '/'))
                advance(lx);
            if (lx->off >= lx->len) {
                lx->off = start;
                lx->line = line;
                lx->col = col;
                return false;
            }
            advance_n(lx, 2);
        } else {
            return true;
        }
    }
}

/* Scans a quoted run (string or quoted identifier) where a doubled quote escapes it. */
static bool scan_quoted(struct sl_lexer *lx, char quote)
{
    advance(lx);
    while (lx->off < lx->len) {
        if (peek(lx, 0) == quote) {
            if (peek(lx, 1) != quote) {
                advance(lx);
                return true;
            }
            advance(lx);
        }
        advance(lx);
    }
    return false;
}

/* Scans 123, 1.5, .5, 1e3, 1.5E-2; returns TK_INTEGER or TK_FLOAT. */
static int scan_number(struct sl_lexer *lx)
{
    int type = TK_INTEGER;
    while (is_digit(peek(lx, 0)))
        advance(lx);
    if (peek(lx, 0) == '.') {
        type = TK_FLOAT;
        advance(lx);
        while (is_digit(peek(lx, 0)))
            advance(lx);
    }
    int e = peek(lx, 0);
    if (e == 'e' || e == 'E') {
        int s = peek(lx, 1);
        size_t digits_at = (s == '+' || s == '-') ? 2 : 1;
        if (is_digit(peek(lx, digits_at))) {
            type = TK_FLOAT;
            advance_n(lx, digits_at);
            while (is_digit(peek(lx, 0)))
                advance(lx);
        }
    }
    /* "12abc" is not two tokens: make it one illegal token, as SQLite does. */
    if (is_ident_char(peek(lx, 0))) {
        while (is_ident_char(peek(lx, 0)))
            advance(lx);
        return TK_ILLEGAL;
    }
    return type;
}

/* Operators and punctuation; returns 0 when c starts none. */
static int scan_operator(struct sl_lexer *lx, int c)
{
    int n = peek(lx, 1);
    int type = 0;
    size_t width = 1;
    switch (c) {
    case '(': type = TK_LP; break;
    case ')': type = TK_RP; break;
    case ',': type = TK_COMMA; break;
    case ';': type = TK_SEMI; break;
    case '.': type = TK_DOT; break;
    case '+': type = TK_PLUS; break;
    case '-':
        /* SQLite's JSON operators: ->> (an SQL value) and -> (JSON text). */
        if (n == '>' && peek(lx, 2) == '>') {
            type = TK_PTR2;
            width = 3;
        } else if (n == '>') {
            type = TK_PTR;
            width = 2;
        } else {
            type = TK_MINUS;
        }
        break;
    case '*': type = TK_STAR; break;
    case '/': type = TK_SLASH; break;
    case '%': type = TK_REM; break;
    case '=': type = TK_EQ; width = n == '=' ? 2 : 1; break;
    case '|':
        type = n == '|' ? TK_CONCAT : TK_BITOR;
        width = n == '|' ? 2 : 1;
        break;
    case '&': type = TK_BITAND; break;
    case '~': type = TK_BITNOT; break;
    case '!':
        if (n == '=') {
            type = TK_NE;
            width = 2;
        }
        break;
    case '<':
        if (n == '=') {
            type = TK_LE;
            width = 2;
        } else if (n == '>') {
            type = TK_NE;
            width = 2;
        } else if (n == '<') {
            type = TK_LSHIFT;
            width = 2;
        } else {
            type = TK_LT;
        }
        break;
    case '>':
        type = n == '=' ? TK_GE : n == '>' ? TK_RSHIFT : TK_GT;
        width = n == '=' || n == '>' ? 2 : 1;
        break;
    default: break;
    }
    if (type)
        advance_n(lx, width);
    return type;
}

/* Code points of the token's first line, so a caret never runs past the line. */
static uint32_t token_span(const char *p, size_t len)
{
    uint32_t n = 0;
    for (size_t i = 0; i < len && p[i] != '\n' && p[i] != '\r'; i++)
        if (((unsigned char)p[i] & 0xC0) != 0x80)
            n++;
    return n ? n : 1;
}

int lex_next(struct sl_lexer *lx, struct sl_token *tok)
{
    memset(tok, 0, sizeof *tok);
    bool comment_ok = skip_space(lx);
    tok->text = lx->src + lx->off;
    tok->pos = (struct sl_pos){lx->line, lx->col, (uint32_t)lx->off};
    if (!comment_ok) {
        tok->type = TK_ILLEGAL;
        tok->err = LEX_UNTERM_COMMENT;
        while (lx->off < lx->len)
            advance(lx);
        tok->len = (uint32_t)(lx->len - tok->pos.offset);
        tok->span = 2;
        return tok->type;
    }
    int c = peek(lx, 0);
    if (c < 0) {
        tok->span = 1;
        return 0;
    }
    if (is_ident_start(c)) {
        while (is_ident_char(peek(lx, 0)))
            advance(lx);
        tok->type = lex_keyword(tok->text, lx->off - tok->pos.offset);
    } else if (c == '\'' || c == '"') {
        if (scan_quoted(lx, (char)c)) {
            tok->type = c == '\'' ? TK_STRING : TK_ID;
            if (c == '"' && lx->off - tok->pos.offset == 2) {
                tok->type = TK_ILLEGAL;
                tok->err = LEX_EMPTY_IDENT;
            }
        } else {
            tok->type = TK_ILLEGAL;
            tok->err = c == '\'' ? LEX_UNTERM_STRING : LEX_UNTERM_IDENT;
        }
    } else if (is_digit(c) || (c == '.' && is_digit(peek(lx, 1)))) {
        tok->type = scan_number(lx);
        if (tok->type == TK_ILLEGAL)
            tok->err = LEX_BAD_CHAR;
    } else if ((tok->type = scan_operator(lx, c)) == 0) {
        tok->type = TK_ILLEGAL;
        tok->err = LEX_BAD_CHAR;
        /* Take a whole UTF-8 sequence, so the error quotes a character, not a byte. */
        advance(lx);
        while (lx->off < lx->len && ((unsigned char)lx->src[lx->off] & 0xC0) == 0x80)
            advance(lx);
    }
    tok->len = (uint32_t)(lx->off - tok->pos.offset);
    tok->span = token_span(tok->text, tok->len);
    if (tok->err == LEX_UNTERM_STRING || tok->err == LEX_UNTERM_IDENT)
        tok->span = 1; /* point at the opening quote */
    return tok->type;
}

const char *lex_error_message(enum lex_error err)
{
    switch (err) {
    case LEX_BAD_CHAR: return "unrecognized token";
    case LEX_UNTERM_STRING: return "unterminated string literal";
    case LEX_UNTERM_IDENT: return "unterminated quoted identifier";
    case LEX_UNTERM_COMMENT: return "unterminated /* comment";
    case LEX_EMPTY_IDENT: return "a quoted name cannot be empty";
    case LEX_OK: break;
    }
    return "invalid token";
}
