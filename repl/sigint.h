/*
 * sigint.h: Ctrl-C for the front ends. While a step runs, SIGINT becomes a
 * KeyboardInterrupt in whichever interpreter runs it (session_interrupt);
 * otherwise it is remembered for the input loop to act on (clear the line,
 * stop a batch).
 */
#ifndef SUBREPL_SIGINT_H
#define SUBREPL_SIGINT_H

#include <stdbool.h>

#include "repl.h"
#include "session.h"

/* Install the handler (without SA_RESTART, so a blocked read returns). */
void sigint_install(struct session *s);

/* Point Ctrl-C at another session while a command runs steps in one of
 * its own (a bug's throwaway host); returns the one to put back. */
struct session *sigint_retarget(struct session *s);

/* Whether SIGINT arrived since the last sigint_take, leaving the mark for
 * the front end (a command that runs many steps stops at it). */
bool sigint_arrived(void);

/* Mark whether a step is running now. */
void sigint_busy(bool busy);

/* Readable when SIGINT arrived: wait on it with the input, so a Ctrl-C
 * between two select() calls is not lost. */
int sigint_fd(void);

/* Whether SIGINT arrived since the last call; clears the mark. */
bool sigint_take(void);

/* Feed one line to the REPL as a step (line NULL: end of input, close
 * what is open), with Ctrl-C armed to interrupt Python instead of the
 * front end; *interrupted says whether Ctrl-C came meanwhile. The one
 * way every front end runs a step. */
enum step_result sigint_run_step(struct repl *r, const char *line, size_t len,
    bool *interrupted);

#endif
