/* output.c — the CLI's sluice_output: tables to stdout, notices to stderr. */
#include "cli/cli.h"

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
