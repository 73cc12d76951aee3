/*
 * output.c — where the CLI's engine speaks: tables to stdout; notices, log
 * lines and errors to stderr. stdout is flushed before anything goes to
 * stderr, so that `sluice <x.sql >log 2>&1` keeps statement order. A log
 * line that arrives (from the engine's thread) while the shell waits at its
 * prompt is printed by the shell's thread above the prompt (prompt.c).
 */
#include "cli/cli.h"
#include "cli/colour.h"
#include "cli/live_view.h"
#include "cli/prompt.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

volatile sig_atomic_t cli_interrupted;

/* Log lines come from the engine's threads, notices and errors from the shell's. */
static pthread_mutex_t stderr_lock = PTHREAD_MUTEX_INITIALIZER;

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
    pthread_mutex_lock(&stderr_lock);
    fflush(stdout);
    fprintf(stderr, "%s\n", text);
    pthread_mutex_unlock(&stderr_lock);
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
    bool bad = level >= SLUICE_LOG_WARN;
    char line[1024];
    snprintf(line, sizeof line, "%ssluice: %s:%s %s\n", bad ? colour_on(stderr, COLOUR_ERROR) : "",
             names[level], bad ? colour_off(stderr) : "", msg);
    /* At the prompt, the shell's own thread prints it (prompt.h). */
    if (prompt_defer(line))
        return;
    pthread_mutex_lock(&stderr_lock);
    fflush(stdout);
    fputs(line, stderr);
    live_view_forget_drawn();
    pthread_mutex_unlock(&stderr_lock);
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

/* The colour of one line of a rendered error: its "file:line:col: error:"
 * line, its caret line ("   | ^~~"), its hint; none for the quoted source. */
static const char *line_colour(const char *line, size_t len)
{
    if (len >= 6 && strncmp(line, "hint: ", 6) == 0)
        return colour_on(stderr, COLOUR_HINT);
    const char *bar = memchr(line, '|', len);
    if (bar) {
        size_t k = (size_t)(bar - line) + 1;
        while (k < len && strchr(" \t^~", line[k]))
            k++;
        bool caret = k == len && memchr(bar, '^', len - (size_t)(bar - line));
        return caret ? colour_on(stderr, COLOUR_CARET) : "";
    }
    return colour_on(stderr, COLOUR_ERROR);
}

void cli_print_errors(char *errors)
{
    if (!errors)
        return;
    pthread_mutex_lock(&stderr_lock);
    fflush(stdout);
    if (!colour_enabled(stderr)) {
        fputs(errors, stderr);
    } else {
        for (const char *line = errors; *line;) {
            const char *nl = strchr(line, '\n');
            size_t len = nl ? (size_t)(nl - line) : strlen(line);
            const char *on = line_colour(line, len);
            fprintf(stderr, "%s%.*s%s\n", on, (int)len, line, *on ? colour_off(stderr) : "");
            line += len + (nl ? 1 : 0);
        }
    }
    pthread_mutex_unlock(&stderr_lock);
    sluice_free(errors);
}
