/*
 * session-host.c: the session API served by a supervised host process.
 *
 * The front end runs its own binary as `subrepl --host=3` (host.c) and each
 * session call becomes one request over the link (host-link.c); the
 * replies are decoded back into the API's plain data (wire-codec.c).
 * Ctrl-C: the host ignores the terminal's SIGINT; session_interrupt sends
 * it SIGUSR1, which its watcher turns into KeyboardInterrupt in the
 * interpreter running the step.
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
#include "session-impl.h"
#include "wire-codec.h"
#include "wire.h"

struct session_host {
	struct session base;       /* must be first */
	struct host_link link;     /* the host process */
};

static void
host_close(struct session *s)
{
	struct session_host *h = (struct session_host *)s;

	link_stop(&h->link);
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
	json_t *r, *arr, *v;
	size_t i;

	link_step(&h->link, INTERP_NONE, "listing interpreters");
	r = link_request(&h->link, json_pack("{s:s}", "op", "list"), cause);
	if (r == NULL)
		return -1;
	arr = json_object_get(r, "interps");
	*out = calloc(json_array_size(arr) + 1, sizeof **out);
	*n = 0;
	json_array_foreach(arr, i, v) {
		codec_info_from(v, &(*out)[(*n)++]);
		if ((*out)[i].current)
			h->link.current = (*out)[i].id;
	}
	json_decref(r);
	return 0;
}

static int
host_resolve(struct session *s, const char *ref, interp_id *id, char **cause)
{
	struct session_host *h = (struct session_host *)s;
	json_t *r;

	link_step(&h->link, INTERP_NONE, "finding interpreter '%s'", ref);
	r = link_request(&h->link, json_pack("{s:s, s:s}", "op", "resolve", "ref", ref), cause);
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

	link_step(&h->link, id, "describing interpreter %lld", (long long)id);
	r = link_request(&h->link, json_pack("{s:s, s:I}", "op", "info", "interp",
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

	link_step(&h->link, 0, "creating interpreter%s%s", req->name ? " " : "",
	    req->name ? req->name : "");
	r = link_request(&h->link, json_pack("{s:s, s:o}", "op", "create", "request",
	    codec_request(req)), cause);
	if (r == NULL)
		return -1;
	codec_info_from(json_object_get(r, "info"), info != NULL ? info : &tmp);
	h->link.current = (info != NULL ? info : &tmp)->id;
	json_decref(r);
	return 0;
}

static int
host_by_id(struct session_host *h, const char *op, interp_id id, char **cause)
{
	json_t *r = link_request(&h->link, json_pack("{s:s, s:I}", "op", op, "interp",
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

	link_step(&h->link, id, "switching to interpreter %lld", (long long)id);
	if (host_by_id(h, "use", id, cause) != 0)
		return -1;
	h->link.current = id;
	return 0;
}

static int
host_destroy(struct session *s, interp_id id, char **cause)
{
	struct session_host *h = (struct session_host *)s;

	link_step(&h->link, id, "%%del %lld", (long long)id);
	if (host_by_id(h, "destroy", id, cause) != 0)
		return -1;
	if (h->link.current == id)
		h->link.current = 0;
	return 0;
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
	json_t *r, *arr, *v;
	size_t i;

	link_step(&h->link, 0, "%%reinit");
	r = link_request(&h->link, json_pack("{s:s}", "op", "reinit"), cause);
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

	link_step(&h->link, id, "%s", source);
	r = link_request(&h->link, json_pack("{s:s, s:I, s:s, s:i}", "op", "run", "interp",
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

	link_step(&h->link, id, "completing '%s'", text);
	r = link_request(&h->link, json_pack("{s:s, s:I, s:s}", "op", "complete", "interp",
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
	link_step(&h->link, n == 1 ? ids[0] : INTERP_NONE, "%s %s",
	    path != NULL ? "%load" : "%import", path != NULL ? path : name);
	r = link_request(&h->link, json_pack("{s:s, s:s, s:s?, s:o}", "op", "import", "name",
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

/* The snapshot's JSON text, which the host sends as a frame of its own
 * after the reply. */
static int
snapshot_text(struct session_host *h, const struct snap_filter *filter,
    char **text, size_t *len, char **cause)
{
	json_t *r;

	link_step(&h->link, filter->only, "taking a snapshot");
	r = link_request(&h->link, json_pack("{s:s, s:o}", "op", "snapshot",
	    "filter", codec_filter(filter)), cause);
	if (r == NULL)
		return -1;
	json_decref(r);
	if (wire_read(h->link.sock, text, len, cause) != 0) {
		link_died(&h->link);
		cause_set(cause, "%s", h->link.death);
		return -1;
	}
	return 0;
}

static int
host_snapshot(struct session *s, const struct snap_filter *filter,
    struct snapshot **out, char **cause)
{
	char *text;
	size_t len;

	if (snapshot_text((struct session_host *)s, filter, &text, &len, cause) != 0)
		return -1;
	*out = codec_snapshot_parse(text, len, cause);
	free(text);
	return *out != NULL ? 0 : -1;
}

/* %json: the host's text is passed on without parsing it. */
static int
host_snapshot_json(struct session *s, const struct snap_filter *filter,
    FILE *out, char **cause)
{
	char *text;
	size_t len;
	int rc = 0;

	if (snapshot_text((struct session_host *)s, filter, &text, &len, cause) != 0)
		return -1;
	if (fwrite(text, 1, len, out) != len) {
		cause_set(cause, "writing failed");
		rc = -1;
	}
	free(text);
	return rc;
}

static void
host_interrupt(struct session *s)
{
	struct session_host *h = (struct session_host *)s;
	pid_t pid = h->link.pid;

	h->link.interrupts++;
	if (pid > 0 && h->link.interrupts == 1)
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
	h->link.sock = h->link.out = h->link.err = -1;
	h->link.exe = strdup(exe);
	if (h->link.exe == NULL || link_start(&h->link, cause) != 0) {
		link_stop(&h->link);
		free(h->link.exe);
		free(h->link.death);
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
	((struct session_host *)s)->link.timeout = seconds;
	return 0;
}

double
session_timeout(struct session *s)
{
	return s->ops == &host_ops ? ((struct session_host *)s)->link.timeout : 0;
}

void
session_set_idle(struct session *s, void (*idle)(void *arg), void *arg)
{
	if (s->ops != &host_ops)
		return;
	((struct session_host *)s)->link.idle = idle;
	((struct session_host *)s)->link.idle_arg = arg;
}

pid_t
session_host_pid(struct session *s)
{
	if (s->ops != &host_ops)
		return 0;
	return ((struct session_host *)s)->link.pid;
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
	link_stop(&h->link);
	return link_start(&h->link, cause);
}

char *
session_host_last_words(struct session *s)
{
	if (s->ops != &host_ops)
		return NULL;
	return link_last_words(&((struct session_host *)s)->link);
}

const char *
session_host_death(struct session *s)
{
	if (s->ops != &host_ops)
		return NULL;
	return ((struct session_host *)s)->link.death;
}

const char *
session_host_step(struct session *s)
{
	if (s->ops != &host_ops)
		return NULL;
	return ((struct session_host *)s)->link.step;
}

long
session_host_uptime(struct session *s)
{
	struct session_host *h = (struct session_host *)s;

	if (s->ops != &host_ops || h->link.pid == 0)
		return -1;
	return (long)(time(NULL) - h->link.started);
}
