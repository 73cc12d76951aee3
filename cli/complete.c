/*
 * complete.c — Tab in the shell: commands at the start of a line; after
 * FROM, JOIN, DESCRIBE and the like, the streams, queries, sinks and
 * tables; after "name.", name's columns; elsewhere keywords, functions,
 * names, and the columns of every stream or table the statement mentions
 * (what is in scope). Keywords come in the case the word was begun in.
 */
#include "cli/repl.h"

#include "cli/names.h"

#include <ctype.h>
#include <editline/readline.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct repl *shell;

/* The candidates for the word being completed, built once per Tab. */
static struct {
    char **items;
    size_t n, cap;
} matches;

static void add_match(const char *prefix, size_t prefix_len, const char *word, bool lower)
{
    for (size_t i = 0; i < matches.n; i++)
        if (strcmp(matches.items[i] + prefix_len, word) == 0)
            return;
    if (matches.n == matches.cap) {
        size_t cap = matches.cap ? 2 * matches.cap : 64;
        char **items = realloc(matches.items, cap * sizeof *items);
        if (!items)
            return;
        matches.items = items;
        matches.cap = cap;
    }
    size_t n = strlen(word);
    char *m = malloc(prefix_len + n + 1);
    if (!m)
        return;
    memcpy(m, prefix, prefix_len);
    for (size_t k = 0; k <= n; k++)
        m[prefix_len + k] = lower ? (char)tolower((unsigned char)word[k]) : word[k];
    matches.items[matches.n++] = m;
}

static void clear_matches(void)
{
    for (size_t i = 0; i < matches.n; i++)
        free(matches.items[i]);
    matches.n = 0;
}

static bool starts_with(const char *word, const char *prefix, size_t n)
{
    return strncasecmp(word, prefix, n) == 0;
}

/* The word before byte `end` of text (letters, digits, '_'), upper-cased into buf. */
static void word_before(const char *text, size_t end, char *buf, size_t cap)
{
    size_t e = end;
    while (e > 0 && isspace((unsigned char)text[e - 1]))
        e--;
    size_t b = e;
    while (b > 0 && (isalnum((unsigned char)text[b - 1]) || text[b - 1] == '_' ||
                     text[b - 1] == '\\'))
        b--;
    size_t n = e - b < cap - 1 ? e - b : cap - 1;
    for (size_t k = 0; k < n; k++)
        buf[k] = (char)toupper((unsigned char)text[b + k]);
    buf[n] = '\0';
}

/* Whether the word before the cursor asks for a stream, query, sink or table. */
static bool wants_relation(const char *word)
{
    static const char *const words[] = {"FROM", "JOIN", "DESCRIBE", "EXTENDED", "STREAM",
                                        "QUERY", "SINK", "TABLE", "INTO", "PRINT", "\\D",
                                        ".SCHEMA"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(word, words[i]) == 0)
            return true;
    return false;
}

static bool is_relation(enum sluice_name_kind kind)
{
    return kind == SLUICE_NAME_STREAM || kind == SLUICE_NAME_QUERY || kind == SLUICE_NAME_SINK ||
           kind == SLUICE_NAME_TABLE;
}

/* Whether the identifier `name` appears as a word of text (any case). */
static bool mentions(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = text; (p = strcasestr(p, name)); p++) {
        bool starts = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
        bool ends = !(isalnum((unsigned char)p[n]) || p[n] == '_');
        if (starts && ends)
            return true;
    }
    return false;
}

/* The columns of every stream or table the statement (pending lines and this one) names. */
static void add_columns_in_scope(const struct name_list *names, const char *text, size_t n)
{
    const char *pending = shell->pending ? shell->pending : "";
    for (size_t i = 0; i < names->n; i++) {
        const struct name_entry *e = &names->items[i];
        if (e->kind != SLUICE_NAME_COLUMN || !starts_with(e->name, text, n))
            continue;
        if (mentions(rl_line_buffer, e->detail) || mentions(pending, e->detail))
            add_match("", 0, e->name, false);
    }
}

static void build_matches(const char *text, int start)
{
    size_t n = strlen(text);
    bool line_start = start == 0 && !shell->pending;
    if (line_start && (text[0] == '.' || text[0] == '\\')) {
        const char *name;
        for (size_t i = 0; (name = dot_command_name(i)); i++)
            if (strncmp(name, text, n) == 0)
                add_match("", 0, name, false);
        return;
    }
    struct name_list names;
    if (!names_load(shell->s, &names))
        return;
    const char *dot = strchr(text, '.');
    if (dot) {
        /* name.col: name's columns, the qualifier kept. */
        size_t qn = (size_t)(dot - text);
        for (size_t i = 0; i < names.n; i++) {
            const struct name_entry *e = &names.items[i];
            if (e->kind == SLUICE_NAME_COLUMN && strlen(e->detail) == qn &&
                strncasecmp(e->detail, text, qn) == 0 && starts_with(e->name, dot + 1, n - qn - 1))
                add_match(text, qn + 1, e->name, false);
        }
        names_free(&names);
        return;
    }
    char before[32];
    word_before(rl_line_buffer, (size_t)start, before, sizeof before);
    if (!before[0] && start == 0 && shell->pending)
        word_before(shell->pending, strlen(shell->pending), before, sizeof before);
    if (strcmp(before, "SHOW") == 0) {
        /* What SHOW lists are words of its own, not keywords. */
        static const char *const lists[] = {"STREAMS", "QUERIES", "SINKS", "TABLES", "CONNECTORS"};
        bool lower = n > 0 && islower((unsigned char)text[0]);
        for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
            if (starts_with(lists[i], text, n))
                add_match("", 0, lists[i], lower);
        names_free(&names);
        return;
    }
    bool relations_only = wants_relation(before);
    if (!relations_only)
        add_columns_in_scope(&names, text, n);
    bool lower = n > 0 && islower((unsigned char)text[0]);
    for (size_t i = 0; i < names.n; i++) {
        const struct name_entry *e = &names.items[i];
        if (!starts_with(e->name, text, n))
            continue;
        /* Sluice's own tables only once the word starts with their '_'. */
        if (is_relation(e->kind) && (e->kind != SLUICE_NAME_TABLE || !names_is_system(e->name) ||
                                     text[0] == '_'))
            add_match("", 0, e->name, false);
        else if (!relations_only && e->kind == SLUICE_NAME_KEYWORD)
            add_match("", 0, e->name, lower);
        else if (!relations_only && e->kind == SLUICE_NAME_FUNCTION)
            add_match("", 0, e->name, false);
    }
    names_free(&names);
}

static char *next_match(const char *text, int state)
{
    static size_t next;
    (void)text;
    if (state == 0)
        next = 0;
    return next < matches.n ? strdup(matches.items[next++]) : NULL;
}

static char **attempt(const char *text, int start, int end)
{
    (void)end;
    /* .read and .open take file names: libedit's own completion of paths. */
    if (start > 0 && (strncmp(rl_line_buffer, ".read", 5) == 0 ||
                      strncmp(rl_line_buffer, ".open", 5) == 0 ||
                      strncmp(rl_line_buffer, "\\i", 2) == 0 ||
                      strncmp(rl_line_buffer, ".output", 7) == 0 ||
                      strncmp(rl_line_buffer, ".once", 5) == 0))
        return NULL;
    rl_attempted_completion_over = 1;
    clear_matches();
    build_matches(text, start);
    return matches.n ? rl_completion_matches(text, next_match) : NULL;
}

void complete_install(struct repl *r)
{
    shell = r;
    rl_attempted_completion_function = attempt;
    /* Not '.', so "bids.pr" completes as one word; not '\', so "\dt" does. */
    static char breaks[] = " \t\n\"'`@$><=;|&{(),+-*/%!";
    rl_completer_word_break_characters = breaks;
}
