/*
 * test-faults.c: the host process under the faults of issue 10, end to
 * end through the built subrepl ($SUBREPL), in batch mode or in a
 * pseudo-terminal, as a user meets them:
 *
 * - %timeout and Ctrl-C still escalate while a step keeps printing;
 * - os.close() on small descriptors leaves the host's own alone;
 * - child processes inherit none of the host's descriptors, and a child
 *   made with os.fork() never answers the front end;
 * - a crash while the host finishes (end of the session, %restart) is
 *   reported, with the exit status saying so;
 * - a host killed while idle is not blamed on the next line;
 * - a crash during "%import X --all" names the interpreter it happened in;
 * - running out of memory ends in a MemoryError and a prompt;
 * - %reinit refuses while threads would keep it waiting;
 * - Ctrl-C cuts short a blocking call in the main interpreter, and says
 *   why it cannot in a sub-interpreter;
 * - a thread's output reaches the terminal at the prompt.
 *
 * Every run is bounded by the harness's timeouts (tens of seconds), never
 * by a timing threshold.
 */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
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

/* Fail unless text has first, and then later on. */
static void
assert_in_order(const char *text, const char *first, const char *then)
{
	const char *a = strstr(text, first);

	if (a == NULL || strstr(a + strlen(first), then) == NULL)
		fail_msg("want '%s' and then '%s' in:\n%s", first, then, text);
}

static void
assert_has(const char *text, const char *want)
{
	if (strstr(text, want) == NULL)
		fail_msg("want '%s' in:\n%s", want, text);
}

static void
assert_lacks(const char *text, const char *unwanted)
{
	if (strstr(text, unwanted) != NULL)
		fail_msg("did not want '%s' in:\n%s", unwanted, text);
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

/* ------------------------------------------------------------ item 2 */

/* The documented caveat, os.close() on small descriptors, does not reach
 * the host's own: its socket and its Ctrl-C pipe. */
static void
test_os_close_small_descriptors(void **state)
{
	struct batch_result r;

	(void)state;
	run_c("import os\n"
	    "for fd in range(3, 10):\n"
	    "    try:\n"
	    "        os.close(fd)\n"
	    "    except OSError:\n"
	    "        pass\n"
	    "print('host alive')\n"
	    "%timeout 2\n"
	    "while True: pass\n"
	    "print('interrupt works')\n", &r);
	assert_lacks(r.err, "host died");
	assert_has(r.out, "host alive\n");
	assert_has(r.err, "KeyboardInterrupt");
	assert_has(r.out, "interrupt works\n");
	assert_int_equal(r.status, 1); /* the interrupted step */
	batch_free(&r);
}

/* ------------------------------------------------------------ item 3 */

/* Whether process pid has descriptor fd open, and what it is (the link's
 * text into what, "" when it is not open). */
static bool
fd_target(long pid, int fd, char *what, size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%ld/fd/%d", pid, fd);
	n = readlink(path, what, size - 1);
	what[n > 0 ? n : 0] = '\0';
	return n > 0;
}

/* A child in the background holds none of the host's descriptors (only
 * the standard three, and what subrepl itself inherited), so a crash is
 * reported at once, not when the child ends. */
/* A descriptor of process pid above 2 that the test itself was not given
 * (what subrepl was given, the test was given too), its target in what;
 * -1 for none. */
static int
stray_descriptor(long pid, char *what, size_t size)
{
	char dirpath[64], ours[256];
	struct dirent *e;
	int found = -1;
	DIR *d;

	snprintf(dirpath, sizeof dirpath, "/proc/%ld/fd", pid);
	d = opendir(dirpath);
	assert_non_null(d);
	while (found < 0 && (e = readdir(d)) != NULL) {
		int fd = atoi(e->d_name);

		if (e->d_name[0] == '.' || fd <= 2)
			continue;
		if (fd_target(pid, fd, what, size) &&
		    (!fd_target(getpid(), fd, ours, sizeof ours) ||
		    strcmp(what, ours) != 0 || strncmp(what, "socket:", 7) == 0))
			found = fd;
	}
	closedir(d);
	return found;
}

static void
test_children_inherit_no_descriptor(void **state)
{
	char pidfile[256], script[1024], what[256], *text;
	const char *args[] = { "--no-journal", "-c", script, NULL };
	struct batch_result r;
	int bad, tries;
	long pid;

	(void)state;
	snprintf(pidfile, sizeof pidfile, "%s/sleep.pid", dir);
	snprintf(script, sizeof script,
	    "import os\n"
	    "os.system('sleep 60 & echo $! > %s')\n"
	    "import ctypes; ctypes.string_at(0)\n", pidfile);
	/* the child sleeps 60 s: the report comes well before */
	batch_run(args, NULL, 0, 30, &r);
	assert_has(r.err, "host died: SIGSEGV (Segmentation fault)");
	assert_int_equal(r.status, 1);
	batch_free(&r);
	text = read_text_file(pidfile);
	pid = atol(text);
	free(text);
	assert_true(pid > 0);
	/* sleep opens files of its own while it starts (/etc/locale.alias):
	 * a descriptor counts only if it is still there once the child has
	 * settled; an inherited one stays for the child's 60 s */
	for (tries = 0; (bad = stray_descriptor(pid, what, sizeof what)) >= 0 &&
	    tries < 100; tries++)
		nap(50);
	kill((pid_t)pid, SIGKILL);
	if (bad >= 0)
		fail_msg("the child has descriptor %d: %s", bad, what);
}

/* A child made with os.fork() never answers the front end: the session
 * stays in step. */
static void
test_fork_keeps_the_session_in_step(void **state)
{
	struct batch_result r;

	(void)state;
	run_c("import os\n"
	    "pid = os.fork(); _ = os.write(1, b'child forked\\n' if pid == 0 "
	    "else b'parent forked\\n')\n"
	    "print('parent reaped child', os.waitpid(pid, 0)[0] == pid)\n"
	    "x = 6 * 7\n"
	    "print('x is', x)\n"
	    "print('then', x + 1)\n"
	    "%list\n", &r);
	assert_lacks(r.err, "host died");
	/* the child's own output is allowed */
	assert_has(r.out, "child forked\n");
	assert_has(r.out, "parent forked\n");
	assert_in_order(r.out, "parent reaped child True\n", "x is 42\n");
	assert_in_order(r.out, "x is 42\n", "then 43\n");
	assert_has(r.out, "  main");
	assert_int_equal(r.status, 0);
	batch_free(&r);
}

/* ------------------------------------------------------------ item 4 */

/* A crash while the host finalizes, at the end of the session: one line
 * saying so, its last words after it, in the journal, and exit status 1. */
static void
test_crash_at_the_end_of_the_session(void **state)
{
	char journal[256], *text;
	const char *args[] = { "--journal", journal, "-c",
	    "import atexit, ctypes\n"
	    "atexit.register(ctypes.string_at, 0)\n"
	    "print('last')\n", NULL };
	struct batch_result r;

	(void)state;
	snprintf(journal, sizeof journal, "%s/finish.sr", dir);
	batch_run(args, NULL, 0, 60, &r);
	assert_has(r.out, "last\n");
	assert_in_order(r.err, "host died while finishing: SIGSEGV (Segmentation "
	    "fault) (at the end of the session)\n", "Fatal Python error: "
	    "Segmentation fault");
	assert_int_equal(r.status, 1);
	batch_free(&r);
	text = read_text_file(journal);
	assert_has(text, "print('last')\n#-> ok in 0\n#!! host died while "
	    "finishing: SIGSEGV");
	free(text);
}

/* The same during %restart: said before the new host starts. */
static void
test_crash_during_restart(void **state)
{
	struct batch_result r;

	(void)state;
	run_c("import atexit, ctypes\n"
	    "atexit.register(ctypes.string_at, 0)\n"
	    "%restart\n"
	    "print('the new host runs')\n", &r);
	assert_in_order(r.err, "host died while finishing: SIGSEGV (Segmentation "
	    "fault) (during %restart)\n", "Fatal Python error: "
	    "Segmentation fault");
	assert_has(r.out, "new host: pid ");
	assert_has(r.out, "the new host runs\n");
	batch_free(&r);
}

/* The report of issue 10 on 3.12: finalizing after _testsinglephase was
 * imported into a sub-interpreter since destroyed crashes (3.12.1). */
static void
test_testsinglephase_crash_at_the_end(void **state)
{
	struct batch_result r;

	(void)state;
	run_c("%new a\n"
	    "%import _testsinglephase\n"
	    "%use main\n"
	    "%import _testsinglephase\n"
	    "%del a\n"
	    "print(\"last\")\n", &r);
	assert_has(r.out, "last\n");
	if (strstr(r.err, "Segmentation fault") != NULL) {
		/* this Python crashes there: it must be said */
		assert_has(r.err, "host died while finishing: SIGSEGV "
		    "(Segmentation fault) (at the end of the session)\n");
		assert_int_equal(r.status, 1);
	} else {
		assert_lacks(r.err, "host died");
		assert_int_equal(r.status, 0);
	}
	batch_free(&r);
}

/* ------------------------------------------------------------ item 5 */

/* Whether a process killed is all gone but for its exit status: a
 * zombie whose other threads are gone too (its leader turns into a zombie
 * before they are, and its descriptors close only after them). */
static bool
process_dead(long pid)
{
	char path[64], text[512], *paren;
	struct dirent *e;
	int tasks = 0;
	bool zombie = false;
	FILE *f;
	DIR *d;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	f = fopen(path, "r");
	if (f == NULL)
		return false;
	if (fgets(text, sizeof text, f) != NULL &&
	    (paren = strrchr(text, ')')) != NULL && paren[1] == ' ')
		zombie = paren[2] == 'Z';
	fclose(f);
	snprintf(path, sizeof path, "/proc/%ld/task", pid);
	d = opendir(path);
	if (d == NULL)
		return false;
	while ((e = readdir(d)) != NULL)
		tasks += e->d_name[0] != '.';
	closedir(d);
	return zombie && tasks == 1;
}

/* A host killed between steps: the next line is not blamed, nor
 * journaled as the crashing step, and --replay brings the steps back. */
static void
test_killed_while_idle(void **state)
{
	char journal[256], *text;
	struct pty_session p;
	size_t at, out;
	long pid;
	int i;

	(void)state;
	snprintf(journal, sizeof journal, "%s/idle.sr", dir);
	start(&p, &at, journal);
	pty_type(&p, "x = 41\r");
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	pty_type(&p, "%pid\r");
	pty_expect(&p, &at, "%pid\n", 10);
	out = at;
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	pid = atol(p.seen + out);
	assert_true(pid > 0);
	kill((pid_t)pid, SIGKILL);
	for (i = 0; i < 200 && !process_dead(pid); i++)
		nap(50);
	assert_true(process_dead(pid));
	pty_type(&p, "print('mark')\r");
	pty_expect(&p, &at, "host died while idle: SIGKILL (Killed)", 10);
	pty_expect(&p, &at, "[no host: %restart]>>> ", 10);
	assert_lacks(p.seen, "while running: print('mark')");
	pty_type(&p, "%restart --replay\r");
	pty_expect(&p, &at, "new host: pid ", 20);
	pty_expect(&p, &at, "the next step was: print('mark')", 20);
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	pty_type(&p, "print(x + 1)\r");
	pty_expect(&p, &at, "42\n", 10);
	/* Ctrl-D at the prompt, not while the step's terminal is cooked */
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	pty_type(&p, "\x04");
	assert_int_equal(pty_finish(&p, 20), 0);
	text = read_text_file(journal);
	assert_has(text, "print('mark')\n#-> not run: host died while idle: "
	    "SIGKILL (Killed)\n");
	assert_lacks(text, "#-> host died: ");
	free(text);
}

/* Steps typed after a crash did not run: the journal says so, and
 * --replay stops before the step that crashed, not before the last one. */
static void
test_steps_after_a_crash(void **state)
{
	char journal[256], *text;
	const char *args[] = { "--journal", journal, "-c",
	    "x = 1\n"
	    "import ctypes; ctypes.string_at(0)\n"
	    "print('after the crash')\n"
	    "%restart --replay\n"
	    "print('x is', x)\n", NULL };
	struct batch_result r;

	(void)state;
	snprintf(journal, sizeof journal, "%s/after.sr", dir);
	batch_run(args, NULL, 0, 60, &r);
	assert_has(r.out, "the next step was: import ctypes; ctypes.string_at(0)");
	assert_has(r.out, "x is 1\n");
	assert_lacks(r.out, "after the crash");
	batch_free(&r);
	text = read_text_file(journal);
	assert_has(text, "print('after the crash')\n#-> not run: no host\n");
	free(text);
}

/* How many times want occurs in text. */
static int
occurrences(const char *text, const char *want)
{
	int n = 0;

	for (; (text = strstr(text, want)) != NULL; text += strlen(want))
		n++;
	return n;
}

/* A crash shows the Python stack that crashed once: faulthandler's report
 * has it, except on 3.11 for a step in a sub-interpreter, whose stack the
 * host adds. It was printed twice for a step in main, and a thread's crash
 * came under the step's stack, headed "the step that crashed". */
static void
test_crash_stack_printed_once(void **state)
{
	static const char head[] = "Python traceback of the step that crashed:";
	static const char frame[] = "in string_at";
	struct batch_result r;

	(void)state;
	run_c("import ctypes; ctypes.string_at(0)\n", &r);
	assert_has(r.err, "host died: SIGSEGV");
	assert_lacks(r.err, head);
	assert_int_equal(occurrences(r.err, frame), 1);
	batch_free(&r);

	run_c("import threading, ctypes, time\n"
	    "t = threading.Thread(target=ctypes.string_at, args=(0,)); "
	    "t.start(); time.sleep(30)\n", &r);
	assert_has(r.err, "host died: SIGSEGV");
	assert_lacks(r.err, head);
	assert_int_equal(occurrences(r.err, frame), 1);
	batch_free(&r);

	/* in a sub-interpreter: on 3.11 the host's dump of the step comes
	 * first, faulthandler's report shows none of it; from 3.12 on
	 * faulthandler's shows it */
	run_c("%new\nimport ctypes; ctypes.string_at(0)\n", &r);
	assert_has(r.err, "in interpreter 1 while running");
	if (python_312())
		assert_lacks(r.err, head);
	else
		assert_in_order(r.err, head, frame);
	assert_int_equal(occurrences(r.err, frame), 1);
	batch_free(&r);
}

/* A crash during '%import X --all' names the interpreter whose import was
 * running, not the current one: the module crashes only where a flag says
 * so (interpreter 2), while interpreter 1 is current. */
static void
test_import_all_names_the_crashing_interpreter(void **state)
{
	char journal[256], module[256], *text;
	const char *args[] = { "--journal", journal, "-c",
	    "%new\n"
	    "%new\n"
	    "import builtins; builtins.crash_here = True\n"
	    "%use 1\n"
	    "%import crashes_where_flagged --all\n", NULL };
	struct batch_result r;
	FILE *f;

	(void)state;
	snprintf(journal, sizeof journal, "%s/import-all.sr", dir);
	snprintf(module, sizeof module, "%s/crashes_where_flagged.py", dir);
	f = fopen(module, "w");
	assert_non_null(f);
	fputs("import builtins\n"
	    "if getattr(builtins, 'crash_here', False):\n"
	    "    import ctypes; ctypes.string_at(0)\n", f);
	assert_int_equal(fclose(f), 0);
	setenv("PYTHONPATH", dir, 1);
	batch_run(args, NULL, 0, 60, &r);
	unsetenv("PYTHONPATH");
	assert_has(r.err, "in interpreter 2 while running: "
	    "%import crashes_where_flagged");
	batch_free(&r);
	text = read_text_file(journal);
	assert_has(text, "%import crashes_where_flagged --all\n#-> host died: "
	    "SIGSEGV (Segmentation fault) in interpreter 2");
	free(text);
}

/* An ImportError longer than the report holds, in characters of two
 * bytes: the host cuts it before a character, so its reply stays UTF-8
 * and the refusal is reported (it was "cannot encode the reply"). */
static void
test_long_import_error_is_cut_at_a_character(void **state)
{
	const char *args[] = { "--no-journal", "-c", "%import long_refusal\n",
	    NULL };
	char module[256];
	struct batch_result r;
	FILE *f;

	(void)state;
	snprintf(module, sizeof module, "%s/long_refusal.py", dir);
	f = fopen(module, "w");
	assert_non_null(f);
	fputs("raise ImportError('x' + '\\u00e9' * 600)\n", f);
	assert_int_equal(fclose(f), 0);
	setenv("PYTHONPATH", dir, 1);
	batch_run(args, NULL, 0, 60, &r);
	unsetenv("PYTHONPATH");
	assert_has(r.out, "refused");
	assert_has(r.out, "ImportError: x\xc3\xa9\xc3\xa9");
	assert_lacks(r.err, "cannot encode");
	batch_free(&r);
}

/* ------------------------------------------------------------ item 6 */

/* Memory running out a little at a time, under a limit the host sets
 * itself (its current size and 200 MiB): a MemoryError, then the session
 * goes on, in main and in a sub-interpreter. */
static void
test_out_of_memory_gradually(void **state)
{
	struct batch_result r;

	(void)state;
	run_c("import resource\n"
	    "vm = [int(l.split()[1]) for l in open('/proc/self/status') "
	    "if l.startswith('VmSize')][0] * 1024\n"
	    "resource.setrlimit(resource.RLIMIT_AS, (vm + 200 * 2**20, "
	    "resource.RLIM_INFINITY))\n"
	    "x = []\n"
	    "n = 10\n"
	    "while True: x.append(' ' * n)\n"
	    "del x\n"
	    "print('main goes on')\n"
	    "%new a\n"
	    "x = []\n"
	    "n = 10\n"
	    "while True: x.append(' ' * n)\n"
	    "del x\n"
	    "print('a goes on')\n", &r);
	assert_lacks(r.err, "host died");
	assert_in_order(r.err, "MemoryError", "MemoryError");
	assert_in_order(r.out, "main goes on\n", "a goes on\n");
	assert_int_equal(r.status, 1);
	batch_free(&r);
}

/* ------------------------------------------------------------ item 7 */

/* %reinit says which thread it would wait for, instead of waiting. */
static void
test_reinit_refuses_while_threads_run(void **state)
{
	struct batch_result r;

	(void)state;
	run_c("import threading\n"
	    "ev = threading.Event()\n"
	    "t = threading.Thread(target=ev.wait); t.start()\n"
	    "%reinit\n"
	    "ev.set(); t.join()\n"
	    "%new a\n"
	    "import threading\n"
	    "ev = threading.Event()\n"
	    "t = threading.Thread(target=ev.wait); t.start()\n"
	    "%reinit\n"
	    "ev.set(); t.join()\n"
	    "%reinit\n"
	    "print('reinit done')\n", &r);
	assert_in_order(r.err, "%reinit: a non-daemon thread is running in "
	    "interpreter 0 (main): join it first", "%reinit: interpreter 1 "
	    "still runs 1 other thread: stop it first");
	assert_has(r.out, "runtime finalized");
	assert_has(r.out, "reinit done\n");
	assert_int_equal(r.status, 1);
	batch_free(&r);
}

/* ------------------------------------------------------------ item 8 */

/* Ctrl-C cuts a sleep in main short, as python3 does; in a
 * sub-interpreter the hint says why it cannot. */
static void
test_ctrl_c_and_blocking_calls(void **state)
{
	struct pty_session p;
	size_t at, hint;

	(void)state;
	start(&p, &at, NULL);
	pty_type(&p, "import time; time.sleep(60)\r");
	pty_expect(&p, &at, "time.sleep(60)\n", 10);
	nap(500);
	pty_type(&p, "\x03");
	pty_expect(&p, &at, "KeyboardInterrupt", 10);
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	/* input() too */
	pty_type(&p, "input('say: ')\r");
	pty_expect(&p, &at, "say: ", 10);
	nap(500); /* as a person would: the read has begun */
	pty_type(&p, "\x03");
	pty_expect(&p, &at, "KeyboardInterrupt", 10);
	pty_expect(&p, &at, "[0 main]>>> ", 10);

	pty_type(&p, "%new a\r");
	pty_expect(&p, &at, "[1 a legacy]>>> ", 20);
	pty_type(&p, "import time; time.sleep(6)\r");
	pty_expect(&p, &at, "time.sleep(6)\n", 10);
	nap(500);
	pty_type(&p, "\x03");
	pty_expect(&p, &at, "the step does not stop", 10);
	hint = at;
	pty_expect(&p, &at, "in a sub-interpreter", 5);
	pty_expect(&p, &at, "main interpreter's main thread", 5);
	pty_expect(&p, &at, "KeyboardInterrupt", 20);
	pty_expect(&p, &at, "[1 a legacy]>>> ", 10);
	assert_null(strstr(p.seen + hint, "C code that never checks"));
	pty_type(&p, "\x04");
	assert_int_equal(pty_finish(&p, 20), 0);
}

/* Python's own SIGINT handlers, as python3 runs them: asyncio.run's is
 * called once for one Ctrl-C (the terminal's SIGINT reaches it, and the
 * watcher does not call it again in the middle of asyncio's cleanup); a
 * Ctrl-C at the prompt after it is the prompt's, not the next step's; a
 * handler set in an earlier step is called once, and the step goes on;
 * after SIG_IGN a Ctrl-C does nothing, and the warning says why. */
static void
test_python_sigint_handlers(void **state)
{
	struct pty_session p;
	size_t at, from;
	const char *s;
	int chained = 0;

	(void)state;
	start(&p, &at, NULL);
	pty_type(&p, "import asyncio, signal, time\r");
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	pty_type(&p, "asyncio.run(asyncio.sleep(30))\r");
	pty_expect(&p, &at, "asyncio.sleep(30))\n", 10);
	from = at;
	nap(500);
	pty_type(&p, "\x03");
	pty_expect(&p, &at, "raise KeyboardInterrupt()", 10);
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	/* python3's one chain: CancelledError, then KeyboardInterrupt */
	for (s = p.seen + from; (s = strstr(s, "During handling")) != NULL; s++)
		chained++;
	assert_int_equal(chained, 1);

	pty_type(&p, "abc");
	pty_expect(&p, &at, "abc", 10);
	pty_type(&p, "\x03");
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	pty_type(&p, "print('next ' + 'step')\r");
	pty_expect(&p, &at, "next step\n", 10);
	from = at;
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	assert_null(strstr(p.seen + from, "KeyboardInterrupt"));

	pty_type(&p, "calls = []; h = signal.signal(signal.SIGINT, "
	    "lambda n, f: calls.append(n))\r");
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	pty_type(&p, "time.sleep(1.5); print('calls', len(calls))\r");
	pty_expect(&p, &at, "len(calls))\n", 10);
	nap(500);
	pty_type(&p, "\x03");
	pty_expect(&p, &at, "calls 1\n", 10);
	pty_expect(&p, &at, "[0 main]>>> ", 10);

	/* SIG_IGN: a Ctrl-C does nothing, and CPython reports no SIGINT it
	 * had no handler for */
	pty_type(&p, "h = signal.signal(signal.SIGINT, signal.SIG_IGN)\r");
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	pty_type(&p, "time.sleep(4); print('slept')\r");
	pty_expect(&p, &at, "print('slept')\n", 10);
	from = at;
	nap(500);
	pty_type(&p, "\x03");
	pty_expect(&p, &at, "Python ignores SIGINT in the main interpreter", 10);
	pty_expect(&p, &at, "slept\n", 10);
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	assert_null(strstr(p.seen + from, "KeyboardInterrupt"));
	assert_null(strstr(p.seen + from, "ignored due to race"));
	pty_type(&p, "\x04");
	assert_int_equal(pty_finish(&p, 20), 0);
}

/* Ctrl-C in a %replay stops the file, not only the step it came in: a
 * step after it does not run, nor does a long block still being read. */
static void
test_ctrl_c_stops_a_replay(void **state)
{
	char steps[256], block[256], line[300];
	struct pty_session p;
	size_t at, from;
	FILE *f;
	int i;

	(void)state;
	snprintf(steps, sizeof steps, "%s/steps.py", dir);
	f = fopen(steps, "w");
	assert_non_null(f);
	fputs("import time\nprint('before')\ntime.sleep(30)\n"
	    "print('not' + ' reached')\n", f);
	assert_int_equal(fclose(f), 0);
	snprintf(block, sizeof block, "%s/block.py", dir);
	f = fopen(block, "w");
	assert_non_null(f);
	fputs("if True:\n", f);
	for (i = 0; i < 20000; i++)
		fprintf(f, "    x = %d\n", i);
	fputs("    print('block' + ' ran')\n", f);
	assert_int_equal(fclose(f), 0);

	start(&p, &at, NULL);
	snprintf(line, sizeof line, "%%replay %s\r", steps);
	pty_type(&p, line);
	pty_expect(&p, &at, "before\n", 10);
	from = at;
	nap(500);
	pty_type(&p, "\x03");
	pty_expect(&p, &at, "KeyboardInterrupt", 10);
	pty_expect(&p, &at, "steps.py:3: the replay stops here: Ctrl-C", 10);
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	assert_null(strstr(p.seen + from, "not reached"));

	snprintf(line, sizeof line, "%%replay %s\r", block);
	pty_type(&p, line);
	pty_expect(&p, &at, "block.py\n", 10);
	from = at;
	nap(300);
	pty_type(&p, "\x03");
	pty_expect(&p, &at, "the replay stops here: Ctrl-C", 10);
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	pty_type(&p, "print(x if 'x' in dir() else 'no x')\r");
	pty_expect(&p, &at, "no x\n", 10);
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	assert_null(strstr(p.seen + from, "block ran"));
	pty_type(&p, "\x04");
	assert_int_equal(pty_finish(&p, 20), 0);
}

/* ------------------------------------------------------------ item 9 */

/* A thread's output shows at the prompt, without Enter, and the line
 * being typed is drawn again under it. */
static void
test_thread_output_at_the_prompt(void **state)
{
	struct pty_session p;
	size_t at;

	(void)state;
	start(&p, &at, NULL);
	pty_type(&p, "import sys, threading, time\r");
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	/* a line in one write (print() writes its pieces one by one) */
	pty_type(&p, "def tick():\r"
	    "    for i in range(80):\r"
	    "        sys.stdout.write('tick %d\\n' % i)\r"
	    "        time.sleep(0.25)\r"
	    "\r");
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	pty_type(&p, "threading.Thread(target=tick, daemon=True).start()\r");
	pty_expect(&p, &at, "[0 main]>>> ", 10);
	pty_type(&p, "print(20 +");
	pty_expect(&p, &at, "print(20 +", 10);
	pty_expect(&p, &at, "tick 6\n", 15);
	/* the half-typed line is back after the thread's output */
	pty_expect(&p, &at, "[0 main]>>> print(20 +", 10);
	pty_type(&p, " 22)\r");
	pty_expect(&p, &at, "42\n", 10);
	pty_expect(&p, &at, "[0 main]>>> ", 10);
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
	/* the last test needs _testsinglephase (3.12+); a skip would count
	 * as a failure, so it is registered only there */
	struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timeout_while_printing),
		cmocka_unit_test(test_ctrl_c_escalates_while_printing),
		cmocka_unit_test(test_os_close_small_descriptors),
		cmocka_unit_test(test_children_inherit_no_descriptor),
		cmocka_unit_test(test_fork_keeps_the_session_in_step),
		cmocka_unit_test(test_crash_at_the_end_of_the_session),
		cmocka_unit_test(test_crash_during_restart),
		cmocka_unit_test(test_killed_while_idle),
		cmocka_unit_test(test_steps_after_a_crash),
		cmocka_unit_test(test_crash_stack_printed_once),
		cmocka_unit_test(test_import_all_names_the_crashing_interpreter),
		cmocka_unit_test(test_long_import_error_is_cut_at_a_character),
		cmocka_unit_test(test_out_of_memory_gradually),
		cmocka_unit_test(test_reinit_refuses_while_threads_run),
		cmocka_unit_test(test_ctrl_c_and_blocking_calls),
		cmocka_unit_test(test_python_sigint_handlers),
		cmocka_unit_test(test_ctrl_c_stops_a_replay),
		cmocka_unit_test(test_thread_output_at_the_prompt),
		cmocka_unit_test(test_testsinglephase_crash_at_the_end),
	};
	size_t n = sizeof tests / sizeof tests[0];

	if (!python_312())
		n--;
	/* FAULT_TESTS=PATTERN runs only the tests whose names match */
	if (filter != NULL && filter[0] != '\0')
		cmocka_set_test_filter(filter);
	return _cmocka_run_group_tests("faults", tests, n, setup, teardown);
}
