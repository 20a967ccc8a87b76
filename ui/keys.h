/*
 * keys.h: the TUI's keys as one X-macro list (tig's request.h), so the ?
 * overlay and the man page say the same thing: X(KEYS, WHAT).
 */
#ifndef SUBREPL_UI_KEYS_H
#define SUBREPL_UI_KEYS_H

#define TUI_KEYS(X) \
	X("Tab, S-Tab", "next / previous pane; in the console Tab completes " \
	    "text") \
	X("Up Down j k", "move the cursor; in the console: history") \
	X("PgUp PgDn", "a page; in the console: scroll back and forth") \
	X("Home End", "first / last row") \
	X("Left Right h l", "scroll the map and the detail sideways") \
	X("Enter", "interpreter: switch to it (%use); module: open its detail") \
	X("Space", "mark an interpreter; a: mark all or none") \
	X("n", "new interpreter, choosing its preset (%new)") \
	X("d", "destroy the interpreter under the cursor (%del), after y") \
	X("i", "import a module into the marked or selected interpreters") \
	X("/", "show only modules whose name contains a text") \
	X("x", "detail: show addresses instead of values") \
	X("% :", "go to the console and start a command") \
	X("r", "take a fresh snapshot") \
	X("Ctrl-C", "interrupt the running step; clear the console's line") \
	X("?", "this help") \
	X("q F10", "leave the TUI (after %tui: back to line mode); %quit ends")

#endif
