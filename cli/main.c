/*
 * main.c — the sluice command line: its options, usage and help. No
 * command starts the shell (repl.c; with -c or FILE.sql it reads them as
 * piped input, waits for the queries they started, and exits); `run` executes query files until
 * their sources end and `check` parses and binds only (run.c); `nexmark`
 * writes Nexmark events (nexmark.c).
 * Exit codes: 0 success, 1 a statement, query or file failed, 2 usage.
 */
#include "cli/run.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SLUICE_VERSION
#define SLUICE_VERSION "dev"
#endif

static const char USAGE[] =
    "usage: sluice [--db FILE] [--no-resume] [--readonly] [--mode M]  the interactive shell\n"
    "       sluice [--db FILE] [--readonly] [--mode M] [-c SQL]... [FILE.sql]...\n"
    "                                          run the SQL and files, then exit\n"
    "       sluice run [--db FILE] [--progress] [-c SQL]... [FILE.sql]...\n"
    "                                          run until every source has ended\n"
    "       sluice check [--db FILE] [-c SQL]... FILE.sql...   parse and bind only\n"
    "       sluice nexmark --events N [...]    Nexmark events to stdout\n"
    "       sluice COMMAND --help | --help | --version\n";

static const char SHELL_HELP[] =
    "usage: sluice [--db FILE] [--no-resume] [--readonly] [--mode MODE] [-c SQL]...\n"
    "              [FILE.sql]...\n"
    "\n"
    "Without -c or FILE.sql, the interactive shell: statements end with ';', .help\n"
    "lists the dot-commands. With them, each -c and each file (\"-\" is stdin) is\n"
    "read as piped input (statements and dot-commands) in the order given, until\n"
    "one fails; the queries they started run until their sources end, and sluice\n"
    "exits. Saved queries are not resumed then.\n"
    "\n"
    "  --db FILE      the database (default ./sluice.db; created if missing)\n"
    "  -c, --command SQL\n"
    "                 statements or a dot-command to run, then exit (repeatable;\n"
    "                 the last ';' may be left out)\n"
    "  --no-resume    do not start the queries saved in the database\n"
    "  --readonly     open the database read-only: statements that would write\n"
    "                 (CREATE, DROP, a SELECT over a stream) are refused\n"
    "  --mode MODE    how tables print, as .mode: table, box, csv, tsv, list, json,\n"
    "                 line or markdown (default: table at a terminal, list otherwise)\n"
    "  -h, --help     this help; `sluice COMMAND --help` for a command's\n"
    "  --version      the version\n"
    "\n"
    "Commands (each with --help):\n"
    "  sluice run      run query files until every source has ended\n"
    "  sluice check    parse and bind only\n"
    "  sluice nexmark  Nexmark events to stdout\n"
    "\n"
    "Exit status: 0 success, 1 a statement, query or file failed, 2 a usage error.\n";

static const char RUN_HELP[] =
    "usage: sluice run [--db FILE] [--progress] [-c SQL]... [FILE.sql...]\n"
    "\n"
    "Runs the statements of each file (\"-\" is stdin) in order, then drives the\n"
    "queries they started until every source has ended. Without a file, resumes\n"
    "the queries saved in the database, each from its checkpoint. SIGINT or\n"
    "SIGTERM stops gracefully: the current batches are committed.\n"
    "\n"
    "  --db FILE      the database (default ./sluice.db)\n"
    "  -c SQL         statements to run, in order with the files (repeatable)\n"
    "  --progress     a line per batch per query on stderr (rows in/out, duration,\n"
    "                 watermark) and a summary per query at the end\n"
    "\n"
    "Exit status: 0 every statement and query succeeded (or a stop signal),\n"
    "1 one failed, 2 a usage error.\n";

static const char CHECK_HELP[] =
    "usage: sluice check [--db FILE] [-c SQL]... FILE.sql...\n"
    "\n"
    "Parses and binds each file's statements without running them: syntax,\n"
    "unknown streams and columns, types. Nothing is written.\n"
    "\n"
    "  --db FILE      also know the streams saved in this database (it must exist)\n"
    "\n"
    "Exit status: 0 all is well, 1 an error (printed with file:line:column),\n"
    "2 a usage error.\n";

/* What the command line asked for, before anything is opened. */
struct cli_args {
    const char *command; /* NULL (the shell), "run" or "check" */
    struct repl_options shell;
    struct repl_input *inputs; /* -c and FILE.sql in order */
    bool db_given;
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

static bool usage_error(const char *fmt, const char *what)
{
    fputs("sluice: ", stderr);
    fprintf(stderr, fmt, what);
    fprintf(stderr, "\n%s", USAGE);
    return false;
}

/* Fills args from argv; false (usage already printed) on a mistake. */
static bool parse_args(int argc, char **argv, struct cli_args *args)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        bool valued = !strcmp(a, "--db") || !strcmp(a, "-c") || !strcmp(a, "--command") ||
                      !strcmp(a, "--mode");
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            args->help = true;
        } else if (valued && !next) {
            return usage_error("%s needs a value", a);
        } else if (strcmp(a, "--db") == 0) {
            args->shell.db_path = argv[++i];
            args->db_given = true;
        } else if (strncmp(a, "--db=", 5) == 0) {
            args->shell.db_path = a + 5;
            args->db_given = true;
        } else if (strcmp(a, "--mode") == 0) {
            enum table_mode mode;
            if (!table_mode_parse(next, &mode))
                return usage_error("--mode %s: the modes are table, box, csv, tsv, list, json, "
                                   "line and markdown", next);
            args->shell.mode = argv[++i];
        } else if (valued) {
            args->inputs[args->shell.ninputs++] = (struct repl_input){.sql = argv[++i]};
        } else if (strcmp(a, "--no-resume") == 0) {
            args->shell.no_resume = true;
        } else if (strcmp(a, "--readonly") == 0) {
            args->shell.readonly = true;
        } else if (strcmp(a, "--progress") == 0) {
            args->progress = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("%s is not an option", a);
        } else if (!args->command && !args->shell.ninputs && is_subcommand(a)) {
            args->command = a;
        } else if (args->command || looks_like_script(a)) {
            args->inputs[args->shell.ninputs++] = (struct repl_input){.path = a};
        } else {
            return usage_error("%s is neither a command (run, check, nexmark) nor a file", a);
        }
    }
    args->shell.inputs = args->inputs;
    return true;
}

/* Options that mean nothing to the command asked for are refused, not ignored. */
static bool options_fit(const struct cli_args *args)
{
    if (args->progress && (!args->command || strcmp(args->command, "run") != 0))
        return usage_error("%s is an option of sluice run", "--progress");
    if (args->command && args->shell.no_resume)
        return usage_error("%s is an option of the shell", "--no-resume");
    if (args->command && args->shell.readonly)
        return usage_error("%s is an option of the shell", "--readonly");
    if (args->command && args->shell.mode)
        return usage_error("%s is an option of the shell", "--mode");
    if (!args->command && args->shell.no_resume && args->shell.ninputs)
        return usage_error("%s: -c and FILE.sql never resume saved queries", "--no-resume");
    if (args->command && strcmp(args->command, "check") == 0 && !args->shell.ninputs)
        return usage_error("%s: which files? give at least one FILE.sql", "check");
    return true;
}

static int print_help(const char *command)
{
    fputs(!command ? SHELL_HELP : strcmp(command, "run") == 0 ? RUN_HELP : CHECK_HELP, stdout);
    return 0;
}

int main(int argc, char **argv)
{
    /* libedit reads typed UTF-8 (Zürich, 日本) only in the terminal's character set. */
    setlocale(LC_CTYPE, "");
    if (argc > 1 && strcmp(argv[1], "nexmark") == 0)
        return nexmark_main(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("sluice %s\n", SLUICE_VERSION);
        return 0;
    }
    struct cli_args args = {
        .shell = {.db_path = "sluice.db"},
        .inputs = calloc((size_t)argc + 1, sizeof *args.inputs),
    };
    if (!args.inputs)
        return 1;
    int rc;
    if (!parse_args(argc, argv, &args)) {
        rc = 2;
    } else if (args.help) {
        rc = print_help(args.command);
    } else if (!options_fit(&args)) {
        rc = 2;
    } else {
        signal(SIGPIPE, SIG_IGN);
        /* A file past its size limit (ulimit -f) makes write() fail with EFBIG,
         * which SQLite reports as a full disk, instead of killing the process. */
        signal(SIGXFSZ, SIG_IGN);
        /* The shell catches SIGINT itself: Ctrl-C stops a live SELECT, not the shell. */
        run_catch_signals(args.command != NULL);
        if (!args.command)
            rc = args.shell.ninputs && access(args.shell.db_path, F_OK) != 0 &&
                         !run_shell_inputs_parse(&args.shell)
                     ? 1
                     : repl_main(&args.shell);
        else if (strcmp(args.command, "run") == 0)
            rc = cmd_run(&args.shell, args.progress);
        else
            rc = cmd_check(&args.shell, args.db_given);
    }
    free(args.inputs);
    return rc;
}
