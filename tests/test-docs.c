/*
 * test-docs.c: the man page says what the program does: every command of
 * the command table and every key of the TUI (the key table, ui/keys.h)
 * is in docs/subrepl.1, so adding one without documenting it fails here;
 * every key the page lists for the TUI is in the table; and the commands
 * a replay passes over are the ones the command table marks.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cmd.h"
#include "keys.h"
#include "runner.h"

static char *man;

/* The text as groff source spells it: '-' is '\-'. */
static char *
roff(const char *s)
{
	char *out = calloc(1, strlen(s) * 2 + 1), *o = out;

	for (; *s != '\0'; s++) {
		if (*s == '-')
			*o++ = '\\';
		*o++ = *s;
	}
	return out;
}

static void
test_every_command(void **state)
{
	const struct cmd_entry *const *e;
	char bold[64], italic[64];

	(void)state;
	/* a command is an item of the COMMANDS list: .TP, then its usage */
	for (e = cmd_table; *e != NULL; e++) {
		snprintf(bold, sizeof bold, ".TP\n.B %%%s", (*e)->name);
		snprintf(italic, sizeof italic, ".TP\n.BI %%%s ", (*e)->name);
		if (strstr(man, bold) == NULL && strstr(man, italic) == NULL)
			fail_msg("docs/subrepl.1 does not describe %%%s", (*e)->name);
	}
}

/* The %replay item lists the commands a replay passes over: exactly those
 * the table marks CMD_NO_REPLAY. */
static void
test_replay_rule(void **state)
{
	const struct cmd_entry *const *e;
	const char *item = strstr(man, ".BI %replay \" FILE\"");
	const char *end = item != NULL ? strstr(item + 1, ".TP\n") : NULL;
	char want[64];

	(void)state;
	assert_non_null(item);
	assert_non_null(end);
	for (e = cmd_table; *e != NULL; e++) {
		const char *p;
		bool listed = false;

		snprintf(want, sizeof want, ".B%s %%%s", "R", (*e)->name);
		for (p = item; (p = strstr(p, want)) != NULL && p < end; p++)
			listed = true;
		snprintf(want, sizeof want, ".B %%%s\n", (*e)->name);
		for (p = item; (p = strstr(p, want)) != NULL && p < end; p++)
			listed = true;
		if (listed != (((*e)->traits & CMD_NO_REPLAY) != 0))
			fail_msg("docs/subrepl.1's %%replay %s %%%s, but the table "
			    "says it is %s", listed ? "lists" : "does not list",
			    (*e)->name, listed ? "replayed" : "passed over");
	}
}

/* The entries of keys.h as the page sees them: the label of their help
 * row, and what its keys do on the row's first entry (NULL on the rest). */
struct key_row {
	const char *label;
	const char *help;
};

#define KEY_ROW(label, help, where, action, codes) { label, help },
static const struct key_row key_rows[] = { TUI_KEYS(KEY_ROW) };
#undef KEY_ROW
#define NKEY_ROWS (sizeof key_rows / sizeof key_rows[0])

/* The page's section on the TUI, whose .TP items are its keys. */
static char *tui_section;

/* The label as the page writes it: "Ctrl\-C" is "Ctrl-C". */
static char *
unroff(const char *s, size_t len)
{
	char *out = calloc(1, len + 1), *o = out;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && s[i + 1] == '-')
			continue;
		*o++ = s[i];
	}
	return out;
}

static bool
is_help_row(const char *label)
{
	size_t i;

	for (i = 0; i < NKEY_ROWS; i++) {
		if (key_rows[i].help != NULL &&
		    strcmp(key_rows[i].label, label) == 0)
			return true;
	}
	return false;
}

static void
test_every_tui_key(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NKEY_ROWS; i++) {
		const char *label = key_rows[i].label, *help = key_rows[i].help;
		char *k = roff(label), *item, *next, *w, *text;

		if (help == NULL) {
			/* a binding without text is told by its row's */
			if (!is_help_row(label))
				fail_msg("ui/keys.h binds keys labelled '%s' that no "
				    "help row describes", label);
			free(k);
			continue;
		}
		/* an item of the TUI's keys: .TP, the keys in bold, then what
		 * they do (the text after its first letter: capitalized there) */
		item = calloc(1, strlen(k) + 16);
		sprintf(item, ".TP\n.B %s\n", k);
		text = strstr(tui_section, item);
		if (text == NULL)
			fail_msg("docs/subrepl.1 lists no TUI key '%s'", label);
		text += strlen(item);
		next = strstr(text, ".TP\n");
		text = next != NULL ? strndup(text, (size_t)(next - text)) :
		    strdup(text);
		w = roff(help + 1);
		if (strstr(text, w) == NULL)
			fail_msg("docs/subrepl.1 does not say what '%s' does: %s", label,
			    help);
		free(k);
		free(item);
		free(text);
		free(w);
	}
}

/* And the other way: every key the page lists for the TUI is a help row
 * of keys.h, so the page cannot describe a key the TUI does not have. */
static void
test_every_documented_key(void **state)
{
	const char *at, *end;
	int n = 0;

	(void)state;
	for (at = strstr(tui_section, ".TP\n.B "); at != NULL;
	    at = strstr(end, ".TP\n.B ")) {
		char *label;

		at += strlen(".TP\n.B ");
		end = strchr(at, '\n');
		assert_non_null(end);
		label = unroff(at, (size_t)(end - at));
		if (!is_help_row(label))
			fail_msg("docs/subrepl.1 describes a TUI key '%s' that "
			    "ui/keys.h does not have", label);
		free(label);
		n++;
	}
	assert_true(n > 0);
}

static int
setup(void **state)
{
	const char *src = getenv("SRCDIR"), *start, *end;
	char path[4096];

	(void)state;
	if (src == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/docs/subrepl.1", src);
	man = read_text_file(path);
	start = strstr(man, "\n.SH THE TUI\n");
	if (start == NULL)
		return -1;
	end = strstr(start + 1, "\n.SH ");
	tui_section = end != NULL ? strndup(start, (size_t)(end - start)) :
	    strdup(start);
	return man[0] != '\0' ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	free(man);
	free(tui_section);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_command),
		cmocka_unit_test(test_replay_rule),
		cmocka_unit_test(test_every_tui_key),
		cmocka_unit_test(test_every_documented_key),
	};

	return cmocka_run_group_tests_name("docs", tests, setup, teardown);
}
