/*
 * test-audit.c: %audit and %why against ground truth the interpreters
 * compute themselves: every path the audit spells is evaluated in its
 * interpreter and must give the object of that address (id()); a list a C
 * static hands to every interpreter is found with both paths; an instance
 * of one interpreter's class is flagged where another reaches it, and as
 * left behind once its interpreter is destroyed; an interpreter's own
 * objects are not reported; threads running in other interpreters are
 * stopped for the walk.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include <cmocka.h>

#include "audit.h"
#include "interrupt.h"
#include "statics.h"
#include "session-util.h"

static struct audit *
audit_all(void)
{
	struct audit *a;
	char *cause = NULL;

	if (session_audit(S, NULL, 0, NULL, 0, true, &a, &cause) != 0)
		fail_msg("%%audit: %s", cause);
	return a;
}

static const struct audit_object *
object_at(const struct audit *a, long addr)
{
	size_t i;

	for (i = 0; i < a->nobjects; i++) {
		if ((long)a->objects[i].addr == addr)
			return &a->objects[i];
	}
	return NULL;
}

static bool
reached_from(const struct audit_object *o, interp_id id)
{
	size_t i;

	for (i = 0; i < o->nreachable; i++) {
		if (o->reachable_from[i] == id)
			return true;
	}
	return false;
}

/* Every path that Python can evaluate gives the very object: id() of it in
 * that interpreter is the address the audit reports. */
static size_t
check_paths(const struct audit *a)
{
	size_t i, j, checked = 0;
	char code[8192];

	for (i = 0; i < a->nobjects; i++) {
		const struct audit_object *o = &a->objects[i];

		for (j = 0; j < o->npaths; j++) {
			const char *p = o->paths[j].path;

			if (strchr(p, '<') != NULL || strstr(p, "->") != NULL)
				continue; /* an edge Python cannot spell */
			/* a class's __dict__ is a new mappingproxy each time: its
			 * items are the dict's, the dict itself is not reached */
			if (strcmp(o->type, "dict") == 0 &&
			    strlen(p) > 9 && strcmp(p + strlen(p) - 9, ".__dict__") == 0 &&
			    strncmp(p, "sys.modules[", 12) == 0 &&
			    strstr(p, "].__dict__") != p + strlen(p) - 10)
				continue;
			snprintf(code, sizeof code, "import sys; id(%s)", p);
			if (util_number(o->paths[j].interp, code) != (long)o->addr)
				fail_msg("in %lld, %s is not the %s at %#lx",
				    (long long)o->paths[j].interp, p, o->type,
				    (unsigned long)o->addr);
			checked++;
		}
	}
	return checked;
}

static void
test_leaky_list_and_instance(void **state)
{
	const struct audit_object *list, *thing, *own;
	struct import_report r[2];
	interp_id ids[2] = { 0, 0 };
	long list_id, thing_id, own_id;
	struct audit *a;

	(void)state;
	ids[1] = util_make("leaker", PRESET_LEGACY);
	util_import("demo_leaky", NULL, ids, 2, r);
	free(util_capture(ids[1], "class Thing:\n    pass\n", NULL));
	free(util_capture(ids[1], "t = Thing(); demo_leaky.add(t)", NULL));
	free(util_capture(0, "mine = ['only', 'main']", NULL));
	list_id = util_number(0, "id(demo_leaky.items())");
	thing_id = util_number(ids[1], "id(t)");
	own_id = util_number(0, "id(mine)");

	a = audit_all();
	list = object_at(a, list_id);
	assert_non_null(list);
	assert_string_equal(list->type, "list");
	assert_string_equal(list->classification, "shared");
	assert_true(reached_from(list, 0) && reached_from(list, ids[1]));
	assert_true(list->flags & AUDIT_STATIC_ROOT);
	/* where the crossing starts: the instance is reached through it */
	assert_true(list->flags & AUDIT_ENTRY);
	assert_non_null(strstr(list->static_root, "registry"));
	thing = object_at(a, thing_id);
	assert_non_null(thing);
	assert_int_equal(thing->owner, ids[1]);
	assert_true(thing->flags & AUDIT_FOREIGN_TYPE);
	assert_true(reached_from(thing, 0));
	own = object_at(a, own_id);
	assert_null(own);
	assert_true(check_paths(a) >= 4);
	audit_free(a);
	free(util_capture(0, "del mine", NULL));
	util_destroy(ids[1]);
}

/* After its interpreter is gone, the instance left in the shared list is
 * flagged as such, by %audit and by %why. */
static void
test_left_behind_by_a_destroyed_interpreter(void **state)
{
	const struct audit_object *o;
	struct audit *a;
	char *cause = NULL;
	interp_id gone;
	long addr;

	(void)state;
	gone = util_make("gone", PRESET_LEGACY);
	free(util_capture(gone, "import demo_leaky", NULL));
	free(util_capture(gone, "class Ghost:\n    pass\n", NULL));
	free(util_capture(gone, "demo_leaky.add(Ghost())", NULL));
	free(util_capture(0, "import demo_leaky", NULL));
	addr = util_number(0, "id(demo_leaky.items()[-1])");
	util_destroy(gone);

	if (session_why(S, 0, "demo_leaky.items()[-1]", &a, &cause) != 0)
		fail_msg("%%why: %s", cause);
	assert_int_equal(a->nobjects, 1);
	o = &a->objects[0];
	assert_int_equal((long)o->addr, addr);
	assert_string_equal(o->type, "Ghost");
	assert_int_equal(o->owner, gone);
	assert_true(o->flags & AUDIT_OWNER_DESTROYED);
	assert_string_equal(o->classification, "foreign");
	assert_true(reached_from(o, 0));
	check_paths(a);
	audit_free(a);

	a = audit_all();
	o = object_at(a, addr);
	assert_non_null(o);
	assert_true(o->flags & AUDIT_OWNER_DESTROYED);
	audit_free(a);
}

/* %why of objects that are not shared: its own, and a fresh temporary. */
static void
test_why_classifies(void **state)
{
	struct audit *a;
	char *cause = NULL;

	(void)state;
	free(util_capture(0, "solo = [1, 2, 3]", NULL));
	assert_int_equal(session_why(S, 0, "solo", &a, &cause), 0);
	assert_string_equal(a->objects[0].classification, "distinct");
	assert_int_equal(a->objects[0].npaths, 1);
	assert_string_equal(a->objects[0].paths[0].path,
	    "sys.modules['__main__'].__dict__['solo']");
	audit_free(a);
	assert_int_equal(session_why(S, 0, "[4, 5]", &a, &cause), 0);
	assert_string_equal(a->objects[0].classification, "unreachable");
	audit_free(a);
	assert_int_equal(session_why(S, 0, "None", &a, &cause), 0);
	assert_string_equal(a->objects[0].classification, "static");
	audit_free(a);
	assert_int_equal(session_why(S, 0, "1/0", &a, &cause), -1);
	assert_non_null(strstr(cause, "ZeroDivisionError"));
	free(cause);
	free(util_capture(0, "del solo", NULL));
}

/* A thread busy changing a list in another interpreter while the audit
 * walks: the walk stops it (a legacy interpreter's threads need the main
 * GIL, which the walk holds; an own GIL is taken by a parked thread). */
static void
test_threads_are_stopped(void **state)
{
	static const char *const start[] = {
		"import threading, time",
		"stop = threading.Event(); churn = []",
		/* sleep(0) lets the GIL go: on 3.11 a thread of a legacy
		 * sub-interpreter never sees main's drop request, and a loop
		 * without it starves the main interpreter (CPython's, not
		 * ours) */
		"def spin():\n"
		"    while not stop.is_set():\n"
		"        churn.append(object()); del churn[:-50]; time.sleep(0)\n",
		"th = threading.Thread(target=spin); th.start()",
	};
	enum run_outcome outcome;
	size_t k;
	struct audit *a;
	interp_id busy;
	int i;

	(void)state;
	busy = util_make("busy", python_minor() >= 12 ? PRESET_ISOLATED :
	    PRESET_LEGACY);
	for (k = 0; k < sizeof start / sizeof start[0]; k++) {
		free(util_capture(busy, start[k], &outcome));
		assert_int_equal(outcome, RUN_OK);
	}
	for (i = 0; i < 5; i++) {
		a = audit_all();
		assert_true(a->visited > 1000);
		if (python_minor() >= 12)
			assert_non_null(a->note);
		audit_free(a);
	}
	free(util_capture(busy, "stop.set(); th.join()", NULL));
	util_destroy(busy);
}

/* A deep snapshot marks an attribute that is distinct at the top but
 * holds shared objects below: demo_leaky's state dict. */
static void
test_deep_snapshot_marks_holders(void **state)
{
	static const char *const names[] = { "demo_leaky" };
	struct snap_filter f = { .names = names, .nnames = 1, .with_attrs = true,
	    .only = INTERP_NONE, .deep = true };
	const struct snap_module *m;
	struct import_report r[2];
	interp_id ids[2] = { 0, 0 };
	struct snapshot *snap;
	char *cause = NULL;

	(void)state;
	ids[1] = util_make("deep", PRESET_LEGACY);
	util_import("demo_leaky", NULL, ids, 2, r);
	if (session_snapshot(S, &f, &snap, &cause) != 0)
		fail_msg("%s", cause);
	m = snapshot_module(snap, "demo_leaky");
	assert_non_null(m);
	assert_int_equal(util_attr(m, "state")->sharing, SHARING_DISTINCT);
	assert_true(util_attr(m, "state")->holds_shared);
	assert_false(util_attr(m, "add")->holds_shared);
	snapshot_free(snap);
	/* not asked for: not walked */
	f.deep = false;
	assert_int_equal(session_snapshot(S, &f, &snap, &cause), 0);
	assert_false(util_attr(snapshot_module(snap, "demo_leaky"),
	    "state")->holds_shared);
	snapshot_free(snap);
	util_destroy(ids[1]);
}

/* A path ends at a module of another interpreter: the one a single-phase
 * module's copied functions leak (init_count.__self__ is main's module) is
 * reported as reached from the copy's interpreter, and main's sys, which
 * that module reaches in turn, is not walked through it. From a named
 * module, a path ends at any other module: %audit demo_leaky does not
 * report demo_single's leak, which its __loader__ reaches through
 * sys.modules; nor does a deep snapshot of demo_leaky blame __loader__. */
static void
test_paths_end_at_modules(void **state)
{
	static const char *const leaky[] = { "demo_leaky" };
	struct snap_filter f = { .names = leaky, .nnames = 1, .with_attrs = true,
	    .only = INTERP_NONE, .deep = true };
	const struct audit_object *o;
	struct import_report r[2];
	interp_id ids[2] = { 0, 0 };
	long module0, sysdict0, items0;
	struct snapshot *snap;
	struct audit *a;
	char *cause = NULL;
	size_t i;

	(void)state;
	ids[1] = util_make("copied", PRESET_LEGACY);
	util_import("demo_single", NULL, ids, 2, r);
	assert_true(r[1].result == IMPORT_FROM_COPY ||
	    r[1].result == IMPORT_INIT_ELSEWHERE);
	util_import("demo_leaky", NULL, ids, 2, r);
	module0 = util_number(0, "import sys; id(sys.modules['demo_single'])");
	sysdict0 = util_number(0, "import sys; id(sys.__dict__)");
	items0 = util_number(0, "id(demo_leaky.items())");

	a = audit_all();
	o = object_at(a, module0);
	assert_non_null(o);
	assert_int_equal(o->owner, 0);
	assert_true(reached_from(o, ids[1]));
	assert_null(object_at(a, sysdict0));
	assert_true(check_paths(a) >= 4);
	audit_free(a);

	if (session_audit(S, leaky, 1, NULL, 0, true, &a, &cause) != 0)
		fail_msg("%%audit demo_leaky: %s", cause);
	assert_non_null(object_at(a, items0));
	for (i = 0; i < a->nobjects; i++) {
		size_t j;

		for (j = 0; j < a->objects[i].npaths; j++) {
			if (strstr(a->objects[i].paths[j].path, "demo_single") != NULL)
				fail_msg("%%audit demo_leaky walked into demo_single: %s",
				    a->objects[i].paths[j].path);
		}
	}
	audit_free(a);

	if (session_snapshot(S, &f, &snap, &cause) != 0)
		fail_msg("%s", cause);
	assert_true(util_attr(snapshot_module(snap, "demo_leaky"),
	    "state")->holds_shared);
	assert_false(util_attr(snapshot_module(snap, "demo_leaky"),
	    "__loader__")->holds_shared);
	snapshot_free(snap);
	util_destroy(ids[1]);
}

/* Real extensions, stdlib (_decimal, _ctypes, _sqlite3, _csv, _json,
 * _curses, readline, CPython's _testmultiphase and, 3.12+,
 * _testsinglephase) and third-party (Debian's python3-yaml, python3-numpy
 * and python3-lxml for the default Python; left out where this Python has
 * none of them), in main and a legacy interpreter: the walk and the
 * statics scan survive them, and every path spelled for an entry gives its
 * object. */
static void
test_real_extensions(void **state)
{
	static const char *const mods[] = { "_decimal", "_ctypes", "_sqlite3",
	    "_csv", "_json", "_curses", "readline", "_testmultiphase",
	    "_testsinglephase", "yaml", "numpy", "lxml.etree" };
	struct audit *a;
	struct statics *st;
	char code[256], *cause = NULL;
	interp_id sub;
	size_t i, checked;
	long have = 0;

	(void)state;
	sub = util_make("real", PRESET_LEGACY);
	for (i = 0; i < sizeof mods / sizeof mods[0]; i++) {
		snprintf(code, sizeof code, "try:\n    import %s\n    print(1)\n"
		    "except Exception:\n    print(0)\n", mods[i]);
		have += util_number(0, code);
		/* numpy and yaml refuse a second interpreter: that is fine */
		free(util_capture(sub, code, NULL));
	}
	/* the stdlib's seven at least (_testsinglephase is 3.12+; the
	 * third-party ones are the default Python's) */
	assert_true(have >= 7);
	if (session_audit(S, NULL, 0, NULL, 0, false, &a, &cause) != 0)
		fail_msg("%%audit: %s", cause);
	assert_true(a->visited > 10000);
	checked = check_paths(a);
	assert_true(checked >= 1 || a->nobjects == 0);
	audit_free(a);
	if (session_statics(S, NULL, 0, &st, &cause) != 0)
		fail_msg("%%statics: %s", cause);
	statics_free(st);
	util_destroy(sub);
}

static void
test_json_round_trip(void **state)
{
	struct audit *a, *back;
	char *text = NULL, *cause = NULL;
	size_t len = 0, i;
	FILE *mem;
	interp_id ids[2] = { 0, 0 };
	struct import_report r[2];

	(void)state;
	ids[1] = util_make("jsoned", PRESET_LEGACY);
	util_import("demo_leaky", NULL, ids, 2, r);
	a = audit_all();
	mem = open_memstream(&text, &len);
	assert_int_equal(audit_write_json(a, mem), 0);
	fclose(mem);
	back = audit_parse(text, len, &cause);
	if (back == NULL)
		fail_msg("%s", cause);
	assert_int_equal(back->nobjects, a->nobjects);
	for (i = 0; i < a->nobjects; i++) {
		assert_int_equal(back->objects[i].addr, a->objects[i].addr);
		assert_int_equal(back->objects[i].flags, a->objects[i].flags);
		assert_int_equal(back->objects[i].npaths, a->objects[i].npaths);
	}
	audit_free(back);
	audit_free(a);
	free(text);
	assert_null(audit_parse("{\"objects\": 3}", 14, &cause));
	assert_non_null(strstr(cause, "malformed audit"));
	free(cause);
	util_destroy(ids[1]);
}

/* Interrupts asked for from another thread until told to stop. */
static atomic_bool stop_asking;

static void *
keep_interrupting(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop_asking)) {
		interrupt_request();
		usleep(500);
	}
	return NULL;
}

/* An interrupt asked for while the walk runs (Ctrl-C, or the TUI wanting
 * its keys back) stops it, with no findings from half a walk; the next
 * audit runs whole. */
static void
test_interrupt_stops_the_walk(void **state)
{
	struct audit *a = NULL;
	char *cause = NULL;
	pthread_t asker;
	interp_id sub;
	int rc;

	(void)state;
	sub = util_make("interrupted", PRESET_LEGACY);
	atomic_store(&stop_asking, false);
	assert_int_equal(pthread_create(&asker, NULL, keep_interrupting, NULL),
	    0);
	rc = audit_collect(NULL, 0, NULL, 0, false, &a, &cause);
	atomic_store(&stop_asking, true);
	pthread_join(asker, NULL);
	assert_int_equal(rc, -1);
	assert_null(a);
	assert_string_equal(cause, "interrupted");
	free(cause);
	cause = NULL;
	if (audit_collect(NULL, 0, NULL, 0, false, &a, &cause) != 0)
		fail_msg("audit after the interrupts: %s", cause);
	assert_true(a->visited > 10000);
	audit_free(a);
	util_destroy(sub);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaky_list_and_instance),
		cmocka_unit_test(test_left_behind_by_a_destroyed_interpreter),
		cmocka_unit_test(test_why_classifies),
		cmocka_unit_test(test_threads_are_stopped),
		cmocka_unit_test(test_deep_snapshot_marks_holders),
		cmocka_unit_test(test_real_extensions),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_paths_end_at_modules),
		cmocka_unit_test(test_interrupt_stops_the_walk),
	};

	return cmocka_run_group_tests_name("audit", tests, util_setup,
	    util_teardown);
}
