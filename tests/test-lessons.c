/*
 * test-lessons.c: the tour and the bug gallery. The file format is parsed
 * here directly (lesson-file.c); everything else drives the built subrepl
 * as a user does: the installed lessons and bugs against the Python under
 * test, and files of the test's own (SUBREPL_DATA_DIR) whose verdicts do
 * not depend on the version: a reproduction that segfaults, one that
 * hangs, one that lacks its module, a check that cannot hold.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lesson-file.h"
#include "runner.h"

static char scratch[] = "/tmp/subrepl-lessons-XXXXXX";

static void
write_file(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", scratch, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int
parse(const char *text, struct lesson_file *f, char **cause)
{
	*cause = NULL;
	return lesson_file_parse("t.tour", text, strlen(text), f, cause);
}

static void
test_format(void **state)
{
	struct lesson_file f;
	char *cause;

	(void)state;
	assert_int_equal(parse("# comment\nTitle: T\nClaim: c1\nClaim: c2\n\n"
	    "| said\n|\n%new a\nimport x\n---\n?same main, a: x.y\n! differs\n"
	    "?differ main,a,b: x\n?true: 1\n?raises a: 1/0\n    indented\n\n",
	    &f, &cause), 0);
	assert_string_equal(lesson_field(&f, "title"), "T");
	assert_string_equal(lesson_field(&f, "Claim"), "c1");
	assert_int_equal(f.nitems, 12);
	assert_int_equal(f.items[0].kind, ITEM_NARRATION);
	assert_string_equal(f.items[0].text, "said");
	assert_string_equal(f.items[1].text, "");
	assert_int_equal(f.items[2].kind, ITEM_INPUT);
	assert_string_equal(f.items[2].text, "%new a");
	assert_int_equal(f.items[4].kind, ITEM_PAUSE);
	assert_int_equal(f.items[5].kind, ITEM_CHECK);
	assert_int_equal(f.items[5].check, CHECK_SAME);
	assert_int_equal(f.items[5].ninterps, 2);
	assert_string_equal(f.items[5].interps[1], "a");
	assert_string_equal(f.items[5].text, "x.y");
	assert_int_equal(f.items[6].kind, ITEM_OTHERWISE);
	assert_int_equal(f.items[7].ninterps, 3);
	assert_int_equal(f.items[8].check, CHECK_TRUE);
	assert_int_equal(f.items[8].ninterps, 0);
	assert_int_equal(f.items[9].check, CHECK_RAISES);
	assert_string_equal(f.items[10].text, "    indented");
	assert_int_equal(f.items[11].kind, ITEM_INPUT);
	assert_string_equal(f.items[11].text, "");
	assert_string_equal(f.name, "t");
	lesson_file_free(&f);
}

/* Each mistake is one message naming the file and line. */
static void
test_format_errors(void **state)
{
	static const struct {
		const char *text;
		const char *says;
	} bad[] = {
		{ "Claim: c\n\nx\n", "no 'Title:'" },
		{ "Title: t\nnot a header\n", "t.tour:2: the header" },
		{ "Title: t\n\n?maybe main: x\n", "t.tour:3: unknown check '?maybe'" },
		{ "Title: t\n\n?same main: x\n", "compares two interpreters" },
		{ "Title: t\n\n?true main,a: x\n", "looks in one interpreter" },
		{ "Title: t\n\n?true main x\n", "needs ': EXPR'" },
		{ "Title: t\n\n?true main:   \n", "nothing after ':'" },
		{ "Title: t\n\n! alone\n", "t.tour:3: '!' says what a check or a "
		    "line found" },
		{ "Title: t\n\n| said\n! after narration\n", "t.tour:4: '!'" },
		/* found by fuzz-lesson: the check's name was read past its line */
		{ "Title: t\n\n?g\n! x\n", "unknown check '?g' (know" },
	};
	struct lesson_file f;
	char *cause;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(parse(bad[i].text, &f, &cause), -1);
		if (strstr(cause, bad[i].says) == NULL)
			fail_msg("'%s' gave '%s'", bad[i].text, cause);
		assert_null(strchr(cause, '\n'));
		free(cause);
		lesson_file_free(&f);
	}
	assert_int_equal(lesson_file_parse("t.tour", "Title: t\n\0x", 11, &f,
	    &cause), -1);
	assert_non_null(strstr(cause, "NUL"));
	free(cause);
	lesson_file_free(&f);
	/* a line is read within its length, wherever the bytes after it
	 * are: "---" before "-" that are not the file's is a pause */
	assert_int_equal(lesson_file_parse("t.tour", "Title: t\n\n------", 13, &f,
	    &cause), 0);
	assert_int_equal(f.nitems, 1);
	assert_int_equal(f.items[0].kind, ITEM_PAUSE);
	lesson_file_free(&f);
}

static void
run_c(const char *text, struct batch_result *r, int timeout)
{
	const char *args[] = { "--no-journal", "-c", text, NULL };

	batch_run(args, NULL, 0, timeout, r);
}

/* The installed tour, on this Python: every lesson to its end, and every
 * check that does not hold explained by its lesson. */
static void
test_whole_tour(void **state)
{
	struct batch_result r;
	const char *args[] = { "--no-journal", "--tour", NULL };

	(void)state;
	unsetenv("SUBREPL_DATA_DIR");
	batch_run(args, NULL, 0, 300, &r);
	/* a crash is a version difference too, when the lesson knows it */
	if (strstr(r.out, "\ntour: ") == NULL ||
	    strstr(r.out, " no word from the lesson") != NULL) {
		fprintf(stderr, "%s\n%s\n", r.out, r.err);
		fail_msg("the tour did not end well (above)");
	}
	assert_non_null(strstr(r.out, "== Lesson 1/"));
	{
		int run = 0, of = -1;

		sscanf(strstr(r.out, "\ntour: "), "\ntour: %d of %d", &run, &of);
		assert_true(of >= 8);
		assert_int_equal(run, of);
	}
	batch_free(&r);
}

/* A lesson of one's own: its checks really ask CPython (one of them
 * cannot hold), and what it created is gone when it ends. */
static void
test_own_lesson(void **state)
{
	struct batch_result r;
	char text[1024];

	(void)state;
	write_file("mine.tour", "Title: Mine\nClaim: builtins differ\n\n"
	    "| Two interpreters.\n%new a\n%new b\n"
	    "?differ main,a: len\n"
	    "?same a,b: len\n"
	    "?true b: __import__('sys').modules is not None\n"
	    "?raises a: undefined_name\n"
	    "?true: 2 + 2 == 5\n! arithmetic still holds\n"
	    "?true nobody: 1\n");
	snprintf(text, sizeof text, "%%tour %s/mine.tour\n%%list\nprint('after')",
	    scratch);
	run_c(text, &r, 60);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "[0 main]>>> %new a\n"));
	assert_non_null(strstr(r.out, "Two interpreters."));
	assert_non_null(strstr(r.out, "check: len is a different object in main, "
	    "a\n  yes"));
	assert_non_null(strstr(r.out, "check: len is one object in a, b\n  NO"));
	assert_non_null(strstr(r.out, "is True in [2 b legacy]\n  yes"));
	assert_non_null(strstr(r.out, "undefined_name raises in [1 a legacy]\n"
	    "  yes: it raised"));
	assert_non_null(strstr(r.out, "2 + 2 == 5 is True in [2 b legacy]\n"
	    "  NO: it is False (bool)\n  ! arithmetic still holds\n"));
	assert_non_null(strstr(r.out, "cannot tell: no interpreter named "
	    "'nobody'"));
	assert_non_null(strstr(r.out, "-- mine: 3 of 6 checks held;"));
	/* cleaned up, newest first, back to main */
	assert_non_null(strstr(r.out, "%use 0\n"));
	assert_true(strstr(r.out, "%del 2\n") < strstr(r.out, "%del 1\n"));
	assert_non_null(strstr(r.out, "tour: 1 of 1 lessons, 6 checks: 3 held, 3 "
	    "show how Python"));
	assert_non_null(strstr(r.out, "(2 with no word from the lesson)"));
	assert_null(strstr(r.out, "legacy]  "));
	assert_non_null(strstr(r.out, "after\n"));
	batch_free(&r);
}

static void
test_tour_errors(void **state)
{
	struct batch_result r;
	char text[512];

	(void)state;
	write_file("broken.tour", "Title: b\n\n?perhaps main: 1\n");
	snprintf(text, sizeof text, "%%tour nosuchlesson\n%%tour %s/broken.tour\n"
	    "%%tour %s/absent.tour\nprint('still')", scratch, scratch);
	run_c(text, &r, 60);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "-c:1: %tour: no lesson 'nosuchlesson'"));
	assert_non_null(strstr(r.err, "broken.tour:3: unknown check '?perhaps'"));
	assert_non_null(strstr(r.err, "absent.tour': No such file"));
	assert_int_equal(count_lines(r.err), 3);
	assert_string_equal(r.out, "still\n");
	batch_free(&r);
}

/* A tour started at a lesson numbers it as the whole tour does: the
 * lessons from there to the last. */
static void
test_tour_from_a_lesson(void **state)
{
	struct batch_result r;
	const char *head;
	int at = 0, of = -1, given = 0, total = -1;

	(void)state;
	unsetenv("SUBREPL_DATA_DIR");
	run_c("%tour --list\n%tour isolated", &r, 120);
	assert_non_null(strstr(r.out, "single-phase     Single-phase modules"));
	head = strstr(r.out, "== Lesson ");
	assert_non_null(head);
	assert_int_equal(sscanf(head, "== Lesson %d/%d", &at, &of), 2);
	assert_true(of >= 8);
	assert_non_null(strstr(r.out, "\ntour: "));
	assert_int_equal(sscanf(strstr(r.out, "\ntour: "), "\ntour: %d of %d",
	    &given, &total), 2);
	assert_int_equal(given, total);
	assert_true(given >= 1);
	assert_int_equal(at + given - 1, of);
	batch_free(&r);
}

/* A line that kills the host ends its lesson; a '!' under it is said
 * then (a crash the lesson knows of), and without one the summary counts
 * it as a difference the lesson has no word for. The next lesson gets a
 * fresh host. */
static void
test_lesson_crash(void **state)
{
	struct batch_result r;
	char text[1024];

	(void)state;
	write_file("crash1.tour", "Title: Foreseen\n\n?true: 1 == 1\n"
	    "import demo_crash\ndemo_crash.segfault()\n! it does that here\n"
	    "print('never')\n");
	write_file("crash2.tour", "Title: Unforeseen\n\nimport demo_crash\n"
	    "demo_crash.segfault()\nprint('never')\n");
	snprintf(text, sizeof text, "%%tour %s/crash1.tour\nprint('between')\n"
	    "%%tour %s/crash2.tour\nprint('after')", scratch, scratch);
	run_c(text, &r, 60);
	assert_non_null(strstr(r.out, "  ! it does that here\n"));
	assert_non_null(strstr(r.out, "-- crash1: host died: SIGSEGV"));
	assert_non_null(strstr(r.out, "at 'demo_crash.segfault()': a crash the "
	    "lesson knows of (above); 1 of 1 checks held before --"));
	assert_non_null(strstr(r.out, "tour: 1 of 1 lessons, 1 checks: 1 held; "
	    "the host crashed in 1\n"));
	assert_non_null(strstr(r.out, "-- crash2: host died: SIGSEGV"));
	assert_non_null(strstr(r.out, "where the lesson expected it to go on"));
	assert_non_null(strstr(r.out, "(1 with no word from the lesson); the "
	    "host crashed in 1\n"));
	assert_null(strstr(r.out, "never"));
	assert_non_null(strstr(r.out, "between\n"));
	assert_non_null(strstr(r.out, "after\n"));
	batch_free(&r);
}

/* The pauses of the line REPL: b gives the lesson again, q leaves the
 * tour, and the session is there after it. */
static void
test_tour_pauses(void **state)
{
	struct pty_session p;
	char path[512], arg[600];
	const char *args[] = { "--no-journal", arg, NULL };
	size_t at = 0;

	(void)state;
	write_file("paused.tour", "Title: Paused\n\n| scene one\nx = 1\n---\n"
	    "| scene two\n---\n| scene three\n");
	snprintf(path, sizeof path, "%s/paused.tour", scratch);
	snprintf(arg, sizeof arg, "--tour=%s", path);
	pty_start(&p, args);
	pty_expect(&p, &at, "scene one", 20);
	pty_expect(&p, &at, "-- Enter: next", 20);
	pty_type(&p, " ");
	pty_expect(&p, &at, "scene two", 20);
	pty_expect(&p, &at, "-- Enter: next", 20);
	pty_type(&p, "b");
	pty_expect(&p, &at, "paused again", 20);
	pty_expect(&p, &at, "scene one", 20);
	pty_type(&p, "\r");
	pty_expect(&p, &at, "scene two", 20);
	pty_type(&p, "q");
	pty_expect(&p, &at, "left early", 20);
	pty_expect(&p, &at, "[0 main]>>> ", 20);
	pty_type(&p, "print(6 * 7)\r");
	pty_expect(&p, &at, "42", 20);
	pty_type(&p, "%quit\r");
	assert_int_equal(pty_finish(&p, 20), 0);
}

static void gallery_file(const char *name, const char *text);

/* Ctrl-C during a lesson's step stops the tour, not only the step; during
 * a reproduction it reaches the throwaway host (twice: its step ignores
 * signals, so the second kills it), and the run ends without a verdict.
 * The session goes on after both. */
static void
test_ctrl_c_in_lessons_and_bugs(void **state)
{
	struct pty_session p;
	char data[600], tour[600];
	const char *args[] = { "--no-journal", NULL };
	size_t at = 0;

	(void)state;
	write_file("sleepy.tour", "Title: Sleepy\n\nimport time\n"
	    "time.sleep(60)\n| never said\n");
	gallery_file("gh-11.bug", "Title: deaf\nAffected-if: crash\n\n"
	    "import demo_crash\ndemo_crash.hang()\n");
	snprintf(data, sizeof data, "%s", scratch);
	setenv("SUBREPL_DATA_DIR", data, 1);
	pty_start(&p, args);
	unsetenv("SUBREPL_DATA_DIR");
	pty_expect(&p, &at, "[0 main]>>> ", 20);
	snprintf(tour, sizeof tour, "%%tour %s/sleepy.tour\r", scratch);
	pty_type(&p, tour);
	pty_expect(&p, &at, "time.sleep(60)", 20);
	usleep(300000);
	pty_type(&p, "\x03");
	pty_expect(&p, &at, "KeyboardInterrupt", 20);
	pty_expect(&p, &at, "; stopped by Ctrl-C", 20);
	pty_expect(&p, &at, "[0 main]>>> ", 20);
	assert_null(strstr(p.seen, "never said"));
	pty_type(&p, "%bugs run gh-11\r");
	pty_expect(&p, &at, "demo_crash.hang()", 20);
	usleep(300000);
	pty_type(&p, "\x03");
	pty_expect(&p, &at, "Ctrl-C again kills the host", 20);
	pty_type(&p, "\x03");
	pty_expect(&p, &at, "gh-11: interrupted (Ctrl-C) before its end: no "
	    "verdict", 20);
	pty_expect(&p, &at, "[0 main]>>> ", 20);
	pty_type(&p, "print(6 * 7)\r");
	pty_expect(&p, &at, "42", 20);
	pty_type(&p, "%quit\r");
	assert_int_equal(pty_finish(&p, 20), 0);
}

static void
gallery_file(const char *name, const char *text)
{
	char rel[128];

	snprintf(rel, sizeof rel, "bugs/%s", name);
	write_file(rel, text);
}

/* Verdicts from what ran, whatever the version: a crash, a hang, a
 * module this Python lacks, a check that cannot hold, a clean run. */
static void
test_bug_verdicts(void **state)
{
	struct batch_result r;

	(void)state;
	gallery_file("gh-1.bug", "Title: segfaults\nAffected-if: crash\n\n"
	    "%new a\nimport demo_crash\ndemo_crash.segfault()\nprint('never')\n");
	gallery_file("gh-2.bug", "Title: runs clean\nAffected-if: crash\n\n"
	    "%new a\n%import demo_single\n%del a\n");
	gallery_file("gh-3.bug", "Title: needs a module\nAffected-if: crash\n\n"
	    "%import no_such_module_here\nprint('never')\n");
	gallery_file("gh-4.bug", "Title: hangs\nAffected-if: crash\n\n"
	    "import demo_crash\ndemo_crash.hang()\n");
	gallery_file("gh-5.bug", "Title: check fails\nAffected-if: check\n\n"
	    "%new a\n?same main,a: len\n?true a: 1 == 1\n");
	gallery_file("gh-50.bug", "Title: check holds\nAffected-if: check\n\n"
	    "?true: 1 == 1\n");
	gallery_file("gh-6.bug", "Title: bad kind\nAffected-if: maybe\n\nx\n");
	setenv("SUBREPL_DATA_DIR", scratch, 1);
	run_c("%bugs\n%bugs run gh-1\n%bugs run 2\n%bugs run gh-3\n"
	    "%bugs run gh-4 --timeout 1\n%bugs run gh-5\n%bugs run gh-50\n"
	    "%bugs run gh-6\n%bugs run gh-\n%bugs run gh-9\nprint('session on')",
	    &r, 120);
	unsetenv("SUBREPL_DATA_DIR");
	assert_non_null(strstr(r.out, "gh-1        crash  segfaults\n"));
	assert_non_null(strstr(r.out, "[1 a legacy]>>> demo_crash.segfault()\n"));
	assert_non_null(strstr(r.out, "gh-1: AFFECTED on this Python ("));
	assert_non_null(strstr(r.out, "SIGSEGV"));
	assert_null(strstr(r.out, "never"));
	assert_non_null(strstr(r.out, "gh-2: not affected on this Python ("));
	assert_non_null(strstr(r.out, "gh-3: cannot tell on this Python ("));
	assert_non_null(strstr(r.out, "'%import no_such_module_here' failed"));
	assert_non_null(strstr(r.out, "gh-4: AFFECTED on this Python ("));
	assert_non_null(strstr(r.out, "gh-5: AFFECTED on this Python ("));
	assert_non_null(strstr(r.out, "1 of 2 checks did not hold"));
	assert_non_null(strstr(r.out, "gh-50: not affected on this Python ("));
	assert_non_null(strstr(r.err, "-c:8: %bugs: "));
	assert_non_null(strstr(r.err, "'Affected-if:' is crash or check, not "
	    "'maybe'"));
	assert_non_null(strstr(r.err, "-c:9: %bugs: 'gh-' names several bugs"));
	assert_non_null(strstr(r.err, "-c:10: %bugs: no bug 'gh-9'"));
	assert_non_null(strstr(r.out, "session on\n"));
	assert_int_equal(r.status, 1);
	batch_free(&r);
}

/* The export is what ran, up to the step that killed the host. */
static void
test_bug_export(void **state)
{
	struct batch_result r;
	char text[1200], path[512], *py;

	(void)state;
	gallery_file("gh-7.bug", "Title: exported\nAffected-if: crash\n\n"
	    "%new a\nimport demo_crash\ndemo_crash.segfault()\nprint('after')\n");
	snprintf(path, sizeof path, "%s/gh-7.py", scratch);
	snprintf(text, sizeof text, "%%bugs export gh-7 %s\n%%bugs export gh-7 "
	    "x.txt", path);
	setenv("SUBREPL_DATA_DIR", scratch, 1);
	run_c(text, &r, 60);
	unsetenv("SUBREPL_DATA_DIR");
	assert_non_null(strstr(r.out, "gh-7: AFFECTED"));
	assert_non_null(strstr(r.out, "wrote "));
	assert_non_null(strstr(r.err, "'x.txt': name the file .py"));
	py = read_text_file(path);
	assert_non_null(strstr(py, "gh-7 (subrepl's bug gallery"));
	assert_non_null(strstr(py, "demo_crash.segfault()"));
	assert_null(strstr(py, "after"));
	free(py);
	batch_free(&r);
}

/* The gallery as installed: at least ten bugs, and gh-116510 decided by
 * what this Python did: affected on 3.12.1, not on 3.13. */
static void
test_gallery(void **state)
{
	const char *v = getenv("PYTHON_VERSION");
	struct batch_result r;
	const char *p;
	int n = 0;

	(void)state;
	unsetenv("SUBREPL_DATA_DIR");
	run_c("%bugs\n%bugs run gh-116510\nprint('session on')", &r, 120);
	for (p = r.out; (p = strstr(p, "gh-")) != NULL && p < strstr(r.out,
	    "-- in a"); p++)
		n += p == r.out || p[-1] == '\n';
	assert_true(n >= 10);
	assert_non_null(strstr(r.out, "session on\n"));
	if (v != NULL && strcmp(v, "3.12.1") == 0)
		assert_non_null(strstr(r.out, "gh-116510: AFFECTED on this Python "
		    "(3.12.1): host died: SIGSEGV"));
	else if (v != NULL && strncmp(v, "3.13", 4) == 0)
		assert_non_null(strstr(r.out, "gh-116510: not affected on this "
		    "Python (3.13"));
	else
		assert_true(strstr(r.out, "gh-116510: AFFECTED") != NULL ||
		    strstr(r.out, "gh-116510: not affected") != NULL);
	batch_free(&r);
}

static int
setup(void **state)
{
	char bugs[600];

	(void)state;
	if (scratch_dir_make(scratch) != 0)
		return -1;
	snprintf(bugs, sizeof bugs, "%s/bugs", scratch);
	return mkdir(bugs, 0700);
}

static int
teardown(void **state)
{
	(void)state;
	return scratch_dir_remove(scratch);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_errors),
		cmocka_unit_test(test_own_lesson),
		cmocka_unit_test(test_tour_errors),
		cmocka_unit_test(test_tour_from_a_lesson),
		cmocka_unit_test(test_lesson_crash),
		cmocka_unit_test(test_tour_pauses),
		cmocka_unit_test(test_ctrl_c_in_lessons_and_bugs),
		cmocka_unit_test(test_bug_verdicts),
		cmocka_unit_test(test_bug_export),
		cmocka_unit_test(test_gallery),
		cmocka_unit_test(test_whole_tour),
	};

	return cmocka_run_group_tests_name("lessons", tests, setup, teardown);
}
