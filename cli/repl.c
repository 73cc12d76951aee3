/*
 * repl.c — the interactive shell. Statements end with ';' and may span
 * lines. CREATE QUERY runs in the background while the prompt stays usable;
 * a SELECT over a stream prints its table after each batch until Ctrl-C;
 * a SELECT over a table is answered once by SQLite. When stdin is not a
 * terminal there is no prompt (like sqlite3), and at end of input the shell
 * waits for the queries it started to finish, as `sluice run -` would.
 * Lines typed at a terminal are kept in ~/.sluice_history.
 */
#include "cli/cli.h"
#include "cli/live_view.h"

#include <editline/readline.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char HELP[] =
    "Statements end with ';'. Examples:\n"
    "  CREATE STREAM lines (line TEXT) FROM SOCKET 'localhost:9999' FORMAT TEXT;\n"
    "  CREATE QUERY word_counts AS SELECT word, COUNT(*) AS n\n"
    "    FROM lines, UNNEST(split(line, ' ')) AS word WHERE word <> '' GROUP BY word;\n"
    "  SELECT * FROM word_counts;   -- a table: answered once by SQLite\n"
    "  SELECT ... FROM lines ...;   -- a stream: printed every batch until Ctrl-C\n"
    "  DROP QUERY word_counts;\n"
    "Commands: .help  .quit\n";

static volatile sig_atomic_t terminated;

static void on_interrupt(int sig)
{
    cli_interrupted = 1;
    if (sig == SIGTERM)
        terminated = 1;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static char *next_line(bool tty, const char *prompt)
{
    if (tty)
        return readline(prompt);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        return NULL;
    }
    if (n > 0 && line[n - 1] == '\n')
        line[n - 1] = '\0';
    return line;
}

/* ~/.sluice_history, as sqlite3 keeps ~/.sqlite_history; NULL without $HOME. */
static char *history_path(void)
{
    const char *home = getenv("HOME");
    if (!home || !*home)
        return NULL;
    size_t n = strlen(home) + sizeof "/.sluice_history";
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%s/.sluice_history", home);
    return path;
}

static bool is_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r')
            return false;
    return true;
}

/* Appends line to the pending statement text. */
static char *append_line(char *pending, const char *line)
{
    size_t old = pending ? strlen(pending) : 0, add = strlen(line);
    char *text = realloc(pending, old + add + 2);
    if (!text) {
        free(pending);
        return NULL;
    }
    memcpy(text + old, line, add);
    text[old + add] = '\n';
    text[old + add + 1] = '\0';
    return text;
}

/* The database's saved queries go on in the background, each from its checkpoint. */
static void resume_saved(struct sluice *s, struct cli_output *out)
{
    char *errors;
    uint32_t saved;
    sluice_resume(s, &out->out, &saved, &errors);
    cli_print_errors(errors);
}

int repl_main(const struct repl_options *ro)
{
    bool tty = isatty(STDIN_FILENO);
    struct sluice_options opts = cli_options(ro->db_path);
    opts.stdin_is_input = true;
    opts.readonly = ro->readonly;
    struct sluice *s;
    if (cli_open(&opts, &s) != SLUICE_OK)
        return 1;
    char *errors;
    if (sluice_start(s, &errors) != SLUICE_OK) {
        fprintf(stderr, "sluice: %s", errors ? errors : "cannot start\n");
        sluice_free(errors);
        sluice_close(s);
        return 1;
    }
    struct sigaction sa = {.sa_handler = on_interrupt};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    struct cli_output out;
    cli_output_init(&out);
    char *history = tty ? history_path() : NULL;
    if (history)
        read_history(history);
    if (tty)
        printf("sluice %s — continuous SQL. Statements end with ';'. Type .help for help.\n",
               SLUICE_VERSION);
    if (!ro->no_resume)
        resume_saved(s, &out);
    int rc = 0;
    char *pending = NULL;
    for (;;) {
        char *line = next_line(tty, pending ? "   ...> " : "sluice> ");
        if (terminated) {
            free(line);
            break;
        }
        if (!line && tty && cli_interrupted) {
            /* Ctrl-C at the prompt drops the statement being typed, as in sqlite3. */
            cli_interrupted = 0;
            free(pending);
            pending = NULL;
            putchar('\n');
            continue;
        }
        if (!line)
            break;
        if (!pending && line[0] == '.') {
            bool quit = strncmp(line, ".quit", 5) == 0 || strncmp(line, ".exit", 5) == 0;
            if (!quit)
                fputs(strncmp(line, ".help", 5) == 0 ? HELP : "unknown command; try .help\n", stdout);
            free(line);
            if (quit)
                break;
            continue;
        }
        if (!pending && is_blank(line)) {
            free(line);
            continue;
        }
        if (tty)
            add_history(line);
        pending = append_line(pending, line);
        free(line);
        if (!pending || !sluice_statement_complete(pending))
            continue;
        if (sluice_exec(s, "<stdin>", pending, &out.out, &errors) != SLUICE_OK)
            rc = 1;
        cli_print_errors(errors);
        free(pending);
        pending = NULL;
        if (sluice_has_live(s))
            live_view_wait(s);
    }
    if (pending && !is_blank(pending))
        fprintf(stderr, "sluice: incomplete statement at end of input (missing ';')\n");
    free(pending);
    if (!tty)
        while (sluice_running_queries(s) > 0 && !cli_interrupted)
            sleep_ms(50);
    if (history) {
        write_history(history);
        free(history);
    }
    sluice_close(s);
    cli_output_fini(&out);
    return rc;
}
