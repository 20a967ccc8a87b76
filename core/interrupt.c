/*
 * interrupt.c: the watcher thread that turns Ctrl-C into KeyboardInterrupt
 * in whichever interpreter runs the current step (see interrupt.h).
 *
 * Locking: `gate` is held by the watcher while it works inside an
 * interpreter and by the registry while it destroys one, so the watcher never
 * enters an interpreter that is going away. The main thread never waits for
 * `gate` while it holds a GIL, and the watcher takes a GIL only while holding
 * `gate`, so the two cannot deadlock. `target` is written by the main thread
 * with the target's GIL held and read by the watcher under that same GIL:
 * when the watcher sees its interpreter as the target, the step is running.
 *
 * Every step has a number (`step`, counted when a target is set); a request
 * remembers the step it was made during (`asked`). The watcher may get to a
 * request late, when that step has ended and the next one runs: the numbers
 * then differ and the request is dropped, so a Ctrl-C never lands in the
 * step after the one it was meant for.
 */
#include "config.h"

#include "interrupt.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "cause.h"
#include "interp.h"
#include "session-impl.h"

static int wake[2] = { -1, -1 };      /* signal handler -> watcher */
static pthread_t watcher;
static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(struct interp *) target;
static atomic_ulong step;             /* the running (or last) step's number */
static atomic_ulong asked;            /* the step the last request was for */
static unsigned long main_thread;     /* PyThread ident of the stepping thread */

static void
deliver(struct interp *it)
{
	PyThreadState *ts = PyThreadState_New(it->tstate->interp);

	if (ts == NULL)
		return;
	PyEval_RestoreThread(ts);
	if (atomic_load(&target) == it && atomic_load(&asked) == atomic_load(&step))
		PyThreadState_SetAsyncExc(main_thread, PyExc_KeyboardInterrupt);
	PyThreadState_Clear(ts);
	PyThreadState_DeleteCurrent();
}

static void *
watch(void *arg)
{
	char c;
	ssize_t n;

	(void)arg;
	for (;;) {
		n = read(wake[0], &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || c == 'q')
			break;
		pthread_mutex_lock(&gate);
		struct interp *it = atomic_load(&target);
		if (it != NULL)
			deliver(it);
		pthread_mutex_unlock(&gate);
	}
	return NULL;
}

/* A descriptor of ours moved out of the range Python's os.close() is
 * likely to reach (close-on-exec either way). */
static int
fd_keep(int fd)
{
	int high = fcntl(fd, F_DUPFD_CLOEXEC, ENGINE_FD_MIN);

	if (high < 0)
		return fd;
	close(fd);
	return high;
}

int
interrupt_start(char **cause)
{
	sigset_t all, old;
	int rc;

	if (pipe2(wake, O_CLOEXEC) != 0) {
		cause_set(cause, "cannot make the interrupt pipe: %s",
		    strerror(errno));
		return -1;
	}
	wake[0] = fd_keep(wake[0]);
	wake[1] = fd_keep(wake[1]);
	fcntl(wake[1], F_SETFL, fcntl(wake[1], F_GETFL) | O_NONBLOCK);
	main_thread = PyThread_get_thread_ident();

	/* The watcher must never take a signal meant for the front end. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&watcher, NULL, watch, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		cause_set(cause, "cannot start the interrupt watcher: %s",
		    strerror(rc));
		close(wake[0]);
		close(wake[1]);
		wake[0] = wake[1] = -1;
		return -1;
	}
	return 0;
}

void
interrupt_stop(void)
{
	ssize_t n;

	if (wake[1] < 0)
		return;
	do
		n = write(wake[1], "q", 1);
	while (n < 0 && errno == EINTR);
	pthread_join(watcher, NULL);
	close(wake[0]);
	close(wake[1]);
	wake[0] = wake[1] = -1;
}

void
interrupt_request(void)
{
	int saved = errno;
	ssize_t n;

	atomic_store(&asked, atomic_load(&step));
	if (wake[1] >= 0)
		n = write(wake[1], "i", 1); /* a full pipe already wakes it */
	(void)n;
	errno = saved;
}

void
interrupt_set_target(struct interp *it)
{
	if (it != NULL)
		atomic_fetch_add(&step, 1);
	atomic_store(&target, it);
}

void
interrupt_discard(struct interp *it)
{
	(void)it;
	PyThreadState_SetAsyncExc(main_thread, NULL);
}

void
interrupt_block(void)
{
	pthread_mutex_lock(&gate);
}

void
interrupt_unblock(void)
{
	pthread_mutex_unlock(&gate);
}
