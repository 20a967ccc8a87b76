/*
 * test-engine.c: the engine through the session API, in-process.
 *
 * CPython's runtime is one per process, so one session serves every test;
 * each test destroys the interpreters it made. What Python prints is read
 * back by pointing fd 1 at a temporary file around a step (util_capture()), so
 * the assertions are about what CPython really did.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "session-util.h"

/* Assert that code printed exactly `want`. */
static void
expect_output(interp_id id, const char *code, const char *want)
{
	enum run_outcome outcome;
	char *got = util_capture(id, code, &outcome);

	if (strcmp(got, want) != 0)
		fail_msg("running %s in %lld: want '%s', got '%s'", code,
		    (long long)id, want, got);
	assert_int_equal(outcome, RUN_OK);
	free(got);
}

static size_t
count_interps(void)
{
	struct interp_info *v;
	size_t n;
	char *cause = NULL;

	assert_int_equal(session_list(S, &v, &n, &cause), 0);
	free(v);
	return n;
}

/* CPython's own idea of the current interpreter's id, printed. */
static const char current_id_code[] =
    "exec(\"try:\\n import _interpreters as _m\\nexcept ImportError:\\n"
    " import _xxsubinterpreters as _m\\n_c = _m.get_current()\\n"
    "print(int(_c[0] if isinstance(_c, tuple) else _c))\")";

static void
test_main_is_zero_and_current(void **state)
{
	struct interp_info *v;
	size_t n;
	char *cause = NULL;

	(void)state;
	assert_true(session_has_config(S) == (python_minor() >= 12));
	assert_int_equal(session_list(S, &v, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, 0);
	assert_string_equal(v[0].name, "main");
	assert_true(v[0].current);
	assert_true(v[0].modules > 10);
	/* main owns the main GIL and allocator (legacy subs share them) */
	assert_true(v[0].config.own_gil);
	assert_true(v[0].config.own_obmalloc);
	free(v);
	expect_output(0, current_id_code, "0\n");
}

static void
test_ids_are_cpythons(void **state)
{
	interp_id a, b;
	char want[32];

	(void)state;
	a = util_make("a", PRESET_LEGACY);
	b = util_make(NULL, PRESET_LEGACY);
	assert_true(b > a && a > 0);
	snprintf(want, sizeof want, "%lld\n", (long long)a);
	expect_output(a, current_id_code, want);
	snprintf(want, sizeof want, "%lld\n", (long long)b);
	expect_output(b, current_id_code, want);
	util_destroy(a);
	util_destroy(b);
	assert_int_equal(count_interps(), 1);
}

static void
test_names_are_isolated(void **state)
{
	interp_id a, b;

	(void)state;
	a = util_make("iso_a", PRESET_LEGACY);
	expect_output(a, "x = 42", "");
	b = util_make("iso_b", PRESET_LEGACY);
	expect_output(b, "print('x' in globals())", "False\n");
	expect_output(a, "print(x)", "42\n");
	expect_output(0, "print('x' in globals())", "False\n");
	/* expressions print through sys.displayhook, as at python3's prompt */
	expect_output(a, "x + 1", "43\n");
	expect_output(a, "_", "43\n");
	util_destroy(a);
	util_destroy(b);
}

static void
test_switch_and_destroy_current(void **state)
{
	interp_id a, b;
	char *cause = NULL;

	(void)state;
	a = util_make("sw_a", PRESET_LEGACY);
	b = util_make("sw_b", PRESET_LEGACY);
	assert_int_equal(session_current(S), b);
	assert_int_equal(session_use(S, a, &cause), 0);
	assert_int_equal(session_current(S), a);
	util_destroy(a);
	assert_int_equal(session_current(S), 0);
	assert_int_equal(session_use(S, b, &cause), 0);
	util_destroy(b);
	assert_int_equal(session_current(S), 0);
	/* a destroyed id is gone for good */
	assert_int_equal(session_use(S, a, &cause), -1);
	assert_non_null(strstr(cause, "no interpreter"));
	free(cause);
}

static void
test_main_cannot_be_destroyed(void **state)
{
	char *cause = NULL;

	(void)state;
	assert_int_equal(session_del(S, 0, &cause), -1);
	assert_non_null(strstr(cause, "main interpreter cannot be destroyed"));
	free(cause);
	expect_output(0, "print('alive')", "alive\n");
}

static void
test_names_checked(void **state)
{
	struct interp_request req = { .preset = PRESET_LEGACY,
		.own_gil = FLAG_UNSET, .own_obmalloc = FLAG_UNSET,
		.check_ext = FLAG_UNSET, .allow_fork = FLAG_UNSET,
		.allow_exec = FLAG_UNSET, .allow_threads = FLAG_UNSET,
		.allow_daemon_threads = FLAG_UNSET };
	static const char *const bad[] = { "", "12", "9lives", "-x", "a b",
	    "main", "x\xc3\xa9", "abcdefghijabcdefghijabcdefghijabc", NULL };
	const char *const *p;
	interp_id id;
	char *cause = NULL;

	(void)state;
	for (p = bad; *p != NULL; p++) {
		req.name = *p;
		if (session_new(S, &req, NULL, &cause) == 0)
			fail_msg("name '%s' was accepted", *p);
		assert_non_null(cause);
		free(cause);
		cause = NULL;
	}
	assert_int_equal(count_interps(), 1);
	id = util_make("dup", PRESET_LEGACY);
	req.name = "dup";
	assert_int_equal(session_new(S, &req, NULL, &cause), -1);
	assert_non_null(strstr(cause, "already exists"));
	free(cause);
	util_destroy(id);
}

static void
test_resolve(void **state)
{
	interp_id a, id;
	char *cause = NULL;

	(void)state;
	a = util_make("worker", PRESET_LEGACY);
	assert_int_equal(session_resolve(S, "worker", &id, &cause), 0);
	assert_int_equal(id, a);
	assert_int_equal(session_resolve(S, "0", &id, &cause), 0);
	assert_int_equal(id, 0);
	assert_int_equal(session_resolve(S, "wrker", &id, &cause), -1);
	assert_string_equal(cause, "no interpreter named 'wrker' (have: main, worker)");
	free(cause);
	assert_int_equal(session_resolve(S, "999", &id, &cause), -1);
	assert_non_null(strstr(cause, "no interpreter with id 999"));
	free(cause);
	util_destroy(a);
}

static enum run_outcome
outcome_of(const char *code)
{
	enum run_outcome o;

	free(util_capture(0, code, &o));
	return o;
}

static void
test_incomplete_input(void **state)
{
	(void)state;
	assert_int_equal(outcome_of("def f():"), RUN_INCOMPLETE);
	assert_int_equal(outcome_of("def f():\n    return 1"), RUN_INCOMPLETE);
	assert_int_equal(outcome_of("def f():\n    return 1\n"), RUN_OK);
	assert_int_equal(outcome_of("x = [1,"), RUN_INCOMPLETE);
	assert_int_equal(outcome_of("s = '''abc"), RUN_INCOMPLETE);
	assert_int_equal(outcome_of("@staticmethod"), RUN_INCOMPLETE);
	assert_int_equal(outcome_of("if True:\n    pass\nelse:"), RUN_INCOMPLETE);
	assert_int_equal(outcome_of("x = )"), RUN_SYNTAX_ERROR);
	{
		/* shown as python3 shows it: no traceback into codeop */
		enum run_outcome o;
		char *out = util_capture(0, "x = )", &o);

		assert_null(strstr(out, "Traceback"));
		assert_null(strstr(out, "codeop"));
		assert_non_null(strstr(out, "File \"<stdin>\", line 1"));
		assert_non_null(strstr(out, "SyntaxError"));
		free(out);
	}
	assert_int_equal(outcome_of("1 +"), RUN_SYNTAX_ERROR);
	assert_int_equal(outcome_of("# only a comment"), RUN_OK);
	assert_int_equal(outcome_of(""), RUN_OK);
	/* a line with a colon is not by itself incomplete: Python decides */
	assert_int_equal(outcome_of("d = {1: 2}"), RUN_OK);
	assert_int_equal(outcome_of("lambda: 1"), RUN_OK);
}

static void
test_future_flags_persist(void **state)
{
	interp_id a;

	(void)state;
	a = util_make("fut", PRESET_LEGACY);
	expect_output(a, "from __future__ import annotations", "");
	expect_output(a, "def f(x: undefined_name): pass\n", "");
	expect_output(a, "print(f.__annotations__['x'])", "undefined_name\n");
	util_destroy(a);
}

static void
test_exceptions_and_exit(void **state)
{
	struct run_result res;
	interp_id a;
	char *out, *cause = NULL;
	enum run_outcome o;

	(void)state;
	a = util_make("exc", PRESET_LEGACY);
	out = util_capture(a, "1/0", &o);
	assert_int_equal(o, RUN_EXCEPTION);
	assert_non_null(strstr(out, "Traceback (most recent call last):"));
	assert_non_null(strstr(out, "ZeroDivisionError: division by zero"));
	free(out);

	fflush(stdout);
	assert_int_equal(session_run(S, a, "import sys; sys.exit(3)",
	    RUN_INTERACTIVE, &res, &cause), 0);
	assert_int_equal(res.outcome, RUN_EXIT);
	assert_int_equal(res.exit_code, 3);
	assert_int_equal(res.interp, a);
	assert_int_equal(session_run(S, a, "raise SystemExit",
	    RUN_INTERACTIVE, &res, &cause), 0);
	assert_int_equal(res.outcome, RUN_EXIT);
	assert_int_equal(res.exit_code, 0);
	out = util_capture(a, "sys.exit('bye')", &o);
	assert_int_equal(o, RUN_EXIT);
	assert_string_equal(out, "bye\n");
	free(out);
	/* the interpreter is still usable */
	expect_output(a, "print('still here')", "still here\n");
	util_destroy(a);
}

struct interrupter {
	volatile bool stop;
};

static void *
interrupt_soon(void *arg)
{
	struct interrupter *it = arg;
	struct timespec ts = { 0, 200 * 1000 * 1000 };

	while (!it->stop) {
		nanosleep(&ts, NULL);
		session_interrupt(S);
	}
	return NULL;
}

static void
interrupt_loop_in(interp_id id)
{
	struct interrupter it = { false };
	pthread_t t;
	enum run_outcome o;
	char *out;

	assert_int_equal(pthread_create(&t, NULL, interrupt_soon, &it), 0);
	alarm(30); /* a loop that cannot be stopped must not hang the suite */
	out = util_capture(id, "while True: pass\n", &o);
	alarm(0);
	it.stop = true;
	pthread_join(t, NULL);
	assert_int_equal(o, RUN_INTERRUPTED);
	assert_non_null(strstr(out, "KeyboardInterrupt"));
	free(out);
	/* no interrupt is left pending for the next step */
	expect_output(id, "sum(range(100000))", "4999950000\n");
}

static void
test_interrupt_main_and_legacy(void **state)
{
	interp_id a;

	(void)state;
	interrupt_loop_in(0);
	a = util_make("busy", PRESET_LEGACY);
	interrupt_loop_in(a);
	util_destroy(a);
}

static void
test_interrupt_isolated(void **state)
{
	interp_id a;

	(void)state;
	a = util_make("busy_iso", PRESET_ISOLATED);
	interrupt_loop_in(a);
	util_destroy(a);
}

static void
test_isolated(void **state)
{
	struct interp_info info;
	interp_id a, b;
	char *cause = NULL;

	(void)state;
	a = util_make("own", PRESET_ISOLATED);
	assert_int_equal(session_info(S, a, &info, &cause), 0);
	assert_string_equal(info.config.preset, "isolated");
	assert_true(info.config.own_gil);
	assert_true(info.config.own_obmalloc);
	assert_true(info.config.check_ext);
	assert_false(info.config.allow_fork);
	expect_output(a, "y = 'own'", "");
	b = util_make("leg", PRESET_LEGACY);
	expect_output(b, "print('y' in globals())", "False\n");
	expect_output(a, "print(y)", "own\n");
	expect_output(0, "print('y' in globals())", "False\n");
	/* CPython enforces the isolated config: no fork there */
	expect_output(a, "import os", "");
	expect_output(a, "try:\n    os.fork()\nexcept RuntimeError:\n"
	    "    print('refused')\n", "refused\n");
	util_destroy(a); /* own GIL: nothing may be left held */
	expect_output(b, "print('fine')", "fine\n");
	util_destroy(b);
	expect_output(0, "print('main fine')", "main fine\n");
}

static void
configs_refused_before_312(void **state)
{
	struct interp_request req = { .preset = PRESET_ISOLATED,
		.own_gil = FLAG_UNSET, .own_obmalloc = FLAG_UNSET,
		.check_ext = FLAG_UNSET, .allow_fork = FLAG_UNSET,
		.allow_exec = FLAG_UNSET, .allow_threads = FLAG_UNSET,
		.allow_daemon_threads = FLAG_UNSET };
	char *cause = NULL;

	(void)state;
	assert_int_equal(session_new(S, &req, NULL, &cause), -1);
	assert_non_null(strstr(cause, "need Python 3.12 or newer"));
	free(cause);
	assert_int_equal(count_interps(), 1);
}

/* The config rules of 3.12+; before 3.12, that configs are refused. */
static void
test_config_rules(void **state)
{
	struct interp_request req = { .preset = PRESET_LEGACY,
		.own_gil = FLAG_ON, .own_obmalloc = FLAG_UNSET,
		.check_ext = FLAG_UNSET, .allow_fork = FLAG_UNSET,
		.allow_exec = FLAG_UNSET, .allow_threads = FLAG_UNSET,
		.allow_daemon_threads = FLAG_UNSET };
	struct interp_info info;
	char *cause = NULL;

	if (python_minor() < 12) {
		configs_refused_before_312(state);
		return;
	}
	assert_int_equal(session_new(S, &req, NULL, &cause), -1);
	assert_non_null(strstr(cause, "own allocator"));
	free(cause);
	req.own_gil = FLAG_UNSET;
	req.preset = PRESET_ISOLATED;
	req.check_ext = FLAG_OFF;
	assert_int_equal(session_new(S, &req, NULL, &cause), -1);
	assert_non_null(strstr(cause, "--check-ext"));
	free(cause);
	/* a preset with one flag changed is "custom" */
	req.check_ext = FLAG_UNSET;
	req.own_gil = FLAG_OFF;
	assert_int_equal(session_new(S, &req, &info, &cause), 0);
	assert_string_equal(info.config.preset, "custom");
	assert_false(info.config.own_gil);
	assert_true(info.config.own_obmalloc);
	util_destroy(info.id);
	assert_int_equal(count_interps(), 1);
}


static void
test_threads_block_destroy(void **state)
{
	interp_id a;
	char *cause = NULL;

	(void)state;
	a = util_make("threads", PRESET_LEGACY);
	expect_output(a, "import threading; ev = threading.Event(); "
	    "t = threading.Thread(target=ev.wait); t.start()", "");
	assert_int_equal(session_del(S, a, &cause), -1);
	assert_non_null(strstr(cause, "1 other thread"));
	free(cause);
	expect_output(a, "ev.set(); t.join(); print(t.is_alive())", "False\n");
	util_destroy(a);
}

static void
test_engine_completes_names(void **state)
{
	interp_id a;
	char **v, *cause = NULL;
	size_t n;

	(void)state;
	a = util_make("compl", PRESET_LEGACY);
	expect_output(a, "abcdef_value = 1; import os", "");
	assert_int_equal(session_complete(S, a, "abcd", &v, &n, &cause), 0);
	assert_true(util_has_string(v, n, "abcdef_value"));
	session_free_strings(v, n);
	assert_int_equal(session_complete(S, a, "os.pat", &v, &n, &cause), 0);
	assert_true(util_has_string(v, n, "os.path"));
	session_free_strings(v, n);
	/* completion in main does not see the other interpreter's names */
	assert_int_equal(session_complete(S, 0, "abcd", &v, &n, &cause), 0);
	assert_false(util_has_string(v, n, "abcdef_value"));
	session_free_strings(v, n);
	/* rlcompleter came in without leaving readline behind */
	expect_output(a, "import sys; print('readline' in sys.modules)", "False\n");
	util_destroy(a);
}

static void
test_many_interpreters(void **state)
{
	interp_id ids[24];
	size_t i;

	(void)state;
	for (i = 0; i < 24; i++) {
		ids[i] = util_make(NULL, PRESET_LEGACY);
		expect_output(ids[i], "v = 1", "");
	}
	assert_int_equal(count_interps(), 25);
	for (i = 0; i < 24; i++)
		util_destroy(ids[i]);
	assert_int_equal(count_interps(), 1);
}

int
main(void)
{
	/* Which tests apply depends on the Python we embed; a test that does
	 * not apply is not registered (the TAP driver counts a skip as a
	 * failure), and the count says so. */
	/* The last two need 3.12+ and are not registered before (the TAP
	 * driver counts a skip as a failure). */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_main_is_zero_and_current),
		cmocka_unit_test(test_ids_are_cpythons),
		cmocka_unit_test(test_names_are_isolated),
		cmocka_unit_test(test_switch_and_destroy_current),
		cmocka_unit_test(test_main_cannot_be_destroyed),
		cmocka_unit_test(test_names_checked),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_incomplete_input),
		cmocka_unit_test(test_future_flags_persist),
		cmocka_unit_test(test_exceptions_and_exit),
		cmocka_unit_test(test_interrupt_main_and_legacy),
		cmocka_unit_test(test_threads_block_destroy),
		cmocka_unit_test(test_engine_completes_names),
		cmocka_unit_test(test_many_interpreters),
		cmocka_unit_test(test_config_rules),
		cmocka_unit_test(test_isolated),
		cmocka_unit_test(test_interrupt_isolated),
	};
	size_t n = sizeof tests / sizeof tests[0];

	return _cmocka_run_group_tests("engine", tests,
	    python_minor() >= 12 ? n : n - 2, util_setup, util_teardown);
}
