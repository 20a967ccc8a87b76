/*
 * test-host.c: the supervised session against a real host process (the
 * built subrepl, $SUBREPL, run as `subrepl --host=3`). Each fault ends only
 * the host; the session says how, and goes on after session_restart. What
 * the host writes arrives on our fd 1 and 2, so those are pointed at a file
 * around each step and read back.
 */
#include "config.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "clock.h"
#include "session-util.h"


struct step {
	int rc;                   /* session_run's return */
	struct run_result res;
	char *cause;              /* when rc != 0 */
	char *output;             /* what reached fd 1 and 2 */
	char *last_words;         /* held back by the session */
};

static void
step_free(struct step *st)
{
	free(st->cause);
	free(st->output);
	free(st->last_words);
}

static void
run(interp_id id, const char *code, struct step *st)
{
	char path[] = "/tmp/subrepl-host-XXXXXX";
	int fd = mkstemp(path), so, se;
	long len;
	FILE *f;

	memset(st, 0, sizeof *st);
	assert_true(fd >= 0);
	unlink(path);
	fflush(stdout);
	fflush(stderr);
	so = dup(1);
	se = dup(2);
	dup2(fd, 1);
	dup2(fd, 2);
	st->rc = session_run(S, id, code, RUN_INTERACTIVE, &st->res, &st->cause);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	st->last_words = session_host_last_words(S);
	f = fdopen(fd, "r");
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	st->output = calloc(1, (size_t)len + 1);
	if (len > 0)
		assert_int_equal(fread(st->output, 1, (size_t)len, f), (size_t)len);
	fclose(f);
}

static void
restart(void)
{
	char *cause = NULL;

	if (session_restart(S, &cause) != 0)
		fail_msg("restart: %s", cause);
	assert_true(session_host_pid(S) > 0);
	assert_null(session_host_death(S));
}

static void
test_runs_in_another_process(void **state)
{
	struct step st;
	char want[64], name[32];
	FILE *f;

	(void)state;
	assert_true(session_host_pid(S) > 0);
	assert_true(session_host_pid(S) != getpid());
	run(0, "import os; print(os.getpid())", &st);
	assert_int_equal(st.rc, 0);
	snprintf(want, sizeof want, "%ld\n", (long)session_host_pid(S));
	assert_string_equal(st.output, want);
	step_free(&st);
	/* named apart from its front end, for ps and top */
	snprintf(want, sizeof want, "/proc/%ld/comm", (long)session_host_pid(S));
	f = fopen(want, "r");
	assert_non_null(f);
	assert_non_null(fgets(name, sizeof name, f));
	fclose(f);
	assert_string_equal(name, "subrepl-host\n");
}

static void
test_segfault_in_sub_interpreter(void **state)
{
	struct step st;
	interp_id id;

	(void)state;
	id = util_make("crashy", PRESET_LEGACY);
	run(id, "import ctypes", &st);
	assert_int_equal(st.rc, 0);
	step_free(&st);
	run(id, "def boom(): ctypes.string_at(0)\n", &st);
	assert_int_equal(st.rc, 0);
	step_free(&st);
	run(id, "boom()", &st);
	assert_int_equal(st.rc, -1);
	assert_non_null(st.cause);
	if (strstr(st.cause, "host died: SIGSEGV (Segmentation fault) in "
	    "interpreter") == NULL || strstr(st.cause, "while running: boom()") == NULL)
		fail_msg("cause: %s", st.cause);
	/* faulthandler's report is held for after the one-line report */
	assert_non_null(st.last_words);
	assert_non_null(strstr(st.last_words, "Fatal Python error: Segmentation fault"));
	step_free(&st);

	/* every request now says the host is gone, until a restart */
	run(0, "1", &st);
	assert_int_equal(st.rc, -1);
	assert_non_null(strstr(st.cause, "%restart starts a new host"));
	step_free(&st);
	restart();
	run(0, "print(6 * 7)", &st);
	assert_int_equal(st.rc, 0);
	assert_string_equal(st.output, "42\n");
	step_free(&st);
}

static void
check_death(const char *code, const char *how)
{
	struct step st;

	run(0, code, &st);
	assert_int_equal(st.rc, -1);
	if (strstr(st.cause, how) == NULL)
		fail_msg("%s: want '%s' in '%s'", code, how, st.cause);
	step_free(&st);
	restart();
}

static void
test_abort_fatal_error_exit(void **state)
{
	(void)state;
	check_death("import os; os.abort()", "host died: SIGABRT (Aborted)");
	check_death("import ctypes; ctypes.pythonapi.Py_FatalError(b'on purpose')",
	    "host died: SIGABRT");
	check_death("import os; os._exit(7)", "host died: exit status 7");
}

/* Whether a child process has ended, waiting up to 10 s. Its status is
 * left for the session to collect (WNOWAIT). /proc's 'Z' is not enough:
 * the thread-group leader shows it while the host's other threads are
 * still exiting, and its socket is open until the last one is gone. */
static bool
dead(pid_t pid)
{
	int i;

	for (i = 0; i < 200; i++) {
		siginfo_t info = { 0 };

		if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0)
			return true;
		if (info.si_pid == pid)
			return true;
		usleep(50000);
	}
	return false;
}

/* Killed between steps: the next step finds it dead, and says it died
 * while idle (it is not blamed on that step). The test waits for the
 * kill to land, so the report does not depend on the machine's load. */
static void
test_killed_from_outside(void **state)
{
	struct step st;
	pid_t pid = session_host_pid(S);

	(void)state;
	kill(pid, SIGKILL);
	assert_true(dead(pid));
	run(0, "1", &st);
	assert_int_equal(st.rc, -1);
	if (strstr(st.cause, "host died while idle: SIGKILL (Killed)") == NULL)
		fail_msg("cause: %s", st.cause);
	step_free(&st);
	restart();
}

static void
test_sys_exit_in_sub_interpreter(void **state)
{
	struct step st;
	interp_id id;

	(void)state;
	id = util_make("quitter", PRESET_LEGACY);
	run(id, "import sys; sys.exit(3)", &st);
	assert_int_equal(st.rc, 0);
	assert_int_equal(st.res.outcome, RUN_EXIT);
	assert_int_equal(st.res.exit_code, 3);
	step_free(&st);
	/* the host lives on */
	run(id, "print('still')", &st);
	assert_string_equal(st.output, "still\n");
	step_free(&st);
}

static void
test_errors_do_not_kill(void **state)
{
	struct step st;

	(void)state;
	run(0, "def r(): return r()\n", &st);
	step_free(&st);
	run(0, "r()", &st);
	assert_int_equal(st.rc, 0);
	assert_int_equal(st.res.outcome, RUN_EXCEPTION);
	assert_non_null(strstr(st.output, "RecursionError"));
	step_free(&st);
	run(0, "b = bytearray(1 << 62)", &st);
	assert_int_equal(st.res.outcome, RUN_EXCEPTION);
	assert_non_null(strstr(st.output, "MemoryError"));
	step_free(&st);
}

static void *
interrupter(void *arg)
{
	volatile bool *stop = arg;
	struct timespec ts = { 0, 300 * 1000 * 1000 };

	while (!*stop) {
		nanosleep(&ts, NULL);
		session_interrupt(S);
	}
	return NULL;
}

static void
interrupt_busy_loop(interp_id id)
{
	volatile bool stop = false;
	struct step st;
	pthread_t t;

	pthread_create(&t, NULL, interrupter, (void *)&stop);
	alarm(30);
	run(id, "while True: pass\n", &st);
	alarm(0);
	stop = true;
	pthread_join(t, NULL);
	assert_int_equal(st.rc, 0);
	assert_int_equal(st.res.outcome, RUN_INTERRUPTED);
	assert_non_null(strstr(st.output, "KeyboardInterrupt"));
	step_free(&st);
}

static void
test_interrupt_through_the_host(void **state)
{
	(void)state;
	interrupt_busy_loop(0);
	interrupt_busy_loop(util_make("busy", PRESET_LEGACY));
	if (session_has_config(S))
		interrupt_busy_loop(util_make("busy_iso", PRESET_ISOLATED));
}

/* One interrupt, `after_ms` after it is started. */
struct one_interrupt {
	pthread_t thread;
	int after_ms;
};

static void *
interrupt_once(void *arg)
{
	const struct one_interrupt *o = arg;
	struct timespec ts = { o->after_ms / 1000,
	    (long)(o->after_ms % 1000) * 1000 * 1000 };

	nanosleep(&ts, NULL);
	session_interrupt(S);
	return NULL;
}

/* Run code in id with one interrupt after_ms into the request; the step
 * must end in KeyboardInterrupt well before `bound` seconds, which it
 * would run to without the interrupt. */
static void
interrupted_once(interp_id id, const char *code, int after_ms, double bound)
{
	struct one_interrupt o = { .after_ms = after_ms };
	struct step st;
	double t0;

	pthread_create(&o.thread, NULL, interrupt_once, &o);
	alarm((unsigned)bound + 30);
	t0 = monotonic_seconds();
	run(id, code, &st);
	alarm(0);
	pthread_join(o.thread, NULL);
	assert_int_equal(st.rc, 0);
	if (st.res.outcome != RUN_INTERRUPTED)
		fail_msg("the interrupt was lost: the step ran %.1f s and "
		    "printed: %s", monotonic_seconds() - t0, st.output);
	assert_non_null(strstr(st.output, "KeyboardInterrupt"));
	if (monotonic_seconds() - t0 >= bound / 2)
		fail_msg("the interrupt came late: the step ran %.1f s (the "
		    "KeyboardInterrupt was pending while it blocked)",
		    monotonic_seconds() - t0);
	step_free(&st);
}

/* A step that compiles for a while: the interrupt comes before it has
 * begun, and is its own (it used to be dropped, the step then ran on). */
static char *
slow_to_compile(const char *then)
{
	static const char line[] = "    x = 0\n";
	size_t lines = 100000, at = 0, i;
	char *code = malloc(16 + lines * (sizeof line - 1) + strlen(then) + 8);

	assert_non_null(code);
	at += (size_t)sprintf(code, "if True:\n");
	for (i = 0; i < lines; i++) {
		memcpy(code + at, line, sizeof line - 1);
		at += sizeof line - 1;
	}
	sprintf(code + at, "    %s\n", then);
	return code;
}

static void
test_interrupt_while_the_host_compiles(void **state)
{
	char *code;

	(void)state;
	code = slow_to_compile("import time; time.sleep(20)");
	interrupted_once(0, code, 100, 20);
	free(code);
	code = slow_to_compile("while True: pass");
	interrupted_once(util_make("compiles", PRESET_LEGACY), code, 100, 20);
	free(code);
}

/* A SIGINT that lands after CPython released the GIL for a read but
 * before the read began only marks KeyboardInterrupt as pending; the
 * watcher's kicks make the read look (late_read.c widens the window to
 * half a second). */
static void
test_interrupt_before_a_read_begins(void **state)
{
	const char *dir = getenv("TEST_MODULE_DIR");
	char code[1024];
	struct step st;

	(void)state;
	if (dir == NULL)
		skip();
	snprintf(code, sizeof code, "import sys, os, threading; "
	    "sys.path.insert(0, %s%s%s); import late_read; "
	    "r, w = os.pipe(); "
	    "unblock = threading.Timer(20, os.write, (w, b'x')); "
	    "unblock.start()", "'", dir, "'");
	run(0, code, &st);
	assert_int_equal(st.res.outcome, RUN_OK);
	step_free(&st);
	interrupted_once(0, "late_read.read(r, 0.5)", 150, 20);
	run(0, "unblock.cancel(); os.close(r); os.close(w)", &st);
	assert_int_equal(st.res.outcome, RUN_OK);
	step_free(&st);
}

static void
test_output_as_it_is_produced(void **state)
{
	struct step st;

	(void)state;
	/* Python and C output, both streams, in order per stream */
	run(0, "import sys, os; print('py out'); os.write(1, b'c out\\n'); "
	    "print('py err', file=sys.stderr)", &st);
	assert_int_equal(st.rc, 0);
	assert_non_null(strstr(st.output, "py out\nc out\n"));
	assert_non_null(strstr(st.output, "py err\n"));
	step_free(&st);
}

static char *
json_text(void)
{
	struct snap_filter everything = { .with_attrs = true,
		.only = INTERP_NONE };
	char *text = NULL, *cause = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);

	assert_non_null(mem);
	if (session_snapshot_json(S, &everything, mem, &cause) != 0)
		fail_msg("%%json: %s", cause);
	assert_int_equal(fclose(mem), 0);
	return text;
}

static void *
type_a_key(void *arg)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	if (write(*(int *)arg, "k", 1) != 1)
		return NULL;
	return NULL;
}

/* A pause at the prompt: the host reads %json's snapshot ahead and stays;
 * what changes after shows in the next %json. A stop descriptor already
 * readable (a key typed) goes first: nothing is read. */
static void
test_read_ahead(void **state)
{
	struct snap_filter everything = { .with_attrs = true,
		.only = INTERP_NONE };
	pid_t pid = session_host_pid(S);
	interp_id sub = util_make("ahead", PRESET_LEGACY);
	char *cause = NULL, *text;
	pthread_t typist;
	struct step st;
	int key[2], rc;

	(void)state;
	run(sub, "import json", &st);
	step_free(&st);
	if (session_read_ahead(S, &everything, NULL, 0, &cause) != 0)
		fail_msg("read ahead: %s", cause != NULL ? cause : "stopped");
	assert_int_equal(session_host_pid(S), pid);
	run(sub, "json.read_ahead_probe = 1", &st);
	step_free(&st);
	text = json_text();
	assert_non_null(strstr(text, "\"read_ahead_probe\""));
	free(text);

	assert_int_equal(pipe(key), 0);
	assert_int_equal(write(key[1], "k", 1), 1);
	assert_int_equal(session_read_ahead(S, &everything, key, 1, &cause), 1);
	close(key[0]);
	close(key[1]);
	assert_int_equal(session_host_pid(S), pid);
	assert_null(session_host_death(S));

	/* a key while it reads: the host stops, or has ended already; the
	 * interrupt reaches no step after it */
	run(sub, "import asyncio, decimal; json.read_ahead_probe = 2", &st);
	step_free(&st);
	assert_int_equal(pipe(key), 0);
	pthread_create(&typist, NULL, type_a_key, &key[1]);
	rc = session_read_ahead(S, &everything, key, 1, &cause);
	pthread_join(typist, NULL);
	close(key[0]);
	close(key[1]);
	if (rc < 0)
		fail_msg("read ahead: %s", cause);
	run(sub, "import time; time.sleep(0.05); print('after')", &st);
	assert_int_equal(st.rc, 0);
	assert_int_equal(st.res.outcome, RUN_OK);
	assert_string_equal(st.output, "after\n");
	step_free(&st);
	text = json_text();
	assert_non_null(strstr(text, "\"read_ahead_probe\""));
	free(text);
	assert_int_equal(session_host_pid(S), pid);
	util_destroy(sub);
}

static int
setup(void **state)
{
	const char *exe = getenv("SUBREPL");
	char *cause = NULL;

	(void)state;
	if (exe == NULL) {
		fprintf(stderr, "SUBREPL must name the built subrepl\n");
		return -1;
	}
	signal(SIGPIPE, SIG_IGN);
	S = session_open_supervised(exe, &cause);
	if (S == NULL) {
		fprintf(stderr, "cannot start the host: %s\n", cause);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	session_close(S);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs_in_another_process),
		cmocka_unit_test(test_segfault_in_sub_interpreter),
		cmocka_unit_test(test_abort_fatal_error_exit),
		cmocka_unit_test(test_killed_from_outside),
		cmocka_unit_test(test_sys_exit_in_sub_interpreter),
		cmocka_unit_test(test_errors_do_not_kill),
		cmocka_unit_test(test_interrupt_through_the_host),
		cmocka_unit_test(test_interrupt_while_the_host_compiles),
		cmocka_unit_test(test_interrupt_before_a_read_begins),
		cmocka_unit_test(test_output_as_it_is_produced),
		cmocka_unit_test(test_read_ahead),
	};

	return cmocka_run_group_tests_name("host", tests, setup, teardown);
}
