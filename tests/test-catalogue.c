/*
 * test-catalogue.c: every fault the man page says subrepl survives, run as
 * a user meets it, in a terminal. For each: the one-line report names the
 * signal or status, the interpreter and the step; the prompt comes back;
 * the journal holds the step with its outcome; %restart --replay brings the
 * session back to one step before the fault. Then the front end's own
 * endings: SIGTERM, SIGHUP and a closed terminal during a step end subrepl
 * with the terminal restored and take the host with them.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "runner.h"

static char dir[] = "/tmp/subrepl-catalogue-XXXXXX";

#define VICTIM_PROMPT "[1 victim legacy]>>> "
#define DEAD_PROMPT "[no host: %restart]>>> "

static void
assert_has(const char *text, const char *want)
{
	if (strstr(text, want) == NULL)
		fail_msg("want '%s' in:\n%s", want, text);
}

static void
nap(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* A session in a terminal with a journal, a sub-interpreter "victim"
 * current and x = 41 defined in it. */
static void
start_victim(struct pty_session *p, size_t *at, const char *journal)
{
	const char *args[] = { "--journal", journal, NULL };

	pty_start(p, args);
	*at = 0;
	pty_expect(p, at, "[0 main]>>> ", 20);
	pty_type(p, "%new victim\r");
	pty_expect(p, at, VICTIM_PROMPT, 20);
	pty_type(p, "x = 41\r");
	pty_expect(p, at, VICTIM_PROMPT, 10);
}

/* The host's pid, printed by a step. */
static long
host_pid(struct pty_session *p, size_t *at)
{
	const char *line;
	long pid;

	pty_type(p, "import os; print('host pid', os.getpid())\r");
	pty_expect(p, at, "host pid ", 10);
	line = p->seen + *at;
	pty_expect(p, at, "\n", 10);
	pid = strtol(line, NULL, 10);
	assert_true(pid > 1);
	pty_expect(p, at, VICTIM_PROMPT, 10);
	return pid;
}

/* The victim still has x: print(x + 1), then end the session normally. */
static void
end_in_victim(struct pty_session *p, size_t *at)
{
	pty_type(p, "print(x + 1)\r");
	pty_expect(p, at, "42\n", 10);
	pty_expect(p, at, VICTIM_PROMPT, 10);
	pty_type(p, "\x04");
	assert_int_equal(pty_finish(p, 20), 0);
}

/* After the report: the prompt says there is no host; %restart --replay
 * stops before the fault, in the victim with x still 41; the session ends
 * normally; the journal has the fault's step with its outcome. */
static void
replay_and_check(struct pty_session *p, size_t *at, const char *journal,
    const char *step, const char *outcome)
{
	char want[512], *text;

	pty_expect(p, at, DEAD_PROMPT, 20);
	pty_type(p, "%restart --replay\r");
	snprintf(want, sizeof want, "the next step was: %s", step);
	pty_expect(p, at, want, 60);
	pty_expect(p, at, VICTIM_PROMPT, 10);
	end_in_victim(p, at);
	text = read_text_file(journal);
	snprintf(want, sizeof want, "%s\n#-> %s", step, outcome);
	assert_has(text, want);
	free(text);
}

struct fault {
	const char *name;
	const char *before;   /* steps before, each ending in \r, or NULL */
	const char *step;     /* the step that ends the host */
	const char *report;   /* in its one-line report, after "host died: " */
};

static const struct fault faults[] = {
	{ "segfault", NULL, "import demo_crash; demo_crash.segfault()",
	    "SIGSEGV (Segmentation fault)" },
	{ "abort", NULL, "import demo_crash; demo_crash.abort()",
	    "SIGABRT (Aborted)" },
	{ "Py_FatalError", NULL, "import demo_crash; demo_crash.fatal()",
	    "SIGABRT (Aborted)" },
	{ "os._exit", NULL, "import os; os._exit(7)", "exit status 7" },
	{ "ctypes NULL read", NULL, "import ctypes; ctypes.string_at(0)",
	    "SIGSEGV (Segmentation fault)" },
	{ "hung C call", "%timeout 1\r", "import demo_crash; demo_crash.hang()",
	    "SIGKILL (Killed)" },
};

static void
run_fault(const struct fault *f)
{
	struct pty_session p;
	char journal[256], want[512];
	size_t at;

	snprintf(journal, sizeof journal, "%s/fault.sr", dir);
	unlink(journal);
	start_victim(&p, &at, journal);
	if (f->before != NULL) {
		pty_type(&p, f->before);
		pty_expect(&p, &at, VICTIM_PROMPT, 10);
	}
	pty_type(&p, f->step);
	pty_type(&p, "\r");
	snprintf(want, sizeof want, "host died: %s in interpreter 1 while "
	    "running: %s", f->report, f->step);
	pty_expect(&p, &at, want, 30);
	snprintf(want, sizeof want, "host died: %s in interpreter 1", f->report);
	replay_and_check(&p, &at, journal, f->step, want);
}

static void
test_faults_that_end_the_host(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof faults / sizeof faults[0]; i++) {
		print_message("fault: %s\n", faults[i].name);
		run_fault(&faults[i]);
	}
}

/* Deep recursion in C (repr of a list nested a million deep, with the
 * recursion limit raised past what the C stack holds): before 3.12 the C
 * stack overflows and the host dies of SIGSEGV; 3.12 counts C recursion
 * on its own and raises RecursionError. Either way the session goes on. */
static void
test_c_stack_overflow(void **state)
{
	static const char step[] = "repr(l)";
	struct pty_session p;
	char journal[256];
	size_t at;

	(void)state;
	snprintf(journal, sizeof journal, "%s/recursion.sr", dir);
	start_victim(&p, &at, journal);
	pty_type(&p, "import sys; sys.setrecursionlimit(10**7)\r");
	pty_expect(&p, &at, VICTIM_PROMPT, 10);
	pty_type(&p, "l = []\r");
	pty_expect(&p, &at, VICTIM_PROMPT, 10);
	pty_type(&p, "for i in range(10**6): l = [l]\r\r");
	pty_expect(&p, &at, VICTIM_PROMPT, 30);
	pty_type(&p, "repr(l)\r");
	if (python_312()) {
		pty_expect(&p, &at, "RecursionError", 60);
		pty_expect(&p, &at, VICTIM_PROMPT, 10);
		end_in_victim(&p, &at);
		return;
	}
	pty_expect(&p, &at, "host died: SIGSEGV (Segmentation fault) in "
	    "interpreter 1 while running: repr(l)", 60);
	replay_and_check(&p, &at, journal, step,
	    "host died: SIGSEGV (Segmentation fault) in interpreter 1");
}

/* The host killed from outside during a step. */
static void
test_host_killed_during_a_step(void **state)
{
	static const char step[] = "import time; time.sleep(60)";
	struct pty_session p;
	char journal[256];
	size_t at;
	long pid;

	(void)state;
	snprintf(journal, sizeof journal, "%s/killed.sr", dir);
	start_victim(&p, &at, journal);
	pid = host_pid(&p, &at);
	pty_type(&p, "import time; time.sleep(60)\r");
	nap(500);
	assert_int_equal(kill((pid_t)pid, SIGKILL), 0);
	pty_expect(&p, &at, "host died: SIGKILL (Killed) in interpreter 1 "
	    "while running: import time; time.sleep(60)", 20);
	replay_and_check(&p, &at, journal, step,
	    "host died: SIGKILL (Killed) in interpreter 1");
}

/* Errors that are not deaths: the host lives on, nothing to replay. */
static void
test_errors_the_host_survives(void **state)
{
	struct pty_session p;
	char journal[256], *text;
	size_t at;

	(void)state;
	snprintf(journal, sizeof journal, "%s/survives.sr", dir);
	start_victim(&p, &at, journal);
	pty_type(&p, "b = bytearray(1 << 60)\r");
	pty_expect(&p, &at, "MemoryError", 20);
	pty_expect(&p, &at, VICTIM_PROMPT, 10);
	pty_type(&p, "import sys; sys.exit(3)\r");
	pty_expect(&p, &at, "interpreter 1 raised SystemExit(3): a "
	    "sub-interpreter does not end the session", 20);
	pty_expect(&p, &at, VICTIM_PROMPT, 10);
	end_in_victim(&p, &at);
	text = read_text_file(journal);
	assert_has(text, "b = bytearray(1 << 60)\n#-> failed in 1\n");
	assert_has(text, "import sys; sys.exit(3)\n#-> failed in 1\n");
	free(text);
}

/* Whether a process is gone, waiting up to a few seconds. */
static bool
gone(long pid)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
			return true;
		nap(50);
	}
	return false;
}

/* SIGTERM or SIGHUP to the front end during a step: it ends by that
 * signal, with the terminal restored, and the host does not outlive it. */
static void
test_front_end_signalled_during_a_step(void **state)
{
	static const int sigs[] = { SIGTERM, SIGHUP };
	struct pty_session p;
	struct termios t;
	char journal[256];
	size_t at, i;
	int status;
	long pid;

	(void)state;
	for (i = 0; i < 2; i++) {
		snprintf(journal, sizeof journal, "%s/signalled-%zu.sr", dir, i);
		start_victim(&p, &at, journal);
		pid = host_pid(&p, &at);
		pty_type(&p, "import time; time.sleep(60)\r");
		nap(500);
		kill(p.pid, sigs[i]);
		status = wait_raw(p.pid, 30);
		assert_true(WIFSIGNALED(status) && WTERMSIG(status) == sigs[i]);
		assert_int_equal(tcgetattr(p.master, &t), 0);
		assert_true(t.c_lflag & ECHO);
		assert_true(t.c_lflag & ICANON);
		if (!gone(pid))
			fail_msg("the host %ld outlived the front end", pid);
		close(p.master);
		free(p.seen);
	}
}

/* The terminal closed during a step (a terminal window shut): subrepl
 * ends and its host with it. */
static void
test_terminal_closed_during_a_step(void **state)
{
	struct pty_session p;
	char journal[256];
	int status, waited, i;
	size_t at;
	long pid;

	(void)state;
	snprintf(journal, sizeof journal, "%s/closed.sr", dir);
	start_victim(&p, &at, journal);
	pid = host_pid(&p, &at);
	pty_type(&p, "import time; time.sleep(60)\r");
	nap(500);
	close(p.master);
	for (i = 0, waited = 0; i < 200 && waited == 0; i++) {
		waited = waitpid(p.pid, &status, WNOHANG);
		if (waited == 0)
			nap(50);
	}
	if (waited != p.pid)
		fail_msg("subrepl still runs 10 s after its terminal closed");
	if (!gone(pid))
		fail_msg("the host %ld outlived the front end", pid);
	free(p.seen);
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
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_faults_that_end_the_host),
		cmocka_unit_test(test_c_stack_overflow),
		cmocka_unit_test(test_host_killed_during_a_step),
		cmocka_unit_test(test_errors_the_host_survives),
		cmocka_unit_test(test_front_end_signalled_during_a_step),
		cmocka_unit_test(test_terminal_closed_during_a_step),
	};

	return _cmocka_run_group_tests("catalogue", tests,
	    sizeof tests / sizeof tests[0], setup, teardown);
}
