/*
 * host.c: the host process. `subrepl --host=FD` runs the engine in-process
 * and serves the session API to the front end over the socket FD, one
 * request at a time (docs/protocol.md). Whatever Python or an extension
 * does to this process — a segfault, abort(), Py_FatalError, os._exit() —
 * ends only the host; the front end sees the socket close and reports it.
 *
 * Output: fd 1 and 2 are pipes the front end reads as they fill, so
 * sys.stdout is made unbuffered and C stdio too; faulthandler is on, so a
 * fatal signal leaves every thread's Python traceback on fd 2.
 * Signals: SIGINT from the terminal is ignored (the front end decides what
 * Ctrl-C means); SIGUSR1 is the front end's "interrupt the running step".
 */
#include "config.h"

#include "host.h"

#include <dlfcn.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cause.h"
#include "import.h"
#include "interp.h"
#include "run.h"
#include "session-impl.h"
#include "snapshot-json.h"
#include "wire-codec.h"
#include "wire.h"

static struct session *served;

/* CPython's own traceback dumper (what faulthandler uses), when this
 * libpython exports it: faulthandler only dumps the main interpreter's
 * threads, so a crash in a sub-interpreter would show no Python frame. */
typedef void (*dump_fn)(int fd, PyThreadState *tstate);
static dump_fn dump_traceback;
static struct sigaction before[NSIG];   /* faulthandler's handlers */

static void
on_fatal(int sig)
{
	static const char head[] = "Python traceback of the step that crashed:\n";
	PyThreadState *ts = run_active_tstate();
	ssize_t n;

	if (ts != NULL && dump_traceback != NULL) {
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
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NODEFER | SA_ONSTACK;
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, &before[sigs[i]]);
}

static void
on_interrupt(int sig)
{
	(void)sig;
	session_interrupt(served);
}

static json_t *
fail(char *cause)
{
	json_t *r = json_pack("{s:b, s:s}", "ok", 0,
	    "cause", cause != NULL ? cause : "out of memory");

	free(cause);
	return r;
}

static json_t *
ok(void)
{
	return json_pack("{s:b}", "ok", 1);
}

static json_t *
op_list(struct session *s)
{
	struct interp_info *v;
	char *cause = NULL;
	json_t *r, *arr;
	size_t n, i;

	if (session_list(s, &v, &n, &cause) != 0)
		return fail(cause);
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, codec_info(&v[i]));
	free(v);
	r = ok();
	json_object_set_new(r, "interps", arr);
	return r;
}

static json_t *
op_info(struct session *s, json_t *req)
{
	struct interp_info info;
	char *cause = NULL;
	json_t *r;

	if (session_info(s, json_integer_value(json_object_get(req, "interp")),
	    &info, &cause) != 0)
		return fail(cause);
	r = ok();
	json_object_set_new(r, "info", codec_info(&info));
	return r;
}

static json_t *
op_create(struct session *s, json_t *req)
{
	struct interp_request ir;
	struct interp_info info;
	char *cause = NULL;
	json_t *r;

	codec_request_from(json_object_get(req, "request"), &ir);
	if (session_new(s, &ir, &info, &cause) != 0)
		return fail(cause);
	r = ok();
	json_object_set_new(r, "info", codec_info(&info));
	return r;
}

static json_t *
op_id(struct session *s, json_t *req,
    int (*fn)(struct session *, interp_id, char **))
{
	char *cause = NULL;

	if (fn(s, json_integer_value(json_object_get(req, "interp")), &cause) != 0)
		return fail(cause);
	return ok();
}

static json_t *
op_run(struct session *s, json_t *req)
{
	struct run_result res;
	char *cause = NULL;
	json_t *r;

	if (session_run(s, json_integer_value(json_object_get(req, "interp")),
	    json_string_value(json_object_get(req, "source")),
	    (enum run_mode)json_integer_value(json_object_get(req, "mode")),
	    &res, &cause) != 0)
		return fail(cause);
	fflush(stdout);
	fflush(stderr);
	r = ok();
	json_object_set_new(r, "outcome", json_integer(res.outcome));
	json_object_set_new(r, "ran_in", json_integer(res.interp));
	json_object_set_new(r, "exit_code", json_integer(res.exit_code));
	return r;
}

static json_t *
op_complete(struct session *s, json_t *req)
{
	char **v, *cause = NULL;
	size_t n, i;
	json_t *r, *arr;

	if (session_complete(s, json_integer_value(json_object_get(req, "interp")),
	    json_string_value(json_object_get(req, "text")), &v, &n, &cause) != 0)
		return fail(cause);
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_string(v[i]));
	session_free_strings(v, n);
	r = ok();
	json_object_set_new(r, "matches", arr);
	return r;
}

static json_t *
op_import(struct session *s, json_t *req)
{
	json_t *ids = json_object_get(req, "interps"), *v, *r, *arr;
	struct import_report *reports;
	interp_id *idv;
	char *cause = NULL;
	size_t n = json_array_size(ids), i;

	idv = calloc(n + 1, sizeof *idv);
	reports = calloc(n + 1, sizeof *reports);
	json_array_foreach(ids, i, v)
		idv[i] = json_integer_value(v);
	if (session_import(s, json_string_value(json_object_get(req, "name")),
	    json_string_value(json_object_get(req, "path")), idv, n, reports,
	    &cause) != 0) {
		free(idv);
		free(reports);
		return fail(cause);
	}
	fflush(stdout);
	fflush(stderr);
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, codec_import_report(&reports[i]));
	free(idv);
	free(reports);
	r = ok();
	json_object_set_new(r, "reports", arr);
	return r;
}

static json_t *
op_reinit(struct session *s)
{
	struct reinit_map *map = NULL;
	char *cause = NULL;
	size_t n = 0, i;
	json_t *r, *arr;

	if (session_reinit(s, &map, &n, &cause) != 0)
		return fail(cause);
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("[I, I]",
		    (json_int_t)map[i].old_id, (json_int_t)map[i].new_id));
	free(map);
	r = ok();
	json_object_set_new(r, "map", arr);
	return r;
}

/* The snapshot travels as a second frame holding its JSON text. */
static json_t *
op_snapshot(struct session *s, json_t *req, int fd, bool *sent)
{
	struct snap_filter f;
	const char *names[256];
	struct snapshot *snap;
	char *cause = NULL, *text = NULL;
	size_t len = 0;
	FILE *mem;
	json_t *r;

	*sent = false;
	codec_filter_from(json_object_get(req, "filter"), &f, names, 256);
	if (session_snapshot(s, &f, &snap, &cause) != 0)
		return fail(cause);
	mem = open_memstream(&text, &len);
	if (mem == NULL) {
		snapshot_free(snap);
		return fail(NULL);
	}
	snapshot_write_json(snap, mem);
	fclose(mem);
	snapshot_free(snap);
	r = ok();
	json_object_set_new(r, "follows", json_integer((json_int_t)len));
	json_object_set(r, "id", json_object_get(req, "id"));
	if (wire_send(fd, r, NULL) == 0)
		wire_write(fd, text, len, NULL);
	free(text);
	json_decref(r);
	*sent = true;
	return NULL;
}

static json_t *
dispatch(struct session *s, json_t *req, int fd, bool *sent, bool *quit)
{
	const char *op = json_string_value(json_object_get(req, "op"));
	char *cause = NULL;

	*sent = false;
	if (op == NULL)
		op = "";
	if (strcmp(op, "list") == 0)
		return op_list(s);
	if (strcmp(op, "resolve") == 0) {
		interp_id id;
		json_t *r;

		if (session_resolve(s, json_string_value(json_object_get(req, "ref")),
		    &id, &cause) != 0)
			return fail(cause);
		r = ok();
		json_object_set_new(r, "interp", json_integer(id));
		return r;
	}
	if (strcmp(op, "info") == 0)
		return op_info(s, req);
	if (strcmp(op, "create") == 0)
		return op_create(s, req);
	if (strcmp(op, "use") == 0)
		return op_id(s, req, session_use);
	if (strcmp(op, "destroy") == 0)
		return op_id(s, req, session_del);
	if (strcmp(op, "current") == 0) {
		json_t *r = ok();

		json_object_set_new(r, "interp", json_integer(session_current(s)));
		return r;
	}
	if (strcmp(op, "run") == 0)
		return op_run(s, req);
	if (strcmp(op, "complete") == 0)
		return op_complete(s, req);
	if (strcmp(op, "import") == 0)
		return op_import(s, req);
	if (strcmp(op, "reinit") == 0)
		return op_reinit(s);
	if (strcmp(op, "snapshot") == 0)
		return op_snapshot(s, req, fd, sent);
	if (strcmp(op, "quit") == 0) {
		*quit = true;
		return ok();
	}
	cause_set(&cause, "unknown request '%s'", op);
	return fail(cause);
}

/* Batch input sends the next request right after a reply: waiting for it
 * briefly on the CPU beats the wake-up latency of a blocking read. */
static void
spin_until_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		if (poll(&p, 1, 0) != 0)
			return;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) <
	    100000L);
}

int
host_serve(int fd)
{
	struct sigaction sa;
	char *cause = NULL;
	json_t *hello;
	bool quit = false;

	setvbuf(stdout, NULL, _IONBF, 0);
	setvbuf(stderr, NULL, _IONBF, 0);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	session_inproc_for_host();
	served = session_open_inprocess(&cause);
	if (served == NULL) {
		json_t *r = json_pack("{s:b, s:s}", "ok", 0, "cause",
		    cause != NULL ? cause : "out of memory");

		wire_send(fd, r, NULL);
		json_decref(r);
		return 1;
	}
	fatal_handlers_install();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);

	hello = json_pack("{s:b, s:i, s:I, s:s, s:s, s:b}", "ok", 1,
	    "v", WIRE_VERSION, "pid", (json_int_t)getpid(),
	    "version", session_python_version(served),
	    "build", session_python_build(served),
	    "has_config", session_has_config(served));
	if (wire_send(fd, hello, NULL) != 0) {
		json_decref(hello);
		return 1;
	}
	json_decref(hello);

	while (!quit) {
		json_t *req, *reply;
		bool sent;
		int rc;

		spin_until_readable(fd);
		rc = wire_recv(fd, &req, NULL);

		if (rc != 0)
			break; /* the front end is gone: so are we */
		reply = dispatch(served, req, fd, &sent, &quit);
		if (!sent && reply != NULL) {
			json_object_set(reply, "id", json_object_get(req, "id"));
			if (wire_send(fd, reply, NULL) != 0)
				quit = true;
		}
		json_decref(reply);
		json_decref(req);
	}
	session_close(served);
	return 0;
}
