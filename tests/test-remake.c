/*
 * test-remake.c: snapshots made from the last one of their kind
 * (core/snapshot-remake.c), against the real CPython this is built with.
 * After every kind of step the remade snapshot must say exactly what one
 * read whole says: a name bound, contents changed without any dict
 * changing (a list appended to, an object's class assigned, a string
 * interned), modules imported and taken out of sys.modules, something
 * that is not a module in it, m_copy made by another interpreter, an
 * interpreter made and one destroyed, the names asked for changed. The
 * snapshot read whole is the one of every attribute of every module,
 * without anything kept (snapshot_collect_afresh); %json's kind, every
 * attribute of every module, is remade too, and its text, written from
 * the rows' kept texts, must say the same.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "interrupt.h"
#include "session-util.h"
#include "snapshot-json.h"

static struct snapshot *
take(const struct snap_filter *f)
{
	struct snapshot *snap;
	char *cause = NULL;

	if (session_snapshot(S, f, &snap, &cause) != 0)
		fail_msg("snapshot: %s", cause);
	return snap;
}

/* The snapshot read whole, nothing kept used (snapshot_collect_afresh),
 * for filter f. */
static struct snapshot *
whole_as(const struct snap_filter *f)
{
	struct snapshot *snap;
	char *cause = NULL;

	if (snapshot_collect_afresh(f, &snap, &cause) != 0)
		fail_msg("snapshot: %s", cause);
	return snap;
}

static void
same(const struct snap_filter *f, const char *what, const char *step)
{
	struct snapshot *remade = take(f), *whole = whole_as(f);
	char *a, *b;
	int i;

	/* the rows are compared: the session adds the interpreters and the
	 * version to its snapshot */
	free(remade->interps);
	remade->interps = NULL;
	remade->ninterps = 0;
	free(remade->python_version);
	remade->python_version = NULL;
	b = util_json(whole);
	/* three times: a row's text is kept the second time it is written,
	 * and written from there the third */
	for (i = 0; i < 3; i++) {
		a = util_json(remade);
		if (strcmp(a, b) != 0)
			fail_msg("after '%s' the remade snapshot of %s (written "
			    "%d times) differs from one read whole:\n%s\n---\n%s",
			    step, what, i + 1, a, b);
		free(a);
	}
	free(b);
	snapshot_free(remade);
	snapshot_free(whole);
}

static const char *const some_names[] = {
	"demo_single", "__main__", "json", "_json", "weird"
};

static void
test_remade_equals_whole(void **state)
{
	struct step {
		int who;          /* 0 main, 1 a, 2 b */
		const char *code;
	} steps[] = {
		{ 1, "pass" },
		{ 1, "import demo_single\ndemo_single.items.append(1)" },
		{ 2, "x = [1]" },
		{ 2, "x.append(2)" },
		{ 2, "d = {}\nt = (d,)" },
		{ 2, "d['k'] = 1" },
		{ 1, "class K: pass\nclass L: pass\nk = K()" },
		{ 1, "k.__class__ = L" },
		{ 2, "import json" },
		{ 0, "import sys\nsys.modules['weird'] = 3" },
		{ 0, "sys.modules['weird'] = 4" },
		{ 0, "del sys.modules['weird']" },
		{ 1, "s = ''.join(['not', 'interned', 'yet'])" },
		{ 1, "import sys\nsys.intern(s)" },
		{ 2, "import types, sys\nsys.modules['json'] = "
		    "types.ModuleType('json')" },
		{ 1, "demo_single.items.clear()" },
	};
	struct snap_filter all = { .only = INTERP_NONE };
	struct snap_filter some = { .with_attrs = true, .only = INTERP_NONE,
		.names = some_names, .nnames = 5 };
	struct snap_filter fewer = some;
	struct snap_filter everything = { .with_attrs = true,
		.only = INTERP_NONE };
	struct snap_filter shared = { .with_attrs = true,
		.shared_extensions = true, .only = INTERP_NONE };
	struct import_report r[3];
	interp_id ids[3];
	size_t i;

	(void)state;
	fewer.nnames = 3; /* no json, _json, weird */
	ids[0] = 0;
	ids[1] = util_make("ra", PRESET_LEGACY);
	ids[2] = util_make("rb", PRESET_LEGACY);
	util_import("demo_single", NULL, ids, 3, r);
	/* the first of each kind is read whole: the steps remake them */
	same(&all, "every module", "the start");
	same(&some, "some modules", "the start");
	same(&shared, "shared extensions", "the start");
	same(&everything, "every attribute", "the start");
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		struct snap_filter only = { .only = ids[steps[i].who] };

		util_run(ids[steps[i].who], steps[i].code);
		same(&all, "every module", steps[i].code);
		same(i % 3 == 0 ? &fewer : &some, "some modules", steps[i].code);
		same(&shared, "shared extensions", steps[i].code);
		same(&everything, "every attribute", steps[i].code);
		same(&only, "one interpreter", steps[i].code);
	}
	/* an interpreter destroyed, one made that gets m_copy */
	util_destroy(ids[2]);
	same(&all, "every module", "a destroyed interpreter");
	same(&some, "some modules", "a destroyed interpreter");
	same(&shared, "shared extensions", "a destroyed interpreter");
	same(&everything, "every attribute", "a destroyed interpreter");
	ids[2] = util_make("rc", PRESET_LEGACY);
	util_import("demo_single", NULL, &ids[2], 1, r);
	same(&all, "every module", "a new interpreter");
	same(&some, "some modules", "a new interpreter");
	same(&shared, "shared extensions", "a new interpreter");
	same(&everything, "every attribute", "a new interpreter");
	util_destroy(ids[1]);
	util_destroy(ids[2]);
	util_run(0, "del sys.modules['demo_single']");
}

/* A row that did not change keeps its stamp; one that changed gets a new
 * one (the host compares rows by stamp before comparing them whole). */
static void
test_unchanged_rows_keep_their_stamps(void **state)
{
	struct snap_filter all = { .only = INTERP_NONE };
	struct snapshot *before, *after;
	const struct snap_module *b, *a;
	interp_id sub;
	int i;

	(void)state;
	sub = util_make("stamps", PRESET_LEGACY);
	before = take(&all);
	util_run(sub, "y = 2");
	after = take(&all);
	b = snapshot_module(before, "sys");
	a = snapshot_module(after, "sys");
	assert_non_null(a);
	assert_true(a->stamp != 0);
	assert_true(a->stamp == b->stamp);
	b = snapshot_module(before, "__main__");
	a = snapshot_module(after, "__main__");
	assert_true(a->stamp != b->stamp);
	/* past the patches after which strings are put into one pool */
	for (i = 0; i < 12; i++) {
		snapshot_free(after);
		util_run(sub, "y += 1");
		after = take(&all);
	}
	assert_true(snapshot_module(after, "sys")->stamp ==
	    snapshot_module(before, "sys")->stamp);
	snapshot_free(before);
	snapshot_free(after);
	util_destroy(sub);
}

static char *
json_text(const struct snap_filter *f)
{
	char *text = NULL, *cause = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);

	assert_non_null(mem);
	if (session_snapshot_json(S, f, mem, &cause) != 0)
		fail_msg("%%json: %s", cause);
	assert_int_equal(fclose(mem), 0);
	return text;
}

/* %json after a step writes the rows that did not change from their kept
 * texts (kept by the second %json: the first writes every row straight
 * out): the document equals one written with nothing kept. */
static void
test_json_after_a_step(void **state)
{
	struct snap_filter everything = { .with_attrs = true,
		.only = INTERP_NONE };
	char *before, *again, *after, *afresh;

	(void)state;
	before = json_text(&everything);
	again = json_text(&everything);
	assert_string_equal(before, again);
	free(again);
	util_run(0, "kept_text_probe = [1, 2]");
	after = json_text(&everything);
	assert_non_null(strstr(after, "kept_text_probe"));
	assert_null(strstr(before, "kept_text_probe"));
	snapshot_kept_forget();
	afresh = json_text(&everything);
	assert_string_equal(after, afresh);
	free(before);
	free(after);
	free(afresh);
	util_run(0, "del kept_text_probe");
}

/* A read ahead (a pause at the prompt) keeps %json's kind of snapshot:
 * the one after a later step equals one read whole. One stopped by an
 * interrupt (a key) keeps nothing half read, and the next is whole
 * again. */
static void
test_read_ahead(void **state)
{
	struct snap_filter everything = { .with_attrs = true,
		.only = INTERP_NONE };
	char *cause = NULL;
	interp_id sub;

	(void)state;
	sub = util_make("ahead", PRESET_LEGACY);
	util_run(sub, "import json");
	assert_int_equal(snapshot_read_ahead(&everything, &cause), 0);
	assert_null(cause);
	util_run(sub, "json.read_ahead_probe = 1");
	same(&everything, "every attribute", "a read ahead, then json changed");

	/* something to read again, as the host does when a request
	 * begins, then the interrupt */
	util_run(sub, "json.read_ahead_probe = 2");
	interrupt_request_begins(7);
	interrupt_request_for(7, false);
	assert_int_equal(snapshot_read_ahead(&everything, &cause), 1);
	assert_non_null(cause);
	assert_string_equal(cause, "stopped by an interrupt");
	free(cause);
	cause = NULL;
	/* one for the request that came before the request began (the
	 * front end sent it as it sent the request) */
	interrupt_request_for(8, false);
	interrupt_request_begins(8);
	assert_int_equal(snapshot_read_ahead(&everything, &cause), 1);
	free(cause);
	cause = NULL;
	/* a request with only a late one for an earlier request */
	interrupt_request_begins(9);
	interrupt_request_for(8, false);
	same(&everything, "every attribute", "a stopped read ahead");
	assert_int_equal(snapshot_read_ahead(&everything, &cause), 0);
	util_destroy(sub);
	same(&everything, "every attribute", "a read ahead, then %del");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_remade_equals_whole),
		cmocka_unit_test(test_unchanged_rows_keep_their_stamps),
		cmocka_unit_test(test_json_after_a_step),
		cmocka_unit_test(test_read_ahead),
	};

	return cmocka_run_group_tests(tests, util_setup, util_teardown);
}
