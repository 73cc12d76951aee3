/*
 * output.c — where the CLI's engine speaks: tables to stdout; notices, log
 * lines and errors to stderr.
 */
#include "cli/cli.h"
#include "cli/live_view.h"

#include <stdio.h>

volatile sig_atomic_t cli_interrupted;

static void on_row(void *ctx, bool is_header, int ncols, const char *const *values)
{
    struct cli_output *o = ctx;
    table_printer_row(o->tables, is_header, ncols, values);
}

static void on_table_end(void *ctx, const char *title)
{
    struct cli_output *o = ctx;
    /* A title marks a live SELECT's batch. */
    if (title)
        live_view_print_batch(o->tables, title);
    else
        table_printer_flush(o->tables, title);
}

static void on_notice(void *ctx, const char *text)
{
    (void)ctx;
    fprintf(stderr, "%s\n", text);
}

void cli_output_init(struct cli_output *o)
{
    o->tables = table_printer_create(stdout, 20);
    o->out.row = on_row;
    o->out.table_end = on_table_end;
    o->out.notice = on_notice;
    o->out.ctx = o;
}

void cli_output_fini(struct cli_output *o)
{
    table_printer_destroy(o->tables);
}

static void log_to_stderr(void *ctx, enum sluice_log_level level, const char *msg)
{
    (void)ctx;
    static const char *const names[] = {"debug", "info", "warning", "error"};
    fprintf(stderr, "sluice: %s: %s\n", names[level], msg);
}

struct sluice_options cli_options(const char *db_path)
{
    return (struct sluice_options){
        .db_path = db_path, .log = log_to_stderr, .log_level = SLUICE_LOG_INFO};
}

sluice_status cli_open(const struct sluice_options *opts, struct sluice **s)
{
    char *errors;
    sluice_status st = sluice_open(opts, s, &errors);
    if (errors)
        fprintf(stderr, "sluice: %s", errors);
    sluice_free(errors);
    return st;
}

void cli_print_errors(char *errors)
{
    if (errors)
        fputs(errors, stderr);
    sluice_free(errors);
}
