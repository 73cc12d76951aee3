/* prompt.c — the shell's terminal line reader: see prompt.h for why. */
#include "cli/prompt.h"

#include "cli/cli.h"

#include <editline/readline.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static int wake[2] = {-1, -1};
static bool waiting; /* a prompt_readline is in its select loop */
static char *queued; /* log lines to print above the prompt */
static size_t queued_len;

static char *line_read;
static bool line_done;

static void on_line(char *line)
{
    line_read = line;
    line_done = true;
    /* libedit draws the prompt again when this returns: an empty one. */
    rl_set_prompt("");
}

bool prompt_defer(const char *text)
{
    pthread_mutex_lock(&queue_lock);
    bool deferred = false;
    size_t n = strlen(text);
    char *grown = waiting ? realloc(queued, queued_len + n + 1) : NULL;
    if (grown) {
        memcpy(grown + queued_len, text, n + 1);
        queued = grown;
        queued_len += n;
        deferred = true;
        /* A full pipe already wakes the reader. */
        if (write(wake[1], "", 1) < 0 && errno != EAGAIN)
            deferred = false;
    }
    pthread_mutex_unlock(&queue_lock);
    return deferred;
}

/* Prints the queued lines where the prompt is, then the prompt and the typed text again. */
static void print_queued(bool redraw)
{
    char drained[64];
    while (read(wake[0], drained, sizeof drained) > 0)
        ;
    pthread_mutex_lock(&queue_lock);
    char *text = queued;
    queued = NULL;
    queued_len = 0;
    pthread_mutex_unlock(&queue_lock);
    if (!text)
        return;
    fflush(stdout);
    fprintf(stderr, "\r\033[K%s", text);
    fflush(stderr);
    free(text);
    if (redraw)
        rl_forced_update_display();
}

char *prompt_readline(const char *prompt)
{
    if (wake[0] < 0 && pipe2(wake, O_NONBLOCK | O_CLOEXEC) != 0)
        return readline(prompt);
    line_read = NULL;
    line_done = false;
    /* Waiting before the prompt is drawn: a log line in between is queued
     * and printed above it, not over it. */
    pthread_mutex_lock(&queue_lock);
    waiting = true;
    pthread_mutex_unlock(&queue_lock);
    rl_callback_handler_install(prompt, on_line);
    while (!line_done) {
        fd_set ready;
        FD_ZERO(&ready);
        FD_SET(STDIN_FILENO, &ready);
        FD_SET(wake[0], &ready);
        int max = wake[0] > STDIN_FILENO ? wake[0] : STDIN_FILENO;
        if (select(max + 1, &ready, NULL, NULL, NULL) < 0) {
            if (errno == EINTR && !cli_interrupted)
                continue;
            break;
        }
        if (FD_ISSET(wake[0], &ready))
            print_queued(true);
        if (FD_ISSET(STDIN_FILENO, &ready))
            rl_callback_read_char();
    }
    pthread_mutex_lock(&queue_lock);
    waiting = false;
    pthread_mutex_unlock(&queue_lock);
    rl_callback_handler_remove();
    print_queued(false);
    return line_read;
}
