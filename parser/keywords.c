/*
 * keywords.c — the keyword table: case-insensitive lookup for the lexer and
 * the nearest keyword for "did you mean" hints on syntax errors.
 */
#include "parser/lexer.h"

#include <stdbool.h>
#include <string.h>

struct keyword {
    const char *name;
    int type;
};

static const struct keyword keywords[] = {
    {"AND", TK_AND},           {"AS", TK_AS},
    {"BY", TK_BY},             {"CREATE", TK_CREATE},
    {"DISTINCT", TK_DISTINCT}, {"DROP", TK_DROP},
    {"EVERY", TK_EVERY},       {"FALSE", TK_FALSE},
    {"FORMAT", TK_FORMAT},
    {"FROM", TK_FROM},         {"GROUP", TK_GROUP},
    {"MILLISECOND", TK_MILLISECOND}, {"MILLISECONDS", TK_MILLISECONDS},
    {"NOT", TK_NOT},           {"NULL", TK_NULL},
    {"OR", TK_OR},             {"QUERY", TK_QUERY},
    {"SECOND", TK_SECOND},     {"SECONDS", TK_SECONDS},
    {"SELECT", TK_SELECT},     {"STREAM", TK_STREAM},
    {"TOPIC", TK_TOPIC},       {"LISTEN", TK_LISTEN},
    {"PATH", TK_PATH},
    {"TRIGGER", TK_TRIGGER},   {"TRUE", TK_TRUE},
    {"UNNEST", TK_UNNEST},     {"WHERE", TK_WHERE},
    {"BETWEEN", TK_BETWEEN},   {"CASE", TK_CASE},
    {"CAST", TK_CAST},         {"ELSE", TK_ELSE},
    {"END", TK_END},           {"ESCAPE", TK_ESCAPE},
    {"GLOB", TK_GLOB},         {"IN", TK_IN},
    {"IS", TK_IS},             {"ISNULL", TK_ISNULL},
    {"LIKE", TK_LIKE},         {"NOTNULL", TK_NOTNULL},
    {"THEN", TK_THEN},         {"WHEN", TK_WHEN},
    {"SHOW", TK_SHOW},         {"DESCRIBE", TK_DESCRIBE},
    {"EXPLAIN", TK_EXPLAIN},   {"IF", TK_IF},
    {"EXISTS", TK_EXISTS},     {"REPLACE", TK_REPLACE},
    {"HAVING", TK_HAVING},     {"CROSS", TK_CROSS},
    {"JOIN", TK_JOIN},
    {"TIMESTAMP", TK_TIMESTAMP}, {"INTERVAL", TK_INTERVAL},
    {"MINUTE", TK_MINUTE},     {"MINUTES", TK_MINUTES},
    {"HOUR", TK_HOUR},         {"HOURS", TK_HOURS},
    {"DAY", TK_DAY},           {"DAYS", TK_DAYS},
    {"ORDER", TK_ORDER},       {"LIMIT", TK_LIMIT},
    {"ASC", TK_ASC},           {"DESC", TK_DESC},
    {"SET", TK_SET},
    {"WATERMARK", TK_WATERMARK}, {"FOR", TK_FOR},
    {"WINDOW", TK_WINDOW},     {"TUMBLING", TK_TUMBLING},
    {"HOPPING", TK_HOPPING},   {"SESSION", TK_SESSION},
    {"SIZE", TK_SIZE},         {"ADVANCE", TK_ADVANCE},
    {"GAP", TK_GAP},           {"GRACE", TK_GRACE},
    {"PERIOD", TK_PERIOD},     {"EMIT", TK_EMIT},
    {"CHANGES", TK_CHANGES},   {"FINAL", TK_FINAL},
    {"WITH", TK_WITH},         {"FILTER", TK_FILTER},
    {"SINK", TK_SINK},         {"INTO", TK_INTO},
    {"TABLE", TK_TABLE},       {"INDEX", TK_INDEX},
    {"KEY", TK_KEY},
    /* catalog (issue 15) */
    {"CASCADE", TK_CASCADE},   {"EXTENDED", TK_EXTENDED},
    /* PAUSE QUERY, RESUME QUERY, PRINT stream (the query lifecycle) */
    {"PAUSE", TK_PAUSE},       {"RESUME", TK_RESUME},
    {"PRINT", TK_PRINT},
    /* joins (issue 16) */
    {"ON", TK_ON},             {"LEFT", TK_LEFT},
    {"RIGHT", TK_RIGHT},       {"INNER", TK_INNER},
    {"OUTER", TK_OUTER},       {"FULL", TK_FULL},
    {"NATURAL", TK_NATURAL},   {"USING", TK_USING},
    {"ATTACH", TK_ATTACH},     {"DETACH", TK_DETACH},
    {"DATABASE", TK_DATABASE},
    /* Top-N (issue 16): ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...) */
    {"OVER", TK_OVER},         {"PARTITION", TK_PARTITION},
};

#define NKEYWORDS (sizeof keywords / sizeof keywords[0])

static int upper(int c)
{
    return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

static bool same_word(const char *kw, const char *text, size_t len)
{
    size_t i = 0;
    for (; i < len; i++)
        if (kw[i] == '\0' || kw[i] != upper((unsigned char)text[i]))
            return false;
    return kw[i] == '\0';
}

const char *lex_keyword_name(size_t i)
{
    return i < NKEYWORDS ? keywords[i].name : NULL;
}

int lex_keyword(const char *text, size_t len)
{
    for (size_t i = 0; i < NKEYWORDS; i++)
        if (same_word(keywords[i].name, text, len))
            return keywords[i].type;
    return TK_ID;
}

/* Edit distance with adjacent transpositions (FORM -> FROM is 1), capped at max + 1. */
static size_t edit_distance(const char *a, size_t na, const char *b, size_t nb, size_t max)
{
    enum { W = 16 };
    if (na >= W || nb >= W)
        return max + 1;
    size_t d[W][W];
    for (size_t i = 0; i <= na; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= nb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= na; i++) {
        for (size_t j = 1; j <= nb; j++) {
            size_t cost = upper((unsigned char)a[i - 1]) == b[j - 1] ? 0 : 1;
            size_t v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && upper((unsigned char)a[i - 1]) == b[j - 2] &&
                upper((unsigned char)a[i - 2]) == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[na][nb];
}

const char *lex_keyword_near(const char *text, size_t len)
{
    if (len < 3)
        return NULL;
    size_t max = len <= 4 ? 1 : 2;
    const char *best = NULL;
    size_t best_d = max + 1;
    for (size_t i = 0; i < NKEYWORDS; i++) {
        const char *kw = keywords[i].name;
        size_t d = edit_distance(text, len, kw, strlen(kw), max);
        /* Two edits turn "lines" into LIKE: a short keyword must be closer to be meant. */
        if (d > 0 && d < best_d && d <= (strlen(kw) - 1) / 2) {
            best = kw;
            best_d = d;
        }
    }
    return best;
}
