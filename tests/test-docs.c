/*
 * test-docs.c: the man page says what the program does: every command of
 * the command table and every key of the TUI (ui/keys.h) is in
 * docs/subrepl.1, so adding one without documenting it fails here; the
 * commands a replay passes over are the ones the table marks.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
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

#define KEY_CHECK(k, w) check_key(k, w);

static void
check_key(const char *keys, const char *what)
{
	char *k = roff(keys), *w = roff(what + 1), want[64];

	snprintf(want, sizeof want, ".B %s\n", k);
	if (strstr(man, want) == NULL)
		fail_msg("docs/subrepl.1 lists no TUI key '%s'", keys);
	/* the text after its first letter (capitalized in the page) */
	if (strstr(man, w) == NULL)
		fail_msg("docs/subrepl.1 does not say what '%s' does: %s", keys, what);
	free(k);
	free(w);
}

static void
test_every_tui_key(void **state)
{
	(void)state;
	TUI_KEYS(KEY_CHECK)
}

static int
setup(void **state)
{
	const char *src = getenv("SRCDIR");
	char path[4096];

	(void)state;
	if (src == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/docs/subrepl.1", src);
	man = read_text_file(path);
	return man[0] != '\0' ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	free(man);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_command),
		cmocka_unit_test(test_replay_rule),
		cmocka_unit_test(test_every_tui_key),
	};

	return cmocka_run_group_tests_name("docs", tests, setup, teardown);
}
