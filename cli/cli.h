/* cli.h — what the sluice binary's files share: output callbacks and the REPL. */
#ifndef SL_CLI_H
#define SL_CLI_H

#include <signal.h>

#include "cli/table_printer.h"
#include "engine/sluice.h"

extern volatile sig_atomic_t cli_interrupted;

/* Output that prints tables to stdout and notices to stderr. */
struct cli_output {
    struct sluice_output out;
    struct table_printer *tables;
};

void cli_output_init(struct cli_output *o);
void cli_output_fini(struct cli_output *o);

/* The interactive shell; returns the process exit code. */
int repl_main(const char *db_path);

#endif
