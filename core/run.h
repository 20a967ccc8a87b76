/*
 * run.h: run source in an interpreter with the interactive interpreter's
 * rules, and complete names there (core-internal).
 */
#ifndef SUBREPL_RUN_H
#define SUBREPL_RUN_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include "interp.h"
#include "session.h"

/* Compile and run; Python's own output and tracebacks go to the
 * interpreter's sys.stdout/sys.stderr, flushed before returning. */
void run_in(struct interp *it, const char *source, enum run_mode mode,
    struct run_result *result);

/* The thread state running Python code for a step right now, or NULL: for
 * a fatal-signal handler that wants that step's traceback. */
PyThreadState *run_active_tstate(void);
void run_set_active(PyThreadState *ts);

/* Hold back some memory (unless it is held already, or there is none to
 * hold) that a step running out of memory gives up to report its
 * MemoryError; the host holds it again after every reply. */
void run_reserve_hold(void);

/* rlcompleter's matches for text in the interpreter's __main__. */
int run_complete(struct interp *it, const char *text, char ***out, size_t *n,
    char **cause);

#endif
