/*
 * host.c: the host process. `subrepl --host=FD` runs the engine in-process
 * and serves the session API to the front end over the socket FD, one
 * request at a time, each looked up in the operation table (protocol.c;
 * docs/protocol.md). Whatever Python or an extension
 * does to this process — a segfault, abort(), Py_FatalError, os._exit() —
 * ends only the host; the front end sees the socket close and reports it.
 *
 * Output: fd 1 and 2 are pipes the front end reads as they fill, so
 * sys.stdout is made unbuffered and C stdio too; faulthandler is on, so a
 * fatal signal leaves every thread's Python traceback on fd 2.
 * Signals: SIGINT from the terminal is ignored (the front end decides what
 * Ctrl-C means; CPython's handler, behind a filter, takes only the
 * watcher's own SIGINT, see interrupt.h); SIGUSR1 is the front end's
 * "interrupt the step of request N" (sigqueue's value is N).
 *
 * Descriptors: Python shares the process's, and os.close() on a small one
 * is a documented caveat people demonstrate, so the socket moves at once
 * above ENGINE_FD_MIN. It is close-on-exec, and a child of os.fork() closes
 * it and leaves as soon as it comes back here: only the host itself ever
 * answers the front end (a child holding the socket would also hide the
 * host's death until it ended).
 */
#include "config.h"

#include "session.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <jansson.h>

#include "cause.h"
#include "clock.h"
#include "interrupt.h"
#include "protocol.h"
#include "run.h"
#include "session-impl.h"
#include "spin.h"
#include "wire.h"

static struct session *served;
static int served_fd = -1;       /* the socket, -1 in a forked child */
static pid_t host_pid;           /* this host, not a child of os.fork() */

/* CPython's own traceback dumper (what faulthandler uses), when this
 * libpython exports it. faulthandler's report, which follows ours, shows
 * the threads of the interpreter of the crashing thread's own thread state
 * (PyGILState's): on 3.11 that stays main's for the thread that runs
 * steps, so a step that crashed in a sub-interpreter would show no frame
 * of it (3.12 makes a thread state made current the PyGILState one). The
 * host dumps that step's stack first then, and only then (it was printed
 * twice when the step ran in main). */
typedef void (*dump_fn)(int fd, PyThreadState *tstate);
static dump_fn dump_traceback;
static struct sigaction before[NSIG];   /* faulthandler's handlers */
static pthread_t stepping_thread;       /* the host's: it runs the steps */

static void
on_fatal(int sig)
{
	static const char head[] = "Python traceback of the step that crashed:\n";
	PyThreadState *ts;
	ssize_t n;

	if (dump_traceback != NULL &&
	    pthread_equal(pthread_self(), stepping_thread) &&
	    (ts = run_active_tstate()) != NULL &&
	    ts != PyGILState_GetThisThreadState()) {
		n = write(STDERR_FILENO, head, sizeof head - 1);
		(void)n;
		dump_traceback(STDERR_FILENO, ts);
	}
	/* then faulthandler's report, then the default action */
	sigaction(sig, &before[sig], NULL);
	raise(sig);
}

static void
fatal_handlers_install(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction sa;
	size_t i;

	dump_traceback = (dump_fn)dlsym(RTLD_DEFAULT, "_Py_DumpTraceback");
	stepping_thread = pthread_self();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NODEFER | SA_ONSTACK;
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, &before[sigs[i]]);
}

/* SIGUSR1: the front end's sigqueue names the request it interrupts. */
static void
on_interrupt(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (si != NULL && si->si_code == SI_QUEUE)
		interrupt_request_for(
		    si->si_value.sival_int & WIRE_INTERRUPT_ID_MASK,
		    (si->si_value.sival_int & WIRE_INTERRUPT_TERMINAL) != 0);
	else
		session_interrupt(served);
}

/* A child made by os.fork() in a step: it must not share the socket. */
static void
forked_child(void)
{
	if (served_fd >= 0)
		close(served_fd);
	served_fd = -1;
}

/* A forked child came back from the step here: it leaves at once, as
 * os._exit(0) would, so the host alone answers. */
static void
leave_if_child(void)
{
	if (getpid() != host_pid)
		_exit(0);
}

/* The socket, moved above the descriptors Python may close and kept out
 * of child processes. */
static int
socket_keep(int fd)
{
	int high = fcntl(fd, F_DUPFD_CLOEXEC, ENGINE_FD_MIN);

	if (high < 0) {
		fcntl(fd, F_SETFD, FD_CLOEXEC);
		return fd;
	}
	close(fd);
	return high;
}

/* A refusal: {"ok": false, "cause": ...}; NULL when out of memory. */
static json_t *
refusal(const char *cause)
{
	return json_pack("{s:b, s:s}", "ok", 0,
	    "cause", cause != NULL ? cause : "out of memory");
}

/* Send a reply, or the smallest refusal when even that cannot be made
 * (the step used up the memory): 0 sent, 1 that refusal went instead, -1
 * the front end is gone. */
static int
send_reply(int fd, json_t *reply, json_t *id)
{
	static const char oom[] = "{\"ok\": false, \"cause\": \"the host is "
	    "out of memory\"}";
	char *text = NULL;
	int rc;

	if (reply != NULL && (id == NULL || json_object_set(reply, "id", id) == 0))
		text = json_dumps(reply, JSON_COMPACT);
	json_decref(reply);
	if (text == NULL)
		return wire_write(fd, oom, sizeof oom - 1, NULL) != 0 ? -1 : 1;
	rc = wire_write(fd, text, strlen(text), NULL);
	free(text);
	return rc != 0 ? -1 : 0;
}

/* One request: find its operation in the table, decode and check its
 * arguments, run it, encode the results. Returns -1 when the front end is
 * gone or the operation ends the host. */
static int
serve_one(struct session *s, int fd, json_t *req, int passed)
{
	const char *name = json_string_value(json_object_get(req, "op"));
	const struct proto_op *op = proto_find(name);
	json_t *id = json_object_get(req, "id"), *reply;
	struct proto_call call;
	char *cause = NULL;
	bool refused = true;
	int rc;

	memset(&call, 0, sizeof call);
	/* a descriptor is the call's when its operation takes one, else
	 * closed here */
	if (op != NULL && op->passes_fd && passed >= 0) {
		call.fd = passed;
		call.has_fd = true;
	} else if (passed >= 0)
		close(passed);
	interrupt_request_begins(json_is_integer(id) ?
	    (int)(json_integer_value(id) & WIRE_INTERRUPT_ID_MASK) : 0);
	if (op == NULL) {
		cause_set(&cause, "unknown request '%s'", name != NULL ? name : "");
		reply = refusal(cause);
	} else if (op->passes_fd && !call.has_fd) {
		cause_set(&cause, "a '%s' request without the descriptor it "
		    "writes to", op->name);
		reply = refusal(cause);
	} else if (proto_decode(op->args, req, &call, &cause) != 0) {
		cause_prefix(&cause, "a malformed '%s' request", op->name);
		reply = refusal(cause);
	} else if (op->serve(s, &call, &cause) != 0) {
		leave_if_child();
		reply = refusal(cause);
	} else {
		leave_if_child();
		reply = json_pack("{s:b}", "ok", 1);
		refused = false;
		if (reply != NULL && proto_encode(op->results, &call, reply) != 0) {
			json_decref(reply);
			cause_set(&cause, "cannot encode the reply to '%s' (out of "
			    "memory, or text that is not UTF-8)", op->name);
			reply = refusal(cause);
			refused = true;
		}
	}
	free(cause);
	rc = send_reply(fd, reply, id);
	/* no trailer after a refusal, even one for want of memory, nor one
	 * a refused call left behind: the front end reads none, and a frame
	 * it did not ask for makes the host look gone (%statics of a name
	 * not loaded was killed so at the next request) */
	if (rc == 0 && !refused && op != NULL && op->trailer &&
	    call.trailer != NULL)
		rc = wire_write(fd, call.trailer, call.trailer_len, NULL);
	proto_call_free(&call);
	return rc < 0 || (op != NULL && op->ends) ? -1 : 0;
}

/* Batch input sends the next request right after a reply: waiting for it
 * on the CPU for a while saves a wake-up (spin.h). */
static void
spin_until_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	double t0;

	if (!cpu_to_spare())
		return;
	t0 = monotonic_seconds();
	do {
		if (poll(&p, 1, 0) != 0)
			return;
	} while (monotonic_seconds() - t0 < SPIN_REQUEST_SECONDS);
}

int
session_host_serve(int fd)
{
	struct proto_call hello;
	struct sigaction sa;
	char *cause = NULL;
	json_t *msg;
	int rc;

	host_pid = getpid();
	/* ps, top and pgrep tell the host from its front end (a host forked
	 * without an exec has the front end's command line) */
	prctl(PR_SET_NAME, "subrepl-host", 0, 0, 0);
	served_fd = fd = socket_keep(fd);
	pthread_atfork(NULL, NULL, forked_child);
	setvbuf(stdout, NULL, _IONBF, 0);
	setvbuf(stderr, NULL, _IONBF, 0);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	session_inproc_for_host();
	served = session_open_inprocess(&cause);
	if (served == NULL) {
		send_reply(fd, refusal(cause), NULL);
		free(cause);
		return 1;
	}
	fatal_handlers_install();
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_interrupt;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the watcher's SIGINT may come while this handler
	 * runs, and a read() restarted after it would block with that
	 * signal already taken; Python retries an interrupted call itself,
	 * once it has looked at its signals (PEP 475). */
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);

	memset(&hello, 0, sizeof hello);
	hello.version = WIRE_VERSION;
	hello.pid = (long)getpid();
	snprintf(hello.python, sizeof hello.python, "%s",
	    session_python_version(served));
	snprintf(hello.build, sizeof hello.build, "%s",
	    session_python_build(served));
	hello.has_config = session_has_config(served);
	msg = json_pack("{s:b}", "ok", 1);
	if (msg != NULL &&
	    proto_encode(proto_ops[OP_HELLO].results, &hello, msg) != 0) {
		json_decref(msg);
		msg = NULL;
	}
	rc = send_reply(fd, msg, NULL);
	run_reserve_hold();
	while (rc >= 0) {
		json_error_t err;
		json_t *req = NULL;
		char *text;
		size_t len;
		int passed = -1;

		leave_if_child();
		spin_until_readable(fd);
		rc = wire_read_fd(fd, &text, &len, &passed, NULL);
		if (rc == 2) {
			/* a whole request, and no memory to read it into */
			rc = send_reply(fd, refusal("the host is out of memory: it "
			    "could not read the request"), NULL);
			continue;
		}
		if (rc != 0)
			break; /* the front end is gone: so are we */
		req = json_loadb(text, len, 0, &err);
		free(text);
		if (passed >= 0 && !json_is_object(req)) {
			close(passed);
			passed = -1;
		}
		if (req == NULL &&
		    json_error_code(&err) == json_error_out_of_memory) {
			rc = send_reply(fd, refusal("the host is out of memory: it "
			    "could not read the request"), NULL);
		} else if (!json_is_object(req)) {
			/* answered, not fatal: the frame was whole, only its
			 * text is wrong */
			cause_set(&cause, "a request that is not a JSON object%s%s",
			    req == NULL ? ": " : "", req == NULL ? err.text : "");
			rc = send_reply(fd, refusal(cause), NULL);
			free(cause);
			cause = NULL;
		} else
			rc = serve_one(served, fd, req, passed);
		json_decref(req);
		/* a step that ran out of memory gave the reserve up */
		run_reserve_hold();
	}
	session_close(served);
	return 0;
}
