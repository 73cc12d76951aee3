/*
 * live_view.c — the shell's live SELECT (see live_view.h). Redrawing in
 * place moves the cursor up over the lines the last batch took (counting the
 * lines a long one wraps to) and clears to the end of the screen; a table
 * taller than the terminal is cut, since lines scrolled off cannot be
 * redrawn. The view's own SIGINT handler tells the engine to stop printing
 * (sluice_interrupt_live) from inside the handler, so a batch finishing while
 * the shell wakes up is not printed either.
 */
#include "cli/live_view.h"
#include "cli/cli.h"
#include "cli/text_width.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static struct sluice *interrupting;     /* the engine the handler interrupts */
static volatile sig_atomic_t stopped;   /* Ctrl-C: print nothing more */
static size_t lines_drawn;              /* screen lines the last batch took */

static void on_interrupt(int sig)
{
    stopped = 1;
    cli_interrupted = 1;
    if (interrupting)
        sluice_interrupt_live(interrupting);
    (void)sig;
}

/* The terminal's size; false when it does not say (a pty nobody sized). */
static bool terminal_size(int fd, size_t *rows, size_t *cols)
{
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0)
        return false;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return true;
}

/* Screen lines one line of text takes (a line wider than the terminal wraps). */
static size_t screen_lines(const char *line, size_t len, size_t cols)
{
    size_t width = text_width(line, len);
    return width ? (width - 1) / cols + 1 : 1;
}

static size_t text_screen_lines(const char *text, size_t cols)
{
    size_t lines = 0;
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        lines += screen_lines(line, len, cols);
        line += end ? len + 1 : len;
    }
    return lines;
}

/* Writes text, at most max_lines screen lines of it; returns the screen lines written. */
static size_t write_fitted(FILE *out, const char *text, size_t max_lines, size_t cols)
{
    size_t lines = 0;
    for (const char *line = text; *line && lines < max_lines;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
        size_t takes = screen_lines(line, end ? len - 1 : len, cols);
        if (lines + takes > max_lines) {
            fputs("(cut to the terminal's height)\n", out);
            return lines + 1;
        }
        fwrite(line, 1, len, out);
        lines += takes;
        line += len;
    }
    return lines;
}

/* The batch as text, at most shown rows of it (NULL when out of memory). */
static char *render(struct table_printer *p, const char *title, unsigned shown)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return NULL;
    FILE *out = table_printer_output(p);
    unsigned batch_rows = table_printer_batch_rows(p);
    table_printer_set_batch_rows(p, shown);
    table_printer_set_output(p, mem);
    table_printer_print(p, title);
    table_printer_set_output(p, out);
    table_printer_set_batch_rows(p, batch_rows);
    fclose(mem);
    return text;
}

/* Replaces the last batch's lines with this one's, in one write, its rows cut
 * to what the terminal has room for (one line is left for the cursor). */
static void redraw(struct table_printer *p, FILE *terminal, const char *title)
{
    size_t rows = 0, cols = SIZE_MAX;
    bool sized = terminal_size(fileno(terminal), &rows, &cols);
    size_t room = sized ? rows - 1 : SIZE_MAX;
    unsigned shown = table_printer_batch_rows(p);
    char *text = render(p, title, shown);
    size_t lines;
    while (sized && text && shown > 1 && (lines = text_screen_lines(text, cols)) > room) {
        size_t over = lines - room;
        shown = over < shown ? shown - (unsigned)over : 1;
        free(text);
        text = render(p, title, shown);
    }
    table_printer_clear(p);
    if (text && !stopped) {
        if (lines_drawn)
            fprintf(terminal, "\033[%zuA\r\033[J", lines_drawn);
        /* Multi-line values may still not fit: what does not is cut. */
        lines_drawn = write_fitted(terminal, text, room, cols);
        fflush(terminal);
    }
    free(text);
}

void live_view_print_batch(struct table_printer *p, const char *title)
{
    FILE *out = table_printer_output(p);
    if (isatty(fileno(out))) {
        redraw(p, out, title);
        return;
    }
    if (stopped) {
        table_printer_clear(p);
        return;
    }
    table_printer_flush(p, title);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

void live_view_wait(struct sluice *s)
{
    struct sigaction view = {.sa_handler = on_interrupt}, before;
    sigemptyset(&view.sa_mask);
    interrupting = s;
    sigaction(SIGINT, &view, &before);
    /* What is typed while the table redraws is not echoed over it. */
    struct termios saved, quiet;
    bool tty = tcgetattr(STDIN_FILENO, &saved) == 0;
    if (tty) {
        quiet = saved;
        quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOCTL);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    /* A Ctrl-C that came before the view began counts too. */
    if (cli_interrupted)
        on_interrupt(SIGINT);
    while (!stopped && !cli_interrupted && sluice_has_live(s))
        sleep_ms(20);
    sluice_cancel_live(s);
    if (tty)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    sigaction(SIGINT, &before, NULL);
    interrupting = NULL;
    stopped = 0;
    lines_drawn = 0;
    cli_interrupted = 0;
}
