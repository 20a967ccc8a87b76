/*
 * test-export.c: %export round trips. A session runs in the real binary
 * ($SUBREPL); its .py export runs under the same Python ($PYTHON) and its
 * .c export is compiled ($EXPORT_CC, $EXPORT_CFLAGS, $EXPORT_LIBS) and run;
 * each must print what the session printed, and a session that crashed the
 * host must crash its exports the same way.
 */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "runner.h"

static char dir[] = "/tmp/subrepl-export-XXXXXX";

/* Run a shell command line; its stdout is returned, the wait status too. */
static char *
sh(const char *cmd, int *status)
{
	char out[300], *line, *text;
	int rc;

	snprintf(out, sizeof out, "%s/stdout", dir);
	line = malloc(strlen(cmd) + strlen(out) + 32);
	sprintf(line, "%s >'%s' 2>/dev/null", cmd, out);
	rc = system(line);
	free(line);
	if (status != NULL)
		*status = rc;
	text = read_text_file(out);
	return text;
}

static char *
session(const char *script, const char *name)
{
	char cmd[4096];

	snprintf(cmd, sizeof cmd, "cd '%s' && '%s' --journal '%s.sr' -c \"$(cat <<'EOF'\n%s\n%%export %s.py\n%%export %s.c\nEOF\n)\"",
	    dir, getenv("SUBREPL"), name, script, name, name);
	return sh(cmd, NULL);
}

static char *
run_py(const char *name, int *status)
{
	char cmd[1024];

	snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s.py", dir, getenv("PYTHON"),
	    name);
	return sh(cmd, status);
}

static char *
run_c(const char *name, int *status)
{
	char cmd[2048];
	int rc;

	snprintf(cmd, sizeof cmd, "cd '%s' && %s -o %s %s.c %s %s", dir,
	    getenv("EXPORT_CC"), name, name, getenv("EXPORT_CFLAGS"),
	    getenv("EXPORT_LIBS"));
	free(sh(cmd, &rc));
	if (rc != 0)
		fail_msg("the C export does not build: %s", cmd);
	snprintf(cmd, sizeof cmd, "cd '%s' && ./%s", dir, name);
	return sh(cmd, status);
}

static void
test_exports_print_what_the_session_printed(void **state)
{
	static const char script[] =
	    "%new worker\n"
	    "x = 40\n"
	    "def f():\n"
	    "    return x + 2\n"
	    "f()\n"
	    "%new other\n"
	    "print('x' in globals())\n"
	    "%exec worker print('in worker', x)\n"
	    "%use worker\n"
	    "[i * i for i in range(4)]\n"
	    "1/0\n"
	    "import json; print(json.dumps({'a': 1}))\n"
	    "%del other\n"
	    "%all print('everywhere')\n"
	    "%use main\n"
	    "print('back in main', 'x' in globals())";
	char *want, *got;
	int status;

	(void)state;
	want = session(script, "same");
	assert_non_null(strstr(want, "42\nFalse\nin worker 40\n[0, 1, 4, 9]\n"));
	/* 1/0 failed, in the session and in both exports: status 1 */
	got = run_py("same", &status);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	assert_string_equal(got, want);
	free(got);
	got = run_c("same", &status);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	assert_string_equal(got, want);
	free(got);
	free(want);
}

/* An export finds the demo modules the session imported, without subrepl
 * or its environment, and succeeds when every step did. */
static void
test_exports_find_the_demo_modules(void **state)
{
	static const char script[] =
	    "%new w\n"
	    "%import demo_single --all\n"
	    "%exec w demo_single.append('from w')\n"
	    "print(demo_single.items)";
	char *want, *got;
	int status;

	(void)state;
	want = session(script, "demo");
	assert_non_null(strstr(want, "['from w']\n"));
	got = run_py("demo", &status);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_non_null(strstr(got, "['from w']\n"));
	free(got);
	got = run_c("demo", &status);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_non_null(strstr(got, "['from w']\n"));
	free(got);
	free(want);
}

static void
test_exports_reproduce_the_crash(void **state)
{
	static const char script[] =
	    "%new victim\n"
	    "import ctypes\n"
	    "print('about to crash')\n"
	    "ctypes.string_at(0)";
	char *out;
	int status;

	(void)state;
	free(session(script, "crash"));
	out = run_py("crash", &status);
	assert_string_equal(out, "about to crash\n");
	/* the shell reports a death by signal as 128 + N */
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGSEGV);
	free(out);
	out = run_c("crash", &status);
	assert_string_equal(out, "about to crash\n");
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGSEGV);
	free(out);
}

static int
setup(void **state)
{
	(void)state;
	if (getenv("SUBREPL") == NULL || getenv("PYTHON") == NULL ||
	    getenv("EXPORT_CC") == NULL)
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
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exports_print_what_the_session_printed),
		cmocka_unit_test(test_exports_find_the_demo_modules),
		cmocka_unit_test(test_exports_reproduce_the_crash),
	};

	return cmocka_run_group_tests_name("export", tests, setup, teardown);
}
