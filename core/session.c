/*
 * session.c: the public session API: dispatch to the implementation's
 * vtable, plus the helpers every implementation shares (resolving "ID or
 * NAME", labels for prompts).
 */
#include "config.h"

#include "session.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cause.h"
#include "session-impl.h"

void
session_close(struct session *s)
{
	if (s == NULL)
		return;
	assert(s->ops->close != NULL);
	s->ops->close(s);
}

const char *
session_python_version(struct session *s)
{
	assert(s->ops->python_version != NULL);
	return s->ops->python_version(s);
}

const char *
session_python_build(struct session *s)
{
	assert(s->ops->python_build != NULL);
	return s->ops->python_build(s);
}

bool
session_has_config(struct session *s)
{
	assert(s->ops->has_config != NULL);
	return s->ops->has_config(s);
}

int
session_list(struct session *s, struct interp_info **out, size_t *n, char **cause)
{
	assert(s->ops->list != NULL);
	return s->ops->list(s, out, n, cause);
}

int
session_info(struct session *s, interp_id id, struct interp_info *info,
    char **cause)
{
	assert(s->ops->info != NULL);
	return s->ops->info(s, id, info, cause);
}

int
session_new(struct session *s, const struct interp_request *req,
    struct interp_info *info, char **cause)
{
	assert(s->ops->create != NULL);
	return s->ops->create(s, req, info, cause);
}

int
session_use(struct session *s, interp_id id, char **cause)
{
	assert(s->ops->use != NULL);
	return s->ops->use(s, id, cause);
}

int
session_del(struct session *s, interp_id id, char **cause)
{
	assert(s->ops->destroy != NULL);
	return s->ops->destroy(s, id, cause);
}

int
session_reinit(struct session *s, struct reinit_map **map, size_t *n,
    char **cause)
{
	assert(s->ops->reinit != NULL);
	return s->ops->reinit(s, map, n, cause);
}

interp_id
session_current(struct session *s)
{
	assert(s->ops->current != NULL);
	return s->ops->current(s);
}

int
session_run(struct session *s, interp_id id, const char *source,
    enum run_mode mode, struct run_result *result, char **cause)
{
	assert(s->ops->run != NULL);
	return s->ops->run(s, id, source, mode, result, cause);
}

int
session_complete(struct session *s, interp_id id, const char *text,
    char ***out, size_t *n, char **cause)
{
	assert(s->ops->complete != NULL);
	return s->ops->complete(s, id, text, out, n, cause);
}

int
session_import(struct session *s, const char *name, const char *path,
    const interp_id *ids, size_t n, struct import_report *reports,
    char **cause)
{
	assert(s->ops->import != NULL);
	return s->ops->import(s, name, path, ids, n, reports, cause);
}

int
session_snapshot(struct session *s, const struct snap_filter *filter,
    struct snapshot **out, char **cause)
{
	assert(s->ops->snapshot != NULL);
	return s->ops->snapshot(s, filter, out, cause);
}

int
session_snapshot_json(struct session *s, const struct snap_filter *filter,
    FILE *out, char **cause)
{
	assert(s->ops->snapshot_json != NULL);
	return s->ops->snapshot_json(s, filter, out, cause);
}

int
session_statics(struct session *s, const char *const *names, size_t n,
    struct statics **out, char **cause)
{
	assert(s->ops->statics != NULL);
	return s->ops->statics(s, names, n, out, cause);
}

int
session_statics_json(struct session *s, const char *const *names, size_t n,
    FILE *out, char **cause)
{
	assert(s->ops->statics_json != NULL);
	return s->ops->statics_json(s, names, n, out, cause);
}

int
session_audit(struct session *s, const char *const *modules, size_t nmod,
    const interp_id *ids, size_t n, bool every_path, struct audit **out,
    char **cause)
{
	assert(s->ops->audit != NULL);
	return s->ops->audit(s, modules, nmod, ids, n, every_path, out, cause);
}

int
session_audit_json(struct session *s, const char *const *modules, size_t nmod,
    const interp_id *ids, size_t n, bool every_path, FILE *out, char **cause)
{
	assert(s->ops->audit_json != NULL);
	return s->ops->audit_json(s, modules, nmod, ids, n, every_path, out,
	    cause);
}

int
session_why(struct session *s, interp_id id, const char *expr,
    struct audit **out, char **cause)
{
	assert(s->ops->why != NULL);
	return s->ops->why(s, id, expr, out, cause);
}

void
session_interrupt(struct session *s)
{
	if (s != NULL && s->ops->interrupt != NULL)
		s->ops->interrupt(s, false);
}

void
session_interrupt_terminal(struct session *s)
{
	if (s != NULL && s->ops->interrupt != NULL)
		s->ops->interrupt(s, true);
}

int
session_set_timeout(struct session *s, double seconds, char **cause)
{
	if (s->ops->set_timeout == NULL) {
		cause_set(cause, "a step can only be bounded when Python runs in a "
		    "host process (not with --in-process)");
		return -1;
	}
	return s->ops->set_timeout(s, seconds, cause);
}

double
session_timeout(struct session *s)
{
	return s->ops->timeout != NULL ? s->ops->timeout(s) : 0;
}

int
session_read_ahead(struct session *s, const struct snap_filter *filter,
    const int *stop_fds, size_t nstop, char **cause)
{
	if (s->ops->read_ahead == NULL)
		return 1;
	return s->ops->read_ahead(s, filter, stop_fds, nstop, cause);
}

void
session_set_idle(struct session *s, void (*idle)(void *arg), void *arg)
{
	if (s->ops->set_idle != NULL)
		s->ops->set_idle(s, idle, arg);
}

int
session_output_fds(struct session *s, int fds[2])
{
	return s->ops->output_fds != NULL ? s->ops->output_fds(s, fds) : 0;
}

bool
session_output_copy(struct session *s)
{
	return s->ops->output_copy != NULL ? s->ops->output_copy(s) : true;
}

pid_t
session_host_pid(struct session *s)
{
	return s->ops->host_pid != NULL ? s->ops->host_pid(s) : 0;
}

int
session_restart(struct session *s, char **cause)
{
	if (s->ops->restart == NULL) {
		cause_set(cause, "this session runs in-process (--in-process): "
		    "there is no host to restart");
		return -1;
	}
	return s->ops->restart(s, cause);
}

int
session_stop(struct session *s, char **cause)
{
	return s->ops->stop != NULL ? s->ops->stop(s, cause) : 0;
}

char *
session_host_last_words(struct session *s)
{
	return s->ops->last_words != NULL ? s->ops->last_words(s) : NULL;
}

const char *
session_host_death(struct session *s)
{
	return s->ops->death != NULL ? s->ops->death(s) : NULL;
}

bool
session_host_died_in_step(struct session *s)
{
	return s->ops->died_in_step != NULL && s->ops->died_in_step(s);
}

const char *
session_host_step(struct session *s)
{
	return s->ops->step != NULL ? s->ops->step(s) : NULL;
}

long
session_host_uptime(struct session *s)
{
	return s->ops->uptime != NULL ? s->ops->uptime(s) : -1;
}

void
session_free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* "main, worker" or "0, 1, 2": what the user could have typed. */
static void
describe_choices(const struct interp_info *v, size_t n, bool names,
    char *buf, size_t size)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && used < size; i++) {
		int w;

		if (names && v[i].name[0] == '\0')
			continue;
		if (names)
			w = snprintf(buf + used, size - used, "%s%s",
			    used > 0 ? ", " : "", v[i].name);
		else
			w = snprintf(buf + used, size - used, "%s%" PRId64,
			    used > 0 ? ", " : "", v[i].id);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

int
session_resolve(struct session *s, const char *ref, interp_id *id, char **cause)
{
	assert(s->ops->resolve != NULL);
	return s->ops->resolve(s, ref, id, cause);
}

/* How much of a reference an error repeats: a 200 KB paste is not echoed. */
#define REF_SHOWN 64

int
session_resolve_in(const struct interp_info *v, size_t n, const char *ref,
    interp_id *id, char **cause)
{
	char have[256];
	size_t i;
	bool numeric = ref[0] != '\0' && strspn(ref, "0123456789") == strlen(ref);

	if (numeric) {
		char *end;
		unsigned long long want;

		errno = 0;
		want = strtoull(ref, &end, 10);
		for (i = 0; errno == 0 && i < n; i++) {
			if ((unsigned long long)v[i].id == want) {
				*id = v[i].id;
				return 0;
			}
		}
		describe_choices(v, n, false, have, sizeof have);
		cause_set(cause, "no interpreter with id %.*s%s (have: %s)",
		    REF_SHOWN, ref, strlen(ref) > REF_SHOWN ? "..." : "", have);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].name, ref) == 0) {
			*id = v[i].id;
			return 0;
		}
	}
	describe_choices(v, n, true, have, sizeof have);
	cause_set(cause, "no interpreter named '%.*s%s' (have: %s)", REF_SHOWN,
	    ref, strlen(ref) > REF_SHOWN ? "..." : "", have);
	return -1;
}

void
interp_info_label(const struct interp_info *info, char *buf, size_t size)
{
	bool is_main = info->id == 0; /* "[0 main]": its config goes without saying */

	snprintf(buf, size, "[%" PRId64 "%s%s%s%s]", info->id,
	    info->name[0] != '\0' ? " " : "", info->name,
	    is_main ? "" : " ", is_main ? "" : info->config.preset);
}

/* $SUBREPL_DEMO_DIR, else the build tree when the binary runs from it
 * (core/demo/.libs next to the executable), else where `make install` put
 * them. Plain C: the front end asks too (for %export). */
bool
session_own_module(interp_id id, const char *name)
{
	/* session-inproc.c sets config.faulthandler, which imports it there */
	return id == 0 && strcmp(name, "faulthandler") == 0;
}

char *
session_demo_dir(void)
{
	const char *env = getenv("SUBREPL_DEMO_DIR");
	char exe[PATH_MAX], *slash, *built;
	struct stat st;
	ssize_t n;

	if (env != NULL && env[0] != '\0')
		return strdup(env);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash != NULL) {
			*slash = '\0';
			if (asprintf(&built, "%s/core/demo/.libs", exe) >= 0) {
				if (stat(built, &st) == 0 && S_ISDIR(st.st_mode))
					return built;
				free(built);
			}
		}
	}
	return strdup(DEMO_DIR);
}
