/*
 * repl.h — the interactive shell's state, shared by its input loop
 * (repl.c), its dot- and backslash commands (dot_commands.c) and its tab
 * completion (complete.c).
 */
#ifndef SL_CLI_REPL_H
#define SL_CLI_REPL_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/cli.h"

struct repl {
    struct sluice *s;
    struct sluice_options opts;
    char *db_path; /* owned; .open replaces it */
    struct cli_output out;
    bool no_resume;   /* --no-resume: the saved queries are not started */
    bool tty;         /* statements are typed at a terminal: prompt, history, completion */
    bool timer;       /* .timer on: each statement's time after it */
    bool quit;        /* .quit or exit: leave after this line */
    int rc;           /* the exit code so far: 1 once a statement failed */
    FILE *output;     /* .output FILE; NULL while tables go to stdout */
    FILE *once;       /* .once FILE: the next statement's tables, then back to output */
    enum table_mode mode_before_expanded; /* where \x goes back to */
    bool headers_set; /* .headers was given: .mode leaves headers alone */
    int read_depth;   /* .read nesting, against a file that reads itself */
    const char *pending; /* the statement typed so far (complete.c reads its names) */
};

/* Reads lines from f (name and line numbers in messages) until its end or a
 * quit: statements, dot-commands, exit. */
void repl_run_file(struct repl *r, FILE *f, const char *name);
/* The command line's -c texts and FILE.sql in order, as piped input; stops after one failed (repl_inputs.c). */
void repl_run_inputs(struct repl *r, const struct repl_input *inputs, int n);
/* Runs complete statements (first_line: where they start in name) and says
 * what failed; waits on a live SELECT until Ctrl-C; .timer's line after. */
void repl_exec(struct repl *r, const char *name, unsigned first_line, const char *sql);
/* Opens r->db_path, starts the engine and resumes the saved queries, saying
 * which; false (having said why) when the database cannot open. */
bool repl_open(struct repl *r);
/* Closes the engine (NULL afterwards); the SIGINT handler no longer reaches it. */
void repl_close_engine(struct repl *r);
/* .mode: tables printed in mode from now on (headers off for csv, tsv and
 * list unless .headers was given), dot_commands.c. */
void repl_set_mode(struct repl *r, enum table_mode mode);
/* Where tables go now: the .once file, the .output file or stdout. */
FILE *repl_output(const struct repl *r);

/* Whether line is a command (".tables", "\dt") rather than SQL: a line
 * starting with '.' outside a statement, or with '\' anywhere. */
bool dot_is_command(const char *line, bool in_statement);
/* Runs one command line. */
void dot_command(struct repl *r, const char *line);
/* The i-th command's name or psql alias (".tables", "\dt"), NULL past the last. */
const char *dot_command_name(size_t i);

/* Installs tab completion of commands, keywords, functions and names. */
void complete_install(struct repl *r);

#endif
