/*
 * run.c — scripts run to their end, with no prompt: `sluice run` and
 * `sluice check`; and the syntax check of the shell's -c and FILE.sql before
 * the shell creates a missing database.
 */
#include "cli/run.h"

#include "cli/progress.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A SIGTERM or SIGINT can come before the engine exists: a supervisor (or a
 * script) that stops `sluice run` right after starting it, while the
 * database is still being opened. It used to be dropped then (no engine to
 * tell), and the run went on for ever; stop_signalled keeps it for
 * cmd_run to pass on once the engine is there. volatile: the handler's
 * stores and cmd_run's are not reordered around each other. */
static struct sluice *volatile running_engine;
static volatile sig_atomic_t stop_signalled;

static void on_stop_signal(int sig)
{
    (void)sig;
    stop_signalled = 1;
    struct sluice *s = running_engine;
    if (s)
        sluice_stop(s);
}

void run_catch_signals(bool sigint)
{
    struct sigaction sa = {.sa_handler = on_stop_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    if (sigint)
        sigaction(SIGINT, &sa, NULL);
}

/* Reads a whole file ("-" is stdin) into a NUL-terminated string. */
static char *read_file(const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "sluice: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *text = malloc(cap);
    size_t n;
    while (text && (n = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            char *grown = realloc(text, cap * 2);
            if (!grown) {
                free(text);
                text = NULL;
                break;
            }
            text = grown;
            cap *= 2;
        }
    }
    if (f != stdin)
        fclose(f);
    if (text) {
        text[len] = '\0';
        cli_skip_bom(text);
    }
    return text;
}

/* The inputs' texts, read once (stdin cannot be read twice); NULL if one cannot be read. */
static char **read_inputs(const struct repl_options *o)
{
    char **texts = calloc((size_t)o->ninputs + 1, sizeof *texts);
    for (int i = 0; texts && i < o->ninputs; i++) {
        const struct repl_input *in = &o->inputs[i];
        texts[i] = in->sql ? strdup(in->sql) : read_file(in->path);
        if (!texts[i]) {
            while (i-- > 0)
                free(texts[i]);
            free(texts);
            return NULL;
        }
    }
    return texts;
}

static void free_inputs(const struct repl_options *o, char **texts)
{
    for (int i = 0; texts && i < o->ninputs; i++)
        free(texts[i]);
    free(texts);
}

/* The name messages give an input: its path, or "-c" for the text of a -c. */
static const char *input_name(const struct repl_input *in)
{
    return in->sql ? "-c" : in->path;
}

/* Runs (or only checks) each input's statements in order; 0 or 1. */
static int exec_inputs(struct sluice *s, const struct repl_options *o, char **texts,
                       bool check_only, struct cli_output *out)
{
    for (int i = 0; i < o->ninputs; i++) {
        const char *name = input_name(&o->inputs[i]);
        char *errors;
        sluice_status st = check_only ? sluice_check(s, name, texts[i], &errors)
                                      : sluice_exec(s, name, texts[i], &out->out, &errors);
        cli_print_errors(errors);
        if (st != SLUICE_OK)
            return 1;
    }
    return 0;
}

/* Syntax only, before the database exists: a script that cannot parse must not create it. */
static bool inputs_parse(const struct repl_options *o, char **texts)
{
    bool ok = true;
    for (int i = 0; i < o->ninputs; i++) {
        char *errors;
        if (sluice_parse(input_name(&o->inputs[i]), texts[i], &errors) != SLUICE_OK)
            ok = false;
        cli_print_errors(errors);
    }
    return ok;
}

/* Whether a line of text starts with '.' or '\\': a shell command, not SQL. */
static bool has_command_line(const char *text)
{
    for (const char *line = text; line; line = strchr(line, '\n')) {
        line += *line == '\n';
        line += strspn(line, " \t");
        if (*line == '.' || *line == '\\')
            return true;
    }
    return false;
}

bool run_shell_inputs_parse(const struct repl_options *o)
{
    bool ok = true;
    for (int i = 0; i < o->ninputs; i++) {
        const struct repl_input *in = &o->inputs[i];
        /* stdin cannot be read twice; an unreadable file is the shell's to report. */
        if (in->path && (strcmp(in->path, "-") == 0 || access(in->path, R_OK) != 0))
            continue;
        char *text = in->sql ? strdup(in->sql) : read_file(in->path);
        char *errors = NULL;
        if (text && !has_command_line(text) &&
            sluice_parse(input_name(in), text, &errors) != SLUICE_OK)
            ok = false;
        cli_print_errors(errors);
        free(text);
    }
    return ok;
}

/* sluice run without a script: the database's saved queries, each from its checkpoint; 0 or 1. */
static int resume_saved(struct sluice *s, const char *db_path, struct cli_output *out)
{
    char *errors;
    uint32_t saved;
    sluice_status st = sluice_resume(s, &out->out, &saved, &errors);
    cli_print_errors(errors);
    if (st == SLUICE_OK && saved == 0) {
        fprintf(stderr, "sluice: database '%s' holds no queries\nhint: sluice run --db %s FILE.sql "
                        "runs a script's statements\n", db_path, db_path);
        return 1;
    }
    return st == SLUICE_OK ? 0 : 1;
}

static int run_engine(const struct repl_options *o, char **texts, bool progress)
{
    struct sluice_options opts = cli_options(o->db_path);
    opts.readonly = o->readonly;
    struct run_progress report;
    if (progress)
        run_progress_attach(&report, stderr, &opts);
    struct sluice *s;
    if (cli_open(&opts, &s) != SLUICE_OK) {
        if (progress)
            run_progress_fini(&report);
        return 1;
    }
    struct cli_output out;
    cli_output_init(&out);
    running_engine = s;
    /* Set before running_engine: the handler did not see the engine. */
    if (stop_signalled)
        sluice_stop(s);
    int rc = o->ninputs ? exec_inputs(s, o, texts, false, &out)
                        : resume_saved(s, o->db_path, &out);
    /* A saved query that cannot resume does not keep the others from running. */
    if (rc == 0 || (!o->ninputs && sluice_running_queries(s) > 0)) {
        char *errors;
        if (sluice_run(s, &errors) != SLUICE_OK)
            rc = 1;
        cli_print_errors(errors);
    }
    running_engine = NULL;
    sluice_close(s);
    cli_output_fini(&out);
    if (progress) {
        run_progress_summary(&report);
        run_progress_fini(&report);
    }
    return rc;
}

int cmd_run(const struct repl_options *o, bool progress)
{
    bool db_exists = access(o->db_path, F_OK) == 0;
    /* Without a script, the database must exist: an empty one would be made. */
    if (!o->ninputs && !db_exists) {
        fprintf(stderr, "sluice: database '%s' does not exist\n", o->db_path);
        return 1;
    }
    char **texts = read_inputs(o);
    if (!texts)
        return 1;
    int rc = !db_exists && !inputs_parse(o, texts) ? 1 : run_engine(o, texts, progress);
    free_inputs(o, texts);
    return rc;
}

int cmd_check(const struct repl_options *o, bool with_db)
{
    if (with_db && access(o->db_path, F_OK) != 0) {
        fprintf(stderr, "sluice: database '%s' does not exist\n", o->db_path);
        return 1;
    }
    char **texts = read_inputs(o);
    if (!texts)
        return 1;
    struct sluice_options opts = cli_options(with_db ? o->db_path : NULL);
    opts.readonly = true;
    struct sluice *s;
    int rc = 1;
    if (cli_open(&opts, &s) == SLUICE_OK) {
        rc = exec_inputs(s, o, texts, true, NULL);
        sluice_close(s);
    }
    free_inputs(o, texts);
    return rc;
}
