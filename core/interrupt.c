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
 * An interrupt is for one request of the host's, or one step. The front
 * end names the request (its id, sent with the SIGUSR1 by sigqueue): the
 * interrupt is delivered to that request's step, also when it came while
 * the request was still being read and compiled (the watcher finds no
 * step then; interrupt_set_target wakes it when the step begins), and
 * never to another request's, however late the watcher gets to it. One
 * that names no request (in-process, where the front end's own SIGINT
 * handler asks) is for the step running when it came: every step has a
 * number (`step`, counted when a target is set), the interrupt remembers
 * the one it came during (`asked`), and is dropped when that step has
 * ended. Either way it is delivered once (`delivered`).
 *
 * A step in the main interpreter gets what CPython's own REPL gives it: a
 * real SIGINT, sent to the thread that runs it, so a blocking call
 * (time.sleep, a read) returns with EINTR and CPython's handler raises
 * KeyboardInterrupt. The host installs that handler
 * (interrupt_sigint_install) behind a filter of ours that lets through only
 * the watcher's own signal: the terminal's Ctrl-C reaches the front end
 * too, which decides what it means. Should the step end before CPython
 * acts on the signal, the next interrupt_discard runs the handler and drops
 * its KeyboardInterrupt. Python code may replace the handler
 * (signal.signal; asyncio.run does): sigint_route says what then takes a
 * SIGINT, and interrupt_discard puts the filter back in front after the
 * step, keeping Python's handler behind it. Where there is no filter
 * (in-process), and in sub-interpreters, whose threads never run signal
 * handlers, the watcher raises the exception asynchronously instead: a
 * blocking call there finishes first.
 *
 * A SIGINT can land after the step's blocking call was decided on but
 * before it began: CPython's handler then marks KeyboardInterrupt as
 * pending, and the call blocks without looking. That window is short, but
 * the host's own signals reopen it (the terminal's SIGINT and the front
 * end's SIGUSR1 interrupt the call first, and CPython begins it again just
 * as the watcher gets the GIL), so a Ctrl-C was sometimes lost on a busy
 * machine. After its SIGINT the watcher therefore kicks the step's thread
 * a few times (KICK_SIGNAL, whose handler does nothing): a kick interrupts
 * the call again, and CPython then raises the pending KeyboardInterrupt. A
 * step that caught it meanwhile sees at most a few calls interrupted and
 * begun again (PEP 475).
 */
#include "config.h"

#include "interrupt.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "cause.h"
#include "clock.h"
#include "interp.h"
#include "session-impl.h"

static int wake[2] = { -1, -1 };      /* signal handler -> watcher */
static pthread_t watcher;
static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(struct interp *) target;
static atomic_ulong step;             /* the running (or last) step's number */
static atomic_ulong asked;            /* the step the last interrupt was for */
static atomic_int asked_request;      /* ... or the host's request it named
                                       * (0: none named) */
static atomic_bool asked_terminal;    /* ... and came from the terminal's
                                       * Ctrl-C (the host had its SIGINT) */
static atomic_int current_request;    /* the host's request being served */
static atomic_ulong requests;         /* interrupts asked for, ever */
static atomic_ulong delivered;        /* `requests` when the watcher last
                                       * delivered: each interrupt once */
static atomic_ulong request_began;    /* `requests` when the host's request
                                       * began, + 1 (0: not a host) */
static unsigned long main_thread;     /* PyThread ident of the stepping thread */
static pthread_t main_pthread;        /* ... and its pthread */
static struct sigaction python_sigint; /* CPython's SIGINT handler, behind ours */
static atomic_bool sigint_sent;       /* a SIGINT went to a step in main */
static bool filter_installed;         /* on_sigint went in (a host) */
static struct sigaction filter;       /* ... as this */
static bool kicks_installed;          /* KICK_SIGNAL has our handler */

/* Kicks after the watcher's SIGINT (see the top), in ms after it. */
static const int kick_after_ms[] = { 20, 200, 1000 };
#define KICKS (sizeof kick_after_ms / sizeof kick_after_ms[0])
#define KICK_SIGNAL (SIGRTMIN + 3)

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

/* A kick only interrupts the call the step's thread is blocked in. */
static void
on_kick(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
}

/* Who takes SIGINT now. Python code may have called signal.signal (asyncio.run
 * does) in the step that runs: CPython's handler is then in place of our
 * filter until the step ends (interrupt_discard puts the filter back). */
enum sigint_route {
	SIGINT_FILTERED,   /* our filter, in front of CPython's handler */
	SIGINT_PYTHON,     /* CPython's handler itself: the terminal's Ctrl-C
	                    * reaches Python directly */
	SIGINT_IGNORED,    /* signal.signal(SIGINT, SIG_IGN): Ctrl-C does
	                    * nothing, as in python3 */
	SIGINT_DEFAULT,    /* SIG_DFL: a SIGINT would kill the host */
	SIGINT_OTHER,      /* a C handler not Python's, or no filter at all */
};

static enum sigint_route
sigint_route(void)
{
	struct sigaction cur;

	if (!filter_installed || sigaction(SIGINT, NULL, &cur) != 0)
		return SIGINT_OTHER;
	if (cur.sa_flags & SA_SIGINFO)
		return cur.sa_sigaction == on_sigint ? SIGINT_FILTERED :
		    SIGINT_OTHER;
	if (cur.sa_handler == SIG_IGN)
		return SIGINT_IGNORED;
	if (cur.sa_handler == SIG_DFL)
		return SIGINT_DEFAULT;
	if (!(python_sigint.sa_flags & SA_SIGINFO) &&
	    cur.sa_handler == python_sigint.sa_handler)
		return SIGINT_PYTHON;
	return SIGINT_OTHER;
}

/* Whether the last interrupt is for the step that runs now: the one it
 * named the request of, or, named none, the one running when it came. */
static bool
for_this_step(void)
{
	int request = atomic_load(&asked_request);

	if (request != 0)
		return request == atomic_load(&current_request);
	return atomic_load(&asked) == atomic_load(&step);
}

/* Interrupt the step running in it, once; true when that was a SIGINT to
 * a step in main (kicks follow). */
static bool
deliver(struct interp *it)
{
	PyThreadState *ts = PyThreadState_New(it->tstate->interp);
	unsigned long asked_now;
	bool signalled = false;

	if (ts == NULL)
		return false;
	PyEval_RestoreThread(ts);
	asked_now = atomic_load(&requests);
	if (atomic_load(&target) != it || !for_this_step())
		; /* that step (or request) is over */
	else if (atomic_exchange(&delivered, asked_now) == asked_now)
		; /* delivered already (a step taking an early one wakes twice) */
	else if (it->tstate->interp != PyInterpreterState_Main())
		PyThreadState_SetAsyncExc(main_thread, PyExc_KeyboardInterrupt);
	else switch (sigint_route()) {
	case SIGINT_PYTHON:
		/* the terminal's SIGINT went to Python's handler already: a
		 * second would call it twice (asyncio.run's cancels, then
		 * raises in the middle of its cleanup) */
		if (atomic_load(&asked_terminal))
			break;
		/* FALLTHROUGH */
	case SIGINT_FILTERED:
		atomic_store(&sigint_sent, true);
		pthread_kill(main_pthread, SIGINT);
		signalled = kicks_installed;
		break;
	case SIGINT_IGNORED:
		break; /* as python3: a Ctrl-C does nothing */
	case SIGINT_DEFAULT:
	case SIGINT_OTHER:
		PyThreadState_SetAsyncExc(main_thread, PyExc_KeyboardInterrupt);
		break;
	}
	PyThreadState_Clear(ts);
	PyThreadState_DeleteCurrent();
	return signalled;
}

/* A kick, while the step that had the SIGINT still runs (the
 * interrupt_discard after it clears sigint_sent). */
static void
kick(unsigned long for_step)
{
	if (atomic_load(&sigint_sent) && atomic_load(&step) == for_step &&
	    atomic_load(&target) != NULL)
		pthread_kill(main_pthread, KICK_SIGNAL);
}

static void *
watch(void *arg)
{
	struct pollfd p = { .events = POLLIN };
	unsigned long kick_step = 0;
	size_t kicks_done = KICKS;     /* KICKS: none due */
	double signalled_at = 0;
	char c;
	ssize_t n;
	int timeout, rc;

	(void)arg;
	for (;;) {
		timeout = -1;
		if (kicks_done < KICKS) {
			double due = signalled_at +
			    kick_after_ms[kicks_done] / 1000.0;

			timeout = (int)((due - monotonic_seconds()) * 1000.0 + 1);
			if (timeout < 0)
				timeout = 0;
		}
		p.fd = wake[0];
		rc = poll(&p, 1, timeout);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			break;
		if (rc == 0) {
			kick(kick_step);
			kicks_done++;
			continue;
		}
		n = read(wake[0], &c, 1);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0 || c == 'q')
			break;
		pthread_mutex_lock(&gate);
		struct interp *it = atomic_load(&target);
		if (it != NULL && deliver(it)) {
			kick_step = atomic_load(&step);
			signalled_at = monotonic_seconds();
			kicks_done = 0;
		}
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
interrupt_request_begins(int request)
{
	unsigned long now = atomic_load(&requests);

	atomic_store(&current_request, request);
	/* one that named this request before it began is during it */
	if (request != 0 && atomic_load(&asked_request) == request &&
	    atomic_load(&delivered) != now)
		now--;
	atomic_store(&request_began, now + 1);
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

bool
interrupt_asked_since(unsigned long before)
{
	int request;

	if (atomic_load(&requests) == before)
		return false;
	request = atomic_load(&asked_request);
	return request == 0 || request == atomic_load(&current_request);
}

/* Wake the watcher (async-signal-safe; a full pipe already wakes it). */
static void
wake_watcher(void)
{
	ssize_t n;

	if (wake[1] >= 0)
		n = write(wake[1], "i", 1);
	(void)n;
}

void
interrupt_request(void)
{
	interrupt_request_for(0, false);
}

void
interrupt_request_for(int request, bool terminal)
{
	int saved = errno;

	atomic_store(&asked, atomic_load(&step));
	atomic_store(&asked_request, request);
	atomic_store(&asked_terminal, terminal);
	atomic_fetch_add(&requests, 1);
	wake_watcher();
	errno = saved;
}

void
interrupt_set_target(struct interp *it)
{
	if (it == NULL) {
		atomic_store(&target, NULL);
		return;
	}
	atomic_fetch_add(&step, 1);
	atomic_store(&target, it);
	/* one that named this request came before its step began (while
	 * the request was read and compiled): the watcher, which found no
	 * step then, delivers it now */
	if (atomic_load(&asked_request) != 0 && for_this_step() &&
	    atomic_load(&delivered) != atomic_load(&requests))
		wake_watcher();
}

void
interrupt_discard(struct interp *it)
{
	PyThreadState_SetAsyncExc(main_thread, NULL);
	if (it->tstate->interp != PyInterpreterState_Main())
		return;
	if (atomic_exchange(&sigint_sent, false) && PyErr_CheckSignals() != 0)
		PyErr_Clear();
	/* A step that called signal.signal(SIGINT, handler) put CPython's
	 * handler in place of our filter: the terminal's Ctrl-C at the prompt
	 * would then reach Python, and the next step would begin with a
	 * KeyboardInterrupt. The filter goes back in front; Python's table
	 * keeps the handler, and the watcher's SIGINT runs it. After SIG_DFL
	 * a Ctrl-C at the prompt would kill the host: SIGINT is ignored
	 * instead (our filter would make CPython report a SIGINT it has no
	 * handler for, "Signal 2 ignored due to race condition"). */
	switch (sigint_route()) {
	case SIGINT_PYTHON:
		sigaction(SIGINT, &filter, NULL);
		break;
	case SIGINT_DEFAULT:
		signal(SIGINT, SIG_IGN);
		break;
	case SIGINT_FILTERED:
	case SIGINT_IGNORED:
	case SIGINT_OTHER:
		break;
	}
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
	if (sigaction(SIGINT, &sa, NULL) != 0)
		return -1;
	filter = sa;
	filter_installed = true;
	sa.sa_sigaction = on_kick;
	kicks_installed = sigaction(KICK_SIGNAL, &sa, NULL) == 0;
	return 0;
}

void
interrupt_sigint_remove(void)
{
	if (kicks_installed)
		signal(KICK_SIGNAL, SIG_IGN);
	kicks_installed = false;
	filter_installed = false;
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
