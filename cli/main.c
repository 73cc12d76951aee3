/*
 * main.c — the sluice command line: `run` executes query files until their
 * sources end, `check` parses and binds only, no command starts the REPL.
 * Exit codes: 0 success, 1 a statement or query failed, 2 usage.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SLUICE_VERSION
#define SLUICE_VERSION "dev"
#endif

static const char USAGE[] =
    "usage: sluice [--db FILE] [--no-resume] [--readonly] [-c SQL]... [FILE.sql]...\n"
    "                                           the shell (default database ./sluice.db);\n"
    "                                           with -c or files: run them, then exit\n"
    "       sluice run [--db FILE] FILE.sql...  run the statements until every source has ended\n"
    "       sluice run [--db FILE]              resume the queries saved in the database\n"
    "       sluice check FILE.sql...            parse and bind only\n"
    "       sluice nexmark --events N [--kind bid|auction|person] [--format csv|json]\n"
    "                      [--rate R] [--seed S]  Nexmark events to stdout (a NEXMARK stream's)\n"
    "       sluice --help | --version\n";

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
    if (text)
        text[len] = '\0';
    return text;
}

/* Runs (or only checks) each file's statements in order; 0 or 1. */
static int exec_files(struct sluice *s, char **files, int nfiles, bool check_only,
                      struct cli_output *out)
{
    for (int i = 0; i < nfiles; i++) {
        char *text = read_file(files[i]);
        if (!text)
            return 1;
        char *errors;
        sluice_status st = check_only ? sluice_check(s, files[i], text, &errors)
                                      : sluice_exec(s, files[i], text, &out->out, &errors);
        cli_print_errors(errors);
        free(text);
        if (st != SLUICE_OK)
            return 1;
    }
    return 0;
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

static int cmd_run(const char *db_path, char **files, int nfiles)
{
    /* Without a script, the database must exist: an empty one would be made. */
    if (!nfiles && access(db_path, F_OK) != 0) {
        fprintf(stderr, "sluice: database '%s' does not exist\n", db_path);
        return 1;
    }
    struct sluice_options opts = cli_options(db_path);
    struct sluice *s;
    if (cli_open(&opts, &s) != SLUICE_OK)
        return 1;
    struct cli_output out;
    cli_output_init(&out);
    running_engine = s;
    /* Set before running_engine: the handler did not see the engine. */
    if (stop_signalled)
        sluice_stop(s);
    int rc = nfiles ? exec_files(s, files, nfiles, false, &out) : resume_saved(s, db_path, &out);
    /* A saved query that cannot resume does not keep the others from running. */
    if (rc == 0 || (!nfiles && sluice_running_queries(s) > 0)) {
        char *errors;
        if (sluice_run(s, &errors) != SLUICE_OK)
            rc = 1;
        cli_print_errors(errors);
    }
    running_engine = NULL;
    sluice_close(s);
    cli_output_fini(&out);
    return rc;
}

static int cmd_check(char **files, int nfiles)
{
    struct sluice_options opts = cli_options(NULL);
    struct sluice *s;
    if (cli_open(&opts, &s) != SLUICE_OK)
        return 1;
    int rc = exec_files(s, files, nfiles, true, NULL);
    sluice_close(s);
    return rc;
}

/* What the command line asked for, before anything is opened. */
struct cli_args {
    const char *command; /* NULL (the shell), "run" or "check" */
    struct repl_options shell;
    struct repl_input *inputs; /* -c and FILE.sql in order (the shell's) */
    char **files;              /* run's and check's FILE.sql */
    int nfiles;
    bool progress;
    bool help;
};

static bool is_subcommand(const char *a)
{
    return strcmp(a, "run") == 0 || strcmp(a, "check") == 0;
}

/* A mistyped command (`sluice frobnicate`) is a usage error, not a missing script. */
static bool looks_like_script(const char *a)
{
    size_t n = strlen(a);
    return strcmp(a, "-") == 0 || (n > 4 && strcmp(a + n - 4, ".sql") == 0) ||
           strchr(a, '/') != NULL || access(a, F_OK) == 0;
}

/* Fills args from argv; false (usage already printed) on a mistake. */
static bool parse_args(int argc, char **argv, struct cli_args *args)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            args->help = true;
        } else if (strcmp(a, "--db") == 0 && next) {
            args->shell.db_path = argv[++i];
        } else if (strncmp(a, "--db=", 5) == 0) {
            args->shell.db_path = a + 5;
        } else if ((strcmp(a, "-c") == 0 || strcmp(a, "--command") == 0) && next) {
            args->inputs[args->shell.ninputs++] = (struct repl_input){.sql = argv[++i]};
        } else if (strcmp(a, "--no-resume") == 0) {
            args->shell.no_resume = true;
        } else if (strcmp(a, "--readonly") == 0) {
            args->shell.readonly = true;
        } else if (strcmp(a, "--progress") == 0) {
            args->progress = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            bool valued = !strcmp(a, "--db") || !strcmp(a, "-c") || !strcmp(a, "--command");
            fprintf(stderr, "sluice: %s %s\n%s", a, valued ? "needs a value" : "is not an option",
                    USAGE);
            return false;
        } else if (!args->command && !args->shell.ninputs && is_subcommand(a)) {
            args->command = a;
        } else if (args->command) {
            args->files[args->nfiles++] = argv[i];
        } else if (looks_like_script(a)) {
            args->inputs[args->shell.ninputs++] = (struct repl_input){.path = a};
        } else {
            fprintf(stderr, "sluice: %s is neither a command (run, check, nexmark) nor a file\n%s",
                    a, USAGE);
            return false;
        }
    }
    args->shell.inputs = args->inputs;
    return true;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "nexmark") == 0)
        return nexmark_main(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("sluice %s\n", SLUICE_VERSION);
        return 0;
    }
    struct cli_args args = {
        .shell = {.db_path = "sluice.db"},
        .inputs = calloc((size_t)argc + 1, sizeof *args.inputs),
        .files = calloc((size_t)argc + 1, sizeof *args.files),
    };
    int rc = 2;
    if (!args.inputs || !args.files) {
        rc = 1;
    } else if (!parse_args(argc, argv, &args)) {
        rc = 2;
    } else if (args.help) {
        fputs(USAGE, stdout);
        rc = 0;
    } else {
        struct sigaction sa = {.sa_handler = on_stop_signal};
        sigemptyset(&sa.sa_mask);
        sigaction(SIGTERM, &sa, NULL);
        signal(SIGPIPE, SIG_IGN);
        if (!args.command) {
            rc = repl_main(&args.shell);
        } else if (strcmp(args.command, "run") == 0) {
            sigaction(SIGINT, &sa, NULL);
            rc = cmd_run(args.shell.db_path, args.files, args.nfiles);
        } else if (args.nfiles > 0) {
            rc = cmd_check(args.files, args.nfiles);
        } else {
            fprintf(stderr, "sluice: which files? give at least one FILE.sql\n%s", USAGE);
        }
    }
    free(args.inputs);
    free(args.files);
    return rc;
}
