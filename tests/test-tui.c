/*
 * test-tui.c: the TUI end to end: the real subrepl with --tui in a
 * pseudo-terminal, keys typed, the screen read back through libvterm
 * (screen.h). What is asserted is what a user sees: the panes at 80x24
 * and after resizes (compared with a fresh start at the new size, so no
 * leftovers go unseen), the sharing map and detail of a shared
 * single-phase module with the last step's change highlighted, NO_COLOR,
 * ASCII glyphs in the C locale, the help overlay (every key of keys.h),
 * a key that changes nothing changing nothing, %tui and %line, Ctrl-C at
 * an idle TUI (both ways in), bad input and a host crash in the console,
 * a thread's output reaching the console between steps, and the 'n' and
 * 'd' overlays (isolated interpreters: created on 3.12+,
 * refused before; one of the two tests is registered).
 *
 * Every run has a UTF-8 locale (LC_ALL=C.UTF-8) so the map's glyphs are
 * known, except the one that checks the ASCII glyphs. The environment of
 * `make check` sets NO_COLOR=1, so cells carry attributes only: the focused
 * pane's title is reverse and bold, a change is standout (reverse in the
 * terminal) and bold. Layouts are checked by what they promise (side by
 * side, full width, more rows), not by their exact rows.
 *
 * A failed wait prints the whole screen. A few checks report at the end
 * of their test (check_later), so one wrong message does not hide what
 * the rest of the test would find. TUI_TESTS=PATTERN runs only the tests
 * whose names match.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "keys.h"
#include "runner.h"
#include "screen.h"

#define WAIT_MS 10000

/* More rows than the largest terminal the tests make. */
#define MAX_ROWS 64

/* The programs a test started, killed by the teardown if it failed
 * before screen_finish(). */
static struct screen *running[4];

/* subrepl with args in a rows x cols terminal, in a UTF-8 locale; env
 * (NULL or NULL-terminated) is added after LC_ALL, so it can override it. */
static struct screen *
start(const char *const *args, int rows, int cols, const char *const *env)
{
	const char *argv[16], *envv[16];
	struct screen *s;
	size_t i, n = 0, k;

	argv[n++] = getenv("SUBREPL");
	assert_non_null(argv[0]);
	for (i = 0; args[i] != NULL && n + 1 < 16; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	n = 0;
	envv[n++] = "LC_ALL=C.UTF-8";
	for (i = 0; env != NULL && env[i] != NULL && n + 1 < 16; i++)
		envv[n++] = env[i];
	envv[n] = NULL;
	s = screen_spawn(argv, rows, cols, envv);
	assert_non_null(s);
	for (k = 0; k < sizeof running / sizeof running[0]; k++) {
		if (running[k] == NULL) {
			running[k] = s;
			break;
		}
	}
	return s;
}

/* screen_finish() for a program start() started: its exit status. */
static int
finish(struct screen *s)
{
	size_t k;

	for (k = 0; k < sizeof running / sizeof running[0]; k++) {
		if (running[k] == s)
			running[k] = NULL;
	}
	return screen_finish(s, WAIT_MS);
}

static int
teardown(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < sizeof running / sizeof running[0]; k++) {
		if (running[k] != NULL)
			screen_finish(running[k], 0);
		running[k] = NULL;
	}
	return 0;
}

/* Text of many lines, one line at a time: cmocka cuts a message at
 * 1 KB. */
static void
print_lines(const char *text)
{
	char *all = strdup(text), *line, *nl;
	int row = 0;

	assert_non_null(all);
	for (line = all; line != NULL; line = nl, row++) {
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl++ = '\0';
		print_error("%2d|%s\n", row, line);
	}
	free(all);
}

/* Fail with a message and the whole screen. */
static void
fail_screen(struct screen *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
fail_screen(struct screen *s, const char *fmt, ...)
{
	char what[512], *all = screen_text(s);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	print_error("%s; the screen showed:\n", what);
	print_lines(all);
	free(all);
	fail();
}

/* Fail unless two screens' texts are the same, showing both. */
static void
assert_same_screen(const char *what, const char *want, const char *got)
{
	if (strcmp(want, got) == 0)
		return;
	print_error("%s; expected:\n", what);
	print_lines(want);
	print_error("but the screen showed:\n");
	print_lines(got);
	fail();
}

/* Read output until none came for a while: the screen is complete. */
static void
settle(struct screen *s)
{
	screen_settle(s, 150, 3000);
}

static void
expect(struct screen *s, const char *text)
{
	if (!screen_wait_text(s, text, WAIT_MS))
		fail_screen(s, "waited %d s for '%s'", WAIT_MS / 1000, text);
}

static void
expect_gone(struct screen *s, const char *text)
{
	if (!screen_wait_gone(s, text, WAIT_MS))
		fail_screen(s, "waited %d s for '%s' to go", WAIT_MS / 1000, text);
}

/* The first row holding both a and b (b may be NULL), or -1. */
static int
row_with(struct screen *s, const char *a, const char *b)
{
	int row;

	for (row = 0; row < MAX_ROWS; row++) {
		char *line = screen_row(s, row);
		bool found = strstr(line, a) != NULL &&
		    (b == NULL || strstr(line, b) != NULL);

		free(line);
		if (found)
			return row;
	}
	return -1;
}

/* Wait for a row holding both a and b; the row. */
static int
wait_row(struct screen *s, const char *a, const char *b)
{
	int i, row;

	for (i = 0; i < WAIT_MS / 100; i++) {
		row = row_with(s, a, b);
		if (row >= 0)
			return row;
		screen_settle(s, 100, 100);
	}
	fail_screen(s, "waited %d s for a row with '%s' and '%s'", WAIT_MS / 1000,
	    a, b != NULL ? b : "");
	return -1;
}

/* Wait for a row that is exactly text. */
static void
expect_line(struct screen *s, const char *text)
{
	int i, row;

	for (i = 0; i < WAIT_MS / 100; i++) {
		for (row = 0; row < MAX_ROWS; row++) {
			char *line = screen_row(s, row);
			bool same = strcmp(line, text) == 0;

			free(line);
			if (same)
				return;
		}
		screen_settle(s, 100, 100);
	}
	fail_screen(s, "waited %d s for a row '%s'", WAIT_MS / 1000, text);
}

/* Where text is, or fail. */
static void
locate(struct screen *s, const char *text, int *row, int *col)
{
	if (!screen_find(s, text, row, col))
		fail_screen(s, "'%s' is not on the screen", text);
}

/* Wait until text shows on the given row. */
static void
expect_at_row(struct screen *s, const char *text, int want)
{
	int i, row = -1;

	for (i = 0; i < WAIT_MS / 100; i++) {
		if (screen_find(s, text, &row, NULL) && row == want)
			return;
		screen_settle(s, 100, 100);
	}
	fail_screen(s, "waited %d s for '%s' on row %d (it is on row %d)",
	    WAIT_MS / 1000, text, want, row);
}

static bool
cell_changed(struct screen *s, int row, int col)
{
	struct screen_cell c;

	screen_cell(s, row, col, &c);
	return c.reverse && c.bold;
}

/* Whether the pane titled `title` has the keys: its title is drawn
 * reverse and bold, the others reverse only. */
static bool
has_focus(struct screen *s, const char *title)
{
	struct screen_cell c;
	int row, col;

	locate(s, title, &row, &col);
	screen_cell(s, row, col, &c);
	return c.reverse && c.bold;
}

/* Wait until the pane titled `title` has the keys. */
static void
expect_focus(struct screen *s, const char *title)
{
	int i;

	for (i = 0; i < WAIT_MS / 100; i++) {
		if (screen_find(s, title, NULL, NULL) && has_focus(s, title))
			return;
		screen_settle(s, 100, 100);
	}
	fail_screen(s, "waited %d s for the keys to go to '%s'", WAIT_MS / 1000,
	    title);
}

/* The status line: the last row (malloc'd). */
static char *
status_line(struct screen *s, int rows)
{
	return screen_row(s, rows - 1);
}

/* Wait until the status line holds want. */
static void
expect_status(struct screen *s, int rows, const char *want)
{
	int i;

	for (i = 0; i < WAIT_MS / 100; i++) {
		char *line = status_line(s, rows);
		bool found = strstr(line, want) != NULL;

		free(line);
		if (found)
			return;
		screen_settle(s, 100, 100);
	}
	fail_screen(s, "waited %d s for '%s' in the status line (row %d)",
	    WAIT_MS / 1000, want, rows - 1);
}

/* Find text in the console, which has the keys, once a step is done: its
 * output may have pushed the text up, so look back a page at a time
 * (PgUp), then come back to the end. */
static void
expect_in_console(struct screen *s, const char *text)
{
	int i;

	settle(s);
	for (i = 0; i < 10 && !screen_find(s, text, NULL, NULL); i++) {
		screen_type(s, SCREEN_KEY_PGUP);
		settle(s);
	}
	expect(s, text);
	while (i-- > 0)
		screen_type(s, SCREEN_KEY_PGDN);
}

/* A check whose failure is reported at the end of the test, so that the
 * rest of the test still runs: what failed and the screen then. */
struct later {
	char what[256];
	char *screen;   /* NULL while nothing failed */
};

static void
check_later(struct later *l, struct screen *s, bool ok, const char *what)
{
	if (ok || l->screen != NULL)
		return;
	snprintf(l->what, sizeof l->what, "%s", what);
	l->screen = screen_text(s);
}

static void
report_later(struct later *l)
{
	if (l->screen == NULL)
		return;
	print_error("%s; the screen showed:\n", l->what);
	print_lines(l->screen);
	free(l->screen);
	l->screen = NULL;
	fail();
}

/* subrepl --tui in a rows x cols terminal, once its panes are drawn, as
 * it starts: the console has the keys. */
static struct screen *
start_tui_console(int rows, int cols, const char *const *env)
{
	static const char *const args[] = { "--tui", "--no-journal", NULL };
	struct screen *s = start(args, rows, cols, env);

	expect(s, "[0 main]>>>");
	settle(s);
	return s;
}

/* The TUI with the keys moved to the Interpreters pane (Tab on the empty
 * console line), where most tests begin. */
static struct screen *
start_tui(int rows, int cols, const char *const *env)
{
	struct screen *s = start_tui_console(rows, cols, env);

	/* keys are taken in order: the next key goes to Interpreters (the
	 * focus shows as reverse and bold only without colors) */
	screen_type(s, SCREEN_KEY_TAB);
	settle(s);
	return s;
}

/* The screen's text without its last row (the status line names the
 * host's pid). */
static char *
text_above_status(struct screen *s)
{
	char *all = screen_text(s), *nl = strrchr(all, '\n');

	if (nl != NULL)
		*nl = '\0';
	return all;
}

/* Count the rows that show sharing-map cells (the legend aside). */
static int
map_rows(struct screen *s, int rows)
{
	int row, n = 0;

	for (row = 0; row < rows; row++) {
		char *line = screen_row(s, row);

		if ((strstr(line, "●") != NULL || strstr(line, "○") != NULL) &&
		    strstr(line, " own ") == NULL)
			n++;
		free(line);
	}
	return n;
}

/* Leave with q (or F10 when the console has the keys): status 0, and the
 * terminal is back in cooked mode. */
static void
leave(struct screen *s, const char *key)
{
	screen_type(s, key);
	if (!screen_wait_exit(s, WAIT_MS))
		fail_screen(s, "still running %d s after the key to leave",
		    WAIT_MS / 1000);
	assert_true(screen_tty_sane(s));
	assert_int_equal(finish(s), 0);
}

static void
test_layout_80x24(void **state)
{
	struct screen *s;
	int row, col, map_row, map_col, detail_row, console_row;
	char want[64];

	(void)state;
	s = start_tui(24, 80, NULL);
	/* Interpreters and the map side by side on top, Detail and the
	 * console across the whole width under them, the status line last */
	locate(s, "Interpreters (1)", &row, &col);
	assert_int_equal(row, 0);
	assert_int_equal(col, 1);
	locate(s, "Sharing map", &map_row, &map_col);
	assert_int_equal(map_row, 0);
	assert_true(map_col > 20);
	locate(s, "Detail", &detail_row, &col);
	assert_true(detail_row > 2);
	assert_int_equal(col, 1);
	locate(s, "Console", &console_row, &col);
	assert_true(console_row > detail_row);
	assert_int_equal(col, 1);
	snprintf(want, sizeof want, " Python %s", getenv("PYTHON_VERSION") !=
	    NULL ? getenv("PYTHON_VERSION") : "3.");
	expect_status(s, 24, want);
	expect_status(s, 24, "host");
	/* the keys start in the Interpreters pane; the main one is current */
	assert_true(has_focus(s, "Interpreters"));
	assert_false(has_focus(s, "Sharing map"));
	assert_false(has_focus(s, "Console"));
	assert_true(row_with(s, "0 main", "legacy") > 0);
	assert_true(row_with(s, "[0 main]>>>", NULL) > console_row);
	assert_true(map_rows(s, 24) >= 5);
	leave(s, "q");
}

/* A key that changes nothing leaves the screen as it was; the first key
 * after the start (or after %tui) used to blank every pane it did not draw
 * again: curses sent the untouched standard screen from wgetch. */
/* The console has the keys at start: Python typed at once runs, and none
 * of its characters is taken as a pane's key (n, i, d, q...). Tab on the
 * empty line moves on; there j on the only interpreter moves nothing. */
static void
test_first_key(void **state)
{
	struct screen *s;
	char *before, *after;

	(void)state;
	s = start_tui_console(24, 80, NULL);
	expect_focus(s, "Console");
	screen_type(s, "print('nid' * 2, 40 + 2)" SCREEN_KEY_ENTER);
	expect(s, "nidnid 42");
	expect(s, "Interpreters (1)");
	screen_type(s, SCREEN_KEY_TAB);
	expect_focus(s, "Interpreters");
	settle(s);
	before = screen_text(s);
	screen_type(s, "j");
	settle(s);
	after = screen_text(s);
	assert_same_screen("after j on the only interpreter the screen differs",
	    before, after);
	free(before);
	free(after);
	leave(s, "q");
}

/* The projector check at 80x24: typing Python right after start
 * runs it, and Detail shows three interpreters side by side (compact
 * columns), the shared attributes first. */
static void
test_detail_three_at_80x24(void **state)
{
	struct screen *s;
	int head;
	char *line;

	(void)state;
	s = start_tui_console(24, 80, NULL);
	screen_type(s, "print(1+1)" SCREEN_KEY_ENTER);
	expect_line(s, "2");
	screen_type(s, "%new a" SCREEN_KEY_ENTER);
	expect(s, "Interpreters (2)");
	screen_type(s, "%new b" SCREEN_KEY_ENTER);
	expect(s, "Interpreters (3)");
	screen_type(s, "%import demo_single --all" SCREEN_KEY_ENTER);
	expect(s, "[2 b legacy]  filled from m_copy");
	screen_type(s, SCREEN_KEY_TAB SCREEN_KEY_TAB);
	expect_focus(s, "Sharing map");
	screen_type(s, SCREEN_KEY_ENTER);
	expect_focus(s, "Detail: demo_single");
	head = wait_row(s, "ATTRIBUTE", "2 b");
	line = screen_row(s, head);
	if (strstr(line, "0 main") == NULL || strstr(line, "1 a") == NULL)
		fail_screen(s, "row %d does not name all three interpreters", head);
	free(line);
	line = screen_row(s, head + 1);
	if (strstr(line, "SHARED by 0,1,2") == NULL)
		fail_screen(s, "the first attribute (row %d) is not a shared one",
		    head + 1);
	free(line);
	leave(s, "q");
}

/* The tour in the TUI: a pause shows its keys on the status line and
 * the picture as the lesson left it (its interpreter in the list, the
 * module its check talks about in Detail); Enter goes on, and after the
 * lesson the console takes Python again. */
static void
test_tour_pauses_on_screen(void **state)
{
	char path[] = "/tmp/subrepl-tour-XXXXXX";
	char line[128];
	struct screen *s;
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("Title: On screen\n\n| made one\n%new shown\n"
	    "%import demo_single --in main,shown\n"
	    "?same main,shown: demo_single.items\n---\n"
	    "| next scene\n", f);
	assert_int_equal(fclose(f), 0);
	s = start_tui_console(24, 80, NULL);
	snprintf(line, sizeof line, "%%tour %s" SCREEN_KEY_ENTER, path);
	screen_type(s, line);
	expect(s, "-- Enter: next");
	expect(s, "Interpreters (2)");
	expect(s, "check: demo_single.items is one object in main, shown");
	/* the check pointed at its module: Detail shows it, on items */
	expect(s, "Detail: demo_single");
	wait_row(s, "items ", "SHARED by 0,1");
	screen_type(s, SCREEN_KEY_ENTER);
	expect(s, "next scene");
	expect(s, "tour: 1 of 1 lessons");
	expect(s, "Interpreters (1)");
	expect_gone(s, "-- Enter: next");
	screen_type(s, "print(6 * 7)" SCREEN_KEY_ENTER);
	expect(s, "42");
	leave(s, "%quit" SCREEN_KEY_ENTER);
	unlink(path);
}

static void
test_resize_uses_the_room(void **state)
{
	struct screen *s, *fresh;
	char *before, *after, *wide, *fresh_wide;
	int row, col, map_col, narrow_rows;

	(void)state;
	s = start_tui(24, 80, NULL);
	before = screen_text(s);
	narrow_rows = map_rows(s, 24);
	screen_resize(s, 60, 200);
	expect_at_row(s, "q leave", 59);
	settle(s);
	/* the Interpreters and the map stay on top, side by side; Detail no
	 * longer spans the width under them but takes a side of its own
	 * (ui/layout.c: from 160 columns) */
	locate(s, "Interpreters (1)", &row, &col);
	assert_int_equal(row, 0);
	assert_int_equal(col, 1);
	locate(s, "Sharing map", &row, &map_col);
	assert_int_equal(row, 0);
	locate(s, "Detail", &row, &col);
	if (col < 40)
		fail_screen(s, "at 200x60 Detail's title is at column %d: it still "
		    "spans the width", col);
	locate(s, "Console", &row, &col);
	/* a wider Interpreters pane has the GIL column; the map more rows */
	assert_true(row_with(s, "GIL", "MODULE") == 1);
	if (map_rows(s, 60) <= narrow_rows)
		fail_screen(s, "the map shows %d rows at 200x60, %d at 80x24",
		    map_rows(s, 60), narrow_rows);
	/* no leftovers: the same as a program started at this size */
	wide = text_above_status(s);
	fresh = start_tui(60, 200, NULL);
	fresh_wide = text_above_status(fresh);
	assert_same_screen("after a resize to 200x60 the screen differs from "
	    "a fresh start at 200x60", fresh_wide, wide);
	leave(fresh, "q");
	free(wide);
	free(fresh_wide);

	/* and back: the very screen it started with */
	screen_resize(s, 24, 80);
	expect_at_row(s, "q leave", 23);
	settle(s);
	after = screen_text(s);
	assert_same_screen("after 80x24 -> 200x60 -> 80x24 the screen differs "
	    "from the first", before, after);
	free(before);
	free(after);
	leave(s, "q");
}

static void
test_too_small(void **state)
{
	struct screen *s;
	struct later said = { "", NULL };
	char *before, *after;

	(void)state;
	s = start_tui(24, 80, NULL);
	before = screen_text(s);
	/* a row short of the minimum: no panes, a message instead */
	screen_resize(s, 15, 80);
	expect(s, "needs 60x16");
	settle(s);
	assert_false(screen_find(s, "Interpreters", NULL, NULL));
	assert_false(screen_find(s, "Console", NULL, NULL));
	assert_false(screen_find(s, "Sharing map", NULL, NULL));
	assert_false(screen_find(s, "Python 3", NULL, NULL));
	/* keys other than q and F10 do nothing down there */
	screen_type(s, "n");
	settle(s);
	assert_false(screen_find(s, "New interpreter", NULL, NULL));
	/* back: the panes as they were */
	screen_resize(s, 24, 80);
	expect_at_row(s, "q leave", 23);
	settle(s);
	after = screen_text(s);
	assert_same_screen("after 80x24 -> 80x15 -> 80x24 the screen differs "
	    "from the first", before, after);
	free(after);
	/* much smaller, the message still says what is needed */
	screen_resize(s, 10, 40);
	expect(s, "Terminal 40x10");
	settle(s);
	check_later(&said, s, screen_find(s, "needs 60x16", NULL, NULL),
	    "at 40x10 the screen does not say what size the TUI needs");
	screen_resize(s, 24, 80);
	expect_at_row(s, "q leave", 23);
	settle(s);
	after = screen_text(s);
	assert_same_screen("after 80x24 -> 40x10 -> 80x24 the screen differs "
	    "from the first", before, after);
	free(before);
	free(after);
	/* q leaves from the small screen too */
	screen_resize(s, 10, 40);
	expect(s, "Terminal 40x10");
	leave(s, "q");
	report_later(&said);
}

/* The glyphs of the map's shared cells (ui/theme.c). */
struct glyphs {
	const char *source;     /* init ran here */
	const char *copied;     /* filled from m_copy */
};

static const struct glyphs utf8_glyphs = { "◆", "◐" };
static const struct glyphs ascii_glyphs = { "S", "C" };

/* Wait for the row of demo_single in the map and check its cells: the
 * source glyph in the first interpreter, the copied one in the n - 1
 * others, each with the same N/M, N > 0. The glyphs' columns go into
 * cols[n]; the row is returned. */
static int
check_map_row(struct screen *s, const struct glyphs *g, int n, int *cols)
{
	char first[32];
	int row, i = 0, col, shared0 = -1, total0 = -1;
	char *line, *p, *tok, *save = NULL;

	snprintf(first, sizeof first, " %s", g->source);
	row = wait_row(s, "demo_single", first);
	line = screen_row(s, row);
	p = strstr(line, "demo_single") + strlen("demo_single");
	for (tok = strtok_r(p, " ", &save); tok != NULL && i < n;
	    tok = strtok_r(NULL, " ", &save), i++) {
		const char *glyph = i == 0 ? g->source : g->copied;
		int shared, total;

		if (strncmp(tok, glyph, strlen(glyph)) != 0 ||
		    sscanf(tok + strlen(glyph), "%d/%d", &shared, &total) != 2)
			fail_screen(s, "cell %d of demo_single's row %d is '%s', "
			    "not %sN/M", i, row, tok, glyph);
		if (i == 0) {
			shared0 = shared;
			total0 = total;
		} else if (shared != shared0 || total != total0)
			fail_screen(s, "cell %d of demo_single's row %d is '%s': "
			    "not %d/%d as in the first", i, row, tok, shared0, total0);
	}
	free(line);
	if (i != n || shared0 <= 0 || shared0 > total0)
		fail_screen(s, "demo_single's row %d has %d cells of %d with "
		    "%d/%d shared", row, i, n, shared0, total0);
	/* the glyphs' columns (the name column never holds one alone) */
	for (col = 0, i = 0; col < 200 && i < n; col++) {
		struct screen_cell c, left;

		screen_cell(s, row, col, &c);
		screen_cell(s, row, col - 1, &left);
		if (strcmp(c.text, i == 0 ? g->source : g->copied) == 0 &&
		    strcmp(left.text, " ") == 0)
			cols[i++] = col;
	}
	assert_int_equal(i, n);
	return row;
}

static void
check_map_changed(struct screen *s, int row, const int cols[4], bool changed)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (cell_changed(s, row, cols[i]) != changed ||
		    cell_changed(s, row, cols[i] + 1) != changed)
			fail_screen(s, "the map cell of demo_single in interpreter %d "
			    "(row %d, column %d) is%s highlighted as changed", i, row,
			    cols[i], changed ? " not" : "");
	}
}

static void
test_done_means(void **state)
{
	struct screen *s;
	char want[64];
	int i, row, col, cols[4], items = -1;

	(void)state;
	s = start_tui(24, 80, NULL);
	for (i = 1; i <= 3; i++) {
		screen_type(s, "n");
		expect(s, "New interpreter");
		screen_type(s, SCREEN_KEY_ENTER);
		snprintf(want, sizeof want, "Interpreters (%d)", i + 1);
		expect(s, want);
		expect_gone(s, "New interpreter");
	}
	expect(s, "created [3 legacy]");
	/* a marks all four: i imports into all of them */
	screen_type(s, "a");
	screen_type(s, "i");
	expect(s, "import into 4:");
	screen_type(s, "demo_single" SCREEN_KEY_ENTER);
	check_map_row(s, &utf8_glyphs, 4, cols);
	/* the command i made, echoed in the console (the import's report
	 * may have pushed it up); then back to Interpreters */
	screen_type(s, "%");
	expect_focus(s, "Console");
	screen_type(s, SCREEN_KEY_BACKSPACE);
	expect_in_console(s, "%import demo_single --in 0,1,2,3");
	screen_type(s, SCREEN_KEY_TAB);
	expect_focus(s, "Interpreters");
	settle(s);
	row = check_map_row(s, &utf8_glyphs, 4, cols);
	/* the import was a step: its cells are new */
	check_map_changed(s, row, cols, true);

	/* Tab to the map; demo_single is its first row: Enter opens it */
	screen_type(s, SCREEN_KEY_TAB);
	expect_focus(s, "Sharing map");
	screen_type(s, SCREEN_KEY_ENTER);
	expect(s, "Detail: demo_single");
	expect_focus(s, "Detail: demo_single");
	settle(s);
	/* opening a detail is no step: the marks stay the import's */
	row = check_map_row(s, &utf8_glyphs, 4, cols);
	check_map_changed(s, row, cols, true);
	/* down the attributes to items (the pane may be short) */
	for (i = 0; i < 30; i++) {
		items = row_with(s, "items ", "SHARED by 0,1,2,3");
		if (items >= 0)
			break;
		screen_type(s, "j");
		settle(s);
	}
	if (items < 0)
		fail_screen(s, "no detail row 'items ... SHARED by 0,1,2,3'");
	/* the cursor up one row, off items, so its highlight is its own */
	screen_type(s, "k");
	settle(s);
	items = row_with(s, "items ", "SHARED by 0,1,2,3");
	assert_true(items >= 0);
	assert_true(row_with(s, "items ", "list") == items);
	/* the empty list, not highlighted: no step changed it yet */
	locate(s, "[]", &row, &col);
	assert_int_equal(row, items);
	if (cell_changed(s, items, col))
		fail_screen(s, "the detail's [] (row %d, column %d) is highlighted "
		    "before any step changed it", items, col);

	/* % goes to the console with % typed: take it back, append */
	screen_type(s, "%");
	expect_focus(s, "Console");
	screen_type(s, SCREEN_KEY_BACKSPACE "demo_single.items.append('seen')"
	    SCREEN_KEY_ENTER);
	expect(s, "['seen']");
	settle(s);
	items = row_with(s, "items ", "['seen']");
	if (items < 0)
		fail_screen(s, "no detail row of items with ['seen']");
	assert_true(row_with(s, "items ", "SHARED by 0,1,2,3") == items);
	locate(s, "['seen']", &row, &col);
	assert_int_equal(row, items);
	for (i = 0; i < (int)strlen("['seen']"); i++) {
		if (!cell_changed(s, items, col + i))
			fail_screen(s, "the detail's ['seen'] (row %d, column %d) "
			    "is not highlighted as changed", items, col + i);
	}
	/* the same list in every interpreter: all four map cells changed */
	row = check_map_row(s, &utf8_glyphs, 4, cols);
	check_map_changed(s, row, cols, true);

	/* resize, then leave: the terminal is clean */
	screen_resize(s, 30, 100);
	expect_at_row(s, "q leave", 29);
	expect(s, "['seen']");
	settle(s);
	leave(s, SCREEN_KEY_F10);
}

static void
test_no_color(void **state)
{
	static const char *const with_color[] = { "NO_COLOR", NULL };
	static const char *const empty[] = { "NO_COLOR=", NULL };
	struct screen_cell c;
	struct screen *s;

	(void)state;
	/* NO_COLOR=1, from the test environment */
	s = start_tui(24, 80, NULL);
	if (screen_has_color(s))
		fail_screen(s, "colors on the screen under NO_COLOR=1");
	/* still legible: the focused title and the status line are reverse */
	assert_true(has_focus(s, "Interpreters"));
	assert_false(has_focus(s, "Sharing map"));
	screen_cell(s, 23, 1, &c);
	assert_true(c.reverse);
	leave(s, "q");

	s = start_tui(24, 80, with_color);
	if (!screen_has_color(s))
		fail_screen(s, "no colors without NO_COLOR");
	leave(s, "q");

	/* NO_COLOR set but empty does not count (no-color.org) */
	s = start_tui(24, 80, empty);
	if (!screen_has_color(s))
		fail_screen(s, "no colors with NO_COLOR empty");
	leave(s, "q");
}

struct key_help {
	const char *keys;
	const char *what;
};

static void
test_help_overlay(void **state)
{
#define KEY_ROW(label, help, where, action, codes) { label, help },
	static const struct key_help keys[] = { TUI_KEYS(KEY_ROW) };
#undef KEY_ROW
	struct later legend = { "", NULL };
	struct screen *s;
	size_t i;
	char want[128];

	(void)state;
	s = start_tui(24, 80, NULL);
	screen_type(s, "?");
	expect(s, "Keys (Esc or ? closes)");
	settle(s);
	/* every help row of keys.h with (the start of) what its keys do */
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (keys[i].what == NULL)
			continue;
		snprintf(want, sizeof want, "%-16s%.40s", keys[i].keys, keys[i].what);
		if (!screen_find(s, want, NULL, NULL))
			fail_screen(s, "the help lacks key '%s': '%s'", keys[i].keys,
			    want);
	}
	expect(s, "F10");
	expect(s, "import a module");
	/* and the map's glyphs, each with its meaning */
	check_later(&legend, s, screen_find(s, "◆ init ran here", NULL, NULL) &&
	    screen_find(s, "◐ from m_copy", NULL, NULL) &&
	    screen_find(s, "○ Python ", NULL, NULL) &&
	    screen_find(s, "+ shares deeper: A", NULL, NULL),
	    "the help does not explain every glyph of the map");
	/* Esc closes it and the panes are whole again */
	screen_type(s, SCREEN_KEY_ESC);
	expect_gone(s, "Keys (Esc or ? closes)");
	settle(s);
	assert_false(screen_find(s, "import a module", NULL, NULL));
	expect(s, "Detail");
	expect(s, "Console");
	/* ? closes it too */
	screen_type(s, "?");
	expect(s, "Keys (Esc or ? closes)");
	screen_type(s, "?");
	expect_gone(s, "Keys (Esc or ? closes)");
	leave(s, "q");
	report_later(&legend);
}

/* How often text occurs in a row. */
static int
count_in_row(struct screen *s, int row, const char *text)
{
	char *line = screen_row(s, row), *p = line;
	int n = 0;

	while ((p = strstr(p, text)) != NULL) {
		n++;
		p += strlen(text);
	}
	free(line);
	return n;
}

/* A module that hands every interpreter the same list from a C static:
 * its map cells say "own, but holds shared deeper" (+), Detail says which
 * attribute, and A shows the list, at the address Python gives, with each
 * interpreter's path and the static. */
static void
test_audit_view(void **state)
{
	struct screen *s;
	char want[160], *line, *hex;
	int row, i;

	(void)state;
	s = start_tui(30, 110, NULL);
	screen_type(s, "%");
	expect_focus(s, "Console");
	screen_type(s, "new" SCREEN_KEY_ENTER);
	expect(s, "created [1 legacy]");
	screen_type(s, "%import demo_leaky --all" SCREEN_KEY_ENTER);
	expect(s, "import demo_leaky");
	screen_type(s, "import demo_leaky; print('ITEMS', "
	    "hex(id(demo_leaky.items())))" SCREEN_KEY_ENTER);
	row = wait_row(s, "ITEMS 0x", NULL);
	line = screen_row(s, row);
	hex = strstr(line, "ITEMS 0x") + 6;
	hex[strcspn(hex, " ")] = '\0';
	snprintf(want, sizeof want, "%s", hex);
	free(line);
	settle(s);
	row = wait_row(s, "demo_leaky", "●+");
	if (count_in_row(s, row, "●+") != 2)
		fail_screen(s, "the map's demo_leaky row lacks '●+' in both "
		    "interpreters");

	/* Tab: Interpreters, Tab: the map, whose first row is demo_leaky */
	screen_type(s, SCREEN_KEY_TAB);
	expect_focus(s, "Interpreters");
	screen_type(s, SCREEN_KEY_TAB);
	expect_focus(s, "Sharing map");
	screen_type(s, "A");
	expect(s, "Audit of demo_leaky: 1 object crosses interpreters");
	settle(s);
	if (row_with(s, "list", want) < 0)
		fail_screen(s, "the audit lists no list at %s", want);
	if (row_with(s, "[0 main]", "sys.modules['demo_leaky'].__dict__"
	    "['state']['items']") < 0 ||
	    row_with(s, "[1]", "sys.modules['demo_leaky'].__dict__"
	    "['state']['items']") < 0)
		fail_screen(s, "the audit lacks a path of an interpreter");
	if (row_with(s, "C static", "demo_leaky.so:registry") < 0)
		fail_screen(s, "the audit lacks the C static");
	/* the view takes the keys until Esc */
	screen_type(s, "j");
	settle(s);
	expect(s, "Audit of demo_leaky");
	screen_type(s, SCREEN_KEY_ESC);
	expect_gone(s, "Audit of demo_leaky");
	expect_focus(s, "Sharing map");

	/* Detail names the attribute that holds it */
	screen_type(s, SCREEN_KEY_ENTER);
	expect_focus(s, "Detail: demo_leaky");
	for (i = 0; i < 30 && row_with(s, "state ", "distinct, holds shared") < 0;
	    i++) {
		screen_type(s, "j");
		settle(s);
	}
	if (row_with(s, "state ", "distinct, holds shared") < 0)
		fail_screen(s, "no detail row 'state ... distinct, holds shared'");
	/* from Detail, A audits its module too */
	screen_type(s, "A");
	expect(s, "Audit of demo_leaky: 1 object crosses interpreters");
	screen_type(s, "q");
	expect_gone(s, "Audit of demo_leaky");
	expect_focus(s, "Detail: demo_leaky");
}

static void
test_line_round_trip(void **state)
{
	static const char *const args[] = { "-q", "--no-journal", NULL };
	struct screen *s;
	char *line;
	int row;

	(void)state;
	s = start(args, 24, 80, NULL);
	expect(s, "[0 main]>>> ");
	screen_type(s, "x = 41" SCREEN_KEY_ENTER);
	screen_type(s, "%tui" SCREEN_KEY_ENTER);
	expect(s, "Sharing map");
	expect(s, "[0 main]>>>");
	settle(s);
	/* % opens the console with % typed: %line */
	screen_type(s, "%");
	expect_focus(s, "Console");
	screen_type(s, "line" SCREEN_KEY_ENTER);
	expect_gone(s, "Sharing map");
	/* the same session: x is there; the answer, then the prompt again */
	screen_type(s, "x + 1" SCREEN_KEY_ENTER);
	row = wait_row(s, "[0 main]>>> x + 1", NULL);
	expect_line(s, "42");
	settle(s);
	line = screen_row(s, row + 1);
	assert_string_equal(line, "42");
	free(line);
	line = screen_row(s, row + 2);
	assert_string_equal(line, "[0 main]>>>");
	free(line);
	screen_type(s, "%quit" SCREEN_KEY_ENTER);
	assert_true(screen_wait_exit(s, WAIT_MS));
	assert_true(screen_tty_sane(s));
	assert_int_equal(finish(s), 0);
}

/* Ctrl-C at an idle TUI clears the console's line and nothing else: the
 * session, its interpreters and the TUI go on (issue 10: it used to end
 * the session, status 0, without a word). `prompt` is the console's prompt
 * for the interpreter current then. */
static void
interrupt_idle(struct screen *s, int rows, const char *prompt)
{
	char typed[64];

	/* Ctrl-C where the keys go to a list pane: nothing to clear */
	screen_type(s, SCREEN_KEY_CTRL_C);
	expect_status(s, rows, "KeyboardInterrupt");
	expect(s, "Sharing map");
	/* and in the console, on a line with text */
	screen_type(s, "%");
	expect_focus(s, "Console");
	screen_type(s, SCREEN_KEY_BACKSPACE "unfinished = 6 *");
	snprintf(typed, sizeof typed, "%s unfinished = 6 *", prompt);
	expect(s, typed);
	screen_type(s, SCREEN_KEY_CTRL_C);
	expect_line(s, prompt);
	expect_gone(s, "unfinished");
	expect_status(s, rows, "KeyboardInterrupt");
	assert_true(has_focus(s, "Console"));
	/* still the same session: Python runs, the interpreter made before
	 * is listed */
	screen_type(s, "print(6 * 7)" SCREEN_KEY_ENTER);
	expect_line(s, "42");
	screen_type(s, "%list" SCREEN_KEY_ENTER);
	wait_row(s, "*   1  -", "legacy");
	expect(s, "Interpreters (2)");
}

static void
test_ctrl_c_idle(void **state)
{
	static const char *const line_args[] = { "-q", "--no-journal", NULL };
	struct screen *s;

	(void)state;
	/* subrepl --tui */
	s = start_tui(24, 80, NULL);
	screen_type(s, "n");
	expect(s, "New interpreter");
	screen_type(s, SCREEN_KEY_ENTER);
	expect(s, "Interpreters (2)");
	expect_gone(s, "New interpreter");
	screen_type(s, SCREEN_KEY_TAB);
	expect_focus(s, "Sharing map");
	interrupt_idle(s, 24, "[1 legacy]>>>");
	leave(s, SCREEN_KEY_F10);

	/* %tui from line mode: F10 goes back to it, the session intact */
	s = start(line_args, 24, 80, NULL);
	expect(s, "[0 main]>>> ");
	screen_type(s, "%new --legacy" SCREEN_KEY_ENTER);
	expect(s, "[1 legacy]>>> ");
	screen_type(s, "%tui" SCREEN_KEY_ENTER);
	expect(s, "Sharing map");
	expect(s, "[1 legacy]>>>");
	settle(s);
	/* the console has the keys after %tui too: Tab to a list pane */
	expect_focus(s, "Console");
	screen_type(s, SCREEN_KEY_TAB);
	expect_focus(s, "Interpreters");
	interrupt_idle(s, 24, "[1 legacy]>>>");
	screen_type(s, SCREEN_KEY_F10);
	expect_gone(s, "Sharing map");
	screen_type(s, "%list" SCREEN_KEY_ENTER);
	wait_row(s, "*   1  -", "legacy");
	screen_type(s, "%quit" SCREEN_KEY_ENTER);
	assert_true(screen_wait_exit(s, WAIT_MS));
	assert_true(screen_tty_sane(s));
	assert_int_equal(finish(s), 0);
}

static void
test_bad_input(void **state)
{
	struct screen *s;
	int row;
	char *line;

	(void)state;
	s = start_tui(24, 80, NULL);
	screen_type(s, "%");
	expect_focus(s, "Console");
	screen_type(s, "nosuch" SCREEN_KEY_ENTER);
	expect(s, "unknown command '%nosuch'");
	settle(s);
	/* one line, then the prompt again */
	locate(s, "unknown command '%nosuch'", &row, NULL);
	line = screen_row(s, row + 1);
	if (strncmp(line, "[0 main]>>>", 11) != 0)
		fail_screen(s, "the line after the error (row %d) is '%s', not the "
		    "prompt", row + 1, line);
	free(line);
	locate(s, "[0 main]>>> %nosuch", &row, NULL);
	assert_true(has_focus(s, "Console"));
	expect(s, "Sharing map");

	/* a Python exception: its traceback */
	screen_type(s, "1/0" SCREEN_KEY_ENTER);
	expect(s, "ZeroDivisionError: division by zero");
	expect(s, "Traceback (most recent call last):");
	/* and the TUI goes on */
	screen_type(s, "print(6 * 7)" SCREEN_KEY_ENTER);
	expect_line(s, "42");
	expect(s, "Interpreters (1)");
	leave(s, SCREEN_KEY_F10);
}

static void
test_host_crash(void **state)
{
	struct screen *s;
	char *status;

	(void)state;
	s = start_tui(24, 80, NULL);
	screen_type(s, "%");
	expect_focus(s, "Console");
	screen_type(s, SCREEN_KEY_BACKSPACE
	    "import demo_crash; demo_crash.segfault()" SCREEN_KEY_ENTER);
	expect(s, "[no host: %restart]>>>");
	expect_status(s, 24, "NO HOST");
	/* the report may have scrolled up under the host's own last words */
	expect_in_console(s, "host died: SIGSEGV");
	expect(s, "[no host: %restart]>>>");
	/* the TUI lives on */
	expect(s, "Interpreters (1)");
	expect(s, "Sharing map");
	screen_type(s, "%restart" SCREEN_KEY_ENTER);
	expect(s, "new host: pid");
	expect_status(s, 24, "host");
	settle(s);
	status = status_line(s, 24);
	if (strstr(status, "NO HOST") != NULL)
		fail_screen(s, "after %%restart the status line says '%s'", status);
	free(status);
	/* and the new host runs Python */
	screen_type(s, "print(6 * 7)" SCREEN_KEY_ENTER);
	expect_line(s, "42");
	leave(s, SCREEN_KEY_F10);
}

/* A thread's output reaches the console while the TUI waits for keys. */
static void
test_thread_output_while_idle(void **state)
{
	struct screen *s;

	(void)state;
	s = start_tui(24, 80, NULL);
	screen_type(s, "%");
	expect_focus(s, "Console");
	screen_type(s, SCREEN_KEY_BACKSPACE "import sys, threading, time; "
	    "threading.Thread(target=lambda: [(sys.stdout.write('tick %d\\n' "
	    "% i), time.sleep(0.25)) for i in range(40)], daemon=True).start()"
	    SCREEN_KEY_ENTER);
	expect(s, "[0 main]>>>");
	/* no key pressed since */
	expect(s, "tick 8");
	leave(s, SCREEN_KEY_F10);
}

static void
test_destroy(void **state)
{
	struct screen *s;

	(void)state;
	s = start_tui(24, 80, NULL);
	screen_type(s, "n");
	expect(s, "New interpreter");
	screen_type(s, SCREEN_KEY_ENTER);
	expect(s, "Interpreters (2)");
	wait_row(s, "1 -", "legacy");
	/* the main interpreter stays (the status line may cut the note) */
	screen_type(s, "g" "d");
	expect(s, "the main interpreter");
	settle(s);
	assert_false(screen_find(s, "Destroy interpreter", NULL, NULL));
	/* n keeps it */
	screen_type(s, "j" "d");
	expect(s, "Destroy interpreter 1");
	screen_type(s, "n");
	expect(s, "nothing destroyed");
	assert_true(row_with(s, "1 -", "legacy") > 0);
	/* y destroys it */
	screen_type(s, "d");
	expect(s, "Destroy interpreter 1");
	screen_type(s, "y");
	expect(s, "Interpreters (1)");
	expect(s, "%del 1");
	settle(s);
	assert_true(row_with(s, "1 -", "legacy") < 0);
	leave(s, "q");
}

/* Before 3.12 there are no interpreter configs: 'n' refuses isolated. */
static void
test_new_isolated_refused(void **state)
{
	struct later why = { "", NULL };
	struct screen *s;

	(void)state;
	s = start_tui(24, 80, NULL);
	screen_type(s, "n");
	expect(s, "New interpreter");
	expect(s, "legacy only");
	screen_type(s, SCREEN_KEY_DOWN SCREEN_KEY_ENTER);
	expect_gone(s, "New interpreter");
	expect(s, "isolated interpreters");
	settle(s);
	assert_true(row_with(s, "Interpreters (1)", NULL) == 0);
	assert_false(screen_find(s, "%new", NULL, NULL));
	/* the whole reason, on an 80-column terminal */
	check_later(&why, s, screen_find(s, "isolated interpreters need Python "
	    "3.12", NULL, NULL), "the refusal does not say that isolated "
	    "interpreters need Python 3.12");
	leave(s, "q");
	report_later(&why);
}

static void
test_new_isolated(void **state)
{
	struct screen *s;

	(void)state;
	s = start_tui(24, 80, NULL);
	screen_type(s, "n");
	expect(s, "New interpreter");
	screen_type(s, SCREEN_KEY_DOWN SCREEN_KEY_ENTER);
	expect(s, "Interpreters (2)");
	expect(s, "%new --isolated");
	wait_row(s, "1 -", "isolated");
	leave(s, "q");
}

/* A locale that is not UTF-8 gets ASCII glyphs. */
static void
test_ascii_glyphs(void **state)
{
	static const char *const c_locale[] = { "LC_ALL=C", NULL };
	struct screen *s;
	int cols[2];

	(void)state;
	s = start_tui(24, 80, c_locale);
	screen_type(s, "n");
	expect(s, "New interpreter");
	screen_type(s, SCREEN_KEY_ENTER);
	expect(s, "Interpreters (2)");
	screen_type(s, "a" "i");
	expect(s, "import into 2:");
	screen_type(s, "demo_single" SCREEN_KEY_ENTER);
	check_map_row(s, &ascii_glyphs, 2, cols);
	expect(s, "o own");
	settle(s);
	if (screen_find(s, utf8_glyphs.source, NULL, NULL) ||
	    screen_find(s, "●", NULL, NULL) || screen_find(s, "▶", NULL, NULL))
		fail_screen(s, "Unicode glyphs in the C locale");
	leave(s, "q");
}

int
main(void)
{
	const char *filter = getenv("TUI_TESTS");
	/* the last test is the one for this Python (isolated interpreters
	 * need 3.12): a skip would count as a failure */
	struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_layout_80x24, teardown),
		cmocka_unit_test_teardown(test_first_key, teardown),
		cmocka_unit_test_teardown(test_tour_pauses_on_screen, teardown),
		cmocka_unit_test_teardown(test_detail_three_at_80x24, teardown),
		cmocka_unit_test_teardown(test_resize_uses_the_room, teardown),
		cmocka_unit_test_teardown(test_too_small, teardown),
		cmocka_unit_test_teardown(test_done_means, teardown),
		cmocka_unit_test_teardown(test_no_color, teardown),
		cmocka_unit_test_teardown(test_help_overlay, teardown),
		cmocka_unit_test_teardown(test_audit_view, teardown),
		cmocka_unit_test_teardown(test_line_round_trip, teardown),
		cmocka_unit_test_teardown(test_ctrl_c_idle, teardown),
		cmocka_unit_test_teardown(test_bad_input, teardown),
		cmocka_unit_test_teardown(test_host_crash, teardown),
		cmocka_unit_test_teardown(test_thread_output_while_idle, teardown),
		cmocka_unit_test_teardown(test_destroy, teardown),
		cmocka_unit_test_teardown(test_ascii_glyphs, teardown),
		cmocka_unit_test_teardown(test_new_isolated_refused, teardown),
	};

	if (python_312())
		tests[sizeof tests / sizeof tests[0] - 1] = (struct CMUnitTest)
		    cmocka_unit_test_teardown(test_new_isolated, teardown);
	/* TUI_TESTS=PATTERN runs only the tests whose names match */
	if (filter != NULL && filter[0] != '\0')
		cmocka_set_test_filter(filter);
	return cmocka_run_group_tests_name("tui", tests, NULL, NULL);
}
