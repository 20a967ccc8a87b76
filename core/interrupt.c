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
 *
 * A step in the main interpreter gets what CPython's own REPL gives it: a
 * real SIGINT, sent to the thread that runs it, so a blocking call
 * (time.sleep, a read) returns with EINTR and CPython's handler raises
 * KeyboardInterrupt. The host installs that handler
 * (interrupt_sigint_install) behind a filter of ours that lets through only
 * the watcher's own signal: the terminal's Ctrl-C reaches the front end
 * too, which decides what it means. Should the step end before CPython
 * acts on the signal, the next interrupt_discard runs the handler and drops
 * its KeyboardInterrupt. Where the filter is not in place (in-process, or
 * Python code replaced the handler), and in sub-interpreters, whose
 * threads never run signal handlers, the watcher raises the exception
 * asynchronously instead: a blocking call there finishes first.
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
static atomic_ulong requests;         /* interrupt_request calls, ever */
static atomic_ulong request_began;    /* ... when the host's request began,
                                       * + 1 (0: not a host) */
static unsigned long main_thread;     /* PyThread ident of the stepping thread */
static pthread_t main_pthread;        /* ... and its pthread */
static struct sigaction python_sigint; /* CPython's SIGINT handler, behind ours */
static atomic_bool sigint_sent;       /* a SIGINT went to a step in main */

/* SIGINT in the host: the watcher's (a tgkill from this very process) goes
 * on to CPython's handler, the terminal's (the kernel's) is ignored. */
static void
on_sigint(int sig, siginfo_t *si, void *uc)
{
	if (si == NULL || si->si_code != SI_TKILL || si->si_pid != getpid())
		return;
	if (python_sigint.sa_flags & SA_SIGINFO)
		python_sigint.sa_sigaction(sig, si, uc);
	else if (python_sigint.sa_handler != SIG_IGN &&
	    python_sigint.sa_handler != SIG_DFL)
		python_sigint.sa_handler(sig);
}

/* Whether SIGINT still goes through our filter (Python code may have
 * replaced it with signal.signal). */
static bool
sigint_filtered(void)
{
	struct sigaction cur;

	return sigaction(SIGINT, NULL, &cur) == 0 &&
	    (cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == on_sigint;
}

static void
deliver(struct interp *it)
{
	PyThreadState *ts = PyThreadState_New(it->tstate->interp);

	if (ts == NULL)
		return;
	PyEval_RestoreThread(ts);
	if (atomic_load(&target) != it || atomic_load(&asked) != atomic_load(&step))
		; /* that step is over */
	else if (it->tstate->interp == PyInterpreterState_Main() &&
	    sigint_filtered()) {
		atomic_store(&sigint_sent, true);
		pthread_kill(main_pthread, SIGINT);
	} else
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
	main_pthread = pthread_self();

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
interrupt_request_begins(void)
{
	atomic_store(&request_began, atomic_load(&requests) + 1);
}

unsigned long
interrupt_requests_before(void)
{
	unsigned long began = atomic_load(&request_began);

	return began != 0 ? began - 1 : atomic_load(&requests);
}

unsigned long
interrupt_requests(void)
{
	return atomic_load(&requests);
}

void
interrupt_request(void)
{
	int saved = errno;
	ssize_t n;

	atomic_store(&asked, atomic_load(&step));
	atomic_fetch_add(&requests, 1);
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
	PyThreadState_SetAsyncExc(main_thread, NULL);
	if (atomic_exchange(&sigint_sent, false) &&
	    it->tstate->interp == PyInterpreterState_Main() &&
	    PyErr_CheckSignals() != 0)
		PyErr_Clear();
}

/* _signal.signal(SIGINT, handler) in main; handler is an attribute of
 * _signal ("default_int_handler", "SIG_IGN"). */
static int
python_sigint_set(const char *handler)
{
	PyObject *mod = PyImport_ImportModule("_signal"), *h = NULL, *r = NULL;

	if (mod != NULL)
		h = PyObject_GetAttrString(mod, handler);
	if (h != NULL)
		r = PyObject_CallMethod(mod, "signal", "iO", SIGINT, h);
	Py_XDECREF(h);
	Py_XDECREF(mod);
	if (r == NULL) {
		PyErr_Clear();
		return -1;
	}
	Py_DECREF(r);
	return 0;
}

int
interrupt_sigint_install(void)
{
	struct sigaction sa;

	if (python_sigint_set("default_int_handler") != 0)
		return -1;
	/* CPython's handler is in place: ours goes in front of it */
	sigaction(SIGINT, NULL, &python_sigint);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigint;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK; /* no SA_RESTART: EINTR */
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGINT, &sa, NULL);
}

void
interrupt_sigint_remove(void)
{
	/* Python's table back to SIG_IGN, or finalizing would set SIG_DFL
	 * for a handler it installed, and a Ctrl-C then would kill us */
	if (python_sigint_set("SIG_IGN") != 0)
		signal(SIGINT, SIG_IGN);
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
