/*
 * test-screen.c: the screen harness itself (screen.c), driving /bin/sh and
 * printf: text, attributes and colours of cells, wide characters and line
 * drawing, resizing (SIGWINCH and the new size), cursor keys in both
 * cursor-key modes, answers to terminal queries, the alternate screen, the
 * environment, terminal modes left behind, exit statuses and timeouts.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "screen.h"

/* sh -c script in a rows x cols terminal. */
static struct screen *
sh(const char *script, int rows, int cols, const char *const *env)
{
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct screen *s = screen_spawn(argv, rows, cols, env);

	assert_non_null(s);
	return s;
}

/* Wait for text; on failure show the screen. */
static void
expect(struct screen *s, const char *text)
{
	if (!screen_wait_text(s, text, 10000)) {
		char *all = screen_text(s);

		fail_msg("waited 10 s for '%s'; the screen showed:\n%s", text, all);
	}
}

static void
assert_row(struct screen *s, int row, const char *text)
{
	char *line = screen_row(s, row);

	assert_string_equal(line, text);
	free(line);
}

static void
test_text_bold_color(void **state)
{
	struct screen *s = sh("printf '\\033[1mbold\\033[0m \\033[31mred\\033[0m "
	    "\\033[7mrev\\033[0m \\033[4mund\\033[0m \\033[44mbg\\033[0m\\n'; "
	    "sleep 1", 24, 80, NULL);
	struct screen_cell c;
	int row, col;

	(void)state;
	expect(s, "bold red rev und bg");
	assert_true(screen_find(s, "bold", &row, &col));
	assert_int_equal(row, 0);
	assert_int_equal(col, 0);
	assert_row(s, 0, "bold red rev und bg");
	screen_cell(s, 0, 0, &c);
	assert_string_equal(c.text, "b");
	assert_true(c.bold);
	assert_false(c.reverse);
	assert_true(c.fg_default);
	assert_true(c.bg_default);
	assert_true(screen_find(s, "red", &row, &col));
	assert_int_equal(col, 5);
	screen_cell(s, row, col, &c);
	assert_string_equal(c.text, "r");
	assert_false(c.bold);
	assert_false(c.fg_default);
	assert_true(c.bg_default);
	screen_cell(s, 0, 4, &c);         /* the blank between */
	assert_string_equal(c.text, " ");
	assert_true(c.fg_default);
	screen_cell(s, 0, 9, &c);
	assert_true(c.reverse);
	assert_true(c.fg_default);        /* reverse is an attribute, not a colour */
	screen_cell(s, 0, 13, &c);
	assert_true(c.underline);
	screen_cell(s, 0, 17, &c);
	assert_true(c.fg_default);
	assert_false(c.bg_default);
	screen_cell(s, 5, 5, &c);         /* never written */
	assert_string_equal(c.text, " ");
	assert_true(c.fg_default && c.bg_default && !c.bold);
	assert_true(screen_has_color(s));
	assert_row(s, 1, "");
	assert_int_equal(screen_finish(s, 10000), 0);
}

static void
test_plain_text_has_no_color(void **state)
{
	struct screen *s = sh("printf 'one\\ntwo\\n\\033[1mthree\\033[0m\\n'",
	    5, 20, NULL);
	char *all;

	(void)state;
	expect(s, "three");
	assert_false(screen_has_color(s));
	all = screen_text(s);
	assert_string_equal(all, "one\ntwo\nthree\n\n");
	free(all);
	assert_false(screen_find(s, "four", NULL, NULL));
	assert_int_equal(screen_finish(s, 10000), 0);
}

static void
test_wide_characters_and_line_drawing(void **state)
{
	/* \346\227\245\346\234\254 is "日本" in UTF-8; ESC ( 0 selects
	 * DEC line drawing, where l q k are corners and a line */
	struct screen *s = sh("printf '\\346\\227\\245\\346\\234\\254x "
	    "\\033(0lqk\\033(B\\n'", 24, 80, NULL);
	struct screen_cell c;
	int row, col;

	(void)state;
	expect(s, "x");
	assert_row(s, 0, "日本x ┌─┐");
	assert_true(screen_find(s, "x", &row, &col));
	assert_int_equal(col, 4);
	assert_true(screen_find(s, "本", &row, &col));
	assert_int_equal(col, 2);
	screen_cell(s, 0, 0, &c);
	assert_string_equal(c.text, "日");
	screen_cell(s, 0, 1, &c);
	assert_string_equal(c.text, "");
	assert_true(screen_find(s, "─", &row, &col));
	assert_int_equal(col, 7);
	assert_int_equal(screen_finish(s, 10000), 0);
}

static void
test_resize_sends_sigwinch(void **state)
{
	struct screen *s = sh("trap 'stty size; printf \"\\033[30;95Hcorner\"; "
	    "exit 3' WINCH; stty size; echo ready; while :; do sleep 0.05; done",
	    24, 80, NULL);
	char *all, *p;
	int lines, row, col;

	(void)state;
	expect(s, "ready");
	assert_row(s, 0, "24 80");
	screen_resize(s, 30, 100);
	expect(s, "30 100");
	/* the VTerm has the new size too: the bottom right corner */
	expect(s, "corner");
	assert_true(screen_find(s, "corner", &row, &col));
	assert_int_equal(row, 29);
	assert_int_equal(col, 94);
	all = screen_text(s);
	for (p = all, lines = 1; *p != '\0'; p++)
		lines += *p == '\n';
	free(all);
	assert_int_equal(lines, 30);
	assert_int_equal(screen_finish(s, 10000), 3);
}

static void
test_cursor_keys_follow_the_mode(void **state)
{
	/* each round reads 3 bytes raw and shows them in hex; the second
	 * round runs with application cursor keys (DECCKM) on */
	struct screen *s = sh("stty raw opost -echo; echo ready1; "
	    "dd bs=1 count=3 2>/dev/null | od -An -tx1; "
	    "printf '\\033[?1h'; echo ready2; "
	    "dd bs=1 count=6 2>/dev/null | od -An -tx1; "
	    "printf '\\033[?1l'; echo ready3; "
	    "dd bs=1 count=8 2>/dev/null | od -An -tx1; "
	    "stty sane", 24, 80, NULL);

	(void)state;
	expect(s, "ready1");
	screen_type(s, SCREEN_KEY_UP);
	expect(s, "1b 5b 41");
	expect(s, "ready2");
	screen_type(s, SCREEN_KEY_UP SCREEN_KEY_HOME);
	expect(s, "1b 4f 41 1b 4f 48");
	expect(s, "ready3");
	screen_type(s, "a" SCREEN_KEY_LEFT SCREEN_KEY_F10 SCREEN_KEY_CTRL_C);
	expect(s, "61 1b 5b 44 1b 5b 32 31");
	assert_int_equal(screen_finish(s, 10000), 0);
}

static void
test_queries_are_answered(void **state)
{
	/* ESC [ 6 n asks for the cursor position: the terminal answers
	 * ESC [ row ; col R on the program's input */
	struct screen *s = sh("stty raw -echo; printf 'ab\\033[6n'; "
	    "dd bs=1 count=6 2>/dev/null | od -An -c; stty sane",
	    24, 80, NULL);

	(void)state;
	expect(s, "033   [   1   ;   3   R");
	assert_int_equal(screen_finish(s, 10000), 0);
}

static void
test_alternate_screen(void **state)
{
	struct screen *s = sh("echo before; printf '\\033[?1049h\\033[H'; "
	    "echo inside; read x; printf '\\033[?1049l'; echo after",
	    24, 80, NULL);

	(void)state;
	expect(s, "inside");
	assert_false(screen_find(s, "before", NULL, NULL));
	screen_type(s, "\r");
	assert_true(screen_wait_gone(s, "inside", 10000));
	expect(s, "after");
	assert_row(s, 0, "before");
	assert_false(screen_wait_gone(s, "after", 200));
	assert_int_equal(screen_finish(s, 10000), 0);
}

static void
test_environment(void **state)
{
	const char *env[] = { "SCREEN_A=one", "SCREEN_B=", "HOME", NULL };
	const char *term[] = { "TERM=dumb", NULL };
	const char *script = "echo \"<$TERM|$SCREEN_A|${SCREEN_B-unset}|"
	    "${HOME-unset}>\"";
	struct screen *s = sh(script, 24, 80, env);

	(void)state;
	expect(s, "<xterm-256color|one||unset>");
	assert_int_equal(screen_finish(s, 10000), 0);
	s = sh(script, 24, 80, term);
	expect(s, "<dumb|");
	assert_int_equal(screen_finish(s, 10000), 0);
}

static void
test_terminal_modes(void **state)
{
	struct screen *s = sh("echo ready; read x; stty -icanon -echo; "
	    "echo changed; read x", 24, 80, NULL);

	(void)state;
	expect(s, "ready");
	assert_true(screen_tty_sane(s));
	screen_type(s, "typed\r");
	expect(s, "typed");                   /* echoed */
	expect(s, "changed");
	assert_false(screen_tty_sane(s));
	screen_type(s, "x\n");
	/* the modes stay as the program left them after it has exited */
	assert_true(screen_wait_exit(s, 10000));
	assert_false(screen_tty_sane(s));
	assert_int_equal(screen_finish(s, 10000), 0);

	s = sh("stty -echo; echo changed; stty echo; exit 4", 24, 80, NULL);
	assert_true(screen_wait_exit(s, 10000));
	assert_true(screen_find(s, "changed", NULL, NULL));
	assert_true(screen_tty_sane(s));
	assert_int_equal(screen_finish(s, 10000), 4);

	/* a program that has not exited yet */
	s = sh("echo waiting; sleep 30", 24, 80, NULL);
	expect(s, "waiting");
	assert_false(screen_wait_exit(s, 200));
	assert_int_equal(screen_finish(s, 200), -1);
}

static void
test_child_exit_statuses(void **state)
{
	const char *missing[] = { "/nonexistent/program", NULL };
	struct screen *s;

	(void)state;
	s = sh("exit 7", 24, 80, NULL);
	assert_int_equal(screen_finish(s, 10000), 7);
	s = sh("kill -TERM $$", 24, 80, NULL);
	assert_int_equal(screen_finish(s, 10000), 128 + 15);
	s = sh("echo waiting; sleep 30", 24, 80, NULL);
	expect(s, "waiting");
	assert_int_equal(screen_finish(s, 300), -1);
	s = screen_spawn(missing, 24, 80, NULL);
	assert_non_null(s);
	expect(s, "cannot run /nonexistent/program");
	assert_int_equal(screen_finish(s, 10000), 127);
}

static void
test_ctrl_c_and_settle(void **state)
{
	struct screen *s = sh("echo ready; sleep 30", 24, 80, NULL);
	size_t len;
	const char *raw;

	(void)state;
	expect(s, "ready");
	screen_settle(s, 200, 5000);
	raw = screen_raw(s, &len);
	assert_int_equal(len, screen_bytes(s));
	assert_int_equal(len, strlen("ready\r\n"));
	assert_string_equal(raw, "ready\r\n");
	screen_type(s, SCREEN_KEY_CTRL_C);
	assert_int_equal(screen_finish(s, 10000), 128 + 2);
}

static void
test_raw_keeps_escape_sequences(void **state)
{
	struct screen *s = sh("printf '\\033[1mbold\\033[0m\\n'", 24, 80, NULL);
	size_t len;
	const char *raw;

	(void)state;
	expect(s, "bold");
	screen_settle(s, 100, 2000);
	raw = screen_raw(s, &len);
	assert_non_null(strstr(raw, "\033[1mbold\033[0m"));
	assert_true(screen_bytes(s) >= strlen("\033[1mbold\033[0m"));
	assert_int_equal(screen_finish(s, 10000), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_bold_color),
		cmocka_unit_test(test_plain_text_has_no_color),
		cmocka_unit_test(test_wide_characters_and_line_drawing),
		cmocka_unit_test(test_resize_sends_sigwinch),
		cmocka_unit_test(test_cursor_keys_follow_the_mode),
		cmocka_unit_test(test_queries_are_answered),
		cmocka_unit_test(test_alternate_screen),
		cmocka_unit_test(test_environment),
		cmocka_unit_test(test_terminal_modes),
		cmocka_unit_test(test_child_exit_statuses),
		cmocka_unit_test(test_ctrl_c_and_settle),
		cmocka_unit_test(test_raw_keeps_escape_sequences),
	};

	return cmocka_run_group_tests_name("screen", tests, NULL, NULL);
}
