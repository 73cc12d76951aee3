/*
 * live_view.h — a live SELECT at the shell: on a terminal its table is
 * redrawn in place after each batch under its header line; elsewhere (a pipe,
 * .output FILE) each batch is printed after the last in the .mode format.
 * Ctrl-C stops it at once: no batch is printed after it, and what is typed
 * meanwhile is not echoed over the table.
 */
#ifndef SL_LIVE_VIEW_H
#define SL_LIVE_VIEW_H

#include "cli/table_printer.h"
#include "engine/sluice.h"

/* Prints one batch (title: its header line) collected in p; called on the
 * engine's batch thread through the output's table_end. */
void live_view_print_batch(struct table_printer *p, const char *title);

/* Waits while the live SELECTs sluice_exec started run: until Ctrl-C (or
 * SIGTERM) or until their input ends; then drops them. */
void live_view_wait(struct sluice *s);

#endif
