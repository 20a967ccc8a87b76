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

#include "session-util.h"

/* A single-phase test module with m_size -1 that this Python installs:
 * _testimportmultiple became multi-phase in 3.13, _testsinglephase exists
 * from 3.12 on. */
static const char *
single_phase_module(void)
{
	return python_minor() >= 12 ? "_testsinglephase" : "_testimportmultiple";
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
	ids[1] = util_make("sp_a", PRESET_LEGACY);
	ids[2] = util_make("sp_b", PRESET_LEGACY);
	util_import(single_phase_module(), NULL, ids, 3, r);
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
	util_import(single_phase_module(), NULL, ids, 1, r);
	assert_int_equal(r[0].result, IMPORT_ALREADY);

	snap = util_snapshot(single_phase_module());
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
	assert_int_equal(util_attr(m, "__loader__")->sharing, SHARING_DISTINCT);
	assert_int_equal(util_attr(m, "__spec__")->sharing, SHARING_DISTINCT);
	assert_int_equal(util_attr(m, "__package__")->sharing, SHARING_STATIC);
	for (i = 0; i < m->nattrs; i++) {
		if (m->attrs[i].sharing != SHARING_DISTINCT)
			same++;
	}
	assert_int_equal(same, m->nattrs - 2);
	assert_int_equal(util_attr(m, "__doc__")->sharing, SHARING_SHARED);
	snapshot_free(snap);
	util_destroy(ids[1]);

	/* after its holders are gone, the definition is still remembered */
	ids[1] = util_make("sp_c", PRESET_LEGACY);
	util_import(single_phase_module(), NULL, &ids[1], 1, r);
	assert_int_equal(r[0].result, IMPORT_FROM_COPY);
	util_destroy(ids[1]);
	util_destroy(ids[2]);
}

/* A shared list, appended to in one interpreter, shows the same contents
 * in every interpreter; previews are read without running code, so
 * instances of classes get none. */
static void
test_previews_of_a_shared_list(void **state)
{
	const struct snap_module *m;
	const struct snap_attr *a;
	struct import_report r[2];
	struct snapshot *snap;
	interp_id ids[2];
	enum run_outcome outcome;
	size_t i;

	(void)state;
	ids[0] = 0;
	ids[1] = util_make("pv_a", PRESET_LEGACY);
	util_import("demo_single", NULL, ids, 2, r);
	free(util_capture(ids[1], "demo_single.items.append(('pv', 1.5, None))",
	    &outcome));
	assert_int_equal(outcome, RUN_OK);
	free(util_capture(0, "C = type('C', (), {}); x = C(); s = 'a\\n' * 40",
	    &outcome));
	assert_int_equal(outcome, RUN_OK);

	snap = util_snapshot("demo_single");
	m = snapshot_module(snap, "demo_single");
	a = util_attr(m, "items");
	assert_int_equal(a->sharing, SHARING_SHARED);
	assert_int_equal(a->nobjects, 2);
	for (i = 0; i < 2; i++) {
		assert_non_null(a->objects[i].preview);
		assert_non_null(strstr(a->objects[i].preview, "('pv', 1.5, None)"));
	}
	assert_null(util_attr(m, "append")->objects[0].preview);
	snapshot_free(snap);

	snap = util_snapshot("__main__");
	m = snapshot_module(snap, "__main__");
	assert_null(util_attr(m, "x")->objects[0].preview);
	a = util_attr(m, "s");
	assert_string_equal(a->objects[0].preview,
	    "'a\\na\\na\\na\\na\\na\\na\\na\\na\\na\\na\\na\\na\\na\\na\\na\\na\\na\\na\\na...");
	/* a cut never splits an escape */
	snapshot_free(snap);
	free(util_capture(0, "del x, s, C; demo_single.items.clear()", &outcome));
	util_destroy(ids[1]);
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
	ids[1] = util_make("mp", PRESET_LEGACY);
	util_import("_json", NULL, ids, 2, r);
	assert_int_equal(r[0].kind, KIND_MULTI);
	assert_int_equal(r[1].result, IMPORT_RAN_INIT);
	snap = util_snapshot("_json");
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
	assert_int_equal(util_attr(m, "scanstring")->sharing, SHARING_DISTINCT);
	snapshot_free(snap);
	util_destroy(ids[1]);
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
	util_import("_testimportmultiple", NULL, &main_id, 1, r);
	snap = util_snapshot("_testimportmultiple");
	m = snapshot_module(snap, "_testimportmultiple");
	assert_non_null(m->file);
	snprintf(path, sizeof path, "%s", m->file);
	snapshot_free(snap);

	util_import("_testimportmultiple_foo", path, &main_id, 1, r);
	assert_int_equal(r[0].result, IMPORT_RAN_INIT);
	assert_true(r[0].kind == KIND_SINGLE || r[0].kind == KIND_MULTI);
	/* a file without that init function is refused, verbatim */
	util_import("no_such_init", path, &main_id, 1, r);
	assert_int_equal(r[0].result, IMPORT_REFUSED);
	assert_non_null(strstr(r[0].error, "ImportError"));
	assert_non_null(strstr(r[0].error, "PyInit_no_such_init"));
	/* not a module file at all */
	util_import("notes", "/etc/hostname", &main_id, 1, r);
	assert_int_equal(r[0].result, IMPORT_REFUSED);
}

static void
test_refused_and_failed(void **state)
{
	struct import_report r[1];
	interp_id main_id = 0;

	(void)state;
	util_import("no_such_module_anywhere", NULL, &main_id, 1, r);
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
	ids[1] = util_make("iso", PRESET_ISOLATED);
	util_import(single_phase_module(), NULL, ids, 2, r);
	assert_int_equal(r[1].result, IMPORT_REFUSED);
	assert_non_null(strstr(r[1].error, "does not support loading in subinterpreters"));
	/* multi-phase modules that declare support load fine */
	util_import("_json", NULL, &ids[1], 1, r);
	assert_int_equal(r[0].result, IMPORT_RAN_INIT);
	util_destroy(ids[1]);
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

/* A module is "frozen" exactly when its spec's origin says so (the engine
 * asks the spec only for modules without a __loader__), in main and in a
 * new interpreter, for every module either has. */
static void
test_frozen_as_the_spec_says(void **state)
{
	static const char list[] =
	    "print(' ' + ' '.join(n for n, m in\n"
	    "    list(__import__('sys').modules.items())\n"
	    "    if getattr(getattr(m, '__spec__', None), 'origin', None)\n"
	    "    == 'frozen') + ' ')";
	interp_id ids[2] = { 0, util_make("fz", PRESET_LEGACY) };
	size_t i, k, frozen = 0;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct snap_filter f = { .only = ids[i] };
		enum run_outcome outcome;
		char *names = util_capture(ids[i], list, &outcome);
		struct snapshot *snap;
		char *cause = NULL;

		assert_int_equal(outcome, RUN_OK);
		assert_int_equal(session_snapshot(S, &f, &snap, &cause), 0);
		for (k = 0; k < snap->nmodules; k++) {
			const struct snap_module *m = &snap->modules[k];
			char word[256];
			bool said;

			snprintf(word, sizeof word, " %s ", m->name);
			said = strstr(names, word) != NULL;
			if (said != (m->kind == KIND_FROZEN))
				fail_msg("%s in %lld: the spec says %sfrozen, "
				    "the snapshot %s", m->name,
				    (long long)ids[i], said ? "" : "not ",
				    module_kind_name(m->kind));
			frozen += said;
		}
		snapshot_free(snap);
		free(names);
	}
	/* 3.11 to 3.13, installed, freeze os, codecs, site and more */
	assert_true(frozen > 0);
	util_destroy(ids[1]);
}

/* Previews of plain values, as repr would write them where it can, cut
 * with a count where they are long. */
static void
test_preview_texts(void **state)
{
	static const char *const expect[][2] = {
		{ "p_neg", "-1234567890123" },
		{ "p_big", "<big int>" },
		{ "p_float", "1.5" },
		{ "p_str", "'a\\x01b\\x7f\\n\\'\\\\\xc3\xa9'" },
		{ "p_bytes", "b'\\x00\\xff ab'" },
		{ "p_list", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, ... 40 items]" },
		{ "p_one", "(1,)" },
		{ "p_nested", "[[1, [...]], {}, {'k': []}, set(0 items), ... 5 items]" },
		{ "p_dict", "{'m': <module>, 'x': [1]}" },
		{ "p_empty", "[]" },
		{ "p_set", "set(3 items)" },
		{ "p_frozen", "frozenset(2 items)" },
		{ "p_long", "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..." },
		{ "p_cut_esc", "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..." },
		{ "p_cut_utf8", "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..." },
		{ "p_fits", "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'" },
		{ "p_in_list", "['aaaaaaaaaaaaaaaaaaaa', ... 3 items]" },
	};
	const struct snap_module *m;
	struct snapshot *snap;
	enum run_outcome outcome;
	size_t i;
	static const char *const code[] = {
		"import sys",
		"p_neg = -1234567890123; p_big = 10 ** 30; p_float = 1.5",
		"p_str = 'a' + chr(1) + 'b' + chr(127) + chr(10) + chr(39) + "
		    "chr(92) + chr(233)",
		"p_bytes = bytes([0, 255, 32, 97, 98]); p_list = list(range(40))",
		"p_one = (1,); p_empty = []; p_set = {1, 2, 3}",
		"p_nested = [[1, [2, [3]]], {}, {'k': []}, set(), "
		    "frozenset({1, 2})]",
		"p_dict = {'m': sys, 'x': [1]}; p_frozen = frozenset({1, 2})",
		/* cut where a long string meets the end: after plain
		 * characters, before an escape, before a two-byte character */
		"p_long = 'x' * 200; p_cut_esc = 'x' * 58 + chr(10) + 'y'",
		"p_cut_utf8 = 'x' * 58 + chr(233) + 'y'; p_fits = 'x' * 58",
		"p_in_list = ['a' * 20, 'b' * 25, 'c' * 30]",
	};

	(void)state;
	for (i = 0; i < sizeof code / sizeof code[0]; i++) {
		free(util_capture(0, code[i], &outcome));
		assert_int_equal(outcome, RUN_OK);
	}
	snap = util_snapshot("__main__");
	m = snapshot_module(snap, "__main__");
	for (i = 0; i < sizeof expect / sizeof expect[0]; i++) {
		const char *got = util_attr(m, expect[i][0])->objects[0].preview;

		if (got == NULL || strcmp(got, expect[i][1]) != 0)
			fail_msg("%s: %s, not %s", expect[i][0], got != NULL ? got :
			    "(none)", expect[i][1]);
	}
	snapshot_free(snap);
	free(util_capture(0, "del p_neg, p_big, p_float, p_str, p_bytes, "
	    "p_list, p_one, p_empty, p_set, p_nested, p_dict, p_frozen, "
	    "p_long, p_cut_esc, p_cut_utf8, p_fits, p_in_list",
	    &outcome));
}

/* The preview of attribute `name` in interpreter id, or NULL. */
static const char *
preview_in(const struct snap_module *m, const char *name, interp_id id)
{
	const struct snap_attr *a = util_attr(m, name);
	size_t i;

	for (i = 0; i < a->nobjects; i++) {
		if (a->objects[i].interp == id)
			return a->objects[i].preview;
	}
	fail_msg("%s: no object in interpreter %d", name, (int)id);
	return NULL;
}

/* Interpreters read one after another whose module has the same names in
 * the same places, with texts alike, longer, shorter and the same (the
 * reader takes the text of the interpreter before as a hint), and one
 * whose names come in another order. */
static void
test_previews_across_interpreters(void **state)
{
	static const char *const code[] = {
		"h_a = 'ab'; h_b = 12; h_c = [1]",
		"h_a = 'abc'; h_b = 1; h_c = [1]",
		"h_a = 'a'; h_b = 1.5; h_c = [1, 2]",
		"h_c = 'ab'; h_b = [2]; h_a = 'abcd'",
	};
	static const char *const expect[][3] = {
		{ "'ab'", "12", "[1]" },
		{ "'abc'", "1", "[1]" },
		{ "'a'", "1.5", "[1, 2]" },
		{ "'abcd'", "[2]", "'ab'" },
	};
	static const char *const names[] = { "h_a", "h_b", "h_c" };
	interp_id ids[4];
	const struct snap_module *m;
	struct snapshot *snap;
	size_t i, j;

	(void)state;
	for (i = 0; i < 4; i++) {
		char name[16], *run;

		snprintf(name, sizeof name, "hint_%zu", i);
		ids[i] = util_make(name, PRESET_LEGACY);
		run = malloc(strlen(code[i]) + 200);
		assert_non_null(run);
		sprintf(run, "import sys, types\n"
		    "m = types.ModuleType('hint_probe')\n"
		    "sys.modules['hint_probe'] = m\n"
		    "exec(%s%s%s, m.__dict__)", "\"", code[i], "\"");
		util_run(ids[i], run);
		free(run);
	}
	snap = util_snapshot("hint_probe");
	m = snapshot_module(snap, "hint_probe");
	assert_non_null(m);
	for (i = 0; i < 4; i++) {
		for (j = 0; j < 3; j++) {
			const char *got = preview_in(m, names[j], ids[i]);

			if (got == NULL || strcmp(got, expect[i][j]) != 0)
				fail_msg("%s in interpreter %zu: %s, not %s",
				    names[j], i, got != NULL ? got : "(none)",
				    expect[i][j]);
		}
	}
	snapshot_free(snap);
	for (i = 0; i < 4; i++)
		util_destroy(ids[i]);
}

int
main(void)
{
	/* The isolated test needs 3.12+; before that it is not registered
	 * (the TAP driver counts a skip as a failure). */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_phase_filled_from_copy),
		cmocka_unit_test(test_previews_of_a_shared_list),
		cmocka_unit_test(test_preview_texts),
		cmocka_unit_test(test_previews_across_interpreters),
		cmocka_unit_test(test_multi_phase_distinct),
		cmocka_unit_test(test_load_under_init_names),
		cmocka_unit_test(test_refused_and_failed),
		cmocka_unit_test(test_modules_of_one_interpreter),
		cmocka_unit_test(test_frozen_as_the_spec_says),
		cmocka_unit_test(test_isolated_refuses_single_phase),
	};
	size_t n = sizeof tests / sizeof tests[0];

	return _cmocka_run_group_tests("share", tests, python_minor() >= 12 ? n : n - 1,
	    util_setup, util_teardown);
}
