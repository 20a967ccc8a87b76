/*
 * session-util.c: helpers of the engine tests (see session-util.h). A
 * step's output is read back by pointing fd 1 and 2 at a temporary file
 * while it runs, so what is asserted is what CPython printed.
 */
#include "config.h"

#include "session-util.h"
#include "snapshot-json.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

struct session *S;

int
util_setup(void **state)
{
	char *cause = NULL;

	(void)state;
	S = session_open_inprocess(&cause);
	if (S == NULL) {
		fprintf(stderr, "cannot open a session: %s\n", cause);
		return -1;
	}
	return 0;
}

int
util_teardown(void **state)
{
	(void)state;
	session_close(S);
	return 0;
}

int
python_minor(void)
{
	int major = 0, minor = 0;

	sscanf(session_linked_python(), "%d.%d", &major, &minor);
	return major > 3 ? 99 : minor;
}

interp_id
util_make(const char *name, enum interp_preset preset)
{
	struct interp_request req = {
		.name = name, .preset = preset,
		.own_gil = FLAG_UNSET, .own_obmalloc = FLAG_UNSET,
		.check_ext = FLAG_UNSET, .allow_fork = FLAG_UNSET,
		.allow_exec = FLAG_UNSET, .allow_threads = FLAG_UNSET,
		.allow_daemon_threads = FLAG_UNSET,
	};
	struct interp_info info;
	char *cause = NULL;

	if (session_new(S, &req, &info, &cause) != 0)
		fail_msg("creating %s: %s", name != NULL ? name : "(unnamed)", cause);
	return info.id;
}

void
util_destroy(interp_id id)
{
	char *cause = NULL;

	if (session_del(S, id, &cause) != 0)
		fail_msg("destroying %lld: %s", (long long)id, cause);
}

void
util_import(const char *name, const char *path, const interp_id *ids,
    size_t n, struct import_report *r)
{
	char *cause = NULL;

	if (session_import(S, name, path, ids, n, r, &cause) != 0)
		fail_msg("import %s: %s", name, cause);
}

struct snapshot *
util_snapshot(const char *module)
{
	const char *names[] = { module };
	struct snap_filter f = { .names = names, .nnames = 1,
		.with_attrs = true, .only = INTERP_NONE };
	struct snapshot *snap;
	char *cause = NULL;

	if (session_snapshot(S, &f, &snap, &cause) != 0)
		fail_msg("snapshot: %s", cause);
	return snap;
}

const struct snap_attr *
util_attr(const struct snap_module *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nattrs; i++) {
		if (strcmp(m->attrs[i].name, name) == 0)
			return &m->attrs[i];
	}
	fail_msg("%s has no attribute %s", m->name, name);
	return NULL;
}

char *
util_capture(interp_id id, const char *code, enum run_outcome *outcome)
{
	char path[] = "/tmp/subrepl-test-XXXXXX";
	int fd = mkstemp(path), saved_out, saved_err;
	struct run_result res;
	char *cause = NULL, *text;
	long len;
	FILE *f;

	assert_true(fd >= 0);
	unlink(path);
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(1);
	saved_err = dup(2);
	dup2(fd, 1);
	dup2(fd, 2);
	assert_int_equal(session_run(S, id, code, RUN_INTERACTIVE, &res, &cause), 0);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	if (outcome != NULL)
		*outcome = res.outcome;
	f = fdopen(fd, "r");
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)len + 1);
	if (len > 0)
		assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return text;
}

long
util_number(interp_id id, const char *code)
{
	enum run_outcome o;
	char *out = util_capture(id, code, &o), *end;
	long v;

	if (o != RUN_OK)
		fail_msg("%s failed: %s", code, out);
	v = strtol(out, &end, 10);
	if (end == out)
		fail_msg("%s printed '%s', not a number", code, out);
	free(out);
	return v;
}

bool
util_has_string(char **v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i], s) == 0)
			return true;
	}
	return false;
}

void
util_run(interp_id id, const char *code)
{
	struct run_result res;
	char *cause = NULL;

	if (session_run(S, id, code, RUN_STATEMENTS, &res, &cause) != 0)
		fail_msg("'%s': %s", code, cause);
	if (res.outcome != RUN_OK)
		fail_msg("'%s' did not run to its end", code);
}

char *
util_json(const struct snapshot *snap)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(snapshot_write_json(snap, f), 0);
	assert_int_equal(fclose(f), 0);
	return text;
}
