/*
 * pause.h: what the host does while the user pauses at the prompt.
 *
 * The first %json of a session reads every attribute of every module of
 * every interpreter; the ones after it read only what changed since
 * (docs/snapshot.md, "Incremental snapshots"). When nothing has been
 * typed for PAUSE_MS after a step, the host reads that snapshot ahead and
 * keeps it, so a %json typed later writes at once. A key or Ctrl-C stops
 * the reading at its next module and goes first. Batch input never
 * pauses: a script pays nothing for this and gets nothing from it.
 */
#ifndef SUBREPL_PAUSE_H
#define SUBREPL_PAUSE_H

#include <stdbool.h>
#include <stddef.h>

#include "repl.h"

/* How long the prompt waits for a key before the host reads ahead. */
#define PAUSE_MS 500

/* Milliseconds to wait at the prompt before pause_read_ahead, or -1 when
 * there is nothing to read ahead (done since the last step, no host). */
int pause_wait_ms(const struct repl *r);

/* The pause came: the host reads ahead until done, or until a key comes
 * on terminal_fd or Ctrl-C (the SIGINT pipe). Returns whether the host
 * died doing so (its death is then the front end's to show, as
 * session_host_death says). */
bool pause_read_ahead(struct repl *r, int terminal_fd);

#endif
