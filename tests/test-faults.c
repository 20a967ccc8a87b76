/*
 * test-faults.c: the host process under the faults of issue 10, end to
 * end through the built subrepl ($SUBREPL), in batch mode or in a
 * pseudo-terminal, as a user meets them:
 *
 * - %timeout and Ctrl-C still escalate while a step keeps printing.
 *
 * Every run is bounded by the harness's timeouts (tens of seconds), never
 * by a timing threshold.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "runner.h"

static char dir[] = "/tmp/subrepl-faults-XXXXXX";

static void
run_c(const char *text, struct batch_result *r)
{
	const char *args[] = { "--no-journal", "-c", text, NULL };

	batch_run(args, NULL, 0, 60, r);
}

static void
nap(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void
assert_has(const char *text, const char *want)
{
	if (strstr(text, want) == NULL)
		fail_msg("want '%s' in:\n%s", want, text);
}

static void
start(struct pty_session *p, size_t *at, const char *journal)
{
	const char *with[] = { "--journal", journal, NULL };
	const char *without[] = { "--no-journal", NULL };

	pty_start(p, journal != NULL ? with : without);
	*at = 0;
	pty_expect(p, at, "[0 main]>>> ", 20);
}

/* ------------------------------------------------------------ item 1 */

/* %timeout is kept to while the step prints without a pause. */
static void
test_timeout_while_printing(void **state)
{
	struct batch_result r;

	(void)state;
	run_c("%timeout 1\n"
	    "import time\n"
	    "while True: print('x'); time.sleep(0.001)\n"
	    "print('after the bound')\n", &r);
	assert_has(r.err, "KeyboardInterrupt");
	assert_has(r.out, "after the bound\n");
	assert_int_equal(r.status, 1);
	batch_free(&r);
}

/* Ctrl-C over output from C that never gives way: warned, then killed. */
static void
test_ctrl_c_escalates_while_printing(void **state)
{
	struct pty_session p;
	size_t at;
	int i;

	(void)state;
	start(&p, &at, NULL);
	/* the shell ignores SIGINT, and so do its children; the loop ends
	 * when the host is gone and its output pipe with it */
	pty_type(&p, "import os; os.system(\"trap '' INT; while echo y; do "
	    "sleep 0.01; done\")\r");
	pty_expect(&p, &at, "y\ny\ny\n", 10);
	for (i = 0; i < 3; i++) {
		pty_type(&p, "\x03");
		nap(400);
	}
	pty_expect(&p, &at, "the step does not stop", 20);
	pty_expect(&p, &at, "host died: SIGKILL (Killed) in interpreter 0 while "
	    "running: import os; os.system(", 20);
	pty_expect(&p, &at, "(killed after Ctrl-C)", 5);
	pty_expect(&p, &at, "[no host: %restart]>>> ", 10);
	pty_type(&p, "%restart\r");
	pty_expect(&p, &at, "[0 main]>>> ", 20);
	pty_type(&p, "\x04");
	assert_int_equal(pty_finish(&p, 20), 0);
}

static int
setup(void **state)
{
	(void)state;
	if (getenv("SUBREPL") == NULL)
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
	const char *filter = getenv("FAULT_TESTS");
	struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timeout_while_printing),
		cmocka_unit_test(test_ctrl_c_escalates_while_printing),
	};
	size_t n = sizeof tests / sizeof tests[0];

	/* FAULT_TESTS=PATTERN runs only the tests whose names match */
	if (filter != NULL && filter[0] != '\0')
		cmocka_set_test_filter(filter);
	return _cmocka_run_group_tests("faults", tests, n, setup, teardown);
}
