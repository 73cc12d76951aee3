/*
 * repl.c — the interactive shell's input loop. Statements end with ';' and
 * may span lines; a line starting with '.' (outside a statement) or '\' is a
 * command (dot_commands.c), and `exit` or `quit` alone on a line leaves.
 * CREATE QUERY runs in the background while the prompt stays usable; a
 * SELECT over a stream prints its table after each batch until Ctrl-C; a
 * SELECT over a table is answered once by SQLite. When stdin is not a
 * terminal there is no prompt (like sqlite3), and at end of input the shell
 * waits for the queries it started to finish, as `sluice run -` would.
 * Statements typed at a terminal are kept whole, however many lines they
 * span, in ~/.sluice_history.
 */
#include "cli/repl.h"

#include "cli/colour.h"
#include "cli/live_view.h"
#include "cli/prompt.h"

#include <ctype.h>
#include <editline/readline.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t terminated;
/* The engine whose one-shot SELECT a Ctrl-C stops (NULL while none is open). */
static struct sluice *volatile interrupt_target;

static void on_interrupt(int sig)
{
    cli_interrupted = 1;
    if (sig == SIGTERM)
        terminated = 1;
    struct sluice *s = interrupt_target;
    if (s)
        sluice_interrupt(s);
}

void repl_close_engine(struct repl *r)
{
    interrupt_target = NULL;
    sluice_close(r->s);
    r->s = NULL;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The prompt, coloured on a terminal; \001..\002 tell libedit the escapes take no room. */
static const char *prompt_text(bool continuation)
{
    static char text[64];
    const char *word = continuation ? "   ...>" : "sluice>";
    if (!colour_enabled(stdout))
        snprintf(text, sizeof text, "%s ", word);
    else
        snprintf(text, sizeof text, "\001%s\002%s\001%s\002 ", colour_on(stdout, COLOUR_PROMPT),
                 word, colour_off(stdout));
    return text;
}

static char *next_line(FILE *f, bool tty, bool continuation)
{
    if (tty)
        return prompt_readline(prompt_text(continuation));
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, f);
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
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return false;
    return true;
}

/* `exit` or `quit` alone on a line, with or without ';', as psql and the ksqlDB CLI take them. */
static bool is_exit_word(const char *line)
{
    while (isspace((unsigned char)*line))
        line++;
    size_t n = strlen(line);
    while (n > 0 && (isspace((unsigned char)line[n - 1]) || line[n - 1] == ';'))
        n--;
    return n == 4 && (strncasecmp(line, "exit", 4) == 0 || strncasecmp(line, "quit", 4) == 0);
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

/* A statement goes into the history whole, its lines kept, so Up brings all of it back. */
static void remember(const char *statement)
{
    size_t n = strlen(statement);
    while (n > 0 && statement[n - 1] == '\n')
        n--;
    char *entry = strndup(statement, n);
    if (entry)
        add_history(entry);
    free(entry);
}

FILE *repl_output(const struct repl *r)
{
    return r->once ? r->once : r->output ? r->output : stdout;
}

static double seconds_of(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

void repl_exec(struct repl *r, const char *name, unsigned first_line, const char *sql)
{
    struct timespec t0, t1;
    struct rusage u0, u1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    getrusage(RUSAGE_SELF, &u0);
    char *errors;
    /* A Ctrl-C before this statement (during one SQLite answered) is spent. */
    cli_interrupted = 0;
    if (sluice_exec_at(r->s, name, first_line, sql, &r->out.out, &errors) != SLUICE_OK)
        r->rc = 1;
    cli_print_errors(errors);
    if (sluice_has_live(r->s))
        live_view_wait(r->s);
    FILE *out = repl_output(r);
    if (r->timer) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        getrusage(RUSAGE_SELF, &u1);
        /* sqlite3's .timer line: wall time, then the CPU time the process spent. */
        fprintf(out, "Run Time: real %.3f user %.6f sys %.6f\n",
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
                seconds_of(u1.ru_utime) - seconds_of(u0.ru_utime),
                seconds_of(u1.ru_stime) - seconds_of(u0.ru_stime));
    }
    fflush(out);
    if (r->once) {
        fclose(r->once);
        r->once = NULL;
        table_printer_set_output(r->out.tables, repl_output(r));
    }
}

void repl_run_file(struct repl *r, FILE *f, const char *name)
{
    bool tty = r->tty && f == stdin;
    char *pending = NULL;
    unsigned line_no = 0, first_line = 0;
    while (!r->quit) {
        r->pending = pending;
        char *line = next_line(f, tty, pending != NULL);
        if (terminated) {
            free(line);
            r->quit = true;
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
        if (++line_no == 1 && !tty)
            cli_skip_bom(line);
        if (dot_is_command(line, pending != NULL)) {
            if (tty)
                add_history(line);
            /* psql: a command typed inside a statement leaves the statement pending. */
            dot_command(r, line);
            free(line);
            continue;
        }
        if (!pending && is_exit_word(line)) {
            if (tty)
                add_history(line);
            free(line);
            r->quit = true;
            break;
        }
        if (pending && tty && is_exit_word(line)) {
            /* psql's answer: inside a statement the word is part of it. */
            fprintf(stderr, "(a statement is being typed: end it with ';', or Ctrl-C drops it; "
                            "then exit leaves)\n");
        }
        if (!pending && is_blank(line)) {
            free(line);
            continue;
        }
        if (!pending)
            first_line = line_no;
        pending = append_line(pending, line);
        free(line);
        if (!pending || !sluice_statement_complete(pending))
            continue;
        if (tty)
            remember(pending);
        repl_exec(r, name, first_line, pending);
        free(pending);
        pending = NULL;
    }
    r->pending = NULL;
    if (pending && !is_blank(pending)) {
        fflush(stdout);
        fprintf(stderr, "sluice: incomplete statement at end of %s (missing ';')\n",
                f == stdin ? "input" : name);
    }
    free(pending);
}

/* The database's saved queries go on in the background, each from its checkpoint. */
static void resume_saved(struct repl *r)
{
    if (r->no_resume) {
        if (r->tty)
            printf("saved queries not resumed (--no-resume); .queries lists them\n");
        return;
    }
    char *errors;
    uint32_t saved = 0;
    if (sluice_resume(r->s, &r->out.out, &saved, &errors) != SLUICE_OK)
        r->rc = 1;
    cli_print_errors(errors);
    if (saved > 0 && r->tty)
        printf("resumed %u saved quer%s from %s (.queries lists them)\n", saved,
               saved == 1 ? "y" : "ies", r->db_path);
}

bool repl_open(struct repl *r)
{
    r->opts.db_path = r->db_path;
    if (cli_open(&r->opts, &r->s) != SLUICE_OK) {
        r->s = NULL;
        return false;
    }
    char *errors;
    if (sluice_start(r->s, &errors) != SLUICE_OK) {
        fprintf(stderr, "sluice: %s", errors ? errors : "cannot start\n");
        sluice_free(errors);
        sluice_close(r->s);
        r->s = NULL;
        return false;
    }
    interrupt_target = r->s;
    resume_saved(r);
    return true;
}

int repl_main(const struct repl_options *ro)
{
    /* With -c or FILE.sql there is no prompt, and saved queries are not
     * resumed: they would keep sluice from exiting. */
    struct repl r = {.tty = isatty(STDIN_FILENO) && !ro->ninputs, .opts = cli_options(ro->db_path),
                     .no_resume = ro->no_resume || ro->ninputs};
    r.opts.stdin_is_input = true;
    r.opts.readonly = ro->readonly;
    r.db_path = strdup(ro->db_path);
    if (!r.db_path)
        return 1;
    cli_output_init(&r.out);
    /* Read from a pipe, a file or -c, tables print as sqlite3 prints them: in
     * list mode, for the programs that read them. */
    enum table_mode mode = r.tty ? TABLE_MODE_TABLE : TABLE_MODE_LIST;
    if (ro->mode)
        table_mode_parse(ro->mode, &mode);
    repl_set_mode(&r, mode);
    r.mode_before_expanded = mode;
    struct sigaction sa = {.sa_handler = on_interrupt};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    char *history = r.tty ? history_path() : NULL;
    if (r.tty) {
        if (history)
            read_history(history);
        complete_install(&r);
        printf("sluice %s — continuous SQL. Statements end with ';'. Type .help for help.\n",
               SLUICE_VERSION);
    }
    if (!repl_open(&r)) {
        cli_output_fini(&r.out);
        free(r.db_path);
        free(history);
        return 1;
    }
    if (ro->ninputs)
        repl_run_inputs(&r, ro->inputs, ro->ninputs);
    else
        repl_run_file(&r, stdin, "<stdin>");
    if (!r.tty)
        while (r.s && sluice_running_queries(r.s) > 0 && !cli_interrupted)
            sleep_ms(50);
    if (history) {
        write_history(history);
        free(history);
    }
    repl_close_engine(&r);
    if (r.once)
        fclose(r.once);
    if (r.output)
        fclose(r.output);
    cli_output_fini(&r.out);
    free(r.db_path);
    return r.rc;
}
