/*
 * interrupt.h: Ctrl-C for code running in any interpreter (core-internal).
 *
 * CPython runs signal handlers only in the main thread of the main
 * interpreter, so a SIGINT does not stop a loop in a sub-interpreter. A
 * watcher thread does it instead: the signal handler only writes a byte to a
 * pipe; the watcher wakes, takes a thread state of the interpreter that runs
 * the step and raises KeyboardInterrupt asynchronously in our main thread
 * there (PyThreadState_SetAsyncExc), which works with a shared or an own GIL.
 */
#ifndef SUBREPL_INTERRUPT_H
#define SUBREPL_INTERRUPT_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include <stdbool.h>

struct interp;

/* Start the watcher; call with no GIL held. */
int interrupt_start(char **cause);

/* Stop it (before the runtime is finalized). */
void interrupt_stop(void);

/* Async-signal-safe: ask for a KeyboardInterrupt in the running step. */
void interrupt_request(void);

/* Async-signal-safe: ask for one in the step of the host's request with
 * this id (its own step, not the running one: the request may not have
 * begun yet, or may be over). terminal: the terminal's Ctrl-C, whose
 * SIGINT the host had too. */
void interrupt_request_for(int request, bool terminal);

/* How many interrupts were asked for so far: work in C that is no step
 * (the audit's walk) stops when one comes for it (Ctrl-C, the TUI wanting
 * its keys back), see interrupt_asked_since. */
unsigned long interrupt_requests(void);

/* Whether an interrupt came after interrupt_requests() was `before`, for
 * the host's request being served (one for an earlier request, late, does
 * not count) or naming none. */
bool interrupt_asked_since(unsigned long before);

/* The host: the request with this id (0: none) begins. */
void interrupt_request_begins(int request);

/* interrupt_requests() when the host's request began (an interrupt for
 * it may come before the walk starts), or now, outside a host. */
unsigned long interrupt_requests_before(void);

/* Mark the step that runs in it (NULL: none). Called with it's GIL held. */
void interrupt_set_target(struct interp *it);

/* Clear an interrupt that arrived too late for the step that just ended;
 * called with the interpreter's GIL held, before the next step runs. */
void interrupt_discard(struct interp *it);

/* In a host, with main's GIL held after the runtime starts: CPython's
 * SIGINT handler, behind a filter that lets only the watcher's own SIGINT
 * through, so a step in main is interrupted as CPython's REPL would be
 * (blocking calls included). -1 if it could not be installed (the watcher
 * then raises the exception asynchronously, as in sub-interpreters). */
int interrupt_sigint_install(void);

/* Before the runtime is finalized (main's GIL held): SIGINT ignored again. */
void interrupt_sigint_remove(void);

/* Keep the watcher out while an interpreter is created or destroyed. */
void interrupt_block(void);
void interrupt_unblock(void);

#endif
