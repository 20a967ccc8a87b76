/*
 * session-host.c: the session API served by a supervised host process.
 *
 * The front end runs its own binary as `subrepl --host=3` (host.c) and each
 * session call becomes one operation of the protocol table (protocol.c)
 * over the link (host-link.c): arguments into a `struct proto_call`,
 * results back out of it. The host-only calls (restart, timeout, the
 * host's pid and death) are this implementation's optional slots.
 * Ctrl-C: the host ignores the terminal's SIGINT; session_interrupt sends
 * it SIGUSR1 naming the request in flight (link_interrupt), which its
 * watcher turns into KeyboardInterrupt in that request's step.
 */
#include "config.h"

#include "session.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cause.h"
#include "host-link.h"
#include "protocol.h"
#include "snapshot-memory.h"
#include "session-impl.h"
#include "audit.h"
#include "statics.h"
#include "wire-codec.h"

struct session_host {
	struct session base;       /* must be first */
	struct host_link link;     /* the host process */
	struct snap_memory got;    /* the last snapshot of each kind, which
	                            * the next one patches */
};

static void
host_close(struct session *s)
{
	struct session_host *h = (struct session_host *)s;

	link_stop(&h->link, NULL);
	snap_memory_forget(&h->got);
	free(h->link.death);
	free(h->link.exe);
	free(h);
}

static const char *
host_python_version(struct session *s)
{
	return ((struct session_host *)s)->link.version;
}

static const char *
host_python_build(struct session *s)
{
	return ((struct session_host *)s)->link.build;
}

static bool
host_has_config(struct session *s)
{
	return ((struct session_host *)s)->link.has_config;
}

static int
host_list(struct session *s, struct interp_info **out, size_t *n, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	struct proto_call c = { 0 };
	size_t i;

	link_aside(&h->link, INTERP_NONE, "listing interpreters");
	if (link_call(&h->link, OP_LIST, &c, cause) != 0) {
		proto_call_free(&c);
		return -1;
	}
	for (i = 0; i < c.ninfos; i++) {
		if (c.infos[i].current)
			h->link.current = c.infos[i].id;
	}
	*out = c.infos;
	*n = c.ninfos;
	c.infos = NULL;
	proto_call_free(&c);
	return 0;
}

static int
host_resolve(struct session *s, const char *ref, interp_id *id, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	struct proto_call c = { .text = ref };
	int rc;

	link_aside(&h->link, INTERP_NONE, "finding interpreter '%s'", ref);
	rc = link_call(&h->link, OP_RESOLVE, &c, cause);
	if (rc == 0)
		*id = c.found;
	proto_call_free(&c);
	return rc;
}

static int
host_info(struct session *s, interp_id id, struct interp_info *info, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	struct proto_call c = { .interp = id };
	int rc;

	link_aside(&h->link, id, "describing interpreter %lld", (long long)id);
	rc = link_call(&h->link, OP_INFO, &c, cause);
	if (rc == 0)
		*info = c.info;
	proto_call_free(&c);
	return rc;
}

static int
host_create(struct session *s, const struct interp_request *req,
    struct interp_info *info, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	struct proto_call c = { .request = *req };
	int rc;

	link_step(&h->link, 0, "creating interpreter%s%s", req->name ? " " : "",
	    req->name ? req->name : "");
	rc = link_call(&h->link, OP_CREATE, &c, cause);
	if (rc == 0) {
		h->link.current = c.info.id;
		if (info != NULL)
			*info = c.info;
	}
	proto_call_free(&c);
	return rc;
}

static int
host_use(struct session *s, interp_id id, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	struct proto_call c = { .interp = id };
	int rc;

	link_step(&h->link, id, "switching to interpreter %lld", (long long)id);
	rc = link_call(&h->link, OP_USE, &c, cause);
	if (rc == 0)
		h->link.current = id;
	proto_call_free(&c);
	return rc;
}

static int
host_destroy(struct session *s, interp_id id, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	struct proto_call c = { .interp = id };
	int rc;

	link_step(&h->link, id, "%%del %lld", (long long)id);
	rc = link_call(&h->link, OP_DESTROY, &c, cause);
	if (rc == 0 && h->link.current == id)
		h->link.current = 0;
	proto_call_free(&c);
	return rc;
}

static interp_id
host_current(struct session *s)
{
	return ((struct session_host *)s)->link.current;
}

static int
host_reinit(struct session *s, struct reinit_map **map, size_t *n, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	struct proto_call c = { 0 };
	struct interp_info *all;
	size_t count;

	link_step(&h->link, 0, "%%reinit");
	if (link_call(&h->link, OP_REINIT, &c, cause) != 0) {
		proto_call_free(&c);
		return -1;
	}
	*map = c.map;
	*n = c.nmap;
	c.map = NULL;
	proto_call_free(&c);
	/* the current interpreter is the recreated one, or main: ask */
	if (host_list(s, &all, &count, NULL) == 0)
		free(all);
	return 0;
}

static int
host_run(struct session *s, interp_id id, const char *source,
    enum run_mode mode, struct run_result *result, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	struct proto_call c = { .interp = id, .text = source, .mode = mode };
	int rc;

	link_step(&h->link, id, "%s", source);
	rc = link_call(&h->link, OP_RUN, &c, cause);
	if (rc == 0) {
		memset(result, 0, sizeof *result);
		result->outcome = (enum run_outcome)c.outcome;
		result->interp = c.ran_in;
		result->exit_code = (int)c.exit_code;
	}
	proto_call_free(&c);
	return rc;
}

static int
host_complete(struct session *s, interp_id id, const char *text, char ***out,
    size_t *n, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	struct proto_call c = { .interp = id, .text = text };

	link_aside(&h->link, id, "completing '%s'", text);
	if (link_call(&h->link, OP_COMPLETE, &c, cause) != 0) {
		proto_call_free(&c);
		return -1;
	}
	*out = c.strings;
	*n = c.nstrings;
	c.strings = NULL;
	c.nstrings = 0;
	proto_call_free(&c);
	return 0;
}

/* One request per interpreter, so that a crash during '%import X --all'
 * names the interpreter whose import was running (link_step). The front
 * end resolved the ids, so none is unknown to the host. */
static int
host_import(struct session *s, const char *name, const char *path,
    const interp_id *ids, size_t n, struct import_report *reports, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		struct proto_call c = { .text = name, .path = path,
		    .ids = (interp_id *)&ids[i], .nids = 1 };

		link_step(&h->link, ids[i], "%s %s",
		    path != NULL ? "%load" : "%import",
		    path != NULL ? path : name);
		rc = link_call(&h->link, OP_IMPORT, &c, cause);
		if (rc == 0 && c.nreports != 1) {
			cause_set(cause, "the host reported %zu imports for "
			    "one interpreter", c.nreports);
			rc = -1;
		}
		if (rc == 0)
			reports[i] = c.reports[0];
		proto_call_free(&c);
	}
	return rc;
}

/* The snapshot's JSON text, which the host sends as a frame of its own
 * after the reply, in full or the changes since generation `since`
 * (snapshot-memory.h); *text is malloc'd. */
static int
snapshot_text(struct session_host *h, const struct snap_filter *filter,
    long since, struct proto_call *c, char **cause)
{
	memset(c, 0, sizeof *c);
	c->filter = *filter;
	c->since = since;
	link_step(&h->link, filter->only, "taking a snapshot");
	if (link_call(&h->link, OP_SNAPSHOT, c, cause) != 0) {
		proto_call_free(c);
		return -1;
	}
	return 0;
}

static int
host_snapshot(struct session *s, const struct snap_filter *filter,
    struct snapshot **out, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	struct proto_call c;
	int rc;

	if (snapshot_text(h, filter, snap_memory_since(&h->got, filter), &c,
	    cause) != 0) {
		/* a host that died or restarted has forgotten what it sent */
		snap_memory_forget(&h->got);
		return -1;
	}
	rc = snapshot_receive(&h->got, filter, c.trailer, c.trailer_len,
	    c.generation, c.base, out, cause);
	proto_call_free(&c);
	return rc;
}

/* %json: the host writes into out's descriptor itself when out has one
 * (a file, the terminal, a pipe); otherwise (a memory stream) its text is
 * passed on without parsing it. */
static int
host_snapshot_json(struct session *s, const struct snap_filter *filter,
    FILE *out, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	struct proto_call c;
	int rc = 0, fd;

	fflush(out);
	fd = fileno(out);
	if (fd >= 0) {
		memset(&c, 0, sizeof c);
		c.filter = *filter;
		c.fd = fd; /* lent: the host writes through its own copy */
		link_step(&h->link, filter->only, "writing the JSON");
		rc = link_call(&h->link, OP_JSON_TO, &c, cause);
		proto_call_free(&c);
		return rc;
	}
	/* in full and not kept by the host (since -1): %json is the
	 * documented document, and no delta follows it */
	if (snapshot_text(h, filter, -1, &c, cause) != 0)
		return -1;
	if (fwrite(c.trailer, 1, c.trailer_len, out) != c.trailer_len) {
		cause_set(cause, "writing failed");
		rc = -1;
	}
	proto_call_free(&c);
	return rc;
}

/* The host reads the snapshot ahead; a stop descriptor readable (a key,
 * Ctrl-C) interrupts it at its next module. Output a thread prints
 * meanwhile stays in the pipes for the prompt to show (readline draws the
 * line again after it). */
static int
host_read_ahead(struct session *s, const struct snap_filter *filter,
    const int *stop_fds, size_t nstop, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	struct proto_call c;
	int rc;

	/* a key typed already goes first: no reading at all */
	if (link_stop_waiting(stop_fds, nstop))
		return 1;
	memset(&c, 0, sizeof c);
	c.filter = *filter;
	link_aside(&h->link, filter->only,
	    "reading ahead for %%json while you paused");
	h->link.stop_fds = stop_fds;
	h->link.nstop = nstop < LINK_STOP_MAX ? nstop : LINK_STOP_MAX;
	h->link.leave_output = true;
	rc = link_call(&h->link, OP_READ_AHEAD, &c, cause);
	h->link.stop_fds = NULL;
	h->link.nstop = 0;
	h->link.leave_output = false;
	if (rc == 0 && c.stopped)
		rc = 1;
	proto_call_free(&c);
	return rc;
}

/* The statics' JSON text, sent as a frame after the reply; *text is
 * malloc'd. */
static int
statics_text(struct session_host *h, const char *const *names, size_t n,
    char **text, size_t *len, char **cause)
{
	struct proto_call c = { .strings = (char **)names, .nstrings = n };
	int rc;

	link_step(&h->link, INTERP_NONE, "reading the statics");
	rc = link_call(&h->link, OP_STATICS, &c, cause);
	c.strings = NULL; /* the caller's */
	c.nstrings = 0;
	if (rc == 0) {
		*text = c.trailer;
		*len = c.trailer_len;
		c.trailer = NULL;
	}
	proto_call_free(&c);
	return rc;
}

static int
host_statics(struct session *s, const char *const *names, size_t n,
    struct statics **out, char **cause)
{
	char *text;
	size_t len;

	if (statics_text((struct session_host *)s, names, n, &text, &len,
	    cause) != 0)
		return -1;
	*out = statics_parse(text, len, cause);
	free(text);
	return *out != NULL ? 0 : -1;
}

static int
host_statics_json(struct session *s, const char *const *names, size_t n,
    FILE *out, char **cause)
{
	char *text;
	size_t len;
	int rc = 0;

	if (statics_text((struct session_host *)s, names, n, &text, &len,
	    cause) != 0)
		return -1;
	if (fwrite(text, 1, len, out) != len) {
		cause_set(cause, "writing failed");
		rc = -1;
	}
	free(text);
	return rc;
}

/* A trailer-carrying operation's text; *text is malloc'd. */
static int
trailer_of(struct session_host *h, enum proto_op_id op, struct proto_call *c,
    char **text, size_t *len, char **cause)
{
	int rc = link_call(&h->link, op, c, cause);

	if (rc == 0) {
		*text = c->trailer;
		*len = c->trailer_len;
		c->trailer = NULL;
	}
	c->strings = NULL; /* arguments are the caller's */
	c->nstrings = 0;
	c->ids = NULL;
	c->nids = 0;
	proto_call_free(c);
	return rc;
}

static int
audit_text(struct session_host *h, const char *const *modules, size_t nmod,
    const interp_id *ids, size_t n, bool every_path, char **text, size_t *len,
    char **cause)
{
	struct proto_call c = { .strings = (char **)modules, .nstrings = nmod,
	    .ids = (interp_id *)ids, .nids = n, .every_path = every_path };

	link_step(&h->link, n == 1 ? ids[0] : INTERP_NONE, "%%audit");
	return trailer_of(h, OP_AUDIT, &c, text, len, cause);
}

static int
host_audit(struct session *s, const char *const *modules, size_t nmod,
    const interp_id *ids, size_t n, bool every_path, struct audit **out,
    char **cause)
{
	char *text;
	size_t len;

	if (audit_text((struct session_host *)s, modules, nmod, ids, n,
	    every_path, &text, &len, cause) != 0)
		return -1;
	*out = audit_parse(text, len, cause);
	free(text);
	return *out != NULL ? 0 : -1;
}

static int
host_audit_json(struct session *s, const char *const *modules, size_t nmod,
    const interp_id *ids, size_t n, bool every_path, FILE *out, char **cause)
{
	char *text;
	size_t len;
	int rc = 0;

	if (audit_text((struct session_host *)s, modules, nmod, ids, n,
	    every_path, &text, &len, cause) != 0)
		return -1;
	if (fwrite(text, 1, len, out) != len) {
		cause_set(cause, "writing failed");
		rc = -1;
	}
	free(text);
	return rc;
}

static int
host_why(struct session *s, interp_id id, const char *expr,
    struct audit **out, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	struct proto_call c = { .interp = id, .text = expr };
	char *text;
	size_t len;

	link_step(&h->link, id, "%%why %s", expr);
	if (trailer_of(h, OP_WHY, &c, &text, &len, cause) != 0)
		return -1;
	*out = audit_parse(text, len, cause);
	free(text);
	return *out != NULL ? 0 : -1;
}

static void
host_interrupt(struct session *s, bool terminal)
{
	struct session_host *h = (struct session_host *)s;

	h->link.interrupts++;
	if (h->link.interrupts == 1)
		link_interrupt(&h->link, terminal);
}

static int
host_set_timeout(struct session *s, double seconds, char **cause)
{
	(void)cause;
	((struct session_host *)s)->link.timeout = seconds;
	return 0;
}

static double
host_timeout(struct session *s)
{
	return ((struct session_host *)s)->link.timeout;
}

static void
host_set_idle(struct session *s, void (*idle)(void *arg), void *arg)
{
	((struct session_host *)s)->link.idle = idle;
	((struct session_host *)s)->link.idle_arg = arg;
}

static int
host_output_fds(struct session *s, int fds[2])
{
	return link_output_fds(&((struct session_host *)s)->link, fds);
}

static bool
host_output_copy(struct session *s)
{
	return link_output_copy(&((struct session_host *)s)->link);
}

static pid_t
host_pid(struct session *s)
{
	return ((struct session_host *)s)->link.pid;
}

static int
host_restart(struct session *s, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	char *last;

	if (link_stop(&h->link, "during %restart") != 0) {
		/* The old host crashed on its way out: news, though the restart
		 * goes on, so it is said here, as the Ctrl-C warning is, in one
		 * line and then its last words. */
		fflush(stdout);
		fprintf(stderr, "%s\n", h->link.death);
		last = link_last_words(&h->link);
		if (last != NULL)
			fputs(last, stderr);
		free(last);
		fflush(stderr);
	}
	snap_memory_forget(&h->got);
	return link_start(&h->link, cause);
}

static int
host_stop(struct session *s, char **cause)
{
	struct session_host *h = (struct session_host *)s;

	if (link_stop(&h->link, "at the end of the session") != 0) {
		cause_set(cause, "%s", h->link.death);
		return -1;
	}
	return 0;
}

static char *
host_last_words(struct session *s)
{
	return link_last_words(&((struct session_host *)s)->link);
}

static const char *
host_death(struct session *s)
{
	return ((struct session_host *)s)->link.death;
}

static bool
host_died_in_step(struct session *s)
{
	struct session_host *h = (struct session_host *)s;

	return h->link.death != NULL && h->link.died_in_step;
}

static const char *
host_step(struct session *s)
{
	const char *last = ((struct session_host *)s)->link.last_step;

	return last[0] != '\0' ? last : NULL;
}

static long
host_uptime(struct session *s)
{
	struct session_host *h = (struct session_host *)s;

	if (h->link.pid == 0)
		return -1;
	return (long)(time(NULL) - h->link.started);
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
	.read_ahead = host_read_ahead,
	.statics = host_statics,
	.statics_json = host_statics_json,
	.audit = host_audit,
	.audit_json = host_audit_json,
	.why = host_why,
	.interrupt = host_interrupt,
	.set_timeout = host_set_timeout,
	.timeout = host_timeout,
	.set_idle = host_set_idle,
	.output_fds = host_output_fds,
	.output_copy = host_output_copy,
	.host_pid = host_pid,
	.restart = host_restart,
	.stop = host_stop,
	.last_words = host_last_words,
	.death = host_death,
	.died_in_step = host_died_in_step,
	.step = host_step,
	.uptime = host_uptime,
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
	h->link.sock = h->link.out = h->link.err = -1;
	h->link.exe = strdup(exe);
	if (h->link.exe == NULL || link_start(&h->link, cause) != 0) {
		link_stop(&h->link, NULL);
		free(h->link.exe);
		free(h->link.death);
		free(h);
		return NULL;
	}
	return &h->base;
}

