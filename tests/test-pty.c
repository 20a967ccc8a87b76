/*
 * test-pty.c: the interactive line REPL in a pseudo-terminal, as a person
 * sees it: banner and prompts naming the interpreter, continuation lines,
 * Ctrl-C at the prompt and during a busy loop (main, a legacy and an
 * isolated sub-interpreter, through the host), Tab completion, history
 * saved with mode 0600, a crash of the host, Ctrl-D, reading ahead for
 * %json at a pause.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "runner.h"

static void
start(struct pty_session *p, size_t *at)
{
	const char *args[] = { "--no-journal", NULL };

	pty_start(p, args);
	*at = 0;
	pty_expect(p, at, "[0 main]>>> ", 20);
}

static void
test_prompts_and_values(void **state)
{
	struct pty_session p;
	size_t at;

	(void)state;
	start(&p, &at);
	assert_non_null(strstr(p.seen, "subrepl "));
	pty_type(&p, "1 + 1\r");
	pty_expect(&p, &at, "2\n[0 main]>>> ", 10);
	pty_type(&p, "def f():\r");
	pty_expect(&p, &at, "[0 main]... ", 10);
	pty_type(&p, "    return 42\r");
	pty_expect(&p, &at, "[0 main]... ", 10);
	pty_type(&p, "\r");
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	pty_type(&p, "%new worker\r");
	pty_expect(&p, &at, "[1 worker legacy]>>> ", 20);
	pty_type(&p, "f()\r");
	pty_expect(&p, &at, "NameError", 10);
	pty_type(&p, "%use main\r");
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	pty_type(&p, "f()\r");
	pty_expect(&p, &at, "42\n[0 main]>>> ", 10);
	pty_type(&p, "%use nobody\r");
	pty_expect(&p, &at, "%use: no interpreter named 'nobody' (have: main, worker)\n"
	    "[0 main]>>> ", 10);
	pty_type(&p, "\x04");
	assert_int_equal(pty_finish(&p, 20), 0);
}

static void
test_ctrl_c_at_the_prompt(void **state)
{
	struct pty_session p;
	size_t at;

	(void)state;
	start(&p, &at);
	pty_type(&p, "half typed");
	pty_expect(&p, &at, "half typed", 10);
	pty_type(&p, "\x03");
	pty_expect(&p, &at, "KeyboardInterrupt\n[0 main]>>> ", 10);
	/* an open block is dropped too */
	pty_type(&p, "if True:\r");
	pty_expect(&p, &at, "[0 main]... ", 10);
	pty_type(&p, "\x03");
	pty_expect(&p, &at, "KeyboardInterrupt\n[0 main]>>> ", 10);
	pty_type(&p, "print('alive')\r");
	pty_expect(&p, &at, "alive\n", 10);
	pty_type(&p, "%quit\r");
	assert_int_equal(pty_finish(&p, 20), 0);
}

/* SIGTERM or SIGHUP at the prompt ends subrepl with the terminal as it
 * found it: echo and line editing back (readline had them off). */
static void
test_ending_signals_restore_the_terminal(void **state)
{
	static const int sigs[] = { SIGTERM, SIGHUP };
	struct pty_session p;
	struct termios t;
	size_t at, i;
	int status;

	(void)state;
	for (i = 0; i < 2; i++) {
		start(&p, &at);
		assert_int_equal(tcgetattr(p.master, &t), 0);
		assert_false(t.c_lflag & ECHO);  /* readline's raw mode */
		kill(p.pid, sigs[i]);
		status = wait_raw(p.pid, 30);
		assert_true(WIFSIGNALED(status) && WTERMSIG(status) == sigs[i]);
		assert_int_equal(tcgetattr(p.master, &t), 0);
		assert_true(t.c_lflag & ECHO);
		assert_true(t.c_lflag & ICANON);
		close(p.master);
		free(p.seen);
	}
}

static void
interrupt_loop(struct pty_session *p, size_t *at, const char *prompt)
{
	pty_type(p, "while True: pass\r\r");
	pty_expect(p, at, prompt, 10); /* the continuation's echo */
	sleep(1);
	pty_type(p, "\x03");
	pty_expect(p, at, "KeyboardInterrupt", 10);
	pty_expect(p, at, prompt, 10);
	pty_type(p, "print('next step runs')\r");
	pty_expect(p, at, "next step runs", 10);
	pty_expect(p, at, ">>> ", 10);
}

static void
test_ctrl_c_stops_busy_loops(void **state)
{
	struct pty_session p;
	size_t at;

	(void)state;
	start(&p, &at);
	interrupt_loop(&p, &at, "[0 main]");
	pty_type(&p, "%new legacy_one\r");
	pty_expect(&p, &at, "[1 legacy_one legacy]>>> ", 20);
	interrupt_loop(&p, &at, "[1 legacy_one legacy]");
	if (python_312()) {
		pty_type(&p, "%new own --isolated\r");
		pty_expect(&p, &at, "[2 own isolated]>>> ", 20);
		interrupt_loop(&p, &at, "[2 own isolated]");
	}
	pty_type(&p, "\x04");
	assert_int_equal(pty_finish(&p, 20), 0);
}

static void
test_tab_completes_at_the_prompt(void **state)
{
	struct pty_session p;
	size_t at;

	(void)state;
	start(&p, &at);
	pty_type(&p, "%ne\t");
	pty_expect(&p, &at, "%new ", 10);
	pty_type(&p, "abc --leg\t");
	pty_expect(&p, &at, "--legacy ", 10);
	pty_type(&p, "\r");
	pty_expect(&p, &at, "[1 abc legacy]>>> ", 20);
	pty_type(&p, "%use ab\t");
	pty_expect(&p, &at, "%use abc", 10);
	pty_type(&p, "\r");
	pty_expect(&p, &at, "[1 abc legacy]>>> ", 10);
	pty_type(&p, "a_rather_long_name = 5\r");
	pty_expect(&p, &at, "[1 abc legacy]>>> ", 10);
	pty_type(&p, "a_rather_l\t");
	pty_expect(&p, &at, "a_rather_long_name", 10);
	pty_type(&p, " * 2\r");
	pty_expect(&p, &at, "10\n", 10);
	/* keys typed while a step runs meet a cooked terminal: wait for the
	 * prompt before Ctrl-D, as a person would */
	pty_expect(&p, &at, "[1 abc legacy]>>> ", 10);
	pty_type(&p, "\x04");
	assert_int_equal(pty_finish(&p, 20), 0);
}

/* subrepl's own machinery leaves no trace in the user's interpreter:
 * steps of every kind (a value, a block, a syntax error, an exception, a
 * function) and Tab completion import nothing there, in main and in a
 * sub-interpreter, and codeop, __future__ and rlcompleter are never
 * there. The one module the host itself needs (faulthandler, for
 * crash reports; the man page names it) was there before. */
static void
test_sys_modules_stay_clean(void **state)
{
	static const char *const steps[] = {
		"1 + 1\r",
		"for i in range(2):\r    i\r\r",
		"print(1 +)\r",
		"undefined_name\r",
		"def f(x):\r    return x\r\r",
		"f(3)\r",
	};
	struct pty_session p;
	size_t at, i, round;

	(void)state;
	start(&p, &at);
	for (round = 0; round < 2; round++) {
		const char *prompt = round == 0 ? "[0 main]>>> " :
		    "[1 clean legacy]>>> ";

		if (round == 1) {
			pty_type(&p, "%new clean\r");
			pty_expect(&p, &at, prompt, 20);
		}
		/* CPython's own error printing imports what it needs the first
		 * time (3.13: traceback, _colorize, re): an error of each kind
		 * comes before the count */
		pty_type(&p, "warm_up_name_error\r");
		pty_expect(&p, &at, prompt, 10);
		pty_type(&p, "print(1 +)\r");
		pty_expect(&p, &at, prompt, 10);
		pty_type(&p, "import sys; before = set(sys.modules)\r");
		pty_expect(&p, &at, prompt, 10);
		for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
			pty_type(&p, steps[i]);
			pty_expect(&p, &at, prompt, 10);
		}
		pty_type(&p, "sys.modu\t");
		pty_expect(&p, &at, "sys.modules", 10);
		pty_type(&p, "\x15");   /* Ctrl-U: the line goes */
		pty_type(&p, "print('new:', sorted(set(sys.modules) - before))"
		    "\r");
		pty_expect(&p, &at, "new: []\n", 10);
		pty_expect(&p, &at, prompt, 10);
		/* (warnings is left out: 3.13 imports it to print a
		 * traceback, as python3 does) */
		pty_type(&p, "print('ours:', sorted(m for m in ('codeop', "
		    "'__future__', 'rlcompleter') if m in sys.modules))\r");
		pty_expect(&p, &at, "ours: []\n", 10);
		pty_expect(&p, &at, prompt, 10);
	}
	pty_type(&p, "\x04");
	assert_int_equal(pty_finish(&p, 20), 0);
}

static void
test_history_file(void **state)
{
	struct pty_session p;
	char path[512];
	struct stat st;
	size_t at;
	FILE *f;
	char line[256];
	bool found = false;

	(void)state;
	snprintf(path, sizeof path, "%s/subrepl/history", getenv("XDG_STATE_HOME"));
	start(&p, &at);
	pty_type(&p, "history_marker = 1\r");
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	pty_type(&p, "\x04");
	assert_int_equal(pty_finish(&p, 20), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL)
		found |= strcmp(line, "history_marker = 1\n") == 0;
	fclose(f);
	assert_true(found);
}

/* A bracketed paste of several lines runs them one by one, as python3
 * does, and leaves each (and no blank line) in the history. A command at
 * column 0 ends an open block at the prompt too. */
static void
test_paste_and_commands_in_blocks(void **state)
{
	struct pty_session p;
	char path[512], line[256];
	int pasted = 0, blank = 0;
	size_t at;
	FILE *f;

	(void)state;
	snprintf(path, sizeof path, "%s/subrepl/history", getenv("XDG_STATE_HOME"));
	unlink(path); /* only this session's lines */
	start(&p, &at);
	pty_type(&p, "\x1b[200~paste_a = 1\npaste_b = 2\n\nprint(paste_a + "
	    "paste_b)\x1b[201~\r");
	pty_expect(&p, &at, "\n3\n", 10);
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	pty_type(&p, "for i in range(2):\r");
	pty_expect(&p, &at, "[0 main]... ", 10);
	pty_type(&p, "    print('in block', i)\r");
	pty_expect(&p, &at, "[0 main]... ", 10);
	pty_type(&p, "%list\r");
	pty_expect(&p, &at, "in block 1", 10);
	pty_expect(&p, &at, "NAME", 10);
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	/* inside an open bracket a % line is Python: 7 % 4 */
	pty_type(&p, "print(7\r");
	pty_expect(&p, &at, "[0 main]... ", 10);
	pty_type(&p, "%4)\r");
	pty_expect(&p, &at, "\n3\n", 10);
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	pty_type(&p, "\x04");
	assert_int_equal(pty_finish(&p, 20), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL) {
		pasted += strncmp(line, "paste_", 6) == 0 ||
		    strcmp(line, "print(paste_a + paste_b)\n") == 0;
		blank += line[0] == '\n';
	}
	fclose(f);
	assert_int_equal(pasted, 3);
	assert_int_equal(blank, 0);
}

static void
test_host_crash_and_restart(void **state)
{
	struct pty_session p;
	size_t at;

	(void)state;
	start(&p, &at);
	pty_type(&p, "%new victim\r");
	pty_expect(&p, &at, "[1 victim legacy]>>> ", 20);
	pty_type(&p, "import ctypes; ctypes.string_at(0)\r");
	pty_expect(&p, &at, "host died: SIGSEGV (Segmentation fault) in interpreter 1 "
	    "while running: import ctypes; ctypes.string_at(0)", 20);
	/* the prompt says there is no host until %restart */
	pty_expect(&p, &at, "[no host: %restart]>>> ", 10);
	pty_type(&p, "%restart\r");
	pty_expect(&p, &at, "new host: pid ", 20);
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	pty_type(&p, "print('alive again')\r");
	pty_expect(&p, &at, "alive again\n", 10);
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	pty_type(&p, "\x04");
	assert_int_equal(pty_finish(&p, 20), 0);
}

/* A pause at the prompt: the host reads %json's snapshot ahead (%status
 * says so), and the %json typed after a change says what is there now.
 * Batch input never pauses: no reading ahead there. */
static void
test_read_ahead_at_a_pause(void **state)
{
	const char *batch_args[] = { "--no-journal", NULL };
	char dir[] = "/tmp/subrepl-pause-XXXXXX", line[320], path[256];
	struct timespec pause = { 1, 200 * 1000 * 1000 };
	struct batch_result r;
	struct pty_session p;
	char *text;
	size_t at;

	(void)state;
	assert_int_equal(scratch_dir_make(dir), 0);
	snprintf(path, sizeof path, "%s/after.json", dir);
	start(&p, &at);
	pty_type(&p, "%new a\r");
	pty_expect(&p, &at, "[1 a legacy]>>> ", 20);
	pty_type(&p, "import json\r");
	pty_expect(&p, &at, "[1 a legacy]>>> ", 20);
	nanosleep(&pause, NULL);
	pty_type(&p, "%status\r");
	/* the user's step, not the prompt's own requests nor the reading */
	pty_expect(&p, &at, "last step:    import json\n", 10);
	pty_expect(&p, &at, "read ahead:   %json's snapshot, at the last pause (",
	    10);
	pty_expect(&p, &at, "[1 a legacy]>>> ", 10);
	pty_type(&p, "json.after_the_pause = 1\r");
	pty_expect(&p, &at, "[1 a legacy]>>> ", 10);
	snprintf(line, sizeof line, "%%json %s json\r", path);
	pty_type(&p, line);
	pty_expect(&p, &at, "wrote ", 20);
	pty_expect(&p, &at, "[1 a legacy]>>> ", 10);
	text = read_text_file(path);
	assert_non_null(strstr(text, "\"after_the_pause\""));
	free(text);
	pty_type(&p, "\x04");
	assert_int_equal(pty_finish(&p, 20), 0);
	scratch_dir_remove(dir);

	batch_run(batch_args, "import json\n%status\n", 20, 20, &r);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "last step:"));
	assert_null(strstr(r.out, "read ahead:"));
	batch_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prompts_and_values),
		cmocka_unit_test(test_ctrl_c_at_the_prompt),
		cmocka_unit_test(test_ending_signals_restore_the_terminal),
		cmocka_unit_test(test_ctrl_c_stops_busy_loops),
		cmocka_unit_test(test_tab_completes_at_the_prompt),
		cmocka_unit_test(test_sys_modules_stay_clean),
		cmocka_unit_test(test_history_file),
		cmocka_unit_test(test_paste_and_commands_in_blocks),
		cmocka_unit_test(test_host_crash_and_restart),
		cmocka_unit_test(test_read_ahead_at_a_pause),
	};

	return cmocka_run_group_tests_name("pty", tests, NULL, NULL);
}
