/* cli.h — what the sluice binary's files share: output callbacks and the REPL. */
#ifndef SL_CLI_H
#define SL_CLI_H

#include <signal.h>
#include <string.h>

#include "cli/table_printer.h"
#include "engine/sluice.h"

extern volatile sig_atomic_t cli_interrupted;

/* Drops the byte order mark (EF BB BF) that a script's text starts with, if any, in place:
 * editors on Windows begin a UTF-8 file with one, and sqlite3 reads past it. */
static inline void cli_skip_bom(char *text)
{
    if (strncmp(text, "\xef\xbb\xbf", 3) == 0)
        memmove(text, text + 3, strlen(text + 3) + 1);
}

/* Output that prints tables to stdout and notices to stderr. */
struct cli_output {
    struct sluice_output out;
    struct table_printer *tables;
};

void cli_output_init(struct cli_output *o);
void cli_output_fini(struct cli_output *o);

/* The options every command starts from: log lines from info up go to stderr. */
struct sluice_options cli_options(const char *db_path);
/* sluice_open, saying on stderr why it failed. */
sluice_status cli_open(const struct sluice_options *opts, struct sluice **s);
/* Prints the messages a sluice_* call handed out (if any) to stderr and frees them. */
void cli_print_errors(char *errors);

/* `sluice nexmark ...` (argv[0] is "nexmark"); returns the process exit code. */
int nexmark_main(int argc, char **argv);

/* One -c "SQL" or FILE.sql of the command line; exactly one of sql and path is set. */
struct repl_input {
    const char *sql;
    const char *path; /* "-" is stdin */
};

/* `sluice [--db F] [-c "SQL"] [--no-resume] [--readonly] [FILE.sql ...]`. */
struct repl_options {
    const char *db_path; /* never NULL: "sluice.db" unless --db */
    /* -c and FILE.sql in command-line order: with any, they run, the queries
     * they started are waited for (as `sluice run`), and the shell exits. */
    const struct repl_input *inputs;
    int ninputs;
    bool no_resume; /* the database's saved queries are not started */
    bool readonly;  /* the database is opened read-only; writes are refused */
    const char *mode; /* --mode: the .mode to start in; NULL: table at a terminal, else list */
};

/* The shell: the inputs if any, else interactive; returns the process exit code. */
int repl_main(const struct repl_options *opts);

#endif
