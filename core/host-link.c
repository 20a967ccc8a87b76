/*
 * host-link.c: the front end's side of the host process: starting and
 * stopping it, one request and its reply at a time, copying its output as
 * it comes, and telling how it died (see session-host.c for the API it
 * serves, protocol.c for the operations, docs/protocol.md for the wire).
 *
 * When the host dies the socket closes: we reap it, say in one line how it
 * died (signal or exit status), in which interpreter and during which step.
 * What it wrote from "Fatal Python error" (or the step's traceback) on is
 * held back, so that line comes first and the traceback after it.
 *
 * A step that does not end: past %timeout it is interrupted, then the host
 * killed; after Ctrl-C a warning, and the next Ctrl-C kills the host.
 *
 * Between requests a thread started in Python may go on printing: the
 * front end, waiting for input, watches the pipes too (link_output_fds)
 * and has what arrives copied (link_output_copy).
 */
#include "config.h"

#include "host-link.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cause.h"
#include "clock.h"
#include "protocol.h"
#include "spin.h"
#include "wire.h"

/* How often a waiting request looks at the clock (escalation, idle): a
 * key typed while the TUI's deep walk runs stops it within a tick. */
#define TICK_MS 25
/* Seconds a host asked to quit has to finalize Python and exit (and one
 * whose socket closed has to exit) before it is killed. */
#define STOP_PATIENCE 3.0

static void
copy_out(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static void
hold(struct host_link *h, const char *buf, size_t len)
{
	char *p = realloc(h->held, h->held_len + len);

	if (p == NULL) {
		copy_out(STDERR_FILENO, buf, len);
		return;
	}
	memcpy(p + h->held_len, buf, len);
	h->held = p;
	h->held_len += len;
}

static void
release_held(struct host_link *h)
{
	if (h->held != NULL)
		copy_out(STDERR_FILENO, h->held, h->held_len);
	free(h->held);
	h->held = NULL;
	h->held_len = 0;
}

/* Pass stderr on, holding back from the start of a fatal error report. */
static void
forward_err(struct host_link *h, const char *buf, size_t len)
{
	static const char *const marks[] = { "Fatal Python error: ",
	    "Python traceback of the step that crashed:" };
	const char *p;
	size_t m;

	if (h->held != NULL) {
		hold(h, buf, len);
		return;
	}
	for (p = buf; p < buf + len; p++) {
		if (p != buf && p[-1] != '\n')
			continue;
		for (m = 0; m < 2; m++) {
			size_t ml = strlen(marks[m]);

			if (p + ml <= buf + len && memcmp(p, marks[m], ml) == 0) {
				copy_out(STDERR_FILENO, buf, (size_t)(p - buf));
				hold(h, p, len - (size_t)(p - buf));
				return;
			}
		}
	}
	copy_out(STDERR_FILENO, buf, len);
}

/* Copy what is readable on the output pipes; -1 when both are closed. A
 * pipe at its end is closed here (and its fd set to -1), so no one waits
 * on it again. */
static int
drain(struct host_link *h, bool wait, int timeout_ms)
{
	int *fds[2] = { &h->out, &h->err };
	struct pollfd p[2] = {
		{ .fd = h->out, .events = POLLIN },
		{ .fd = h->err, .events = POLLIN },
	};
	char buf[16384];
	int i;

	if (h->out < 0 && h->err < 0)
		return -1;
	if (poll(p, 2, wait ? timeout_ms : 0) <= 0)
		return 0;
	for (i = 0; i < 2; i++) {
		ssize_t n;

		if (p[i].fd < 0 || (p[i].revents & (POLLIN | POLLHUP)) == 0)
			continue;
		n = read(p[i].fd, buf, sizeof buf);
		if (n > 0) {
			if (i == 0)
				copy_out(STDOUT_FILENO, buf, (size_t)n);
			else
				forward_err(h, buf, (size_t)n);
			h->line_open = buf[n - 1] != '\n';
		} else if (n == 0 || errno != EINTR) {
			close(*fds[i]);
			*fds[i] = -1;
		}
	}
	return h->out < 0 && h->err < 0 ? -1 : 0;
}

/* Everything still in the pipes (the host wrote it before replying). */
static void
drain_all(struct host_link *h)
{
	int rounds;

	for (rounds = 0; rounds < 1000; rounds++) {
		struct pollfd p[2] = {
			{ .fd = h->out, .events = POLLIN },
			{ .fd = h->err, .events = POLLIN },
		};

		if (poll(p, 2, 0) <= 0 ||
		    ((p[0].revents | p[1].revents) & (POLLIN | POLLHUP)) == 0)
			return;
		if (drain(h, false, 0) != 0)
			return;
		if (((p[0].revents | p[1].revents) & POLLIN) == 0)
			return;
	}
}

static void
close_fds(struct host_link *h)
{
	if (h->sock >= 0)
		close(h->sock);
	if (h->out >= 0)
		close(h->out);
	if (h->err >= 0)
		close(h->err);
	h->sock = h->out = h->err = -1;
}

/* Whether the host has ended (reaped now, its wait status kept): the
 * socket is not the only sign, a child process may hold it open. */
static bool
host_exited(struct host_link *h)
{
	pid_t w;

	if (h->pid <= 0 || h->reaped)
		return true;
	w = waitpid(h->pid, &h->status, WNOHANG);
	if (w < 0 && errno == ECHILD)
		h->status = 0; /* reaped by someone else: nothing to tell */
	if (w == h->pid || (w < 0 && errno == ECHILD))
		h->reaped = true;
	return h->reaped;
}

/* Whether the host died before we asked anything: it never speaks first,
 * so a socket that has hung up (or has something to read) means it is
 * gone, as does its pid. */
static bool
host_gone(struct host_link *h)
{
	struct pollfd p = { .fd = h->sock, .events = POLLIN };

	return host_exited(h) ||
	    (poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR)));
}

/* Wait until the host has ended (its socket closed: it has, or is about
 * to) and return its wait status. Its last words first: the pipes are read
 * until it is reaped, then what is left in them, not until they close (a
 * child process it started may hold them open long after). */
static int
reap(struct host_link *h)
{
	double start = monotonic_seconds();
	bool killed = false;

	while (!host_exited(h)) {
		drain(h, true, 10);
		if (!killed && monotonic_seconds() - start > STOP_PATIENCE) {
			/* alive with its socket closed, or it spoke nonsense */
			free(h->killed_why);
			h->killed_why = strdup("killed: it stopped answering");
			kill(h->pid, SIGKILL);
			killed = true;
		}
	}
	drain_all(h);
	h->pid = 0;
	h->reaped = false;
	return h->status;
}

/* How a reaped process ended: "SIGSEGV (Segmentation fault)". */
static void
status_text(int status, char *buf, size_t size)
{
	if (WIFSIGNALED(status)) {
		const char *abbrev = sigabbrev_np(WTERMSIG(status));

		snprintf(buf, size, "SIG%s (%s)", abbrev != NULL ? abbrev : "?",
		    strsignal(WTERMSIG(status)));
	} else if (WIFEXITED(status))
		snprintf(buf, size, "exit status %d", WEXITSTATUS(status));
	else
		snprintf(buf, size, "unknown cause");
}

/* The host is gone: reap it and say how, once. */
void
link_died(struct host_link *h, bool in_step)
{
	char how[128], where[64];

	status_text(reap(h), how, sizeof how);
	h->died_in_step = in_step;
	if (!in_step) {
		free(h->death);
		h->death = NULL;
		cause_set(&h->death, "host died while idle: %s", how);
		free(h->killed_why);
		h->killed_why = NULL;
		close_fds(h);
		return;
	}
	if (h->step_interp != INTERP_NONE)
		snprintf(where, sizeof where, " in interpreter %lld",
		    (long long)h->step_interp);
	else
		where[0] = '\0';
	free(h->death);
	h->death = NULL;
	cause_set(&h->death, "host died: %s%s while running: %s%s%s%s", how,
	    where, h->step, h->killed_why != NULL ? " (" : "",
	    h->killed_why != NULL ? h->killed_why : "",
	    h->killed_why != NULL ? ")" : "");
	free(h->killed_why);
	h->killed_why = NULL;
	close_fds(h);
}

static void
kill_host(struct host_link *h, const char *why)
{
	free(h->killed_why);
	h->killed_why = strdup(why);
	if (h->pid > 0)
		kill(h->pid, SIGKILL);
}

/* Whether the host ignores SIGINT (/proc/PID/status, SigIgn): Python
 * code set SIG_IGN or SIG_DFL for it, so a step in main is not
 * interrupted (docs/protocol.md). */
static bool
host_ignores_sigint(struct host_link *h)
{
	char path[64], line[128];
	unsigned long long mask = 0;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/status", (long)h->pid);
	f = fopen(path, "re");
	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof line, f) != NULL)
		found = sscanf(line, "SigIgn: %llx", &mask) == 1;
	fclose(f);
	return found && (mask & (1ULL << (SIGINT - 1))) != 0;
}

/* Why a step may not stop on Ctrl-C, from what the host's main thread
 * (the one that runs steps) is doing: in a system call, or running. */
static const char *
stuck_reason(struct host_link *h)
{
	char path[64], what[32] = "";
	bool blocked;
	FILE *f;

	if (h->step_interp == 0 && host_ignores_sigint(h))
		return "Python ignores SIGINT in the main interpreter: "
		    "signal.signal(signal.SIGINT, signal.default_int_handler) "
		    "lets Ctrl-C through again";

	snprintf(path, sizeof path, "/proc/%ld/syscall", (long)h->pid);
	f = fopen(path, "re");
	if (f != NULL) {
		if (fgets(what, sizeof what, f) == NULL)
			what[0] = '\0';
		fclose(f);
	}
	/* "running", or "-1 ..." when blocked outside a system call */
	blocked = what[0] >= '0' && what[0] <= '9';
	if (blocked && h->step_interp != 0)
		return "in a sub-interpreter a blocking call such as time.sleep() "
		    "runs to its end: CPython runs signal handlers only in the "
		    "main interpreter's main thread";
	if (blocked)
		return "a blocking call that does not give way to signals?";
	return "C code that never checks for signals?";
}

/* A step that does not end: past %timeout, interrupt it, then kill the
 * host; after Ctrl-C, warn once why it may not be listening (stuck_reason)
 * and kill on the next Ctrl-C (the host's death is then reported as any
 * other). Called on the clock, whatever the host is printing. */
static void
escalate(struct host_link *h, double start, double *first_interrupt,
    bool *warned)
{
	char warn[512];
	double t = monotonic_seconds();

	if (h->interrupts > 0 && *first_interrupt == 0)
		*first_interrupt = t;
	if (h->interrupts >= 2 && *warned) {
		kill_host(h, "killed after Ctrl-C");
		return;
	}
	if (h->interrupts >= 1 && !*warned &&
	    (h->interrupts >= 2 || t - *first_interrupt > 3.0)) {
		snprintf(warn, sizeof warn, "\nsubrepl: the step does not stop "
		    "(%s): Ctrl-C again kills the host; %%restart --replay then "
		    "brings you back\n", stuck_reason(h));
		copy_out(STDERR_FILENO, warn, strlen(warn));
		*warned = true;
		h->interrupts = 1;
	}
	if (h->timeout > 0 && t - start > h->timeout) {
		if (h->timeout > 0 && t - start > h->timeout + 2.0) {
			char why[96];

			snprintf(why, sizeof why, "killed: the step ran past %%timeout "
			    "%g s", h->timeout);
			kill_host(h, why);
		} else if (*first_interrupt == 0) {
			link_interrupt(h, false);
			*first_interrupt = t;
		}
	}
}

void
link_interrupt(struct host_link *h, bool terminal)
{
	union sigval v = { .sival_int = (int)(h->next_id &
	    WIRE_INTERRUPT_ID_MASK) | (terminal ? WIRE_INTERRUPT_TERMINAL : 0) };
	pid_t pid = h->pid;

	if (pid > 0)
		sigqueue(pid, SIGUSR1, v);
}

/* Whether one of the stop descriptors polled is readable (or hung up). */
static bool
stop_asked(const struct pollfd *p, nfds_t n)
{
	nfds_t i;

	for (i = 0; i < n; i++) {
		if (p[i].revents & (POLLIN | POLLHUP | POLLERR))
			return true;
	}
	return false;
}

bool
link_stop_waiting(const int *fds, size_t n)
{
	struct pollfd p[LINK_STOP_MAX];
	nfds_t i;

	n = n < LINK_STOP_MAX ? n : LINK_STOP_MAX;
	for (i = 0; i < n; i++) {
		p[i].fd = fds[i];
		p[i].events = POLLIN;
		p[i].revents = 0;
	}
	return n > 0 && poll(p, (nfds_t)n, 0) > 0 && stop_asked(p, (nfds_t)n);
}

/* One request and its reply; the reply is the host's JSON object (with
 * "ok" true) or NULL with *cause. */
/* The request as a frame, with the descriptor pass_fd riding on it
 * unless it is -1. */
static int
send_request(struct host_link *h, json_t *req, int pass_fd)
{
	char *text;
	int rc;

	if (pass_fd < 0)
		return wire_send(h->sock, req, NULL);
	text = json_dumps(req, JSON_COMPACT);
	if (text == NULL)
		return -1;
	rc = wire_write_fd(h->sock, text, strlen(text), pass_fd, NULL);
	free(text);
	return rc;
}

static json_t *
request(struct host_link *h, json_t *req, int pass_fd, char **cause)
{
	json_t *reply = NULL;
	double start, tick, first_interrupt = 0;
	bool warned = false, in_step = false;
	int rc;

	if (h->pid == 0) {
		cause_set(cause, "%s; %%restart starts a new host",
		    h->death != NULL ? h->death : "the host is not running");
		json_decref(req);
		return NULL;
	}
	fflush(stdout);
	fflush(stderr);
	if (json_object_set_new(req, "id", json_integer(++h->next_id)) != 0) {
		json_decref(req);
		cause_set(cause, "out of memory");
		return NULL;
	}
	/* a Ctrl-C from now on names this request: it may go before the
	 * request does (the host keeps it for the request's step) */
	h->interrupts = 0;
	/* Dead before it was asked (killed while idle, a crash in a thread
	 * of its own): this request did not kill it, and did not run. */
	if (host_gone(h) || send_request(h, req, pass_fd) != 0) {
		json_decref(req);
		goto died;
	}
	in_step = true;
	json_decref(req);
	start = tick = monotonic_seconds();
	for (;;) {
		struct pollfd p[3 + LINK_STOP_MAX] = {
			{ .fd = h->sock, .events = POLLIN },
			{ .fd = h->leave_output ? -1 : h->out, .events = POLLIN },
			{ .fd = h->leave_output ? -1 : h->err, .events = POLLIN },
		};
		nfds_t np = 3;
		int n;
		double t;

		for (; np < 3 + h->nstop && np < 3 + LINK_STOP_MAX; np++) {
			p[np].fd = h->stop_fds[np - 3];
			p[np].events = POLLIN;
		}
		n = poll(p, np, 0);

		/* Most steps end within the spin: their reply then costs no
		 * wake-up (spin.h). Between polls, whoever else wants this CPU
		 * gets it (`check --jobs`: the other jobs' hosts). */
		if (n == 0 && cpu_to_spare() &&
		    monotonic_seconds() - start < SPIN_STEP_SECONDS) {
			sched_yield();
			continue;
		}
		if (n == 0)
			n = poll(p, np, TICK_MS);
		if (n < 0 && errno != EINTR) {
			cause_set(cause, "cannot wait for the host's reply: %s",
			    strerror(errno));
			break;
		}
		/* On time, whatever is readable: a step that prints without
		 * a pause keeps the pipes readable, and must still meet its
		 * %timeout and Ctrl-C. */
		t = monotonic_seconds();
		if (t - tick >= TICK_MS / 1000.0) {
			tick = t;
			if (host_exited(h))
				goto died;
			escalate(h, start, &first_interrupt, &warned);
			if (h->idle != NULL)
				h->idle(h->idle_arg);
		}
		if (n <= 0)
			continue;
		if (stop_asked(p + 3, np - 3)) {
			/* once: the interrupt is on its way */
			h->nstop = 0;
			h->interrupts++;
			link_interrupt(h, false);
		}
		if ((p[1].revents | p[2].revents) & (POLLIN | POLLHUP))
			drain(h, false, 0);
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			rc = wire_recv(h->sock, &reply, NULL);
			if (rc != 0)
				goto died;
			break;
		}
	}
	if (!h->leave_output)
		drain_all(h);
	release_held(h);
	if (reply != NULL && !json_is_true(json_object_get(reply, "ok"))) {
		const char *c = json_string_value(json_object_get(reply, "cause"));

		cause_set(cause, "%s", c != NULL ? c : "the host refused the request");
		json_decref(reply);
		return NULL;
	}
	return reply;
died:
	/* The caller reports the death line; the held text (faulthandler's
	 * report) waits for session_host_last_words, to come after it. */
	link_died(h, in_step);
	cause_set(cause, "%s", h->death);
	return NULL;
}

int
link_call(struct host_link *h, enum proto_op_id id, struct proto_call *c,
    char **cause)
{
	const struct proto_op *op = &proto_ops[id];
	json_t *req = json_pack("{s:s}", "op", op->name), *reply;

	if (req == NULL || proto_encode(op->args, c, req) != 0) {
		json_decref(req);
		cause_set(cause, "cannot encode the '%s' request (out of memory, "
		    "or text that is not UTF-8)", op->name);
		return -1;
	}
	reply = request(h, req, op->passes_fd ? c->fd : -1, cause);
	if (reply == NULL)
		return -1;
	if (proto_decode(op->results, reply, c, cause) != 0) {
		json_decref(reply);
		cause_prefix(cause, "the host's reply to '%s' is malformed",
		    op->name);
		return -1;
	}
	json_decref(reply);
	if (op->trailer) {
		size_t want = c->trailer_len;

		if (wire_read(h->sock, &c->trailer, &c->trailer_len, NULL) != 0) {
			link_died(h, true);
			cause_set(cause, "%s", h->death);
			return -1;
		}
		if (c->trailer_len != want) {
			cause_set(cause, "the host announced %zu bytes after its "
			    "reply to '%s' and sent %zu", want, op->name,
			    c->trailer_len);
			return -1;
		}
	}
	return 0;
}

static void __attribute__((format(printf, 3, 0)))
step_set(struct host_link *h, interp_id id, const char *fmt, va_list ap)
{
	char *p;

	vsnprintf(h->step, sizeof h->step, fmt, ap);
	for (p = h->step; *p != '\0'; p++) {
		if (*p == '\n')
			*p = ';';
	}
	h->step_interp = id == INTERP_NONE ? h->current : id;
}

void
link_step(struct host_link *h, interp_id id, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	step_set(h, id, fmt, ap);
	va_end(ap);
	memcpy(h->last_step, h->step, sizeof h->last_step);
}

void
link_aside(struct host_link *h, interp_id id, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	step_set(h, id, fmt, ap);
	va_end(ap);
}

/* Close the descriptors of a pair that was opened (-1 is not). */
static void
close_pair(int fds[2])
{
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	fds[0] = fds[1] = -1;
}

/* Read and check the host's hello. */
static int
hello(struct host_link *h, char **cause)
{
	struct proto_call c;
	json_t *msg;
	const char *refused = NULL;

	/* wait for it, copying what the host prints meanwhile */
	for (;;) {
		struct pollfd p = { .fd = h->sock, .events = POLLIN };

		if (poll(&p, 1, 50) > 0)
			break;
		if (drain(h, false, 0) != 0)
			break;
	}
	if (wire_recv(h->sock, &msg, NULL) != 0) {
		link_died(h, true);
		cause_set(cause, "%s", h->death);
		return -1;
	}
	if (!json_is_true(json_object_get(msg, "ok"))) {
		refused = json_string_value(json_object_get(msg, "cause"));
		cause_set(cause, "the host could not start Python: %s",
		    refused != NULL ? refused : "it did not say why");
		json_decref(msg);
		return -1;
	}
	memset(&c, 0, sizeof c);
	if (json_integer_value(json_object_get(msg, "v")) != WIRE_VERSION) {
		cause_set(cause, "the host speaks protocol version %lld, this front "
		    "end version %d: install one subrepl", (long long)
		    json_integer_value(json_object_get(msg, "v")), WIRE_VERSION);
		json_decref(msg);
		return -1;
	}
	if (proto_decode(proto_ops[OP_HELLO].results, msg, &c, cause) != 0) {
		cause_prefix(cause, "the host's hello is malformed");
		json_decref(msg);
		return -1;
	}
	json_decref(msg);
	snprintf(h->version, sizeof h->version, "%s", c.python);
	snprintf(h->build, sizeof h->build, "%s", c.build);
	h->has_config = c.has_config;
	return 0;
}

/* Whether exe is the program this process runs. */
static bool
is_this_program(const char *exe)
{
	struct stat a, b;

	return stat(exe, &a) == 0 && stat("/proc/self/exe", &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* The host, in the child of a fork, without an exec (the host is this
 * program): a process as exec would have made it, then serve. Every
 * descriptor but 0-2 and the host's socket is closed, every signal back
 * to its default, and the child ends with _exit, which runs none of the
 * front end's exit work nor flushes its streams a second time. */
static int
serve_here(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int sig, fd;

	for (sig = 1; sig < NSIG; sig++) {
		if (sig != SIGKILL && sig != SIGSTOP && sig != SIGINT)
			signal(sig, SIG_DFL);
	}
	while (d != NULL && (e = readdir(d)) != NULL) {
		fd = atoi(e->d_name);
		if (e->d_name[0] != '.' && fd > HOST_FD && fd != dirfd(d))
			close(fd);
	}
	if (d != NULL)
		closedir(d);
	return session_host_serve(HOST_FD);
}

int
link_start(struct host_link *h, char **cause)
{
	int sv[2] = { -1, -1 }, outp[2] = { -1, -1 }, errp[2] = { -1, -1 };
	bool same_program;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0 ||
	    pipe2(outp, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0) {
		cause_set(cause, "cannot set up the host's channels: %s",
		    strerror(errno));
		close_pair(sv);
		close_pair(outp);
		close_pair(errp);
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	/* perf: exec'ing the same program again cost a fifth of the time to
	 * the first prompt (loading and relocating libpython and the rest) */
	same_program = is_this_program(h->exe);
	pid = fork();
	if (pid < 0) {
		cause_set(cause, "cannot start the host: %s", strerror(errno));
		close_pair(sv);
		close_pair(outp);
		close_pair(errp);
		return -1;
	}
	if (pid == 0) {
		char fdarg[32];
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* a host must not outlive its front end */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		signal(SIGINT, SIG_IGN);
		dup2(outp[1], STDOUT_FILENO);
		dup2(errp[1], STDERR_FILENO);
		dup2(sv[1], HOST_FD);
		if (same_program)
			_exit(serve_here());
		snprintf(fdarg, sizeof fdarg, "--host=%d", HOST_FD);
		execl(h->exe, "subrepl", fdarg, (char *)NULL);
		dprintf(errp[1], "subrepl: cannot run the host %s: %s\n", h->exe,
		    strerror(errno));
		_exit(127);
	}
	close(sv[1]);
	close(outp[1]);
	close(errp[1]);
	h->pid = pid;
	h->sock = sv[0];
	h->out = outp[0];
	h->err = errp[0];
	h->started = time(NULL);
	h->current = 0;
	free(h->death);
	h->death = NULL;
	h->last_step[0] = '\0';
	link_aside(h, 0, "starting");
	if (hello(h, cause) != 0) {
		link_stop(h, NULL); /* a host that refused or spoke nonsense */
		return -1;
	}
	drain_all(h);
	return 0;
}

int
link_stop(struct host_link *h, const char *when)
{
	char how[128];
	double start;
	bool idle = false, killed = false, report = false;
	int status;

	if (h->pid > 0) {
		json_t *q = json_pack("{s:s, s:I}", "op", proto_ops[OP_QUIT].name,
		    "id", (json_int_t)0);

		idle = host_gone(h);
		if (q != NULL && !idle)
			wire_send(h->sock, q, NULL);
		json_decref(q);
		start = monotonic_seconds();
		while (!host_exited(h)) {
			drain(h, true, 10);
			if (!killed && monotonic_seconds() - start > STOP_PATIENCE) {
				kill(h->pid, SIGKILL);
				killed = true;
			}
		}
		status = h->status;
		h->pid = 0;
		h->reaped = false;
		/* Python finalizes on its way out: a crash there (a module's
		 * teardown, an atexit function) is a death like any other */
		report = when != NULL && (killed || WIFSIGNALED(status) ||
		    (WIFEXITED(status) && WEXITSTATUS(status) != 0));
		if (report) {
			status_text(status, how, sizeof how);
			free(h->death);
			h->death = NULL;
			if (idle)
				cause_set(&h->death, "host died while idle: %s (found "
				    "%s)", how, when);
			else if (killed)
				cause_set(&h->death, "host died while finishing: %s, "
				    "as it did not exit within %g s (%s)", how,
				    STOP_PATIENCE, when);
			else
				cause_set(&h->death, "host died while finishing: %s "
				    "(%s)", how, when);
		}
	}
	drain_all(h);
	if (!report)
		release_held(h); /* else they are its last words */
	close_fds(h);
	return report ? -1 : 0;
}

int
link_output_fds(struct host_link *h, int fds[2])
{
	int n = 0;

	if (h->out >= 0)
		fds[n++] = h->out;
	if (h->err >= 0)
		fds[n++] = h->err;
	return n;
}

bool
link_output_copy(struct host_link *h)
{
	int i;

	h->line_open = false; /* nothing copied yet */
	drain(h, false, 0);
	/* print() writes its pieces one by one (the host's stdout is not
	 * buffered): give the rest of a line a moment to come */
	for (i = 0; i < 5 && h->line_open; i++)
		drain(h, true, 4);
	return !h->line_open;
}

char *
link_last_words(struct host_link *h)
{
	char *text;

	if (h->held == NULL)
		return NULL;
	text = realloc(h->held, h->held_len + 1);
	if (text == NULL)
		return NULL;
	text[h->held_len] = '\0';
	h->held = NULL;
	h->held_len = 0;
	return text;
}
