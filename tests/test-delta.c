/*
 * test-delta.c: snapshots sent as deltas (core/snapshot-memory.c,
 * core/snapshot-delta.c), against the real CPython this is built with.
 * Both ends of the link run here: the host's side writes what it would
 * send, the front end's side patches what it keeps, and the patched
 * snapshot must say exactly what the host's says, after every kind of
 * step: a name bound, a list appended to without touching any dict, a
 * module imported, one taken out of sys.modules, an interpreter made and
 * one destroyed.
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
#include "snapshot-delta.h"
#include "snapshot-json.h"
#include "snapshot-memory.h"

static struct snap_memory host_side, front_side;

static const struct snapshot *
kept(const struct snap_memory *m, long generation)
{
	size_t i;

	for (i = 0; i < SNAP_KINDS; i++) {
		if (m->kept[i].used && m->kept[i].generation == generation)
			return m->kept[i].snap;
	}
	fail_msg("generation %ld is not kept", generation);
	return NULL;
}

/* One trip over the link: the host snapshots and sends, the front end
 * receives. Checks that what the front end has equals what the host
 * took; returns the text that travelled (malloc'd), *base its base. */
static char *
trip(const struct snap_filter *f, struct snapshot **out, long *base)
{
	struct snapshot *snap;
	char *text = NULL, *cause = NULL, *sent_json, *got_json;
	size_t len = 0;
	long generation;
	FILE *mem = open_memstream(&text, &len);

	assert_non_null(mem);
	assert_int_equal(session_snapshot(S, f, &snap, &cause), 0);
	assert_int_equal(snapshot_send(&host_side, f,
	    snap_memory_since(&front_side, f), snap, mem, &generation, base), 0);
	assert_int_equal(fclose(mem), 0);
	if (snapshot_receive(&front_side, f, text, len, generation, *base, out,
	    &cause) != 0)
		fail_msg("receiving: %s", cause);
	sent_json = util_json(kept(&host_side, generation));
	got_json = util_json(*out);
	assert_string_equal(got_json, sent_json);
	free(sent_json);
	free(got_json);
	return text;
}

static const struct snap_object *
object_of(const struct snapshot *snap, const char *module, const char *name,
    interp_id id)
{
	const struct snap_module *m = snapshot_module(snap, module);

	assert_non_null(m);
	return snap_attr_object(util_attr(m, name), id);
}

static void
test_deltas_say_what_the_host_says(void **state)
{
	struct snap_filter f = { .with_attrs = true, .only = INTERP_NONE };
	struct snapshot *got;
	char *text;
	long base;
	interp_id a, b;
	int i;

	(void)state;
	snap_memory_forget(&host_side);
	snap_memory_forget(&front_side);
	a = util_make("delta_a", PRESET_LEGACY);
	util_run(a, "import json\njson.seen = []");
	text = trip(&f, &got, &base);
	assert_int_equal(base, 0); /* nothing kept yet: whole */
	assert_null(strstr(text, "\"removed\""));
	assert_string_equal(object_of(got, "json", "seen", a)->preview, "[]");
	free(text);
	snapshot_free(got);

	/* a list appended to: no dict changed, its preview did */
	util_run(a, "json.seen.append(1)");
	text = trip(&f, &got, &base);
	assert_true(base != 0);
	assert_non_null(strstr(text, "\"name\": \"json\""));
	assert_null(strstr(text, "\"name\": \"os\""));
	assert_string_equal(object_of(got, "json", "seen", a)->preview, "[1]");
	free(text);
	snapshot_free(got);

	/* nothing happened: nothing travels but the interpreters */
	text = trip(&f, &got, &base);
	assert_true(base != 0);
	assert_null(strstr(text, "\"name\": \"json\""));
	assert_non_null(strstr(text, "\"removed\": []"));
	free(text);
	snapshot_free(got);

	/* a module imported, then one taken out of sys.modules */
	util_run(a, "import colorsys");
	text = trip(&f, &got, &base);
	assert_non_null(strstr(text, "\"name\": \"colorsys\""));
	assert_non_null(snap_module_instance(snapshot_module(got, "colorsys"),
	    a));
	free(text);
	snapshot_free(got);
	util_run(a, "import sys\ndel sys.modules['colorsys']");
	text = trip(&f, &got, &base);
	if (snapshot_module(got, "colorsys") != NULL)
		assert_null(snap_module_instance(snapshot_module(got,
		    "colorsys"), a));
	free(text);
	snapshot_free(got);

	/* interpreters made and destroyed, and more patches than a
	 * patched snapshot keeps pools for (it copies them into one) */
	b = util_make("delta_b", PRESET_LEGACY);
	util_run(b, "import json");
	for (i = 0; i < 12; i++) {
		char code[64];

		snprintf(code, sizeof code, "json.seen.append(%d)\nx%d = 1", i, i);
		util_run(a, code);
		text = trip(&f, &got, &base);
		assert_true(base != 0);
		assert_int_equal(snapshot_module(got, "json")->ninstances, 2);
		free(text);
		snapshot_free(got);
	}
	util_destroy(b);
	text = trip(&f, &got, &base);
	assert_non_null(strstr(text, "\"name\": \"json\""));
	assert_int_equal(snapshot_module(got, "json")->ninstances, 1);
	free(text);
	snapshot_free(got);
	util_destroy(a);
	snap_memory_forget(&host_side);
	snap_memory_forget(&front_side);
}

/* A delta against a snapshot the front end does not keep is refused,
 * and the kind is forgotten: the next request asks for the whole. */
static void
test_unknown_base_is_refused(void **state)
{
	struct snap_filter f = { .only = INTERP_NONE };
	struct snapshot *got;
	char *text, *cause = NULL;
	long base;

	(void)state;
	snap_memory_forget(&host_side);
	snap_memory_forget(&front_side);
	text = trip(&f, &got, &base);
	snapshot_free(got);
	assert_true(snap_memory_since(&front_side, &f) != 0);
	assert_int_equal(snapshot_receive(&front_side, &f, text, strlen(text),
	    5, 4, &got, &cause), -1);
	assert_non_null(strstr(cause, "does not have"));
	free(cause);
	assert_int_equal(snap_memory_since(&front_side, &f), 0);
	free(text);
	snap_memory_forget(&host_side);
	snap_memory_forget(&front_side);
}

/* Kinds are told apart by their flags: two kinds keep two snapshots. */
static void
test_kinds_kept_apart(void **state)
{
	struct snap_filter modules = { .only = INTERP_NONE };
	struct snap_filter attrs = { .with_attrs = true, .only = INTERP_NONE,
	    .names = (const char *[]){ "sys" }, .nnames = 1 };
	struct snapshot *got;
	long base;

	(void)state;
	snap_memory_forget(&host_side);
	snap_memory_forget(&front_side);
	free(trip(&modules, &got, &base));
	snapshot_free(got);
	free(trip(&attrs, &got, &base));
	assert_int_equal(base, 0);
	assert_int_equal(got->nmodules, 1);
	snapshot_free(got);
	free(trip(&modules, &got, &base));
	assert_true(base != 0);
	assert_true(got->nmodules > 10);
	snapshot_free(got);
	free(trip(&attrs, &got, &base));
	assert_true(base != 0);
	assert_int_equal(got->nmodules, 1);
	snapshot_free(got);
	snap_memory_forget(&host_side);
	snap_memory_forget(&front_side);
}

/* What is kept between snapshots (snapshot-kept.h) changes nothing: after
 * changes to module dicts, to sys.modules and to m_copy, a snapshot
 * taken with what was kept equals one taken afresh. */
static void
test_kept_equals_afresh(void **state)
{
	static const char *const steps[] = {
		"import json, colorsys",
		"json.__file__ = '/elsewhere/json.py'",
		"import sys, types\nsys.modules['json'] = types.ModuleType('json')",
		"sys.modules['not_a_module'] = 3",
		"del sys.modules['colorsys']",
		"import colorsys\ncolorsys.__spec__ = None",
		"x = 1",
	};
	struct snap_filter f = { .with_attrs = true, .only = INTERP_NONE };
	struct snapshot *kept_snap, *fresh;
	char *cause = NULL, *a, *b;
	interp_id sub;
	size_t i;

	(void)state;
	sub = util_make("kept", PRESET_LEGACY);
	assert_int_equal(session_snapshot(S, &f, &kept_snap, &cause), 0);
	snapshot_free(kept_snap);
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		util_run(sub, steps[i]);
		assert_int_equal(session_snapshot(S, &f, &kept_snap, &cause), 0);
		snapshot_kept_forget();
		assert_int_equal(session_snapshot(S, &f, &fresh, &cause), 0);
		a = util_json(kept_snap);
		b = util_json(fresh);
		if (strcmp(a, b) != 0)
			fail_msg("after '%s' the kept snapshot differs", steps[i]);
		free(a);
		free(b);
		snapshot_free(kept_snap);
		snapshot_free(fresh);
	}
	/* the module json is now is a bare one: described as such */
	assert_int_equal(session_snapshot(S, &f, &kept_snap, &cause), 0);
	assert_null(snapshot_module(kept_snap, "json")->file);
	snapshot_free(kept_snap);

	/* a new runtime reuses ids and addresses (and, 3.12+, restarts dict
	 * versions): nothing kept from the old one is taken for the new */
	{
		struct reinit_map *map = NULL;
		size_t nmap = 0;

		if (session_reinit(S, &map, &nmap, &cause) != 0)
			fail_msg("%%reinit: %s", cause);
		free(map);
	}
	assert_int_equal(session_snapshot(S, &f, &kept_snap, &cause), 0);
	snapshot_kept_forget();
	assert_int_equal(session_snapshot(S, &f, &fresh, &cause), 0);
	a = util_json(kept_snap);
	b = util_json(fresh);
	assert_string_equal(a, b);
	free(a);
	free(b);
	snapshot_free(kept_snap);
	snapshot_free(fresh);
	assert_int_equal(session_resolve(S, "kept", &sub, &cause), 0);
	util_destroy(sub);
}

/* %json's snapshot (since -1) is written whole and not kept: the next
 * request of its kind is answered whole too. */
static void
test_json_is_not_kept(void **state)
{
	struct snap_filter f = { .with_attrs = true, .only = INTERP_NONE };
	struct snapshot *snap;
	char *text = NULL, *cause = NULL;
	size_t len = 0;
	long generation = 1, base = 1;
	FILE *mem = open_memstream(&text, &len);

	(void)state;
	snap_memory_forget(&host_side);
	assert_int_equal(session_snapshot(S, &f, &snap, &cause), 0);
	assert_int_equal(snapshot_send(&host_side, &f, -1, snap, mem,
	    &generation, &base), 0);
	fclose(mem);
	assert_int_equal(base, 0);
	assert_int_equal(generation, 0);
	assert_int_equal(snap_memory_since(&host_side, &f), 0);
	assert_non_null(strstr(text, "\"modules\""));
	assert_null(strstr(text, "\"removed\""));
	free(text);
}

/* A deep walk's snapshot and the plain one are one kind: they travel as
 * deltas of each other, and each patched copy says what the host's does,
 * the walk's holds-shared marks coming and going. */
static void
test_deep_and_plain_alternate(void **state)
{
	static const char *const names[] = { "demo_leaky" };
	struct snap_filter plain = { .with_attrs = true, .only = INTERP_NONE,
	    .names = names, .nnames = 1 };
	struct snap_filter deep = plain;
	struct import_report r[2];
	const struct snap_module *m;
	struct snapshot *got;
	interp_id ids[2];
	long base;
	int round;

	(void)state;
	deep.deep = true;
	ids[0] = 0;
	ids[1] = util_make("alternate", PRESET_LEGACY);
	/* its state dict is distinct, and holds what both share */
	util_import("demo_leaky", NULL, ids, 2, r);
	snap_memory_forget(&host_side);
	snap_memory_forget(&front_side);
	for (round = 0; round < 3; round++) {
		char *text = trip(&plain, &got, &base);

		assert_true(round == 0 ? base == 0 : base != 0);
		/* the interpreters are as they were: a delta leaves them out */
		assert_true((strstr(text, "\"interpreters\"") == NULL) ==
		    (round > 0));
		free(text);
		m = snapshot_module(got, "demo_leaky");
		assert_false(util_attr(m, "state")->holds_shared);
		snapshot_free(got);
		free(trip(&deep, &got, &base));
		assert_true(base != 0);
		m = snapshot_module(got, "demo_leaky");
		assert_true(util_attr(m, "state")->holds_shared);
		snapshot_free(got);
	}
	util_destroy(ids[1]);
	snap_memory_forget(&host_side);
	snap_memory_forget(&front_side);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deltas_say_what_the_host_says),
		cmocka_unit_test(test_unknown_base_is_refused),
		cmocka_unit_test(test_kinds_kept_apart),
		cmocka_unit_test(test_kept_equals_afresh),
		cmocka_unit_test(test_deep_and_plain_alternate),
		cmocka_unit_test(test_json_is_not_kept),
	};

	return cmocka_run_group_tests(tests, util_setup, util_teardown);
}
