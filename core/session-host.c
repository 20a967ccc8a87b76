/*
 * session-host.c: the session API served by a supervised host process.
 *
 * The front end forks and execs its own binary as `subrepl --host=3` with a
 * socketpair on fd 3 and pipes on fd 1 and 2. Requests and replies go over
 * the socket (docs/protocol.md); what the host writes to fd 1 and 2 (Python
 * and C alike) is copied to our stdout and stderr while we wait for the
 * reply, so it appears as it is produced and in order per stream.
 *
 * When the host dies the socket closes: we reap it, say in one line how it
 * died (signal or exit status), in which interpreter and during which step,
 * and then print what faulthandler wrote. A fatal error's text ("Fatal
 * Python error: ...") is held back from the moment it starts, so the
 * one-line report comes first and the traceback after it. Every later
 * request fails with that line until session_restart starts a new host.
 *
 * Ctrl-C: the host ignores the terminal's SIGINT; session_interrupt sends it
 * SIGUSR1, which its watcher turns into KeyboardInterrupt in the
 * interpreter running the step.
 */
#include "config.h"

#include "session.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cause.h"
#include "session-impl.h"
#include "wire-codec.h"
#include "wire.h"

#define HOST_FD 3
#define STEP_TEXT_MAX 200

struct session_host {
	struct session base;       /* must be first */
	char *exe;                 /* the binary to run as host */
	volatile pid_t pid;        /* the host, 0 when none */
	int sock;                  /* requests and replies */
	int out;                   /* the host's fd 1 */
	int err;                   /* the host's fd 2 */
	json_int_t next_id;        /* request ids */
	char version[32];          /* "3.12.1" */
	char build[256];           /* Py_GetVersion() */
	bool has_config;
	char *death;               /* one line on how the host died, or NULL */
	char step[STEP_TEXT_MAX + 1]; /* what the running request does */
	interp_id step_interp;     /* where it runs */
	interp_id current;         /* the host's current interpreter, cached */
	volatile sig_atomic_t interrupts; /* Ctrl-C during the current request */
	double timeout;            /* %timeout: seconds a step may take, 0: none */
	char *killed_why;          /* why we killed the host, for its death line */
	char *held;                /* fatal-error text held back, or NULL */
	size_t held_len;
	time_t started;            /* when the host started */
};

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
hold(struct session_host *h, const char *buf, size_t len)
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
release_held(struct session_host *h)
{
	if (h->held != NULL)
		copy_out(STDERR_FILENO, h->held, h->held_len);
	free(h->held);
	h->held = NULL;
	h->held_len = 0;
}

/* Pass stderr on, holding back from the start of a fatal error report. */
static void
forward_err(struct session_host *h, const char *buf, size_t len)
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

/* Copy what is readable on the output pipes; -1 when both are closed. */
static int
drain(struct session_host *h, bool wait, int timeout_ms)
{
	struct pollfd p[2] = {
		{ .fd = h->out, .events = POLLIN },
		{ .fd = h->err, .events = POLLIN },
	};
	char buf[16384];
	int i, open_fds = 0;

	if (poll(p, 2, wait ? timeout_ms : 0) <= 0)
		return 0;
	for (i = 0; i < 2; i++) {
		ssize_t n;

		if (p[i].fd < 0)
			continue;
		open_fds++;
		if ((p[i].revents & (POLLIN | POLLHUP)) == 0)
			continue;
		n = read(p[i].fd, buf, sizeof buf);
		if (n > 0) {
			if (i == 0)
				copy_out(STDOUT_FILENO, buf, (size_t)n);
			else
				forward_err(h, buf, (size_t)n);
		} else if (n == 0) {
			open_fds--;
		}
	}
	return open_fds > 0 ? 0 : -1;
}

/* Everything still in the pipes (the host wrote it before replying). */
static void
drain_all(struct session_host *h)
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
close_fds(struct session_host *h)
{
	if (h->sock >= 0)
		close(h->sock);
	if (h->out >= 0)
		close(h->out);
	if (h->err >= 0)
		close(h->err);
	h->sock = h->out = h->err = -1;
}

/* The host is gone: reap it and say how, once. */
static void
host_died(struct session_host *h)
{
	char how[128], where[64];
	int status = 0;
	pid_t pid = h->pid;
	int i;

	/* Its last words first, then its exit. */
	for (i = 0; i < 200 && drain(h, true, 10) == 0; i++)
		;
	if (pid > 0) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	h->pid = 0;
	if (WIFSIGNALED(status)) {
		const char *abbrev = sigabbrev_np(WTERMSIG(status));

		snprintf(how, sizeof how, "SIG%s (%s)", abbrev != NULL ? abbrev : "?",
		    strsignal(WTERMSIG(status)));
	} else if (WIFEXITED(status))
		snprintf(how, sizeof how, "exit status %d", WEXITSTATUS(status));
	else
		snprintf(how, sizeof how, "unknown cause");
	if (h->step_interp != INTERP_NONE)
		snprintf(where, sizeof where, " in interpreter %lld",
		    (long long)h->step_interp);
	else
		where[0] = '\0';
	free(h->death);
	h->death = NULL;
	cause_set(&h->death, "host died: %s%s while running: %s%s%s", how, where,
	    h->step, h->killed_why != NULL ? " (" : "",
	    h->killed_why != NULL ? h->killed_why : "");
	if (h->killed_why != NULL) {
		size_t len = strlen(h->death);
		char *d = realloc(h->death, len + 2);

		if (d != NULL) {
			d[len] = ')';
			d[len + 1] = '\0';
			h->death = d;
		}
	}
	free(h->killed_why);
	h->killed_why = NULL;
	close_fds(h);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
kill_host(struct session_host *h, const char *why)
{
	free(h->killed_why);
	h->killed_why = strdup(why);
	if (h->pid > 0)
		kill(h->pid, SIGKILL);
}

/* A step that does not end: past %timeout, interrupt it, then kill the
 * host; after Ctrl-C, warn once that C code may not be listening and kill
 * on the next Ctrl-C (the host's death is then reported as any other). */
static void
escalate(struct session_host *h, double start, double *first_interrupt,
    bool *warned)
{
	static const char warn[] = "\nsubrepl: the step does not stop (C code "
	    "that never checks for signals?): Ctrl-C again kills the host; "
	    "%restart --replay then brings you back\n";
	double t = now();

	if (h->interrupts > 0 && *first_interrupt == 0)
		*first_interrupt = t;
	if (h->interrupts >= 2 && *warned) {
		kill_host(h, "killed after Ctrl-C");
		return;
	}
	if (h->interrupts >= 1 && !*warned &&
	    (h->interrupts >= 2 || t - *first_interrupt > 3.0)) {
		copy_out(STDERR_FILENO, warn, sizeof warn - 1);
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
			kill(h->pid, SIGUSR1);
			*first_interrupt = t;
		}
	}
}

/* One request and its reply; the reply is the host's JSON object (with
 * "ok" true) or NULL with *cause. */
static json_t *
request(struct session_host *h, json_t *req, char **cause)
{
	json_t *reply = NULL;
	double start, first_interrupt = 0;
	bool warned = false;
	int rc;

	if (h->pid == 0) {
		cause_set(cause, "%s; %%restart starts a new host",
		    h->death != NULL ? h->death : "the host is not running");
		json_decref(req);
		return NULL;
	}
	json_object_set_new(req, "id", json_integer(++h->next_id));
	fflush(stdout);
	fflush(stderr);
	if (wire_send(h->sock, req, NULL) != 0) {
		json_decref(req);
		goto died;
	}
	json_decref(req);
	h->interrupts = 0;
	start = now();
	for (;;) {
		struct pollfd p[3] = {
			{ .fd = h->sock, .events = POLLIN },
			{ .fd = h->out, .events = POLLIN },
			{ .fd = h->err, .events = POLLIN },
		};
		int n = poll(p, 3, 0);

		/* Most steps answer within tens of microseconds: spinning that
		 * long saves the wake-up latency of sleeping in poll(), which
		 * otherwise dominates a step's round trip. */
		if (n == 0 && now() - start < 0.0002)
			continue;
		if (n == 0)
			n = poll(p, 3, 100);
		if (n < 0 && errno != EINTR)
			break;
		if (n <= 0) {
			escalate(h, start, &first_interrupt, &warned);
			continue;
		}
		if (p[1].revents & POLLIN || p[2].revents & POLLIN)
			drain(h, false, 0);
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			rc = wire_recv(h->sock, &reply, NULL);
			if (rc != 0)
				goto died;
			break;
		}
	}
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
	host_died(h);
	cause_set(cause, "%s", h->death);
	return NULL;
}

static void
step_describe(struct session_host *h, interp_id id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
step_describe(struct session_host *h, interp_id id, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	vsnprintf(h->step, sizeof h->step, fmt, ap);
	va_end(ap);
	for (p = h->step; *p != '\0'; p++) {
		if (*p == '\n')
			*p = ';';
	}
	h->step_interp = id == INTERP_NONE ? h->current : id;
}

static int
start_host(struct session_host *h, char **cause)
{
	int sv[2], outp[2], errp[2];
	json_t *hello;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0 ||
	    pipe2(outp, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0) {
		cause_set(cause, "cannot set up the host's channels: %s",
		    strerror(errno));
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		cause_set(cause, "cannot start the host: %s", strerror(errno));
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
	step_describe(h, 0, "starting");

	/* The hello: who we talk to. */
	for (;;) {
		struct pollfd p = { .fd = h->sock, .events = POLLIN };

		if (poll(&p, 1, 50) > 0)
			break;
		if (drain(h, false, 0) != 0)
			break;
	}
	if (wire_recv(h->sock, &hello, cause) != 0) {
		host_died(h);
		cause_set(cause, "%s", h->death);
		return -1;
	}
	if (json_integer_value(json_object_get(hello, "v")) != WIRE_VERSION &&
	    json_is_true(json_object_get(hello, "ok"))) {
		cause_set(cause, "the host speaks protocol version %lld, this front "
		    "end version %d: install one subrepl", (long long)
		    json_integer_value(json_object_get(hello, "v")), WIRE_VERSION);
		json_decref(hello);
		return -1;
	}
	if (!json_is_true(json_object_get(hello, "ok"))) {
		cause_set(cause, "the host could not start Python: %s",
		    json_string_value(json_object_get(hello, "cause")));
		json_decref(hello);
		return -1;
	}
	snprintf(h->version, sizeof h->version, "%s",
	    json_string_value(json_object_get(hello, "version")));
	snprintf(h->build, sizeof h->build, "%s",
	    json_string_value(json_object_get(hello, "build")));
	h->has_config = json_is_true(json_object_get(hello, "has_config"));
	json_decref(hello);
	drain_all(h);
	return 0;
}

static void
stop_host(struct session_host *h)
{
	int status, i;

	if (h->pid > 0) {
		json_t *q = json_pack("{s:s, s:I}", "op", "quit", "id", (json_int_t)0);

		wire_send(h->sock, q, NULL);
		json_decref(q);
		for (i = 0; i < 300; i++) {
			drain(h, true, 10);
			if (waitpid(h->pid, &status, WNOHANG) == h->pid) {
				h->pid = 0;
				break;
			}
		}
		if (h->pid > 0) {
			kill(h->pid, SIGKILL);
			waitpid(h->pid, &status, 0);
			h->pid = 0;
		}
	}
	drain_all(h);
	release_held(h);
	close_fds(h);
}

/* ------------------------------------------------------------- the ops */

static void
host_close(struct session *s)
{
	struct session_host *h = (struct session_host *)s;

	stop_host(h);
	free(h->death);
	free(h->exe);
	free(h);
}

static const char *
host_python_version(struct session *s)
{
	return ((struct session_host *)s)->version;
}

static const char *
host_python_build(struct session *s)
{
	return ((struct session_host *)s)->build;
}

static bool
host_has_config(struct session *s)
{
	return ((struct session_host *)s)->has_config;
}

static int
host_list(struct session *s, struct interp_info **out, size_t *n, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	json_t *r, *arr, *v;
	size_t i;

	step_describe(h, INTERP_NONE, "listing interpreters");
	r = request(h, json_pack("{s:s}", "op", "list"), cause);
	if (r == NULL)
		return -1;
	arr = json_object_get(r, "interps");
	*out = calloc(json_array_size(arr) + 1, sizeof **out);
	*n = 0;
	json_array_foreach(arr, i, v) {
		codec_info_from(v, &(*out)[(*n)++]);
		if ((*out)[i].current)
			h->current = (*out)[i].id;
	}
	json_decref(r);
	return 0;
}

static int
host_resolve(struct session *s, const char *ref, interp_id *id, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	json_t *r;

	step_describe(h, INTERP_NONE, "finding interpreter '%s'", ref);
	r = request(h, json_pack("{s:s, s:s}", "op", "resolve", "ref", ref), cause);
	if (r == NULL)
		return -1;
	*id = json_integer_value(json_object_get(r, "interp"));
	json_decref(r);
	return 0;
}

static int
host_info(struct session *s, interp_id id, struct interp_info *info, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	json_t *r;

	step_describe(h, id, "describing interpreter %lld", (long long)id);
	r = request(h, json_pack("{s:s, s:I}", "op", "info", "interp",
	    (json_int_t)id), cause);
	if (r == NULL)
		return -1;
	codec_info_from(json_object_get(r, "info"), info);
	json_decref(r);
	return 0;
}

static int
host_create(struct session *s, const struct interp_request *req,
    struct interp_info *info, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	struct interp_info tmp;
	json_t *r;

	step_describe(h, 0, "creating interpreter%s%s", req->name ? " " : "",
	    req->name ? req->name : "");
	r = request(h, json_pack("{s:s, s:o}", "op", "create", "request",
	    codec_request(req)), cause);
	if (r == NULL)
		return -1;
	codec_info_from(json_object_get(r, "info"), info != NULL ? info : &tmp);
	h->current = (info != NULL ? info : &tmp)->id;
	json_decref(r);
	return 0;
}

static int
host_by_id(struct session_host *h, const char *op, interp_id id, char **cause)
{
	json_t *r = request(h, json_pack("{s:s, s:I}", "op", op, "interp",
	    (json_int_t)id), cause);

	if (r == NULL)
		return -1;
	json_decref(r);
	return 0;
}

static int
host_use(struct session *s, interp_id id, char **cause)
{
	struct session_host *h = (struct session_host *)s;

	step_describe(h, id, "switching to interpreter %lld", (long long)id);
	if (host_by_id(h, "use", id, cause) != 0)
		return -1;
	h->current = id;
	return 0;
}

static int
host_destroy(struct session *s, interp_id id, char **cause)
{
	struct session_host *h = (struct session_host *)s;

	step_describe(h, id, "%%del %lld", (long long)id);
	if (host_by_id(h, "destroy", id, cause) != 0)
		return -1;
	if (h->current == id)
		h->current = 0;
	return 0;
}

static interp_id
host_current(struct session *s)
{
	return ((struct session_host *)s)->current;
}

static int
host_reinit(struct session *s, struct reinit_map **map, size_t *n, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	json_t *r, *arr, *v;
	size_t i;

	step_describe(h, 0, "%%reinit");
	r = request(h, json_pack("{s:s}", "op", "reinit"), cause);
	if (r == NULL)
		return -1;
	arr = json_object_get(r, "map");
	*map = calloc(json_array_size(arr) + 1, sizeof **map);
	*n = 0;
	json_array_foreach(arr, i, v) {
		(*map)[i].old_id = json_integer_value(json_array_get(v, 0));
		(*map)[i].new_id = json_integer_value(json_array_get(v, 1));
		(*n)++;
	}
	json_decref(r);
	/* the current interpreter is the recreated one, or main: ask */
	{
		struct interp_info *all;
		size_t count;

		if (host_list(s, &all, &count, NULL) == 0)
			free(all);
	}
	return 0;
}

static int
host_run(struct session *s, interp_id id, const char *source,
    enum run_mode mode, struct run_result *result, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	json_t *r;

	step_describe(h, id, "%s", source);
	r = request(h, json_pack("{s:s, s:I, s:s, s:i}", "op", "run", "interp",
	    (json_int_t)id, "source", source, "mode", (int)mode), cause);
	if (r == NULL)
		return -1;
	memset(result, 0, sizeof *result);
	result->outcome = (enum run_outcome)json_integer_value(json_object_get(r,
	    "outcome"));
	result->interp = json_integer_value(json_object_get(r, "ran_in"));
	result->exit_code = (int)json_integer_value(json_object_get(r, "exit_code"));
	json_decref(r);
	return 0;
}

static int
host_complete(struct session *s, interp_id id, const char *text, char ***out,
    size_t *n, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	json_t *r, *arr, *v;
	size_t i;

	step_describe(h, id, "completing '%s'", text);
	r = request(h, json_pack("{s:s, s:I, s:s}", "op", "complete", "interp",
	    (json_int_t)id, "text", text), cause);
	if (r == NULL)
		return -1;
	arr = json_object_get(r, "matches");
	*out = calloc(json_array_size(arr) + 1, sizeof **out);
	*n = 0;
	json_array_foreach(arr, i, v)
		(*out)[(*n)++] = strdup(json_string_value(v));
	json_decref(r);
	return 0;
}

static int
host_import(struct session *s, const char *name, const char *path,
    const interp_id *ids, size_t n, struct import_report *reports, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	json_t *r, *arr = json_array(), *v;
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_integer(ids[i]));
	step_describe(h, n == 1 ? ids[0] : INTERP_NONE, "%s %s",
	    path != NULL ? "%load" : "%import", path != NULL ? path : name);
	r = request(h, json_pack("{s:s, s:s, s:s?, s:o}", "op", "import", "name",
	    name, "path", path, "interps", arr), cause);
	if (r == NULL)
		return -1;
	json_array_foreach(json_object_get(r, "reports"), i, v) {
		if (i < n)
			codec_import_report_from(v, &reports[i]);
	}
	json_decref(r);
	return 0;
}

static int
host_snapshot(struct session *s, const struct snap_filter *filter,
    struct snapshot **out, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	char *text;
	size_t len;
	json_t *r;

	step_describe(h, filter->only, "taking a snapshot");
	r = request(h, json_pack("{s:s, s:o}", "op", "snapshot", "filter",
	    codec_filter(filter)), cause);
	if (r == NULL)
		return -1;
	json_decref(r);
	if (wire_read(h->sock, &text, &len, cause) != 0) {
		host_died(h);
		cause_set(cause, "%s", h->death);
		return -1;
	}
	*out = codec_snapshot_parse(text, len, cause);
	free(text);
	return *out != NULL ? 0 : -1;
}

/* The host writes the JSON text; we pass it on without parsing it. */
static int
host_snapshot_json(struct session *s, const struct snap_filter *filter,
    FILE *out, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	char *text;
	size_t len;
	json_t *r;

	step_describe(h, filter->only, "taking a snapshot");
	r = request(h, json_pack("{s:s, s:o}", "op", "snapshot", "filter",
	    codec_filter(filter)), cause);
	if (r == NULL)
		return -1;
	json_decref(r);
	if (wire_read(h->sock, &text, &len, cause) != 0) {
		host_died(h);
		cause_set(cause, "%s", h->death);
		return -1;
	}
	if (fwrite(text, 1, len, out) != len) {
		free(text);
		cause_set(cause, "writing failed");
		return -1;
	}
	free(text);
	return 0;
}

static void
host_interrupt(struct session *s)
{
	struct session_host *h = (struct session_host *)s;
	pid_t pid = h->pid;

	h->interrupts++;
	if (pid > 0 && h->interrupts == 1)
		kill(pid, SIGUSR1);
}

static const struct session_ops host_ops = {
	.close = host_close,
	.python_version = host_python_version,
	.python_build = host_python_build,
	.has_config = host_has_config,
	.list = host_list,
	.resolve = host_resolve,
	.info = host_info,
	.create = host_create,
	.use = host_use,
	.destroy = host_destroy,
	.current = host_current,
	.reinit = host_reinit,
	.run = host_run,
	.complete = host_complete,
	.import = host_import,
	.snapshot = host_snapshot,
	.snapshot_json = host_snapshot_json,
	.interrupt = host_interrupt,
};

struct session *
session_open_supervised(const char *exe, char **cause)
{
	struct session_host *h = calloc(1, sizeof *h);

	if (h == NULL) {
		cause_set(cause, "out of memory");
		return NULL;
	}
	h->base.ops = &host_ops;
	h->sock = h->out = h->err = -1;
	h->exe = strdup(exe);
	if (h->exe == NULL || start_host(h, cause) != 0) {
		stop_host(h);
		free(h->exe);
		free(h->death);
		free(h);
		return NULL;
	}
	return &h->base;
}

int
session_set_timeout(struct session *s, double seconds, char **cause)
{
	if (s->ops != &host_ops) {
		cause_set(cause, "a step can only be bounded when Python runs in a "
		    "host process (not with --in-process)");
		return -1;
	}
	((struct session_host *)s)->timeout = seconds;
	return 0;
}

double
session_timeout(struct session *s)
{
	return s->ops == &host_ops ? ((struct session_host *)s)->timeout : 0;
}

pid_t
session_host_pid(struct session *s)
{
	if (s->ops != &host_ops)
		return 0;
	return ((struct session_host *)s)->pid;
}

int
session_restart(struct session *s, char **cause)
{
	struct session_host *h = (struct session_host *)s;

	if (s->ops != &host_ops) {
		cause_set(cause, "this session runs in-process (--in-process): "
		    "there is no host to restart");
		return -1;
	}
	stop_host(h);
	return start_host(h, cause);
}

char *
session_host_last_words(struct session *s)
{
	struct session_host *h = (struct session_host *)s;
	char *text;

	if (s->ops != &host_ops || h->held == NULL)
		return NULL;
	text = realloc(h->held, h->held_len + 1);
	if (text == NULL)
		return NULL;
	text[h->held_len] = '\0';
	h->held = NULL;
	h->held_len = 0;
	return text;
}

const char *
session_host_death(struct session *s)
{
	if (s->ops != &host_ops)
		return NULL;
	return ((struct session_host *)s)->death;
}

const char *
session_host_step(struct session *s)
{
	if (s->ops != &host_ops)
		return NULL;
	return ((struct session_host *)s)->step;
}

long
session_host_uptime(struct session *s)
{
	struct session_host *h = (struct session_host *)s;

	if (s->ops != &host_ops || h->pid == 0)
		return -1;
	return (long)(time(NULL) - h->started);
}
