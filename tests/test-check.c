/*
 * test-check.c: `subrepl check` end to end, on the demo modules whose
 * right verdicts are known: demo_isolated (done as the HOWTO says: safe
 * everywhere), demo_one_interp (refuses every interpreter but the first:
 * refused cleanly), demo_first_owner (crashes when the first importer is
 * destroyed first, not in the other order: unsafe), demo_leaky (a C static
 * every interpreter's module reaches: unsafe, with the static named) and
 * demo_single (single-phase: unsafe for legacy interpreters, refused by
 * isolated ones). The JSON is read with jansson; the JUnit file is
 * validated against tests/junit.xsd when xmllint is here. On 3.12+,
 * CPython's own test modules get the outcomes its tests expect.
 */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "runner.h"

static char dir[] = "/tmp/subrepl-check-XXXXXX";

static json_t *
target(json_t *doc, const char *name)
{
	json_t *targets = json_object_get(doc, "targets"), *t;
	size_t i;

	json_array_foreach(targets, i, t) {
		if (strcmp(json_string_value(json_object_get(t, "target")),
		    name) == 0)
			return t;
	}
	fail_msg("no target %s in the JSON", name);
	return NULL;
}

static const char *
verdict(json_t *t, const char *use)
{
	return json_string_value(json_object_get(json_object_get(
	    json_object_get(t, "verdicts"), use), "verdict"));
}

static json_t *
scenario(json_t *t, const char *id)
{
	json_t *list = json_object_get(t, "scenarios"), *s;
	size_t i;

	json_array_foreach(list, i, s) {
		if (strcmp(json_string_value(json_object_get(s, "id")), id) == 0)
			return s;
	}
	fail_msg("no scenario %s", id);
	return NULL;
}

static void
assert_field_has(json_t *o, const char *key, const char *want)
{
	const char *v = json_string_value(json_object_get(o, key));

	if (v == NULL || strstr(v, want) == NULL)
		fail_msg("want '%s' in %s, got '%s'", want, key, v != NULL ? v :
		    "(null)");
}

static void
assert_verdict(json_t *t, const char *use, const char *want)
{
	const char *got = verdict(t, use);

	if (got == NULL || strcmp(got, want) != 0)
		fail_msg("%s: %s is '%s', want '%s'", json_string_value(
		    json_object_get(t, "target")), use, got != NULL ? got :
		    "(null)", want);
}

static json_t *
run_check(const char *const *args, struct batch_result *r)
{
	json_error_t err;
	json_t *doc;

	batch_run(args, NULL, 0, 300, r);
	doc = json_loads(r->out, 0, &err);
	if (doc == NULL)
		fail_msg("the JSON does not parse (%s): %s\nstderr: %s", err.text,
		    r->out, r->err);
	return doc;
}

static void
test_known_verdicts(void **state)
{
	char junit[256], cmd[600];
	const char *args[] = { "check", "--json", "-", "--junit", junit,
	    "demo_isolated", "demo_one_interp", "demo_first_owner",
	    "demo_leaky", "demo_single", NULL };
	bool configs = python_312();
	struct batch_result r;
	json_t *doc, *t;

	(void)state;
	snprintf(junit, sizeof junit, "%s/junit.xml", dir);
	doc = run_check(args, &r);
	assert_int_equal(r.status, 1);
	assert_int_equal(json_integer_value(json_object_get(doc, "status")), 1);

	t = target(doc, "demo_isolated");
	assert_string_equal(json_string_value(json_object_get(t, "kind")),
	    "multi-phase");
	assert_verdict(t, "main", "safe");
	assert_verdict(t, "reinit", "safe");
	assert_verdict(t, "legacy", "safe");
	assert_verdict(t, "isolated", configs ? "safe" : "unknown");
	assert_verdict(t, "own_gil", configs ? "safe" : "unknown");
	assert_false(json_is_true(json_object_get(t, "unsafe")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(t,
	    "findings"), "crossing")), 0);

	t = target(doc, "demo_one_interp");
	assert_verdict(t, "main", "safe");
	assert_verdict(t, "legacy", "refused");
	assert_string_equal(json_string_value(json_object_get(scenario(t,
	    "main-legacy"), "outcome")), "refused");
	assert_field_has(scenario(t, "main-legacy"), "detail",
	    "can only be loaded into one interpreter");
	assert_false(json_is_true(json_object_get(t, "unsafe")));

	t = target(doc, "demo_first_owner");
	assert_verdict(t, "legacy", "unsafe");
	assert_string_equal(json_string_value(json_object_get(scenario(t,
	    "first-destroyed"), "outcome")), "crashed");
	assert_field_has(scenario(t, "first-destroyed"), "detail", "SIGSEGV");
	assert_field_has(scenario(t, "first-destroyed"), "step",
	    "destroy interpreter b");
	/* destroyed in the other order, nothing happens */
	assert_string_equal(json_string_value(json_object_get(scenario(t,
	    "last-destroyed"), "outcome")), "ok");
	assert_field_has(json_object_get(json_object_get(t, "verdicts"),
	    "legacy"), "advice", "first importer");
	assert_true(json_is_true(json_object_get(t, "unsafe")));

	t = target(doc, "demo_leaky");
	assert_verdict(t, "legacy", "unsafe");
	assert_field_has(json_object_get(json_object_get(t, "verdicts"),
	    "legacy"), "why", "sys.modules['demo_leaky'].__dict__['state']"
	    "['items']");
	assert_true(json_integer_value(json_object_get(json_object_get(t,
	    "findings"), "statics")) >= 1);

	t = target(doc, "demo_single");
	assert_string_equal(json_string_value(json_object_get(t, "kind")),
	    "single-phase");
	assert_verdict(t, "legacy", "unsafe");
	assert_verdict(t, "isolated", configs ? "refused" : "unknown");
	json_decref(doc);
	batch_free(&r);

	/* the JUnit file passes the schema CI systems read */
	if (system("xmllint --version >/dev/null 2>&1") == 0) {
		snprintf(cmd, sizeof cmd, "xmllint --noout --schema "
		    "'%s/tests/junit.xsd' '%s' 2>&1", getenv("SRCDIR"), junit);
		assert_int_equal(system(cmd), 0);
	} else
		print_message("xmllint is not here: the JUnit file is not "
		    "validated (tools/install-deps installs libxml2-utils)\n");
}

/* A file, by its path and init name, as %load takes it. */
static void
test_a_file_as_target(void **state)
{
	char target_arg[1024];
	const char *args[] = { "check", "--json", "-", "--scenario",
	    "main,main-legacy", target_arg, NULL };
	struct batch_result r;
	json_t *doc, *t;

	(void)state;
	snprintf(target_arg, sizeof target_arg, "%s/demo_isolated.so:"
	    "demo_isolated", getenv("SUBREPL_DEMO_DIR"));
	doc = run_check(args, &r);
	assert_int_equal(r.status, 0);
	t = target(doc, target_arg);
	assert_string_equal(json_string_value(json_object_get(t, "module")),
	    "demo_isolated");
	assert_verdict(t, "main", "safe");
	assert_verdict(t, "legacy", "safe");
	/* only the scenarios asked for ran */
	assert_int_equal(json_array_size(json_object_get(t, "scenarios")), 2);
	json_decref(doc);
	batch_free(&r);
}

/* A package whose import fails: the chain names the module that did. */
static void
test_the_import_chain(void **state)
{
	const char *args[] = { "check", "--json", "-", "--scenario", "main",
	    "pkg_with_broken_ext", NULL };
	char path[512];
	struct batch_result r;
	json_t *doc, *s;
	FILE *f;

	(void)state;
	snprintf(path, sizeof path, "%s/pkg_with_broken_ext", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/pkg_with_broken_ext/__init__.py", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("from . import inner\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/pkg_with_broken_ext/inner.py", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("import demo_one_interp, no_such_module_anywhere\n", f);
	fclose(f);
	setenv("PYTHONPATH", dir, 1);
	doc = run_check(args, &r);
	unsetenv("PYTHONPATH");
	assert_int_equal(r.status, 1);
	s = scenario(target(doc, "pkg_with_broken_ext"), "main");
	assert_field_has(s, "detail", "No module named 'no_such_module_anywhere'");
	assert_field_has(s, "chain", "pkg_with_broken_ext > "
	    "pkg_with_broken_ext.inner > no_such_module_anywhere");
	assert_verdict(target(doc, "pkg_with_broken_ext"), "main", "broken");
	json_decref(doc);
	batch_free(&r);
}

/* CPython's own test modules (3.12+), against what its tests say of them
 * (Lib/test/test_import: SubinterpImportTests): a module that declares
 * Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED loads in legacy interpreters
 * and is refused where check_multi_interp_extensions is on; one that
 * supports only a shared GIL loads there and is refused with a GIL of its
 * own; a single-phase module is refused by both; xxlimited loads in all. */
static void
test_cpython_test_modules(void **state)
{
	const char *find[] = { "--no-journal", "-c",
	    "import _testmultiphase; print(_testmultiphase.__file__)", NULL };
	char non_isolated[1024], shared_gil[1024];
	const char *args[] = { "check", "--json", "-", "--scenario",
	    "main-legacy,isolated,own-gil", non_isolated, shared_gil,
	    "_testsinglephase", "xxlimited", NULL };
	static const struct {
		int target;
		const char *legacy, *isolated, *own_gil;
	} want[] = {
		{ 0, "ok", "refused", "refused" },
		{ 1, "ok", "ok", "refused" },
		{ 2, "ok", "refused", "refused" },
		{ 3, "ok", "ok", "ok" },
	};
	struct batch_result r;
	json_t *doc, *t;
	size_t i;

	(void)state;
	batch_run(find, NULL, 0, 60, &r);
	assert_int_equal(r.status, 0);
	r.out[strcspn(r.out, "\n")] = '\0';
	snprintf(non_isolated, sizeof non_isolated, "%s:_test_non_isolated",
	    r.out);
	snprintf(shared_gil, sizeof shared_gil, "%s:_test_shared_gil_only",
	    r.out);
	batch_free(&r);
	doc = run_check(args, &r);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		t = target(doc, args[5 + want[i].target]);
		if (strcmp(json_string_value(json_object_get(scenario(t,
		    "main-legacy"), "outcome")), want[i].legacy) != 0 ||
		    strcmp(json_string_value(json_object_get(scenario(t,
		    "isolated"), "outcome")), want[i].isolated) != 0 ||
		    strcmp(json_string_value(json_object_get(scenario(t,
		    "own-gil"), "outcome")), want[i].own_gil) != 0)
			fail_msg("%s: want %s, %s, %s; got:\n%s", args[5 +
			    want[i].target], want[i].legacy, want[i].isolated,
			    want[i].own_gil, r.err);
	}
	assert_field_has(scenario(target(doc, "_testsinglephase"), "isolated"),
	    "detail", "does not support loading in subinterpreters");
	json_decref(doc);
	batch_free(&r);
}

/* Processes whose environment holds NAME=VALUE. */
static int
processes_with(const char *name, const char *value)
{
	char want[256], path[300], buf[65536];
	DIR *proc = opendir("/proc");
	struct dirent *e;
	int found = 0;
	FILE *f;

	assert_non_null(proc);
	snprintf(want, sizeof want, "%s=%s", name, value);
	while ((e = readdir(proc)) != NULL) {
		size_t n, i;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/environ", e->d_name);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[n] = '\0';
		for (i = 0; i < n; i += strlen(buf + i) + 1) {
			if (strcmp(buf + i, want) == 0) {
				found++;
				break;
			}
		}
	}
	closedir(proc);
	return found;
}

/* A module that hangs in C while it is imported: every scenario times out
 * at --timeout, is reported so, and no process of the run is left. */
static void
test_a_hang_leaves_nothing_behind(void **state)
{
	const char *args[] = { "check", "--json", "-", "--timeout", "1",
	    "--scenario", "main,main-legacy,first-destroyed",
	    "hangs_in_c_on_import", NULL };
	char path[512], mark[64];
	struct batch_result r;
	json_t *doc, *t;
	FILE *f;

	(void)state;
	snprintf(path, sizeof path, "%s/hangs_in_c_on_import.py", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("import demo_crash\ndemo_crash.hang()\n", f);
	fclose(f);
	snprintf(mark, sizeof mark, "%ld", (long)getpid());
	setenv("PYTHONPATH", dir, 1);
	setenv("SUBREPL_TEST_RUN", mark, 1);
	doc = run_check(args, &r);
	unsetenv("PYTHONPATH");
	unsetenv("SUBREPL_TEST_RUN");
	assert_int_equal(r.status, 1);
	t = target(doc, "hangs_in_c_on_import");
	assert_string_equal(json_string_value(json_object_get(scenario(t,
	    "main"), "outcome")), "timed out");
	assert_field_has(scenario(t, "main-legacy"), "detail",
	    "ran past %timeout 1 s");
	assert_verdict(t, "main", "unsafe");
	json_decref(doc);
	batch_free(&r);
	assert_int_equal(processes_with("SUBREPL_TEST_RUN", mark), 0);
}

static void
test_bad_usage(void **state)
{
	static const char *const none[] = { "check", NULL };
	static const char *const scen[] = { "check", "--scenario", "nope",
	    "json", NULL };
	static const char *const timeout[] = { "check", "--timeout", "-1",
	    "json", NULL };
	static const char *const file[] = { "check", "/no/such/file.so", NULL };
	static const char *const bogus[] = { "check", "--bogus", "json", NULL };
	static const char *const *const cases[] = { none, scen, timeout, file,
	    bogus };
	static const char *const want[] = { "give at least one MODULE",
		"no scenario 'nope'", "--timeout takes seconds",
		"cannot read '/no/such/file.so'", "--bogus" };
	struct batch_result r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		batch_run(cases[i], NULL, 0, 30, &r);
		assert_int_equal(r.status, 2);
		if (strstr(r.err, want[i]) == NULL)
			fail_msg("want '%s' in: %s", want[i], r.err);
		assert_int_equal(count_lines(r.err), 2);
		batch_free(&r);
	}
}

static int
setup(void **state)
{
	(void)state;
	if (getenv("SUBREPL") == NULL || getenv("SUBREPL_DEMO_DIR") == NULL)
		return -1;
	return scratch_dir_make(dir);
}

static int
teardown(void **state)
{
	(void)state;
	return scratch_dir_remove(dir);
}

int
main(void)
{
	struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_verdicts),
		cmocka_unit_test(test_a_file_as_target),
		cmocka_unit_test(test_the_import_chain),
		cmocka_unit_test(test_bad_usage),
		cmocka_unit_test(test_a_hang_leaves_nothing_behind),
		cmocka_unit_test(test_cpython_test_modules),
	};
	size_t n = sizeof tests / sizeof tests[0];

	/* CPython's test modules for sub-interpreters are 3.12+ (a skip
	 * would count as a failure: the test is registered only there) */
	if (!python_312())
		n--;
	return _cmocka_run_group_tests("check", tests, n, setup, teardown);
}
