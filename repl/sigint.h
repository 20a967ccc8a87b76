/*
 * sigint.h: Ctrl-C for the front ends. While a step runs, SIGINT becomes a
 * KeyboardInterrupt in whichever interpreter runs it (session_interrupt);
 * otherwise it is remembered for the input loop to act on (clear the line,
 * stop a batch).
 */
#ifndef SUBREPL_SIGINT_H
#define SUBREPL_SIGINT_H

#include <stdbool.h>

#include "session.h"

/* Install the handler (without SA_RESTART, so a blocked read returns). */
void sigint_install(struct session *s);

/* Mark whether a step is running now. */
void sigint_busy(bool busy);

/* Readable when SIGINT arrived: wait on it with the input, so a Ctrl-C
 * between two select() calls is not lost. */
int sigint_fd(void);

/* Whether SIGINT arrived since the last call; clears the mark. */
bool sigint_take(void);

#endif
