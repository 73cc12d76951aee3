/*
 * dot_commands.c — the shell's commands: sqlite3's dot-commands (.tables,
 * .schema, .mode, .read, ...) and psql's backslash forms of the common ones
 * (\dt, \d, \x, \timing, \i, \q). Each is a line of its own; arguments are
 * words, quoted with ' or " when they hold spaces.
 */
#include "cli/repl.h"

#include "cli/names.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { MAX_ARGS = 8 };

struct dot_command {
    const char *name;  /* ".tables" */
    const char *alias; /* psql's "\dt", or NULL */
    const char *args;
    const char *help;
    void (*run)(struct repl *r, int argc, char **argv);
};

static const struct dot_command *find_command(const char *word);

/* Splits line into words (quotes removed) in place; returns how many. */
static int split_words(char *line, char **argv)
{
    int argc = 0;
    char *p = line;
    while (argc < MAX_ARGS) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        char quote = *p == '\'' || *p == '"' ? *p++ : '\0';
        argv[argc++] = p;
        char *w = p;
        while (*p && (quote ? *p != quote : !isspace((unsigned char)*p)))
            *w++ = *p++;
        if (*p)
            p++;
        *w = '\0';
    }
    return argc;
}

static void say_usage(const struct dot_command *c)
{
    fflush(stdout);
    fprintf(stderr, "usage: %s%s%s\n", c->name, *c->args ? " " : "", c->args);
}

/* "on"/"off" (also yes/no, true/false, 1/0, as sqlite3 takes them); false if neither. */
static bool parse_switch(const char *word, bool *on)
{
    static const char *const yes[] = {"on", "yes", "true", "1"};
    static const char *const no[] = {"off", "no", "false", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(word, yes[i]) == 0)
            return (*on = true);
        if (strcasecmp(word, no[i]) == 0)
            return !(*on = false);
    }
    return false;
}

static void run_sql(struct repl *r, const char *sql)
{
    repl_exec(r, "<command>", 1, sql);
}

static void cmd_help(struct repl *r, int argc, char **argv);

static void cmd_quit(struct repl *r, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    r->quit = true;
}

static void cmd_streams(struct repl *r, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    run_sql(r, "SHOW STREAMS;");
}

static void cmd_queries(struct repl *r, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    run_sql(r, "SHOW QUERIES;");
}

static void cmd_sinks(struct repl *r, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    run_sql(r, "SHOW SINKS;");
}

/* A SQL LIKE match (% and _, case-insensitive), as .tables PATTERN takes it. */
static bool like(const char *pattern, const char *text)
{
    for (; *pattern; pattern++, text++) {
        if (*pattern == '%') {
            for (const char *t = text;; t++) {
                if (like(pattern + 1, t))
                    return true;
                if (!*t)
                    return false;
            }
        }
        if (!*text || (*pattern != '_' && tolower((unsigned char)*pattern) !=
                                              tolower((unsigned char)*text)))
            return false;
    }
    return !*text;
}

/* A table the user made (not a query's result or late rows, not Sluice's own). */
static bool is_users_table(const struct name_entry *t)
{
    return strcmp(t->detail, "table") == 0 || strcmp(t->detail, "view") == 0;
}

/* The tables .tables lists: with a pattern every one it matches, Sluice's
 * own included; without, all but Sluice's own and live SELECTs' scratch ones. */
static bool table_listed(const struct name_entry *t, const char *pattern)
{
    if (pattern)
        return like(pattern, t->name);
    return strcmp(t->detail, "system") != 0 && strcmp(t->detail, "live") != 0;
}

/* .tables: names in columns, filled down then across, as sqlite3 prints them. */
static void cmd_tables(struct repl *r, int argc, char **argv)
{
    struct name_list tables;
    if (!names_load_tables(r->s, &tables))
        return;
    const char *pattern = argc > 1 ? argv[1] : NULL;
    size_t n = 0, width = 0;
    const char **listed = malloc((tables.n + 1) * sizeof *listed);
    for (size_t i = 0; listed && i < tables.n; i++) {
        if (!table_listed(&tables.items[i], pattern))
            continue;
        listed[n++] = tables.items[i].name;
        if (strlen(tables.items[i].name) > width)
            width = strlen(tables.items[i].name);
    }
    FILE *out = repl_output(r);
    size_t ncols = n ? 80 / (width + 2) : 1;
    if (ncols == 0)
        ncols = 1;
    size_t nrows = (n + ncols - 1) / ncols;
    for (size_t row = 0; row < nrows; row++) {
        for (size_t col = 0; col < ncols; col++) {
            size_t i = col * nrows + row;
            if (i >= n)
                break;
            bool last = col + 1 == ncols || i + nrows >= n;
            fprintf(out, "%-*s%s", last ? 0 : (int)width, listed[i], last ? "" : "  ");
        }
        fputc('\n', out);
    }
    fflush(out);
    free(listed);
    names_free(&tables);
}

/* \dt: SHOW TABLES, every table with its kind and what it holds. */
static void cmd_dt(struct repl *r, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    run_sql(r, "SHOW TABLES;");
}

static void answer_row(struct repl *r, bool header, const char *name, const char *type)
{
    const char *row[2] = {name, type};
    r->out.out.row(r->out.out.ctx, header, 2, row);
}

/* The catalog's names and the database's tables (names.h); false when either cannot be read. */
static bool load_catalog(struct repl *r, struct name_list *names, struct name_list *tables)
{
    if (!names_load(r->s, names))
        return false;
    if (!names_load_tables(r->s, tables)) {
        names_free(names);
        return false;
    }
    return true;
}

/* \d: every stream, query, sink and table of the user's with its type (a
 * query's tables are the query's); \d NAME describes one, as DESCRIBE. */
static void cmd_describe(struct repl *r, int argc, char **argv)
{
    if (argc > 1) {
        /* The name as a quoted identifier ("" for "): it is one name, never more SQL. */
        char *sql = malloc(2 * strlen(argv[1]) + sizeof "DESCRIBE \"\";");
        if (!sql)
            return;
        char *end = stpcpy(sql, "DESCRIBE \"");
        for (const char *c = argv[1]; *c; c++) {
            if (*c == '"')
                *end++ = '"';
            *end++ = *c;
        }
        strcpy(end, "\";");
        run_sql(r, sql);
        free(sql);
        return;
    }
    struct name_list names, tables;
    if (!load_catalog(r, &names, &tables))
        return;
    static const char *const kinds[] = {[SLUICE_NAME_STREAM] = "stream",
                                        [SLUICE_NAME_QUERY] = "query",
                                        [SLUICE_NAME_SINK] = "sink"};
    answer_row(r, true, "name", "type");
    for (size_t i = 0; i < names.n; i++) {
        const struct name_entry *e = &names.items[i];
        if (e->kind < sizeof kinds / sizeof kinds[0] && kinds[e->kind])
            answer_row(r, false, e->name, kinds[e->kind]);
    }
    for (size_t i = 0; i < tables.n; i++)
        if (is_users_table(&tables.items[i]))
            answer_row(r, false, tables.items[i].name, tables.items[i].detail);
    r->out.out.table_end(r->out.out.ctx, NULL);
    fflush(repl_output(r));
    names_free(&tables);
    names_free(&names);
}

/* Prints a definition, ending it with ';' as sqlite3's .schema does. */
static void print_definition(FILE *out, const char *sql)
{
    size_t n = strlen(sql);
    while (n > 0 && (isspace((unsigned char)sql[n - 1])))
        n--;
    fprintf(out, "%.*s%s\n", (int)n, sql, n > 0 && sql[n - 1] == ';' ? "" : ";");
}

/* .schema [NAME]: the statements that made the streams, queries, sinks and
 * the user's tables (a query's result table is its CREATE QUERY's). */
static void cmd_schema(struct repl *r, int argc, char **argv)
{
    struct name_list names, tables;
    if (!load_catalog(r, &names, &tables))
        return;
    const char *only = argc > 1 ? argv[1] : NULL;
    FILE *out = repl_output(r);
    bool found = false;
    for (size_t i = 0; i < names.n; i++) {
        const struct name_entry *e = &names.items[i];
        if (!e->detail || e->kind == SLUICE_NAME_COLUMN)
            continue;
        const struct name_entry *shown =
            e->kind == SLUICE_NAME_TABLE ? names_find(&tables, SLUICE_NAME_TABLE, e->name) : NULL;
        if (only ? strcasecmp(e->name, only) != 0
                 : e->kind == SLUICE_NAME_TABLE && !(shown && is_users_table(shown)))
            continue;
        print_definition(out, e->detail);
        found = true;
    }
    fflush(out);
    if (only && !found) {
        fflush(stdout);
        fprintf(stderr, "no stream, query, sink or table named %s; .tables and .streams list them\n",
                only);
    }
    names_free(&tables);
    names_free(&names);
}

/* As in sqlite3, csv, tsv and list print no header row until .headers on asks for one. */
void repl_set_mode(struct repl *r, enum table_mode mode)
{
    table_printer_set_mode(r->out.tables, mode);
    if (!r->headers_set)
        table_printer_set_headers(r->out.tables, mode != TABLE_MODE_CSV &&
                                                     mode != TABLE_MODE_TSV &&
                                                     mode != TABLE_MODE_LIST);
}

static void cmd_mode(struct repl *r, int argc, char **argv)
{
    enum table_mode mode;
    if (argc < 2) {
        printf("current output mode: %s\n", table_mode_name(table_printer_mode(r->out.tables)));
        return;
    }
    if (!table_mode_parse(argv[1], &mode)) {
        fflush(stdout);
        fprintf(stderr, "unknown mode %s; the modes are table, box, csv, tsv, list, json, line "
                        "and markdown\n",
                argv[1]);
        return;
    }
    repl_set_mode(r, mode);
}

/* \x: psql's expanded display, one "column = value" line per value (line
 * mode); alone it toggles, back to the mode it left. */
static void cmd_expanded(struct repl *r, int argc, char **argv)
{
    enum table_mode now = table_printer_mode(r->out.tables);
    bool on = now != TABLE_MODE_LINE;
    if (argc > 1 && !parse_switch(argv[1], &on)) {
        say_usage(find_command(argv[0]));
        return;
    }
    /* Only a mode it left is gone back to: \x off outside line mode changes nothing. */
    if (on && now != TABLE_MODE_LINE) {
        r->mode_before_expanded = now;
        repl_set_mode(r, TABLE_MODE_LINE);
    } else if (!on && now == TABLE_MODE_LINE) {
        repl_set_mode(r, r->mode_before_expanded);
    }
    printf("Expanded display is %s.\n", on ? "on" : "off");
}

static void cmd_headers(struct repl *r, int argc, char **argv)
{
    bool on;
    if (argc != 2 || !parse_switch(argv[1], &on)) {
        say_usage(find_command(argv[0]));
        return;
    }
    table_printer_set_headers(r->out.tables, on);
    r->headers_set = true;
}

static void cmd_timer(struct repl *r, int argc, char **argv)
{
    bool on = !r->timer; /* psql's \timing alone toggles */
    if (argc > 1 && !parse_switch(argv[1], &on)) {
        say_usage(find_command(argv[0]));
        return;
    }
    r->timer = on;
    if (argv[0][0] == '\\')
        printf("Timing is %s.\n", on ? "on" : "off");
}

static void cmd_read(struct repl *r, int argc, char **argv)
{
    if (argc != 2) {
        say_usage(find_command(argv[0]));
        return;
    }
    /* A file that reads itself would recurse until the stack runs out. */
    if (r->read_depth >= 16) {
        fprintf(stderr, "sluice: .read %s: files read each other more than 16 deep\n", argv[1]);
        r->rc = 1;
        return;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        fflush(stdout);
        fprintf(stderr, "sluice: cannot read %s: %s\n", argv[1], strerror(errno));
        r->rc = 1;
        return;
    }
    r->read_depth++;
    bool quit = r->quit;
    repl_run_file(r, f, argv[1]);
    /* A .quit inside the file ends the file, not the shell (sqlite3 does the same). */
    r->quit = quit;
    r->read_depth--;
    fclose(f);
}

/* Points *slot (.output's or .once's file) at path, closing the file it
 * held; "-", "stdout" or no path is the screen. */
static void redirect(struct repl *r, FILE **slot, const char *path)
{
    FILE *f = NULL;
    if (path && strcmp(path, "-") != 0 && strcmp(path, "stdout") != 0 && !(f = fopen(path, "w"))) {
        fflush(stdout);
        fprintf(stderr, "sluice: cannot write %s: %s\n", path, strerror(errno));
        return;
    }
    if (*slot)
        fclose(*slot);
    *slot = f;
    table_printer_set_output(r->out.tables, repl_output(r));
}

static void cmd_output(struct repl *r, int argc, char **argv)
{
    redirect(r, &r->output, argc > 1 ? argv[1] : NULL);
}

static void cmd_once(struct repl *r, int argc, char **argv)
{
    if (argc != 2)
        say_usage(find_command(argv[0]));
    else
        redirect(r, &r->once, argv[1]);
}

/* .open DB: stops this database's queries (each commits its batch) and opens
 * another, resuming its saved queries; back to the first if it cannot open. */
static void cmd_open(struct repl *r, int argc, char **argv)
{
    if (argc != 2) {
        say_usage(find_command(argv[0]));
        return;
    }
    char *path = strdup(argv[1]);
    if (!path)
        return;
    repl_close_engine(r);
    char *previous = r->db_path;
    r->db_path = path;
    if (repl_open(r)) {
        free(previous);
        return;
    }
    free(path);
    r->db_path = previous;
    fprintf(stderr, "sluice: staying on %s\n", previous);
    if (!repl_open(r)) {
        fprintf(stderr, "sluice: cannot reopen %s either; leaving\n", previous);
        r->quit = true;
        r->rc = 1;
    }
}

static const struct dot_command commands[] = {
    {".help", "\\?", "", "this list", cmd_help},
    {".tables", NULL, "[PATTERN]", "the tables (queries' results, your own); PATTERN as in LIKE, "
                                   "'_sluice%' for Sluice's own",
     cmd_tables},
    {"\\dt", NULL, "", "SHOW TABLES: every table, with its kind and what it holds", cmd_dt},
    {"\\d", NULL, "[NAME]", "every stream, query, sink and table of yours; with NAME, DESCRIBE NAME",
     cmd_describe},
    {".schema", NULL, "[NAME]", "the statements that made the streams, queries, sinks and tables",
     cmd_schema},
    {".streams", NULL, "", "SHOW STREAMS", cmd_streams},
    {".queries", NULL, "", "SHOW QUERIES: every saved query, running or not", cmd_queries},
    {".sinks", NULL, "", "SHOW SINKS", cmd_sinks},
    {".mode", NULL, "[MODE]",
     "how tables print: table, box, csv, tsv, list, json, line or markdown (alone: the mode now)",
     cmd_mode},
    {"\\x", NULL, "[on|off]", "expanded display (.mode line) on or off; alone, toggles",
     cmd_expanded},
    {".headers", NULL, "on|off", "column names over tables (csv, tsv, list) or not", cmd_headers},
    {".timer", "\\timing", "on|off", "print each statement's time after it", cmd_timer},
    {".read", "\\i", "FILE", "run the statements and commands of FILE", cmd_read},
    {".output", "\\o", "[FILE]", "send tables to FILE, or back to the screen without one",
     cmd_output},
    {".once", NULL, "FILE", "send the next statement's tables to FILE", cmd_once},
    {".open", NULL, "DB", "stop this database's queries and open DB, resuming its own",
     cmd_open},
    {".quit", "\\q", "", "leave (so do .exit, exit and quit)", cmd_quit},
    {".exit", NULL, "", "leave", cmd_quit},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const struct dot_command *find_command(const char *word)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, word) == 0 ||
            (commands[i].alias && strcmp(commands[i].alias, word) == 0))
            return &commands[i];
    return NULL;
}

static void cmd_help(struct repl *r, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    FILE *out = stdout;
    fputs("Statements end with ';' and may span lines. Examples:\n"
          "  CREATE STREAM lines (line TEXT) FROM SOCKET 'localhost:9999' FORMAT TEXT;\n"
          "  CREATE QUERY word_counts AS SELECT word, COUNT(*) AS n\n"
          "    FROM lines, UNNEST(split(line, ' ')) AS word WHERE word <> '' GROUP BY word;\n"
          "  SELECT * FROM word_counts;   -- a table: answered once by SQLite\n"
          "  SELECT ... FROM lines ...;   -- a stream: printed every batch until Ctrl-C\n"
          "  DROP QUERY word_counts;\n"
          "Commands (one a line; Tab completes them, keywords and names):\n",
          out);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        char usage[64];
        snprintf(usage, sizeof usage, "%s%s%s%s%s", commands[i].name,
                 commands[i].alias ? ", " : "", commands[i].alias ? commands[i].alias : "",
                 *commands[i].args ? " " : "", commands[i].args);
        fprintf(out, "  %-26s %s\n", usage, commands[i].help);
    }
    fputs("  exit, quit                 leave\n", out);
    (void)r;
}

const char *dot_command_name(size_t i)
{
    if (i < NCOMMANDS)
        return commands[i].name;
    i -= NCOMMANDS;
    for (size_t k = 0; k < NCOMMANDS; k++)
        if (commands[k].alias && i-- == 0)
            return commands[k].alias;
    return NULL;
}

bool dot_is_command(const char *line, bool in_statement)
{
    return line[0] == '\\' || (!in_statement && line[0] == '.');
}

void dot_command(struct repl *r, const char *line)
{
    char *copy = strdup(line);
    if (!copy)
        return;
    char *argv[MAX_ARGS];
    int argc = split_words(copy, argv);
    const struct dot_command *c = argc ? find_command(argv[0]) : NULL;
    if (c) {
        c->run(r, argc, argv);
    } else {
        fflush(stdout);
        fprintf(stderr, "unknown command %s; .help lists them\n", argc ? argv[0] : line);
    }
    free(copy);
}
