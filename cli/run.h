/* run.h — scripts run to their end: `sluice run`, `sluice check`; the shell's -c and FILE.sql checked first. */
#ifndef SL_CLI_RUN_H
#define SL_CLI_RUN_H

#include "cli/cli.h"

/* SIGTERM (and with sigint, SIGINT) stops a run gracefully: batches committed, exit 0. */
void run_catch_signals(bool sigint);

/*
 * Runs o's inputs in order, then drives the queries they started until every
 * source has ended (or a stop signal); without inputs, resumes the database's
 * saved queries instead. progress: a line per batch per query on stderr and
 * a summary at the end. Returns the exit code: 0, or 1 if anything failed.
 */
int cmd_run(const struct repl_options *o, bool progress);

/* The shell's -c and FILE.sql before it creates a missing database: false
 * (errors printed) on a syntax error. Inputs holding dot-commands, and stdin,
 * are left to the shell. */
bool run_shell_inputs_parse(const struct repl_options *o);

/* Parses and binds o's inputs only; with_db: over o->db_path's saved streams. 0 or 1. */
int cmd_check(const struct repl_options *o, bool with_db);

#endif
