/*
 * test-journal.c: the journal, %save, %replay and %restart --replay through
 * the real binary ($SUBREPL) in batch mode: what a user would find on disk
 * after a crash of the host, and after a SIGKILL of subrepl itself.
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
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "child-signals.h"
#include "runner.h"

static char dir[] = "/tmp/subrepl-journal-XXXXXX";

/* Run subrepl (argv[0] is its name) in batch mode. */
static int
run(const char *const *argv, char **out, char **err)
{
	struct batch_result r;

	batch_run(argv + 1, NULL, 0, 120, &r);
	*out = r.out;
	*err = r.err;
	return r.status;
}

static void
test_crash_is_journaled_and_replayed(void **state)
{
	char journal[256], saved[256], script[1024], *out, *err, *text;
	const char *argv[] = { "subrepl", "--journal", journal, "-c", script, NULL };
	int rc;

	(void)state;
	snprintf(journal, sizeof journal, "%s/crash.sr", dir);
	snprintf(saved, sizeof saved, "%s/saved.sr", dir);
	snprintf(script, sizeof script,
	    "%%new worker\n"
	    "x = 41\n"
	    "def f():\n"
	    "    return x + 1\n"
	    "import ctypes\n"
	    "ctypes.string_at(0)\n"
	    "%%restart --replay\n"
	    "print('after replay', f())\n"
	    "%%save %s\n", saved);
	rc = run(argv, &out, &err);
	assert_int_equal(rc, 1); /* the crash failed a step */
	assert_non_null(strstr(err, "host died: SIGSEGV (Segmentation fault) in "
	    "interpreter 1 while running: ctypes.string_at(0)"));
	/* replay recreated the interpreter and its names */
	assert_non_null(strstr(out, "after replay 42\n"));
	free(out);
	free(err);

	text = read_text_file(journal);
	assert_non_null(strstr(text, "ctypes.string_at(0)\n#-> host died: SIGSEGV"));
	assert_non_null(strstr(text, "def f():\n    return x + 1\n"));
	free(text);

	/* the saved script reproduces the session by itself */
	text = read_text_file(saved);
	assert_non_null(strstr(text, "%new worker\n"));
	assert_non_null(strstr(text, "%restart\n"));
	free(text);
	{
		const char *again[] = { "subrepl", "--no-journal", saved, NULL };

		run(again, &out, &err);
		assert_non_null(strstr(out, "after replay 42\n"));
		assert_non_null(strstr(err, "host died: SIGSEGV"));
		free(out);
		free(err);
	}
}

static void
test_sigkill_of_subrepl_keeps_the_step(void **state)
{
	char journal[256], *text = NULL;
	int in[2], status, i;
	pid_t pid;

	(void)state;
	snprintf(journal, sizeof journal, "%s/killed.sr", dir);
	assert_int_equal(pipe(in), 0);
	pid = fork();
	if (pid == 0) {
		int n = open("/dev/null", O_WRONLY);

		child_signals_default();
		dup2(in[0], 0);
		dup2(n, 1);
		dup2(n, 2);
		close(in[1]);
		execl(getenv("SUBREPL"), "subrepl", "--journal", journal, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	assert_true(write(in[1], "y = 7\nimport time; time.sleep(20)\n", 34) == 34);
	/* wait until the long step is in the journal, i.e. running */
	for (i = 0; i < 200; i++) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		free(text);
		text = read_text_file(journal);
		if (strstr(text, "time.sleep(20)\n") != NULL)
			break;
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	close(in[1]);
	free(text);
	text = read_text_file(journal);
	assert_non_null(strstr(text, "y = 7\n#-> ok"));
	/* the step that was running when subrepl was killed is there */
	assert_non_null(strstr(text, "import time; time.sleep(20)\n"));
	free(text);
}

static void
test_replay_command(void **state)
{
	char script_path[256], cmd[1024], *out, *err;
	const char *argv[] = { "subrepl", "--no-journal", "-c", cmd, NULL };
	FILE *f;

	(void)state;
	snprintf(script_path, sizeof script_path, "%s/script.sr", dir);
	f = fopen(script_path, "w");
	fputs("%new a\nz = 5\n# a comment\nfor i in range(2):\n    z += i\n"
	    "print('z is', z)\n", f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "%%replay %s\n%%list\n%%exec a print(z * 2)",
	    script_path);
	assert_int_equal(run(argv, &out, &err), 0);
	assert_string_equal(err, "");
	assert_non_null(strstr(out, "z is 6\n"));
	assert_non_null(strstr(out, "12\n"));
	free(out);
	free(err);
}

/* After a crash, what is typed at the no-host prompt did not run: it is
 * journaled so, %restart --replay stops before the step that crashed, and
 * %export ends with that step. */
static void
test_steps_after_a_crash_are_not_the_crash(void **state)
{
	char journal[256], exported[256], script[1024], *out, *err, *text, *p;
	const char *argv[] = { "subrepl", "--journal", journal, "-c", script, NULL };

	(void)state;
	snprintf(journal, sizeof journal, "%s/after.sr", dir);
	snprintf(exported, sizeof exported, "%s/after.py", dir);
	snprintf(script, sizeof script,
	    "x = 1\n"
	    "import ctypes; ctypes.string_at(0)\n"
	    "x\n"
	    "%%list\n"
	    "%%export %s\n"
	    "%%restart --replay\n"
	    "print('x is', x)\n", exported);
	run(argv, &out, &err);
	assert_non_null(strstr(out, "the next step was: import ctypes; "
	    "ctypes.string_at(0)\n"));
	assert_non_null(strstr(out, "x is 1\n"));
	free(out);
	free(err);
	text = read_text_file(journal);
	assert_non_null(strstr(text, "ctypes.string_at(0)\n#-> host died: SIGSEGV"));
	assert_non_null(strstr(text, "\nx\n#-> not run: no host\n"));
	/* one outcome a step */
	p = strstr(text, "#-> host died");
	assert_non_null(p);
	assert_int_equal(strncmp(strchr(p, '\n') + 1, "x\n", 2), 0);
	free(text);
	text = read_text_file(exported);
	p = strstr(text, "ctypes.string_at(0)");
	assert_non_null(p);
	assert_null(strstr(p, "_step(None, 'x')"));
	assert_null(strstr(text, "%list"));
	free(text);
}

/* A step stopped by KeyboardInterrupt is journaled as interrupted, and a
 * replay passes over it (it would stop the replay again). */
static void
test_interrupted_steps_are_not_replayed(void **state)
{
	char journal[256], cmd[512], *out, *err, *text;
	const char *first[] = { "subrepl", "--journal", journal, "-c",
	    "n = 1\nraise KeyboardInterrupt\nn += 1", NULL };
	const char *second[] = { "subrepl", "--no-journal", "-c", cmd, NULL };

	(void)state;
	snprintf(journal, sizeof journal, "%s/interrupted.sr", dir);
	assert_int_equal(run(first, &out, &err), 1);
	free(out);
	free(err);
	text = read_text_file(journal);
	assert_non_null(strstr(text, "raise KeyboardInterrupt\n#-> interrupted in 0\n"));
	free(text);
	snprintf(cmd, sizeof cmd, "%%replay %s\nprint('n is', n)", journal);
	assert_int_equal(run(second, &out, &err), 0);
	assert_string_equal(err, "");
	assert_non_null(strstr(out, "n is 2\n"));
	free(out);
	free(err);
}

/* Bad input to %replay: a directory is refused in one line; a journal torn
 * by a crash or holding binary garbage gives one error line a bad line,
 * and the good steps around them run; with the host dead, it says so and
 * runs nothing. */
static void
test_replay_of_bad_files(void **state)
{
	char path[256], cmd[512], *out, *err;
	const char *argv[] = { "subrepl", "--no-journal", "-c", cmd, NULL };
	FILE *f;

	(void)state;
	snprintf(cmd, sizeof cmd, "%%replay %s", dir);
	assert_int_equal(run(argv, &out, &err), 1);
	assert_int_equal(count_lines(err), 1);
	assert_non_null(strstr(err, "is a directory"));
	free(out);
	free(err);

	snprintf(path, sizeof path, "%s/torn.sr", dir);
	f = fopen(path, "w");
	{
		static const char torn[] = "a = 1\n#-> ok in 0\nprint('a is', a)\n"
		    "#-> ok in 0\nb = \xff\xfe\n#-> ok in 0\nc = 'bad\0byte'\n"
		    "#-> ok in 0\nprint('still', a)\n#-> ok in 0\nd = [1,";

		assert_int_equal(fwrite(torn, 1, sizeof torn - 1, f),
		    sizeof torn - 1);
	}
	fclose(f);
	snprintf(cmd, sizeof cmd, "%%replay %s\nprint('after', a)", path);
	assert_int_equal(run(argv, &out, &err), 1);
	assert_non_null(strstr(out, "a is 1\n"));
	assert_non_null(strstr(out, "still 1\n"));
	assert_non_null(strstr(out, "after 1\n"));
	/* the invalid UTF-8 line and the NUL line, by their lines in the
	 * file; the torn last line never became a step */
	assert_int_equal(count_lines(err), 2);
	assert_non_null(strstr(err, "torn.sr:5: invalid UTF-8"));
	assert_non_null(strstr(err, "torn.sr:7: "));
	assert_non_null(strstr(err, "NUL"));
	free(out);
	free(err);

	/* with no host, nothing of the file runs, and the file is not
	 * blamed for a death that came before it */
	snprintf(cmd, sizeof cmd, "import os, signal; os.kill(os.getpid(), "
	    "signal.SIGKILL)\n%%replay %s\n%%restart\nprint('back')", path);
	assert_int_equal(run(argv, &out, &err), 1);
	assert_non_null(strstr(err, "-c:2: %replay: no host to replay in "
	    "(host died: SIGKILL"));
	assert_null(strstr(err, "the replay stops here"));
	assert_null(strstr(out, "a is 1\n"));
	assert_non_null(strstr(out, "back\n"));
	free(out);
	free(err);
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
		cmocka_unit_test(test_crash_is_journaled_and_replayed),
		cmocka_unit_test(test_sigkill_of_subrepl_keeps_the_step),
		cmocka_unit_test(test_replay_command),
		cmocka_unit_test(test_steps_after_a_crash_are_not_the_crash),
		cmocka_unit_test(test_interrupted_steps_are_not_replayed),
		cmocka_unit_test(test_replay_of_bad_files),
	};

	return cmocka_run_group_tests_name("journal", tests, setup, teardown);
}
