/*
 * prompt.h — reading a line at the terminal while the engine's threads log.
 * libedit has no lock, so a log line arriving at the prompt is not printed
 * from the engine's thread: it is queued, and the shell's thread, waiting in
 * select() on the terminal and a wake-up pipe, prints it above the prompt and
 * redraws the prompt and the text typed (libedit's callback interface).
 */
#ifndef SL_PROMPT_H
#define SL_PROMPT_H

#include <stdbool.h>

/* As readline(): the line typed (the caller frees it), or NULL at end of
 * input or when a signal set cli_interrupted (Ctrl-C). */
char *prompt_readline(const char *prompt);

/* From any thread: while a prompt_readline waits, queues text (whole lines)
 * for it to print and returns true; otherwise false, and the caller prints. */
bool prompt_defer(const char *text);

#endif
