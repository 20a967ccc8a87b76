/*
 * test-statics.c: %statics against ground truth computed by the test in
 * the interpreters themselves: the object a C static holds is the one
 * Python's id() names, a counter bumped from another interpreter shows as
 * changed, a static type is named, a stripped file still shows its
 * writable ranges, and the JSON carries all of it.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "session-util.h"
#include "statics.h"

static const struct static_file *
file_of(const struct statics *st, const char *module)
{
	size_t i, j;

	for (i = 0; i < st->nfiles; i++) {
		for (j = 0; j < st->files[i].nmodules; j++) {
			if (strcmp(st->files[i].modules[j], module) == 0)
				return &st->files[i];
		}
	}
	fail_msg("no file for module %s", module);
	return NULL;
}

static const struct static_symbol *
symbol_of(const struct static_file *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nsymbols; i++) {
		if (f->symbols[i].name != NULL &&
		    strcmp(f->symbols[i].name, name) == 0)
			return &f->symbols[i];
	}
	fail_msg("%s has no symbol %s", f->path, name);
	return NULL;
}

static struct statics *
statics(const char *const *names, size_t n)
{
	struct statics *st;
	char *cause = NULL;

	if (session_statics(S, names, n, &st, &cause) != 0)
		fail_msg("%%statics: %s", cause);
	return st;
}

/* By default: the files two or more interpreters use, and what they hold
 * is what Python says. */
static void
test_objects_are_the_ones_python_sees(void **state)
{
	const struct static_symbol *s;
	const struct static_file *f;
	struct import_report r[2];
	interp_id ids[2] = { 0, 0 };
	struct statics *st;
	long items_id;

	(void)state;
	ids[1] = util_make("st", PRESET_LEGACY);
	util_import("demo_single", NULL, ids, 2, r);
	util_import("demo_static_type", NULL, ids, 2, r);
	items_id = util_number(ids[1], "demo_single.append('from st') or "
	    "id(demo_single.items)");
	st = statics(NULL, 0);
	f = file_of(st, "demo_single");
	assert_int_equal(f->ninterps, 2);
	s = symbol_of(f, "items");
	assert_int_equal(s->kind, STATIC_OBJECT);
	assert_true(s->local);
	assert_string_equal(s->section, ".bss");
	assert_int_equal(s->nrefs, 1);
	assert_int_equal((long)s->refs[0].addr, items_id);
	assert_string_equal(s->refs[0].type, "list");
	assert_string_equal(s->refs[0].preview, "['from st']");
	/* both interpreters reach it (as %audit walks them) */
	assert_int_equal(s->refs[0].nreachable, 2);
	assert_int_equal(s->refs[0].reachable_from[0], 0);
	assert_int_equal(s->refs[0].reachable_from[1], ids[1]);
	/* the def is an object, and holds m_copy: the dict init made */
	s = symbol_of(f, "def");
	assert_int_equal(s->kind, STATIC_OBJECT);
	assert_string_equal(s->refs[0].type, "moduledef");
	assert_true(s->nrefs >= 2);
	assert_string_equal(s->refs[1].type, "dict");
	/* a static type */
	s = symbol_of(file_of(st, "demo_static_type"), "StaticThing");
	assert_int_equal(s->kind, STATIC_TYPE);
	assert_string_equal(s->type_name, "demo_static_type.StaticThing");
	assert_int_equal((long)s->addr, util_number(0,
	    "id(demo_static_type.StaticThing)"));
	statics_free(st);
	util_destroy(ids[1]);
}

/* Plain C data shows its value, and a change made from another
 * interpreter since the last look is marked. */
static void
test_counter_changes_are_marked(void **state)
{
	const char *name = "demo_multi_counter";
	const struct static_symbol *s;
	struct import_report r[2];
	interp_id ids[2] = { 0, 0 };
	struct statics *st;
	long before;

	(void)state;
	ids[1] = util_make("counting", PRESET_LEGACY);
	util_import(name, NULL, ids, 2, r);
	before = util_number(0, "demo_multi_counter.count()");
	st = statics(&name, 1);
	s = symbol_of(file_of(st, name), "counter");
	assert_int_equal(s->kind, STATIC_DATA);
	assert_true(s->has_value);
	assert_int_equal(s->value, before);
	statics_free(st);
	util_number(ids[1], "demo_multi_counter.bump() or 0");
	st = statics(&name, 1);
	s = symbol_of(file_of(st, name), "counter");
	assert_int_equal(s->value, before + 1);
	assert_true(s->changed);
	assert_int_equal(s->was, before);
	statics_free(st);
	/* no change since: no mark */
	st = statics(&name, 1);
	assert_false(symbol_of(file_of(st, name), "counter")->changed);
	statics_free(st);
	util_destroy(ids[1]);
}

/* Unknown names are one clear error; the JSON text reads back whole. */
static void
test_names_and_json(void **state)
{
	const char *bad = "no_such_thing", *name = "demo_single";
	struct statics *st, *back;
	char *cause = NULL, *text = NULL;
	size_t len = 0;
	FILE *mem;

	(void)state;
	assert_int_equal(session_statics(S, &bad, 1, &st, &cause), -1);
	assert_non_null(strstr(cause, "no loaded module or file named "
	    "'no_such_thing'"));
	free(cause);
	cause = NULL;
	mem = open_memstream(&text, &len);
	assert_int_equal(session_statics_json(S, &name, 1, mem, &cause), 0);
	fclose(mem);
	back = statics_parse(text, len, &cause);
	if (back == NULL)
		fail_msg("%s", cause);
	st = statics(&name, 1);
	assert_int_equal(back->nfiles, 1);
	assert_int_equal(back->files[0].nsymbols, st->files[0].nsymbols);
	assert_int_equal(symbol_of(&back->files[0], "items")->refs[0].addr,
	    symbol_of(&st->files[0], "items")->refs[0].addr);
	assert_int_equal(symbol_of(&back->files[0], "items")->refs[0].nreachable,
	    symbol_of(&st->files[0], "items")->refs[0].nreachable);
	statics_free(back);
	statics_free(st);
	free(text);
	assert_null(statics_parse("{\"files\": [{\"path\": 1}]}", 24, &cause));
	assert_non_null(strstr(cause, "malformed statics"));
	free(cause);
}

/* A stripped copy of a demo module: no object symbols, so its writable
 * ranges, unnamed, and still the objects in them. */
static void
test_stripped_file_shows_ranges(void **state)
{
	char path[128], dir[64];
	char cmd[8192], *cause = NULL;
	const char *names[1] = { path };
	const struct static_file *f;
	struct import_report r[1];
	interp_id fresh;
	struct statics *st;
	size_t i, refs = 0;

	(void)state;
	snprintf(dir, sizeof dir, "/tmp/subrepl-stripped-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/demo_strip.so", dir);
	snprintf(cmd, sizeof cmd, "strip --strip-all -o '%s' '%s/demo_single.so'",
	    path, getenv("SUBREPL_DEMO_DIR"));
	if (system(cmd) != 0) {
		/* no strip here: nothing to test */
		rmdir(dir);
		return;
	}
	/* PyInit_demo_single is its init: load it under that name, where
	 * demo_single is not imported yet */
	fresh = util_make("stripped", PRESET_LEGACY);
	util_import("demo_single", path, &fresh, 1, r);
	(void)cause;
	st = statics(names, 1);
	f = &st->files[0];
	assert_true(f->nsymbols >= 1);
	for (i = 0; i < f->nsymbols; i++) {
		assert_null(f->symbols[i].name);
		refs += f->symbols[i].nrefs;
	}
	assert_true(refs >= 1); /* the list and the def at least */
	statics_free(st);
	util_destroy(fresh);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_objects_are_the_ones_python_sees),
		cmocka_unit_test(test_counter_changes_are_marked),
		cmocka_unit_test(test_names_and_json),
		cmocka_unit_test(test_stripped_file_shows_ranges),
	};

	return cmocka_run_group_tests_name("statics", tests, util_setup,
	    util_teardown);
}
