/*
 * spin.h: a second CPU for this process, and waiting on it for the other
 * process's next message.
 *
 * Front end and host take turns: one sends, the other works, then answers.
 * Sleeping in poll() or read() and being woken costs a wake-up (on virtual
 * machines a halted vCPU must be scheduled again: hundreds of microseconds
 * a turn, measured with %new / %del, where it was a tenth of a step).
 * Each side therefore polls without sleeping for a while first: the front
 * end while a short step runs, the host between a reply and the next
 * request (batch input sends it at once). With one CPU to run on, spinning
 * only takes it from the process it waits for: neither side spins then.
 *
 * The same second CPU lets a large snapshot's rows be merged by two
 * threads (snapshot.c) and makes the pages of its records ready ahead of
 * them (scratch.c). All ask cpu_to_spare(), which a front end sharing
 * every CPU with other busy processes turns off (session_share_cpus).
 */
#ifndef SUBREPL_SPIN_H
#define SUBREPL_SPIN_H

#include <pthread.h>
#include <stdbool.h>

/* How long the front end polls for a step's reply before it sleeps: most
 * steps, %new and %del included, end within it. */
#define SPIN_STEP_SECONDS 0.02
/* How long the host polls for the next request after a reply: the front
 * end prints the reply and reads its next line in less. */
#define SPIN_REQUEST_SECONDS 0.002

/* Whether another CPU is this process's to use, to wait on or to work on:
 * it may run on more than one, and the front end did not say that it
 * shares them (session_share_cpus). */
bool cpu_to_spare(void);

/* pthread_create, for a thread that works on the second CPU: it never
 * takes a signal meant for the host (SIGINT, SIGTERM, SIGCHLD...), while a
 * fault of its own still reaches faulthandler. 0, or an errno. */
int helper_start(pthread_t *thread, void *(*run)(void *), void *arg);

#endif
