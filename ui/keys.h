/*
 * keys.h: the TUI's keys as data (htop's Action.c fills keys[] with
 * actions; tig binds keys to requests). One list, TUI_KEYS, says for each
 * binding where it works, the key codes it binds, the action it runs and
 * the help row it belongs to. Dispatch and the ? overlay read the table
 * keys.c makes of it; the screen test of the help and the man-page test
 * expand the list themselves, so they need not link the TUI. Adding a key
 * is adding an entry here.
 *
 * X(LABEL, HELP, WHERE, ACTION, (CODE, ...)):
 *   LABEL   the keys as the help and the man page name them; the entries
 *           of one help row share it ("Up Down j k" is two bindings)
 *   HELP    what the row's keys do, on its first entry; NULL on the rest
 *   WHERE   where the binding works: KEYS_IN(pane), KEYS_LISTS (every pane
 *           but the console, which takes keys as text), KEYS_ANYWHERE,
 *           KEYS_SMALL (the screen that says the terminal is too small)
 *   ACTION  bool action(struct pane *focused, struct tui *t): false when
 *           the key does nothing there, and the lookup goes on
 *   CODES   curses KEY_ codes and characters, in parentheses
 *
 * The lookup (keys_dispatch) tries the entries made for the focused pane
 * alone first, then those it shares with other panes: Enter opens a module
 * in the map but switches interpreters in Interpreters; d means the same
 * everywhere, and Delete only in Interpreters.
 */
#ifndef SUBREPL_UI_KEYS_H
#define SUBREPL_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#define TUI_KEYS(X) \
	X("Tab, S-Tab", "next / previous pane; in the console Tab completes " \
	    "text", KEYS_ANYWHERE, action_next_pane, ('\t')) \
	X("Tab, S-Tab", NULL, KEYS_ANYWHERE, action_previous_pane, (KEY_BTAB)) \
	X("Up Down j k", "move the cursor; in the console: history", \
	    KEYS_LISTS, pane_cursor_up, (KEY_UP, 'k')) \
	X("Up Down j k", NULL, KEYS_LISTS, pane_cursor_down, (KEY_DOWN, 'j')) \
	X("PgUp PgDn", "a page; in the console: scroll back and forth", \
	    KEYS_LISTS, pane_page_up, (KEY_PPAGE)) \
	X("PgUp PgDn", NULL, KEYS_LISTS, pane_page_down, (KEY_NPAGE)) \
	X("PgUp PgDn", NULL, KEYS_IN(PANE_CONSOLE), pane_console_back, \
	    (KEY_PPAGE)) \
	X("PgUp PgDn", NULL, KEYS_IN(PANE_CONSOLE), pane_console_forth, \
	    (KEY_NPAGE)) \
	X("Home End", "first / last row", KEYS_LISTS, pane_cursor_first, \
	    (KEY_HOME, 'g')) \
	X("Home End", NULL, KEYS_LISTS, pane_cursor_last, (KEY_END, 'G')) \
	X("Left Right h l", "scroll the map and the detail sideways", \
	    KEYS_LISTS, pane_scroll_left, (KEY_LEFT, 'h')) \
	X("Left Right h l", NULL, KEYS_LISTS, pane_scroll_right, \
	    (KEY_RIGHT, 'l')) \
	X("Enter", "interpreter: switch to it (%use); module: open its detail", \
	    KEYS_IN(PANE_INTERPS), pane_interps_use, ('\r', '\n', KEY_ENTER)) \
	X("Enter", NULL, KEYS_IN(PANE_MAP), pane_map_open, \
	    ('\r', '\n', KEY_ENTER)) \
	X("Space", "mark an interpreter; a: mark all or none", \
	    KEYS_IN(PANE_INTERPS), pane_interps_mark, (' ')) \
	X("Space", NULL, KEYS_LISTS, pane_interps_mark_all, ('a')) \
	X("n", "new interpreter, choosing its preset (%new)", KEYS_LISTS, \
	    action_new, ('n')) \
	X("d", "destroy the interpreter under the cursor (%del), after y", \
	    KEYS_LISTS, action_destroy, ('d')) \
	X("d", NULL, KEYS_IN(PANE_INTERPS), pane_interps_destroy, (KEY_DC)) \
	X("i", "import a module into the marked or selected interpreters", \
	    KEYS_LISTS, action_import, ('i')) \
	X("/", "show only modules whose name contains a text", KEYS_LISTS, \
	    action_filter, ('/')) \
	X("x", "detail: show addresses instead of values", \
	    KEYS_IN(PANE_DETAIL), pane_detail_addresses, ('x')) \
	X("A", "audit: objects crossing interpreters through the module " \
	    "under the cursor (from Interpreters: every module)", KEYS_LISTS, \
	    action_audit, ('A')) \
	X("% :", "go to the console and start a command", KEYS_LISTS, \
	    action_command, ('%', ':')) \
	X("r", "take a fresh snapshot", KEYS_LISTS, action_refresh, ('r')) \
	/* a signal, not a key: the terminal turns it into SIGINT, which */ \
	/* tui.c's loop (and sigint.c while a step runs) acts on */ \
	X("Ctrl-C", "interrupt the running step; clear the console's line", \
	    KEYS_NOWHERE, NULL, (0)) \
	X("?", "this help", KEYS_LISTS, action_help, ('?')) \
	X("q F10", "leave the TUI (after %tui: back to line mode); %quit ends", \
	    KEYS_LISTS | KEYS_SMALL, action_leave, ('q')) \
	X("q F10", NULL, KEYS_ANYWHERE | KEYS_SMALL, action_leave, (KEY_F(10)))

/* Where a binding works: a set of places, one bit per pane (enum pane_id,
 * pane.h) and one for the too-small screen. Expanded only in keys.c. */
#define KEYS_IN(pane)  (1u << (pane))
#define KEYS_SMALL     (1u << PANE_COUNT)
#define KEYS_LISTS     (KEYS_IN(PANE_INTERPS) | KEYS_IN(PANE_MAP) | \
	KEYS_IN(PANE_DETAIL))
#define KEYS_ANYWHERE  (KEYS_LISTS | KEYS_IN(PANE_CONSOLE))
#define KEYS_NOWHERE   0u

/* Codes one binding may have. */
#define KEYS_CODES_MAX 4

struct tui;
struct pane;

struct key_binding {
	const char *label;         /* the keys as the help names them */
	const char *help;          /* what they do; NULL: the row above with
	                            * the same label says it */
	unsigned where;            /* KEYS_IN() bits and KEYS_SMALL */
	/* What the key does, to the focused pane or the whole TUI; false
	 * when it does nothing there (no interpreter under the cursor). */
	bool (*action)(struct pane *p, struct tui *t);
	int codes[KEYS_CODES_MAX]; /* the codes it binds; a 0 ends them */
};

/* TUI_KEYS as a table, in its order (the help's). */
extern const struct key_binding keys_table[];
extern const size_t keys_count;

/* Run what key is bound to where the keys go now: the focused pane, or
 * the too-small screen. False if no binding took it. */
bool keys_dispatch(struct tui *t, int key);

#endif
