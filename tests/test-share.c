/*
 * test-share.c: importing into interpreters and the sharing map, against
 * the real CPython this is built with. It uses the test extensions every
 * supported Python installs: _testimportmultiple (single-phase, m_size -1,
 * three init functions in one file) and _json (multi-phase); the behaviour
 * asserted is the documented one: a single-phase module's second import is
 * filled from m_copy without running init, so its dict values are the same
 * objects; a multi-phase module gets its own objects in every interpreter.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "import.h"
#include "session.h"
#include "snapshot.h"

static struct session *S;

static bool
python_312(void)
{
	int major = 0, minor = 0;

	sscanf(session_linked_python(), "%d.%d", &major, &minor);
	return major > 3 || (major == 3 && minor >= 12);
}

/* A single-phase test module with m_size -1 that this Python installs:
 * _testimportmultiple became multi-phase in 3.13, _testsinglephase exists
 * from 3.12 on. */
static const char *
single_phase_module(void)
{
	return python_312() ? "_testsinglephase" : "_testimportmultiple";
}

static interp_id
make(const char *name, enum interp_preset preset)
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
		fail_msg("creating %s: %s", name, cause);
	return info.id;
}

static void
destroy(interp_id id)
{
	char *cause = NULL;

	if (session_del(S, id, &cause) != 0)
		fail_msg("destroying %lld: %s", (long long)id, cause);
}

static void
import(const char *name, const char *path, const interp_id *ids, size_t n,
    struct import_report *r)
{
	char *cause = NULL;

	if (session_import(S, name, path, ids, n, r, &cause) != 0)
		fail_msg("import %s: %s", name, cause);
}

static struct snapshot *
snap_of(const char *module)
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

static const struct snap_attr *
attr(const struct snap_module *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nattrs; i++) {
		if (strcmp(m->attrs[i].name, name) == 0)
			return &m->attrs[i];
	}
	fail_msg("%s has no attribute %s", m->name, name);
	return NULL;
}

static void
test_single_phase_filled_from_copy(void **state)
{
	struct import_report r[3];
	const struct snap_module *m;
	struct snapshot *snap;
	interp_id ids[3];
	size_t i, same = 0;

	(void)state;
	ids[0] = 0;
	ids[1] = make("sp_a", PRESET_LEGACY);
	ids[2] = make("sp_b", PRESET_LEGACY);
	import(single_phase_module(), NULL, ids, 3, r);
	assert_int_equal(r[0].result, IMPORT_RAN_INIT);
	assert_int_equal(r[0].kind, KIND_SINGLE);
	assert_int_equal(r[0].m_size, -1);
	assert_int_equal(r[0].m_copy_before, 0);
	assert_true(r[0].m_copy_after != 0);
	for (i = 1; i < 3; i++) {
		assert_int_equal(r[i].result, IMPORT_FROM_COPY);
		assert_int_equal(r[i].m_copy_after, r[0].m_copy_after);
	}
	/* importing again changes nothing */
	import(single_phase_module(), NULL, ids, 1, r);
	assert_int_equal(r[0].result, IMPORT_ALREADY);

	snap = snap_of(single_phase_module());
	m = snapshot_module(snap, single_phase_module());
	assert_non_null(m);
	assert_int_equal(m->kind, KIND_SINGLE);
	assert_int_equal(m->ninstances, 3);
	assert_true(m->has_def);
	assert_int_equal(m->m_size, -1);
	/* three module objects, three dicts; the copies have no def */
	assert_true(m->instances[0].module != m->instances[1].module);
	assert_true(m->instances[0].dict != m->instances[1].dict);
	assert_true(m->instances[0].m_copy != 0);
	assert_false(m->instances[0].copied);
	assert_true(m->instances[1].copied);
	/* loader and spec are made per import; the dict values are copies of
	 * the same objects */
	assert_int_equal(attr(m, "__loader__")->sharing, SHARING_DISTINCT);
	assert_int_equal(attr(m, "__spec__")->sharing, SHARING_DISTINCT);
	assert_int_equal(attr(m, "__package__")->sharing, SHARING_STATIC);
	for (i = 0; i < m->nattrs; i++) {
		if (m->attrs[i].sharing != SHARING_DISTINCT)
			same++;
	}
	assert_int_equal(same, m->nattrs - 2);
	assert_int_equal(attr(m, "__doc__")->sharing, SHARING_SHARED);
	snapshot_free(snap);
	destroy(ids[1]);

	/* after its holders are gone, the definition is still remembered */
	ids[1] = make("sp_c", PRESET_LEGACY);
	import(single_phase_module(), NULL, &ids[1], 1, r);
	assert_int_equal(r[0].result, IMPORT_FROM_COPY);
	destroy(ids[1]);
	destroy(ids[2]);
}

static void
test_multi_phase_distinct(void **state)
{
	struct import_report r[2];
	const struct snap_module *m;
	struct snapshot *snap;
	interp_id ids[2];
	size_t i;

	(void)state;
	ids[0] = 0;
	ids[1] = make("mp", PRESET_LEGACY);
	import("_json", NULL, ids, 2, r);
	assert_int_equal(r[0].kind, KIND_MULTI);
	assert_int_equal(r[1].result, IMPORT_RAN_INIT);
	snap = snap_of("_json");
	m = snapshot_module(snap, "_json");
	assert_int_equal(m->kind, KIND_MULTI);
	/* one PyModuleDef, two modules */
	assert_int_equal(m->instances[0].def, m->instances[1].def);
	assert_true(m->instances[0].module != m->instances[1].module);
	for (i = 0; i < m->nattrs; i++) {
		if (strcmp(m->attrs[i].name, "__package__") == 0)
			assert_int_equal(m->attrs[i].sharing, SHARING_STATIC);
		else if (m->attrs[i].sharing != SHARING_IMMORTAL)
			assert_int_equal(m->attrs[i].sharing, SHARING_DISTINCT);
	}
	assert_int_equal(attr(m, "scanstring")->sharing, SHARING_DISTINCT);
	snapshot_free(snap);
	destroy(ids[1]);
}

static void
test_load_under_init_names(void **state)
{
	struct import_report r[1];
	struct snapshot *snap;
	const struct snap_module *m;
	char path[4096];
	interp_id main_id = 0;

	(void)state;
	/* the file of _testimportmultiple, loaded under its other init name */
	import("_testimportmultiple", NULL, &main_id, 1, r);
	snap = snap_of("_testimportmultiple");
	m = snapshot_module(snap, "_testimportmultiple");
	assert_non_null(m->file);
	snprintf(path, sizeof path, "%s", m->file);
	snapshot_free(snap);

	import("_testimportmultiple_foo", path, &main_id, 1, r);
	assert_int_equal(r[0].result, IMPORT_RAN_INIT);
	assert_true(r[0].kind == KIND_SINGLE || r[0].kind == KIND_MULTI);
	/* a file without that init function is refused, verbatim */
	import("no_such_init", path, &main_id, 1, r);
	assert_int_equal(r[0].result, IMPORT_REFUSED);
	assert_non_null(strstr(r[0].error, "ImportError"));
	assert_non_null(strstr(r[0].error, "PyInit_no_such_init"));
	/* not a module file at all */
	import("notes", "/etc/hostname", &main_id, 1, r);
	assert_int_equal(r[0].result, IMPORT_REFUSED);
}

static void
test_refused_and_failed(void **state)
{
	struct import_report r[1];
	interp_id main_id = 0;

	(void)state;
	import("no_such_module_anywhere", NULL, &main_id, 1, r);
	assert_int_equal(r[0].result, IMPORT_REFUSED);
	assert_string_equal(r[0].error,
	    "ModuleNotFoundError: No module named 'no_such_module_anywhere'");
}

static void
test_isolated_refuses_single_phase(void **state)
{
	struct import_report r[2];
	interp_id ids[2];

	(void)state;
	ids[0] = 0;
	ids[1] = make("iso", PRESET_ISOLATED);
	import(single_phase_module(), NULL, ids, 2, r);
	assert_int_equal(r[1].result, IMPORT_REFUSED);
	assert_non_null(strstr(r[1].error, "does not support loading in subinterpreters"));
	/* multi-phase modules that declare support load fine */
	import("_json", NULL, &ids[1], 1, r);
	assert_int_equal(r[0].result, IMPORT_RAN_INIT);
	destroy(ids[1]);
}

static void
test_modules_of_one_interpreter(void **state)
{
	struct snap_filter f = { .only = 0 };
	struct snapshot *snap;
	const struct snap_module *m;
	char *cause = NULL;

	(void)state;
	assert_int_equal(session_snapshot(S, &f, &snap, &cause), 0);
	m = snapshot_module(snap, "sys");
	assert_non_null(m);
	assert_int_equal(m->kind, KIND_BUILTIN_SINGLE);
	m = snapshot_module(snap, "builtins");
	assert_int_equal(m->kind, KIND_BUILTIN_SINGLE);
	m = snapshot_module(snap, "__main__");
	assert_int_equal(m->kind, KIND_PYTHON);
	assert_int_equal(m->nattrs, 0); /* attributes were not asked for */
	assert_int_equal(snap->ninterps, 1);
	assert_non_null(snap->python_version);
	snapshot_free(snap);
}

static int
setup(void **state)
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

static int
teardown(void **state)
{
	(void)state;
	session_close(S);
	return 0;
}

int
main(void)
{
	/* The isolated test needs 3.12+; before that it is not registered
	 * (the TAP driver counts a skip as a failure). */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_phase_filled_from_copy),
		cmocka_unit_test(test_multi_phase_distinct),
		cmocka_unit_test(test_load_under_init_names),
		cmocka_unit_test(test_refused_and_failed),
		cmocka_unit_test(test_modules_of_one_interpreter),
		cmocka_unit_test(test_isolated_refuses_single_phase),
	};
	size_t n = sizeof tests / sizeof tests[0];

	return _cmocka_run_group_tests("share", tests, python_312() ? n : n - 1,
	    setup, teardown);
}
